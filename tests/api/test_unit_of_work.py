"""The transaction policy: reads take no write lock, only a unit of work commits, and lock-free work
(category suggestion, argon2) runs before the write transaction begins."""

from __future__ import annotations

import ast
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
from argon2 import PasswordHasher
from fastapi import APIRouter, Depends, Request
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from api.auth import service as auth_service
from api.auth.models import User
from api.deps import AdminUser, DbDep, UnitOfWorkDep, get_engine, get_session
from api.domain_errors import Conflict
from api.queues.models import Queue
from api.tickets import service as ticket_service
from api.unit_of_work import UnitOfWork
from common.roles import Role
from tests.api.conftest import Desk
from tests.factories import PASSWORD, auth_header, bot_header, make_ticket, make_token, make_user

REQUEST = {"subject": "住房", "body": "人才公寓怎么申请？", "contact": "张女士"}


def write_lock_free(engine: Engine) -> bool:
    """Whether another connection could take SQLite's write lock right now (no waiting)."""
    probe = sqlite3.connect(str(engine.url.database), timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()


@pytest.fixture
def request_sessions(desk: Desk) -> Iterator[list[Session]]:
    """The sessions the app's requests get, recorded while the test runs."""
    sessions: list[Session] = []

    async def recording(request: Request, engine: Annotated[Engine, Depends(get_engine)]) -> AsyncIterator[Session]:
        async for session in get_session(request, engine):
            sessions.append(session)
            yield session

    desk.app.dependency_overrides[get_session] = recording
    try:
        yield sessions
    finally:
        del desk.app.dependency_overrides[get_session]


def wrap(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, after: Callable[[], None]) -> None:
    """Make `owner.name` call `after()` once the original has run."""
    original = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        after()
        return result

    monkeypatch.setattr(owner, name, wrapper)


def test_an_open_read_does_not_block_a_sqlite_writer(sqlite_desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    with sqlite_desk.session() as session:
        requester = make_user(session, Role.ENTERPRISE)
        make_ticket(session, requester)
        headers = auth_header(make_token(session, requester))
        session.commit()
    free: list[bool] = []
    wrap(monkeypatch, ticket_service, "list_requests", lambda: free.append(write_lock_free(sqlite_desk.engine)))
    response = sqlite_desk.client.get("/api/v1/requests", headers=headers)
    assert response.status_code == 200
    assert response.json()["total"] == 1
    assert free == [True]


def test_a_write_holds_the_sqlite_write_lock_until_it_commits(
    sqlite_desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite_desk.session() as session:
        number = make_ticket(session, make_user(session, Role.ENTERPRISE)).number
        headers = auth_header(make_token(session, make_user(session, Role.STAFF, queues=["talent"])))
        session.commit()
    free: list[bool] = []
    wrap(monkeypatch, ticket_service, "claim_ticket", lambda: free.append(write_lock_free(sqlite_desk.engine)))
    assert sqlite_desk.client.post(f"/api/v1/tickets/{number}/claim", headers=headers).status_code == 200
    assert free == [False]
    assert write_lock_free(sqlite_desk.engine)


def test_the_category_is_suggested_before_the_write_transaction_begins(
    desk: Desk, request_sessions: list[Session]
) -> None:
    seen: list[tuple[bool, bool]] = []

    def suggest(_text: str) -> str | None:
        in_transaction = any(session.in_transaction() for session in request_sessions)
        lock_free = desk.backend != "sqlite" or write_lock_free(desk.engine)
        seen.append((in_transaction, lock_free))
        return "housing"

    desk.app.state.category_suggester = suggest
    try:
        response = desk.client.post(
            "/api/v1/requests", json=REQUEST, headers={**bot_header(901), "Idempotency-Key": "k"}
        )
    finally:
        desk.app.state.category_suggester = lambda _text: None
    assert response.status_code == 201
    assert response.json()["category"] == "housing"
    assert seen == [(False, True)]


def test_the_password_is_checked_before_the_login_takes_the_write_lock(
    sqlite_desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite_desk.session() as session:
        make_user(session, Role.STAFF, username="li", with_password=True)
        session.commit()
    free: list[bool] = []

    class SpyHasher(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
            free.append(write_lock_free(sqlite_desk.engine))
            return super().verify(hash, password)

    monkeypatch.setattr(auth_service, "_hasher", SpyHasher())
    response = sqlite_desk.client.post("/api/v1/auth/login", json={"username": "li", "password": PASSWORD})
    assert response.status_code == 200
    assert free == [True]


test_router = APIRouter(prefix="/api/v1/test-uow")


class PartialConflict(Conflict):
    """Raised after a flushed write."""


def leak_a_queue(session: DbDep) -> None:
    """A faulty dependency: it adds a row and leaves it for someone else to commit."""
    session.add(Queue(key="leaked", name="泄漏", department="测试"))


@test_router.post("/partial")
def write_then_refuse(uow: UnitOfWorkDep) -> None:
    """Write and flush a row, then refuse with a domain error (409)."""
    with uow as session:
        session.add(Queue(key="partial", name="半截", department="测试"))
        session.flush()
        raise PartialConflict("冲突 (conflict)")


@test_router.post("/leaky", dependencies=[Depends(leak_a_queue)])
def admin_only(_admin: AdminUser) -> None:
    """Never reached by staff: the admin check refuses after the leaky dependency ran."""


@pytest.fixture
def uow_desk(desk: Desk) -> Desk:
    """The desk with the test routes above."""
    if not getattr(desk.app.state, "uow_test_routes", False):
        desk.app.include_router(test_router)
        desk.app.state.uow_test_routes = True
    return desk


def queue_keys(desk: Desk) -> set[str]:
    with desk.session() as session:
        return set(session.exec(select(Queue.key)).all())


def test_a_domain_error_inside_the_unit_leaves_no_partial_write(uow_desk: Desk) -> None:
    response = uow_desk.client.post("/api/v1/test-uow/partial")
    assert response.status_code == 409
    assert "partial" not in queue_keys(uow_desk)


def test_a_refused_request_commits_nothing_its_dependencies_added(uow_desk: Desk) -> None:
    with uow_desk.session() as session:
        headers = auth_header(make_token(session, make_user(session, Role.STAFF, queues=["talent"])))
        session.commit()
    response = uow_desk.client.post("/api/v1/test-uow/leaky", headers=headers)
    assert response.status_code == 403
    assert "leaked" not in queue_keys(uow_desk)


def test_a_first_seen_telegram_user_is_created_by_a_write_not_a_read(desk: Desk) -> None:
    response = desk.client.get("/api/v1/auth/me", headers=bot_header(902))
    assert response.status_code == 200
    assert response.json()["role"] == "enterprise"
    with desk.session() as session:  # issue 15: probing ids through reads fills no table
        assert session.exec(select(User).where(User.telegram_user_id == 902)).first() is None
    body = {"uscc": "914403001922038216", "binding_code": "unknown"}
    assert desk.client.post("/api/v1/auth/bind", headers=bot_header(902), json=body).status_code == 404
    with desk.session() as session:  # created in its own unit: it stays although the route refused
        assert session.exec(select(User).where(User.telegram_user_id == 902)).one()


def test_a_unit_commits_once_on_a_clean_exit_and_runs_once(sqlite_desk: Desk) -> None:
    with sqlite_desk.session() as session:
        uow = UnitOfWork(session)
        with uow:
            session.add(Queue(key="kept", name="保留", department="测试"))
        assert uow.committed
        with pytest.raises(RuntimeError), uow:
            pass
    assert "kept" in queue_keys(sqlite_desk)


def test_changes_made_before_a_unit_began_are_refused_not_committed(sqlite_desk: Desk) -> None:
    with sqlite_desk.session() as session:
        session.add(Queue(key="early", name="过早", department="测试"))
        with pytest.raises(RuntimeError), UnitOfWork(session):
            pass
        with UnitOfWork(session):
            session.add(Queue(key="inside", name="内部", department="测试"))
    assert queue_keys(sqlite_desk) & {"early", "inside"} == {"inside"}


# The migration runner commits its own Alembic connection; nothing else may commit but a unit of work.
COMMITTERS = {Path("api/unit_of_work.py"), Path("api/schema.py")}


def test_only_the_unit_of_work_commits() -> None:
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for package in ("api", "web", "zonedesk"):
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root)
            if relative in COMMITTERS or "migrations" in relative.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "commit":
                    offenders.append(f"{relative}:{node.lineno}")
    assert offenders == []
