"""User-facing Chinese text of matching answers (English in parentheses only in errors)."""

from __future__ import annotations

EMPTY_QUESTION = "问题不能为空 (empty question)"
QUESTION_TOO_LONG = "问题过长，最多 {limit} 字 (question longer than {limit} characters)"
TRAINING_NEEDS_RIGHT_AND_WRONG = (
    "问题集不足以训练：需要既有答对也有答错的问题 (training needs both right and wrong answers)"
)
TRAINING_NEEDS_CANDIDATES = (
    "问题集不足以训练：没有问题的答案措施在候选之中 (training needs questions whose answering measure is a candidate)"
)
TRAINING_NEEDS_CLASSES = (
    "问题集不足以训练：至少需要两种意图和两个服务类别 (training needs two intents and two service categories at least)"
)

UNSURE_TITLE = "暂未找到确切答案"
UNSURE_SUMMARY = "抱歉，我不确定哪一条政策能回答这个问题。{hint}可以转人工，工作人员会尽快答复您。"
UNSURE_HINT = "可能相关的是{label}{title}。"
OUT_OF_SCOPE_TITLE = "超出服务范围"
OUT_OF_SCOPE_SUMMARY = "这个问题不在高新区政策咨询和一站式服务的范围内。如需帮助，可以转人工，工作人员会尽快答复您。"
CHITCHAT_TITLE = "您好"
CHITCHAT_SUMMARY = (
    "您好！我是高新区企业服务台，可以解答扶持政策问题、判断企业是否符合申报条件，"
    "并代办人才住房、医疗保险、子女入学、工作许可、居留许可、证照和项目审批等事项。请直接输入您的问题。"
)
SERVICE_SUFFIX = "如需办理，可以直接提交服务申请，工作人员会跟进。"
ELIGIBILITY_SUFFIX = "是否符合条件，可以做一次资格自测；最终以牵头单位的实施细则为准。"

DRAFT_NOTICE = "本措施出自征求意见稿，最终以正式印发的文件为准。"
NOT_CURRENT_NOTICE = "《{title}》{status}，不再作为现行政策。"
CURRENT_POINTER = "现行政策可参考《{document}》{label}{title}。"
