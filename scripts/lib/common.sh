# Shared by the scripts in scripts/: repository root, prerequisites, the pinned Node tools, and Azurite.
# Source it; it defines functions and sets ROOT. Nothing here leaves a process running after the caller exits.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 2; }

require_tools() {
  command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK is required (dotnet not found on PATH)"
  command -v node >/dev/null 2>&1 || die "Node.js 20 or newer is required (node not found on PATH)"
  command -v npm >/dev/null 2>&1 || die "npm is required (npm not found on PATH)"
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 20 ] || die "Node.js 20 or newer is required (found $(node --version))"
}

# Installs the pinned tools from package-lock.json unless node_modules already matches it.
ensure_node_modules() {
  local marker="$ROOT/node_modules/.package-lock.json"
  if [ -f "$marker" ] && [ "$marker" -nt "$ROOT/package-lock.json" ] && [ -f "$ROOT/node_modules/azurite/package.json" ]; then
    return 0
  fi
  log "Installing the pinned Azurite (npm ci)..."
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error >&2)
}

# Installs Debian's chromium when it is missing: the HTML report is checked in headless Chromium
# (tests/Compliance.IntegrationTests/Reports). Needs root (or passwordless sudo) and apt-get to install.
ensure_chromium() {
  command -v chromium >/dev/null 2>&1 && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo=(sudo -n)
    else
      die "chromium is required to check the HTML report and is not installed; install it as root: apt-get update && apt-get install -y --no-install-recommends chromium"
    fi
  fi
  command -v apt-get >/dev/null 2>&1 || die "chromium is required to check the HTML report and is not installed, and apt-get is not available to install it"
  log "Installing chromium (apt-get)..."
  { "${sudo[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends chromium; } >&2 \
    || die "could not install chromium with apt-get"
  command -v chromium >/dev/null 2>&1 || die "apt-get installed chromium but it is not on PATH"
}

# Prints N free TCP ports on 127.0.0.1, one per line.
free_ports() {
  node -e '
    const net = require("net");
    const n = Number(process.argv[1]);
    const servers = Array.from({ length: n }, () => net.createServer());
    Promise.all(servers.map(s => new Promise(r => s.listen(0, "127.0.0.1", () => r(s.address().port)))))
      .then(ports => { servers.forEach(s => s.close()); console.log(ports.join("\n")); });
  ' "$1"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

AZURITE_PID=""
AZURITE_ACCOUNT_KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
# A second emulated account, for tests that keep the audit trail in an account of its own (as in Azure).
AZURITE_AUDIT_ACCOUNT="complianceaudit"
AZURITE_AUDIT_ACCOUNT_KEY="Y29tcGxpYW5jZWF1ZGl0LWF6dXJpdGUtZGV2ZWxvcG1lbnQta2V5LXdlbGwta25vd24tbm90LWEtc2VjcmV0"

# Starts Azurite (blob, queue, table) on free loopback ports with in-memory persistence and two accounts
# (AZURITE_ACCOUNTS replaces Azurite's list, so it names devstoreaccount1 with its well-known key too), and
# exports COMPLIANCE_STORAGE for devstoreaccount1 and COMPLIANCE_AUDIT_STORAGE_TEST for the second account.
# The second is deliberately not COMPLIANCE_AUDIT_STORAGE: the product reads that, and only tests that ask
# for a separate audit account should get one. Call azurite_stop (the scripts do it from an EXIT trap) to stop it.
azurite_start() {
  ensure_node_modules
  local logdir="$ROOT/artifacts/azurite"
  mkdir -p "$logdir"
  local attempt
  for attempt in 1 2 3; do
    local ports blob queue table
    mapfile -t ports < <(free_ports 3)
    blob="${ports[0]}"; queue="${ports[1]}"; table="${ports[2]}"
    AZURITE_ACCOUNTS="devstoreaccount1:$AZURITE_ACCOUNT_KEY;$AZURITE_AUDIT_ACCOUNT:$AZURITE_AUDIT_ACCOUNT_KEY" \
      node "$ROOT/node_modules/azurite/dist/src/azurite.js" \
      --blobHost 127.0.0.1 --blobPort "$blob" \
      --queueHost 127.0.0.1 --queuePort "$queue" \
      --tableHost 127.0.0.1 --tablePort "$table" \
      --inMemoryPersistence --skipApiVersionCheck --loose --disableTelemetry \
      >"$logdir/azurite.log" 2>&1 &
    AZURITE_PID=$!
    local waited=0
    while [ "$waited" -lt 300 ]; do
      if ! kill -0 "$AZURITE_PID" 2>/dev/null; then break; fi
      if port_open "$blob" && port_open "$queue" && port_open "$table"; then
        export COMPLIANCE_STORAGE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$AZURITE_ACCOUNT_KEY;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
        export COMPLIANCE_AUDIT_STORAGE_TEST="DefaultEndpointsProtocol=http;AccountName=$AZURITE_AUDIT_ACCOUNT;AccountKey=$AZURITE_AUDIT_ACCOUNT_KEY;BlobEndpoint=http://127.0.0.1:$blob/$AZURITE_AUDIT_ACCOUNT;QueueEndpoint=http://127.0.0.1:$queue/$AZURITE_AUDIT_ACCOUNT;TableEndpoint=http://127.0.0.1:$table/$AZURITE_AUDIT_ACCOUNT;"
        log "Azurite is running on 127.0.0.1 (blob $blob, queue $queue, table $table; in memory; accounts devstoreaccount1 and $AZURITE_AUDIT_ACCOUNT)."
        return 0
      fi
      sleep 0.1
      waited=$((waited + 1))
    done
    azurite_stop
    log "Azurite did not start (attempt $attempt); log: $logdir/azurite.log"
  done
  tail -n 20 "$logdir/azurite.log" >&2 || true
  die "could not start Azurite"
}

azurite_stop() {
  if [ -n "$AZURITE_PID" ] && kill -0 "$AZURITE_PID" 2>/dev/null; then
    kill "$AZURITE_PID" 2>/dev/null || true
    local waited=0
    while kill -0 "$AZURITE_PID" 2>/dev/null && [ "$waited" -lt 50 ]; do sleep 0.1; waited=$((waited + 1)); done
    kill -9 "$AZURITE_PID" 2>/dev/null || true
    wait "$AZURITE_PID" 2>/dev/null || true
  fi
  AZURITE_PID=""
}

# Stops Azurite however the calling script ends: normally, on failure, or on Ctrl-C / SIGTERM.
stop_services_on_exit() {
  trap azurite_stop EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# Build flags that leave no build server running after the build (the scripts must leave no process behind).
BUILD_FLAGS=(--disable-build-servers -nologo -clp:NoSummary -v:quiet)
