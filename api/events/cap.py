"""At most a few open event streams per user: opening one more ends the oldest.

Counted per process (each replica caps on its own): a user behind a load balancer may hold up to
`MAX_STREAMS_PER_USER` streams on every replica, which still bounds what one account can hold open.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict

import anyio

from api.events.viewer import Viewer

MAX_STREAMS_PER_USER = 5  # DESIGN.md "Limits"


class StreamCap:
    """The open streams of each user in this process, oldest first; the service stream is not capped."""

    def __init__(self, limit: int = MAX_STREAMS_PER_USER) -> None:
        self._limit = limit
        self._open: defaultdict[int, OrderedDict[int, anyio.Event]] = defaultdict(OrderedDict)

    def open(self, viewer: Viewer) -> anyio.Event:
        """Register a stream of `viewer`; the returned event is set when a newer stream pushes it out."""
        ousted = anyio.Event()
        if viewer.service:
            return ousted
        streams = self._open[viewer.user_id]
        streams[id(ousted)] = ousted
        while len(streams) > self._limit:
            _, oldest = streams.popitem(last=False)
            oldest.set()
        return ousted

    def close(self, viewer: Viewer, ousted: anyio.Event) -> None:
        """Forget a stream that ended (pushed out or not)."""
        streams = self._open.get(viewer.user_id)
        if streams is None:
            return
        streams.pop(id(ousted), None)
        if not streams:
            del self._open[viewer.user_id]
