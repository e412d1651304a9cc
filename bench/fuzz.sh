#!/usr/bin/env bash
# The long fuzzing run: the suite's fuzz tests with SCALE times as many inputs (default 20: 60,000 OCPP frames and
# 30,000 REST requests). A failure prints its seed; replay it with AMPCMS_FUZZ_SEED=<seed> (and AMPCMS_FUZZ_BATCH=1
# to pin the one frame).
# Usage: bash bench/fuzz.sh [scale] [seed]
set -euo pipefail
cd "$(dirname "$0")/.."
export AMPCMS_FUZZ_SCALE="${1:-20}"
if [ -n "${2:-}" ]; then export AMPCMS_FUZZ_SEED="$2"; fi
dotnet test tests/Cms.IntegrationTests --filter "FullyQualifiedName~Cms.IntegrationTests.Fuzzing" --logger "console;verbosity=detailed"
