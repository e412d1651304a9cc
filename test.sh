#!/usr/bin/env bash
# The one test command (README, CI): installs what the tests need, then runs every test project
# and ends with one "N passed, N failed" line summed over all of them.
set -uo pipefail
cd "$(dirname "$0")"
bash tests/ocpp-client/install.sh || { echo "could not install the OCPP test client (npm)"; exit 1; }
# The console tests drive Debian's Chromium (Playwright's own browser download cannot work here).
if [ ! -x /usr/bin/chromium ]; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } || { echo "could not install chromium (apt)"; exit 1; }
fi
log=$(mktemp)
AMPCMS_TEST_POSTGRES= dotnet test AmpCms.sln --nologo -v minimal -- RunConfiguration.TreatNoTestsAsError=true "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# The integration suite again on PostgreSQL (each test host on a fresh database of a throwaway local server).
if pg_env=$(bash tests/postgres/start.sh --env); then
  eval "$pg_env"
  dotnet test tests/Cms.IntegrationTests --no-build --nologo -v minimal \
    -- RunConfiguration.TreatNoTestsAsError=true "$@" 2>&1 | sed 's/^/[postgres] /' | tee -a "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  bash tests/postgres/stop.sh "$AMPCMS_TEST_POSTGRES_DIR"
  unset AMPCMS_TEST_POSTGRES AMPCMS_TEST_POSTGRES_DIR
else
  echo "could not start PostgreSQL (tests/postgres/start.sh)"; status=1
fi
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
# Benchmarks print figures and assert nothing; CI runs them short, to keep them working.
if [ "$status" -eq 0 ]; then
  dotnet run -c Release --project bench/Cms.Optimizer.Bench -- --smoke || status=1
  dotnet run -c Release --project bench/Cms.Loop.Bench -- --smoke || status=1
  dotnet run -c Release --project bench/Cms.Report.Bench -- --smoke || status=1
  dotnet run -c Release --project bench/Cms.Ocpp.Bench -- --smoke || status=1
  dotnet run -c Release --project bench/Cms.Storm.Bench -- --smoke || status=1
fi
echo "$passed passed, $failed failed"
exit "$status"
