"""SLA due times on the Chinese calendar: 调休, holidays, unpublished years and the paused clock."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, delete, select

from api.calendar.service import load_calendar, replace_year
from api.calendar.worktime import BEIJING, WorkCalendar, add_working_minutes, working_minutes_between
from api.guides.models import CategoryGuide
from api.tickets.models import Ticket
from api.tickets.service import RequestDraft, add_enterprise_message, ask_enterprise, claim_ticket, submit_request
from common.roles import Role
from tests.api.conftest import Desk
from tests.factories import auth_header, make_token, make_user

HOUR = 60


def beijing(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BEIJING)


def test_adjusted_saturday_workday_counts() -> None:
    # 2026-10-10 is a Saturday worked in exchange for the National Day break (调休).
    due = add_working_minutes(WorkCalendar(), beijing(2026, 10, 9, 16, 0), 8 * HOUR)
    assert due.due_at == beijing(2026, 10, 10, 16, 0)
    assert not due.estimated


def test_ordinary_saturday_is_skipped() -> None:
    due = add_working_minutes(WorkCalendar(), beijing(2026, 11, 27, 16, 0), 8 * HOUR)
    assert due.due_at == beijing(2026, 11, 30, 16, 0)


def test_national_day_holiday_is_skipped() -> None:
    # Wed Sep 30 16:00 + 8h: one hour that day, Oct 1–7 off, the other seven on Thu Oct 8.
    due = add_working_minutes(WorkCalendar(), beijing(2026, 9, 30, 16, 0), 8 * HOUR)
    assert due.due_at == beijing(2026, 10, 8, 16, 0)


def test_submitted_before_opening_starts_at_nine() -> None:
    due = add_working_minutes(WorkCalendar(), beijing(2026, 11, 25, 7, 30), 2 * HOUR)
    assert due.due_at == beijing(2026, 11, 25, 11, 0)


def test_late_december_runs_into_unpublished_year_as_an_estimate() -> None:
    # 2026-12-30 (Wed) 10:00 + 24 working hours: Dec 30 (7h), Dec 31 (8h), then 2027, which
    # chinese_calendar does not know: Fri Jan 1 counts as a plain weekday (8h), the last hour on Mon Jan 4.
    due = add_working_minutes(WorkCalendar(), beijing(2026, 12, 30, 10, 0), 24 * HOUR)
    assert due.due_at == beijing(2027, 1, 4, 10, 0)
    assert due.estimated_years == (2027,)


def test_admin_loaded_holidays_move_the_estimate() -> None:
    calendar = WorkCalendar({dt.date(2027, 1, 1): False})
    due = add_working_minutes(calendar, beijing(2026, 12, 30, 10, 0), 24 * HOUR)
    assert due.due_at == beijing(2027, 1, 5, 10, 0)
    assert due.estimated


def test_working_minutes_between_spans_days() -> None:
    minutes = working_minutes_between(WorkCalendar(), beijing(2026, 11, 27, 16, 0), beijing(2026, 11, 30, 10, 0))
    assert minutes == 2 * HOUR


def _promise(session: Session, category: str, days: int) -> None:
    """Set a category's 承诺时限 (new tickets are due that many working days later)."""
    guide = session.exec(select(CategoryGuide).where(CategoryGuide.category == category)).one()
    guide.promised_days = days
    session.add(guide)


def test_late_december_ticket_is_marked_estimated_with_a_chinese_note(desk: Desk) -> None:
    with desk.session() as session:
        _promise(session, "work_permit", 3)
        requester = make_user(session, Role.ENTERPRISE)
        draft = RequestDraft(subject="外国人工作许可", body="…", contact="…", category="work_permit")
        ticket, _ = submit_request(
            session=session, requester=requester, draft=draft, idempotency_key="dec", now=beijing(2026, 12, 30, 10, 0)
        )
        session.commit()
    assert ticket.sla_estimated
    assert ticket.sla_due_at == beijing(2027, 1, 4, 10, 0)
    assert ticket.sla_note is not None
    assert ticket.sla_note.startswith("2027年节假日安排尚未发布")
    assert "管理员尚未录入" in ticket.sla_note


def test_admin_loaded_year_is_used_for_new_tickets(desk: Desk) -> None:
    with desk.session() as session:
        replace_year(session=session, year=2027, holidays=[dt.date(2027, 1, 1)], workdays=[])
        _promise(session, "work_permit", 3)
        requester = make_user(session, Role.ENTERPRISE)
        draft = RequestDraft(subject="工作许可", body="…", contact="…", category="work_permit")
        ticket, _ = submit_request(
            session=session, requester=requester, draft=draft, idempotency_key="dec", now=beijing(2026, 12, 30, 10, 0)
        )
        session.commit()
    assert ticket.sla_due_at == beijing(2027, 1, 5, 10, 0)
    assert ticket.sla_note is not None
    assert "管理员录入的节假日" in ticket.sla_note


def test_a_category_without_a_guide_is_due_in_its_queues_sla_hours(desk: Desk) -> None:
    with desk.session() as session:
        session.exec(delete(CategoryGuide).where(col(CategoryGuide.category) == "other"))
        requester = make_user(session, Role.ENTERPRISE)
        draft = RequestDraft(subject="咨询", body="…", contact="…", category="other")  # front-desk: 8 hours
        ticket, _ = submit_request(
            session=session, requester=requester, draft=draft, idempotency_key="o", now=beijing(2026, 11, 23, 9, 0)
        )
        session.commit()
    assert ticket.sla_due_at == beijing(2026, 11, 23, 17, 0)


def test_calendar_route_refuses_a_published_year(desk: Desk) -> None:
    with desk.session() as session:
        admin = make_user(session, Role.ADMIN)
        headers = auth_header(make_token(session, admin))
        session.commit()
    refused = desk.client.put("/api/v1/admin/calendar/2026", json={"holidays": ["2026-01-05"]}, headers=headers)
    assert refused.status_code == 422
    loaded = desk.client.put(
        "/api/v1/admin/calendar/2027", json={"holidays": ["2027-01-01"], "workdays": ["2027-02-06"]}, headers=headers
    )
    assert loaded.json() == {"year": 2027, "holidays": ["2027-01-01"], "workdays": ["2027-02-06"]}
    with desk.session() as session:
        assert load_calendar(session=session).is_workday(dt.date(2027, 2, 6)) == (True, True)


def test_clock_pauses_while_waiting_for_the_enterprise(desk: Desk) -> None:
    with desk.session() as session:
        requester = make_user(session, Role.ENTERPRISE)
        staff = make_user(session, Role.STAFF, queues=["talent"])
        _promise(session, "housing", 2)  # 16 working hours
        draft = RequestDraft(subject="人才住房", body="…", contact="…", category="housing")
        ticket, _ = submit_request(
            session=session, requester=requester, draft=draft, idempotency_key="p", now=beijing(2026, 11, 23, 9, 0)
        )
        assert ticket.sla_due_at == beijing(2026, 11, 24, 17, 0)
        claim_ticket(session=session, ticket=ticket, staff=staff)
        # Asked for documents after 4 working hours: 12 remain, whatever the enterprise's delay.
        ask_enterprise(
            session=session, ticket=ticket, staff=staff, version=2, body="请补充", now=beijing(2026, 11, 23, 13, 0)
        )
        assert (ticket.sla_due_at, ticket.sla_remaining_minutes) == (None, 12 * HOUR)
        session.commit()
    with desk.session() as session:
        ticket = session.exec(select(Ticket)).one()
        requester_row = session.get(type(requester), requester.id)
        assert requester_row is not None
        # Answered two days later, Wed 10:00: the 12 hours run from then (Wed 7h + Thu 5h).
        add_enterprise_message(
            session=session, ticket=ticket, author=requester_row, body="已补充", now=beijing(2026, 11, 25, 10, 0)
        )
        session.commit()
    assert (ticket.status, ticket.sla_remaining_minutes) == ("claimed", None)
    assert ticket.sla_due_at == beijing(2026, 11, 26, 14, 0)
