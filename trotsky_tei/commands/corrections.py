"""`trotsky-tei corrections suggest FILE`: correction proposals for a curator."""

from __future__ import annotations

import csv
import io
import json

import click

from ..corrections.suggest import Suggestion, suggestions
from ..metadata import load_for

COLUMNS = ("file", "line", "sic", "reading", "detector", "cert", "status", "context", "reason")


@click.group("corrections")
def command() -> None:
    """Corrections of misprints and OCR damage: proposals for the curated corrections file."""


@command.command("suggest")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="Output format.")
@click.option("--min-cert", type=click.Choice(["high", "medium", "low"]), default="low", show_default=True,
              help="List only proposals at least this certain.")
@click.option("--metadata", type=click.Path(exists=True, dir_okay=False),
              help="Metadata TOML of a source text (default: CORPUS/metadata/<stem>.toml).")
@click.option("--corpus", "corpus_dir", type=click.Path(exists=True, file_okay=False),
              help="Corpus directory with authority/ and corrections/ (default: found from FILE).")
@click.option("--encoding", help="Source encoding when not UTF-8.")
def suggest(file: str, fmt: str, min_cert: str, metadata: str | None, corpus_dir: str | None,
            encoding: str | None) -> None:
    """List the corrections of FILE (a source .txt or a TEI file): where (file:line), the damaged
    text, the proposed reading, the detector, its certainty, whether it is applied, and context.

    Proposals of certainty 'high' are applied by `convert`; copy the others you accept into
    corpus/corrections/<source>.toml (format: corpus/corrections/README.md)."""
    meta = load_for(file, metadata, corpus_dir)
    rows = suggestions(file, meta, encoding, min_cert)
    click.echo(render(rows, fmt), nl=False)


def render(rows: list[Suggestion], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(COLUMNS)
        for r in rows:
            w.writerow([getattr(r, c) for c in COLUMNS])
        return buf.getvalue()
    if not rows:
        return "no corrections proposed\n"
    table = [("where", "damaged", "reading", "detector", "cert", "status", "context")]
    for r in rows:
        table.append((f"{r.file}:{r.line}", r.sic.replace("\n", "⏎"), r.reading, r.detector, r.cert or "-",
                      r.status, r.context))
    widths = [max(len(row[i]) for row in table) for i in range(6)]
    lines = []
    for row in table:
        cells = [row[i].ljust(widths[i]) for i in range(6)] + [row[6]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"
