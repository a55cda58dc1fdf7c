"""Routing and the calendar are cached per process, yet a committed change is seen at once."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from api.calendar.service import load_calendar, replace_year
from api.queues.models import Queue
from api.queues.service import UnknownCategory, create_queue, current_routing, route_category, set_rule
from api.table_cache import TableCache
from tests.api.conftest import Desk

FUTURE_YEAR = 2031


def test_a_committed_routing_change_is_routed_at_once(desk: Desk) -> None:
    with desk.session() as session:
        assert route_category(session=session, category="housing")[1].key != "visa"
    with desk.session() as session:
        create_queue(session=session, key="visa", name="签证", department="外事", sla_hours=8)
        set_rule(session=session, category="housing", queue_key="visa", name=None)
        session.commit()
    with desk.session() as session:
        rule, queue = route_category(session=session, category="housing")
        assert (rule.category, queue.key, queue.sla_hours) == ("housing", "visa", 8)
        assert current_routing(session=session).queues[queue.id or 0].key == "visa"


def test_a_transaction_sees_its_own_uncommitted_routing_and_others_do_not(desk: Desk) -> None:
    with desk.session() as writer:
        create_queue(session=writer, key="visa", name="签证", department="外事", sla_hours=8)
        set_rule(session=writer, category="housing", queue_key="visa", name=None)
        assert route_category(session=writer, category="housing")[1].key == "visa"
        with desk.session() as reader:
            assert route_category(session=reader, category="housing")[1].key != "visa"
        writer.rollback()
    with desk.session() as session:
        assert route_category(session=session, category="housing")[1].key != "visa"


def test_a_bulk_calendar_change_is_seen_at_once(desk: Desk) -> None:
    holiday = dt.date(FUTURE_YEAR, 3, 4)  # a Tuesday
    with desk.session() as session:
        assert load_calendar(session=session).is_workday(holiday)[0] is True
    with desk.session() as session:
        replace_year(session=session, year=FUTURE_YEAR, holidays=[holiday], workdays=[])
        session.commit()
    with desk.session() as session:
        assert load_calendar(session=session).is_workday(holiday)[0] is False
    with desk.session() as session:
        replace_year(session=session, year=FUTURE_YEAR, holidays=[], workdays=[])  # a bulk DELETE, then nothing
        session.commit()
    with desk.session() as session:
        assert load_calendar(session=session).is_workday(holiday)[0] is True


def test_another_replicas_change_is_seen_after_the_ttl(desk: Desk) -> None:
    now = [0.0]
    cache = TableCache((Queue,), lambda session: len(session.exec(select(Queue)).all()), ttl=5, clock=lambda: now[0])
    with desk.session() as session:
        before = cache.get(session)
    with desk.engine.begin() as connection:  # written outside this process's ORM, as another replica would
        connection.exec_driver_sql(
            "INSERT INTO queues (key, name, department, sla_hours) VALUES ('visa', '签证', '外事', 8)"
        )
    with Session(desk.engine) as session:
        assert cache.get(session) == before
        now[0] = 5.1
        assert cache.get(session) == before + 1


@pytest.mark.parametrize("category", ["", "no-such-category"])
def test_an_unknown_category_is_still_refused(desk: Desk, category: str) -> None:
    with desk.session() as session, pytest.raises(UnknownCategory):
        route_category(session=session, category=category)
