"""`zonedesk policy …`: parse, show and import policy documents."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import Session

from api.catalog import announce_change
from api.db import make_engine
from api.policy.schemas import DOCUMENT_ID_RE
from api.policy.service import import_document, read_document, read_revision
from api.schema import prepare_database
from api.settings import get_settings
from api.unit_of_work import UnitOfWork
from common.documents import DocumentLevel, DocumentStatus
from policy_index.document import Document, Measure, document_to_json, measure_to_json
from policy_index.library import decode_document, load_document_file
from policy_index.messages import LEVEL_LABELS, STATUS_LABELS
from zonedesk.cli.errors import fail
from zonedesk.cli.served import served_catalog

app = typer.Typer(help="政策文件：解析与查看 (policy documents)", no_args_is_help=True)


def _print_measure_line(measure: Measure) -> None:
    lead = "、".join(measure.lead_units) or "—"
    closing = "\t（附则）" if measure.provision else ""
    typer.echo(f"{measure.id}\t{measure.label}{measure.title}\t牵头：{lead}{closing}")


def _print_meta_line(document: Document) -> None:
    meta = document.meta
    period = f"{meta.effective_from or '—'} 至 {meta.effective_to or '—'}"
    typer.echo(
        f"文号：{meta.doc_number or '—'}\t发文机关：{meta.issuer or '—'}\t{meta.level.value}\t{meta.status.value}"
        f"\t印发：{meta.issued_on or '—'}\t有效期：{period}"
    )


@app.command("parse")
def parse(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="document text file")],
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Parse a document file and print its measures."""
    document = load_document_file(file)
    if as_json:
        payload = {"document": document_to_json(document), "measures": [measure_to_json(m) for m in document.measures]}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{document.title}（{document.id}，{document.numbering.value}，{len(document.measures)} 条）")
    _print_meta_line(document)
    for measure in document.measures:
        _print_measure_line(measure)


@app.command("show")
def show(
    measure_id: Annotated[str, typer.Argument(help="N (bundled document) or doc-id#N")],
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Show one measure of the library (the configured database's, else the bundled documents)."""
    library = served_catalog().library
    measure = library.measure(measure_id)
    if as_json:
        typer.echo(json.dumps(measure_to_json(measure), ensure_ascii=False, indent=2))
        return
    document = library.document(measure.document_id)
    meta = document.meta
    source = "，".join(
        filter(None, (meta.doc_number, LEVEL_LABELS[meta.level.value], STATUS_LABELS[meta.status.value]))
    )
    typer.echo(f"{measure.id} {measure.label}{measure.title}")
    typer.echo(f"文件：《{document.title}》（{source}）")
    typer.echo(f"章节：{measure.section or '—'}")
    typer.echo(f"牵头单位：{'、'.join(measure.lead_units) or '—'}")
    typer.echo(f"参与单位：{'、'.join(measure.participating_units) or '—'}")
    typer.echo("")
    typer.echo(measure.body)


LevelOption = Annotated[
    DocumentLevel | None, typer.Option("--level", help="national | provincial | city | county | zone")
]
StatusOption = Annotated[DocumentStatus | None, typer.Option("--status", help="draft | in_force | expired | repealed")]
DateOption = Annotated[str | None, typer.Option(help="YYYY-MM-DD")]


def _date(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        fail(f"{option} 应为 YYYY-MM-DD 格式的日期：{value} (not an ISO date)")


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="document text file")],
    document_id: Annotated[str | None, typer.Option("--id", help="document id (default: the file name's stem)")] = None,
    title: Annotated[str | None, typer.Option(help="title, if the parser read it wrong")] = None,
    doc_number: Annotated[str | None, typer.Option("--doc-number", help="文号")] = None,
    issuer: Annotated[str | None, typer.Option(help="发文机关")] = None,
    level: LevelOption = None,
    status: StatusOption = None,
    issued_on: DateOption = None,
    effective_from: DateOption = None,
    effective_to: DateOption = None,
) -> None:
    """Store a document in the configured database as its newest version; every replica then serves it."""
    given = {
        "title": title,
        "doc_number": doc_number,
        "issuer": issuer,
        "level": level.value if level else None,
        "status": status.value if status else None,
        "issued_on": _date(issued_on, "--issued-on"),
        "effective_from": _date(effective_from, "--effective-from"),
        "effective_to": _date(effective_to, "--effective-to"),
    }
    identifier = document_id or file.stem
    if not DOCUMENT_ID_RE.match(identifier):
        fail(f"文件编号须为小写字母、数字和连字符：{identifier} (document id must be a slug)")
    text = decode_document(file.read_bytes())
    corrections = {k: v for k, v in given.items() if v is not None}
    document = read_document(identifier, text, corrections)
    settings = get_settings()
    engine = make_engine(settings.effective_database_url)
    try:
        prepare_database(engine)
        with Session(engine) as session:
            with UnitOfWork(session):
                proposal = import_document(session, document, text, by=None, given=corrections.keys())
            revision = read_revision(session)
    finally:
        engine.dispose()
    announce_change(settings.redis_url, revision)
    stored, diff = proposal.document, proposal.diff
    meta = stored.meta
    typer.echo(
        f"已导入《{stored.title}》第 {meta.version} 版：{len(stored.measures)} 条措施，"
        f"{LEVEL_LABELS[meta.level.value]}，{STATUS_LABELS[meta.status.value]}，文号 {meta.doc_number or '—'}"
    )
    if diff is not None:
        typer.echo(f"与上一版相比：新增 {len(diff.added)}，删除 {len(diff.removed)}，修改 {len(diff.changed)}")
