#!/usr/bin/env bash
# The product end to end on the embedded defaults: Azurite on loopback plus the local key store.
# Usage: ./scripts/demo.sh [demo options]   (see: ./scripts/demo.sh --help)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
require_tools

stop_services_on_exit

log "Building the compliance CLI..."
dotnet build "$ROOT/src/Compliance.Cli/Compliance.Cli.csproj" -c Release "${BUILD_FLAGS[@]}" >&2
azurite_start
args=("$@")
# Files land under artifacts/ (ignored by git) unless --out says otherwise.
[[ " $* " == *" --out "* || " $* " == *" --out="* ]] || args+=(--out "$ROOT/artifacts/demo")
dotnet "$ROOT/src/Compliance.Cli/bin/Release/net10.0/compliance.dll" demo "${args[@]}"
