"""The library shipped with zonedesk, parsed once per process (no database: the CLI's fast start reads it too)."""

from __future__ import annotations

from functools import cache

from policy_index.library import PolicyLibrary, load_bundled_library


@cache
def bundled_library() -> PolicyLibrary:
    """The bundled documents with their confirmed metadata (parsed once per process)."""
    return load_bundled_library()
