"""Routes: /api/v1/auth/login, /logout, /me and /bind."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from api.auth.schemas import (
    BindIn,
    LoginIn,
    MeOut,
    PasswordChangeIn,
    PasswordResetIn,
    TokenOut,
    UserIn,
    UserList,
    UserOut,
)
from api.auth.service import (
    change_password,
    create_user,
    find_user,
    issue_token,
    list_users,
    log_in,
    revoke_all_tokens,
    revoke_token,
    set_active,
    set_password,
)
from api.deps import (
    AdminUser,
    ClientAddress,
    CurrentUser,
    DbDep,
    EnterpriseActor,
    ThrottleDep,
    bearer_token,
    get_admin_user,
)
from api.enterprises.service import bind_user, enterprise_of
from api.pagination import Limit, Offset
from api.queues.service import visible_queues
from api.routing import UnitOfWorkRoute

router = APIRouter(prefix="/auth", tags=["auth"], route_class=UnitOfWorkRoute)


@router.post("/login", response_model=TokenOut)
def login(body: LoginIn, session: DbDep, throttle: ThrottleDep, address: ClientAddress) -> TokenOut:
    """Exchange a username and password for a bearer token (429 after too many failures)."""
    user = log_in(session=session, throttle=throttle, username=body.username, password=body.password, address=address)
    token = issue_token(session=session, user=user)
    session.commit()
    return TokenOut(access_token=token, role=user.role)


@router.post("/logout", status_code=204)
def logout(request: Request, user: CurrentUser, session: DbDep) -> Response:
    """Revoke the bearer token of this request."""
    token = bearer_token(request)
    if token and user.username is not None:
        revoke_token(session=session, token=token)
        session.commit()
    return Response(status_code=204)


@router.post("/password", status_code=204)
def change_own_password(
    body: PasswordChangeIn, request: Request, user: CurrentUser, session: DbDep, throttle: ThrottleDep
) -> Response:
    """Change the caller's password (the current one required); every other session of theirs ends."""
    change_password(
        session=session,
        throttle=throttle,
        user=user,
        current=body.current_password,
        new=body.new_password,
        keep=bearer_token(request),
    )
    session.commit()
    return Response(status_code=204)


@router.post("/revoke-all", status_code=204)
def revoke_all(user: CurrentUser, session: DbDep) -> Response:
    """End every session of the caller, this one included (e.g. after a lost phone)."""
    revoke_all_tokens(session=session, user=user)
    session.commit()
    return Response(status_code=204)


def _me(session: DbDep, user: CurrentUser) -> MeOut:
    queues = [q.key for q in visible_queues(session=session, user=user)] if user.role != "enterprise" else []
    return MeOut.of(user, enterprise_of(session=session, user=user), queues)


@router.get("/me", response_model=MeOut)
def me(user: CurrentUser, session: DbDep) -> MeOut:
    """The caller's account, enterprise and queues."""
    return _me(session, user)


@router.post("/bind", response_model=MeOut)
def bind(body: BindIn, user: EnterpriseActor, session: DbDep, throttle: ThrottleDep) -> MeOut:
    """Bind the calling enterprise user to an enterprise (统一社会信用代码 + binding code; 429 after failures)."""
    bind_user(session=session, throttle=throttle, user=user, uscc=body.uscc, binding_code=body.binding_code)
    session.commit()
    return _me(session, user)


admin_router = APIRouter(
    prefix="/admin/users", tags=["admin"], dependencies=[Depends(get_admin_user)], route_class=UnitOfWorkRoute
)


@admin_router.post("", response_model=UserOut, status_code=201)
def create_account(body: UserIn, session: DbDep) -> UserOut:
    """Create a staff, admin or enterprise account with a password."""
    user = create_user(
        session=session,
        role=body.role,
        username=body.username,
        password=body.password,
        queues=body.queues,
        display_name=body.display_name,
        telegram_user_id=body.telegram_user_id,
    )
    session.commit()
    return UserOut.model_validate(user, from_attributes=True)


@admin_router.get("", response_model=UserList)
def list_accounts(session: DbDep, limit: Limit = 50, offset: Offset = 0) -> UserList:
    """Accounts by role and username."""
    users, total = list_users(session=session, limit=limit, offset=offset)
    return UserList(items=[UserOut.model_validate(u, from_attributes=True) for u in users], total=total)


Username = Annotated[str, Path(min_length=1, max_length=64)]


@admin_router.post("/{username}/disable", response_model=UserOut)
def disable_account(username: Username, admin: AdminUser, session: DbDep) -> UserOut:
    """Disable an account: login refused, its tokens stop working at once."""
    user = find_user(session=session, username=username)
    set_active(session=session, user=user, active=False, by=admin)
    session.commit()
    return UserOut.model_validate(user, from_attributes=True)


@admin_router.post("/{username}/enable", response_model=UserOut)
def enable_account(username: Username, admin: AdminUser, session: DbDep) -> UserOut:
    """Enable a disabled account again (it logs in anew; old tokens stay revoked)."""
    user = find_user(session=session, username=username)
    set_active(session=session, user=user, active=True, by=admin)
    session.commit()
    return UserOut.model_validate(user, from_attributes=True)


@admin_router.post("/{username}/password", status_code=204)
def reset_password(username: Username, body: PasswordResetIn, session: DbDep) -> Response:
    """Set a new password for an account (the policy applies); its sessions end."""
    user = find_user(session=session, username=username)
    set_password(session=session, user=user, password=body.password)
    session.commit()
    return Response(status_code=204)


@admin_router.post("/{username}/revoke-tokens", status_code=204)
def revoke_tokens(username: Username, session: DbDep) -> Response:
    """End every session of an account."""
    revoke_all_tokens(session=session, user=find_user(session=session, username=username))
    session.commit()
    return Response(status_code=204)
