"""The service categories a request may name: read from the API (admins add and rename them), kept briefly."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from bot.client import ApiClient, ApiUnavailable, ServiceCategory

log = logging.getLogger(__name__)
DEFAULT_TTL = 60.0  # an admin's new category reaches the bot's menu within a minute
CATCH_ALL = "other"  # 其他: the last button, whatever the API's order


class CategoryCatalogue:
    """`GET /categories` through the client, cached per process for `ttl` seconds.

    While the API is down a copy that has expired still serves: the menu is better slightly old than gone.
    """

    def __init__(
        self, api: ApiClient, *, ttl: float = DEFAULT_TTL, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.api = api
        self.ttl = ttl
        self._clock = clock
        self._items: list[ServiceCategory] | None = None
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    def _fresh(self) -> bool:
        return self._items is not None and self._clock() - self._fetched_at < self.ttl

    async def all(self) -> list[ServiceCategory]:
        """Every category, in the API's order with the catch-all last."""
        if not self._fresh():
            async with self._lock:  # one request refreshes it, however many users open the menu at once
                if not self._fresh():
                    await self._refresh()
        assert self._items is not None
        return self._items

    async def _refresh(self) -> None:
        try:
            items = await self.api.categories()
        except ApiUnavailable:
            if self._items is None:
                raise
            log.warning("categories unavailable; serving the copy from %.0fs ago", self._clock() - self._fetched_at)
            return
        self._items = sorted(items, key=lambda item: item.category == CATCH_ALL)
        self._fetched_at = self._clock()

    async def get(self, key: str | None) -> ServiceCategory | None:
        """The category with this key, if the API offers it."""
        if not key:
            return None
        return next((item for item in await self.all() if item.category == key), None)
