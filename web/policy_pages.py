"""The public 政策库 pages: `/policies` (filterable list), `/policies/{id}` (a document), `/policies/{id}/{n}`.

Rendered on the server from the served catalogue (the same snapshot answers are made from), never by
calling our own API over HTTP.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import LibraryDep
from common.documents import DocumentLevel, DocumentStatus
from policy_index.document import Document, Measure
from policy_index.library import UnknownDocument, UnknownMeasure
from policy_index.messages import LEVEL_LABELS, STATUS_LABELS
from web import messages
from web.pages import render

router = APIRouter(include_in_schema=False)

Filter = Annotated[str, Query(max_length=100)]


@dataclass(frozen=True, slots=True)
class LevelGroup:
    """The documents of one level, in library order."""

    level: str
    label: str
    documents: tuple[Document, ...]


def date_label(day: date | None) -> str:
    """A date as people write it: 2021年3月1日."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _parse(enum: type[DocumentLevel] | type[DocumentStatus], raw: str) -> str:
    """The value if it is one of the enum's, else "" (a bad filter shows everything rather than an error)."""
    return raw if raw in {member.value for member in enum} else ""


def _matches(document: Document, *, level: str, status: str, issuer: str, q: str) -> bool:
    meta = document.meta
    if (level and meta.level.value != level) or (status and meta.status.value != status):
        return False
    if issuer and meta.issuer != issuer:
        return False
    haystack = " ".join(filter(None, (document.title, meta.doc_number, meta.issuer, document.id)))
    return not q or q.casefold() in haystack.casefold()


def group_by_level(documents: Iterable[Document]) -> tuple[LevelGroup, ...]:
    """Documents grouped by level, national first; empty levels left out."""
    found = tuple(documents)
    groups = (
        LevelGroup(level.value, LEVEL_LABELS[level.value], tuple(d for d in found if d.meta.level is level))
        for level in DocumentLevel
    )
    return tuple(group for group in groups if group.documents)


def _issuers(documents: Sequence[Document]) -> list[str]:
    return sorted({d.meta.issuer for d in documents if d.meta.issuer})


def _not_found(request: Request, message: str) -> HTMLResponse:
    return render(request, "not_found.html", status_code=404, message=message)


@router.get("/policies", response_class=HTMLResponse)
def policy_list(
    request: Request, library: LibraryDep, level: Filter = "", status: Filter = "", issuer: Filter = "", q: Filter = ""
) -> HTMLResponse:
    """Every document, current ones apart from expired and repealed ones, grouped by level."""
    chosen = {
        "level": _parse(DocumentLevel, level.strip()),
        "status": _parse(DocumentStatus, status.strip()),
        "issuer": issuer.strip(),
        "q": q.strip(),
    }
    found = [d for d in library.documents if _matches(d, **chosen)]
    return render(
        request,
        "policies.html",
        filters=chosen,
        total=len(found),
        current=group_by_level(d for d in found if d.meta.status.current),
        not_current=group_by_level(d for d in found if not d.meta.status.current),
        issuers=_issuers(library.documents),
        level_labels=LEVEL_LABELS,
        status_labels=STATUS_LABELS,
        date_label=date_label,
    )


@router.get("/policies/{document_id}", response_class=HTMLResponse)
def policy_document(request: Request, document_id: str, library: LibraryDep) -> HTMLResponse:
    """One document: its metadata, its measures by section, its closing provisions apart."""
    try:
        document = library.document(document_id)
    except UnknownDocument:
        return _not_found(request, messages.DOCUMENT_NOT_FOUND)
    measures = [m for m in document.measures if not m.provision]
    return render(
        request,
        "policy_document.html",
        document=document,
        sections=_by_section(measures),
        measure_count=len(measures),
        provisions=[m for m in document.measures if m.provision],
        level_labels=LEVEL_LABELS,
        status_labels=STATUS_LABELS,
        date_label=date_label,
    )


def _by_section(measures: Sequence[Measure]) -> list[tuple[str | None, list[Measure]]]:
    """Consecutive measures of the same section together, in document order."""
    groups: list[tuple[str | None, list[Measure]]] = []
    for measure in measures:
        if groups and groups[-1][0] == measure.section:
            groups[-1][1].append(measure)
        else:
            groups.append((measure.section, [measure]))
    return groups


@router.get("/policies/{document_id}/{number}", response_class=HTMLResponse)
def policy_measure(request: Request, document_id: str, number: str, library: LibraryDep) -> HTMLResponse:
    """One measure: its text and units, with its document's level and status, and a link back."""
    try:
        document = library.document(document_id)
        measure = library.measure(f"{document_id}#{number}")
    except (UnknownDocument, UnknownMeasure):
        return _not_found(request, messages.MEASURE_NOT_FOUND)
    return render(
        request,
        "policy_measure.html",
        document=document,
        measure=measure,
        previous=document.measure(measure.number - 1),
        following=document.measure(measure.number + 1),
        level_labels=LEVEL_LABELS,
        status_labels=STATUS_LABELS,
        date_label=date_label,
    )
