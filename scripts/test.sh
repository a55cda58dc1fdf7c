#!/usr/bin/env bash
# One command to run the tests on a fresh machine. Tests that need PostgreSQL/Redis skip when
# those are unreachable, except with CI=true, where they fail.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-uv.sh
exec uv run --frozen pytest "$@"
