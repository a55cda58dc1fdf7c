"""The bot's client models against the API's real OpenAPI schema: what the bot requires, the API promises.

Every model of `bot/client.py` that parses a response is mapped below to the route (method, path,
status) that sends it, or to the field of a mapped model that holds it. For each field the client
requires, the API's response schema must have it, required, with a compatible type: a field the
client cannot take null for is never null in the API, every JSON type the API may send parses, and
a closed set on the client (StrEnum, Literal) is the API's enum exactly — no value the API does not
send, none the client would refuse.
"""

from __future__ import annotations

import enum
import inspect
import types
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import pytest
from pydantic import BaseModel

import bot.client as client
from api.main import create_app
from api.settings import Settings
from policy_index.library import PolicyLibrary

Schema = dict[str, Any]


@dataclass(frozen=True)
class Route:
    """A response: the route that sends it and its status."""

    method: str
    path: str
    status: int


@dataclass(frozen=True)
class Within:
    """A nested response shape: the model and field that hold it (list items and null unwrapped)."""

    parent: type[BaseModel]
    field: str


CONTRACT: dict[type[BaseModel], tuple[Route | Within, ...]] = {
    client.AskResult: (Route("POST", "/api/v1/ask", 200), Within(client.PickResult, "result")),
    client.PickResult: (Route("POST", "/api/v1/ask/pick", 201),),
    client.Clarify: (Within(client.AskResult, "clarify"),),
    client.Match: (Within(client.AskResult, "matches"),),
    client.Answer: (Within(client.AskResult, "answer"),),
    client.DocumentRef: (
        Within(client.Answer, "document"),
        Within(client.OtherSource, "document"),
        Within(client.Clarify, "document"),
    ),
    client.OtherSource: (Within(client.Answer, "others"),),
    client.Measure: (Route("GET", "/api/v1/measures/{measure_id}", 200),),
    client.FactList: (Route("GET", "/api/v1/facts", 200),),
    client.Fact: (Within(client.FactList, "items"),),
    client.Option: (Within(client.Fact, "options"), Within(client.Question, "options")),
    client.EligibilityResult: (Route("POST", "/api/v1/eligibility/check", 200),),
    client.Verdict: (Within(client.EligibilityResult, "verdicts"),),
    client.Question: (Within(client.EligibilityResult, "next_question"),),
    client.SavedProfile: (Route("GET", "/api/v1/profile", 200),),
    client.PolicyNoticePage: (Route("GET", "/api/v1/notifications", 200),),
    client.PolicyNotice: (Within(client.PolicyNoticePage, "items"),),
    client.MyPolicies: (Route("GET", "/api/v1/my/policies", 200),),
    client.MyPolicy: (Within(client.MyPolicies, "items"),),
    client.TicketDetail: (Route("POST", "/api/v1/requests", 201), Route("GET", "/api/v1/requests/{number}", 200)),
    client.TicketMessage: (Within(client.TicketDetail, "messages"),),
    client.TicketPage: (Route("GET", "/api/v1/requests", 200),),
    client.Ticket: (Within(client.TicketPage, "items"),),
    client.Me: (Route("GET", "/api/v1/auth/me", 200), Route("POST", "/api/v1/auth/bind", 200)),
    client.Enterprise: (Within(client.Me, "enterprise"),),
    client.StaffTicket: (
        Route("GET", "/api/v1/tickets/{number}", 200),
        Route("POST", "/api/v1/tickets/{number}/reply", 200),
        Route("POST", "/api/v1/tickets/{number}/transfer", 200),
    ),
    client.StaffTicketPage: (Route("GET", "/api/v1/queues/{key}/tickets", 200),),
    client.StaffTicketSummary: (Within(client.StaffTicketPage, "items"),),
    client.QueueList: (Route("GET", "/api/v1/queues", 200),),
    client.QueueInfo: (Within(client.QueueList, "items"),),
    client.CategoryList: (Route("GET", "/api/v1/categories", 200),),
    client.ServiceCategory: (Within(client.CategoryList, "items"),),
    client.Guide: (Within(client.ServiceCategory, "guide"),),
    client.TicketGuide: (Within(client.TicketDetail, "guide"), Within(client.StaffTicket, "guide")),
    client.SupervisionList: (Route("GET", "/api/v1/tickets/{number}/supervisions", 200),),
    client.Supervision: (
        Within(client.SupervisionList, "items"),
        Route("POST", "/api/v1/tickets/{number}/supervisions/{supervision_id}/acknowledge", 200),
    ),
    client.ClauseCount: (Route("GET", "/api/v1/clauses", 200),),
    client.Attachment: (Route("POST", "/api/v1/requests/{number}/attachments", 201),),
    client.ServiceEventData: (Route("GET", "/api/v1/events", 200),),  # each `data:` of the bot's service stream
    client.EventRecipients: (Within(client.ServiceEventData, "recipients"),),
}
NOT_IN_OPENAPI: dict[type[BaseModel], str] = {
    client.Event: "a server-sent event of GET /events (text/event-stream), built by the SSE parser",
    client._EventData: "the data of a server-sent event; tests/bot/test_client.py covers the parser",
}


def client_models() -> set[type[BaseModel]]:
    """Every response model `bot/client.py` defines (its field-less base excluded)."""
    return {
        value
        for value in vars(client).values()
        if inspect.isclass(value)
        and issubclass(value, BaseModel)
        and value.__module__ == client.__name__
        and value.model_fields
    }


class Spec:
    """The API's OpenAPI document, with `$ref`s followed."""

    def __init__(self, openapi: Schema) -> None:
        self.openapi = openapi

    def resolve(self, schema: Schema) -> Schema:
        """Follow `$ref` until a schema body."""
        while "$ref" in schema:
            name = schema["$ref"].removeprefix("#/components/schemas/")
            schema = self.openapi["components"]["schemas"][name]
        return schema

    def variants(self, schema: Schema) -> list[Schema]:
        """The alternatives of a schema (anyOf/oneOf flattened), each resolved."""
        schema = self.resolve(schema)
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return [v for part in schema[key] for v in self.variants(part)]
        return [schema]

    def response(self, route: Route) -> Schema:
        """The JSON body schema of a route's response; for an event stream, the JSON of each event's data."""
        operation = self.openapi["paths"][route.path][route.method.lower()]
        content = operation["responses"][str(route.status)]["content"]
        if "application/json" in content:
            return self.resolve(content["application/json"]["schema"])
        data = self.resolve(content["text/event-stream"]["schema"])  # a string holding JSON
        assert data.get("contentMediaType") == "application/json", data
        return self.resolve(data["contentSchema"])

    def shape(self, model: type[BaseModel], source: Route | Within) -> Schema:
        """The object schema the API sends where `source` says the client parses `model`."""
        if isinstance(source, Route):
            return self.response(source)
        [parent] = [self.shape(source.parent, s) for s in CONTRACT[source.parent][:1]]
        schema = parent["properties"][source.field]
        [variant] = [v for v in self.variants(schema) if v.get("type") != "null"]
        if variant.get("type") == "array":
            [variant] = [v for v in self.variants(variant["items"]) if v.get("type") != "null"]
        return variant


def closed_set(annotation: Any) -> set[str] | None:
    """The values of a StrEnum or Literal annotation, else None."""
    if inspect.isclass(annotation) and issubclass(annotation, enum.Enum):
        return {member.value for member in annotation}
    if get_origin(annotation) is Literal:
        return set(get_args(annotation))
    return None


def alternatives(annotation: Any) -> list[Any]:
    """The members of a union annotation (the annotation itself otherwise)."""
    if get_origin(annotation) in (Union, types.UnionType):
        return [a for arg in get_args(annotation) for a in alternatives(arg)]
    return [annotation]


def enum_of(schema: Schema) -> set[str] | None:
    if "enum" in schema:
        return set(schema["enum"])
    if "const" in schema:
        return {schema["const"]}
    return None


def accepts(spec: Spec, annotation: Any, schema: Schema, where: str) -> list[str]:
    """Why the client type cannot take every value of one (non-null) API schema; [] when it can."""
    api_type = schema.get("type", "object" if "properties" in schema else None)
    values = closed_set(annotation)
    api_values = enum_of(schema)
    if values is not None:
        if api_type != "string":
            return [f"{where}: the client expects a closed set of strings, the API sends {api_type}"]
        if api_values is None:
            return [f"{where}: the API declares a plain string where the client expects one of {sorted(values)}"]
        problems = []
        if values - api_values:
            problems.append(f"{where}: client values {sorted(values - api_values)} are not in the API's enum")
        if api_values - values:
            problems.append(f"{where}: the API may send {sorted(api_values - values)}, which the client refuses")
        return problems
    if api_values is not None and annotation is str:
        return [f"{where}: the API declares the closed set {sorted(api_values)}; the client should too"]
    scalar = {str: {"string"}, int: {"integer"}, float: {"number", "integer"}, bool: {"boolean"}}
    if annotation in scalar:
        ok = api_type in scalar[annotation]
        return [] if ok else [f"{where}: the client expects {annotation.__name__}, the API sends {api_type}"]
    if annotation is datetime:
        ok = api_type == "string" and schema.get("format") == "date-time"
        return [] if ok else [f"{where}: the client expects a date-time, the API sends {api_type}"]
    origin = get_origin(annotation)
    if origin is list:
        if api_type != "array":
            return [f"{where}: the client expects an array, the API sends {api_type}"]
        return compatible(spec, get_args(annotation)[0], schema["items"], f"{where}[]")
    if origin is dict or (inspect.isclass(annotation) and issubclass(annotation, BaseModel)):
        ok = api_type == "object"
        return [] if ok else [f"{where}: the client expects an object, the API sends {api_type}"]
    return [f"{where}: the contract test does not know the client type {annotation!r}"]


def compatible(spec: Spec, annotation: Any, schema: Schema, where: str) -> list[str]:
    """Why a client annotation does not take every value the API schema allows; [] when it does."""
    options = alternatives(annotation)
    nullable = type(None) in options
    problems = []
    for variant in spec.variants(schema):
        if variant.get("type") == "null":
            if not nullable:
                problems.append(f"{where}: the API may send null, the client requires a value")
            continue
        tried = [accepts(spec, option, variant, where) for option in options if option is not type(None)]
        if all(tried):
            problems.extend(min(tried, key=len))
    return problems


def drift(spec: Spec, model: type[BaseModel], schema: Schema) -> Iterator[str]:
    """Every way a client model disagrees with the API's object schema."""
    properties = schema.get("properties", {})
    required = set(schema.get("required", []))
    for name, field in model.model_fields.items():
        where = f"{model.__name__}.{name}"
        if name not in properties:
            yield f"{where}: the API's schema has no such field"
            continue
        if field.is_required() and name not in required:
            yield f"{where}: required by the client, optional in the API"
        yield from compatible(spec, field.annotation, properties[name], where)


@pytest.fixture(scope="module")
def spec(library: PolicyLibrary, tmp_path_factory: pytest.TempPathFactory) -> Spec:
    """The OpenAPI document of the real app."""
    database = Path(tmp_path_factory.mktemp("contract")) / "api.db"
    return Spec(create_app(Settings(database_url=f"sqlite:///{database}"), library=library).openapi())


def test_every_client_model_is_in_the_contract_table() -> None:
    assert client_models() - set(CONTRACT) - set(NOT_IN_OPENAPI) == set()
    assert set(CONTRACT) | set(NOT_IN_OPENAPI) <= client_models()


@pytest.mark.parametrize(
    ("model", "source"),
    [(model, source) for model, sources in CONTRACT.items() for source in sources],
    ids=lambda value: getattr(value, "__name__", None) or str(value),
)
def test_client_model_matches_the_api_schema(model: type[BaseModel], source: Route | Within, spec: Spec) -> None:
    problems = list(drift(spec, model, spec.shape(model, source)))
    assert not problems, "\n".join(problems)


class _Strict(BaseModel):
    role: Literal["enterprise", "staff"]
    queues: list[str]
    name: str


def test_checker_reports_a_loose_missing_or_nullable_field() -> None:
    loose = Spec({"components": {"schemas": {}}})
    schema: Schema = {
        "type": "object",
        "properties": {"role": {"type": "string"}, "name": {"anyOf": [{"type": "string"}, {"type": "null"}]}},
        "required": ["role"],
    }
    assert list(drift(loose, _Strict, schema)) == [
        "_Strict.role: the API declares a plain string where the client expects one of ['enterprise', 'staff']",
        "_Strict.queues: the API's schema has no such field",
        "_Strict.name: required by the client, optional in the API",
        "_Strict.name: the API may send null, the client requires a value",
    ]


def test_checker_reports_enum_values_either_side_lacks() -> None:
    loose = Spec({"components": {"schemas": {}}})
    schema: Schema = {
        "type": "object",
        "properties": {
            "role": {"type": "string", "enum": ["enterprise", "admin"]},
            "queues": {"type": "array", "items": {"type": "integer"}},
            "name": {"type": "string"},
        },
        "required": ["role", "queues", "name"],
    }
    assert list(drift(loose, _Strict, schema)) == [
        "_Strict.role: client values ['staff'] are not in the API's enum",
        "_Strict.role: the API may send ['admin'], which the client refuses",
        "_Strict.queues[]: the client expects str, the API sends integer",
    ]
