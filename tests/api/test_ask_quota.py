"""Anonymous /ask cannot fill the unanswered log: at most UNANSWERED_PER_ASKER entries per asker per window."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select

from api.auth.throttle import UNANSWERED_PER_ASKER
from api.faqs.models import UnansweredQuestion
from tests.api.conftest import Desk
from tests.factories import bot_header

ASK = "/api/v1/ask"


def _logged(desk: Desk) -> int:
    desk.app.state.unanswered_log.flush()
    with desk.session() as session:
        return int(session.exec(select(func.coalesce(func.sum(UnansweredQuestion.count), 0))).one())


def _unanswerable(n: int) -> str:
    return f"火星第{n}号殖民地的停车位怎么预约"


def test_one_address_logs_at_most_its_quota_and_still_gets_answers(sqlite_desk: Desk) -> None:
    quota = UNANSWERED_PER_ASKER.attempts
    for n in range(quota + 5):
        response = sqlite_desk.client.post(ASK, json={"text": _unanswerable(n)})
        assert response.status_code == 200
        assert response.json()["confident"] is False
    assert _logged(sqlite_desk) == quota
    # A made-up bearer token does not buy a fresh quota.
    sqlite_desk.client.post(ASK, json={"text": _unanswerable(999)}, headers={"Authorization": "Bearer made-up"})
    assert _logged(sqlite_desk) == quota


def test_bot_users_behind_one_address_have_a_quota_each(sqlite_desk: Desk) -> None:
    quota = UNANSWERED_PER_ASKER.attempts
    for n in range(quota):
        sqlite_desk.client.post(ASK, json={"text": _unanswerable(n)}, headers=bot_header(1001))
    assert _logged(sqlite_desk) == quota
    sqlite_desk.client.post(ASK, json={"text": _unanswerable(0)}, headers=bot_header(1001))
    sqlite_desk.client.post(ASK, json={"text": _unanswerable(0)}, headers=bot_header(1002))
    assert _logged(sqlite_desk) == quota + 1
