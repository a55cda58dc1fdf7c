"""Row factories and helpers for service-desk tests: users with tokens, enterprises, tickets.

Web and bot tests can use them too, e.g. a staff token for the talent queue:

    with Session(engine) as session:
        staff = make_user(session, Role.STAFF, queues=["talent"])
        headers = auth_header(make_token(session, staff))
        session.commit()
"""

from __future__ import annotations

import itertools
import random
from functools import cache

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.auth.models import User
from api.auth.service import create_user, hash_password, issue_token
from api.enterprises.models import Enterprise
from api.enterprises.service import create_enterprise
from api.models import metadata
from api.schema import seed_defaults
from api.table_cache import invalidate_table_caches
from api.tickets.models import Ticket
from api.tickets.service import RequestDraft, submit_request
from common.roles import Role
from common.uscc import ALPHABET, check_character

SERVICE_TOKEN = "test-bot-service-token"
PASSWORD = "correct-horse-9"
_serial = itertools.count(1)


@cache
def password_hash() -> str:
    """The argon2 hash of PASSWORD, computed once per test run."""
    return hash_password(PASSWORD)


def valid_uscc(seed: int | None = None) -> str:
    """A random 统一社会信用代码 with a correct check character."""
    rng = random.Random(seed)
    body = "91" + "".join(rng.choice("0123456789") for _ in range(6)) + "".join(rng.choice(ALPHABET) for _ in range(9))
    return body + check_character(body)


def make_user(
    session: Session,
    role: Role,
    *,
    username: str | None = None,
    queues: list[str] | None = None,
    enterprise: Enterprise | None = None,
    telegram_user_id: int | None = None,
    with_password: bool = False,
) -> User:
    """An account (password PASSWORD when `with_password`), flushed."""
    user = create_user(
        session=session,
        role=role,
        username=username or f"{role.value}-{next(_serial)}",
        password=None,
        queues=queues or [],
        telegram_user_id=telegram_user_id,
    )
    if with_password:
        user.password_hash = password_hash()
    if enterprise is not None:
        user.enterprise_id = enterprise.id
    session.add(user)
    session.flush()
    return user


def make_token(session: Session, user: User) -> str:
    """A bearer token for `user` (added to the session; commit it)."""
    return issue_token(session=session, user=user)


def auth_header(token: str) -> dict[str, str]:
    """`Authorization: Bearer <token>`."""
    return {"Authorization": f"Bearer {token}"}


def bot_header(telegram_user_id: int) -> dict[str, str]:
    """The bot's service token acting for a Telegram user."""
    return {"Authorization": f"Bearer {SERVICE_TOKEN}", "X-Telegram-User-Id": str(telegram_user_id)}


def make_enterprise(session: Session, name: str | None = None) -> Enterprise:
    """A registered enterprise with a valid code."""
    serial = next(_serial)
    return create_enterprise(session=session, name=name or f"测试企业{serial}", uscc=valid_uscc(serial))


def make_ticket(
    session: Session, requester: User, *, category: str | None = "housing", subject: str = "人才公寓申请"
) -> Ticket:
    """A submitted ticket (with its outbox event), flushed."""
    draft = RequestDraft(
        subject=subject, body="申请入住人才公寓，需要哪些材料？", contact="028-12345678", category=category
    )
    ticket, _ = submit_request(session=session, requester=requester, draft=draft, idempotency_key=f"k-{next(_serial)}")
    return ticket


def reset_database(engine: Engine) -> None:
    """Empty every table and seed the default queues and routing again."""
    tables = [t.name for t in reversed(metadata.sorted_tables)]
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # DELETE and resetting sequences is much faster than TRUNCATE on near-empty tables.
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))
            sequences = connection.execute(text("SELECT sequence_name FROM information_schema.sequences"))
            for (sequence,) in sequences.all():
                connection.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART WITH 1'))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))
            has_sequence = connection.execute(text("SELECT name FROM sqlite_master WHERE name='sqlite_sequence'"))
            if has_sequence.first():
                connection.execute(text("DELETE FROM sqlite_sequence"))
    invalidate_table_caches()  # the rows went outside the ORM
    with Session(engine) as session:
        seed_defaults(session)
        session.commit()


# A clause on the bundled measure 11 that the web and bot policy-push tests publish.
HTE_PUSH_CLAUSE = """\
document: sichuan-hitech-zones-draft
clauses:
  - id: m11-hte-priority-pushed
    measure_id: sichuan-hitech-zones-draft#11
    title: 高新技术企业重点支持（推送）
    benefit: 项目、资金重点支持
    lead_unit: 科技厅
    source: 在项目、资金等方面给予高新区内高新技术企业重点支持
    condition:
      all:
        - {fact: zone_level, op: in, value: [national, provincial]}
        - {fact: high_tech_enterprise, op: "==", value: true}
"""
