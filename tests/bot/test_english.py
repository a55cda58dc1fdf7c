"""English mode is English throughout: the bot's own texts from the catalogue, the API's English where it has one."""

from __future__ import annotations

import asyncio

from bot_harness import RealApi, switch_to_english
from fake_telegram import FakeUser

CJK = range(0x4E00, 0xA000)


def chinese_in(text: str) -> bool:
    return any(ord(char) in CJK for char in text)


async def test_english_user_gets_english_greeting_out_of_scope_and_help(
    bot: asyncio.Task[None], user: FakeUser
) -> None:
    await switch_to_english(user)
    await user.say("你好")
    greeting = await user.next(kind="sendMessage")
    assert greeting.text.startswith("Hello! I am the high-tech zone's enterprise service desk")
    assert not chinese_in(greeting.text)
    await user.say("今天天气怎么样")
    outside = await user.next(kind="sendMessage")
    assert "outside the zone's policy" in outside.text
    assert outside.button_labels() == ["Hand over to staff"]
    await user.say("/help")
    help_text = await user.expect("Hotline", kind="sendMessage")
    assert "Working days" in help_text.text


async def test_english_user_reads_a_request_and_its_notices_in_english(
    bot: asyncio.Task[None], user: FakeUser, real_api: RealApi
) -> None:
    await switch_to_english(user)
    await user.say("/request")
    categories = await user.expect("Choose a category", kind="sendMessage")
    await user.click(categories, "School enrolment for children")
    await user.expect("Please describe your request", kind="sendMessage")
    await user.say("Our engineer's child starts school in September")
    await user.expect("share your phone number", kind="sendMessage")
    await user.say("Mr Li +852 9123 4567")
    draft = await user.expect("Please confirm your request", kind="sendMessage")
    assert "Contact: Mr Li +852 9123 4567" in draft.text
    await user.click(draft, "Submit")
    await user.expect("Number", kind="editMessageText")
    (ticket,) = await real_api.requests_of(user.user_id)
    await real_api.claim_if_new(ticket["number"])
    claimed = await user.expect(ticket["number"], kind="sendMessage")
    assert "Being handled" in claimed.text
    await user.say("/my")
    listing = await user.expect("My requests", kind="sendMessage")
    await user.click(listing, ticket["number"])
    view = await user.expect("Handled by:", kind="sendMessage")
    assert "Due by:" in view.text
    assert "is handling it" in view.text
    await real_api.resolve(ticket["number"])
    await user.expect("has been resolved", kind="sendMessage")
    prompt = await user.expect("How satisfied", kind="sendMessage")
    assert prompt.button_labels() == [
        "⭐ Very dissatisfied",
        "⭐⭐ Dissatisfied",
        "⭐⭐⭐ Fairly satisfied",
        "⭐⭐⭐⭐ Satisfied",
        "⭐⭐⭐⭐⭐ Very satisfied",
    ]
