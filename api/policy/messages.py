"""User-facing Chinese of the policy library's administration."""

from __future__ import annotations

CONCURRENT_IMPORT = "政策文件 {document_id} 正在被他人导入，请刷新后重试 (concurrent import)"
UNKNOWN_VERSION = "未找到政策文件 {document_id} 的第 {version} 版 (unknown version)"
EMPTY_TITLE = "标题不能为空 (title must not be empty)"
EFFECTIVE_AFTER_EXPIRY = "生效日期不能晚于失效日期 (effective_from is after effective_to)"
