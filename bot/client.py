"""Typed async client of the zonedesk HTTP API: the bot's only way to reach the service."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError

from common.ask import AnswerAction, Intent, PickChoice
from common.documents import DocumentLevel, DocumentStatus
from common.eligibility import FactType, VerdictStatus
from common.roles import Role
from common.tickets import EventType, TicketStatus

API = "/api/v1"
Profile = dict[str, str | bool | int | None]
M = TypeVar("M", bound=BaseModel)
log = logging.getLogger(__name__)


class ApiError(Exception):
    """The API answered with an error status; `detail` is its Chinese-first message."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"{status}: {detail}")
        self.status = status
        self.detail = detail


class ApiUnavailable(ApiError):
    """The API is down, timed out, or failed (5xx): ask the user to try again later."""


class ApiNotFound(ApiError):
    """404: no such resource (or not visible to this user)."""


class ApiConflict(ApiError):
    """409: lost a race (claim taken, stale version)."""


class ApiRejected(ApiError):
    """400/401/403/422: the request was refused; `detail` says why."""


class _Model(BaseModel):
    """A response shape: unknown fields are ignored, a missing or mistyped field is contract drift."""

    model_config = ConfigDict(extra="ignore")


class DocumentRef(_Model):
    """The document an answer (or another source) comes from."""

    id: str
    title: str
    doc_number: str | None  # 文号, e.g. 川府发〔2021〕12号
    level: DocumentLevel
    status: DocumentStatus
    level_label: str  # the API's Chinese label (省级); the bot shows its own, translated
    status_label: str


class OtherSource(_Model):
    """A current measure of another document that answers about as well."""

    measure_id: str
    label: str
    title: str
    document: DocumentRef


class Match(_Model):
    """One ranked measure (or FAQ entry) for a question."""

    measure_id: str
    number: int
    title: str
    score: float
    faq_id: str | None
    document_id: str
    label: str  # the ordinal as written: （八）, 第三条, 3.


class Answer(_Model):
    """The answer card's content and the document it comes from."""

    title: str
    summary: str
    lead_units: list[str]
    participating_units: list[str]
    actions: list[AnswerAction]
    label: str | None  # null for chitchat and out of scope
    document: DocumentRef | None
    notice: str | None  # the API's Chinese caveat: a draft, or a document no longer current
    others: list[OtherSource]


class Clarify(_Model):
    """A measure offered under 「您想问的是：」, with the document it comes from."""

    measure_id: str
    label: str
    title: str
    document: DocumentRef | None


class AskResult(_Model):
    """`POST /ask`: intent, confidence, ranked matches, the answer, and the measures to offer when unsure."""

    text: str
    intent: Intent
    confident: bool
    category: str | None
    matches: list[Match]
    answer: Answer
    clarify: list[Clarify] = []

    @property
    def top(self) -> Match | None:
        """The first-ranked match, if any."""
        return self.matches[0] if self.matches else None


class PickResult(_Model):
    """`POST /ask/pick`: the recorded pick and, for a measure, its answer."""

    id: int
    choice: PickChoice
    measure_id: str | None
    result: AskResult | None


class Measure(_Model):
    """A policy measure with its full text."""

    id: str
    number: int
    label: str
    title: str
    body: str
    lead_units: list[str]
    participating_units: list[str]


class Option(_Model):
    """A choice for a fact: the stored value and its Chinese (and English) label."""

    value: bool | int | str
    label: str
    label_en: str

    @property
    def key(self) -> str:
        """The value as button data: JSON spelling for booleans."""
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        return str(self.value)


class Fact(_Model):
    """A fact of the enterprise profile and how to ask for it."""

    name: str
    type: FactType
    label: str
    label_en: str
    question: str
    question_en: str
    options: list[Option]


class FactList(_Model):
    """`GET /facts`: every fact, in interview tie-break order."""

    items: list[Fact]
    total: int


class Question(_Model):
    """The next question of the eligibility interview."""

    fact: str
    question: str
    question_en: str
    type: FactType
    options: list[Option]
    help: str = ""


class Verdict(_Model):
    """One clause's outcome for a profile."""

    clause_id: str
    measure_id: str
    title: str
    status: VerdictStatus
    reasons: list[str]
    missing: list[str]
    benefit: str
    lead_unit: str
    measure_label: str = ""
    document_title: str = ""
    amount: str | None = None


class EligibilityResult(_Model):
    """`POST /eligibility/check`: verdicts and the question that decides most open clauses."""

    verdicts: list[Verdict]
    next_question: Question | None


class PolicyNotice(_Model):
    """A clause the enterprise now meets (or is one fact from): `GET /notifications`."""

    id: int
    clause_id: str
    measure_id: str
    status: VerdictStatus
    title: str
    benefit: str


class PolicyNoticePage(_Model):
    """A page of policy-match notifications."""

    items: list[PolicyNotice]
    total: int


class MyPolicy(_Model):
    """A clause the enterprise meets or may meet: `GET /my/policies`."""

    clause_id: str
    measure_id: str
    measure_label: str
    document_title: str
    title: str
    status: VerdictStatus
    benefit: str
    amount: str | None
    lead_unit: str
    unknown: list[str]


class MyPolicies(_Model):
    """我的政策."""

    items: list[MyPolicy]
    total: int


class SavedProfile(_Model):
    """`GET /profile`: the saved eligibility answers."""

    profile: dict[str, str | bool | int | None]


class TicketMessage(_Model):
    """One public message of a ticket's thread."""

    author_role: Role
    author_name: str
    body: str
    created_at: datetime | None = None
    internal: bool = False  # staff see internal notes too


class ClauseCount(_Model):
    """`GET /clauses?measure_id=`: how many eligibility clauses a measure has."""

    total: int


class Guide(_Model):
    """办事指南 of a category: materials, 承诺时限 and 法定时限 in working days, fee, office and hours."""

    materials: list[str]
    promised_days: int
    statutory_days: int
    fee: str
    location: str = ""
    hours: str = ""


class TicketGuide(Guide):
    """The category's guide on a ticket: the materials not yet received."""

    missing: list[str] = []


class Supervision(_Model):
    """A 督办: who wrote it, to whom, and whether it was acknowledged."""

    id: int
    number: str
    body: str
    author: str | None
    assignee: str | None
    acknowledged: bool


class SupervisionList(_Model):
    """A ticket's 督办."""

    items: list[Supervision]
    total: int


class Ticket(_Model):
    """A service request as its requester sees it."""

    number: str
    status: TicketStatus
    status_name: str
    category: str
    category_name: str
    queue: str
    queue_name: str
    subject: str
    body: str
    contact: str
    version: int
    department: str = ""
    created_at: datetime | None = None
    sla_due_at: datetime | None = None
    resolved_at: datetime | None = None


class TicketDetail(Ticket):
    """A service request with its public thread and its category's 办事指南."""

    messages: list[TicketMessage]
    guide: TicketGuide | None = None


class StaffTicketSummary(Ticket):
    """A ticket as staff list it: plus requester, enterprise, assignee and whether it is overdue."""

    requester: str
    enterprise: str | None
    assignee: str | None
    overdue: bool


class StaffTicket(StaffTicketSummary):
    """A ticket as staff see it, with its whole thread (internal notes included) and its 办事指南."""

    messages: list[TicketMessage]
    guide: TicketGuide | None = None


class StaffTicketPage(_Model):
    """A page of a queue's tickets."""

    items: list[StaffTicketSummary]
    total: int


class QueueInfo(_Model):
    """A queue a staff member works: its key, name and department."""

    key: str
    name: str
    department: str


class QueueList(_Model):
    """`GET /queues`: the caller's queues."""

    items: list[QueueInfo]
    total: int


class TicketPage(_Model):
    """A page of tickets."""

    items: list[Ticket]
    total: int


class Enterprise(_Model):
    """An enterprise by name and 统一社会信用代码."""

    name: str
    uscc: str


class Me(_Model):
    """The account behind the Telegram user: role, bound enterprise, queues (staff)."""

    role: Role
    username: str | None = None
    display_name: str | None
    enterprise: Enterprise | None
    queues: list[str]


class ServiceCategory(_Model):
    """A category a service request may name: its key, Chinese name and queue."""

    category: str
    name: str
    queue: str
    guide: Guide | None = None


class CategoryList(_Model):
    """`GET /categories`: every service category."""

    items: list[ServiceCategory]
    total: int


class _EventData(_Model):
    """What every event's data holds at least."""

    number: str
    status: TicketStatus


class Event(_Model):
    """One server-sent event: monotonic id, type and JSON data (at least number and status)."""

    id: str
    event: EventType | None  # None: a frame that only moves the cursor
    data: dict[str, Any]

    @property
    def number(self) -> str:
        """The ticket number the event is about."""
        return str(self.data.get("number", ""))

    @property
    def status(self) -> str:
        """The ticket's status after the change."""
        return str(self.data.get("status", ""))


class EventRecipients(_Model):
    """Whom an event of the service stream is for: Telegram user ids, enterprise side and staff side."""

    enterprise: list[int]
    staff: list[int]


class ServiceEventData(_Model):
    """The data of an event on the bot's service stream: the ticket, its queue and its recipients."""

    number: str
    status: TicketStatus
    queue: str | None
    internal: bool  # an internal note: staff only, whatever the recipients say
    recipients: EventRecipients

    @classmethod
    def of(cls, event: Event) -> ServiceEventData:
        """The typed data of an event the service stream delivered (checked by the parser already)."""
        return cls.model_validate(event.data)


class Attachment(_Model):
    """A file stored on a ticket."""

    id: int
    name: str
    size: int
    content_type: str


def _detail_of(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200] or response.reason_phrase
    if isinstance(body, dict) and "detail" in body:
        return str(body["detail"])
    return response.reason_phrase


def _raise_for(response: httpx.Response) -> None:
    status = response.status_code
    if status < 400:
        return
    detail = _detail_of(response)
    if status >= 500:
        raise ApiUnavailable(status, detail)
    if status == 404:
        raise ApiNotFound(status, detail)
    if status == 409:
        raise ApiConflict(status, detail)
    raise ApiRejected(status, detail)


def _parse(model: type[M], payload: Any) -> M:
    try:
        return model.model_validate(payload)
    except ValidationError as exc:  # a contract drift is an outage for the user, not a crash
        raise ApiUnavailable(502, f"unexpected response: {exc.error_count()} errors") from exc


class ApiClient:
    """The API seen by the bot, optionally acting for one Telegram user."""

    def __init__(self, http: httpx.AsyncClient, *, telegram_user_id: int | None = None) -> None:
        self._http = http
        self.telegram_user_id = telegram_user_id

    @classmethod
    def connect(
        cls,
        base_url: str,
        service_token: str | None,
        *,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> ApiClient:
        """A client with its own connection pool; close it with `aclose()`."""
        headers = {"Authorization": f"Bearer {service_token}"} if service_token else {}
        http = httpx.AsyncClient(base_url=base_url.rstrip("/"), headers=headers, timeout=timeout, transport=transport)
        return cls(http)

    def as_user(self, telegram_user_id: int) -> ApiClient:
        """A view of this client acting for a Telegram user (same connection pool)."""
        return ApiClient(self._http, telegram_user_id=telegram_user_id)

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    def _headers(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        headers = dict(extra or {})
        if self.telegram_user_id is not None:
            headers["X-Telegram-User-Id"] = str(self.telegram_user_id)
        return headers

    async def _request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
    ) -> httpx.Response:
        try:
            response = await self._http.request(
                method, API + path, json=json_body, params=params, headers=self._headers(headers), files=files
            )
        except httpx.HTTPError as exc:
            raise ApiUnavailable(503, f"{type(exc).__name__}: {exc}") from exc
        _raise_for(response)
        return response

    async def ask(self, text: str, *, log: bool = True) -> AskResult:
        """Match a question to the measure (or FAQ entry) that answers it.

        `log=False` for text that is no question (a request draft): it never enters the unanswered log.
        """
        response = await self._request("POST", "/ask", json_body={"text": text, "log": log})
        return _parse(AskResult, response.json())

    async def pick(
        self, *, text: str, choice: PickChoice, measure_id: str | None = None, offered: list[str] | None = None
    ) -> PickResult:
        """Record the answer to 「您想问的是：」; a picked measure comes back with its answer."""
        body = {"text": text, "choice": choice.value, "measure_id": measure_id, "offered": offered or []}
        response = await self._request("POST", "/ask/pick", json_body=body)
        return _parse(PickResult, response.json())

    async def has_clauses(self, measure_id: str) -> bool:
        """Whether a measure has eligibility clauses (what 看看我是否符合 checks)."""
        response = await self._request("GET", "/clauses", params={"measure_id": measure_id})
        return _parse(ClauseCount, response.json()).total > 0

    async def measure(self, measure_id: str) -> Measure:
        """One measure with its full text."""
        response = await self._request("GET", f"/measures/{quote(measure_id, safe='')}")
        return _parse(Measure, response.json())

    async def send_feedback(self, *, text: str, measure_id: str | None, helpful: bool) -> None:
        """Record 👍/👎 on an answer for the admins."""
        body = {"text": text, "measure_id": measure_id, "helpful": helpful}
        await self._request("POST", "/feedback", json_body=body)

    async def facts(self) -> list[Fact]:
        """The facts of the enterprise profile, with questions and options."""
        response = await self._request("GET", "/facts")
        return _parse(FactList, response.json()).items

    async def check_eligibility(
        self, profile: Profile, *, measure_id: str | None = None, skipped: Sequence[str] = ()
    ) -> EligibilityResult:
        """Verdicts (of one measure's clauses when given) and the next question, never a skipped fact."""
        body = {"profile": profile, "measure_id": measure_id, "skipped": list(skipped)}
        response = await self._request("POST", "/eligibility/check", json_body=body)
        return _parse(EligibilityResult, response.json())

    async def undelivered_notices(self) -> list[PolicyNotice]:
        """Policy-match notifications the bot has not sent yet."""
        response = await self._request("GET", "/notifications", params={"undelivered": "true"})
        return _parse(PolicyNoticePage, response.json()).items

    async def mark_delivered(self, ids: Sequence[int]) -> None:
        """Record that the bot sent these notifications."""
        await self._request("POST", "/notifications/delivered", json_body={"ids": list(ids)})

    async def my_policies(self) -> list[MyPolicy]:
        """Every clause the enterprise meets or may meet."""
        response = await self._request("GET", "/my/policies")
        return _parse(MyPolicies, response.json()).items

    async def profile(self) -> Profile:
        """The saved eligibility answers (the enterprise's when the user is bound)."""
        response = await self._request("GET", "/profile")
        return dict(_parse(SavedProfile, response.json()).profile)

    async def save_profile(self, profile: Profile) -> None:
        """Keep the eligibility answers on the enterprise's profile for the next self-check."""
        await self._request("PUT", "/profile", json_body={"profile": profile})

    async def submit_request(
        self, *, category: str | None, subject: str, body: str, contact: str, idempotency_key: str
    ) -> TicketDetail:
        """File a service request; a retry with the same key returns the first ticket."""
        payload = {"category": category, "subject": subject, "body": body, "contact": contact}
        response = await self._request(
            "POST", "/requests", json_body=payload, headers={"Idempotency-Key": idempotency_key}
        )
        return _parse(TicketDetail, response.json())

    async def my_requests(self, *, limit: int = 10, offset: int = 0) -> TicketPage:
        """The user's (or their enterprise's) requests, newest first."""
        response = await self._request("GET", "/requests", params={"limit": limit, "offset": offset})
        return _parse(TicketPage, response.json())

    async def request(self, number: str) -> TicketDetail:
        """One of the user's requests."""
        response = await self._request("GET", f"/requests/{quote(number, safe='')}")
        return _parse(TicketDetail, response.json())

    async def categories(self) -> list[ServiceCategory]:
        """The service categories a request may name (public; admins add and rename them)."""
        response = await self._request("GET", "/categories")
        return _parse(CategoryList, response.json()).items

    async def add_message(self, number: str, body: str) -> None:
        """Add the requester's message to a ticket's thread."""
        await self._request("POST", f"/requests/{quote(number, safe='')}/messages", json_body={"body": body})

    async def attach(self, number: str, *, name: str, data: bytes, content_type: str) -> Attachment:
        """Send a file on the requester's ticket (413 over 10 MiB, 415 for a kind the desk takes not)."""
        files = {"file": (name, data, content_type)}
        response = await self._request("POST", f"/requests/{quote(number, safe='')}/attachments", files=files)
        return _parse(Attachment, response.json())

    async def rate(self, number: str, score: int, comment: str = "") -> None:
        """Rate a resolved request 1–5 (好差评); this closes it."""
        payload = {"score": score, "comment": comment}
        await self._request("POST", f"/requests/{quote(number, safe='')}/rating", json_body=payload)

    async def me(self) -> Me:
        """The account the Telegram user acts as."""
        response = await self._request("GET", "/auth/me")
        return _parse(Me, response.json())

    async def bind_enterprise(self, *, uscc: str, binding_code: str) -> Me:
        """Bind the Telegram user to an enterprise: 统一社会信用代码 + the binding code the zone issued."""
        payload = {"uscc": uscc, "binding_code": binding_code}
        response = await self._request("POST", "/auth/bind", json_body=payload)
        return _parse(Me, response.json())

    async def link_telegram(self, code: str) -> Me:
        """Link this Telegram user to the staff account whose one-time console code this is."""
        response = await self._request("POST", "/auth/telegram-link", json_body={"code": code})
        return _parse(Me, response.json())

    async def claim(self, number: str) -> None:
        """Claim a ticket for the staff member behind this Telegram user."""
        await self._request("POST", f"/tickets/{quote(number, safe='')}/claim")

    async def staff_ticket(self, number: str) -> StaffTicket:
        """A ticket as the staff member behind this Telegram user sees it."""
        response = await self._request("GET", f"/tickets/{quote(number, safe='')}")
        return _parse(StaffTicket, response.json())

    async def staff_act(self, number: str, action: str, payload: Mapping[str, Any]) -> StaffTicket:
        """A staff write (reply, wait, resolve, transfer) carrying the ticket's current version."""
        version = (await self.staff_ticket(number)).version
        body = {**payload, "version": version}
        response = await self._request("POST", f"/tickets/{quote(number, safe='')}/{action}", json_body=body)
        return _parse(StaffTicket, response.json())

    async def supervisions(self, number: str) -> list[Supervision]:
        """A ticket's 督办, for staff."""
        response = await self._request("GET", f"/tickets/{quote(number, safe='')}/supervisions")
        return _parse(SupervisionList, response.json()).items

    async def acknowledge_supervision(self, number: str, supervision_id: int) -> Supervision:
        """The assignee acknowledges a 督办 (409 when already acknowledged)."""
        path = f"/tickets/{quote(number, safe='')}/supervisions/{supervision_id}/acknowledge"
        return _parse(Supervision, (await self._request("POST", path)).json())

    async def queues(self) -> list[QueueInfo]:
        """The staff member's queues."""
        response = await self._request("GET", "/queues")
        return _parse(QueueList, response.json()).items

    async def queue_tickets(self, key: str, *, status: str = "new", limit: int = 10) -> StaffTicketPage:
        """A queue's tickets of one status (or `open`, `all`), overdue first."""
        params: dict[str, str | int] = {"status": status, "limit": limit}
        response = await self._request("GET", f"/queues/{quote(key, safe='')}/tickets", params=params)
        return _parse(StaffTicketPage, response.json())

    async def events(
        self, *, last_event_id: str | None, read_timeout: float = 60.0, data_model: type[BaseModel] = _EventData
    ) -> AsyncGenerator[Event, None]:
        """Follow the event stream from after `last_event_id` until the server closes it."""
        headers = self._headers({"Accept": "text/event-stream"})
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        timeout = httpx.Timeout(10.0, read=read_timeout)
        try:
            async with self._http.stream("GET", API + "/events", headers=headers, timeout=timeout) as response:
                if response.status_code >= 400:
                    await response.aread()
                    _raise_for(response)
                async for event in _parse_sse(response.aiter_lines(), data_model):
                    yield event
        except httpx.HTTPError as exc:
            raise ApiUnavailable(503, f"{type(exc).__name__}: {exc}") from exc

    def service_events(self, *, last_event_id: str | None, read_timeout: float = 60.0) -> AsyncGenerator[Event, None]:
        """The bot's own stream (service token, no Telegram user): every event with Telegram recipients.

        Each event's data is a `ServiceEventData`; one that is not only moves the cursor (logged).
        """
        return ApiClient(self._http).events(
            last_event_id=last_event_id, read_timeout=read_timeout, data_model=ServiceEventData
        )


async def _parse_sse(lines: AsyncIterator[str], data_model: type[BaseModel] = _EventData) -> AsyncIterator[Event]:
    """Server-sent events from their text lines (comments and id-less events skipped)."""
    event_id: str | None = None
    last_yielded: str | None = None
    name = "message"
    data: list[str] = []
    async for line in lines:
        if line == "":
            if event_id is not None and (data or event_id != last_yielded):
                # an id without data only moves the cursor (the stream says where it starts)
                yield _event_of(event_id, name, "\n".join(data), data_model) if data else _cursor_only(event_id)
                last_yielded = event_id
            name, data = "message", []
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "id":
            event_id = value
        elif field == "event":
            name = value
        elif field == "data":
            data.append(value)


def _cursor_only(event_id: str) -> Event:
    return Event(id=event_id, event=None, data={})


def _event_of(event_id: str, name: str, raw: str, data_model: type[BaseModel] = _EventData) -> Event:
    """A typed event; one the bot cannot read only moves the cursor, so it never blocks the stream."""
    try:
        payload = json.loads(raw)
        data_model.model_validate(payload)
        return Event(id=event_id, event=EventType(name), data=payload)
    except (ValueError, ValidationError):  # a retry would meet the same event again: skip it, loudly
        log.warning("skipping event %s (%s) that does not match the contract: %.200s", event_id, name, raw)
        return _cursor_only(event_id)
