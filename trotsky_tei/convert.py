"""The pipeline in one call: read -> structure -> passes -> weave -> header/standOff -> TEI."""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from lxml import etree

from . import TEI_NS, XML_NS
from .header import build_header, resp_cited
from .messages import Reporter
from .metadata import load_for
from .model import Document
from .passes import run_passes
from .read import read_source
from .structure import read_structure
from .weave import indent, sub, tei, weave_back, weave_divs, weave_frame, weave_text

LISTS = {"person": "listPerson", "place": "listPlace", "org": "listOrg"}


def analyse(text: str, name: str = "-", metadata: dict[str, Any] | None = None,
            passes: Iterable[str] | None = None) -> Document:
    """Structure and passes: a Document whose blocks carry the proposed spans."""
    meta = metadata if metadata is not None else load_for(None)
    doc = read_structure(text, name, meta)
    return run_passes(doc, passes)


def standoff(doc: Document) -> etree._Element | None:
    """The authority records the passes linked, grouped by kind and sorted by id."""
    if not doc.records:
        return None
    el = tei("standOff")
    groups: dict[str, list[etree._Element]] = {}
    for rid in sorted(doc.records):
        rec = doc.records[rid]
        kind = etree.QName(rec).localname
        groups.setdefault(LISTS.get(kind, "listObject"), []).append(rec)
    for list_name in ("listPerson", "listPlace", "listOrg"):
        if list_name in groups:
            lst = sub(el, list_name)
            for rec in groups[list_name]:
                lst.append(copy.deepcopy(rec))      # the passes' records are shared: a copy each
    return el


def build_tei(doc: Document) -> etree._ElementTree:
    """Weave a Document (after the passes) into a TEI document."""
    return _assemble(doc, weave_text(doc))


def _assemble(doc: Document, text_el: etree._Element, text_resp: set[str] | None = None) -> etree._ElementTree:
    root = etree.Element("{%s}TEI" % TEI_NS, nsmap={None: TEI_NS})
    root.set("{%s}lang" % XML_NS, doc.metadata.get("language", "en"))
    root.append(build_header(doc, text_el, text_resp))
    so = standoff(doc)
    if so is not None:
        root.append(so)
    root.append(text_el)
    indent(root)
    return etree.ElementTree(root)


#: Where the documents go in the serialised frame of a streamed TEI file.
_BODY_MARK = "trotsky-tei-body"
#: Depth of a document's `div` in the TEI (TEI > text > body > div), for its indentation.
_DIV_LEVEL = 3
#: The declaration an element of the text makes when serialised alone.
_OWN_NS = f' xmlns="{TEI_NS}"'.encode()
_DIV = f"{{{TEI_NS}}}div"
#: Bytes of the documents' TEI kept in memory before `tei_chunks` moves them to a temporary file.
_SPOOL_MEMORY = 1 << 20


def tei_chunks(doc: Document) -> Iterator[bytes]:
    """The bytes of `serialize(build_tei(doc))`, made one document at a time: each woven `div`
    is serialised to a temporary file and dropped, so a long source is never one tree in
    memory. The header, which declares what the documents cite, is made after them."""
    if not doc.divs:
        yield serialize(build_tei(doc))
        return
    text_el = weave_frame(doc)
    holder = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})   # the namespace context of the file
    holder.append(text_el)
    body = text_el.find(f"{{{TEI_NS}}}body")
    cited: set[str] = set()
    # in memory up to a size that holds a short text's TEI: a file for each of many short
    # documents cost more than weaving one
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_MEMORY) as spool:
        last = len(doc.divs) - 1
        parts = _DivParts(spool, cited)
        for i, div_el in enumerate(weave_divs(doc, body, parts.grow)):
            tail = None if i == last else "\n" + "  " * _DIV_LEVEL
            if not parts.finish(div_el, tail):
                cited |= resp_cited(div_el)
                indent(div_el, _DIV_LEVEL)
                div_el.tail = tail
                spool.write(_alone(div_el))
            body.remove(div_el)
        weave_back(doc, text_el)
        body.append(etree.ProcessingInstruction(_BODY_MARK))
        frame = serialize(_assemble(doc, text_el, cited))
        head, tail = frame.split(f"<?{_BODY_MARK} ?>".encode(), 1)
        yield head
        spool.seek(0)
        while block := spool.read(1 << 20):
            yield block
        yield tail


def _alone(el: etree._Element) -> bytes:
    """An element of the text serialised alone, tail included, without the declaration of the
    TEI namespace its parents declare in the whole file."""
    return etree.tostring(el, encoding="UTF-8").replace(_OWN_NS, b"", 1)


class _DivParts:
    """Writes a long document's finished children while it is woven (`weave_divs`'s
    `on_block`), so that one document as long as a book is not one tree either; and, in the
    same way, the finished content of a long paragraph (a text without line breaks is one). The
    bytes are those of the whole div indented and serialised: its start tag, each child
    indented one level deeper, its end tag."""

    #: Children a div or paragraph holds before the finished ones are written out.
    EVERY = 64

    def __init__(self, spool: BinaryIO, cited: set[str]):
        self.spool, self.cited = spool, cited
        self.begun = False
        #: the div's child whose start tag and first children are written (a long paragraph)
        self.open: etree._Element | None = None

    def grow(self, el: etree._Element) -> None:
        """After a block (`el` is the div) or an element of a paragraph (`el` is the
        paragraph, the div's last child): write out the children but the last (an opener, list
        or closer the next block may still grow; the element the next text goes after)."""
        if len(el) <= self.EVERY:
            return
        if el.tag != _DIV:          # a paragraph, the last child of its div
            div_el = el.getparent()
            assert div_el is not None
            self._write(div_el, len(div_el) - 1, "\n" + "  " * (_DIV_LEVEL + 1))
            if self.open is None:
                self._start(el, el.text or "")   # "": <p></p>, not <p/>
                self.open = el
            for child in el[:len(el) - 1]:
                self.cited |= resp_cited(child)
                self.spool.write(_alone(child))
                el.remove(child)
        else:
            self._write(el, len(el) - 1, "\n" + "  " * (_DIV_LEVEL + 1))

    def finish(self, div_el: etree._Element, tail: str | None) -> bool:
        """Write the rest of a div begun in parts, then its end tag and `tail`; False (nothing
        written) when it was not begun."""
        if not self.begun:
            return False
        self._write(div_el, len(div_el) - 1, "\n" + "  " * (_DIV_LEVEL + 1))
        self._write(div_el, 1, "\n" + "  " * _DIV_LEVEL)
        self.spool.write(f"</{etree.QName(div_el).localname}>{tail or ''}".encode())
        self.begun = False
        return True

    def _write(self, div_el: etree._Element, n: int, tail: str) -> None:
        if not self.begun:
            self._start(div_el, "\n" + "  " * (_DIV_LEVEL + 1))
            self.begun = True
        for child in div_el[:n]:
            self.cited |= resp_cited(child)
            indent(child, _DIV_LEVEL + 1)
            child.tail = tail
            if child is self.open:   # its start tag, text and first children are written
                for inner in child:
                    self.spool.write(_alone(inner))
                self.spool.write(f"</{etree.QName(child).localname}>{tail}".encode())
                self.open = None
            else:
                self.spool.write(_alone(child))
            div_el.remove(child)

    def _start(self, el: etree._Element, text: str) -> None:
        """Write the start tag of `el` (and `text` after it), as the whole element writes it."""
        shell = etree.Element(el.tag, dict(el.attrib), nsmap=el.nsmap)
        shell.text = text
        self.cited |= resp_cited(shell)
        data = _alone(shell)
        self.spool.write(data[:data.rindex(b"</")])


def write_tei(doc: Document, out: BinaryIO) -> int:
    """Write the TEI of a Document to a binary file, one document at a time; the byte count."""
    n = 0
    for chunk in tei_chunks(doc):
        out.write(chunk)
        n += len(chunk)
    return n


def convert_text(text: str, name: str = "-", metadata: dict[str, Any] | None = None) -> etree._ElementTree:
    return build_tei(analyse(text, name, metadata))


def convert_document(text: str, name: str = "-", metadata: dict[str, Any] | None = None) -> tuple[etree._ElementTree, Document]:
    """The TEI and the Document (for its messages)."""
    doc = analyse(text, name, metadata)
    return build_tei(doc), doc


def convert_file(path: str | Path, metadata_path: str | Path | None = None, encoding: str | None = None,
                 corpus_dir: str | Path | None = None) -> etree._ElementTree:
    tree, _ = convert_path(path, metadata_path, encoding, corpus_dir)
    return tree


def convert_path(path: str | Path, metadata_path: str | Path | None = None, encoding: str | None = None,
                 corpus_dir: str | Path | None = None) -> tuple[etree._ElementTree, Document]:
    """Read, decode and convert a source file (or "-" for stdin). The encoding is the one
    given, else the `source_encoding` key of the source's metadata, else UTF-8 (or its BOM)."""
    doc = analyse_path(path, metadata_path, encoding, corpus_dir)
    return build_tei(doc), doc


def analyse_path(path: str | Path, metadata_path: str | Path | None = None, encoding: str | None = None,
                 corpus_dir: str | Path | None = None) -> Document:
    """Read, decode and analyse a source file (or "-"): the Document, ready to weave or stream."""
    meta = load_for(path, metadata_path, corpus_dir)
    rep = Reporter()
    text, name = read_source(path, encoding or meta.get("source_encoding") or None, rep)
    doc = analyse(text, name, meta)
    doc.reporter.messages[:0] = rep.messages
    return doc


def serialize(tree: etree._ElementTree) -> bytes:
    """Deterministic bytes: UTF-8, XML declaration, trailing newline."""
    return etree.tostring(tree, encoding="UTF-8", xml_declaration=True) + b"\n"
