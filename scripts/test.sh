#!/usr/bin/env bash
# Builds and runs every test against a fresh Azurite, then prints `tests: N passed, N failed, N skipped`
# summed from the TRX result files. Exits non-zero on any failure. Leaves no process running.
# Before the tests it builds and lints infra/ with the restored Bicep CLI (artifacts/infra/); errors or warnings there
# fail the script too, after the tests have run.
# Installs Debian's chromium first if it is missing (the HTML report is checked in headless Chromium; its
# screenshot lands in artifacts/report-screenshots/).
# Usage: ./scripts/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Policy]
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/bicep.sh"
require_tools

stop_services_on_exit

CONFIGURATION="${CONFIGURATION:-Release}"
RESULTS="$ROOT/artifacts/test-results"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

ensure_node_modules
ensure_chromium
log "Building ($CONFIGURATION)..."
dotnet build "$ROOT/Compliance.sln" -c "$CONFIGURATION" "${BUILD_FLAGS[@]}" >&2
infra_status=0
bicep_check_infra || infra_status=1
azurite_start

mapfile -t projects < <(cd "$ROOT" && ls tests/*/*.csproj | grep -v TestSupport)
status=0
for project in "${projects[@]}"; do
  name="$(basename "$project" .csproj)"
  log "Running $name..."
  dotnet test "$ROOT/$project" -c "$CONFIGURATION" --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" --blame-hang-timeout 5m \
    --results-directory "$RESULTS" "$@" >&2 || status=1
done

[ "$infra_status" -eq 0 ] || log "error: infra/ did not build and lint clean (see the Bicep step above)"
summary_status=0
node "$ROOT/scripts/lib/trx-summary.mjs" "$RESULTS" "${#projects[@]}" || summary_status=$?
[ "$status" -eq 0 ] && [ "$summary_status" -eq 0 ] && [ "$infra_status" -eq 0 ]
