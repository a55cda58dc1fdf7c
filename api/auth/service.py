"""Accounts, argon2 password hashes, opaque bearer tokens and Telegram users seen through the bot."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from api.auth import messages
from api.auth.models import AuthToken, TelegramLinkCode, User
from api.auth.passwords import check_password
from api.auth.throttle import LINK_PER_TELEGRAM_USER, LOGIN_PER_ADDRESS, LOGIN_PER_USERNAME, Throttle
from api.db import utcnow
from api.domain_errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthenticated
from api.queues import messages as queue_messages
from api.queues.models import Queue, QueueMembership
from common.roles import Role

TOKEN_TTL = dt.timedelta(hours=12)
LINK_CODE_TTL = dt.timedelta(minutes=10)
# Letters and digits that are hard to misread (no 0/O, 1/I/L): 8 of them are 40 bits.
_LINK_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_LINK_CODE_LENGTH = 8
_hasher = PasswordHasher()


class InvalidCredentials(Unauthenticated):
    """Wrong username or password."""


class UsernameTaken(Conflict):
    """Another account has that username."""


class UnknownQueue(NotFound):
    """No queue has that key."""


class AccountDisabled(Forbidden):
    """The account exists and the password is right, but an admin disabled it."""


class UnknownUser(NotFound):
    """No account has that username."""


def hash_password(password: str) -> str:
    """An argon2id hash of `password`."""
    return _hasher.hash(password)


def token_digest(token: str) -> str:
    """The stored form of a bearer token."""
    return hashlib.sha256(token.encode()).hexdigest()


def find_queue(*, session: Session, key: str) -> Queue:
    """The queue with `key`."""
    queue = session.exec(select(Queue).where(Queue.key == key)).first()
    if queue is None:
        raise UnknownQueue(queue_messages.UNKNOWN_QUEUE.format(key=key))
    return queue


def create_user(
    *,
    session: Session,
    role: Role,
    username: str | None,
    password: str | None,
    queues: list[str] | tuple[str, ...] = (),
    display_name: str | None = None,
    telegram_user_id: int | None = None,
    password_hash: str | None = None,
    telegram_linked: bool = False,
    supervises: list[str] | tuple[str, ...] = (),
) -> User:
    """Add an account (and its queue memberships) to the session; `password_hash`: `password` hashed beforehand.

    `telegram_linked` (an operator's explicit choice, staff only): the bot may act as this staff member
    through `telegram_user_id` without the one-time code. `supervises`: queues the staff member works
    as their supervisor (joined too).
    """
    if password is not None:
        check_password(password, username=username)
    if (queues or supervises) and role != Role.STAFF:
        raise InvalidInput(queue_messages.ONLY_STAFF_JOIN_QUEUES)
    if username and session.exec(select(User.id).where(User.username == username)).first() is not None:
        raise UsernameTaken(messages.USERNAME_TAKEN.format(username=username))
    taken = select(User.id).where(User.telegram_user_id == telegram_user_id)
    if telegram_user_id is not None and session.exec(taken).first() is not None:
        raise UsernameTaken(messages.TELEGRAM_TAKEN.format(telegram_user_id=telegram_user_id))
    if telegram_linked and (role != Role.STAFF or telegram_user_id is None):
        raise InvalidInput(messages.ONLY_STAFF_LINK)
    queue_rows = [find_queue(session=session, key=key) for key in dict.fromkeys([*queues, *supervises])]
    user = User(
        username=username,
        password_hash=password_hash or (hash_password(password) if password else None),
        role=role,
        display_name=display_name,
        telegram_user_id=telegram_user_id,
        telegram_linked_at=utcnow() if telegram_linked else None,
    )
    session.add(user)
    session.flush()
    assert user.id is not None
    for queue in queue_rows:
        assert queue.id is not None
        session.add(QueueMembership(user_id=user.id, queue_id=queue.id, supervisor=queue.key in supervises))
    return user


@dataclass(frozen=True, slots=True)
class Login:
    """Checked credentials: the account, and the password hashed anew when its stored hash is outdated."""

    user: User
    new_hash: str | None = None


def authenticate(*, session: Session, username: str, password: str) -> Login:
    """The account with these credentials (argon2 runs here, before any write transaction).

    AccountDisabled (only to the right password) when it is disabled.
    """
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None or user.password_hash is None:
        _hasher.hash(password)  # spend the same time whether or not the user exists
        raise InvalidCredentials(messages.WRONG_CREDENTIALS)
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError) as exc:
        raise InvalidCredentials(messages.WRONG_CREDENTIALS) from exc
    if not user.is_active:
        raise AccountDisabled(messages.ACCOUNT_DISABLED_ASK_ADMIN)
    if _hasher.check_needs_rehash(user.password_hash):
        return Login(user, hash_password(password))
    return Login(user)


def log_in(*, session: Session, throttle: Throttle, username: str, password: str, address: str) -> Login:
    """`authenticate`, refused with TooManyAttempts while the username or the address has failed too often."""
    checks = ((LOGIN_PER_USERNAME, username), (LOGIN_PER_ADDRESS, address))
    throttle.check(checks, messages.TOO_MANY_LOGINS)  # before argon2: a throttled guess costs no hashing
    try:
        login = authenticate(session=session, username=username, password=password)
    except InvalidCredentials:
        for limit, key in checks:
            throttle.fail(limit, key)
        raise
    throttle.clear(LOGIN_PER_USERNAME, username)  # not the address: one account must not unblock a NAT's guesses
    return login


def issue_token(*, session: Session, user: User, ttl: dt.timedelta = TOKEN_TTL) -> str:
    """A new bearer token for `user`; only its hash is stored."""
    assert user.id is not None
    token = secrets.token_urlsafe(32)
    expires_at = utcnow() + ttl
    session.add(
        AuthToken(
            token_hash=token_digest(token), user_id=user.id, expires_at=expires_at, token_version=user.token_version
        )
    )
    return token


def user_for_token(*, session: Session, token: str) -> User | None:
    """The active account holding an unexpired `token` issued since its tokens were last revoked."""
    statement = (
        select(User, AuthToken)
        .join(AuthToken, col(AuthToken.user_id) == col(User.id))
        .where(AuthToken.token_hash == token_digest(token))
    )
    row = session.exec(statement).first()
    if row is None:
        return None
    user, stored = row
    if not user.is_active or stored.token_version != user.token_version:
        return None
    if stored.expires_at is not None and stored.expires_at <= utcnow():
        return None
    return user


def record_login(*, session: Session, login: Login) -> str:
    """A new bearer token for a checked login, with its refreshed password hash if any; the caller commits."""
    if login.new_hash is not None:
        login.user.password_hash = login.new_hash
        session.add(login.user)
    return issue_token(session=session, user=login.user)


def revoke_token(*, session: Session, token: str) -> None:
    """Forget a bearer token."""
    session.exec(delete(AuthToken).where(col(AuthToken.token_hash) == token_digest(token)))


def find_telegram_user(*, session: Session, telegram_user_id: int) -> User | None:
    """The account of a Telegram user, if the desk has seen them."""
    return session.exec(select(User).where(User.telegram_user_id == telegram_user_id)).first()


def telegram_user(*, session: Session, telegram_user_id: int) -> User:
    """The account of a Telegram user, added (role enterprise) on first sight; the caller commits."""
    user = find_telegram_user(session=session, telegram_user_id=telegram_user_id)
    if user is not None:
        return user
    try:
        with session.begin_nested():
            user = User(role=Role.ENTERPRISE, telegram_user_id=telegram_user_id)
            session.add(user)
    except IntegrityError:  # a concurrent request created it first
        user = find_telegram_user(session=session, telegram_user_id=telegram_user_id)
        if user is None:
            raise
    return user


def queue_ids_of(*, session: Session, user: User) -> list[int]:
    """The ids of the queues a staff member works."""
    statement = select(QueueMembership.queue_id).where(QueueMembership.user_id == user.id)
    return list(session.exec(statement).all())


def list_users(*, session: Session, limit: int, offset: int) -> tuple[list[User], int]:
    """A page of accounts by role and username."""
    total = session.exec(select(func.count()).select_from(User)).one()
    statement = select(User).order_by(col(User.role), col(User.username), col(User.id)).offset(offset).limit(limit)
    return list(session.exec(statement).all()), int(total)


def find_user(*, session: Session, username: str) -> User:
    """The account named `username`."""
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise UnknownUser(messages.UNKNOWN_USER.format(username=username))
    return user


def revoke_all_tokens(*, session: Session, user: User, keep: str | None = None) -> None:
    """End every session of `user` at once (all but the token `keep`, when given)."""
    assert user.id is not None
    user.token_version += 1
    session.add(user)
    remove = delete(AuthToken).where(col(AuthToken.user_id) == user.id)
    if keep is not None:
        kept = select(AuthToken).where(AuthToken.token_hash == token_digest(keep), AuthToken.user_id == user.id)
        for token in session.exec(kept).all():
            token.token_version = user.token_version
            session.add(token)
        remove = remove.where(col(AuthToken.token_hash) != token_digest(keep))
    session.exec(remove)


def new_password_hash(password: str, *, username: str | None) -> str:
    """The hash of a new password that passes the policy (argon2: call it before the write lock)."""
    check_password(password, username=username)
    return hash_password(password)


def set_password(*, session: Session, user: User, password_hash: str, keep: str | None = None) -> None:
    """Give `user` a new password (hashed by `new_password_hash`) and revoke their tokens but `keep`."""
    user.password_hash = password_hash
    revoke_all_tokens(session=session, user=user, keep=keep)


def check_current_password(*, throttle: Throttle, user: User, current: str) -> None:
    """Before the caller's own password change: their current password (throttled as logins are; argon2, so
    before the write lock)."""
    if user.password_hash is None or user.username is None:
        raise InvalidInput(messages.NO_PASSWORD_TO_CHANGE)
    checks = ((LOGIN_PER_USERNAME, user.username),)
    throttle.check(checks, messages.TOO_MANY_LOGINS)
    try:
        _hasher.verify(user.password_hash, current)
    except (VerificationError, InvalidHashError) as exc:
        throttle.fail(LOGIN_PER_USERNAME, user.username)
        raise Forbidden(messages.WRONG_CURRENT_PASSWORD) from exc


def set_active(*, session: Session, user: User, active: bool, by: User | None = None) -> None:
    """Enable or disable an account; disabling ends its sessions at once. Admins cannot disable themselves."""
    if not active and by is not None and user.id == by.id:
        raise Conflict(messages.CANNOT_DISABLE_SELF)
    user.is_active = active
    session.add(user)
    if not active:
        revoke_all_tokens(session=session, user=user)


def acts_through_bot(user: User) -> bool:
    """Whether the bot's service token may act as `user`: enterprise users always, staff once linked, admins never."""
    if user.role == Role.ENTERPRISE:
        return True
    return user.role == Role.STAFF and user.telegram_linked_at is not None


def check_bot_actor(user: User) -> User:
    """`user` if the bot's service token may act as them and they are active (else 403, or 401 when disabled)."""
    if user.role == Role.ADMIN:
        # The bot needs enterprise and staff rights only: a leaked service token must not open admin.
        raise Forbidden(messages.NO_ADMIN_THROUGH_BOT)
    if not acts_through_bot(user):
        raise Forbidden(messages.TELEGRAM_NOT_LINKED)
    if not user.is_active:
        raise Unauthenticated(messages.ACCOUNT_DISABLED)
    return user


def require_role(user: User, *roles: Role) -> User:
    """`user` if their role is one of `roles` (else 403)."""
    if user.role not in roles:
        raise Forbidden(messages.ROLE_FORBIDDEN)
    return user


@dataclass(frozen=True, slots=True)
class TelegramCaller:
    """The bot acting, with its service token, for a Telegram user not looked up yet."""

    telegram_user_id: int


def enterprise_bot_user(*, session: Session, caller: TelegramCaller) -> User:
    """The enterprise account the bot acts for (added on first sight, inside the caller's write); 401/403 as the
    service token's rules say."""
    user = check_bot_actor(telegram_user(session=session, telegram_user_id=caller.telegram_user_id))
    return require_role(user, Role.ENTERPRISE)


def _link_code_digest(code: str) -> str:
    return token_digest(code.strip().upper().replace("-", "").replace(" ", ""))


def issue_link_code(*, session: Session, user: User) -> tuple[str, dt.datetime]:
    """A new one-time code (10 minutes) for `user` to link their Telegram id; earlier codes end. The caller commits."""
    if user.role != Role.STAFF:
        raise Forbidden(messages.ONLY_STAFF_LINK)
    assert user.id is not None
    session.exec(delete(TelegramLinkCode).where(col(TelegramLinkCode.user_id) == user.id))
    code = "".join(secrets.choice(_LINK_ALPHABET) for _ in range(_LINK_CODE_LENGTH))
    expires_at = utcnow() + LINK_CODE_TTL
    session.add(TelegramLinkCode(code_hash=_link_code_digest(code), user_id=user.id, expires_at=expires_at))
    return code, expires_at


def link_telegram(*, session: Session, throttle: Throttle, code: str, telegram_user_id: int) -> User:
    """Spend a link code: its staff member now acts through the bot as `telegram_user_id` (failures throttled).

    A bot-created enterprise account that held the Telegram id lets go of it (its tickets stay); another
    staff member's link is a conflict. The caller commits.
    """
    key = str(telegram_user_id)
    throttle.check([(LINK_PER_TELEGRAM_USER, key)], messages.TOO_MANY_LINKS)
    stored = session.exec(select(TelegramLinkCode).where(TelegramLinkCode.code_hash == _link_code_digest(code))).first()
    now = utcnow()
    user = session.get(User, stored.user_id) if stored is not None else None
    if stored is None or stored.expires_at <= now or user is None or not user.is_active or user.role != Role.STAFF:
        throttle.fail(LINK_PER_TELEGRAM_USER, key)
        raise Forbidden(messages.LINK_CODE_INVALID)
    holder = find_telegram_user(session=session, telegram_user_id=telegram_user_id)
    if holder is not None and holder.id != user.id:
        if holder.role != Role.ENTERPRISE:
            raise Conflict(messages.TELEGRAM_LINKED_ELSEWHERE)
        holder.telegram_user_id = None
        session.add(holder)
        session.flush()
    session.delete(stored)
    user.telegram_user_id = telegram_user_id
    user.telegram_linked_at = now
    session.add(user)
    throttle.clear(LINK_PER_TELEGRAM_USER, key)
    return user
