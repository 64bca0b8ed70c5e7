// Sums the <Counters> of every TRX file in a directory and prints `tests: N passed, N failed, N skipped`.
// Usage: node trx-summary.mjs RESULTS_DIR EXPECTED_FILES
// Exits 1 when any test failed, when no test ran, or when fewer TRX files exist than test projects ran
// (a test host that crashed writes none, and its tests must not silently vanish from the count).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const [dir, expectedArg] = process.argv.slice(2);
const expected = Number(expectedArg ?? 0);
const files = readdirSync(dir).filter((f) => f.endsWith(".trx"));
let passed = 0, failed = 0, skipped = 0;
const problems = [];

for (const file of files) {
  const xml = readFileSync(join(dir, file), "utf8");
  const counters = xml.match(/<Counters\b[^>]*>/);
  if (!counters) {
    problems.push(`${file} has no <Counters> element`);
    continue;
  }
  const read = (name) => Number((counters[0].match(new RegExp(`\\b${name}="(\\d+)"`)) ?? [0, 0])[1]);
  const total = read("total"), ok = read("passed"), bad = read("failed") + read("error") + read("timeout") + read("aborted");
  passed += ok;
  failed += bad;
  skipped += total - ok - bad;
  for (const m of xml.matchAll(/<UnitTestResult\b[^>]*testName="([^"]*)"[^>]*outcome="Failed"/g)) {
    problems.push(`failed: ${m[1]}`);
  }
}

if (files.length < expected) problems.push(`expected ${expected} TRX files, found ${files.length}: a test run crashed`);
if (passed + failed + skipped === 0) problems.push("no test ran");
for (const p of problems) console.error(p);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || problems.length > 0 ? 1 : 0);
