#!/usr/bin/env bash
# The one test command (README, CI): installs what the tests need, then runs every test project.
set -euo pipefail
cd "$(dirname "$0")"
if [ -f tests/ocpp-client/install.sh ]; then bash tests/ocpp-client/install.sh; fi
dotnet test AmpCms.sln --nologo -v minimal -- RunConfiguration.TreatNoTestsAsError=true "$@"
