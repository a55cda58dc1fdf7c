"""Photos and documents through the fake Bot API: kept with a draft, attached as follow-ups, limits explained."""

from __future__ import annotations

import asyncio

from bot_harness import RealApi, draft_request, wait_until
from fake_telegram import FakeUser

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


async def submit(user: FakeUser) -> str:
    draft = await draft_request(user)
    await user.click(draft, "确认提交")
    await user.expect("ZD-000001", kind="editMessageText")
    return "ZD-000001"


async def test_files_sent_while_drafting_are_attached_when_the_request_is_submitted(
    bot: asyncio.Task[None], user: FakeUser, real_api: RealApi
) -> None:
    await user.say("/request")
    categories = await user.expect("请选择类别", kind="sendMessage")
    await user.click(categories, "子女入学")
    await user.expect("请描述您的申请", kind="sendMessage")
    await user.send_document("户口本.pdf", PDF, "application/pdf")
    await user.expect("户口本.pdf", "提交申请时", kind="sendMessage")
    await user.say("孩子明年九月入学，需要办理区内学校入学手续")
    await user.expect("分享手机号", kind="sendMessage")
    await user.send_photo(JPEG)
    await user.expect("提交申请时", kind="sendMessage")
    await user.share_contact("+8613812345678")
    draft = await user.expect("请确认您的申请", kind="sendMessage")
    await user.click(draft, "确认提交")
    await user.expect("ZD-000001", kind="editMessageText")
    await user.expect("户口本.pdf", "已附在 ZD-000001", kind="sendMessage")
    await user.expect("已附在 ZD-000001", kind="sendMessage")
    ticket = await real_api.ticket("ZD-000001")
    assert [(a["name"], a["content_type"]) for a in ticket["attachments"]] == [
        ("户口本.pdf", "application/pdf"),
        (ticket["attachments"][1]["name"], "image/jpeg"),
    ]


async def test_a_file_after_staff_asked_for_materials_joins_that_request(
    bot: asyncio.Task[None], user: FakeUser, real_api: RealApi
) -> None:
    number = await submit(user)
    await real_api.staff_reply(number, "请补充户籍证明", ask_more=True)
    await user.expect("请补充户籍证明", kind="sendMessage")
    await user.send_document("户籍证明.pdf", PDF, "application/pdf", caption="户籍证明已上传")
    await user.expect("户籍证明.pdf", f"已附在 {number}", kind="sendMessage")
    ticket = await real_api.ticket(number)
    assert [a["name"] for a in ticket["attachments"]] == ["户籍证明.pdf"]
    assert ticket["status"] == "claimed"  # answering the request for more resumes the work

    async def caption_kept() -> bool:
        return "户籍证明已上传" in [m["body"] for m in (await real_api.ticket(number))["messages"]]

    await wait_until(caption_kept, "the caption joins the thread")


async def test_size_and_type_limits_are_explained_in_plain_words(
    bot: asyncio.Task[None], user: FakeUser, real_api: RealApi
) -> None:
    number = await submit(user)
    await real_api.staff_reply(number, "请补充材料", ask_more=True)
    await user.expect("请补充材料", kind="sendMessage")
    await user.send_document("扫描件.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 + 1), "application/pdf")
    too_large = await user.expect("扫描件.pdf", kind="sendMessage")
    assert "10 MB" in too_large.text
    assert "压缩" in too_large.text
    await user.send_document("setup.exe", b"MZ\x90\x00" + b"\x00" * 64, "application/octet-stream")
    refused = await user.expect("setup.exe", kind="sendMessage")
    assert "PDF" in refused.text
    assert "ZIP" in refused.text
    assert (await real_api.ticket(number))["attachments"] == []


async def test_a_file_outside_any_flow_gets_a_short_reply_saying_what_the_bot_takes(
    bot: asyncio.Task[None], user: FakeUser
) -> None:
    await user.send_photo(JPEG)
    reply = await user.expect("/request", kind="sendMessage")
    assert "10 MB" in reply.text


async def test_a_file_staff_send_reaches_the_enterprise_by_name(
    bot: asyncio.Task[None], user: FakeUser, real_api: RealApi
) -> None:
    number = await submit(user)
    await real_api.claim_if_new(number)
    version = (await real_api.ticket(number))["version"]
    sent = await real_api.staff.post(
        f"/api/v1/tickets/{number}/attachments",
        files={"file": ("申请表.pdf", PDF, "application/pdf")},
        data={"version": str(version)},
    )
    assert sent.status_code == 201, sent.text
    notice = await user.expect("申请表.pdf", kind="sendMessage")
    assert number in notice.text
