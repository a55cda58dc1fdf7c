"""Documents written by a reviewer with hand-made expectations before the parser ran on them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from policy_index.library import load_document_file

REVIEW = Path(__file__).parent / "fixtures" / "review"
CASES = sorted(REVIEW.glob("*.expected.json"))
FIELDS = ("label", "title", "section", "lead_units", "participating_units")


@pytest.mark.parametrize("expected_path", CASES, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_document_parses_as_expected(expected_path: Path) -> None:
    expected: dict[str, Any] = json.loads(expected_path.read_text(encoding="utf-8"))
    document = load_document_file(expected_path.with_name(expected_path.name.replace(".expected.json", ".txt")))
    assert document.numbering.value == expected["numbering"]
    got = [
        {
            "number": m.number,
            "label": m.label,
            "title": m.title,
            "section": m.section,
            "lead_units": list(m.lead_units),
            "participating_units": list(m.participating_units),
        }
        for m in document.measures
    ]
    want = [{k: e[k] for k in ("number", *FIELDS) if k in e} for e in expected["measures"]]
    assert [{k: g[k] for k in w} for g, w in zip(got, want, strict=False)] == want
    assert len(got) == expected["measure_count"]
