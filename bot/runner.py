"""Assemble and run the bot: polling (development) or webhook (deployment), plus the event follower."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

from aiogram import Bot, Dispatcher, F, Router, methods
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ChatType, ParseMode
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.methods.base import Response
from aiogram.types import BotCommand
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from bot.categories import CategoryCatalogue
from bot.client import ApiClient
from bot.handlers import ask, commands, desk, errors, files, groups, interview, my, request, staff, start
from bot.i18n import PrefsI18nMiddleware, create_i18n
from bot.lease import finish_first, stop_task
from bot.middlewares import ContextMiddleware, DedupMiddleware, ThrottlingMiddleware
from bot.notifier import EventFollower
from bot.settings import BotNotConfigured, BotSettings
from bot.store import MemoryStore, RedisStore, Store

FOLLOWER_STOP_SECONDS = 15.0  # the event at hand finished, the job stopped, the lease freed


@dataclass
class BotApp:
    """A configured bot with its dispatcher, API client, store and event follower."""

    bot: Bot
    dispatcher: Dispatcher
    api: ApiClient
    store: Store
    follower: EventFollower
    settings: BotSettings


# aiogram parses every reply as `Response[method.__returning__]`; pydantic keeps parametrised
# generics only weakly, so under load it rebuilds these models again and again (measured: a sixth of
# the bot's CPU time). Holding them here keeps them built.
_RESPONSE_MODELS = [
    Response[method.__returning__]  # type: ignore[name-defined]
    for method in (
        methods.AnswerCallbackQuery,
        methods.DeleteWebhook,
        methods.EditMessageReplyMarkup,
        methods.EditMessageText,
        methods.GetMe,
        methods.GetUpdates,
        methods.SendChatAction,
        methods.SendMessage,
        methods.SetMyCommands,
        methods.SetWebhook,
    )
]


def create_bot(settings: BotSettings) -> Bot:
    """The aiogram Bot, talking to ZONEDESK_BOT_API_SERVER when set (a local or fake Bot API server)."""
    if settings.bot_token is None:
        raise BotNotConfigured("未配置 ZONEDESK_BOT_TOKEN (ZONEDESK_BOT_TOKEN is not set)")
    session = None
    if settings.bot_api_server:
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.bot_api_server))
    return Bot(
        settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )


def create_storage(settings: BotSettings) -> BaseStorage:
    """FSM storage: Redis when configured, process memory otherwise."""
    if settings.redis_url:
        return RedisStorage.from_url(settings.redis_url, key_builder=DefaultKeyBuilder(with_bot_id=True))
    return MemoryStorage()


def create_store(settings: BotSettings) -> Store:
    """Preferences, dedup and the event cursor: Redis when configured, else memory plus a state file."""
    if settings.redis_url:
        return RedisStore.from_url(settings.redis_url)
    return MemoryStore(persist_file=settings.state_file)


def build_dispatcher(*, api: ApiClient, store: Store, storage: BaseStorage, settings: BotSettings) -> Dispatcher:
    """The dispatcher: middlewares, then the routers, free-text questions last."""
    i18n = create_i18n()
    dispatcher = Dispatcher(storage=storage)
    dispatcher.update.outer_middleware(DedupMiddleware(store))
    dispatcher.update.outer_middleware(ContextMiddleware(api, store))
    PrefsI18nMiddleware(i18n).setup(dispatcher)
    throttle = ThrottlingMiddleware(store, rate=settings.bot_throttle_rate, burst=settings.bot_throttle_burst)
    dispatcher.message.outer_middleware(throttle)
    dispatcher.callback_query.outer_middleware(throttle)
    routers = (
        errors.router,
        commands.router,
        start.router,
        files.router,
        interview.router,
        request.router,
        my.router,
        staff.router,
        desk.router,
        ask.router,
    )
    # Requests carry phone numbers and ticket bodies: the bot serves private chats; groups get a pointer there.
    private = Router(name="private")
    private.message.filter(F.chat.type == ChatType.PRIVATE)
    private.callback_query.filter(F.message.chat.type == ChatType.PRIVATE)
    for router in (groups.router, *routers):
        _detach(router)
    private.include_routers(*routers)
    dispatcher.include_routers(groups.router, private)
    dispatcher["i18n"] = i18n
    dispatcher["settings"] = settings
    return dispatcher


def _detach(router: Router) -> None:
    """Free a module-level router from the dispatcher an earlier bot of this process built (tests, restarts)."""
    parent = router.parent_router
    if parent is not None:
        parent.sub_routers.remove(router)
        router._parent_router = None


@contextlib.asynccontextmanager
async def open_bot(settings: BotSettings) -> AsyncIterator[BotApp]:
    """Everything the bot needs, closed on exit."""
    bot = create_bot(settings)
    token = settings.bot_service_token.get_secret_value() if settings.bot_service_token else None
    api = ApiClient.connect(settings.api_url, token, timeout=settings.api_timeout)
    store = create_store(settings)
    storage = create_storage(settings)
    dispatcher = build_dispatcher(api=api, store=store, storage=storage, settings=settings)
    follower = EventFollower(
        bot,
        api,
        store,
        dispatcher["i18n"],
        lease_seconds=settings.bot_events_lease_seconds,
        standby_seconds=settings.bot_events_standby_seconds,
        notices_seconds=settings.bot_notices_seconds,
    )
    dispatcher["follower"] = follower
    dispatcher["categories"] = CategoryCatalogue(api, ttl=settings.bot_categories_ttl)
    try:
        yield BotApp(bot, dispatcher, api, store, follower, settings)
    finally:
        await storage.close()
        await store.close()
        await api.aclose()
        await bot.session.close()


COMMANDS = {
    "zh_CN": [
        ("start", "开始 / 主菜单"),
        ("check", "资格自测"),
        ("request", "办事申请"),
        ("my", "我的申请"),
        ("policies", "我的政策"),
        ("lang", "切换语言 / Language"),
        ("cancel", "取消当前操作"),
    ],
    "en": [
        ("start", "Start / main menu"),
        ("check", "Eligibility self-check"),
        ("request", "Service request"),
        ("my", "My requests"),
        ("policies", "My policies"),
        ("lang", "Language / 切换语言"),
        ("cancel", "Cancel the current step"),
    ],
}


async def set_commands(bot: Bot) -> None:
    """The command list shown by Telegram clients (Chinese by default, English for en users)."""
    await bot.set_my_commands([BotCommand(command=c, description=d) for c, d in COMMANDS["zh_CN"]])
    await bot.set_my_commands([BotCommand(command=c, description=d) for c, d in COMMANDS["en"]], language_code="en")


async def _with_follower(app: BotApp, main: asyncio.Future[None] | asyncio.Task[None]) -> None:
    follower = asyncio.create_task(app.follower.run()) if app.settings.bot_follow_events else None
    try:
        await main
    finally:
        if follower is not None:
            # Before the store closes: the event at hand is finished and the lease freed. Bounded, so
            # a stream stuck in its transport's shutdown does not hold the bot's shutdown hostage.
            await finish_first(stop_task(follower, within=FOLLOWER_STOP_SECONDS), grace=FOLLOWER_STOP_SECONDS)


async def poll(app: BotApp, *, handle_signals: bool = False) -> None:
    """Long polling of an opened bot plus its event follower, until cancelled."""
    await app.bot.delete_webhook(drop_pending_updates=False)
    with contextlib.suppress(Exception):
        await set_commands(app.bot)
    polling = asyncio.create_task(
        app.dispatcher.start_polling(app.bot, handle_signals=handle_signals, close_bot_session=False)
    )
    await _with_follower(app, polling)


async def run_polling(settings: BotSettings, *, handle_signals: bool = False) -> None:
    """Long polling (through ZONEDESK_BOT_API_SERVER when set) plus the event follower, until cancelled."""
    async with open_bot(settings) as app:
        await poll(app, handle_signals=handle_signals)


def build_webhook_app(app: BotApp) -> web.Application:
    """An aiohttp app accepting updates at the webhook path; a wrong secret token gets 401."""
    secret = app.settings.webhook_secret.get_secret_value() if app.settings.webhook_secret else None
    web_app = web.Application()
    SimpleRequestHandler(dispatcher=app.dispatcher, bot=app.bot, secret_token=secret).register(
        web_app, path=app.settings.webhook_path
    )
    setup_application(web_app, app.dispatcher, bot=app.bot)
    return web_app


async def run_webhook(settings: BotSettings) -> None:
    """Register the webhook with Telegram and serve it (ZONEDESK_WEBHOOK_HOST:PORT), until cancelled."""
    if not settings.webhook_url:
        raise BotNotConfigured("未配置 ZONEDESK_WEBHOOK_URL (ZONEDESK_WEBHOOK_URL is not set)")
    if settings.webhook_secret is None or not settings.webhook_secret.get_secret_value():
        # without it anyone who finds the URL could post fake updates
        raise BotNotConfigured(
            "Webhook 模式须设置 ZONEDESK_WEBHOOK_SECRET (webhook mode needs ZONEDESK_WEBHOOK_SECRET)"
        )
    async with open_bot(settings) as app:
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        runner = web.AppRunner(build_webhook_app(app))
        await runner.setup()
        site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
        await site.start()
        try:
            await app.bot.set_webhook(settings.webhook_url, secret_token=secret, drop_pending_updates=False)
            with contextlib.suppress(Exception):
                await set_commands(app.bot)
            await _with_follower(app, asyncio.get_running_loop().create_future())
        finally:
            await runner.cleanup()


async def run(settings: BotSettings, *, handle_signals: bool = False) -> None:
    """Webhook mode when ZONEDESK_WEBHOOK_URL is set, long polling otherwise."""
    if settings.webhook_url:
        await run_webhook(settings)
    else:
        await run_polling(settings, handle_signals=handle_signals)
