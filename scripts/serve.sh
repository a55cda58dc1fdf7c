#!/usr/bin/env bash
# One command to run zonedesk on a fresh machine: embedded SQLite, bundled policy, http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-uv.sh
exec uv run --frozen zonedesk serve "$@"
