"""User-facing Chinese of attachments."""

from __future__ import annotations

TOO_LARGE = "附件不能超过 10 MiB (the file is over 10 MiB)"
UNSUPPORTED_TYPE = (
    "只接受 PDF、图片、Office 文档和 ZIP 压缩包 (only PDF, images, Office documents and ZIP are accepted)"
)
EMPTY_FILE = "附件是空的 (the file is empty)"
NOT_FOUND = "没有找到该附件 (attachment not found)"
ENTERPRISE_SENT = "上传了附件：{name}"
STAFF_SENT = "发送了附件：{name}"
DEFAULT_NAME = "附件"
