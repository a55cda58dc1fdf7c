"""User-facing Chinese of eligibility authoring."""

from __future__ import annotations

PASTED_TEXT = "粘贴内容"  # the "file" a clause error's line number points into
FACT_EXISTS = "事实“{name}”已存在 (fact already exists)"
CLAUSES_REJECTED = "条款未发布：共 {count} 处问题，见 errors (clauses not published)"
CONCURRENT_PUBLISH = "另一位管理员同时发布了同一条款，请刷新后重试 (clause published concurrently)"
