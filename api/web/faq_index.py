"""The FAQ entries the matcher serves, rebuilt on publish on every replica.

The database holds the admins' entries; the bundled FAQ (faq/data/faq.yaml) stays served unless an admin
entry with the same question replaces it. A publish rebuilds this replica's matcher at once and sends
`zonedesk:faq` on Redis so every other replica rebuilds from the database too (no Redis: one process,
nothing else to tell). The version in use is a fingerprint of the served entries, so replicas that
serve the same entries show the same version.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

import redis
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from api.faqs.models import FaqEntry as FaqRow
from faq.bundled import load_bundled
from faq.entries import FaqEntry, Intent
from faq.matcher import Matcher

logger = logging.getLogger(__name__)

CHANNEL = "zonedesk:faq"
DB_ID_PREFIX = "db-"


def served_id(row_id: int) -> str:
    """The matcher's id of a database entry."""
    return f"{DB_ID_PREFIX}{row_id}"


def entry_of(row: FaqRow, *, intent: Intent = Intent.POLICY) -> FaqEntry:
    """The matcher's value of a database row."""
    assert row.id is not None
    return FaqEntry(
        id=served_id(row.id),
        question=row.question,
        variants=tuple(row.variants),
        answer=row.answer,
        measure_ids=tuple(row.measure_ids),
        intent=intent,
    )


def served_entries(rows: list[FaqRow], bundled: tuple[FaqEntry, ...]) -> tuple[FaqEntry, ...]:
    """Bundled entries not replaced by an admin entry of the same question, then the admin entries."""
    replaced = {row.question.strip() for row in rows}
    intents = {entry.question.strip(): entry.intent for entry in bundled}
    kept = tuple(entry for entry in bundled if entry.question.strip() not in replaced)
    return kept + tuple(entry_of(row, intent=intents.get(row.question.strip(), Intent.POLICY)) for row in rows)


def fingerprint(entries: tuple[FaqEntry, ...]) -> str:
    """A short stable version of a set of served entries."""
    digest = hashlib.sha256()
    for entry in sorted(entries, key=lambda e: e.id):
        digest.update(repr((entry.id, entry.question, entry.variants, entry.answer, entry.measure_ids)).encode())
    return digest.hexdigest()[:10]


@dataclass
class FaqIndex:
    """This replica's view of the served FAQ: the base matcher, the version in use, the listener."""

    app: FastAPI
    redis_url: str | None = None
    version: str = ""
    entries: int = 0
    loaded_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)

    @property
    def engine(self) -> Engine | None:
        """The app's database engine (set up by the desk)."""
        engine: Engine | None = getattr(self.app.state, "engine", None)
        return engine

    def published_rows(self, session: Session | None = None) -> list[FaqRow]:
        """The published admin entries, oldest first (read in `session` when given)."""
        query = select(FaqRow).where(col(FaqRow.published_version).is_not(None)).order_by(col(FaqRow.id))
        if session is not None:
            return list(session.exec(query))
        if self.engine is None:
            return []
        with Session(self.engine) as own:
            return list(own.exec(query))

    def rebuild(self, session: Session | None = None) -> None:
        """Rebuild this replica's matcher from the database's published entries.

        A request passes its own session: on SQLite a second session would wait for the request's lock.
        """
        with self.lock:
            entries = served_entries(self.published_rows(session), load_bundled().entries)
            matcher: Matcher = self.app.state.matcher
            self.app.state.matcher = matcher.with_entries(entries)
            self.version = fingerprint(entries)
            self.entries = len(entries)
            self.loaded_at = datetime.now(UTC)
        logger.info("FAQ index rebuilt: version %s, %d entries", self.version, self.entries)

    def rebuild_quietly(self, session: Session | None = None) -> None:
        """Rebuild; a database without tables yet (before `db upgrade`) keeps the bundled FAQ."""
        try:
            self.rebuild(session)
        except SQLAlchemyError as exc:
            logger.warning("FAQ index kept the bundled entries: %s", exc.__class__.__name__)
            entries = load_bundled().entries
            self.version, self.entries = fingerprint(entries), len(entries)

    def announce(self) -> None:
        """Tell the other replicas to rebuild; never fails the publish (they also rebuild on restart)."""
        if not self.redis_url:
            return
        try:
            client = redis.Redis.from_url(self.redis_url, socket_connect_timeout=2, socket_timeout=2)
            with client:
                client.publish(CHANNEL, self.version)
        except redis.RedisError as exc:
            logger.warning("FAQ publish not announced on Redis: %s", exc)

    def listen(self) -> None:
        """Start a daemon thread that rebuilds when another replica announces a publish."""
        if self.redis_url:
            threading.Thread(target=self._listen, name="faq-index-listener", daemon=True).start()

    def stop(self) -> None:
        """Stop the listener thread."""
        self._stop.set()

    def _listen(self) -> None:
        assert self.redis_url is not None
        while not self._stop.is_set():
            try:
                client = redis.Redis.from_url(self.redis_url, socket_connect_timeout=2, health_check_interval=30)
                with client, client.pubsub(ignore_subscribe_messages=True) as pubsub:  # type: ignore[no-untyped-call]
                    pubsub.subscribe(CHANNEL)
                    self.rebuild_quietly()  # catch up on publishes missed while not subscribed
                    while not self._stop.is_set():
                        message = pubsub.get_message(timeout=1.0)
                        if message is not None and message.get("data") != self.version.encode():
                            self.rebuild_quietly()
            except redis.RedisError as exc:
                logger.warning("FAQ index listener reconnecting: %s", exc)
                self._stop.wait(2.0)
