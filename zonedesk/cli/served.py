"""The catalogue the CLI answers from: the configured database's library, as every replica serves it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from api.ask.analysis_cache import save_analysis
from api.ask.service import pipeline
from api.catalog import Catalog, build_catalog, read_catalog, today_in_zone
from api.data_dir import jieba_cache_dir
from api.db import is_sqlite, make_engine
from api.policy.service import bundled_library
from api.settings import get_settings


def _has_database(url: str) -> bool:
    """Whether `url` names a database that may hold a library (an absent SQLite file holds none)."""
    if not is_sqlite(url):
        return True
    database = make_url(url).database
    return bool(database) and database != ":memory:" and Path(str(database)).exists()


def served_catalog() -> Catalog:
    """The configured database's library (admins' imports included); the bundled one before `db upgrade`.

    The texts analysed to build it are saved in the data directory, so the next command skips that work.
    """
    catalog = _read_served_catalog()
    save_analysis(pipeline(), jieba_cache_dir())
    return catalog


def _read_served_catalog() -> Catalog:
    url = get_settings().effective_database_url
    if _has_database(url):
        engine = make_engine(url)
        try:
            with Session(engine) as session:
                return read_catalog(session, fallback=bundled_library(), day=today_in_zone())
        except SQLAlchemyError:
            pass  # no schema yet, or the database is unreachable: the bundled library answers
        finally:
            engine.dispose()
    return build_catalog(bundled_library(), [], revision="bundled", day=today_in_zone())
