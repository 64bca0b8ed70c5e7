# Builds and lints the deployment templates (infra/) with the Bicep CLI that the build of tests/Compliance.Deployment.Tests
# restored from NuGet (Azure.Bicep.CommandLine.linux-x64). Source it after common.sh; it defines functions only, and
# they return non-zero (after saying why) instead of exiting, so the caller decides when to stop.

# Prints the path of the restored Bicep CLI: the test project's $(BicepCliPath), which MSBuild resolves from
# $(NuGetPackageRoot) (wherever NuGet keeps packages on this machine).
bicep_cli() {
  local path
  path="$(dotnet msbuild "$ROOT/tests/Compliance.Deployment.Tests/Compliance.Deployment.Tests.csproj" \
    -getProperty:BicepCliPath -nologo -nodeReuse:false)" || { log "error: could not ask MSBuild where the Bicep CLI is"; return 1; }
  if [ ! -x "$path" ]; then
    log "error: the Bicep CLI is not at '$path'; build tests/Compliance.Deployment.Tests first (its restore downloads it)"
    return 1
  fi
  printf '%s\n' "$path"
}

# Compiles infra/main.bicep to artifacts/infra/main.json and lints it, with every module it uses, into
# artifacts/infra/lint.sarif. Fails on any error or warning, listing each as file(line,column) : Level rule: message.
# (The Deployment tests also lint the .bicep files that main.bicep does not use.)
bicep_check_infra() {
  local main="$ROOT/infra/main.bicep" out="$ROOT/artifacts/infra" bicep
  rm -rf "$out"
  mkdir -p "$out"
  if [ ! -f "$main" ]; then
    log "error: infra/main.bicep not found: there is no deployment template to build"
    return 1
  fi
  bicep="$(bicep_cli)" || return 1
  log "Building infra/main.bicep into artifacts/infra/main.json..."
  if ! "$bicep" build "$main" --outfile "$out/main.json" >&2; then
    log "error: bicep build infra/main.bicep failed (diagnostics above)"
    return 1
  fi
  log "Linting infra/main.bicep and its modules into artifacts/infra/lint.sarif..."
  # Exit code 1 means "errors found": the SARIF log says which, so read it whatever the exit code.
  "$bicep" lint "$main" --diagnostics-format sarif >"$out/lint.sarif" || true
  node -e '
    const sarif = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const failing = sarif.runs.flatMap(run => run.results ?? [])
      .map(r => ({ level: r.level ?? "warning", rule: r.ruleId, text: r.message?.text ?? "",
                   loc: r.locations?.[0]?.physicalLocation }))
      .filter(d => d.level === "error" || d.level === "warning");
    for (const d of failing) {
      const uri = d.loc?.artifactLocation?.uri;
      const file = uri?.startsWith("file:") ? require("url").fileURLToPath(uri) : uri ?? "?";
      const region = d.loc?.region ?? {};
      console.error(`${file}(${region.startLine},${region.startColumn ?? region.charOffset}) : ${d.level} ${d.rule}: ${d.text}`);
    }
    process.exit(failing.length > 0 ? 1 : 0);
  ' "$out/lint.sarif" || { log "error: the linter reports errors or warnings in infra/ (listed above; artifacts/infra/lint.sarif)"; return 1; }
}
