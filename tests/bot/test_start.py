"""/start, the menu and /lang."""

from __future__ import annotations

import asyncio

from bot_harness import RealApi, switch_to_english
from fake_telegram import FakeTelegram, FakeUser


async def test_start_greets_in_chinese_with_main_menu(bot: asyncio.Task[None], user: FakeUser) -> None:
    await user.say("/start")
    greeting = await user.expect("您好", kind="sendMessage")
    assert "高新区企业服务台" in greeting.text
    labels = greeting.button_labels()
    for entry in ("政策咨询", "资格自测", "办事申请", "我的申请", "人工服务"):
        assert entry in labels
    assert "绑定企业" in labels  # offered, not forced


async def test_lang_switches_to_english_and_back(bot: asyncio.Task[None], user: FakeUser) -> None:
    await switch_to_english(user)
    await user.say("/start")
    greeting = await user.expect("Hello", kind="sendMessage")
    assert "Policy questions" in greeting.button_labels()
    await user.say("/lang")
    chooser = await user.expect("Choose a language", kind="sendMessage")
    await user.click(chooser, "中文")
    await user.expect("语言已切换", kind="sendMessage")


async def test_binding_checks_code_locally_then_binds_through_api(
    bot: asyncio.Task[None], user: FakeUser, real_api: RealApi
) -> None:
    name, uscc, code = real_api.enterprise
    await user.say("/start")
    menu = await user.expect("您好", kind="sendMessage")
    await user.click(menu, "绑定企业")
    await user.expect("统一社会信用代码", kind="sendMessage")
    await user.say("91350100M000100Y44")  # wrong check character
    await user.expect("无效", kind="sendMessage")
    await user.say(uscc)
    await user.expect("绑定码", kind="sendMessage")
    await user.say("WRONG")
    await user.expect("绑定未成功", "不正确", kind="sendMessage")
    await user.say(uscc)
    await user.expect("绑定码", kind="sendMessage")
    await user.say(f"{code} ")
    await user.expect(f"已绑定企业：{name}", kind="sendMessage")
    await user.say("/start")
    greeting = await user.expect("您好", kind="sendMessage")
    assert name in greeting.text


async def test_group_gets_one_line_pointing_to_the_private_chat(
    bot: asyncio.Task[None], telegram: FakeTelegram, user: FakeUser
) -> None:
    group = {"id": -100500, "type": "supergroup", "title": "园区企业群"}
    for text in ("/start", "外资研发中心有什么补贴？"):
        await telegram.inject(telegram.user_message(user.user_id, user.first_name, chat=group, text=text))
    _, pointer = await telegram.wait_record(-100500, 0)
    assert "私聊" in pointer.text
    assert "https://t.me/" in pointer.text
    assert "?start=" in pointer.text
    await user.say("外资研发中心有什么补贴？")  # the private chat still answers, after the group's messages
    await user.expect("大力集聚高端创新平台", kind="sendMessage")
    assert [r.text for r in telegram.records if r.chat_id == -100500] == [pointer.text]


async def test_photos_files_voice_and_stickers_never_get_silence(
    bot: asyncio.Task[None], telegram: FakeTelegram, user: FakeUser
) -> None:
    attachments = [
        {"photo": [{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}]},
        {"document": {"file_id": "d1", "file_unique_id": "u2", "file_name": "营业执照.pdf"}},
        {"voice": {"file_id": "v1", "file_unique_id": "u3", "duration": 3}},
        {"sticker": {"file_id": "s1", "file_unique_id": "u4", "type": "regular", "width": 512, "height": 512,
                     "is_animated": False, "is_video": False}},
    ]  # fmt: skip
    for content in attachments:
        await telegram.inject(telegram.user_message(user.user_id, user.first_name, **content))
        reply = await user.next(kind="sendMessage")
        assert "可以接收文字" in reply.text
        assert "10 MB" in reply.text
