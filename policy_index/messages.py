"""User-facing Chinese (English second) of the eligibility engine: every sentence template in one place."""

from __future__ import annotations

from common.documents import DocumentLevel, DocumentStatus

# Profile validation (HTTP 422 / CLI exit 2).
PROFILE_NOT_OBJECT = '企业情况必须是 JSON 对象，例如 {{"zone_level": "national"}} (profile must be a JSON object)'
PROFILE_UNKNOWN_FACT = "未知的事实“{fact}”，可用的事实：{known} (unknown fact)"
PROFILE_BAD_OPTION = "事实“{fact}”（{label}）的取值“{value}”不在可选项中：{options} (value not among the options)"
PROFILE_BAD_TYPE = "事实“{fact}”（{label}）应为 {expected}，收到的是 {value} (wrong type)"
PROFILE_PREFIX = "企业情况有误："
TYPE_NAMES = {"bool": "true 或 false", "enum": "文字选项", "int": "整数"}

# Verdict sentences.
JOIN_OR = "或"
JOIN_LIST = "、"
QUOTE = "“{}”"
REQUIRE_VALUE = "本条款要求{label}为{expected}，您填写的是“{actual}”。"
REQUIRE_NOT_VALUE = "本条款不适用于{label}为{expected}的情况，您填写的是“{actual}”。"
REQUIRE_TRUE = "本条款要求{label}，您填写的是“{actual}”。"
REQUIRE_FALSE = "本条款不适用于{label}的情况，您填写的是“{actual}”。"
REQUIRE_ORDER = "本条款要求{label}{op}{expected}，您填写的是{actual}。"
REQUIRE_ANY = "本条款要求以下条件至少满足一项，但都不满足：{parts}"
REQUIRE_NOT = "本条款不适用于以下情况：{parts}。"
MET_VALUE = "{label}为“{actual}”，符合要求。"
MET_TRUE = "{label}，符合要求。"
MET_FALSE = "并非{label}，符合要求。"
MET_ORDER = "{label}为{actual}，符合要求（{op}{expected}）。"
DESCRIBE_VALUE = "{label}为{expected}"
DESCRIBE_NOT_VALUE = "{label}不为{expected}"
DESCRIBE_TRUE = "{label}"
DESCRIBE_FALSE = "并非{label}"
DESCRIBE_ORDER = "{label}{op}{expected}"
DESCRIBE_ALL = "同时满足：{parts}"
DESCRIBE_ANY = "满足其一：{parts}"
DESCRIBE_NOT = "不属于：{parts}"
OPERATOR_WORDS = {"<": "小于", "<=": "不超过", ">": "大于", ">=": "不少于"}

SUMMARY_ELIGIBLE = "根据您提供的情况，符合“{title}”的条件，可享受：{benefit}。"
SUMMARY_INELIGIBLE = "根据您提供的情况，不符合“{title}”的条件。"
UNKNOWN_BOOL = "是否{label}"
SUMMARY_NEEDS_INFO = "还需要了解：{labels}，才能判断是否符合“{title}”。"
NOTE = "依据{reference}。是否给予及具体标准以{lead_unit}的实施细则和审核为准。"
NOTE_DRAFT = (
    "依据{reference}。本文件为征求意见稿，措施用语为“可”“按规定”，是否给予及具体标准以{lead_unit}的实施细则和审核为准。"
)
REFERENCE = "《{document_title}》{label}"

# Documents: level and status as people read them on an answer card or the 政策库 page.
LEVEL_LABELS: dict[str, str] = {
    DocumentLevel.NATIONAL: "国家级",
    DocumentLevel.PROVINCIAL: "省级",
    DocumentLevel.CITY: "市级",
    DocumentLevel.COUNTY: "区（县）级",
    DocumentLevel.ZONE: "园区",
}
STATUS_LABELS: dict[str, str] = {
    DocumentStatus.DRAFT: "征求意见稿",
    DocumentStatus.IN_FORCE: "现行有效",
    DocumentStatus.EXPIRED: "已失效",
    DocumentStatus.REPEALED: "已废止",
}
