"""The unanswered log is written in batches off the request path and never loses a question."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from api.db import make_engine
from api.faqs.models import UnansweredQuestion, UnansweredStatus
from api.faqs.unanswered_log import UnansweredLog
from api.main import create_app
from api.schema import prepare_database
from api.settings import Settings
from policy_index.library import PolicyLibrary
from tests.api.conftest import Desk

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _rows(engine: Engine) -> list[tuple[str, int, UnansweredStatus]]:
    with Session(engine) as session:
        rows = session.exec(select(UnansweredQuestion).order_by(UnansweredQuestion.normalized_text)).all()
        return [(row.normalized_text, row.count, row.status) for row in rows]


def test_repeats_are_counted_together_in_one_batch(desk: Desk) -> None:
    log = UnansweredLog(lambda: desk.engine)
    for minute in range(3):
        log.add(text="火星补贴？", normalized_text="火星补贴", now=T0 + dt.timedelta(minutes=minute))
    log.add(text="停车位", normalized_text="停车位", now=T0)
    assert _rows(desk.engine) == []
    assert log.flush() == 2
    assert _rows(desk.engine) == [("停车位", 1, UnansweredStatus.NEW), ("火星补贴", 3, UnansweredStatus.NEW)]
    log.add(text="火星补贴", normalized_text="火星补贴", now=T0 + dt.timedelta(hours=1))
    assert log.flush() == 1
    assert _rows(desk.engine)[1] == ("火星补贴", 4, UnansweredStatus.NEW)
    assert log.flush() == 0


def test_a_failed_write_keeps_the_batch_for_the_next(tmp_path: Path) -> None:
    engine: Engine | None = None
    log = UnansweredLog(lambda: engine)
    log.add(text="火星补贴", normalized_text="火星补贴", now=T0)
    with pytest.raises(RuntimeError):
        log.flush()  # no database yet: nothing is dropped
    log.add(text="火星补贴", normalized_text="火星补贴", now=T0)
    engine = make_engine(f"sqlite:///{tmp_path}/z.db")
    prepare_database(engine)
    assert log.flush() == 1
    assert _rows(engine) == [("火星补贴", 2, UnansweredStatus.NEW)]
    engine.dispose()


def test_shutdown_writes_what_is_queued(desk: Desk) -> None:
    log = UnansweredLog(lambda: desk.engine, interval=3600)  # the timer never fires in this test
    log.start()
    log.add(text="食堂几点开门", normalized_text="食堂几点开门", now=T0)
    log.stop()
    assert _rows(desk.engine) == [("食堂几点开门", 1, UnansweredStatus.NEW)]


def test_the_app_writes_its_queue_on_shutdown(tmp_path: Path, library: PolicyLibrary) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/z.db"), library=library)
    app.state.unanswered_log = UnansweredLog(lambda: app.state.engine, interval=3600)  # only shutdown writes
    with TestClient(app) as client:
        for _ in range(2):
            assert client.post("/api/v1/ask", json={"text": "食堂中午几点开饭"}).json()["confident"] is False
        assert _rows(app.state.engine) == []
    assert [(text, count) for text, count, _ in _rows(app.state.engine)] == [("食堂中午几点开饭", 2)]
    app.state.engine.dispose()
