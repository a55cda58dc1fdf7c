"""User-facing Chinese of the 办事指南."""

from __future__ import annotations

NO_FEE = "不收费"
UNKNOWN_MATERIAL = "「{name}」不在该事项的办事指南材料清单中 (not a material of this category's guide)"
NO_GUIDE = "该服务类别还没有办事指南：{category} (no guide for that category)"
MISSING_HEADING = "尚需补充的材料："
PROMISED_LONGER_THAN_STATUTORY = "承诺时限不能长于法定时限 (the promised time cannot exceed the statutory time)"
