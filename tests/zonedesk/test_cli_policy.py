"""`zonedesk policy …` from the shell: output, JSON and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SEED = Path("policy_index/data/documents/sichuan-hitech-zones-draft.txt")


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real `zonedesk` entry point in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "zonedesk", *args], capture_output=True, text=True, input=stdin, timeout=120, check=False
    )


def test_policy_parse_json_lists_all_measures() -> None:
    result = run_cli("policy", "parse", str(SEED), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["document"]["id"] == "sichuan-hitech-zones-draft"
    assert payload["document"]["numbering"] == "paren"
    assert len(payload["measures"]) == 28
    m23 = payload["measures"][22]
    assert m23["id"] == "sichuan-hitech-zones-draft#23"
    assert m23["title"] == "加强金融服务"
    assert m23["lead_units"] == ["省地方金融监管局", "人行成都分行"]
    assert set(m23) >= {"id", "number", "title", "section", "lead_units", "participating_units", "body"}


def test_policy_parse_text_output_names_measures() -> None:
    result = run_cli("policy", "parse", str(SEED))
    assert result.returncode == 0
    assert "（十三）实施高成长性企业培育计划" in result.stdout


def test_policy_show_bare_number_and_full_id() -> None:
    bare = run_cli("policy", "show", "8")
    full = run_cli("policy", "show", "sichuan-hitech-zones-draft#8")
    assert bare.returncode == 0
    assert bare.stdout == full.stdout
    assert "大力集聚高端创新平台" in bare.stdout


def test_unparseable_file_exits_2_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("会议纪要\n今天开会讨论了工作。\n", encoding="utf-8")
    result = run_cli("policy", "parse", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "第 1 行" in result.stderr


def test_unknown_measure_exits_2() -> None:
    result = run_cli("policy", "show", "99")
    assert result.returncode == 2
    assert "99" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_file_exits_2() -> None:
    result = run_cli("policy", "parse", "/nonexistent/doc.txt")
    assert result.returncode == 2


ZONE_IPO = Path("tests/api/library/zone-ipo-policy.txt")


def _run_with_database(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ZONEDESK_DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "zonedesk", *args], capture_output=True, text=True, timeout=120, check=False, env=env
    )


def test_policy_import_stores_a_version_that_ask_and_show_then_read(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'library.db'}"
    first = _run_with_database(url, "policy", "import", str(ZONE_IPO), "--id", "gaoxin-ipo", "--level", "zone")
    assert first.returncode == 0, first.stderr
    assert "第 1 版：4 条措施，园区" in first.stdout
    again = _run_with_database(url, "policy", "import", str(ZONE_IPO), "--id", "gaoxin-ipo", "--level", "zone")
    assert "第 2 版" in again.stdout
    assert "新增 0，删除 0，修改 0" in again.stdout
    shown = _run_with_database(url, "policy", "show", "gaoxin-ipo#2")
    assert shown.returncode == 0, shown.stderr
    assert "2.支持企业境外上市" in shown.stdout
    assert "《成都高新区关于支持企业上市发展的若干政策》（成高管发〔2026〕8号，园区，现行有效）" in shown.stdout
    answer = json.loads(_run_with_database(url, "ask", "高新区企业上市有啥奖励", "--json").stdout)
    assert answer["answer"]["document"]["id"] == "gaoxin-ipo"


def test_an_import_is_served_by_the_next_ask_after_earlier_asks(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'library.db'}"
    assert _run_with_database(url, "db", "upgrade").returncode == 0
    before = [_run_with_database(url, "ask", "高新区企业上市有啥奖励", "--json").stdout for _ in range(2)]
    assert before[0] == before[1]  # the second from the inputs the first kept
    assert json.loads(before[0])["answer"]["document"]["id"] != "gaoxin-ipo"
    imported = _run_with_database(url, "policy", "import", str(ZONE_IPO), "--id", "gaoxin-ipo", "--level", "zone")
    assert imported.returncode == 0, imported.stderr
    answer = json.loads(_run_with_database(url, "ask", "高新区企业上市有啥奖励", "--json").stdout)
    assert answer["answer"]["document"]["id"] == "gaoxin-ipo"


def test_policy_import_refuses_a_bad_date_and_a_bad_id(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'library.db'}"
    bad_date = _run_with_database(url, "policy", "import", str(ZONE_IPO), "--effective-to", "2026-02-30")
    assert bad_date.returncode == 2
    assert "--effective-to" in bad_date.stderr
    bad_id = _run_with_database(url, "policy", "import", str(ZONE_IPO), "--id", "Bad Id")
    assert bad_id.returncode == 2
    assert "文件编号" in bad_id.stderr


def test_policy_parse_json_shows_metadata_and_provisions() -> None:
    path = Path("tests/policy_index/fixtures/library/shuangliu-district-manufacturing-policy.txt")
    result = run_cli("policy", "parse", str(path), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    document = payload["document"]
    assert document["doc_number"] == "双府发〔2025〕21号"
    assert document["issuer"] == "成都市双流区人民政府"
    assert document["level"] == "county"
    assert document["status"] == "in_force"
    assert (document["issued_on"], document["effective_from"], document["effective_to"]) == (
        "2025-12-01",
        "2025-12-01",
        "2028-11-30",
    )
    assert [m["provision"] for m in payload["measures"]] == [False] * 7 + [True, True]


def test_policy_parse_json_of_the_seed_says_draft() -> None:
    payload = json.loads(run_cli("policy", "parse", str(SEED), "--json").stdout)
    assert payload["document"]["status"] == "draft"
    assert payload["document"]["doc_number"] is None
    assert not any(m["provision"] for m in payload["measures"])


def test_policy_parse_text_output_shows_metadata_and_marks_provisions() -> None:
    path = Path("tests/policy_index/fixtures/library/chengdu-hitech-ai-policy.txt")
    lines = run_cli("policy", "parse", str(path)).stdout.splitlines()
    assert lines[1].startswith("文号：成高管发[2026]8号\t发文机关：成都高新区管理委员会\tzone\tin_force")
    assert "有效期：2026-01-01 至 2027-12-31" in lines[1]
    assert [line.endswith("（附则）") for line in lines[2:]] == [False] * 4 + [True, True]
