"""Follow the API's service event stream and tell the followed chats what happened to their tickets.

One stream for the whole bot: the API sends the service (its token, no Telegram user) every event
someone on Telegram may see, naming those Telegram users and the ticket's queue. Followed chats
(chat → role, one field each in a hash) that the event names get a message: enterprise chats the
events of their requests, staff chats (opted in with /alerts on) new tickets and internal notes of
their queues.

Exactly once, across retries and replicas:
- a lease lets one replica follow the stream at a time; another takes over when it stops or dies;
- the last handled event id (the cursor) is one service-level key, saved after each event and sent
  back as `Last-Event-ID`, so a restart or a takeover resumes where the stream stopped;
- each send is claimed first with `SET NX` on (event id, chat): an event handled again after a crash
  or by a second replica skips the chats already told.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from redis.exceptions import RedisError

from bot.callbacks import Acknowledge
from bot.client import ApiClient, ApiError, ApiNotFound, ApiRejected, Event, ServiceEventData, StaffTicket, TicketDetail
from bot.lease import Lease, finish_first, run_leased
from bot.prefs import UserPrefs, record_progress, remember_notice
from bot.render import claim_keyboard, notice_message, rating_keyboard, reply_button, status_label, zone_time
from bot.send import send_long
from bot.store import Store
from bot.ticket_view import staff_actions_keyboard, staff_ticket_facts
from common.roles import Role
from common.tickets import EventType

log = logging.getLogger(__name__)
FOLLOWERS_KEY = "events:followers"  # hash: chat id -> role followed as (enterprise / staff)
CURSOR_KEY = "events:cursor"  # the last handled event id of the service stream
LEASE_KEY = "events:lease"  # which replica follows the stream
SENT_TTL = 7 * 24 * 3600  # a (event, chat) send is remembered this long; replays are far shorter
LEGACY_FOLLOWERS_KEY = "followers"  # the JSON blob of one stream per chat
STAFF_ROLES = {Role.STAFF, Role.ADMIN}
POSITION_WAIT_SECONDS = 5.0
EVENT_GRACE_SECONDS = 5.0  # how long a stopping follower may take to finish the event at hand
# Telegram refused for now, so nothing was sent: free the send's claim and handle the event again.
NOT_SENT_ERRORS = (TelegramRetryAfter, TelegramServerError)
PROGRESS_EVENTS = {
    EventType.CREATED,
    EventType.CLAIMED,
    EventType.WAITING,
    EventType.TRANSFERRED,
    EventType.RESOLVED,
    EventType.CLOSED,
    EventType.CANCELLED,
}  # the steps /my tells as the ticket's history
SLA_EVENTS = {
    EventType.SLA_WARNING,
    EventType.SLA_BREACHED,
    EventType.SUPERVISED,
    EventType.SUPERVISION_ACKNOWLEDGED,
}  # staff-only: 预警, 超时, 督办 and its acknowledgement
EXCERPT_CHARS = 80  # how much of a message an event quotes; a longer one is read from the thread
Rendered = list[tuple[str, InlineKeyboardMarkup | None]] | None


@dataclass(frozen=True, slots=True)
class FullText:
    """A ticket as its requester sees it, and the whole staff message an event quoted (None: not found)."""

    ticket: TicketDetail
    body: str | None


def sent_key(event_id: str, chat_id: int) -> str:
    """The guard that makes one event reach one chat at most once."""
    return f"events:sent:{event_id}:{chat_id}"


def legacy_cursor_key(chat_id: int) -> str:
    """Where the per-chat streams kept their cursor."""
    return f"cursor:events:{chat_id}"


class EventFollower:
    """Turns the service stream's ticket events into Telegram messages for the chats that follow them."""

    def __init__(
        self,
        bot: Bot,
        api: ApiClient,
        store: Store,
        i18n: I18n,
        *,
        lease_seconds: float = 15.0,
        standby_seconds: float = 5.0,
        retry_delay: float = 1.0,
        max_delay: float = 30.0,
        notices_seconds: float = 30.0,
    ) -> None:
        self.bot = bot
        self.api = api
        self.store = store
        self.i18n = i18n
        self.lease = Lease(store, LEASE_KEY, ttl=lease_seconds, standby=standby_seconds)
        self.retry_delay = retry_delay
        self.max_delay = max_delay
        self.notices_seconds = notices_seconds
        self.handled = 0
        self.positioned = asyncio.Event()  # set once this replica's stream has stored where it is
        self._running = False

    async def followers(self) -> dict[int, str]:
        """Followed chats and the role they follow as (enterprise or staff)."""
        return {int(chat): str(role) for chat, role in (await self.store.hash_all(FOLLOWERS_KEY)).items()}

    async def follow(self, chat_id: int, *, role: str = Role.ENTERPRISE) -> None:
        """Tell this chat about its tickets from now on (and after restarts); a staff chat stays staff."""
        if role not in STAFF_ROLES:
            known = await self.store.hash_get(FOLLOWERS_KEY, [str(chat_id)])
            role = str(known.get(str(chat_id), role))
        await self.store.hash_set(FOLLOWERS_KEY, str(chat_id), role)
        if self._running:
            await self._until_positioned()

    async def unfollow(self, chat_id: int) -> None:
        """Stop telling a chat."""
        await self.store.hash_delete(FOLLOWERS_KEY, str(chat_id))

    async def _until_positioned(self) -> None:
        """On the very first run, wait briefly until the stream knows where it starts.

        A stream without a cursor starts at the newest event; a ticket filed while it connects
        would otherwise fall before that start. Afterwards the cursor always exists.
        """
        deadline = asyncio.get_running_loop().time() + POSITION_WAIT_SECONDS
        while await self.store.get(CURSOR_KEY) is None:
            if asyncio.get_running_loop().time() > deadline:
                log.warning("event stream not positioned yet; continuing")
                return
            await asyncio.sleep(0.02)

    async def run(self) -> None:
        """Follow the service stream whenever this replica holds the lease, until cancelled."""
        self._running = True
        try:
            try:
                await self._migrate_legacy_state()
            except (RedisError, OSError) as exc:  # tried again at the next start
                log.warning("could not migrate the old followers (%s)", exc)
            await run_leased(self.lease, self._leased_work)
        finally:
            self._running = False

    async def _migrate_legacy_state(self) -> None:
        """Move the followers of the one-stream-per-chat era into the hash; start after their cursors."""
        legacy = await self.store.get(LEGACY_FOLLOWERS_KEY)
        if not isinstance(legacy, dict):
            return
        cursors = [await self.store.get(legacy_cursor_key(int(chat))) for chat in legacy]
        for chat, role in legacy.items():
            await self.store.hash_set(FOLLOWERS_KEY, str(chat), str(role))
        known = [int(c) for c in cursors if isinstance(c, int | str) and str(c).isdigit()]
        if known and await self.store.get(CURSOR_KEY) is None:
            await self.store.set(CURSOR_KEY, str(max(known)))
        await self.store.delete(LEGACY_FOLLOWERS_KEY)
        for chat in legacy:
            await self.store.delete(legacy_cursor_key(int(chat)))

    async def _leased_work(self) -> None:
        """What the lease holder does: follow the ticket events and push policy-match notifications."""
        async with asyncio.TaskGroup() as group:
            group.create_task(self._follow_stream())
            group.create_task(self._push_notices_forever())

    async def _push_notices_forever(self) -> None:
        """Every `notices_seconds`, send followed enterprise chats their new policy-match notifications."""
        while True:
            try:
                await self.push_notices()
            except (ApiError, TelegramAPIError, RedisError, OSError) as exc:
                log.warning("policy notifications not pushed (%s); retrying", exc)
            await asyncio.sleep(self.notices_seconds)

    async def push_notices(self) -> int:
        """Send each followed enterprise chat its undelivered policy-match notifications, each once; how many."""
        sent = 0
        for chat_id, role in (await self.followers()).items():
            if role in STAFF_ROLES:
                continue
            api = self.api.as_user(chat_id)
            try:
                notices = await api.undelivered_notices()
            except (ApiRejected, ApiNotFound):  # not an enterprise user (any more): nothing to push
                continue
            if not notices:
                continue
            locale = await UserPrefs(self.store, chat_id).locale()
            for notice in notices:
                if not await self.store.add_once(f"notices:sent:{notice.id}:{chat_id}", ttl=SENT_TTL):
                    continue  # sent before a crash that came before marking it delivered
                with self.i18n.context(), self.i18n.use_locale(locale):
                    text, markup = notice_message(notice)
                await self.bot.send_message(chat_id, text, reply_markup=markup)
                sent += 1
            await api.mark_delivered([notice.id for notice in notices])
        return sent

    async def _follow_stream(self) -> None:
        """Reconnect with backoff for as long as this replica holds the lease."""
        delay = self.retry_delay
        while True:
            try:
                await self.follow_once()
                delay = self.retry_delay
            except (ApiError, *NOT_SENT_ERRORS) as exc:
                if isinstance(exc, TelegramRetryAfter):
                    delay = max(delay, float(exc.retry_after))
                log.warning("event stream interrupted (%s); retrying in %.0fs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.max_delay)
            else:
                await asyncio.sleep(self.retry_delay / 10)

    async def follow_once(self) -> None:
        """One connection: handle events until the server ends the stream."""
        last = await self.store.get(CURSOR_KEY)
        stream = self.api.service_events(last_event_id=str(last) if last is not None else None)
        async with contextlib.aclosing(stream):
            async for event in stream:
                # a stop lets the event finish: cut between claiming a send and sending, it would be lost
                await finish_first(self._handle_and_advance(event), grace=EVENT_GRACE_SECONDS)

    async def _handle_and_advance(self, event: Event) -> None:
        if event.event:  # an id-only frame just says where the stream starts
            await self.handle(event)
        await self.store.set(CURSOR_KEY, event.id)
        self.positioned.set()
        self.handled += 1

    async def handle(self, event: Event) -> None:
        """Notify every followed chat the event names, each in its language, each at most once.

        An internal event never reaches an enterprise chat, whatever the recipients say.
        """
        data = ServiceEventData.of(event)
        named = {*data.recipients.staff, *([] if data.internal else data.recipients.enterprise)}
        if not named:
            return
        if event.event in PROGRESS_EVENTS and not data.internal and data.recipients.enterprise:
            await record_progress(self.store, data.number, event.event, datetime.now(UTC).isoformat())
        followed = await self.store.hash_get(FOLLOWERS_KEY, [str(chat) for chat in sorted(named)])
        for chat, role in followed.items():
            chat_id = int(chat)
            as_staff = str(role) in STAFF_ROLES
            entitled = data.recipients.staff if as_staff else [] if data.internal else data.recipients.enterprise
            if chat_id in entitled:
                await self._notify(chat_id, event, data, as_staff=as_staff)

    async def _notify(self, chat_id: int, event: Event, data: ServiceEventData, *, as_staff: bool) -> None:
        locale = await UserPrefs(self.store, chat_id).locale()
        view: StaffTicket | None = None
        full: FullText | None = None
        if as_staff:
            if not await self._concerns_staff(chat_id, event):
                return
            view = await self._staff_view(chat_id, event)
            event = await self._whole_supervision(chat_id, event)
        else:
            full = await self._full_text(chat_id, event)
        with self.i18n.context(), self.i18n.use_locale(locale):
            rendered = self._staff_alert(event, data, view) if as_staff else self._enterprise_notice(event, full)
        if rendered is None:
            return
        guard = sent_key(event.id, chat_id)
        if not await self.store.add_once(guard, ttl=SENT_TTL):
            return  # told already: by this replica before a crash, or by another one
        try:
            for text, markup in rendered:
                sent = await send_long(self.bot, chat_id, text, reply_markup=markup)
                if event.number:  # a Telegram reply to any notice joins the ticket's thread
                    await remember_notice(self.store, chat_id, sent.message_id, event.number)
        except NOT_SENT_ERRORS:
            await self.store.delete(guard)
            raise
        except TelegramNetworkError as exc:  # it may have arrived: never risk a second copy
            log.warning("notice to chat %s about %s may be lost: %s", chat_id, event.number, exc)
        except TelegramAPIError as exc:  # blocked the bot, chat gone: nothing to retry
            log.warning("could not notify chat %s about %s: %s", chat_id, event.number, exc)

    async def _full_text(self, chat_id: int, event: Event) -> FullText | None:
        """The whole staff message an event only quotes the start of, and the ticket as its requester sees it."""
        excerpt = str(event.data.get("excerpt") or "")
        quoted = event.event in (EventType.MESSAGE, EventType.WAITING, EventType.RESOLVED)
        if not (quoted and len(excerpt) >= EXCERPT_CHARS) and event.event is not EventType.TRANSFERRED:
            return None  # a shorter excerpt is the whole message
        try:
            ticket = await self.api.as_user(chat_id).request(event.number)
        except ApiError as exc:  # the excerpt still goes out, marked as cut
            log.warning("could not read %s for chat %s: %s", event.number, chat_id, exc)
            return None
        staff_messages = [m for m in ticket.messages if m.author_role in STAFF_ROLES]
        body = next((m.body for m in reversed(staff_messages) if excerpt and m.body.startswith(excerpt)), None)
        return FullText(ticket, body)

    async def _concerns_staff(self, chat_id: int, event: Event) -> bool:
        """New tickets and notes reach the queue; an enterprise's answer, 预警 and 督办 its assignee (or all,
        unclaimed); 超时 the assignee and the queue's supervisors; an acknowledgement the 督办's author."""
        if event.event in (EventType.CREATED, EventType.NOTE):
            return True
        if event.event in SLA_EVENTS:
            return await self._named_in_sla_event(chat_id, event)
        if event.event is not EventType.MESSAGE or str(event.data.get("author_role")) != Role.ENTERPRISE:
            return False
        try:
            staff_api = self.api.as_user(chat_id)
            ticket = await staff_api.staff_ticket(event.number)
            me = await staff_api.me() if ticket.assignee else None
        except ApiError as exc:
            log.warning("could not read %s for staff chat %s: %s", event.number, chat_id, exc)
            return True
        return me is None or ticket.assignee in (me.display_name, me.username)

    async def _named_in_sla_event(self, chat_id: int, event: Event) -> bool:
        """Whether the staff member behind a chat is whom an SLA or 督办 event is for."""
        try:
            staff_api = self.api.as_user(chat_id)
            me = await staff_api.me()
            names = {name for name in (me.username, me.display_name) if name}
            if event.event is EventType.SUPERVISION_ACKNOWLEDGED:
                wanted = str(event.data.get("supervision_id"))
                found = [s for s in await staff_api.supervisions(event.number) if str(s.id) == wanted]
                return bool(found) and found[0].author in names
            assignee = (await staff_api.staff_ticket(event.number)).assignee
        except ApiError as exc:
            log.warning("could not read %s for staff chat %s: %s", event.number, chat_id, exc)
            return False
        if event.event is EventType.SLA_BREACHED and names & {str(n) for n in event.data.get("supervisors") or []}:
            return True
        return assignee is None or assignee in names

    async def _whole_supervision(self, chat_id: int, event: Event) -> Event:
        """A 督办 event with the whole note in place of its excerpt, when the excerpt was cut."""
        excerpt = str(event.data.get("excerpt") or "")
        if event.event is not EventType.SUPERVISED or len(excerpt) < EXCERPT_CHARS:
            return event
        wanted = str(event.data.get("supervision_id"))
        try:
            found = [s for s in await self.api.as_user(chat_id).supervisions(event.number) if str(s.id) == wanted]
        except ApiError as exc:  # the excerpt still goes out, marked as cut
            log.warning("could not read the supervisions of %s for chat %s: %s", event.number, chat_id, exc)
            found = []
        whole = found[0].body if found else excerpt + "…"
        return event.model_copy(update={"data": {**event.data, "excerpt": whole}})

    async def _staff_view(self, chat_id: int, event: Event) -> StaffTicket | None:
        """The ticket as the staff member sees it (queue and category names, due time); None if unreadable."""
        try:
            return await self.api.as_user(chat_id).staff_ticket(event.number)
        except ApiError as exc:  # the alert still goes out, with the keys the event carries
            log.warning("could not read %s for staff chat %s: %s", event.number, chat_id, exc)
            return None

    def _staff_alert(self, event: Event, data: ServiceEventData, view: StaffTicket | None) -> Rendered:
        number = escape(data.number)
        queue = escape(view.queue_name if view else data.queue or "")
        if event.event is EventType.CREATED:
            text = _("🆕 New ticket {number} in queue {queue}: {subject}").format(
                number=number, queue=queue, subject=escape(view.subject if view else str(event.data.get("subject", "")))
            )
            if view is not None:
                text += "\n" + staff_ticket_facts(view)
            return [(text, claim_keyboard(data.number))]
        if event.event is EventType.NOTE:
            text = _("📝 Internal note on {number} (queue {queue}):\n{body}").format(
                number=number, queue=queue, body=escape(str(event.data.get("excerpt", "")))
            )
            return [(text, None)]
        if event.event in SLA_EVENTS:
            return _sla_alert(event, data, view)
        if event.event is EventType.MESSAGE:
            whole = _last_message_starting(view, str(event.data.get("excerpt") or ""), author=Role.ENTERPRISE)
            text = _("💬 The enterprise answered on {number}:\n{body}").format(number=number, body=escape(whole))
            return [(text, staff_actions_keyboard(data.number))]
        return None

    def _enterprise_notice(self, event: Event, full: FullText | None) -> Rendered:
        number = escape(event.number)
        excerpt = str(event.data.get("excerpt") or event.data.get("body") or "")
        whole = full.body if full is not None and full.body is not None else None
        if whole is None and len(excerpt) >= EXCERPT_CHARS:
            whole = excerpt + "…"  # the thread could not be read: say the text goes on
        body = escape(whole if whole is not None else excerpt)
        by_staff = str(event.data.get("author_role", Role.STAFF)) in STAFF_ROLES
        if event.event is EventType.MESSAGE and by_staff:
            text = _("Staff replied on {number}:\n{body}\nReply to this message to answer.")
            return [(text.format(number=number, body=body), reply_button(event.number))]
        if event.event is EventType.WAITING:
            text = _("Staff need more information for {number}:\n{body}\nReply to this message to answer.")
            return [(text.format(number=number, body=body), reply_button(event.number))]
        if event.event is EventType.RESOLVED:
            text = _("Your request {number} has been resolved.").format(number=number)
            if body:
                text = f"{text}\n{body}"
            prompt = _("How satisfied are you with the handling of {number}? Choose one of the five levels:").format(
                number=number
            )
            return [(text, None), (prompt, rating_keyboard(event.number))]
        if event.event is EventType.TRANSFERRED and full is not None:
            text = _(
                "Request {number} was passed to {department}, which is responsible for it; "
                "its status is back to “{status}” until they take it up."
            ).format(
                number=number,
                department=escape(full.ticket.department or full.ticket.queue_name),
                status=escape(status_label(full.ticket.status)),
            )
            return [(text, None)]
        if event.event is EventType.CLOSED and event.data.get("auto_closed"):
            text = _("Request {number} was closed: it was resolved 5 working days ago and not rated.")
            return [(text.format(number=number), None)]
        if event.event in (EventType.CLAIMED, EventType.CANCELLED, EventType.TRANSFERRED):
            text = _("Request {number}: {status}").format(number=number, status=escape(status_label(event.status)))
            return [(text, None)]
        return None


def _last_message_starting(view: StaffTicket | None, excerpt: str, *, author: Role) -> str:
    """The whole message an event quoted the start of (the excerpt, marked as cut, when not found)."""
    if view is not None:
        for message in reversed(view.messages):
            if message.author_role == author and message.body.startswith(excerpt):
                return message.body
    return excerpt + "…" if len(excerpt) >= EXCERPT_CHARS else excerpt


def _due_text(event: Event, view: StaffTicket | None) -> str:
    """The due time an SLA event names (or the ticket's), as the zone reads it."""
    raw = event.data.get("due_at")
    try:
        due = datetime.fromisoformat(str(raw)) if raw else view.sla_due_at if view else None
    except ValueError:
        due = view.sla_due_at if view else None
    return zone_time(due) if due is not None else "—"


def _sla_alert(event: Event, data: ServiceEventData, view: StaffTicket | None) -> Rendered:
    """预警, 超时, 督办 and its acknowledgement: the queue by name, the ticket's number and its due time."""
    names = {
        "number": escape(data.number),
        "queue": escape(view.queue_name if view else data.queue or ""),
        "due": _due_text(event, view),
        "subject": escape(view.subject if view else ""),
    }
    if event.event is EventType.SLA_WARNING:
        minutes = int(event.data.get("remaining_minutes") or 0)
        text = _(
            "⏰ Time limit warning: {number} in queue {queue} is due at {due} "
            "({hours} h {minutes} min of working time left). {subject}"
        ).format(hours=minutes // 60, minutes=minutes % 60, **names)
        return [(text, staff_actions_keyboard(data.number))]
    if event.event is EventType.SLA_BREACHED:
        assignee = escape(str(event.data.get("assignee") or "—"))
        text = _("🚨 Overdue: {number} in queue {queue} passed its time limit ({due}). Assignee: {assignee}. {subject}")
        return [(text.format(assignee=assignee, **names), None)]
    by = escape(str(event.data.get("by") or ""))
    if event.event is EventType.SUPERVISED:
        text = _("📌 Supervision by {by} on {number} in queue {queue}, due {due}:\n{body}").format(
            by=by, body=escape(str(event.data.get("excerpt") or "")), **names
        )
        builder = InlineKeyboardBuilder()
        supervision = int(event.data.get("supervision_id") or 0)
        builder.button(text=_("Acknowledge"), callback_data=Acknowledge(number=data.number, supervision=supervision))
        return [(text, builder.as_markup())]
    text = _("✅ {by} acknowledged your supervision of {number} (queue {queue}, due {due}).")
    return [(text.format(by=by, **names), None)]
