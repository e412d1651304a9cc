#!/usr/bin/env bash
# Installs the pinned node client used by tests/Cms.Ocpp.Tests (NodeChargerTests).
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
