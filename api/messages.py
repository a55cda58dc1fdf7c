"""User-facing Chinese of the app's edge: server errors, request validation, refused text."""

from __future__ import annotations

SERVICE_UNAVAILABLE = "服务暂时不可用，请稍后再试 (service temporarily unavailable: the database cannot be reached)"
INTERNAL_ERROR = "服务器内部错误，请稍后再试 (internal server error)"
INVALID_INPUT = "输入有误：{field}（{reason}）"
WHOLE_REQUEST = "请求"  # the field named when the whole request is wrong
BODY_TOO_LARGE = "请求内容过大 (request body too large: at most {limit} bytes)"
NUL_REFUSED = "不能包含 NUL 字符 (text must not contain NUL characters)"
SURROGATE_REFUSED = "不是有效的 Unicode 文本 (text is not valid Unicode: lone surrogate)"
TOO_LONG_NORMALISED = "规范化后超过 {max_length} 个字符 (longer than {max_length} characters once normalised)"
