"""Registering enterprises and binding users to them."""

from __future__ import annotations

import hmac
import secrets

from sqlalchemy import func
from sqlmodel import Session, col, select

from api.auth.models import User
from api.auth.throttle import BIND_PER_USER, Throttle
from api.domain_errors import Conflict, Forbidden, InvalidInput, NotFound
from api.enterprises import messages
from api.enterprises.models import Enterprise
from common.roles import Role
from common.uscc import normalise_uscc, uscc_problem


class InvalidUscc(InvalidInput):
    """The 统一社会信用代码 is malformed or its check character is wrong."""


class EnterpriseExists(Conflict):
    """An enterprise with that code is already registered."""


class BindingRefused(NotFound):
    """No enterprise matches that code and binding code (404: do not reveal which part was wrong)."""


def valid_uscc(code: str) -> str:
    """The normalised code, or InvalidUscc."""
    code = normalise_uscc(code)
    problem = uscc_problem(code)
    if problem:
        raise InvalidUscc(problem)
    return code


def create_enterprise(*, session: Session, name: str, uscc: str) -> Enterprise:
    """Register an enterprise; its binding code is handed to the enterprise out of band."""
    code = valid_uscc(uscc)
    if session.exec(select(Enterprise.id).where(Enterprise.uscc == code)).first() is not None:
        raise EnterpriseExists(messages.ENTERPRISE_EXISTS.format(code=code))
    enterprise = Enterprise(name=name.strip(), uscc=code, binding_code=secrets.token_hex(8).upper())
    session.add(enterprise)
    session.flush()
    return enterprise


def list_enterprises(*, session: Session, limit: int, offset: int) -> tuple[list[Enterprise], int]:
    """A page of enterprises by name."""
    total = session.exec(select(func.count()).select_from(Enterprise)).one()
    statement = select(Enterprise).order_by(col(Enterprise.name)).offset(offset).limit(limit)
    return list(session.exec(statement).all()), int(total)


def bind_user(*, session: Session, throttle: Throttle, user: User, uscc: str, binding_code: str) -> Enterprise:
    """Bind an enterprise user to the enterprise whose code and binding code they present (failures throttled)."""
    if user.role != Role.ENTERPRISE:
        raise Forbidden(messages.ONLY_ENTERPRISE_USERS_BIND)
    key = str(user.id)
    throttle.check([(BIND_PER_USER, key)], messages.TOO_MANY_BINDINGS)
    code = valid_uscc(uscc)
    enterprise = session.exec(select(Enterprise).where(Enterprise.uscc == code)).first()
    if enterprise is None or not hmac.compare_digest(enterprise.binding_code, binding_code.strip().upper()):
        throttle.fail(BIND_PER_USER, key)
        raise BindingRefused(messages.BINDING_REFUSED)
    user.enterprise_id = enterprise.id
    session.add(user)
    return enterprise


def enterprise_of(*, session: Session, user: User) -> Enterprise | None:
    """The enterprise a user is bound to."""
    return session.get(Enterprise, user.enterprise_id) if user.enterprise_id is not None else None
