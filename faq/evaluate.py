"""Evaluation of question matching on labelled questions, for zonedesk and the baselines.

A labelled question is `{"q", "measures": [id, ...], "kind", "category"}`: `measures` are measure ids
(`<document id>#<n>`; a bare number n means measure n of the default document, the seed), best first;
`kind` is policy | eligibility | service | out_of_scope | chitchat. Definitions (the "answering
measure" is the FIRST labelled measure):

- in scope: kind policy, eligibility or service, with at least one labelled measure;
- top-1: share of in-scope questions whose answering measure is ranked first;
- top-3: share of in-scope questions whose answering measure is among the first three;
- MRR: mean over in-scope questions of 1 / rank of the answering measure (0 when not ranked);
- intent accuracy: share of all questions whose predicted intent equals `kind`;
- category accuracy: share of service questions whose predicted category equals `category`;
- out-of-scope precision: of the questions predicted out_of_scope, the share labelled out_of_scope;
  recall: of the questions labelled out_of_scope, the share predicted out_of_scope;
- answered: share of in-scope questions answered with `confident` true;
- confidently wrong: share of in-scope questions answered `confident` with a top measure that is not
  among the labelled measures (target < 2%);
- confident out of scope: share of out_of_scope and chitchat questions answered `confident`.
Baselines only rank measures: their intent, category, out-of-scope and confidence figures are None.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from common.ask import Intent
from faq.baselines import BASELINES, Ranker
from faq.entries import IN_SCOPE_INTENTS
from faq.matcher import Matcher, MatchResult
from policy_index.document import Measure


class InvalidQuestionFile(ValueError):
    """A line of a labelled-question file is not a labelled question."""


class TooFewQuestions(ValueError):
    """Labelled sets that cannot train a model: a class or a kind of answer they need is missing."""


@dataclass(frozen=True, slots=True)
class LabelledQuestion:
    """One question of a dev or holdout set."""

    q: str
    measures: tuple[str, ...]  # measure ids, best first
    kind: str
    category: str | None = None

    @property
    def in_scope(self) -> bool:
        """Whether the question has a measure that answers it."""
        return self.kind in IN_SCOPE_INTENTS and bool(self.measures)


@dataclass(frozen=True, slots=True)
class Prediction:
    """What a system said about a question: measure ids best first, and the rest when it knows."""

    ranked: tuple[str, ...]
    intent: str | None = None
    category: str | None = None
    confident: bool | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """The figures of one system on one question set."""

    name: str
    questions: int
    in_scope: int
    top1: float
    top3: float
    mrr: float
    intent_accuracy: float | None = None
    category_accuracy: float | None = None
    oos_precision: float | None = None
    oos_recall: float | None = None
    answered: float | None = None
    confidently_wrong: float | None = None
    confident_out_of_scope: float | None = None


def _measure_id(label: object, default_document: str) -> str:
    if isinstance(label, bool) or not isinstance(label, int | str):
        raise TypeError(f"measure {label!r} is neither a number nor an id")
    text = str(label)
    return text if "#" in text else f"{default_document}#{int(text)}"


def questions_from_lines(lines: Iterable[str], default_document: str) -> tuple[LabelledQuestion, ...]:
    """Labelled questions from JSON lines (blank lines skipped); bare numbers name `default_document`'s measures."""
    out: list[LabelledQuestion] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            out.append(
                LabelledQuestion(
                    str(row["q"]),
                    tuple(_measure_id(m, default_document) for m in row["measures"]),
                    str(row["kind"]),
                    row["category"],
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidQuestionFile(
                f"第 {number} 行不是标注问题：{exc} (line {number}: not a labelled question)"
            ) from exc
    return tuple(out)


def _share(hits: int, total: int) -> float:
    return round(hits / total, 4) if total else 0.0


def _rank(question: LabelledQuestion, prediction: Prediction) -> int | None:
    answering = question.measures[0]
    return prediction.ranked.index(answering) + 1 if answering in prediction.ranked else None


def score(name: str, questions: Sequence[LabelledQuestion], predictions: Sequence[Prediction]) -> Report:
    """The report of one system's predictions (same order as the questions)."""
    pairs = list(zip(questions, predictions, strict=True))
    scoped = [(q, p) for q, p in pairs if q.in_scope]
    ranks = [_rank(q, p) for q, p in scoped]
    report = Report(
        name=name,
        questions=len(pairs),
        in_scope=len(scoped),
        top1=_share(sum(r == 1 for r in ranks), len(scoped)),
        top3=_share(sum(r is not None and r <= 3 for r in ranks), len(scoped)),
        mrr=round(sum(1 / r for r in ranks if r) / len(scoped), 4) if scoped else 0.0,
    )
    if not pairs or pairs[0][1].intent is None:
        return report
    oos = Intent.OUT_OF_SCOPE.value
    predicted_oos = [q for q, p in pairs if p.intent == oos]
    labelled_oos = [p for q, p in pairs if q.kind == oos]
    service = [(q, p) for q, p in pairs if q.kind == Intent.SERVICE]
    unanswerable = [p for q, p in pairs if not q.in_scope]
    return Report(
        **{f: getattr(report, f) for f in ("name", "questions", "in_scope", "top1", "top3", "mrr")},
        intent_accuracy=_share(sum(q.kind == p.intent for q, p in pairs), len(pairs)),
        category_accuracy=_share(sum(q.category == p.category for q, p in service), len(service)),
        oos_precision=_share(sum(q.kind == oos for q in predicted_oos), len(predicted_oos)),
        oos_recall=_share(sum(p.intent == oos for p in labelled_oos), len(labelled_oos)),
        answered=_share(sum(bool(p.confident) for _, p in scoped), len(scoped)),
        confidently_wrong=_share(
            sum(bool(p.confident) and (not p.ranked or p.ranked[0] not in q.measures) for q, p in scoped), len(scoped)
        ),
        confident_out_of_scope=_share(sum(bool(p.confident) for p in unanswerable), len(unanswerable)),
    )


def evaluate(
    questions: Sequence[LabelledQuestion], systems: Iterable[tuple[str, Callable[[str], Prediction]]]
) -> tuple[Report, ...]:
    """Run every system on every question."""
    return tuple(score(name, questions, [predict(q.q) for q in questions]) for name, predict in systems)


def confidence_curve(
    questions: Sequence[LabelledQuestion], scored: Sequence[tuple[Prediction, float]], thresholds: Iterable[float]
) -> tuple[tuple[float, float, float], ...]:
    """(threshold, answered, confidently wrong) over in-scope questions, given (prediction, probability) pairs.

    A question counts as answered at a threshold when its predicted intent is in scope and the confidence
    model's probability reaches the threshold (the rule `confident` applies at the model's operating point).
    """
    rows = [(q, p, s) for q, (p, s) in zip(questions, scored, strict=True) if q.in_scope]
    out = []
    for threshold in thresholds:
        answered = [(q, p) for q, p, s in rows if p.intent in IN_SCOPE_INTENTS and s >= threshold]
        wrong = sum(1 for q, p in answered if not p.ranked or p.ranked[0] not in q.measures)
        out.append((round(threshold, 2), _share(len(answered), len(rows)), _share(wrong, len(rows))))
    return tuple(out)


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


COLUMNS = (
    ("top-1", "top1"),
    ("top-3", "top3"),
    ("MRR", "mrr"),
    ("intent", "intent_accuracy"),
    ("category", "category_accuracy"),
    ("OOS-P", "oos_precision"),
    ("OOS-R", "oos_recall"),
    ("answered", "answered"),
    ("conf-wrong", "confidently_wrong"),
)


def format_reports(title: str, reports: Sequence[Report]) -> str:
    """A plain-text table of reports."""
    head = f"{'system':<12}" + "".join(f"{label:>11}" for label, _ in COLUMNS)
    lines = [f"{title}: {reports[0].questions} questions, {reports[0].in_scope} in scope" if reports else title, head]
    for report in reports:
        lines.append(f"{report.name:<12}" + "".join(f"{_cell(getattr(report, key)):>11}" for _, key in COLUMNS))
    return "\n".join(lines)


def unknown_measures(questions: Iterable[LabelledQuestion], known: Iterable[str]) -> tuple[str, ...]:
    """The labelled measure ids that are not among `known`, sorted."""
    ids = set(known)
    return tuple(sorted({m for q in questions for m in q.measures if m not in ids}))


def prediction_of(result: MatchResult) -> Prediction:
    """A matcher result as a prediction."""
    return Prediction(
        ranked=tuple(m.measure_id for m in result.matches),
        intent=result.intent.value,
        category=result.category.value if result.category else None,
        confident=result.confident,
    )


def systems(matcher: Matcher, measures: Sequence[Measure]) -> tuple[tuple[str, Callable[[str], Prediction]], ...]:
    """zonedesk and the three baselines (ranking `measures`), as predictors."""

    def zonedesk(question: str) -> Prediction:
        return prediction_of(matcher.match(question, limit=None))

    def baseline(ranker: Ranker) -> Callable[[str], Prediction]:
        return lambda question: Prediction(ranked=ranker(question))

    return (("zonedesk", zonedesk), *((name, baseline(make(measures))) for name, make in BASELINES.items()))
