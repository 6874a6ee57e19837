"""`trotsky-tei convert SOURCE [-o OUT]`: plain text to TEI."""

from __future__ import annotations

import sys

import click

from ..convert import analyse_path, tei_chunks
from ..io import refuse_same_file, write_atomic
from ..messages import Severity


@click.command("convert")
@click.argument("source", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              show_default=True, help="TEI file to write ('-' for standard output).")
@click.option("--metadata", type=click.Path(exists=True, dir_okay=False), help="Metadata TOML (default: CORPUS/metadata/<stem>.toml).")
@click.option("--corpus", "corpus_dir", type=click.Path(exists=True, file_okay=False),
              help="Corpus directory with authority/, corrections/, metadata/ (default: found from SOURCE).")
@click.option("--encoding", help="Source encoding when not UTF-8 (e.g. cp1252, latin-1).")
@click.option("-q", "--quiet", is_flag=True, help="Do not report warnings.")
@click.option("-v", "--verbose", is_flag=True, help="Also report information messages.")
def command(source: str, output: str, metadata: str | None, corpus_dir: str | None, encoding: str | None,
            quiet: bool, verbose: bool) -> None:
    """Convert a plain-text SOURCE ('-' for standard input) into TEI P5."""
    refuse_same_file(source, output)
    doc = analyse_path(source, metadata, encoding, corpus_dir)
    # written one document at a time: a long source is never one tree in memory
    if output == "-":
        for piece in tei_chunks(doc):
            sys.stdout.buffer.write(piece)
        sys.stdout.buffer.flush()
    else:
        write_atomic(output, tei_chunks(doc))
    level = Severity.ERROR if quiet else (Severity.INFO if verbose else Severity.WARNING)
    for m in doc.reporter.messages:
        if m.severity >= level:
            click.echo(m.render() + (f" (hint: {m.hint})" if m.hint else ""), err=True)
