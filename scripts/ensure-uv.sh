#!/usr/bin/env bash
# Make `uv` available (installed with pip when missing) and sync the locked environment.
# uv always uses this machine's Python, never a downloaded one.
set -euo pipefail
export UV_PYTHON_DOWNLOADS=never
if ! command -v uv >/dev/null 2>&1; then
  python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv
  export PATH="$HOME/.local/bin:$PATH"
fi
uv sync --frozen --quiet
