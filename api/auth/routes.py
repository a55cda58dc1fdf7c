"""Routes: /api/v1/auth/login, /logout, /me and /bind."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from api.auth.schemas import BindIn, LoginIn, MeOut, TokenOut, UserIn, UserList, UserOut
from api.auth.service import create_user, hash_password, list_users, log_in, record_login, revoke_token
from api.deps import (
    ClientAddress,
    CurrentUser,
    DbDep,
    EnterpriseActor,
    ThrottleDep,
    UnitOfWorkDep,
    bearer_token,
    get_admin_user,
)
from api.enterprises.service import bind_user, enterprise_of
from api.pagination import Limit, Offset
from api.queues.service import visible_queues
from api.routing import SessionReleasingRoute
from common.roles import Role

router = APIRouter(prefix="/auth", tags=["auth"], route_class=SessionReleasingRoute)


@router.post("/login", response_model=TokenOut)
def login(body: LoginIn, uow: UnitOfWorkDep, throttle: ThrottleDep, address: ClientAddress) -> TokenOut:
    """Exchange a username and password for a bearer token (429 after too many failures)."""
    checked = log_in(
        session=uow.session, throttle=throttle, username=body.username, password=body.password, address=address
    )  # argon2 before the write lock
    with uow as session:
        token = record_login(session=session, login=checked)
    return TokenOut(access_token=token, role=checked.user.role)


@router.post("/logout", status_code=204)
def logout(request: Request, user: CurrentUser, uow: UnitOfWorkDep) -> Response:
    """Revoke the bearer token of this request."""
    token = bearer_token(request)
    if token and user.username is not None:
        with uow as session:
            revoke_token(session=session, token=token)
    return Response(status_code=204)


def _me(session: DbDep, user: CurrentUser) -> MeOut:
    queues = [q.key for q in visible_queues(session=session, user=user)] if user.role != Role.ENTERPRISE else []
    return MeOut.of(user, enterprise_of(session=session, user=user), queues)


@router.get("/me", response_model=MeOut)
def me(user: CurrentUser, session: DbDep) -> MeOut:
    """The caller's account, enterprise and queues."""
    return _me(session, user)


@router.post("/bind", response_model=MeOut)
def bind(body: BindIn, user: EnterpriseActor, uow: UnitOfWorkDep, throttle: ThrottleDep) -> MeOut:
    """Bind the calling enterprise user to an enterprise (统一社会信用代码 + binding code; 429 after failures)."""
    with uow as session:
        bind_user(session=session, throttle=throttle, user=user, uscc=body.uscc, binding_code=body.binding_code)
    return _me(uow.session, user)


admin_router = APIRouter(
    prefix="/admin/users", tags=["admin"], dependencies=[Depends(get_admin_user)], route_class=SessionReleasingRoute
)


@admin_router.post("", response_model=UserOut, status_code=201)
def create_account(body: UserIn, uow: UnitOfWorkDep) -> UserOut:
    """Create a staff, admin or enterprise account with a password."""
    hashed = hash_password(body.password) if body.password else None  # argon2 before the write lock
    with uow as session:
        user = create_user(
            session=session,
            role=body.role,
            username=body.username,
            password=body.password,
            password_hash=hashed,
            queues=body.queues,
            display_name=body.display_name,
            telegram_user_id=body.telegram_user_id,
        )
    return UserOut.model_validate(user, from_attributes=True)


@admin_router.get("", response_model=UserList)
def list_accounts(session: DbDep, limit: Limit = 50, offset: Offset = 0) -> UserList:
    """Accounts by role and username."""
    users, total = list_users(session=session, limit=limit, offset=offset)
    return UserList(items=[UserOut.model_validate(u, from_attributes=True) for u in users], total=total)
