"""/my, staff replies from the event stream, answering in chat, rating, staff alerts."""

from __future__ import annotations

import asyncio

from bot_harness import COLLEAGUE_TELEGRAM_ID, STAFF_TELEGRAM_ID, RealApi, draft_request
from fake_telegram import FakeTelegram, FakeUser


async def submit(user: FakeUser) -> str:
    draft = await draft_request(user)
    await user.click(draft, "确认提交")
    await user.expect("ZD-000001", kind="editMessageText")
    return "ZD-000001"


async def test_my_lists_requests_with_status(bot: asyncio.Task[None], user: FakeUser) -> None:
    number = await submit(user)
    await user.say("/my")
    listing = await user.expect("我的申请", kind="sendMessage")
    assert number in listing.text
    assert "已提交" in listing.text


async def test_staff_reply_reaches_user_and_reply_joins_thread(
    bot: asyncio.Task[None], user: FakeUser, real_api: RealApi
) -> None:
    number = await submit(user)
    await real_api.staff_reply(number, "请补充孩子的户籍证明", ask_more=True)
    notice = await user.expect("请补充孩子的户籍证明", kind="sendMessage")
    assert number in notice.text
    await user.say("户籍证明已准备好，明天上传", reply_to=notice)
    await user.expect("已添加到", kind="sendMessage")
    last = (await real_api.ticket(number))["messages"][-1]
    assert (last["author_role"], last["body"]) == ("enterprise", "户籍证明已准备好，明天上传")


async def test_rating_keeps_the_resolution_and_comes_as_a_new_message(
    bot: asyncio.Task[None], user: FakeUser, telegram: FakeTelegram, real_api: RealApi
) -> None:
    number = await submit(user)
    await real_api.claim_if_new(number)
    await real_api.act(number, "resolve", body="请携带身份证到人才服务窗口领取钥匙。")
    resolution = await user.expect("已办结", "携带身份证到人才服务窗口领取钥匙", kind="sendMessage")
    prompt = await user.expect("是否满意", kind="sendMessage")
    assert prompt.button_labels() == [
        "⭐ 非常不满意",
        "⭐⭐ 不满意",
        "⭐⭐⭐ 基本满意",
        "⭐⭐⭐⭐ 满意",
        "⭐⭐⭐⭐⭐ 非常满意",
    ]
    await user.click(prompt, "⭐⭐⭐⭐ 满意")
    await user.expect("⭐⭐⭐⭐ 满意", kind="sendMessage")
    rated = await real_api.ticket(number)
    assert (rated["status"], rated["rating"]["score"]) == ("closed", 4)
    edits = [r for r in telegram.records if r.chat_id == user.user_id and r.kind == "editMessageText"]
    assert resolution.message_id not in [r.message_id for r in edits]
    assert not [r for r in edits if r.message_id == prompt.message_id]
    assert "携带身份证到人才服务窗口领取钥匙" in telegram._messages[(user.user_id, resolution.message_id)]["text"]


async def test_follow_up_after_closing_offers_a_new_request_linked_to_the_old_number(
    bot: asyncio.Task[None], user: FakeUser, real_api: RealApi
) -> None:
    number = await submit(user)
    await real_api.resolve(number)
    prompt = await user.expect("是否满意", kind="sendMessage")
    await user.click(prompt, "⭐⭐⭐⭐⭐")
    await user.expect("⭐⭐⭐⭐⭐", kind="sendMessage")
    await user.say("钥匙打不开门，怎么办？", reply_to=prompt)
    offer = await user.expect("不能再留言", kind="sendMessage")
    assert "cannot" not in offer.text
    await user.click(offer, "就此提交新申请")
    categories = await user.expect("请选择类别", kind="sendMessage")
    await user.click(categories, "人才住房")
    await user.expect("分享手机号", kind="sendMessage")
    await user.share_contact("+8613812345678")
    draft = await user.expect("请确认您的申请", kind="sendMessage")
    assert "钥匙打不开门，怎么办？" in draft.text
    assert f"关联原申请 {number}" in draft.text


LONG_REPLY = "".join(
    f"第{i}项：请准备营业执照副本、法定代表人身份证复印件和近三个月社保缴纳证明。" for i in range(1, 121)
)


async def test_long_staff_reply_arrives_whole_split_at_sentence_ends(
    bot: asyncio.Task[None], user: FakeUser, telegram: FakeTelegram, real_api: RealApi
) -> None:
    assert len(LONG_REPLY) > 4096
    number = await submit(user)
    await real_api.staff_reply(number, LONG_REPLY)
    first = await user.expect("工作人员回复了您的申请", kind="sendMessage")
    parts = [first]
    while "请直接回复本消息" not in parts[-1].text:
        parts.append(await user.next(kind="sendMessage"))
    assert len(parts) >= 2
    assert all(len(part.text) <= 4096 for part in parts)
    assert all(part.text.endswith("。") for part in parts[:-1])
    joined = "".join(part.text for part in parts)
    assert LONG_REPLY in joined.replace("\n", "")
    assert parts[-1].button_labels() == ["回复"]


async def test_short_staff_reply_is_never_cut(bot: asyncio.Task[None], user: FakeUser, real_api: RealApi) -> None:
    reply = "您好，" + "人才公寓的钥匙请到政务服务中心二楼人才服务窗口领取，" * 4 + "领取时请出示身份证原件。"
    assert len(reply) > 80
    number = await submit(user)
    await real_api.staff_reply(number, reply)
    await user.expect(reply, kind="sendMessage")


async def test_my_opens_a_ticket_with_department_due_time_status_and_paged_thread(
    bot: asyncio.Task[None], user: FakeUser, real_api: RealApi
) -> None:
    number = await submit(user)
    for i in range(1, 8):
        await real_api.staff_reply(number, f"第{i}条答复：材料已收到。")
        await user.expect(f"第{i}条答复", kind="sendMessage")
    await user.say("/my")
    listing = await user.expect("我的申请", kind="sendMessage")
    await user.click(listing, number)
    view = await user.expect("承办部门：", kind="sendMessage")
    assert "办理时限：" in view.text
    assert "已受理，正在办理" in view.text
    assert "第7条答复" in view.text
    assert "第1条答复" not in view.text
    await user.click(view, "« 更早")
    earlier = await user.expect("第1条答复", kind="sendMessage")
    assert "第7条答复" not in earlier.text


async def test_transfer_is_explained_to_the_enterprise(
    bot: asyncio.Task[None], user: FakeUser, real_api: RealApi
) -> None:
    number = await submit(user)
    await real_api.claim_if_new(number)
    await user.expect(number, "办理中", kind="sendMessage")
    await real_api.act(number, "transfer", queue="approvals", reason="属于审批事项")
    notice = await user.expect("已转交", kind="sendMessage")
    assert number in notice.text
    assert "已提交" in notice.text
    assert "属于审批事项" not in notice.text  # the reason is an internal note


async def test_internal_note_reaches_staff_chats_but_never_the_enterprise_chat(
    bot: asyncio.Task[None], user: FakeUser, telegram: FakeTelegram, real_api: RealApi
) -> None:
    staff = [FakeUser(telegram, STAFF_TELEGRAM_ID), FakeUser(telegram, COLLEAGUE_TELEGRAM_ID)]
    for member in staff:
        await member.say("/alerts on")
        await member.expect("新工单将在这里提醒", kind="sendMessage")
    number = await submit(user)
    await real_api.claim_if_new(number)
    await real_api.act(number, "note", body="内部核验：户籍材料待补")
    for member in staff:
        note = await member.expect("内部备注", "内部核验：户籍材料待补", kind="sendMessage")
        assert number in note.text
        assert "人才服务窗口" in note.text  # the queue by name
    await real_api.act(number, "reply", body="请补充户籍证明")  # after the note in the one stream
    await user.expect("请补充户籍证明", kind="sendMessage")
    assert not [r.text for r in telegram.records if r.chat_id == user.user_id and "内部核验" in r.text]


async def test_a_low_score_asks_why_and_the_reason_goes_with_the_rating(
    bot: asyncio.Task[None], user: FakeUser, real_api: RealApi
) -> None:
    number = await submit(user)
    await real_api.resolve(number)
    prompt = await user.expect("是否满意", kind="sendMessage")
    await user.click(prompt, "非常不满意")
    why = await user.expect("哪里不满意", kind="sendMessage")
    assert "整改" in why.text
    assert (await real_api.ticket(number))["status"] == "resolved"  # not recorded before the reason
    await user.say("等了两周才有人回复")
    rated = await user.expect("⭐ 非常不满意", number, kind="sendMessage")
    assert "整改" in rated.text
    assert "15 个工作日" in rated.text
    rated_ticket = await real_api.ticket(number)
    assert rated_ticket["rectification"]["status"] == "open"
    assert (rated_ticket["status"], rated_ticket["rating"]["score"], rated_ticket["rating"]["comment"]) == (
        "closed",
        1,
        "等了两周才有人回复",
    )
    admin = {"Authorization": f"Bearer {real_api.admin_token}"}
    rows = (await real_api.staff.get("/api/v1/admin/unanswered", headers=admin)).json()["items"]
    assert not [r for r in rows if "等了两周" in r["text"]]


async def test_a_low_score_may_skip_the_reason(bot: asyncio.Task[None], user: FakeUser, real_api: RealApi) -> None:
    number = await submit(user)
    await real_api.resolve(number)
    prompt = await user.expect("是否满意", kind="sendMessage")
    await user.click(prompt, "⭐⭐")
    why = await user.expect("哪里不满意", kind="sendMessage")
    await user.click(why, "跳过")
    await user.expect("⭐⭐", number, kind="sendMessage")
    rated = await real_api.ticket(number)
    assert (rated["status"], rated["rating"]["score"], rated["rating"]["comment"]) == ("closed", 2, "")


async def test_my_tells_the_history_in_words_with_the_transfer_explained(
    bot: asyncio.Task[None], user: FakeUser, real_api: RealApi
) -> None:
    number = await submit(user)
    await real_api.claim_if_new(number)
    await user.expect(number, "办理中", kind="sendMessage")
    await real_api.act(number, "transfer", queue="approvals")
    await user.expect("已转交", kind="sendMessage")
    await user.say("/my")
    listing = await user.expect("我的申请", kind="sendMessage")
    await user.click(listing, number)
    view = await user.expect("办理进展", kind="sendMessage")
    steps = view.text.split("办理进展")[1]
    assert steps.index("提交申请") < steps.index("工作人员已受理") < steps.index("转办：改由主管部门办理")
    assert "承办部门：行政审批局" in view.text
