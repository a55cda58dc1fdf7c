"""The app's own data directory: the embedded database, the persisted secret key, jieba's and the analysis cache.

Everything here is private to the account running zonedesk: directories 0700, files 0600.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import stat
from pathlib import Path

from platformdirs import user_data_dir

SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name
log = logging.getLogger(__name__)


def default_data_dir() -> Path:
    """The user's data directory for zonedesk (e.g. ~/.local/share/zonedesk)."""
    return Path(user_data_dir("zonedesk"))


def private_dir(path: Path) -> Path:
    """`path` as a directory only its owner may enter (created 0700 when missing; its parents as usual)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def jieba_cache_dir() -> Path:
    """Where jieba keeps its parsed-dictionary cache (and `api.ask.analysis_cache` the analysed library texts):
    inside the app's data directory, never a shared /tmp."""
    return private_dir(private_dir(default_data_dir()) / "cache")


def create_private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 unless it exists (files it replaces are not touched)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def persisted_secret_key(path: Path) -> str:
    """The secret in `path`, generated once (mode 0600) when absent; concurrent first starts agree on one."""
    private_dir(path.parent)
    if not path.exists():
        draft = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)  # atomic and exclusive: the first process to link wins
            log.warning("ZONEDESK_SECRET_KEY is not set: generated one in %s", path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        path.chmod(0o600)
    key = path.read_text(encoding="ascii").strip()
    if not key:
        raise RuntimeError(f"empty secret key file: {path}")
    return key


def replace_private_json(path: Path, payload: object) -> bool:
    """Write `payload` as compact JSON to `path` (0600) through a temporary file and a rename, so a concurrent
    reader sees the old file or the new one; whether written (a read-only directory is no error)."""
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, ensure_ascii=False, separators=(",", ":"))
        draft.replace(path)
    except OSError:
        with contextlib.suppress(OSError):
            draft.unlink()
        return False
    return True
