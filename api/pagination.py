"""The paging parameters every list route takes: limit (default 50, at most 200) and offset."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

Limit = Annotated[int, Query(ge=1, le=200, description="page size (at most 200)")]
Offset = Annotated[int, Query(ge=0, description="items to skip")]
