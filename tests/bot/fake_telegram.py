"""A fake Telegram Bot API server on loopback: only the methods the bot uses.

The real aiogram `Bot` talks HTTP to it (`TelegramAPIServer.from_base(url)`). Tests inject updates
(text, button clicks, shared contacts) and read back what the bot sent, in order, per chat.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = 424242
BOT_TOKEN = f"{BOT_ID}:fake-token-for-tests"
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "zonedesk", "username": "zonedesk_bot"}


@dataclass
class Record:
    """One thing the bot did in a chat: a message sent or edited, or a callback answered."""

    kind: str  # sendMessage | editMessageText | editMessageReplyMarkup | answerCallbackQuery | sendChatAction
    chat_id: int
    message_id: int | None
    text: str
    reply_markup: dict[str, Any] | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def buttons(self) -> list[dict[str, Any]]:
        """Inline buttons, row by row flattened."""
        markup = self.reply_markup or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]

    def button(self, label: str) -> str:
        """The callback data of the inline button whose label contains `label`."""
        for button in self.buttons():
            if label in button.get("text", ""):
                return str(button["callback_data"])
        raise AssertionError(f"no button {label!r} in {[b.get('text') for b in self.buttons()]}: {self.text!r}")

    def button_labels(self) -> list[str]:
        """The labels of the inline buttons."""
        return [str(button.get("text", "")) for button in self.buttons()]


def _value(raw: str) -> Any:
    """Form values arrive as strings; JSON objects, arrays, numbers and booleans are encoded."""
    if raw[:1] in "{[" or raw in ("true", "false") or raw.lstrip("-").isdigit():
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


class FakeTelegram:
    """The fake server and its recorded conversation."""

    def __init__(self) -> None:
        self.records: list[Record] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.webhook: dict[str, Any] | None = None
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._callback_chat: dict[str, int] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._changed = asyncio.Condition()  # new updates for getUpdates
        self._by_chat: dict[int, list[int]] = {}  # chat id -> indexes into records
        self._chat_events: dict[int, asyncio.Event] = {}
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.files: dict[str, bytes] = {}  # file_id -> content, for getFile and the file download
        self._file_ids = itertools.count(1)
        self.url = ""

    async def start(self) -> str:
        """Listen on a free loopback port; returns the base URL for TelegramAPIServer.from_base."""
        app = web.Application()
        app.router.add_route("POST", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        """Stop listening."""
        async with self._changed:
            self._closing = True
            self._changed.notify_all()  # release long polls at once
        if self._runner is not None:
            await self._runner.cleanup()

    # --- the Bot API -------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != BOT_TOKEN:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        params: dict[str, Any] = {}
        if request.content_type == "application/json":
            params = await request.json()
        elif request.can_read_body:
            params = {key: _value(str(value)) for key, value in (await request.post()).items()}
        self.calls.append((method, params))
        handler = getattr(self, f"_m_{method.lower()}", None)
        if handler is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": f"Not Found: {method} is not faked"}, status=404
            )
        result = await handler(params)
        return web.json_response({"ok": True, "result": result})

    async def _m_getme(self, params: dict[str, Any]) -> Any:
        return BOT_USER

    async def _m_deletewebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = None
        return True

    async def _m_setwebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = params
        return True

    async def _m_setmycommands(self, params: dict[str, Any]) -> Any:
        return True

    async def _m_getupdates(self, params: dict[str, Any]) -> Any:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        async with self._changed:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and not self._closing and time.monotonic() < deadline:
                try:
                    await asyncio.wait_for(self._changed.wait(), deadline - time.monotonic())
                except TimeoutError:
                    break
            return list(self._updates[:100])

    async def _record(self, record: Record) -> None:
        self.records.append(record)
        self._by_chat.setdefault(record.chat_id, []).append(len(self.records) - 1)
        event = self._chat_events.pop(record.chat_id, None)
        if event is not None:
            event.set()

    def _message(self, chat_id: int, text: str, reply_markup: Any) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": BOT_USER,
            "text": text,
        }
        if isinstance(reply_markup, dict) and "inline_keyboard" in reply_markup:
            message["reply_markup"] = reply_markup
        self._messages[(chat_id, message["message_id"])] = message
        return message

    async def _m_sendmessage(self, params: dict[str, Any]) -> Any:
        chat_id = int(params["chat_id"])
        markup = params.get("reply_markup")
        message = self._message(chat_id, str(params.get("text", "")), markup)
        await self._record(
            Record("sendMessage", chat_id, message["message_id"], message["text"], markup or None, params)
        )
        return message

    async def _m_editmessagetext(self, params: dict[str, Any]) -> Any:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        message = self._messages[(chat_id, message_id)]
        message["text"] = str(params.get("text", ""))
        markup = params.get("reply_markup")
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        await self._record(Record("editMessageText", chat_id, message_id, message["text"], markup or None, params))
        return message

    async def _m_editmessagereplymarkup(self, params: dict[str, Any]) -> Any:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        message = self._messages[(chat_id, message_id)]
        markup = params.get("reply_markup")
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        await self._record(
            Record("editMessageReplyMarkup", chat_id, message_id, message["text"], markup or None, params)
        )
        return message

    async def _m_answercallbackquery(self, params: dict[str, Any]) -> Any:
        chat_id = self._callback_chat.get(str(params["callback_query_id"]), 0)
        await self._record(Record("answerCallbackQuery", chat_id, None, str(params.get("text", "")), None, params))
        return True

    async def _m_sendchataction(self, params: dict[str, Any]) -> Any:
        return True

    async def _m_getfile(self, params: dict[str, Any]) -> Any:
        file_id = str(params["file_id"])
        data = self.files[file_id]
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(data), "file_path": file_id}

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != BOT_TOKEN or request.match_info["path"] not in self.files:
            return web.Response(status=404)
        return web.Response(body=self.files[request.match_info["path"]])

    def upload(self, data: bytes) -> dict[str, Any]:
        """Keep a file the user sends; its Telegram file fields."""
        file_id = f"file-{next(self._file_ids)}"
        self.files[file_id] = data
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(data)}

    # --- what tests do -----------------------------------------------------------------------

    async def inject(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates (a redelivery passes the same update again)."""
        async with self._changed:
            self._updates.append(update)
            self._changed.notify_all()
        return update

    def _user(self, user_id: int, first_name: str) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "zh-hans"}

    def user_message(self, user_id: int, first_name: str, **content: Any) -> dict[str, Any]:
        """A new update carrying a message from the user (text, contact, reply_to_message…)."""
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": first_name},
            "from": self._user(user_id, first_name),
            **content,
        }
        text = content.get("text")
        if isinstance(text, str) and text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return {"update_id": next(self._update_ids), "message": message}

    def user_click(self, user_id: int, first_name: str, message_id: int, data: str) -> dict[str, Any]:
        """A new update: the user taps an inline button of a bot message."""
        query_id = str(next(self._callback_ids))
        self._callback_chat[query_id] = user_id
        message = self._messages[(user_id, message_id)]
        return {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": query_id,
                "from": self._user(user_id, first_name),
                "chat_instance": str(user_id),
                "message": message,
                "data": data,
            },
        }

    async def wait_record(self, chat_id: int, start: int, timeout: float = 10.0) -> tuple[int, Record]:
        """The first record for chat at or after index `start` (waiting for it)."""
        deadline = time.monotonic() + timeout
        while True:
            indexes = self._by_chat.get(chat_id, [])
            position = bisect.bisect_left(indexes, start)
            if position < len(indexes):
                return indexes[position], self.records[indexes[position]]
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no reply in chat {chat_id} within {timeout}s")
            event = self._chat_events.setdefault(chat_id, asyncio.Event())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)


class FakeUser:
    """A Telegram user chatting with the bot through the fake server."""

    def __init__(self, telegram: FakeTelegram, user_id: int, first_name: str = "张三") -> None:
        self.telegram = telegram
        self.user_id = user_id
        self.first_name = first_name
        self.cursor = len(telegram.records)

    async def say(self, text: str, *, reply_to: Record | None = None) -> dict[str, Any]:
        """Send a text message (optionally as a Telegram reply to a bot message)."""
        content: dict[str, Any] = {"text": text}
        if reply_to is not None:
            assert reply_to.message_id is not None
            content["reply_to_message"] = self.telegram._messages[(self.user_id, reply_to.message_id)]
        return await self.telegram.inject(self.telegram.user_message(self.user_id, self.first_name, **content))

    async def share_contact(self, phone: str, *, own: bool = True) -> dict[str, Any]:
        """Share a contact (the user's own, by default) with the contact button."""
        contact = {"phone_number": phone, "first_name": self.first_name, "user_id": self.user_id if own else 1}
        return await self.telegram.inject(self.telegram.user_message(self.user_id, self.first_name, contact=contact))

    async def send_document(self, name: str, data: bytes, mime_type: str, *, caption: str | None = None) -> None:
        """Send a file (a document), with an optional caption."""
        document = {**self.telegram.upload(data), "file_name": name, "mime_type": mime_type}
        content: dict[str, Any] = {"document": document}
        if caption is not None:
            content["caption"] = caption
        await self.telegram.inject(self.telegram.user_message(self.user_id, self.first_name, **content))

    async def send_photo(self, data: bytes) -> None:
        """Send a photo (Telegram gives sizes, the largest last)."""
        photo = {**self.telegram.upload(data), "width": 800, "height": 600}
        await self.telegram.inject(self.telegram.user_message(self.user_id, self.first_name, photo=[photo]))

    async def click(self, record: Record, label: str) -> dict[str, Any]:
        """Tap the inline button labelled `label` on a bot message."""
        assert record.message_id is not None
        update = self.telegram.user_click(self.user_id, self.first_name, record.message_id, record.button(label))
        return await self.telegram.inject(update)

    async def next(self, *, kind: str | None = None, timeout: float = 10.0) -> Record:
        """The bot's next action in this chat (of `kind` when given), skipping others."""
        while True:
            index, record = await self.telegram.wait_record(self.user_id, self.cursor, timeout)
            self.cursor = index + 1
            if kind is None or record.kind == kind:
                return record

    async def expect(self, *needles: str, kind: str | None = None, timeout: float = 10.0) -> Record:
        """Skip the bot's actions until one whose text contains every needle."""
        seen: list[str] = []
        try:
            while True:
                record = await self.next(kind=kind, timeout=timeout)
                if all(needle in record.text for needle in needles):
                    return record
                seen.append(f"{record.kind}: {record.text[:80]!r}")
        except AssertionError as exc:
            raise AssertionError(f"expected {needles!r}; saw {seen}") from exc

    def drain(self) -> None:
        """Forget what the bot has sent so far."""
        self.cursor = len(self.telegram.records)
