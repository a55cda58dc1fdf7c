"""Metric definitions on a toy set, and floors on the dev set (never the holdout)."""

from __future__ import annotations

from pathlib import Path

from faq.evaluate import (
    LabelledQuestion,
    Prediction,
    Report,
    evaluate,
    format_reports,
    questions_from_lines,
    score,
    systems,
)
from faq.matcher import Matcher
from policy_index.library import PolicyLibrary

DEV = Path(__file__).parents[1] / "data" / "dev_questions.jsonl"
SEED = "sichuan-hitech-zones-draft"


def test_metrics_follow_their_definitions() -> None:
    questions = [
        LabelledQuestion("a", ("d#1",), "policy"),
        LabelledQuestion("b", ("d#2", "d#3"), "service", "housing"),
        LabelledQuestion("c", (), "out_of_scope"),
        LabelledQuestion("d", (), "chitchat"),
    ]
    predictions = [
        Prediction(("d#1", "d#2"), "policy", None, True),
        Prediction(("d#3", "d#2"), "service", "housing", True),  # answering measure 2 second; 3 is labelled too
        Prediction(("d#5",), "out_of_scope", None, False),
        Prediction((), "out_of_scope", None, False),
    ]
    report = score("toy", questions, predictions)
    assert (report.in_scope, report.top1, report.top3, report.mrr) == (2, 0.5, 1.0, 0.75)
    assert report.intent_accuracy == 0.75
    assert report.category_accuracy == 1.0
    assert (report.oos_precision, report.oos_recall) == (0.5, 1.0)
    assert report.confidently_wrong == 0.0  # measure 3 is a labelled answer, so not wrong
    assert report.answered == 1.0


def test_baseline_reports_have_no_intent_figures() -> None:
    report = score("rank-only", [LabelledQuestion("a", ("d#1",), "policy")], [Prediction(("d#2", "d#1"))])
    assert (report.top1, report.mrr, report.intent_accuracy, report.oos_recall) == (0.0, 0.5, None, None)


def test_a_confident_answer_with_no_measure_is_confidently_wrong() -> None:
    questions = [LabelledQuestion("a", ("d#1",), "policy"), LabelledQuestion("b", ("d#2",), "policy")]
    predictions = [Prediction((), "policy", None, True), Prediction(("d#2",), "policy", None, True)]
    assert score("toy", questions, predictions).confidently_wrong == 0.5


def test_report_table_has_a_header_and_a_dash_for_missing_figures() -> None:
    table = format_reports("dev", [Report("rank-only", 4, 2, 0.5, 1.0, 0.75)])
    title, head, row = table.splitlines()
    assert title == "dev: 4 questions, 2 in scope"
    assert head.split() == [
        "system",
        "top-1",
        "top-3",
        "MRR",
        "intent",
        "category",
        "OOS-P",
        "OOS-R",
        "answered",
        "conf-wrong",
    ]
    assert row.split() == ["rank-only", "0.500", "1.000", "0.750", "—", "—", "—", "—", "—", "—"]


def test_dev_set_floors(matcher: Matcher, library: PolicyLibrary) -> None:
    questions = questions_from_lines(DEV.read_text(encoding="utf-8").splitlines(), SEED)
    (report,) = evaluate(questions, systems(matcher, library.measures(SEED))[:1])
    floors = {
        "top1": 0.97,
        "top3": 0.99,
        "intent_accuracy": 0.93,
        "category_accuracy": 0.85,
        "oos_precision": 0.9,
        "oos_recall": 0.95,
        "answered": 0.85,
    }
    reached = {name: getattr(report, name) or 0.0 for name in floors}
    assert all(reached[name] >= floor for name, floor in floors.items()), reached
    assert report.confidently_wrong is not None
    assert report.confidently_wrong <= 0.01
