#!/usr/bin/env bash
# AmpCMS against ocpp-rpc's own in-memory server with the same Node client (issue 9). Installs ocpp-rpc here (npm ci),
# builds the host (Release) and runs both servers, each in its own process, one after the other.
#   bash bench/ocpp-rpc-compare/run.sh [--chargers 100] [--seconds 8] [--warmup 2] [--rounds N] [--against <Cms.Host.dll>]
#   (a longer warm-up measures the steady state; see compare.js for --rounds and --against)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
(cd "$here" && npm ci --no-audit --no-fund --silent)
dotnet build -c Release "$root/Cms.Host" -v q -nologo > /dev/null
exec node "$here/compare.js" "$root/Cms.Host/bin/Release/net10.0/Cms.Host.dll" "$@"
