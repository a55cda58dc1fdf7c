"""The JSON `data` of an event on the bot's service stream, as OpenAPI documents it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, Json, RootModel

from common.tickets import TicketStatus


class EventRecipients(BaseModel):
    """The Telegram user ids entitled to an event: enterprise side and staff side, each sorted."""

    enterprise: list[int] = Field(description="the requester and the users of the ticket's enterprise; [] if internal")
    staff: list[int] = Field(description="the active staff of the event's queue, to be alerted")


class ServiceEventData(BaseModel):
    """An event of the service stream: the ticket, its queue, whether it is internal, and whom it is for.

    The event's own fields (`subject`, `excerpt`, `author_role`…) come along as further keys.
    """

    model_config = ConfigDict(extra="allow")

    number: str
    status: TicketStatus
    queue: str | None = Field(description="the key of the queue the event addresses")
    internal: bool = Field(description="an internal note or a queue's own notice: never for the enterprise")
    recipients: EventRecipients


class ServiceEventDataLine(RootModel[Json[ServiceEventData]]):
    """The text of one `data:` line of the service stream: ServiceEventData as JSON (OpenAPI's view)."""

    # documented as what a client reads: a string whose content is the JSON object
    model_config = ConfigDict(json_schema_mode_override="validation")
