"""User-facing Chinese of the FAQ administration."""

from __future__ import annotations

UNKNOWN_MEASURE = "找不到条款：{ref} (unknown measure)"
ENTRY_NOT_FOUND = "找不到问答 {entry_id} (FAQ entry not found)"
STALE_ENTRY_VERSION = "该问答已被他人修改（您编辑的是第 {edited} 版，现为第 {current} 版）(stale version)"
STALE_ENTRY = "该问答已被他人修改，请刷新后重试 (stale version)"
