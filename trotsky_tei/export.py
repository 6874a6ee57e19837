"""Exports: one XSLT 1.0 stylesheet per target, shipped as package data, run by lxml (libxslt)
with access control: no file reads or writes, no network, from any stylesheet.

Stylesheets may include the shared `common.xsl`: includes are resolved at compile time, and only
inside the package's `xslt/` directory. At run time nothing is read but the input tree, so a
stylesheet calling `document()` fails with a clear message instead of reading a file.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from lxml import etree

from . import TEI_NS, XML_ID, safexml, stream, xhtml
from .docorder import numbered_elements
from .io import write_atomic
from .messages import error

#: target -> (stylesheet, file extension)
TARGETS: dict[str, tuple[str, str]] = {
    "html": ("html.xsl", "html"),
    "text": ("text.xsl", "txt"),
    "fo": ("fo.xsl", "fo"),
    "pdf": ("fo.xsl", "pdf"),
    "dc": ("dc.xsl", "dc.xml"),
    "ead": ("ead.xsl", "ead.xml"),
    "csv": ("csv.xsl", "csv"),
    "json": ("json.xsl", "json"),
}

#: Denies file reads and writes, directory creation and network access to every stylesheet.
ACCESS = safexml.XSLT_ACCESS


def xslt_dir() -> Path:
    return Path(str(resources.files("trotsky_tei").joinpath("xslt")))


@dataclass
class _Compiled:
    """What `run_pieces` needs to know of a compiled stylesheet."""

    xslt: etree.XSLT
    path: Path
    method: str
    indent: bool
    #: the same stylesheet compiled without the extension (its fallbacks run), for short inputs
    plain: etree.XSLT | None = None


#: id of a compiled stylesheet -> what it was compiled from (the entry holds the stylesheet, so
#: that its id is never reused by another object).
_COMPILED: dict[int, _Compiled] = {}


def compile_stylesheet(path: str | Path) -> etree.XSLT:
    """Compile a stylesheet under the policy of `safexml.load_stylesheet`: includes from the
    package's xslt/ directory only, no file or network access when it runs; `tts:stream` (see
    `stream.py`) available."""
    xslt, doc = safexml.load_stylesheet_doc(path, root=xslt_dir(), extensions=stream.EXTENSIONS)
    _COMPILED[id(xslt)] = _Compiled(xslt, Path(path), *stream.output_method(doc))
    return xslt


@cache
def stylesheet(name: str) -> etree.XSLT:
    """Compile a packaged stylesheet once per process."""
    return compile_stylesheet(xslt_dir() / name)


def run_stylesheet(xslt: etree.XSLT, tree: etree._ElementTree, what: str, **params: Any) -> bytes:
    """Run a compiled stylesheet through `safexml.transform` (access violations and XSLT errors
    become one-line `export-access`/`export` errors) and return the output bytes."""
    return b"".join(run_pieces(xslt, tree, what, **params))


def run_pieces(xslt: etree.XSLT, tree: etree._ElementTree, what: str, **params: Any) -> Iterator[bytes]:
    """`run_stylesheet`'s output as consecutive pieces of bytes, for writing to a file without
    holding it whole. The transformation is over when this returns: errors are raised here,
    and reading the pieces only reads what the transformation spooled (see `stream.py`).

    A short input is not streamed: it runs the stylesheet compiled without the extension, whose
    fallbacks make the same output without a call into Python for each piece."""
    compiled = _COMPILED.get(id(xslt))
    if compiled is None or not _streams(tree):
        if compiled is not None:
            if compiled.plain is None:
                compiled.plain = safexml.load_stylesheet(compiled.path, root=xslt_dir())
            xslt = compiled.plain
        data = bytes(_transform(xslt, tree, what, numbered=compiled is not None, **params))
        return iter((xhtml.end_tags(data) if compiled is not None and compiled.method == "xhtml" else data,))
    with stream.running(compiled.method, compiled.indent) as run:
        try:
            result = _transform(xslt, tree, what, numbered=True, **params)
        except BaseException:
            run.spool.close()
            raise
    return run.output(result)


def _transform(xslt: etree.XSLT, tree: etree._ElementTree, what: str, numbered: bool = False,
               **params: Any) -> etree._XSLTResultTree:
    return safexml.transform(xslt, tree, what=f"{what} export", kinds=("export-access", "export"),
                             numbered=numbered, **params)


def _streams(tree: etree._ElementTree) -> bool:
    """Whether the exports of `tree` are streamed: for inputs of `stream.STREAM_FROM` elements or
    more (and when they cannot be counted). Numbers the tree's document order on the way."""
    count = numbered_elements(tree)
    return count is None or count >= stream.STREAM_FROM


def export_tree(tree: etree._ElementTree, target: str, **params: Any) -> bytes:
    """Run the stylesheet of `target` over a TEI tree and return the output bytes.

    `pdf` runs the `fo` stylesheet, then Apache FOP (see `pdf.py`)."""
    return b"".join(export_pieces(tree, target, **params))


def export_pieces(tree: etree._ElementTree, target: str, **params: Any) -> Iterator[bytes]:
    """`export_tree`'s output as consecutive pieces of bytes (see `run_pieces`): what a file is
    written from, so that a long export is never held whole in memory."""
    if target not in TARGETS:
        raise error("usage", f"unknown export target '{target}'", hint="choose one of: " + ", ".join(sorted(TARGETS)))
    if target == "pdf":
        from .pdf import fo_params, render_pdf

        fo = run_stylesheet(stylesheet(TARGETS["fo"][0]), tree, "pdf", **{**fo_params(), **params})
        return iter((render_pdf(fo),))
    if target == "dc" and params.get("document"):
        ids = document_ids(tree)
        if params["document"] not in ids:
            raise error("usage", f"no document with xml:id '{params['document']}'",
                        hint="choose one of: " + (", ".join(ids) or "(the file has no documents)"))
    return run_pieces(stylesheet(TARGETS[target][0]), tree, target, **params)


def document_ids(tree: etree._ElementTree) -> list[str]:
    """The xml:ids of the edition's documents (div[@type='document']), in order."""
    return [d.get(XML_ID) for d in tree.iterfind(f".//{{{TEI_NS}}}body//{{{TEI_NS}}}div[@type='document']")
            if d.get(XML_ID)]


#: What `xsl:output method="xml"` writes before the root element of a record.
_XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def export_dc_records(tree: etree._ElementTree) -> dict[str, bytes]:
    """One oai_dc record per document, keyed by the document's xml:id.

    One run of the stylesheet makes the records of all the documents of the edition's body (a
    run per document would read the whole tree once per document: quadratic in the size of the
    edition); each record is then written as a document of its own, byte for byte as
    `export_tree(tree, "dc", document=id)` writes it. A document the run did not reach (one in
    a nested text) gets a run of its own."""
    xslt = stylesheet(TARGETS["dc"][0])
    # each record is a piece of the run (stream.py), written as a document of its own as soon as
    # it is made: the result holds only the placeholders. `_streams` has numbered the tree.
    with stream.running("xml", standalone=True) if _streams(tree) else contextlib.nullcontext() as run:
        result = _transform(xslt, tree, "dc", numbered=True, documents="all")
    try:
        root = result.getroot()
        made = {rec.get("document"): rec[0] for rec in (root if root is not None else ()) if len(rec)}
        records: dict[str, bytes] = {}
        for doc in document_ids(tree):
            if doc not in made:
                records[doc] = run_stylesheet(xslt, tree, "dc", document=doc)
            elif made[doc].tag == stream.PLACEHOLDER:
                records[doc] = _XML_DECLARATION + run.piece(made[doc].text)
            else:
                records[doc] = _XML_DECLARATION + etree.tostring(made[doc], encoding="UTF-8", pretty_print=True)
        return records
    finally:
        if run is not None:
            run.spool.close()


def export_all(tree: etree._ElementTree, outdir: str | Path, stem: str) -> list[Path]:
    """Write every target for one TEI document into `outdir`; return the files written.

    `STEM.html`, `STEM.fo`, `STEM.pdf` (where FOP is installed), `STEM.source.txt`,
    `STEM.corrected.txt`, `STEM.dc.xml` (the edition) and `STEM.dc/<doc>.xml` (one record per
    document), `STEM.ead.xml`, `STEM.csv`, `STEM.json`."""
    import shutil

    out = Path(outdir)
    written: list[Path] = []

    def put(name: str, data: bytes | Iterable[bytes]) -> None:
        path = out / name
        write_atomic(path, data)
        written.append(path)

    put(f"{stem}.html", export_pieces(tree, "html"))
    fo = export_tree(tree, "fo")
    put(f"{stem}.fo", fo)
    if shutil.which("fop"):
        put(f"{stem}.pdf", export_tree(tree, "pdf"))
    put(f"{stem}.source.txt", export_pieces(tree, "text", reading="source"))
    put(f"{stem}.corrected.txt", export_pieces(tree, "text", reading="corrected"))
    put(f"{stem}.dc.xml", export_tree(tree, "dc"))
    for doc, data in export_dc_records(tree).items():
        put(f"{stem}.dc/{doc}.xml", data)
    put(f"{stem}.ead.xml", export_pieces(tree, "ead"))
    put(f"{stem}.csv", export_pieces(tree, "csv"))
    put(f"{stem}.json", export_pieces(tree, "json"))
    return written
