"""`zonedesk eligibility` and `zonedesk clauses check` from the shell: JSON, messages and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

BAD_DIR = Path("tests/eligibility/bad")


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real `zonedesk` entry point in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "zonedesk", *args], capture_output=True, text=True, input=stdin, timeout=120, check=False
    )


def test_eligibility_reads_stdin_and_prints_verdicts_and_next_question() -> None:
    result = run_cli("eligibility", "--profile", "-", stdin='{"zone_level": "national", "org_type": "enterprise"}')
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    verdicts = {v["clause_id"]: v for v in payload["verdicts"]}
    assert len(verdicts) == 14
    assert verdicts["m7-job-invention-cash-reward"]["status"] == "ineligible"
    assert verdicts["m13-rd-post-subsidy"]["missing"] == ["has_rd_expense"]
    assert payload["next_question"]["fact"] in verdicts["m13-rd-post-subsidy"]["missing"] + [
        "talent_origin",
        "ownership",
    ]


def test_eligibility_reads_a_file_and_matches_the_api(tmp_path: Path) -> None:
    from api.main import create_app

    profile = {"zone_level": "provincial", "org_type": "enterprise", "ownership": "foreign", "talent_origin": None}
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(profile), encoding="utf-8")
    result = run_cli("eligibility", "--profile", str(path))
    assert result.returncode == 0, result.stderr
    api = TestClient(create_app()).post("/api/v1/eligibility/check", json={"profile": profile})
    assert json.loads(result.stdout) == api.json()


def test_bad_profile_exits_2_with_one_line() -> None:
    result = run_cli("eligibility", "--profile", "-", stdin='{"zone_level": "city"}')
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "zone_level" in result.stderr
    assert "city" in result.stderr


def test_invalid_json_and_missing_file_exit_2() -> None:
    bad_json = run_cli("eligibility", "--profile", "-", stdin="{zone_level: national")
    assert bad_json.returncode == 2
    assert "JSON" in bad_json.stderr
    missing = run_cli("eligibility", "--profile", "/nonexistent/profile.json")
    assert missing.returncode == 2
    assert len(missing.stderr.strip().splitlines()) == 1


def test_clauses_check_passes_on_bundled_files() -> None:
    result = run_cli("clauses", "check")
    assert result.returncode == 0, result.stdout
    assert "14" in result.stdout
    assert len(result.stdout.strip().splitlines()) == 1


def test_clauses_check_prints_file_and_line_and_exits_2() -> None:
    path = BAD_DIR / "clauses.yaml"
    result = run_cli("clauses", "check", str(path))
    assert result.returncode == 2
    lines = result.stdout.strip().splitlines()
    assert f"{path}:11: " in result.stdout
    assert all(line.startswith(f"{path}:") for line in lines)
    assert any("duplicate id" in line for line in lines)
    assert any("measure not in its document" in line for line in lines)
