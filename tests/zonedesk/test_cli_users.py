"""`zonedesk users create|disable|enable|reset-password` on the embedded database."""

from __future__ import annotations

import sys
from collections.abc import Callable
from unittest.mock import patch

import pytest
from sqlmodel import Session, select

from api.auth.models import AuthToken, User
from api.auth.service import issue_token, user_for_token
from api.db import make_engine
from zonedesk.cli import main

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> Run:
    """`zonedesk ARGS --database-url <sqlite_url>` in-process: (exit code, stdout, stderr)."""

    def invoke(*args: str) -> tuple[int, str, str]:
        with patch.object(sys, "argv", ["zonedesk", *args, "--database-url", sqlite_url]):
            try:
                main()
                code = 0
            except SystemExit as exc:
                code = int(exc.code or 0)
        out = capsys.readouterr()
        return code, out.out, out.err

    return invoke


def _token_works(url: str, username: str) -> tuple[str, bool]:
    """Issue a token for `username`; whether it authenticates now."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            user = session.exec(select(User).where(User.username == username)).one()
            token = issue_token(session=session, user=user)
            session.commit()
            return token, user_for_token(session=session, token=token) is not None
    finally:
        engine.dispose()


def _still_works(url: str, token: str) -> bool:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return user_for_token(session=session, token=token) is not None
    finally:
        engine.dispose()


def test_create_refuses_a_common_password_with_a_chinese_message(run: Run) -> None:
    code, _, err = run("users", "create", "--role", "admin", "--username", "root", "--password", "12345678")
    assert code == 2
    assert err.startswith("zonedesk: 错误：密码")


def test_disable_ends_tokens_and_enable_lets_the_account_log_in_again(run: Run, sqlite_url: str) -> None:
    assert run("users", "create", "--role", "staff", "--username", "li", "--password", "violet-harbour-73")[0] == 0
    token, works = _token_works(sqlite_url, "li")
    assert works
    code, out, _ = run("users", "disable", "li")
    assert (code, out.startswith("已停用账号")) == (0, True)
    assert not _still_works(sqlite_url, token)
    assert run("users", "enable", "li")[0] == 0
    assert _token_works(sqlite_url, "li")[1]


def test_reset_password_applies_the_policy_and_revokes_tokens(run: Run, sqlite_url: str) -> None:
    assert run("users", "create", "--role", "staff", "--username", "li", "--password", "violet-harbour-73")[0] == 0
    token, _ = _token_works(sqlite_url, "li")
    code, _, err = run("users", "reset-password", "li", "--password", "1234567890")
    assert code == 2
    assert "密码太常见" in err
    assert _still_works(sqlite_url, token)
    assert run("users", "reset-password", "li", "--password", "amber-lantern-58")[0] == 0
    assert not _still_works(sqlite_url, token)
    engine = make_engine(sqlite_url)
    with Session(engine) as session:
        assert session.exec(select(AuthToken)).all() == []
    engine.dispose()


def test_unknown_account_exits_2(run: Run) -> None:
    code, _, err = run("users", "disable", "nobody")
    assert code == 2
    assert "没有这个账号" in err


def test_a_telegram_id_links_staff_for_the_bot_only_with_the_explicit_flag(run: Run, sqlite_url: str) -> None:
    base = ("users", "create", "--role", "staff", "--password", "violet-harbour-73")
    assert run(*base, "--username", "alerts-only", "--telegram-id", "9001")[0] == 0
    assert run(*base, "--username", "linked", "--telegram-id", "9002", "--telegram-linked")[0] == 0
    assert run(*base, "--username", "no-id", "--telegram-linked")[0] == 2  # nothing to link
    engine = make_engine(sqlite_url)
    try:
        with Session(engine) as session:
            users = {u.username: u for u in session.exec(select(User)).all()}
    finally:
        engine.dispose()
    assert users["alerts-only"].telegram_linked_at is None
    assert users["linked"].telegram_linked_at is not None
    assert "no-id" not in users
