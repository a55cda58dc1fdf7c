"""Who sees which events: the Python rule and its SQL form agree; each role's view."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from outbox_helpers import emit_event
from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, col, delete, select

from api.events.models import OutboxEvent
from api.events.stream import read_after
from api.events.viewer import Viewer, may_see, visible_to
from common.roles import Role

QUEUES = ["talent", "foreign-talent", "approvals", "front-desk"]

events_st = st.lists(
    st.builds(
        dict,
        queue_key=st.sampled_from([*QUEUES, None]),
        enterprise_id=st.sampled_from([None, 1, 2]),
        requester_id=st.sampled_from([None, 10, 11, 12]),
        internal=st.booleans(),
    ),
    max_size=25,
)
viewers_st = st.builds(
    Viewer,
    role=st.sampled_from(list(Role)),
    user_id=st.sampled_from([10, 11, 12]),
    enterprise_id=st.sampled_from([None, 1, 2]),
    queue_keys=st.frozensets(st.sampled_from(QUEUES)),
)

_memory = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
SQLModel.metadata.create_all(_memory, tables=[OutboxEvent.__table__])  # type: ignore[list-item]


@settings(max_examples=150, deadline=None)
@given(rows=events_st, viewer=viewers_st)
def test_sql_filter_selects_exactly_what_may_see_allows(rows: list[dict[str, object]], viewer: Viewer) -> None:
    with Session(_memory) as session:
        session.exec(delete(OutboxEvent))  # type: ignore[call-overload]
        events = [
            OutboxEvent(type="ticket.created", ticket_number=f"ZD-{i:06d}", status="new", **r)
            for i, r in enumerate(rows)
        ]  # type: ignore[arg-type]
        session.add_all(events)
        session.commit()
        expected = {e.id for e in events if may_see(viewer, e)}
        got = set(session.exec(select(OutboxEvent.id).where(visible_to(viewer))).all())
    assert got == expected


def _seed(engine: Engine) -> dict[str, int]:
    return {
        "talent_public": emit_event(engine, number="ZD-000001", queue_key="talent", enterprise_id=1, requester_id=10),
        "talent_internal": emit_event(
            engine,
            number="ZD-000001",
            type="ticket.message",
            queue_key="talent",
            enterprise_id=1,
            requester_id=10,
            internal=True,
        ),
        "approvals_other_firm": emit_event(
            engine, number="ZD-000002", queue_key="approvals", enterprise_id=2, requester_id=20
        ),
        "colleague_same_firm": emit_event(
            engine, number="ZD-000003", queue_key="approvals", enterprise_id=1, requester_id=11
        ),
        "unbound_own": emit_event(
            engine, number="ZD-000004", queue_key="front-desk", enterprise_id=None, requester_id=12
        ),
    }


def _visible(engine: Engine, viewer: Viewer) -> list[int]:
    return [e.id for e in read_after(engine, viewer=viewer, cursor=0).events if e.id is not None]


def test_admin_sees_every_event(engine: Engine) -> None:
    ids = _seed(engine)
    assert _visible(engine, Viewer(role=Role.ADMIN, user_id=1)) == sorted(ids.values())


def test_staff_see_their_queues_internal_notes_included_and_no_other_queue(engine: Engine) -> None:
    ids = _seed(engine)
    staff = Viewer(role=Role.STAFF, user_id=2, queue_keys=frozenset({"talent"}))
    assert _visible(engine, staff) == [ids["talent_public"], ids["talent_internal"]]


def test_staff_without_queues_see_nothing(engine: Engine) -> None:
    _seed(engine)
    assert _visible(engine, Viewer(role=Role.STAFF, user_id=2)) == []


def test_bound_enterprise_user_sees_the_firms_tickets_but_never_internal_notes(engine: Engine) -> None:
    ids = _seed(engine)
    user = Viewer(role=Role.ENTERPRISE, user_id=10, enterprise_id=1)
    assert _visible(engine, user) == [ids["talent_public"], ids["colleague_same_firm"]]


def test_unbound_enterprise_user_sees_only_own_requests(engine: Engine) -> None:
    ids = _seed(engine)
    assert _visible(engine, Viewer(role=Role.ENTERPRISE, user_id=12)) == [ids["unbound_own"]]
    assert _visible(engine, Viewer(role=Role.ENTERPRISE, user_id=10)) == [ids["talent_public"]]


def test_cursor_moves_past_events_the_viewer_may_not_see(engine: Engine) -> None:
    ids = _seed(engine)
    batch = read_after(engine, viewer=Viewer(role=Role.STAFF, user_id=2), cursor=0)
    with Session(engine) as session:
        assert session.exec(select(col(OutboxEvent.id)).order_by(col(OutboxEvent.id).desc())).first() == batch.cursor
    assert batch.cursor == max(ids.values())
    assert not batch.more
