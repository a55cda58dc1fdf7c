"""What `zonedesk ask` answers from: the SQLite database's library, kept in the data directory by its key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.db import make_engine
from api.faqs.models import FaqEntry as FaqRow
from api.policy.service import bump_revision
from api.schema import prepare_database
from api.unit_of_work import UnitOfWork
from faq.bundled import load_bundled
from zonedesk.cli import served
from zonedesk.cli.served import ask_matcher

QUESTION = "园区食堂几点开门"


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """A migrated SQLite database the CLI is configured with (no .env in the working directory)."""
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'zonedesk.db'}"
    monkeypatch.setenv("ZONEDESK_DATABASE_URL", url)
    engine = make_engine(url)
    prepare_database(engine)
    yield engine
    engine.dispose()


def _publish(engine: Engine) -> None:
    with Session(engine) as session, UnitOfWork(session):
        session.add(
            FaqRow(
                question=QUESTION, answer="早七点", measure_ids=["sichuan-hitech-zones-draft#3"], published_version=1
            )
        )
        bump_revision(session)


def _unreachable(url: str) -> None:
    raise AssertionError(f"read the database {url}")


def test_an_admin_faq_entry_is_served_by_the_next_ask(database: Engine) -> None:
    before = ask_matcher()
    assert QUESTION not in {entry.question for entry in before.entries}
    _publish(database)
    after = ask_matcher()
    assert [entry.question for entry in after.entries if entry.id.startswith("db-")] == [QUESTION]
    assert after.match(QUESTION).matches[0].measure_id == "sichuan-hitech-zones-draft#3"


def test_a_kept_snapshot_answers_until_the_revision_moves(database: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    first = ask_matcher()
    monkeypatch.setattr(served, "_database_inputs", _unreachable)
    kept = ask_matcher()
    assert (kept.documents, kept.entries) == (first.documents, first.entries)
    _publish(database)
    with pytest.raises(AssertionError, match="read the database"):
        ask_matcher()  # a new key: never the stale snapshot


def test_without_a_database_file_the_bundled_library_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ZONEDESK_DATABASE_URL", f"sqlite:///{tmp_path / 'absent.db'}")
    monkeypatch.setattr(served, "_database_inputs", _unreachable)
    matcher = ask_matcher()
    assert matcher.entries == load_bundled().entries
    assert not (tmp_path / "absent.db").exists()
