"""Draft clauses on the fixture library: how many proposals an admin could publish unchanged.

For every measure of every fixture document (tests/policy_index/fixtures/library), propose draft clauses
and count those that (a) pass the publisher's own checks unchanged (facts, source sentence in the measure,
lead unit among its units) and (b) leave nothing unresolved (no requirement without a fact) and have a
condition. That share is what "accepted unchanged" can mean without a reviewer; the rest need an edit.

    uv run python bench/draft_clauses.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from policy_index.clauses import load_bundled_facts, read_clause_text
from policy_index.drafts import propose_clauses
from policy_index.library import PolicyLibrary, decode_document
from policy_index.parser import parse_document

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "policy_index" / "fixtures" / "library"


def main() -> None:
    """Print proposals, the share publishable unchanged, and why the others are not."""
    facts = load_bundled_facts()
    documents = [parse_document(decode_document(p.read_bytes()), p.stem) for p in sorted(FIXTURES.glob("*.txt"))]
    library = PolicyLibrary(documents)
    total = unchanged = invalid = unresolved = no_condition = 0
    for document in documents:
        for measure in document.measures:
            for draft in propose_clauses(measure, facts):
                total += 1
                _, issues = read_clause_text(draft.to_yaml(), facts, library=library)
                if not draft.data["condition"]:
                    no_condition += 1
                elif issues:
                    invalid += 1
                elif draft.unresolved:
                    unresolved += 1
                else:
                    unchanged += 1
    share = unchanged / total if total else 0.0
    print(f"{len(documents)} documents, {sum(len(d.measures) for d in documents)} measures: {total} draft clauses")
    print(
        f"publishable unchanged: {unchanged} ({share:.0%}); need an edit: {invalid} fail a check, "
        f"{unresolved} name a requirement no fact covers, {no_condition} have no condition"
    )


if __name__ == "__main__":
    main()
