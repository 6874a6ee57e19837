"""Bounded-memory output of long exports: the extension element `tts:stream`.

libxslt builds the whole result tree before anything is written, at about eleven bytes of memory
per byte of HTML: a reading edition of a 60 MB corpus would hold gigabytes. A stylesheet wraps
each large, repeated piece of its output (a document, an index entry, a row) in

    <tts:stream xmlns:tts="urn:x-trotsky-tei:stream">…<xsl:fallback>…</xsl:fallback></tts:stream>

and `Stream.execute` runs the piece into a small tree of its own, serializes it with the
stylesheet's output method at once, appends the bytes to a spool (memory, then a temporary file
past a few megabytes), frees the tree, and leaves in the result a placeholder naming the piece.
`Run.output` then serializes the result, now only the frame of the output, and puts each
piece's bytes in place of its placeholder: byte for byte the output the stylesheet makes without
streaming (the tests compare both). Another XSLT processor, which knows no `tts:stream`, runs the
`xsl:fallback` instead (the same instructions), so the stylesheets stay standard XSLT 1.0.

A piece may stand inside another: a document as long as a book is a piece of its own inside the
body's, so that it is not held whole either. The outer piece then holds the inner one's
placeholder, and its bytes are written around the inner piece's when the output is written.

A piece must be made where its output goes to the result or to a piece: not inside a variable,
an attribute or a sort key (its placeholder would be read as text there).
"""

from __future__ import annotations

import re
import tempfile
import threading
import uuid
from collections.abc import Iterator
from typing import Any

from lxml import etree

from . import xhtml

#: Namespace of the extension element.
NS = "urn:x-trotsky-tei:stream"
#: Inputs with fewer elements are not streamed: their output is a few megabytes at most, and
#: building it whole costs less than cutting it into pieces (a tenth more for a short edition).
STREAM_FROM = 10_000
#: Bytes kept in memory before the spool moves to a temporary file.
SPOOL_MEMORY = 8 << 20
#: Size of the blocks the spool is read back in.
_BLOCK = 1 << 20
_HOLDER = "tt-stream-holder"
#: The element that stands for a piece in the result (its text names the piece).
PLACEHOLDER = "tt-stream"


class _Piece:
    """A piece being made: the tree its output goes into, and its parts so far."""

    __slots__ = ("holder", "top", "cuts", "parts", "nested")

    def __init__(self, holder: etree._Element, top: etree._Element):
        self.holder = holder
        #: the outermost of the elements around the holder (indented XML: the holder stands at
        #: the depth of the piece's place in the result)
        self.top = top
        self.cuts = 0
        #: spans of the spool, and (as numbers) the pieces made inside this one, in order
        self.parts: list[tuple[int, int] | int] = []
        #: whether a piece was made inside this one since its last cut
        self.nested = False


class Run:
    """The pieces of one transformation: their bytes, in the order they were made, in a spool.

    A piece may be made inside another (a long document's content inside the body): its
    placeholder then stands in the outer piece's bytes, and the outer piece is kept as the spans
    of the spool between the pieces made inside it, and their numbers."""

    def __init__(self, method: str, indent: bool = False, standalone: bool = False):
        self.method = method
        self.indent = indent and method == "xml"
        #: each element of a piece written as the root of a document of its own (pretty-printed
        #: from depth 0), for pieces taken out one by one with `piece`
        self.standalone = standalone
        self.token = "tts" + uuid.uuid4().hex
        token = re.escape(self.token.encode())
        self._marks = re.compile(
            rb"<%s[^>]*>%s-(\d+)-</%s>" % (PLACEHOLDER.encode(), token, PLACEHOLDER.encode())
            if method != "text" else rb"%s-(\d+)-" % token)
        self.spool: Any = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY)
        #: the parts of each piece ended, by number
        self.pieces: list[list[tuple[int, int] | int]] = []
        #: the pieces being made, the innermost last
        self.open: list[_Piece] = []
        #: how many times pieces were written out
        self.cuts = 0

    @property
    def holder(self) -> etree._Element | None:
        """The tree the innermost piece being made goes into, or None between pieces."""
        return self.open[-1].holder if self.open else None

    def begin(self, tag: str, nsmap: dict, depth: int) -> etree._Element:
        """The tree of a new piece, whose place in the result is `depth` elements deep."""
        holder = top = etree.Element(tag, nsmap=nsmap or None)
        if self.indent:
            for _ in range(depth):
                outer = etree.Element("tt-stream-level")
                outer.append(top)
                top = outer
        self.open.append(_Piece(holder, top))
        return holder

    def cut(self) -> None:
        """Spool what the innermost piece being made holds so far, and empty its tree."""
        piece = self.open[-1]
        holder = piece.holder
        if self.standalone:
            data = b"".join(etree.tostring(child, encoding="UTF-8", pretty_print=True) for child in holder)
        elif self.indent:
            data = _indented(piece.top, holder, first=not piece.cuts)
        else:
            data = _serialize(holder, self.method)
        at = 0
        if piece.nested:  # the placeholders of the pieces made inside it stand in its bytes
            for mark in self._marks.finditer(data):
                self._write(piece, data[at:mark.start()])
                piece.parts.append(int(mark.group(1)))
                at = mark.end()
            piece.nested = False
        self._write(piece, data[at:] if at else data)
        piece.cuts += 1
        self.cuts += 1
        holder.clear()

    def _write(self, piece: _Piece, data: bytes) -> None:
        if data:
            start = self.spool.tell()
            self.spool.write(data)
            piece.parts.append((start, start + len(data)))

    def end(self) -> str:
        """End the innermost piece being made; the placeholder text of the piece."""
        self.cut()
        self.pieces.append(self.open.pop().parts)
        if self.open:
            self.open[-1].nested = True
        return f"{self.token}-{len(self.pieces) - 1}-"

    def abandon(self) -> None:
        """Forget the innermost piece being made (its transformation failed)."""
        self.open.pop()

    def piece(self, placeholder: str) -> bytes:
        """The bytes of the piece a placeholder's text names."""
        token, number, _ = placeholder.rsplit("-", 2)
        if token != self.token:
            raise ValueError(f"not a placeholder of this run: {placeholder!r}")
        return b"".join(self._piece(int(number)))

    def output(self, result: etree._XSLTResultTree) -> Iterator[bytes]:
        """The output: the serialized result, each placeholder replaced by its piece's bytes
        (the spool is closed when the last piece has been read)."""
        try:
            frame = bytes(result)
            yield from self._output(xhtml.end_tags(frame) if self.method == "xhtml" else frame)
        finally:
            self.spool.close()

    def _output(self, frame: bytes) -> Iterator[bytes]:
        if not self.pieces:
            yield frame
            return
        at = 0
        for mark in self._marks.finditer(frame):
            yield frame[at:mark.start()]
            yield from self._piece(int(mark.group(1)))
            at = mark.end()
        yield frame[at:]

    def _piece(self, number: int) -> Iterator[bytes]:
        for part in self.pieces[number]:
            if isinstance(part, int):
                yield from self._piece(part)
            else:
                yield from self._read(*part)

    def _read(self, start: int, end: int) -> Iterator[bytes]:
        self.spool.seek(start)
        while start < end:
            block = self.spool.read(min(_BLOCK, end - start))
            start += len(block)
            yield block
        self.spool.seek(0, 2)


def _serialize(holder: etree._Element, method: str) -> bytes:
    """The children of `holder` (text included) as the stylesheet's output method writes them."""
    if method == "text":
        return etree.tostring(holder, method="text", encoding="UTF-8")
    if method == "xhtml":
        return xhtml.end_tags(_serialize(holder, "xml"))
    data = etree.tostring(holder, method=method, encoding="UTF-8",
                          **({"xml_declaration": False} if method == "xml" else {}))
    if data.endswith(b"/>"):  # an empty piece: <holder/>
        return b""
    return data[data.index(b">") + 1:data.rindex(b"</")]


def _indented(top: etree._Element, holder: etree._Element, first: bool) -> bytes:
    """The children of `holder` as indented XML writes them where the holder stands under
    `top`: each on a line of its own, indented to its depth. The newline and indentation before
    the first one belong to the placeholder's line in the result, so they are left out; those
    before a piece's later parts (after a cut) are kept."""
    if not len(holder):
        return _serialize(holder, "xml")
    depth = sum(1 for _ in holder.iterancestors())
    data = etree.tostring(top, encoding="UTF-8", xml_declaration=False, pretty_print=True)
    start = data.index(b"<" + _HOLDER.encode())
    start = data.index(b">", start) + 1
    end = data.rindex(b"</", 0, data.rindex(b"</" + _HOLDER.encode() + b">") + 2)
    inner = data[start:end]
    if holder.text is None and all(child.tail is None for child in holder):  # element content: indented
        inner = inner.removesuffix(b"\n" + b"  " * min(depth, 30))
        if first:
            inner = inner.removeprefix(b"\n" + b"  " * min(depth + 1, 30))
    return inner


class _Current(threading.local):
    """The run in progress on this thread (None outside `run`)."""

    def __init__(self) -> None:
        self.run: Run | None = None


_CURRENT = _Current()


class Stream(etree.XSLTExtension):
    """`tts:stream`: its content becomes one spooled piece (see the module's docstring)."""

    def execute(self, context, self_node, input_node, output_parent):  # noqa: D102 - lxml API
        run = _CURRENT.run
        if run is None:
            # a transformation not started by `running`: the content goes where it is made
            self.process_children(context, output_parent=output_parent)
            return
        # XML: the holder declares the namespaces in scope where the piece goes, so that its
        # elements do not declare them again
        nsmap = dict(output_parent.nsmap) if run.method in ("xml", "xhtml") and output_parent.tag else {}
        tag = f"{{{nsmap[None]}}}{_HOLDER}" if None in nsmap else _HOLDER
        depth = 0  # of the element the piece goes into: how many elements it stands in
        if run.indent and output_parent.tag:
            parent = output_parent.getparent()
            while parent is not None:
                depth, parent = depth + 1, parent.getparent()
        holder = run.begin(tag, nsmap, depth)
        try:
            self.process_children(context, output_parent=holder)
        except BaseException:
            run.abandon()
            raise
        placeholder = etree.Element(PLACEHOLDER)
        placeholder.text = run.end()
        output_parent.append(placeholder)


class Cut(etree.XSLTExtension):
    """`tts:cut`: inside a `tts:stream`, writes out what its piece holds so far, so that a long
    piece (every row of a table) is not held whole either. It cuts only where the output goes to
    the piece itself: there, emptying the piece's tree cannot pull an element from under the
    transformation (nor the text node libxslt appends to, which it forgets once the piece's tree
    is empty). Inside an element the piece is making, or outside a streamed run, it does
    nothing; other processors run its empty `xsl:fallback`."""

    def execute(self, context, self_node, input_node, output_parent):  # noqa: D102 - lxml API
        run = _CURRENT.run
        if run is not None and run.holder is not None and output_parent.tag == run.holder.tag:
            run.cut()


EXTENSIONS = {(NS, "stream"): Stream(), (NS, "cut"): Cut()}


def output_method(stylesheet: etree._ElementTree) -> tuple[str, bool]:
    """The method of the stylesheet's `xsl:output` ("xml" when it has none; "xhtml" for XML
    whose media type is HTML, see `xhtml.py`), and whether it indents."""
    out = stylesheet.getroot().find("{http://www.w3.org/1999/XSL/Transform}output")
    if out is None:
        return "xml", False
    method = out.get("method") or "xml"
    if method == "xml" and out.get("media-type") == xhtml.MEDIA_TYPE:
        method = "xhtml"
    return method, out.get("indent") == "yes"


class running:
    """Context manager: the pieces made by transformations inside it go to a `Run`."""

    def __init__(self, method: str, indent: bool = False, standalone: bool = False):
        self.run = Run(method, indent, standalone)

    def __enter__(self) -> Run:
        self.previous, _CURRENT.run = _CURRENT.run, self.run
        return self.run

    def __exit__(self, *exc: object) -> None:
        _CURRENT.run = self.previous
