"""Service categories come from the API: an admin's new category reaches the bot's menu and is filed."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from bot_harness import RealApi, make_settings, running_bot, switch_to_english
from fake_telegram import FakeTelegram, FakeUser

from bot.callbacks import Category
from bot.categories import CategoryCatalogue
from bot.client import ApiClient, ApiUnavailable

PARKING = {"queue": "talent", "name": "停车证办理"}  # the talent queue: the staff client sees it


async def add_category(real_api: RealApi, key: str, body: dict[str, Any]) -> None:
    """An admin routes a new category to a queue."""
    response = await real_api.staff.put(
        f"/api/v1/admin/routing/{key}", json=body, headers={"Authorization": f"Bearer {real_api.admin_token}"}
    )
    response.raise_for_status()


def labels(record: Any) -> list[str]:
    return [button["text"] for button in record.buttons()]


async def test_a_category_an_admin_adds_is_offered_and_filed(
    telegram: FakeTelegram, real_api: RealApi, tmp_path: Path
) -> None:
    settings = make_settings(telegram, real_api.url, tmp_path, bot_categories_ttl=0.0)
    user = FakeUser(telegram, 1001)
    async with running_bot(settings):
        await user.say("/request")
        before = await user.expect("请选择类别", kind="sendMessage")
        assert "停车证办理" not in labels(before)
        await add_category(real_api, "parking", PARKING)  # while the bot runs
        await user.say("/request")
        menu = await user.expect("请选择类别", kind="sendMessage")
        assert labels(menu)[-2:] == ["其他", "取消"]  # the catch-all stays last, whatever the API's order
        await user.click(menu, "停车证办理")
        await user.expect("类别：停车证办理", kind="editMessageText")
        await user.expect("请描述您的申请", kind="sendMessage")
        await user.say("新入驻企业员工需要办理园区停车证")
        await user.expect("分享手机号", kind="sendMessage")
        await user.say("13900001111")
        draft = await user.expect("请确认您的申请", kind="sendMessage")
        assert "停车证办理" in draft.text
        await user.click(draft, "确认提交")
        await user.expect("ZD-000001", kind="editMessageText")
    ticket = await real_api.ticket("ZD-000001")
    assert (ticket["category"], ticket["category_name"], ticket["queue"]) == ("parking", "停车证办理", "talent")


async def test_english_menu_translates_defaults_and_shows_a_new_category_by_its_api_name(
    telegram: FakeTelegram, real_api: RealApi, tmp_path: Path
) -> None:
    await add_category(real_api, "parking", PARKING)
    user = FakeUser(telegram, 1001)
    async with running_bot(make_settings(telegram, real_api.url, tmp_path)):
        await switch_to_english(user)
        await user.say("/request")
        menu = await user.expect("Choose a category", kind="sendMessage")
        assert {"Talent housing", "School enrolment for children", "停车证办理", "Other"} <= set(labels(menu))


async def test_a_renamed_default_category_shows_the_admins_name(
    telegram: FakeTelegram, real_api: RealApi, tmp_path: Path
) -> None:
    await add_category(real_api, "schooling", {"queue": "talent", "name": "子女入学（义务教育）"})
    user = FakeUser(telegram, 1001)
    async with running_bot(make_settings(telegram, real_api.url, tmp_path)):
        await user.say("/request")
        menu = await user.expect("请选择类别", kind="sendMessage")
        assert "子女入学（义务教育）" in labels(menu)


async def test_a_category_the_api_does_not_offer_is_refused(
    bot: asyncio.Task[None], user: FakeUser, telegram: FakeTelegram
) -> None:
    await user.say("/request")
    menu = await user.expect("请选择类别", kind="sendMessage")
    assert menu.message_id is not None
    stale = Category(key="teleport").pack()  # a button of a menu from before the category went away
    await telegram.inject(telegram.user_click(user.user_id, user.first_name, menu.message_id, stale))
    await user.expect("该类别已停止受理", kind="answerCallbackQuery")
    await user.click(menu, "子女入学")  # the menu still works
    await user.expect("请描述您的申请", kind="sendMessage")


CATEGORIES = {
    "items": [
        {"category": "housing", "name": "人才住房保障", "queue": "talent"},
        {"category": "other", "name": "其他", "queue": "front-desk"},
        {"category": "parking", "name": "停车证办理", "queue": "front-desk"},
    ],
    "total": 3,
}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def api_calls() -> list[int]:
    """Status codes the fake API answers /categories with, one per call (the last repeats)."""
    return [200]


@pytest.fixture
def served() -> list[httpx.Request]:
    return []


@pytest.fixture
def catalogue(api_calls: list[int], served: list[httpx.Request], clock: Clock) -> CategoryCatalogue:
    def answer(request: httpx.Request) -> httpx.Response:
        served.append(request)
        status = api_calls[min(len(served), len(api_calls)) - 1]
        return httpx.Response(status, json=CATEGORIES if status == 200 else {"detail": "down"})

    api = ApiClient.connect("http://api.test", "tok", transport=httpx.MockTransport(answer))
    return CategoryCatalogue(api, ttl=60.0, clock=clock)


@pytest.fixture
def clock() -> Clock:
    return Clock()


async def test_categories_are_read_once_per_ttl(
    catalogue: CategoryCatalogue, served: list[httpx.Request], clock: Clock
) -> None:
    first = await catalogue.all()
    clock.now += 59
    assert await catalogue.all() == first
    assert len(served) == 1
    clock.now += 2
    await catalogue.all()
    assert len(served) == 2
    assert served[0].url.path == "/api/v1/categories"


async def test_catch_all_category_comes_last(catalogue: CategoryCatalogue) -> None:
    assert [c.category for c in await catalogue.all()] == ["housing", "parking", "other"]
    assert (await catalogue.get("parking")) is not None
    assert (await catalogue.get("teleport")) is None


@pytest.mark.parametrize("api_calls", [[200, 503]])
async def test_an_expired_copy_serves_while_the_api_is_down(catalogue: CategoryCatalogue, clock: Clock) -> None:
    first = await catalogue.all()
    clock.now += 61
    assert await catalogue.all() == first


@pytest.mark.parametrize("api_calls", [[503]])
async def test_without_a_copy_an_outage_is_unavailable(catalogue: CategoryCatalogue) -> None:
    with pytest.raises(ApiUnavailable):
        await catalogue.all()
