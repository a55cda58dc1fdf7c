"""Routes: /api/v1/auth (login, logout, password, me, bind, Telegram link) and /api/v1/admin/users."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi import Path as PathParam

from api.auth.schemas import (
    BindIn,
    LinkCodeOut,
    LoginIn,
    MeOut,
    PasswordChangeIn,
    PasswordResetIn,
    TelegramLinkIn,
    TokenOut,
    UserIn,
    UserList,
    UserOut,
)
from api.auth.service import (
    check_current_password,
    create_user,
    find_user,
    hash_password,
    issue_link_code,
    link_telegram,
    list_users,
    log_in,
    new_password_hash,
    record_login,
    revoke_all_tokens,
    revoke_token,
    set_active,
    set_password,
)
from api.deps import (
    AdminUser,
    BotTelegramUserId,
    ClientAddress,
    CurrentUser,
    DbDep,
    EnterpriseActor,
    StaffUser,
    ThrottleDep,
    UnitOfWorkDep,
    bearer_token,
    get_admin_user,
)
from api.enterprises.service import bind_user, enterprise_of
from api.pagination import Limit, Offset
from api.queues.service import supervised_queue_ids, visible_queues
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


@router.post("/password", status_code=204)
def change_own_password(
    body: PasswordChangeIn, request: Request, user: CurrentUser, uow: UnitOfWorkDep, throttle: ThrottleDep
) -> Response:
    """Change the caller's password (the current one required); every other session of theirs ends."""
    check_current_password(throttle=throttle, user=user, current=body.current_password)  # argon2 before the lock
    hashed = new_password_hash(body.new_password, username=user.username)
    with uow as session:
        set_password(session=session, user=user, password_hash=hashed, keep=bearer_token(request))
    return Response(status_code=204)


@router.post("/revoke-all", status_code=204)
def revoke_all(user: CurrentUser, uow: UnitOfWorkDep) -> Response:
    """End every session of the caller, this one included (e.g. after a lost phone)."""
    with uow as session:
        revoke_all_tokens(session=session, user=user)
    return Response(status_code=204)


def _me(session: DbDep, user: CurrentUser) -> MeOut:
    if user.role == Role.ENTERPRISE:
        return MeOut.of(user, enterprise_of(session=session, user=user), [])
    queues = visible_queues(session=session, user=user)
    supervised = set(supervised_queue_ids(session=session, user=user))
    supervises = [q.key for q in queues if q.id in supervised]
    return MeOut.of(user, enterprise_of(session=session, user=user), [q.key for q in queues], supervises)


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


@router.post("/telegram-code", response_model=LinkCodeOut, status_code=201)
def telegram_code(user: StaffUser, uow: UnitOfWorkDep) -> LinkCodeOut:
    """A one-time code (10 minutes) that links the staff member's Telegram id when sent to the bot (`/link CODE`)."""
    with uow as session:
        code, expires_at = issue_link_code(session=session, user=user)
    return LinkCodeOut(code=code, expires_at=expires_at)


@router.post("/telegram-link", response_model=MeOut)
def telegram_link(
    body: TelegramLinkIn, telegram_user_id: BotTelegramUserId, uow: UnitOfWorkDep, throttle: ThrottleDep
) -> MeOut:
    """The bot only: spend a staff member's code; that Telegram user then acts as them through the bot."""
    with uow as session:
        user = link_telegram(session=session, throttle=throttle, code=body.code, telegram_user_id=telegram_user_id)
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
            supervises=body.supervises,
            display_name=body.display_name,
            telegram_user_id=body.telegram_user_id,
        )
    return UserOut.model_validate(user, from_attributes=True)


@admin_router.get("", response_model=UserList)
def list_accounts(session: DbDep, limit: Limit = 50, offset: Offset = 0) -> UserList:
    """Accounts by role and username."""
    users, total = list_users(session=session, limit=limit, offset=offset)
    return UserList(items=[UserOut.model_validate(u, from_attributes=True) for u in users], total=total)


Username = Annotated[str, PathParam(min_length=1, max_length=64)]


@admin_router.post("/{username}/disable", response_model=UserOut)
def disable_account(username: Username, admin: AdminUser, uow: UnitOfWorkDep) -> UserOut:
    """Disable an account: login refused, its tokens stop working at once."""
    with uow as session:
        user = find_user(session=session, username=username)
        set_active(session=session, user=user, active=False, by=admin)
    return UserOut.model_validate(user, from_attributes=True)


@admin_router.post("/{username}/enable", response_model=UserOut)
def enable_account(username: Username, admin: AdminUser, uow: UnitOfWorkDep) -> UserOut:
    """Enable a disabled account again (it logs in anew; old tokens stay revoked)."""
    with uow as session:
        user = find_user(session=session, username=username)
        set_active(session=session, user=user, active=True, by=admin)
    return UserOut.model_validate(user, from_attributes=True)


@admin_router.post("/{username}/password", status_code=204)
def reset_password(username: Username, body: PasswordResetIn, uow: UnitOfWorkDep) -> Response:
    """Set a new password for an account (the policy applies); its sessions end."""
    hashed = new_password_hash(body.password, username=username)  # argon2 before the write lock
    with uow as session:
        set_password(session=session, user=find_user(session=session, username=username), password_hash=hashed)
    return Response(status_code=204)


@admin_router.post("/{username}/revoke-tokens", status_code=204)
def revoke_tokens(username: Username, uow: UnitOfWorkDep) -> Response:
    """End every session of an account."""
    with uow as session:
        revoke_all_tokens(session=session, user=find_user(session=session, username=username))
    return Response(status_code=204)
