"""`trotsky-tei entities FILE… [--format table|csv|json] [--unknown] [-o OUT]`: the entity index."""

from __future__ import annotations

import sys

import click

from ..entities import FORMATS, build_index
from ..io import refuse_overwriting_inputs, write_atomic


@click.command("entities")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="table", show_default=True,
              help="table: aligned columns for reading; csv: one row per entity (or unknown name); "
                   "json: everything, with every mention.")
@click.option("--unknown", is_flag=True,
              help="List the names proposed without an authority record instead, for a curator to add "
                   "to corpus/authority/.")
@click.option("-o", "--output", default="-", show_default=True, type=click.Path(allow_dash=True, dir_okay=False),
              help="File to write ('-' for standard output).")
def command(files: tuple[str, ...], fmt: str, unknown: bool, output: str) -> None:
    """The index of persons, places and organisations named in TEI FILEs written by trotsky-tei.

    \b
    Entity columns (csv):
      id             xml:id of the authority record (@ref without '#')
      type           person | place | org
      preferred      the record's preferred name
      variants       the spellings the text uses, most frequent first, '; ' between
      mention_count  how many times the entity is named
      mentions       every mention as DOCUMENT ¶PARAGRAPH +OFFSET ('; ' between; FILE: before it
                     when several files are given): DOCUMENT is the document's xml:id (d3) or
                     front/back, PARAGRAPH the block's number in it, OFFSET the character offset
                     of the name in the block's source text
      wikidata, geonames, other_ids   identifiers from the authority record

    \b
    Unknown-name columns (csv, with --unknown):
      text, type, cert, count, documents, context (the words around the first mention)

    JSON holds the same with every mention in full (file, document, title, XPath of the block,
    paragraph, offset, text, cert, resp, context). See docs/entities.md.
    """
    refuse_overwriting_inputs(files, output)
    index = build_index(files)
    data = FORMATS[fmt](index, unknown=unknown)
    if output == "-":
        sys.stdout.write(data)
    else:
        write_atomic(output, data.encode("utf-8"))
