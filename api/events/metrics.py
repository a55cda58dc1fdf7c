"""Prometheus metrics of the event pipeline (the default registry; `/metrics` exposes it)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

EVENTS_EMITTED = Counter("zonedesk_events_emitted", "Outbox events committed by this process", ["type"])
EVENTS_STREAMED = Counter("zonedesk_events_streamed", "Events sent to SSE clients by this process")
STREAMS_CONNECTED = Gauge("zonedesk_event_streams", "SSE event streams currently open in this process")
WAKEUPS_PUBLISHED = Counter("zonedesk_event_wakeups_published", "Wake-ups published after commits")
WAKEUP_PUBLISH_FAILURES = Counter(
    "zonedesk_event_wakeup_publish_failures", "Wake-ups that could not be published to Redis"
)
BUS_CONNECTED = Gauge("zonedesk_event_bus_connected", "1 when wake-ups from other replicas arrive (Redis subscribed)")
