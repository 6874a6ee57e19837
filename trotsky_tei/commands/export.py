"""`trotsky-tei export FILE --to TARGET [-o OUT]`: TEI to a reading, print, archival or index format."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..export import TARGETS, export_dc_records, export_pieces
from ..io import refuse_same_file, write_atomic
from ..messages import error
from ..safexml import parse_file


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--to", "target", required=True, type=click.Choice(sorted(TARGETS)), help="Output format.")
@click.option("-o", "--output", default="-", show_default=True, type=click.Path(allow_dash=True),
              help="File to write ('-' for standard output). With --to dc, a directory (existing, or "
                   "ending in '/') receives one record per document.")
@click.option("--reading", type=click.Choice(["source", "corrected"]), default=None,
              help="Reading of the text: the source as it stands, or with every correction applied "
                   "[text: source; html: the reading shown first, corrected].")
@click.option("--document", default=None, metavar="ID",
              help="With --to dc: the record of one document (its xml:id, e.g. d3) instead of the edition's.")
def command(file: str, target: str, output: str, reading: str | None, document: str | None) -> None:
    """Export a TEI FILE written by trotsky-tei to TARGET."""
    refuse_same_file(file, output)
    if document and target != "dc":
        raise error("usage", "--document applies only to --to dc", hint="drop --document or use --to dc")
    tree = parse_file(file)
    if target == "dc" and output != "-" and (output.endswith(("/", "\\")) or Path(output).is_dir()):
        if document:
            raise error("usage", "--document writes one record: give a file, not a directory, as -o",
                        hint="use -o FILE.xml, or drop --document")
        records = export_dc_records(tree)
        if not records:
            raise error("export", "the file has no documents (div type='document' with an xml:id)", file=file,
                        hint="write the edition's record with -o FILE.xml")
        stem = Path(file).stem
        for doc, data in records.items():
            write_atomic(Path(output) / f"{stem}.{doc}.dc.xml", data)
        return
    if Path(output).is_dir():
        raise error("usage", "-o is a directory", file=output, hint="give a file name")
    params = {"reading": reading}
    if target == "text" and reading is None:
        params["reading"] = "source"
    if document:
        params["document"] = document
    pieces = export_pieces(tree, target, **params)
    if output == "-":
        for piece in pieces:
            sys.stdout.buffer.write(piece)
    else:
        write_atomic(output, pieces)
