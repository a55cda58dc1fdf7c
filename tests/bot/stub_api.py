"""A stand-in for the zonedesk API with the contract's shapes, for focused handler tests.

Only until the real routes (ask, eligibility, requests, events) are merged: the end-to-end tests run
against the real API app.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Header, HTTPException, Request
from fastapi.responses import JSONResponse, StreamingResponse

SERVICE_TOKEN = "stub-service-token"
M8 = "sichuan-hitech-zones-draft#8"
MEASURE_8 = {
    "id": M8,
    "number": 8,
    "label": "（八）",
    "title": "支持外资研发中心建设",
    "body": "对经认定的外资研发中心，按研发投入给予一次性奖补。（牵头单位：科技厅）",
    "lead_units": ["科技厅"],
    "participating_units": ["商务厅"],
}
FACTS = [
    {
        "name": "zone_level",
        "type": "enum",
        "question": "企业所在园区级别？",
        "question_en": "Zone level?",
        "label": "园区级别",
        "options": [
            {"value": "national", "label": "国家级"},
            {"value": "provincial", "label": "省级"},
            {"value": "none", "label": "都不是"},
        ],
    },
    {
        "name": "org_type",
        "type": "enum",
        "question": "单位类型？",
        "label": "单位类型",
        "options": [{"value": "enterprise", "label": "企业"}, {"value": "university", "label": "高校"}],
    },
    {
        "name": "ownership",
        "type": "enum",
        "question": "内资还是外资？",
        "label": "资本来源",
        "options": [{"value": "domestic", "label": "内资"}, {"value": "foreign", "label": "外资"}],
    },
    {
        "name": "certified_foreign_rd_center",
        "type": "bool",
        "question": "是否设有通过认定的外资研发机构？",
        "label": "外资研发机构",
        "options": [{"value": True, "label": "是"}, {"value": False, "label": "否"}],
    },
]
M8_CONDITION = {
    "zone_level": ("national", "provincial"),
    "org_type": ("enterprise",),
    "ownership": ("foreign",),
    "certified_foreign_rd_center": (True,),
}


class StubApi:
    """The stub's state: tickets, events, feedback; `down` makes every route answer 503."""

    def __init__(self) -> None:
        self.down = False
        self.tickets: dict[str, dict[str, Any]] = {}
        self.keys: dict[str, str] = {}
        self.events: list[dict[str, Any]] = []
        self.feedback: list[dict[str, Any]] = []
        self.ratings: dict[str, int] = {}
        self.profiles: dict[str, dict[str, Any]] = {}
        self._changed = asyncio.Event()

    def emit(self, type_: str, number: str, **data: Any) -> None:
        """Append an event to the stream."""
        ticket = self.tickets[number]
        self.events.append(
            {"id": len(self.events) + 1, "event": type_, "data": {"number": number, "status": ticket["status"], **data}}
        )
        self._changed.set()

    def staff_reply(self, number: str, body: str, *, ask_more: bool = False) -> None:
        """What a staff reply through the API does."""
        ticket = self.tickets[number]
        ticket["status"] = "waiting_enterprise" if ask_more else "claimed"
        ticket["messages"].append({"author_role": "staff", "body": body})
        self.emit("ticket.waiting" if ask_more else "ticket.message", number, excerpt=body, author_role="staff")

    def resolve(self, number: str) -> None:
        """Staff resolve the ticket."""
        self.tickets[number]["status"] = "resolved"
        self.emit("ticket.resolved", number)


def _user(authorization: str | None, telegram_user_id: str | None) -> int:
    if authorization != f"Bearer {SERVICE_TOKEN}" or not telegram_user_id:
        raise HTTPException(401, "请先登录 (authentication required)")
    return int(telegram_user_id)


def _verdict(profile: dict[str, Any]) -> dict[str, Any]:
    missing, failed = [], []
    for fact, allowed in M8_CONDITION.items():
        value = profile.get(fact)
        if value is None:
            missing.append(fact)
        elif value not in allowed:
            failed.append(f"{fact} 不满足条件")
    status = "ineligible" if failed else ("needs_info" if missing else "eligible")
    return {
        "clause_id": "m8-foreign-rd-subsidy",
        "measure_id": M8,
        "title": "外资研发中心奖补",
        "status": status,
        "reasons": failed,
        "missing": sorted(missing) if status == "needs_info" else [],
        "benefit": "研发投入一次性奖补",
        "lead_unit": "科技厅",
    }


def create_stub_app(stub: StubApi) -> FastAPI:
    """The stub's routes under /api/v1."""
    app = FastAPI()

    @app.middleware("http")
    async def outage(request: Request, call_next: Any) -> Any:
        if stub.down:
            return JSONResponse({"detail": "服务不可用"}, status_code=503)
        return await call_next(request)

    @app.post("/api/v1/ask")
    async def ask(body: dict[str, Any]) -> dict[str, Any]:
        text = body["text"]
        if "住房" in text or "住房" in text:
            return {
                "text": text,
                "intent": "service",
                "confident": True,
                "category": "housing",
                "matches": [{"measure_id": M8, "number": 8, "title": MEASURE_8["title"], "score": 0.7}],
                "answer": {
                    "title": "人才住房",
                    "summary": "可申请人才住房保障。",
                    "lead_units": ["住建厅"],
                    "participating_units": [],
                    "actions": ["contact_staff"],
                },
            }
        confident = "研发" in text
        return {
            "text": text,
            "intent": "policy",
            "confident": confident,
            "category": None,
            "matches": [{"measure_id": M8, "number": 8, "title": MEASURE_8["title"], "score": 0.9, "faq_id": None}],
            "answer": {
                "title": MEASURE_8["title"],
                "summary": MEASURE_8["body"],
                "lead_units": ["科技厅"],
                "participating_units": ["商务厅"],
                "actions": ["check_eligibility", "contact_staff"],
            },
        }

    @app.get("/api/v1/measures/{measure_id:path}")
    async def measure(measure_id: str) -> dict[str, Any]:
        if measure_id != M8:
            raise HTTPException(404, "未找到")
        return MEASURE_8

    @app.post("/api/v1/feedback", status_code=201)
    async def feedback(body: dict[str, Any]) -> dict[str, Any]:
        stub.feedback.append(body)
        return body

    @app.get("/api/v1/profile")
    async def read_profile(x_telegram_user_id: str = Header("")) -> dict[str, Any]:
        return {"profile": stub.profiles.get(x_telegram_user_id, {})}

    @app.put("/api/v1/profile")
    async def write_profile(body: dict[str, Any], x_telegram_user_id: str = Header("")) -> dict[str, Any]:
        saved = {k: v for k, v in body["profile"].items() if v is not None}
        stub.profiles[x_telegram_user_id] = saved
        return {"profile": saved}

    @app.get("/api/v1/facts")
    async def facts() -> dict[str, Any]:
        return {"items": FACTS, "total": len(FACTS)}

    @app.post("/api/v1/eligibility/check")
    async def check(body: dict[str, Any]) -> dict[str, Any]:
        profile = body["profile"]
        verdict = _verdict(profile)
        nxt = next((f for f in FACTS if f["name"] in verdict["missing"]), None)
        question = {"fact": nxt["name"], "question": nxt["question"], "options": nxt["options"]} if nxt else None
        return {"verdicts": [verdict], "next_question": question}

    @app.post("/api/v1/requests", status_code=201)
    async def submit(
        body: dict[str, Any],
        authorization: str | None = Header(None),
        x_telegram_user_id: str | None = Header(None),
        idempotency_key: str | None = Header(None),
    ) -> Any:
        user = _user(authorization, x_telegram_user_id)
        if idempotency_key in stub.keys:
            return JSONResponse(stub.tickets[stub.keys[idempotency_key]], status_code=200)
        number = f"ZD-{len(stub.tickets) + 1:06d}"
        ticket = {
            "number": number,
            "status": "new",
            "category": body.get("category") or "other",
            "queue": "talent",
            "subject": body["subject"],
            "body": body["body"],
            "contact": body["contact"],
            "user": user,
            "messages": [],
        }
        stub.tickets[number] = ticket
        if idempotency_key:
            stub.keys[idempotency_key] = number
        stub.emit(
            "ticket.created",
            number,
            subject=body["subject"],
        )
        return ticket

    @app.get("/api/v1/requests")
    async def my(authorization: str | None = Header(None), x_telegram_user_id: str | None = Header(None)) -> Any:
        user = _user(authorization, x_telegram_user_id)
        items = [t for t in stub.tickets.values() if t["user"] == user]
        return {"items": items[::-1], "total": len(items)}

    @app.post("/api/v1/requests/{number}/messages")
    async def message(
        number: str,
        body: dict[str, Any],
        authorization: str | None = Header(None),
        x_telegram_user_id: str | None = Header(None),
    ) -> Any:
        user = _user(authorization, x_telegram_user_id)
        ticket = stub.tickets.get(number)
        if ticket is None or ticket["user"] != user:
            raise HTTPException(404, "未找到该申请")
        ticket["messages"].append({"author_role": "enterprise", "body": body["body"]})
        stub.emit("ticket.message", number, body=body["body"], author_role="enterprise")
        return ticket

    @app.post("/api/v1/requests/{number}/rating")
    async def rating(
        number: str,
        body: dict[str, Any],
        authorization: str | None = Header(None),
        x_telegram_user_id: str | None = Header(None),
    ) -> Any:
        _user(authorization, x_telegram_user_id)
        stub.ratings[number] = int(body["score"])
        stub.tickets[number]["status"] = "closed"
        return stub.tickets[number]

    @app.post("/api/v1/auth/bind")
    async def bind(
        body: dict[str, Any], authorization: str | None = Header(None), x_telegram_user_id: str | None = Header(None)
    ) -> Any:
        _user(authorization, x_telegram_user_id)
        if (body["uscc"], body["binding_code"]) != ("91350100M000100Y43", "ABCD1234"):
            raise HTTPException(404, "统一社会信用代码或绑定码不正确 (no enterprise matches)")
        return {
            "role": "enterprise",
            "enterprise": {"name": "成都示例科技有限公司", "uscc": body["uscc"]},
            "queues": [],
        }

    @app.get("/api/v1/events")
    async def events(
        authorization: str | None = Header(None),
        last_event_id: str | None = Header(None),
        x_telegram_user_id: str | None = Header(None),
    ) -> Any:
        user = _user(authorization, x_telegram_user_id)
        start = int(last_event_id) if last_event_id else len(stub.events)

        def visible(event: dict[str, Any]) -> bool:
            return stub.tickets[event["data"]["number"]]["user"] == user

        async def frames() -> AsyncIterator[str]:
            yield f"id: {start}\n: start\n\n"
            cursor = start
            while True:
                while cursor < len(stub.events):
                    event = stub.events[cursor]
                    cursor += 1
                    if not visible(event):
                        continue
                    yield f"id: {event['id']}\nevent: {event['event']}\ndata: {json.dumps(event['data'])}\n\n"
                stub._changed.clear()
                try:
                    await asyncio.wait_for(stub._changed.wait(), 1.0)
                except TimeoutError:
                    yield ": ping\n\n"

        return StreamingResponse(frames(), media_type="text/event-stream")

    return app
