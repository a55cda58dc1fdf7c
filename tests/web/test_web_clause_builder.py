"""The admin's structured clause editor in Chromium: the form writes clause YAML into the numbered textarea,
live validation passes, and the clause is published."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import Session

from api.auth.service import create_user
from api.main import create_app
from api.settings import Settings
from common.roles import Role
from policy_index.library import PolicyLibrary
from tests.web.conftest import LiveServer, admin_policy_tab

pytestmark = pytest.mark.browser

PASSWORD = "clause builder 9"
TIMEOUT_MS = 10_000
SOURCE = (
    "依法批准设立的非营利性研发机构和高等学校在高新区内转化职务发明成果收益，可按规定给予参与研发的科技人员现金奖励"
)
EXPECTED_YAML = f"""\
document: sichuan-hitech-zones-draft
clauses:
  - id: m7-structured-cash-reward
    measure_id: sichuan-hitech-zones-draft#7
    title: 科技人员现金奖励（结构化编辑）
    benefit: 现金奖励
    amount: 按规定
    lead_unit: 科技厅
    source: {SOURCE}
    condition:
      all:
        - {{fact: zone_level, op: in, value: [national, provincial]}}
        - {{fact: converts_job_inventions, op: "==", value: true}}
"""


@pytest.fixture(scope="module")
def server(library: PolicyLibrary, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    url = f"sqlite:///{tmp_path_factory.mktemp('clause-builder') / 'zonedesk.db'}"
    app = create_app(Settings(database_url=url, secret_key="clause-builder-tests"), library=library)
    with Session(app.state.engine) as session:
        create_user(session=session, role=Role.ADMIN, username="admin", password=PASSWORD, display_name="管理员")
        session.commit()
    with LiveServer(app) as live:
        yield live


@pytest.fixture
def admin(browser: Any, server: LiveServer) -> Iterator[Any]:
    with admin_policy_tab(
        browser,
        server.url,
        PASSWORD,
        ready="#cb-conditions .condition-row .cb-fact option[value=zone_level]",
        timeout_ms=TIMEOUT_MS,
    ) as page:
        yield page


def test_the_structured_editor_writes_valid_yaml_that_is_published(admin: Any) -> None:
    admin.fill("#cb-measure", "sichuan-hitech-zones-draft#7")
    admin.fill("#cb-id", "m7-structured-cash-reward")
    admin.fill("#cb-title", "科技人员现金奖励（结构化编辑）")
    admin.fill("#cb-benefit", "现金奖励")
    admin.fill("#cb-lead-unit", "科技厅")
    admin.fill("#cb-source", SOURCE)
    admin.fill("#cb-amount", "按规定")
    first = admin.locator("#cb-conditions .condition-row").nth(0)
    first.locator(".cb-fact").select_option("zone_level")
    first.locator(".cb-op").select_option("in")
    first.locator(".cb-input").select_option(["national", "provincial"])
    admin.click("#cb-add-condition")
    second = admin.locator("#cb-conditions .condition-row").nth(1)
    second.locator(".cb-fact").select_option("converts_job_inventions")
    second.locator(".cb-op").select_option("==")
    assert second.locator(".cb-input option").all_inner_texts() == ["是", "否"]
    second.locator(".cb-input").select_option("true")

    admin.click("#cb-generate")

    assert admin.input_value("#clauses-text") == EXPECTED_YAML
    admin.wait_for_selector("#clauses-valid")
    assert admin.locator("#clause-errors").count() == 0
    assert "共 1 条条款" in admin.inner_text("#clauses-valid")
    gutter = admin.inner_text("#clauses-gutter").split()
    assert gutter == [str(n) for n in range(1, EXPECTED_YAML.count("\n") + 2)]

    with admin.expect_response("**/api/v1/admin/clauses") as published:
        admin.click("#clauses-publish")
    assert published.value.status == 201
    assert "m7-structured-cash-reward" in admin.inner_text("#clauses-published")
    assert "已发布" in admin.inner_text("#clauses-published")


def test_a_bad_clause_id_is_reported_with_its_line_marked_in_the_gutter(admin: Any) -> None:
    admin.fill("#cb-measure", "sichuan-hitech-zones-draft#7")
    admin.fill("#cb-id", "m8-wrong-measure")
    admin.fill("#cb-title", "编号不符")
    admin.fill("#cb-benefit", "现金奖励")
    admin.fill("#cb-lead-unit", "科技厅")
    admin.fill("#cb-source", SOURCE)
    admin.locator("#cb-conditions .condition-row .cb-fact").select_option("converts_job_inventions")

    admin.click("#cb-generate")

    admin.wait_for_selector("#clause-errors")
    assert "第 3 行" in admin.inner_text("#clause-errors")
    assert admin.inner_text("#clauses-gutter .bad").strip() == "3"
