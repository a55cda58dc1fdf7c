"""The admin's policy library in Chromium: import with a corrected preview, a new version's diff, versions,
metadata correction and retirement, each seen afterwards on the public 政策库 page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session

from api.auth.service import create_user
from api.main import create_app
from api.settings import Settings
from common.roles import Role
from policy_index.library import PolicyLibrary
from tests.web.conftest import LiveServer, admin_policy_tab

pytestmark = pytest.mark.browser

PASSWORD = "library admin 7"
TIMEOUT_MS = 10_000
V1 = (
    "成都高新区关于支持企业研发创新的若干措施\n"
    "一、支持创新\n"
    "（一）支持研发投入。对企业研发投入按10%给予补助。（牵头单位：科技局；参与单位：财政局）\n"
    "（二）支持人才引进。对引进的高层次人才给予安家奖励。（牵头单位：人社局）\n"
)
V2 = (
    "成都高新区关于支持企业研发创新的若干措施\n"
    "一、支持创新\n"
    "（一）支持研发投入。对企业研发投入按20%给予补助，单户最高200万元。（牵头单位：科技局；参与单位：财政局）\n"
    "（二）支持人才引进。对引进的高层次人才给予安家奖励。（牵头单位：人社局）\n"
    "（三）支持成果转化。对技术合同登记给予奖励。（牵头单位：科技局）\n"
)


@pytest.fixture(scope="module")
def server(library: PolicyLibrary, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    url = f"sqlite:///{tmp_path_factory.mktemp('library') / 'zonedesk.db'}"
    app = create_app(Settings(database_url=url, secret_key="library-tests"), library=library)
    _admin(app)
    with LiveServer(app) as live:
        yield live


def _admin(app: FastAPI) -> None:
    with Session(app.state.engine) as session:
        create_user(session=session, role=Role.ADMIN, username="admin", password=PASSWORD, display_name="管理员")
        session.commit()


@pytest.fixture
def admin(browser: Any, server: LiveServer) -> Iterator[Any]:
    with admin_policy_tab(
        browser,
        server.url,
        PASSWORD,
        ready="#library-list tr[data-document='sichuan-hitech-zones-draft']",
        timeout_ms=TIMEOUT_MS,
    ) as page:
        yield page


def _import_by_api(base: str, document_id: str, text: str, **meta: str) -> dict[str, Any]:
    login = httpx.post(f"{base}/api/v1/auth/login", json={"username": "admin", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    body = {"document_id": document_id, "text": text, **meta}
    reply = httpx.post(f"{base}/api/v1/admin/documents", json=body, headers=headers)
    assert reply.status_code == 201, reply.text
    return dict(reply.json())


def test_admin_imports_a_document_correcting_its_level_and_number_and_the_library_lists_it(
    admin: Any, server: LiveServer
) -> None:
    admin.click("#library-new")
    admin.fill("#import-id", "chengdu-rd-2024")
    admin.fill("#import-text", "这是一段没有任何条目的文字。")
    admin.click("#import-preview")
    error = admin.wait_for_selector("#import-error:not([hidden])")  # the API's detail, shown as is
    assert error.inner_text().strip()
    assert admin.locator("#import-result").is_hidden()
    admin.fill("#import-text", V1)
    admin.click("#import-preview")
    admin.wait_for_selector("#import-result:not([hidden])")
    # The parser's reading is shown in an editable form, with the measures and no diff (a new document).
    assert admin.input_value("#import-title") == "成都高新区关于支持企业研发创新的若干措施"
    assert admin.locator("#import-measure-table tbody tr").count() == 2
    assert admin.locator("#import-new").is_visible()
    assert httpx.get(f"{server.url}/api/v1/documents/chengdu-rd-2024").status_code == 404  # preview saves nothing

    admin.select_option("#import-level", "city")
    admin.fill("#import-doc_number", "成高管发〔2024〕8号")
    admin.fill("#import-issuer", "成都高新区管理委员会")
    admin.click("#import-confirm")
    row = admin.wait_for_selector("#library-list tr[data-document='chengdu-rd-2024']")
    assert "成高管发〔2024〕8号" in row.inner_text()
    assert "市级" in row.inner_text()
    assert admin.locator("#import-card").is_hidden()

    public = admin.context.new_page()
    public.goto(f"{server.url}/policies?level=city")
    listed = public.wait_for_selector("#current-documents [data-document='chengdu-rd-2024']")
    assert "成高管发〔2024〕8号" in listed.inner_text()
    assert "成都高新区管理委员会" in listed.inner_text()
    assert public.locator("[data-level='city'] [data-document='chengdu-rd-2024']").count() == 1
    public.click("#current-documents [data-document='chengdu-rd-2024'] a.doc-title")
    assert public.inner_text("#document-number") == "成高管发〔2024〕8号"


def test_importing_a_second_version_shows_the_diff_with_the_changed_text_highlighted(
    admin: Any, server: LiveServer
) -> None:
    _import_by_api(server.url, "chengdu-rd-v", V1, doc_number="成高管发〔2023〕1号", level="zone")
    admin.reload()
    admin.click("[data-admin-tab=policy]")
    admin.click("#library-list tr[data-document='chengdu-rd-v'] [data-action=import]")
    assert admin.input_value("#import-id") == "chengdu-rd-v"
    admin.fill("#import-text", V2)
    admin.click("#import-preview")
    diff = admin.wait_for_selector("#import-diff #diff")
    assert "新增 1 条 · 删除 0 条 · 修改 1 条" in diff.inner_text()
    assert "支持成果转化" in admin.inner_text("#import-diff .diff-added")
    change = admin.wait_for_selector("#import-diff .diff-change[data-to='1']")
    assert "支持研发投入" in change.inner_text()
    body = change.query_selector(".diff-field[data-field=body]")
    removed = [n.inner_text() for n in body.query_selector_all(".before del.hl")]
    inserted = [n.inner_text() for n in body.query_selector_all(".after ins.hl")]
    assert "1" in "".join(removed)
    assert "2" in "".join(inserted)
    assert "单户最高200万元" in "".join(inserted)
    assert "对企业研发投入按" not in "".join(inserted)  # unchanged text is not highlighted
    assert admin.locator("#import-diff .diff-change[data-to='2']").count() == 0  # unchanged measure not listed

    # The text does not state its 文号: the current version's is kept, and the admin is told so.
    assert admin.input_value("#import-doc_number") == "成高管发〔2023〕1号"
    assert "文号" in admin.inner_text("#import-carried")

    admin.click("#import-confirm")
    row = admin.wait_for_selector("#library-list tr[data-document='chengdu-rd-v']:has-text('第 2 版')")
    assert "成高管发〔2023〕1号" in row.inner_text()

    admin.click("#library-list tr[data-document='chengdu-rd-v'] [data-action=versions]")
    admin.wait_for_selector("#versions-list tr[data-version='2']")
    assert admin.locator("#versions-list tr").count() == 2
    admin.select_option("#diff-from", "1")
    admin.select_option("#diff-to", "2")
    admin.click("#diff-show")
    assert "单户最高200万元" in admin.wait_for_selector("#versions-diff ins.hl >> nth=-1").inner_text()


def test_admin_corrects_metadata_and_retires_a_document_which_the_library_then_marks(
    admin: Any, server: LiveServer
) -> None:
    _import_by_api(server.url, "chengdu-old-2019", V1.replace("研发创新", "旧版研发"))
    admin.reload()
    admin.click("[data-admin-tab=policy]")
    admin.click("#library-list tr[data-document='chengdu-old-2019'] [data-action=meta]")
    admin.wait_for_selector("#meta-card:not([hidden])")
    assert admin.input_value("#meta-title") == "成都高新区关于支持企业旧版研发的若干措施"
    admin.fill("#meta-doc_number", "成高管发〔2019〕2号")
    admin.select_option("#meta-level", "zone")
    admin.click("#meta-save")
    admin.wait_for_selector("#library-list tr[data-document='chengdu-old-2019']:has-text('成高管发〔2019〕2号')")

    admin.click("#library-list tr[data-document='chengdu-old-2019'] [data-action=retire]")
    question = admin.wait_for_selector("#retire-confirm:not([hidden]) #retire-question")
    assert "成都高新区关于支持企业旧版研发的若干措施" in question.inner_text()
    admin.click("#retire-no")  # cancelling changes nothing
    assert httpx.get(f"{server.url}/api/v1/documents/chengdu-old-2019").json()["status"] == "in_force"
    admin.click("#library-list tr[data-document='chengdu-old-2019'] [data-action=retire]")
    admin.click("#retire-yes")
    admin.wait_for_selector("#library-list tr[data-document='chengdu-old-2019']:has-text('已废止')")
    assert admin.locator("#library-list tr[data-document='chengdu-old-2019'] [data-action=retire]").count() == 0

    public = admin.context.new_page()
    public.goto(f"{server.url}/policies")
    past = public.wait_for_selector("#past-documents [data-document='chengdu-old-2019']")
    assert "已废止" in past.inner_text()
    assert public.locator("#current-documents [data-document='chengdu-old-2019']").count() == 0
