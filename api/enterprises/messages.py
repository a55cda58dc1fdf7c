"""User-facing Chinese of enterprises and binding users to them."""

from __future__ import annotations

ENTERPRISE_EXISTS = "该统一社会信用代码已登记：{code} (enterprise already registered)"
TOO_MANY_BINDINGS = "绑定失败次数过多，请稍后再试 (too many failed bindings, try again later)"
ONLY_ENTERPRISE_USERS_BIND = "只有企业用户可以绑定企业 (only enterprise users bind an enterprise)"
BINDING_REFUSED = "统一社会信用代码或绑定码不正确 (no enterprise matches this code and binding code)"
