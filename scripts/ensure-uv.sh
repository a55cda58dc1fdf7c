#!/usr/bin/env bash
# Make `uv` available (installed with pip when missing) and sync the locked environment.
# uv always uses this machine's Python, never a downloaded one. Bytecode is compiled at install (the
# dependencies by uv, our own packages by compileall): where PYTHONDONTWRITEBYTECODE is set, every
# command would otherwise compile its sources again on each start.
set -euo pipefail
export UV_PYTHON_DOWNLOADS=never
export UV_COMPILE_BYTECODE=1
if ! command -v uv >/dev/null 2>&1; then
  python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv
  export PATH="$HOME/.local/bin:$PATH"
fi
uv sync --frozen --quiet
uv run --frozen python -m compileall -q -j 0 api bot common faq policy_index web zonedesk >/dev/null
