"""`trotsky-tei export FILE --to TARGET [-o OUT]`: TEI to a reading, print, archival or index format."""

from __future__ import annotations

import sys

import click

from ..export import TARGETS, export_tree
from ..io import refuse_same_file, write_atomic
from ..safexml import parse_file


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--to", "target", required=True, type=click.Choice(sorted(TARGETS)), help="Output format.")
@click.option("-o", "--output", default="-", show_default=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="File to write ('-' for standard output).")
@click.option("--reading", type=click.Choice(["source", "corrected"]), default="source", show_default=True,
              help="Text reading: the source as it stands, or with every correction applied.")
def command(file: str, target: str, output: str, reading: str) -> None:
    """Export a TEI FILE written by trotsky-tei to TARGET."""
    refuse_same_file(file, output)
    tree = parse_file(file)
    data = export_tree(tree, target, reading=reading)
    if output == "-":
        sys.stdout.buffer.write(data)
    else:
        write_atomic(output, data)
