"""The catalogue the CLI answers from: the configured database's library, as every replica serves it.

`zonedesk ask` in the default setup (an SQLite file, or none yet) loads no database layer: it builds its
matcher from the inputs kept in the data directory under the database's current key
(`api.catalog_snapshot`), and reads the database through the ORM only when that key changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from api.ask.analysis_cache import save_analysis
from api.ask.pipeline import pipeline
from api.catalog_build import CatalogInputs, bundled_catalog, catalog_of, served_matcher, today_in_zone
from api.catalog_snapshot import Snapshot, database_key, load_snapshot, save_snapshot
from api.data_dir import jieba_cache_dir
from api.database_url import environment_database_url, sqlite_file
from api.policy.bundled import bundled_library
from faq.bundled import load_bundled

if TYPE_CHECKING:
    from api.catalog_build import Catalog
    from faq.matcher import Matcher


def _database_url() -> str:
    url = environment_database_url()
    if url is None:
        from api.settings import get_settings  # a .env file: only the settings read it exactly

        url = get_settings().effective_database_url
    return url


def _has_database(url: str) -> bool:
    """Whether `url` names a database that may hold a library (an absent SQLite file holds none)."""
    from sqlalchemy.engine import make_url

    from api.db import is_sqlite

    if not is_sqlite(url):
        return True
    database = make_url(url).database
    return bool(database) and database != ":memory:" and Path(str(database)).exists()


def _database_inputs(url: str) -> CatalogInputs | None:
    """What the database's catalogue is made of; None when it holds no library (the bundled one answers)."""
    if not _has_database(url):
        return None
    from sqlalchemy.exc import SQLAlchemyError
    from sqlmodel import Session

    from api.catalog import read_inputs
    from api.db import make_engine

    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return read_inputs(session, fallback=bundled_library())
    except SQLAlchemyError:
        return None  # no schema yet, or the database is unreachable: the bundled library answers
    finally:
        engine.dispose()


def served_catalog() -> Catalog:
    """The configured database's library (admins' imports included); the bundled one before `db upgrade`.

    The texts analysed to build it are saved in the data directory, so the next command skips that work.
    """
    inputs = _database_inputs(_database_url())
    if inputs is None:
        catalog = bundled_catalog(bundled_library(), revision="bundled", day=today_in_zone())
    else:
        catalog = catalog_of(inputs, day=today_in_zone())
    save_analysis(pipeline(), jieba_cache_dir())
    return catalog


def _snapshot(url: str) -> Snapshot:
    """The library and FAQ entries the database serves now: kept ones when its key is unchanged."""
    database = sqlite_file(url)
    if database is not None and not database.exists():
        return Snapshot(bundled_library(), load_bundled().entries)
    key = database_key(database) if database is not None else None
    kept = load_snapshot(jieba_cache_dir(), key) if key is not None else None
    if kept is not None:
        return kept
    inputs = _database_inputs(url)  # read after the key: a write in between only makes the next key differ
    if inputs is None:
        return Snapshot(bundled_library(), load_bundled().entries)
    read = Snapshot(inputs.library, inputs.entries)
    if key is not None:
        save_snapshot(jieba_cache_dir(), key, read)
    return read


def ask_matcher() -> Matcher:
    """The matcher of the configured database's catalogue, as `served_catalog().matcher` but without the
    clause index, and in the default setup without the database layer."""
    snapshot = _snapshot(_database_url())
    matcher = served_matcher(snapshot.library.as_of(today_in_zone()), snapshot.entries)
    save_analysis(pipeline(), jieba_cache_dir())
    return matcher
