"""Admin routes for FAQ entries: list, search, edit, preview against the matcher, publish.

Under /api/v1/admin/faq. Every write carries the entry's `version`; a stale one gets 409. Publishing
an entry bumps the library revision: the catalogue is rebuilt here and on every replica (`api.catalog`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field, StringConstraints
from sqlalchemy.engine import CursorResult
from sqlmodel import Session, col, select

from api.catalog import CatalogHolder
from api.catalog_build import entry_of, replaced_bundled, served_entries, served_id
from api.db import utcnow
from api.deps import CatalogDep, CatalogHolderDep, DbDep, LibraryDep, UnitOfWorkDep, get_admin_user
from api.domain_errors import Conflict, InvalidInput, NotFound
from api.faqs import messages
from api.faqs.models import FaqEntry as FaqRow
from api.pagination import Limit, Offset, Page, RowId
from api.policy.service import bump_revision
from api.routing import SessionReleasingRoute
from api.text import EdgeModel
from faq.bundled import load_bundled
from faq.entries import FaqEntry
from faq.matcher import Matcher, MatchResult
from policy_index.library import PolicyLibrary, UnknownDocument, UnknownMeasure

router = APIRouter(
    prefix="/admin/faq", tags=["admin"], dependencies=[Depends(get_admin_user)], route_class=SessionReleasingRoute
)

Question = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Variant = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
AnswerText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
MeasureRef = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


BUNDLED_PREFIX = "bundled:"


class FaqEntryNotFound(NotFound):
    """No FAQ entry with this id."""


class StaleFaqEntry(Conflict):
    """The entry changed since the editor loaded it."""


class InvalidFaqEdit(InvalidInput):
    """An edit the matcher could not serve (unknown measure, …)."""


BundledRef = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
REPLACES_DESCRIPTION = "the bundled entry this one replaces everywhere (`bundled:<id>` as listed), once published"


class FaqIn(EdgeModel):
    """An entry as the editor sends it; measures as ids or bare numbers of the seed document."""

    question: Question
    variants: list[Variant] = Field(default_factory=list, max_length=50)
    answer: AnswerText
    measure_ids: list[MeasureRef] = Field(default_factory=list, max_length=10)
    publish: bool = False
    replaces: BundledRef | None = Field(default=None, description=REPLACES_DESCRIPTION)


class FaqUpdate(FaqIn):
    """An edit of an existing entry, based on `version`."""

    version: int = Field(ge=1)


class PreviewIn(EdgeModel):
    """A draft to try against the matcher; `id` when it edits an existing entry."""

    id: int | None = None
    question: Question
    variants: list[Variant] = Field(default_factory=list, max_length=50)
    answer: str = Field(default="", max_length=5000)
    measure_ids: list[MeasureRef] = Field(default_factory=list, max_length=10)
    replaces: BundledRef | None = Field(default=None, description=REPLACES_DESCRIPTION)


class IndexOut(BaseModel):
    """The FAQ index version this replica serves."""

    version: str
    entries: int
    loaded_at: datetime


class FaqOut(BaseModel):
    """An FAQ entry; `source` is `db` (editable) or `bundled` (shipped, replaced by an edit)."""

    id: str
    source: str
    question: str
    variants: list[str]
    answer: str
    measure_ids: list[str]
    version: int
    published: bool
    updated_at: datetime | None
    replaces: str | None = Field(default=None, description="`bundled:<id>` of the bundled entry this one replaces")
    index_version: str | None = None

    @classmethod
    def of_row(cls, row: FaqRow, index_version: str | None = None) -> FaqOut:
        """Build from a database row."""
        return cls(
            id=str(row.id),
            source="db",
            question=row.question,
            variants=list(row.variants),
            answer=row.answer,
            measure_ids=list(row.measure_ids),
            version=row.version,
            published=row.published_version is not None,
            updated_at=row.updated_at,
            replaces=f"{BUNDLED_PREFIX}{row.replaces}" if row.replaces else None,
            index_version=index_version,
        )

    @classmethod
    def of_bundled(cls, entry: FaqEntry) -> FaqOut:
        """Build from a bundled entry."""
        return cls(
            id=f"{BUNDLED_PREFIX}{entry.id}",
            source="bundled",
            question=entry.question,
            variants=list(entry.variants),
            answer=entry.answer,
            measure_ids=list(entry.measure_ids),
            version=0,
            published=True,
            updated_at=None,
        )


class FaqList(Page[FaqOut]):
    """A page of entries and the index version in use."""

    index: IndexOut


class MatchBrief(BaseModel):
    """What the matcher answers to one phrasing."""

    label: str
    title: str
    confident: bool
    faq: str | None


class PreviewRow(BaseModel):
    """One phrasing: the answer now and after publishing the draft."""

    text: str
    now: MatchBrief | None
    after: MatchBrief | None


class PreviewOut(BaseModel):
    """The preview of a draft; `warnings` when publishing it would lose the entry's own question."""

    index_version: str
    rows: list[PreviewRow]
    warnings: list[str] = Field(default_factory=list)


def _index_out(holder: CatalogHolder) -> IndexOut:
    catalog = holder.current
    return IndexOut(version=catalog.faq_version, entries=catalog.faq_entries, loaded_at=catalog.loaded_at)


def bundled_id(ref: str | None) -> str | None:
    """The bundled entry named by `bundled:<id>` or `<id>`; InvalidFaqEdit for an unknown one."""
    if ref is None:
        return None
    entry_id = ref.removeprefix(BUNDLED_PREFIX)
    if not any(entry.id == entry_id for entry in load_bundled().entries):
        raise InvalidFaqEdit(f"找不到内置问答：{ref} (unknown bundled entry)")
    return entry_id


def normalise_measures(library: PolicyLibrary, refs: list[str]) -> list[str]:
    """Full measure ids for ids or bare numbers; InvalidFaqEdit names an unknown one."""
    out: list[str] = []
    for ref in refs:
        try:
            measure_id = library.measure(ref).id
        except (UnknownMeasure, UnknownDocument, ValueError) as exc:
            raise InvalidFaqEdit(messages.UNKNOWN_MEASURE.format(ref=ref)) from exc
        if measure_id not in out:
            out.append(measure_id)
    return out


def _matches(text: str, haystack: str) -> bool:
    return text.casefold() in haystack.casefold()


def _searchable(question: str, variants: list[str] | tuple[str, ...], answer: str) -> str:
    return "\n".join([question, *variants, answer])


@router.get("", response_model=FaqList)
def list_entries(
    session: DbDep,
    holder: CatalogHolderDep,
    q: Annotated[str, Query(max_length=100)] = "",
    limit: Limit = 50,
    offset: Offset = 0,
) -> FaqList:
    """Admin entries (newest first), then the bundled entries they do not replace; `q` searches."""
    rows = list(session.exec(select(FaqRow).order_by(col(FaqRow.updated_at).desc())))
    bundled = load_bundled().entries
    replaced = {entry.id for entry in replaced_bundled(rows, bundled).values()}
    items = [FaqOut.of_row(row) for row in rows]
    items += [FaqOut.of_bundled(e) for e in bundled if e.id not in replaced]
    needle = q.strip()
    if needle:
        items = [i for i in items if _matches(needle, _searchable(i.question, i.variants, i.answer))]
    return FaqList(items=items[offset : offset + limit], total=len(items), index=_index_out(holder))


@router.get("/index", response_model=IndexOut)
def index_version(holder: CatalogHolderDep) -> IndexOut:
    """The FAQ index version this replica serves."""
    return _index_out(holder)


def _row(session: Session, entry_id: int) -> FaqRow:
    row = session.get(FaqRow, entry_id)
    if row is None:
        raise FaqEntryNotFound(messages.ENTRY_NOT_FOUND.format(entry_id=entry_id))
    return row


@router.get("/{entry_id}", response_model=FaqOut)
def get_entry(entry_id: RowId, session: DbDep) -> FaqOut:
    """One admin entry."""
    return FaqOut.of_row(_row(session, entry_id))


def _save(session: Session, row: FaqRow) -> None:
    """End an edit with a new library revision (every replica rebuilds its catalogue) and the row as stored."""
    bump_revision(session)
    session.flush()
    session.refresh(row)


def _saved(holder: CatalogHolder, row: FaqRow) -> FaqOut:
    """The saved entry, after the commit; the catalogue is rebuilt here and announced to the replicas."""
    out = FaqOut.of_row(row)
    out.index_version = holder.changed().faq_version
    return out


@router.post("", response_model=FaqOut, status_code=201)
def create_entry(body: FaqIn, uow: UnitOfWorkDep, library: LibraryDep, holder: CatalogHolderDep) -> FaqOut:
    """A new entry, as a draft or published at once."""
    measure_ids = normalise_measures(library, body.measure_ids)
    replaces = bundled_id(body.replaces)
    with uow as session:
        row = FaqRow(
            question=body.question,
            variants=body.variants,
            answer=body.answer,
            measure_ids=measure_ids,
            replaces=replaces,
            version=1,
            published_version=1 if body.publish else None,
        )
        session.add(row)
        _save(session, row)
    return _saved(holder, row)


@router.put("/{entry_id}", response_model=FaqOut)
def update_entry(
    entry_id: RowId, body: FaqUpdate, uow: UnitOfWorkDep, library: LibraryDep, holder: CatalogHolderDep
) -> FaqOut:
    """Edit an entry based on `version` (stale: 409). A published entry stays published with the edit."""
    measure_ids = normalise_measures(library, body.measure_ids)
    replaces = bundled_id(body.replaces)
    row = _row(uow.session, entry_id)
    if row.version != body.version:
        raise StaleFaqEntry(messages.STALE_ENTRY_VERSION.format(edited=body.version, current=row.version))
    published = body.publish or row.published_version is not None
    values = {
        "question": body.question,
        "variants": body.variants,
        "answer": body.answer,
        "measure_ids": measure_ids,
        "replaces": replaces or row.replaces,
        "version": row.version + 1,
        "published_version": row.version + 1 if published else None,
        "updated_at": utcnow(),
    }
    # Compare-and-set on the version: of two concurrent saves based on the same version, one wins.
    table = FaqRow.__table__  # type: ignore[attr-defined]
    with uow as session:
        result = cast(
            CursorResult[Any],
            session.execute(
                table.update().where(table.c.id == entry_id, table.c.version == body.version).values(**values)
            ),
        )
        if result.rowcount != 1:
            raise StaleFaqEntry(messages.STALE_ENTRY)
        _save(session, row)
    return _saved(holder, row)


@router.post("/{entry_id}/unpublish", response_model=FaqOut)
def unpublish_entry(entry_id: RowId, body: FaqUpdate, uow: UnitOfWorkDep, holder: CatalogHolderDep) -> FaqOut:
    """Stop serving an entry (kept as a draft)."""
    with uow as session:
        row = _row(session, entry_id)
        if row.version != body.version:
            raise StaleFaqEntry(messages.STALE_ENTRY)
        row.published_version = None
        row.version += 1
        row.updated_at = utcnow()
        session.add(row)
        _save(session, row)
    return _saved(holder, row)


def _brief(result: MatchResult, matcher: Matcher) -> MatchBrief | None:
    if not result.matches:
        return None
    top = result.matches[0]
    measure = matcher.measures[top.measure_id]
    faq = next((e.question for e in matcher.entries if e.id == top.faq_id), None) if top.faq_id else None
    return MatchBrief(label=measure.label, title=measure.title, confident=result.confident, faq=faq)


@router.post("/preview", response_model=PreviewOut)
def preview(body: PreviewIn, session: DbDep, catalog: CatalogDep) -> PreviewOut:
    """What the matcher answers now to the draft's phrasings, and what it would answer once published.

    `warnings` names the entry's own question (as stored, or the bundled entry's) when the draft would no
    longer answer it.
    """
    now = catalog.matcher
    measure_ids = normalise_measures(catalog.library, body.measure_ids)
    replaces = bundled_id(body.replaces)
    stored = session.get(FaqRow, body.id) if body.id else None
    rows = [
        r for r in session.exec(select(FaqRow).where(col(FaqRow.published_version).is_not(None))) if r.id != body.id
    ]
    draft = FaqRow(
        id=body.id or 0,
        question=body.question,
        variants=body.variants,
        answer=body.answer or body.question,
        measure_ids=measure_ids,
        replaces=replaces or (stored.replaces if stored else None),
    )
    bundled = load_bundled().entries
    after = now.with_entries(served_entries([*rows, draft], bundled)) if measure_ids else now
    own = _own_questions(body.question, stored, replaces, bundled)
    afters = {text: after.match(text) for text in dict.fromkeys([body.question, *body.variants, *own])}
    out = [
        PreviewRow(text=text, now=_brief(now.match(text), now), after=_brief(result, after))
        for text, result in afters.items()
    ]
    mine = served_id(draft.id or 0)
    warnings = [
        f"发布后本问答将不再回答它自己的问题“{text}” (the entry would lose its own question)"
        for text in own
        if not _answers_with(afters[text], mine)
    ]
    return PreviewOut(index_version=catalog.faq_version, rows=out, warnings=warnings)


def _own_questions(
    question: str, stored: FaqRow | None, replaces: str | None, bundled: tuple[FaqEntry, ...]
) -> list[str]:
    """The question the entry answers today (stored, or the bundled one it replaces) and the draft's question."""
    origin = replaces or (stored.replaces if stored else None)
    old = next((e.question for e in bundled if e.id == origin), None) if origin else None
    return list(dict.fromkeys(q for q in (stored.question if stored else None, old, question) if q))


def _answers_with(result: MatchResult, entry_id: str) -> bool:
    """Whether `result` is answered confidently by the served entry `entry_id`."""
    return result.confident and bool(result.matches) and result.matches[0].faq_id == entry_id


__all__ = ["entry_of", "router"]
