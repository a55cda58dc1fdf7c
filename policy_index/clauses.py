"""The clause index: clauses read from YAML, checked against the facts and the policy documents."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from policy_index.conditions import Condition, read_condition
from policy_index.facts import FactCatalogue, FactFileError, parse_facts
from policy_index.library import DATA_DIR, PolicyLibrary, UnknownMeasure, load_bundled_library
from policy_index.yaml_lines import YamlSyntaxError, key_line, line_of, load_yaml_with_lines

FACTS_FILE = DATA_DIR / "facts.yaml"
CLAUSES_DIR = DATA_DIR / "clauses"
CLAUSE_KEYS = ("id", "measure_id", "title", "benefit", "lead_unit", "source", "condition")
OPTIONAL_KEYS = ("amount", "application_window")  # stated in the text: 最高不超过100万元, 每年3月申报
MAX_CLAUSE_ID = 80  # the stored column's size
_CLAUSE_ID_RE = re.compile(r"^m(?P<n>\d+)-[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class Clause:
    """One eligibility clause of a policy measure."""

    id: str
    measure_id: str
    title: str
    benefit: str
    lead_unit: str
    source: str  # the sentence of the measure this clause encodes
    condition: Condition
    needs_review: bool = False  # its measure's text changed in a newer version: an admin confirms it
    amount: str | None = None  # the amount or cap as the text states it
    application_window: str | None = None  # when to apply, as the text states it

    @property
    def fact_names(self) -> frozenset[str]:
        """The facts the clause's condition reads."""
        return self.condition.fact_names()


@dataclass(frozen=True, slots=True)
class ClauseIndex:
    """The facts and every clause, in file order."""

    facts: FactCatalogue
    clauses: tuple[Clause, ...]


@dataclass(frozen=True, slots=True)
class ClauseIssue:
    """A problem in a clause file, at `path:line`."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ClauseFileError(ValueError):
    """Clause files have problems; the message lists them with file and line."""

    def __init__(self, issues: list[ClauseIssue]) -> None:
        shown = "；".join(str(issue) for issue in issues[:5])
        more = f"（另有 {len(issues) - 5} 处）" if len(issues) > 5 else ""
        super().__init__(f"条款文件有误：{shown}{more} (invalid clause file)")
        self.issues = tuple(issues)


def clause_to_json(clause: Clause) -> dict[str, object]:
    """The JSON form of a clause used by the API."""
    return {
        "id": clause.id,
        "measure_id": clause.measure_id,
        "title": clause.title,
        "benefit": clause.benefit,
        "lead_unit": clause.lead_unit,
        "source": clause.source,
        "facts": sorted(clause.fact_names),
        "condition": clause.condition.to_data(),
        "needs_review": clause.needs_review,
        "amount": clause.amount,
        "application_window": clause.application_window,
    }


def clause_to_data(clause: Clause) -> dict[str, object]:
    """The clause as an item of a clause file (what is stored and re-read)."""
    data: dict[str, object] = {key: getattr(clause, key) for key in CLAUSE_KEYS[:-1]}
    data["condition"] = clause.condition.to_data()
    data.update({key: getattr(clause, key) for key in OPTIONAL_KEYS if getattr(clause, key) is not None})
    return data


class _FileReader:
    """Reads one clause file, collecting issues with their lines."""

    def __init__(self, path: str, facts: FactCatalogue, library: PolicyLibrary | None, seen: dict[str, str]) -> None:
        self.path, self.facts, self.library, self.seen = path, facts, library, seen
        self.issues: list[ClauseIssue] = []

    def fail(self, line: int, message: str) -> None:
        self.issues.append(ClauseIssue(self.path, line, message))

    def read(self, text: str) -> list[Clause]:
        try:
            data = load_yaml_with_lines(text)
        except YamlSyntaxError as exc:
            self.fail(exc.line, str(exc))
            return []
        raw = data.get("clauses") if isinstance(data, Mapping) else data  # a bare list of clauses is fine too
        if not isinstance(raw, list):
            self.fail(line_of(data, 1), "文件须有 clauses 列表 (the file needs a `clauses` list)")
            return []
        document = data.get("document") if isinstance(data, Mapping) else None
        lines = getattr(raw, "item_lines", [1] * len(raw))
        read = [self.read_one(item, line, document) for item, line in zip(raw, lines, strict=True)]
        return [clause for clause in read if clause is not None]

    def read_one(self, data: object, line: int, document: object) -> Clause | None:
        """Read one clause item at `line`, collecting its issues."""
        line = line_of(data, line)
        if not isinstance(data, Mapping):
            self.fail(line, "每个条款须是映射 (each clause must be a mapping)")
            return None
        before = len(self.issues)
        for key in sorted(str(k) for k in data if k not in CLAUSE_KEYS and k not in OPTIONAL_KEYS):
            self.fail(key_line(data, key, line), f"未知的键“{key}”(unknown key)")
        fields: dict[str, str] = {}
        for key in CLAUSE_KEYS[:-1]:
            if key not in data:
                self.fail(line, f"缺少 {key} (missing {key})")
            elif not isinstance(data[key], str) or not str(data[key]).strip():
                self.fail(key_line(data, key, line), f"{key} 须是非空文字 ({key} must be non-empty text)")
            else:
                fields[key] = str(data[key]).strip()
        for key in OPTIONAL_KEYS:
            if key in data and (not isinstance(data[key], str) or not str(data[key]).strip()):
                self.fail(key_line(data, key, line), f"{key} 须是非空文字 ({key} must be non-empty text)")
            elif key in data:
                fields[key] = str(data[key]).strip()
        if "id" in fields and "measure_id" in fields:
            self._check_id(fields["id"], fields["measure_id"], key_line(data, "id", line))
            self._check_measure(fields, data, line, document)
        if "condition" not in data:
            self.fail(line, "缺少 condition (missing condition)")
            return None
        condition, condition_issues = read_condition(data["condition"], self.facts, key_line(data, "condition", line))
        for issue in condition_issues:
            self.fail(issue.line, issue.message)
        if len(self.issues) > before or condition is None:
            return None
        return Clause(
            id=fields["id"],
            measure_id=fields["measure_id"],
            title=fields["title"],
            benefit=fields["benefit"],
            lead_unit=fields["lead_unit"],
            source=fields["source"],
            condition=condition,
            amount=fields.get("amount"),
            application_window=fields.get("application_window"),
        )

    def _check_id(self, clause_id: str, measure_id: str, line: int) -> None:
        match = _CLAUSE_ID_RE.match(clause_id)
        if len(clause_id) > MAX_CLAUSE_ID:
            self.fail(line, f"条款编号过长（至多 {MAX_CLAUSE_ID} 个字符）(clause id too long)")
        elif match is None:
            self.fail(line, f"条款编号“{clause_id}”须为 m<措施号>-小写短横线格式 (clause id must be m<n>-kebab-case)")
        elif match["n"] != measure_id.rpartition("#")[2]:
            self.fail(line, f"条款编号“{clause_id}”与措施 {measure_id} 的序号不符 (id/measure mismatch)")
        if clause_id in self.seen:
            self.fail(line, f"条款编号“{clause_id}”重复，已见于 {self.seen[clause_id]} (duplicate id)")
        else:
            self.seen[clause_id] = f"{self.path}:{line}"

    def _check_measure(
        self, fields: dict[str, str], data: Mapping[object, object], line: int, document: object
    ) -> None:
        measure_id, measure_line = fields["measure_id"], key_line(data, "measure_id", line)
        if document is not None and measure_id.rpartition("#")[0] != document:
            self.fail(measure_line, f"措施 {measure_id} 不属于本文件的 {document} (measure of another document)")
            return
        if self.library is None:
            return
        try:
            measure = self.library.measure(measure_id)
        except UnknownMeasure:
            self.fail(measure_line, f"措施 {measure_id} 不在其政策文件中 (measure not in its document)")
            return
        source, lead_unit = fields.get("source"), fields.get("lead_unit")
        if source is not None and "".join(source.split()) not in "".join(measure.body.split()):
            self.fail(
                key_line(data, "source", line), f"source 不是措施 {measure.id} 原文中的句子 (source not in measure)"
            )
        if lead_unit is not None and lead_unit not in (*measure.lead_units, *measure.participating_units):
            self.fail(
                key_line(data, "lead_unit", line), f"单位“{lead_unit}”不在措施 {measure.id} 的责任单位中 (lead unit)"
            )


def read_clause_text(
    text: str,
    facts: FactCatalogue,
    *,
    path: str = "<clauses>",
    library: PolicyLibrary | None = None,
    seen: dict[str, str] | None = None,
) -> tuple[list[Clause], list[ClauseIssue]]:
    """Read a clause file's text; `seen` carries ids across files to catch duplicates."""
    reader = _FileReader(path, facts, library, {} if seen is None else seen)
    clauses = reader.read(text)
    return clauses, reader.issues


def clause_from_data(data: Mapping[str, object], facts: FactCatalogue) -> Clause:
    """A stored clause (`clause_to_data`'s shape) read back; `ClauseFileError` when it no longer reads."""
    reader = _FileReader("<stored>", facts, None, {})
    clause = reader.read_one(data, 1, None)
    if clause is None:
        raise ClauseFileError(reader.issues)
    return clause


def check_clause_files(
    paths: Iterable[Path], facts: FactCatalogue, library: PolicyLibrary
) -> tuple[list[Clause], list[ClauseIssue]]:
    """Read and check clause files together (duplicate ids across files count)."""
    seen: dict[str, str] = {}
    clauses: list[Clause] = []
    issues: list[ClauseIssue] = []
    for path in paths:
        read, found = read_clause_text(
            path.read_text(encoding="utf-8"), facts, path=str(path), library=library, seen=seen
        )
        clauses.extend(read)
        issues.extend(found)
    return clauses, issues


def bundled_clause_files() -> tuple[Path, ...]:
    """The bundled clause files, in name order."""
    return tuple(sorted(CLAUSES_DIR.glob("*.yaml")))


def load_bundled_facts() -> FactCatalogue:
    """The bundled facts file."""
    try:
        return parse_facts(load_yaml_with_lines(FACTS_FILE.read_text(encoding="utf-8")))
    except YamlSyntaxError as exc:
        raise FactFileError(str(exc), exc.line) from None


def load_bundled_clause_index(library: PolicyLibrary | None = None) -> ClauseIndex:
    """Load the bundled facts and clauses, checked against `library` (default: the bundled documents)."""
    facts = load_bundled_facts()
    clauses, issues = check_clause_files(bundled_clause_files(), facts, library or load_bundled_library())
    if issues:
        raise ClauseFileError(issues)
    return ClauseIndex(facts=facts, clauses=tuple(clauses))
