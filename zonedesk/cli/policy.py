"""`zonedesk policy …`: parse and show policy documents."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from policy_index.document import Document, Measure, document_to_json, measure_to_json
from policy_index.library import load_bundled_library, load_document_file

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
    """Show one measure of the bundled documents."""
    measure = load_bundled_library().measure(measure_id)
    if as_json:
        typer.echo(json.dumps(measure_to_json(measure), ensure_ascii=False, indent=2))
        return
    typer.echo(f"{measure.id} {measure.label}{measure.title}")
    typer.echo(f"章节：{measure.section or '—'}")
    typer.echo(f"牵头单位：{'、'.join(measure.lead_units) or '—'}")
    typer.echo(f"参与单位：{'、'.join(measure.participating_units) or '—'}")
    typer.echo("")
    typer.echo(measure.body)
