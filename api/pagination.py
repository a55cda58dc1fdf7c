"""The paging parameters every list route takes: limit (default 50, at most 200) and offset."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Path, Query
from pydantic import BaseModel

Limit = Annotated[int, Query(ge=1, le=200, description="page size (at most 200)")]
MAX_ROW_ID = 2**31 - 1  # PostgreSQL's INTEGER; SQLite's is wider
Offset = Annotated[int, Query(ge=0, le=MAX_ROW_ID, description="items to skip")]  # a database takes it as is
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="a row's id")]  # within INTEGER on every backend


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list: its items and how many there are in all (`limit`/`offset` select the page)."""

    items: list[T]
    total: int
