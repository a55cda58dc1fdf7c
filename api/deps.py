"""Dependencies shared by the routes, as `Annotated` aliases.

Those that only read the app's state are `async def`: FastAPI runs a sync dependency in a worker
thread, a hop that costs far more than the dependency itself.
"""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.ask.answer_cache import AnswerCache
from api.ask.unanswered import UnansweredQueue
from api.auth import messages as auth_messages
from api.auth.models import User
from api.auth.service import (
    TelegramCaller,
    check_bot_actor,
    find_telegram_user,
    require_role,
    telegram_user,
    user_for_token,
)
from api.auth.throttle import Throttle
from api.catalog import CatalogHolder
from api.catalog_build import Catalog
from api.domain_errors import Forbidden, InvalidInput, Unauthenticated
from api.events.hooks import attach_bus
from api.faqs.unanswered_log import UnansweredLog
from api.settings import Settings
from api.tickets.service import CategorySuggester
from api.unit_of_work import UnitOfWork, end_read
from common.roles import Role
from faq.matcher import Matcher
from policy_index.clauses import ClauseIndex
from policy_index.library import PolicyLibrary


async def get_catalog_holder(request: Request) -> CatalogHolder:
    """This replica's catalogue holder (for writes that change the library or the FAQ)."""
    holder: CatalogHolder = request.app.state.catalog_holder
    return holder


CatalogHolderDep = Annotated[CatalogHolder, Depends(get_catalog_holder)]


async def get_catalog(holder: CatalogHolderDep) -> Catalog:
    """The catalogue this replica serves now: one snapshot for the whole request."""
    return holder.current


CatalogDep = Annotated[Catalog, Depends(get_catalog)]


async def get_library(catalog: CatalogDep) -> PolicyLibrary:
    """The policy library the app serves (statuses as of today)."""
    return catalog.library


async def get_app_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


LibraryDep = Annotated[PolicyLibrary, Depends(get_library)]


async def get_matcher(catalog: CatalogDep) -> Matcher:
    """The question matcher of the served catalogue."""
    return catalog.matcher


MatcherDep = Annotated[Matcher, Depends(get_matcher)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]


async def get_engine(request: Request) -> Engine:
    """The app's database engine."""
    engine: Engine = request.app.state.engine
    return engine


async def get_session(request: Request, engine: Annotated[Engine, Depends(get_engine)]) -> AsyncIterator[Session]:
    """A session per request: dependencies and routes read with it; a write goes through `UnitOfWorkDep`.

    Async on purpose: its teardown (returning the connection) then runs on the event loop and never
    waits for a free worker thread, which could otherwise all be waiting for that very connection.
    Commits that wrote outbox events wake the event streams (and, through Redis, other replicas).
    """
    session = Session(engine, expire_on_commit=False)
    attach_bus(session, request.app.state.event_bus)
    try:
        yield session
    finally:
        session.close()


DbDep = Annotated[Session, Depends(get_session)]


async def get_unit_of_work(session: DbDep) -> UnitOfWork:
    """The request's one write transaction (`with uow:`), on the request's session."""
    return UnitOfWork(session)


UnitOfWorkDep = Annotated[UnitOfWork, Depends(get_unit_of_work)]


async def get_throttle(request: Request) -> Throttle:
    """The credential throttle (app.state.throttle: Redis-backed when ZONEDESK_REDIS_URL is set)."""
    throttle: Throttle = request.app.state.throttle
    return throttle


def client_address(request: Request) -> str:
    """The caller's address as the server saw it (behind a proxy: uvicorn's --forwarded-allow-ips)."""
    return request.client.host if request.client else "unknown"


async def get_unanswered_log(request: Request) -> UnansweredLog:
    """The unanswered-question log's batch writer (app.state.unanswered_log)."""
    log: UnansweredLog = request.app.state.unanswered_log
    return log


ThrottleDep = Annotated[Throttle, Depends(get_throttle)]
UnansweredLogDep = Annotated[UnansweredLog, Depends(get_unanswered_log)]
ClientAddress = Annotated[str, Depends(client_address)]


async def get_category_suggester(request: Request) -> CategorySuggester:
    """The category suggester for free-text requests (app.state.category_suggester)."""
    suggester: CategorySuggester = request.app.state.category_suggester
    return suggester


SuggesterDep = Annotated[CategorySuggester, Depends(get_category_suggester)]


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer …` header."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


MAX_TELEGRAM_USER_ID = 2**63 - 1


def _is_service_token(token: str, settings: Settings) -> bool:
    expected = settings.bot_service_token
    return expected is not None and hmac.compare_digest(token.encode(), expected.get_secret_value().encode())


def is_bot_service(request: Request, settings: Settings) -> bool:
    """The bot calling as itself: its service token, acting for no Telegram user."""
    token = bearer_token(request)
    return (
        token is not None
        and _is_service_token(token, settings)
        and not request.headers.get("x-telegram-user-id", "").strip()
    )


def _named_telegram_user_id(request: Request) -> int:
    raw = request.headers.get("x-telegram-user-id", "").strip()
    if not raw:
        raise Unauthenticated(auth_messages.BOT_NEEDS_TELEGRAM_USER)
    # ASCII digits only ("²".isdigit() is true) and within the BIGINT column.
    if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) <= MAX_TELEGRAM_USER_ID:
        raise InvalidInput(auth_messages.BAD_TELEGRAM_USER_ID)
    return int(raw)


def get_bot_telegram_user_id(request: Request, settings: SettingsDep) -> int:
    """The Telegram user the bot names with its service token (only the bot may name one)."""
    token = bearer_token(request)
    if token is None:
        raise Unauthenticated(auth_messages.LOGIN_REQUIRED)
    if not _is_service_token(token, settings):
        raise Forbidden(auth_messages.ROLE_FORBIDDEN)
    return _named_telegram_user_id(request)


BotTelegramUserId = Annotated[int, Depends(get_bot_telegram_user_id)]

_READS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_current_user(request: Request, session: DbDep, settings: SettingsDep) -> User:
    """The caller: a bearer token's account, or the Telegram user the bot names with its service token.

    Through the bot: enterprise users, and staff who linked that Telegram id themselves (a one-time code
    from the console); never admins. A Telegram id the desk has not seen gets its enterprise account on
    its first write; a read answers for an unsaved account (`id` None) that owns nothing.
    """
    token = bearer_token(request)
    if token is None:
        raise Unauthenticated(auth_messages.LOGIN_REQUIRED)
    if _is_service_token(token, settings):
        user = check_bot_actor(
            _telegram_user(session, _named_telegram_user_id(request), create=request.method not in _READS)
        )
        end_read(session)
        return user
    found = user_for_token(session=session, token=token)
    if found is None:
        raise Unauthenticated(auth_messages.TOKEN_INVALID)
    # End the read now: the route runs in another worker thread, and a connection held across that
    # hop can starve the pool.
    end_read(session)
    if not found.is_active:
        raise Unauthenticated(auth_messages.ACCOUNT_DISABLED)
    return found


def _telegram_user(session: Session, telegram_user_id: int, *, create: bool) -> User:
    # A first-seen Telegram user is created in its own small unit, not in the route's: it is right
    # whatever the write then does, idempotent, and happens once per user, so later requests stay
    # lock-free reads. A read never creates one: probing ids must not fill the users table.
    user = find_telegram_user(session=session, telegram_user_id=telegram_user_id)
    if user is None and not create:
        return User(role=Role.ENTERPRISE, telegram_user_id=telegram_user_id)
    if user is None:
        with UnitOfWork(session):
            user = telegram_user(session=session, telegram_user_id=telegram_user_id)
    return user


def get_optional_user(request: Request, session: DbDep, settings: SettingsDep) -> User | None:
    """The caller when valid credentials are given (as `get_current_user`), None for an anonymous caller.

    For routes open to everyone: an expired page session must not refuse what an anonymous caller may do.
    """
    if bearer_token(request) is None:
        return None
    try:
        return get_current_user(request, session, settings)
    except Unauthenticated:
        return None


def asker_key(request: Request, settings: Settings) -> str:
    """Who asks, for per-asker quotas: the Telegram user the bot names with its service token, else the address."""
    token = bearer_token(request)
    raw = request.headers.get("x-telegram-user-id", "").strip()
    if token is not None and raw.isascii() and raw.isdigit() and _is_service_token(token, settings):
        return f"tg:{int(raw)}"
    return f"ip:{client_address(request)}"


async def get_unanswered_queue(request: Request) -> UnansweredQueue:
    """Where this request's unanswered question goes: the batch log, within the asker's quota.

    One dependency reading the app's state: each dependency FastAPI solves costs more than /ask's look-up.
    """
    state = request.app.state
    return UnansweredQueue(log=state.unanswered_log, throttle=state.throttle, asker=asker_key(request, state.settings))


UnansweredQueueDep = Annotated[UnansweredQueue, Depends(get_unanswered_queue)]


async def get_answer_cache(request: Request) -> AnswerCache:
    """The serialized answers of /ask, per matcher (app.state.answer_cache)."""
    cache: AnswerCache = request.app.state.answer_cache
    return cache


AnswerCacheDep = Annotated[AnswerCache, Depends(get_answer_cache)]


def get_staff_user(user: Annotated[User, Depends(get_current_user)]) -> User:
    """The caller, who must be staff or an admin."""
    return require_role(user, Role.STAFF, Role.ADMIN)


def get_admin_user(user: Annotated[User, Depends(get_current_user)]) -> User:
    """The caller, who must be an admin."""
    return require_role(user, Role.ADMIN)


def get_enterprise_actor(user: Annotated[User, Depends(get_current_user)]) -> User:
    """The caller, who must be an enterprise user (directly or through the bot)."""
    return require_role(user, Role.ENTERPRISE)


async def get_submitter(request: Request, session: DbDep, settings: SettingsDep) -> User | TelegramCaller:
    """Who submits a request: the Telegram user the bot names, looked up in the submission's own transaction
    (no read before it), else the caller, who must be an enterprise user."""
    token = bearer_token(request)
    if token is not None and _is_service_token(token, settings):
        return TelegramCaller(_named_telegram_user_id(request))
    user = await run_in_threadpool(get_current_user, request, session, settings)
    return require_role(user, Role.ENTERPRISE)


CurrentUser = Annotated[User, Depends(get_current_user)]
Submitter = Annotated[User | TelegramCaller, Depends(get_submitter)]
OptionalUser = Annotated[User | None, Depends(get_optional_user)]
StaffUser = Annotated[User, Depends(get_staff_user)]
AdminUser = Annotated[User, Depends(get_admin_user)]
EnterpriseActor = Annotated[User, Depends(get_enterprise_actor)]


async def get_clause_index(catalog: CatalogDep) -> ClauseIndex:
    """The facts and eligibility clauses the app serves."""
    return catalog.clauses


ClauseIndexDep = Annotated[ClauseIndex, Depends(get_clause_index)]
