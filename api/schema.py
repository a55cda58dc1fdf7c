"""Create or migrate the schema (Alembic) and seed the default queues and routing, idempotently."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml
from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from api.catalog_build import bundled_clause_index
from api.db import WRITE_TRANSACTION
from api.eligibility.service import seed_bundled_eligibility
from api.guides.service import seed_guides
from api.policy.service import bump_revision, seed_bundled_documents
from api.queues.models import Queue, RoutingRule
from api.unit_of_work import UnitOfWork

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
DEFAULTS_FILE = Path(__file__).parent / "queues" / "defaults.yaml"
_MIGRATION_LOCK_KEY = 7_349_202


def alembic_config(url: str) -> Config:
    """An Alembic configuration for `url` without an ini file."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_schema(engine: Engine) -> None:
    """Migrate the database to the newest revision (PostgreSQL: one migrator at a time)."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.connect().execution_options(**{WRITE_TRANSACTION: True}) as connection:  # a writer
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
            connection.commit()
        try:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()
        finally:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _MIGRATION_LOCK_KEY})
                connection.commit()


@functools.cache
def load_defaults() -> dict[str, Any]:
    """The bundled default queues and routing."""
    data: dict[str, Any] = yaml.safe_load(DEFAULTS_FILE.read_text(encoding="utf-8"))
    return data


def seed_defaults(session: Session) -> None:
    """Add the default queues, routing rules, 办事指南, bundled documents, facts and clauses that are missing;
    never change existing ones."""
    seed_bundled_documents(session)
    if seed_bundled_eligibility(session, bundled_clause_index()):
        bump_revision(session)
    defaults = load_defaults()
    queues = {q.key: q for q in session.exec(select(Queue)).all()}
    for spec in defaults["queues"]:
        if spec["key"] not in queues:
            queue = Queue(**spec)
            session.add(queue)
            queues[queue.key] = queue
    session.flush()
    routed = set(session.exec(select(RoutingRule.category)).all())
    for spec in defaults["routing"]:
        if spec["category"] not in routed:
            queue_id = queues[spec["queue"]].id
            assert queue_id is not None
            session.add(RoutingRule(category=spec["category"], name=spec["name"], queue_id=queue_id))
    seed_guides(session)


def prepare_database(engine: Engine) -> None:
    """Migrate to the newest schema and seed the defaults."""
    upgrade_schema(engine)
    with Session(engine) as session, UnitOfWork(session):
        seed_defaults(session)
