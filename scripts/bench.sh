#!/usr/bin/env bash
# Benchmarks: builds Release, runs the named scenarios (all by default) against a fresh Azurite, and
# writes artifacts/bench/results.json. Each scenario compares the product with the raw SDK doing the
# same storage work in the same run. See bench/README.md for the scenarios and how stable they are.
# Usage: ./scripts/bench.sh [scenario...]
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
require_tools

stop_services_on_exit

log "Building benchmarks (Release)..."
dotnet build "$ROOT/bench/Compliance.Benchmarks/Compliance.Benchmarks.csproj" -c Release "${BUILD_FLAGS[@]}" >&2
azurite_start
cd "$ROOT"
dotnet "$ROOT/bench/Compliance.Benchmarks/bin/Release/net10.0/Compliance.Benchmarks.dll" "$@"
