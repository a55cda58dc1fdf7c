"""The public 政策库 pages over HTTP: the list and its filters, a document, a measure, 404s, escaping."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from api.deps import get_library
from api.main import create_app
from api.settings import Settings
from common.documents import DocumentLevel, DocumentStatus
from policy_index.document import Document, DocumentMeta, Measure, Numbering
from policy_index.library import PolicyLibrary

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _measure(document_id: str, number: int, title: str, **extra: object) -> Measure:
    values: dict[str, object] = {
        "document_id": document_id,
        "number": number,
        "label": f"第{'一二三四五'[number - 1]}条",
        "title": title,
        "body": f"{title}。具体办法另行制定。",
        "section": None,
    }
    values.update(extra)
    return Measure(**values)  # type: ignore[arg-type]


def _document(document_id: str, title: str, meta: DocumentMeta, measures: tuple[Measure, ...] = ()) -> Document:
    return Document(document_id, title, Numbering.ARTICLE, (), measures, meta)


@pytest.fixture(scope="module")
def documents(library: PolicyLibrary) -> PolicyLibrary:
    """The bundled draft plus a national, a city (with a provision), an expired and a repealed document."""
    city_id = "chengdu-talent-2024"
    city = _document(
        city_id,
        "成都市关于支持人才创新创业的若干措施",
        DocumentMeta(
            doc_number="成府发〔2024〕3号",
            issuer="成都市人民政府",
            level=DocumentLevel.CITY,
            status=DocumentStatus.IN_FORCE,
            issued_on=date(2024, 2, 1),
            effective_from=date(2024, 3, 1),
            effective_to=date(2027, 2, 28),
        ),
        (
            _measure(
                city_id,
                1,
                "支持人才安居",
                lead_units=("市住建局",),
                participating_units=("市人社局", "各区（市）县人民政府"),
            ),
            _measure(city_id, 2, "本措施自2024年3月1日起施行，有效期3年", provision=True),
        ),
    )
    national = _document(
        "guofa-2020-7",
        "关于促进国家高新技术产业开发区高质量发展的若干意见",
        DocumentMeta(doc_number="国发〔2020〕7号", issuer="国务院", level=DocumentLevel.NATIONAL),
        (_measure("guofa-2020-7", 1, "着力提升自主创新能力"),),
    )
    expired = _document(
        "mianyang-finance-2019",
        "绵阳高新区支持企业融资发展的实施细则",
        DocumentMeta(
            issuer="绵阳高新区管委会",
            level=DocumentLevel.ZONE,
            status=DocumentStatus.EXPIRED,
            effective_to=date(2021, 12, 31),
        ),
    )
    repealed = _document(
        "deyang-green-2018",
        f"德阳绿色园区通知{XSS}",
        DocumentMeta(
            doc_number=f"德府发〔2018〕1号{XSS}",
            issuer="德阳市人民政府",
            level=DocumentLevel.CITY,
            status=DocumentStatus.REPEALED,
        ),
        (_measure("deyang-green-2018", 1, f"绿色工厂奖励{XSS}", lead_units=(f"经信局{XSS}",)),),
    )
    return PolicyLibrary([*library.documents, national, city, expired, repealed])


@pytest.fixture(scope="module")
def client(documents: PolicyLibrary, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path_factory.mktemp('policies') / 'z.db'}"
    app = create_app(Settings(database_url=url, secret_key="t"), library=documents)
    app.dependency_overrides[get_library] = lambda: documents
    with TestClient(app) as client:
        yield client


def _section(html: str, element_id: str) -> str:
    """The HTML of the card with this id (up to the next card)."""
    start = html.index(f'id="{element_id}"')
    end = html.find('<div class="card', start)
    return html[start : end if end != -1 else len(html)]


def _listed(html: str) -> list[str]:
    return re.findall(r'data-document="([^"]+)"', html)


def test_list_shows_every_document_with_number_issuer_level_status_and_dates(client: TestClient) -> None:
    html = client.get("/policies").text
    row = html[html.index('data-document="chengdu-talent-2024"') :]
    row = row[: row.index("</li>")]
    for text in (
        "成都市关于支持人才创新创业的若干措施",
        "成府发〔2024〕3号",
        "成都市人民政府",
        "现行有效",
        "2024年3月1日",
    ):
        assert text in row
    assert "共 5 份文件" in html


def test_list_keeps_expired_and_repealed_documents_apart_from_current_ones(client: TestClient) -> None:
    html = client.get("/policies").text
    current, past = _section(html, "current-documents"), _section(html, "past-documents")
    assert set(_listed(current)) == {"sichuan-hitech-zones-draft", "guofa-2020-7", "chengdu-talent-2024"}
    assert set(_listed(past)) == {"mianyang-finance-2019", "deyang-green-2018"}
    assert "已废止" in past
    assert "已失效" in past
    assert "已废止" not in current


def test_draft_is_marked_as_such_in_the_list(client: TestClient) -> None:
    html = client.get("/policies").text
    row = html[html.index('data-document="sichuan-hitech-zones-draft"') :]
    assert '<span class="doc-status draft">征求意见稿</span>' in row[: row.index("</li>")]


def test_list_groups_current_documents_by_level_national_first(client: TestClient) -> None:
    current = _section(client.get("/policies").text, "current-documents")
    levels = re.findall(r'data-level="([a-z]+)"', current)
    assert levels == ["national", "provincial", "city"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("level=city", {"chengdu-talent-2024", "deyang-green-2018"}),
        ("status=draft", {"sichuan-hitech-zones-draft"}),
        ("status=repealed", {"deyang-green-2018"}),
        ("level=city&status=in_force", {"chengdu-talent-2024"}),
        ("issuer=国务院", {"guofa-2020-7"}),
        ("q=国发〔2020〕7号", {"guofa-2020-7"}),
        ("q=高新", {"sichuan-hitech-zones-draft", "guofa-2020-7", "mianyang-finance-2019"}),
        ("level=nonsense", None),  # an unknown filter value shows everything, never an error
    ],
)
def test_list_filters_by_level_status_issuer_and_text(
    client: TestClient, query: str, expected: set[str] | None
) -> None:
    response = client.get(f"/policies?{query}")
    assert response.status_code == 200
    everything = set(_listed(client.get("/policies").text))
    assert set(_listed(response.text)) == (expected if expected is not None else everything)


def test_filter_form_is_a_get_form_that_keeps_the_chosen_values(client: TestClient) -> None:
    html = client.get("/policies?level=city&status=in_force&q=人才").text
    assert '<form class="card policy-filters" method="get" action="/policies"' in html
    form = _section(html, "policy-filters")
    assert '<option value="city" selected>' in form
    assert '<option value="in_force" selected>' in form
    assert 'name="q" value="人才"' in form


def test_document_page_shows_metadata_measures_and_provisions_apart(client: TestClient) -> None:
    response = client.get("/policies/chengdu-talent-2024")
    assert response.status_code == 200
    html = response.text
    assert "成府发〔2024〕3号" in _section(html, "document")
    measures, provisions = _section(html, "measures"), _section(html, "provisions")
    assert "第一条" in measures
    assert "支持人才安居" in measures
    assert "市住建局" in measures
    assert "各区（市）县人民政府" in measures
    assert "起施行" not in measures  # a provision is never listed as support
    assert "本措施自2024年3月1日起施行" in provisions
    assert 'href="/policies/chengdu-talent-2024/1"' in measures


def test_seed_document_lists_its_measures_with_labels_as_written(client: TestClient) -> None:
    html = client.get("/policies/sichuan-hitech-zones-draft").text
    assert "（八）</span>大力集聚高端创新平台" in html
    assert "第8条" not in html
    assert "征求意见稿，最终以正式印发的文件为准" in html


def test_measure_page_shows_body_units_and_a_link_back(client: TestClient) -> None:
    response = client.get("/policies/sichuan-hitech-zones-draft/8")
    assert response.status_code == 200
    html = response.text
    assert '<span class="label">（八）</span>大力集聚高端创新平台' in html
    assert "对通过认定的外资研发机构" in _section(html, "measure")
    assert '<span id="lead-units">科技厅</span>' in html
    assert "中科院成都分院" in html
    assert 'href="/policies/sichuan-hitech-zones-draft" id="back-to-document"' in html
    assert "省级" in html


def test_provision_measure_page_says_it_is_not_support(client: TestClient) -> None:
    assert 'id="provision-note"' in client.get("/policies/chengdu-talent-2024/2").text
    assert 'id="provision-note"' not in client.get("/policies/chengdu-talent-2024/1").text


def test_repealed_document_is_marked_on_its_pages(client: TestClient) -> None:
    for path in ("/policies/deyang-green-2018", "/policies/deyang-green-2018/1"):
        html = client.get(path).text
        assert 'data-status="repealed"' in html
        assert "本文件已废止，其内容不再作为现行政策执行" in html
    current = client.get("/policies/chengdu-talent-2024").text
    assert 'id="document-notice"' not in current


@pytest.mark.parametrize(
    "path", ["/policies/nope", "/policies/nope/1", "/policies/chengdu-talent-2024/9", "/policies/chengdu-talent-2024/x"]
)
def test_unknown_document_or_measure_is_a_chinese_404_page(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "页面不存在" in response.text
    assert 'href="/policies"' in response.text


@pytest.mark.parametrize("path", ["/policies", "/policies/deyang-green-2018", "/policies/deyang-green-2018/1"])
def test_titles_and_units_are_escaped(client: TestClient, path: str) -> None:
    html = client.get(path).text
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_search_text_is_escaped_in_the_form(client: TestClient) -> None:
    html = client.get("/policies", params={"q": '"><script>alert(1)</script>'}).text
    assert "<script>alert(1)" not in html


def test_every_page_links_the_policy_library_in_the_navigation(client: TestClient) -> None:
    for path in ("/", "/staff", "/admin", "/policies"):
        assert 'href="/policies" id="nav-policies"' in client.get(path).text
