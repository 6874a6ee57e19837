"""Bounded-memory output of long exports: the extension element `tts:stream`.

libxslt builds the whole result tree before anything is written, at about eleven bytes of memory
per byte of HTML: a reading edition of a 60 MB corpus would hold gigabytes. A stylesheet wraps
each large, repeated piece of its output (a document, an index entry, a row) in

    <tts:stream xmlns:tts="urn:x-trotsky-tei:stream">…<xsl:fallback>…</xsl:fallback></tts:stream>

and `Stream.execute` runs the piece into a small tree of its own, serializes it with the
stylesheet's output method at once, appends the bytes to a spool (memory, then a temporary file
past a few megabytes), frees the tree, and leaves in the result a placeholder naming the piece.
`Run.pieces` then serializes the result, now only the frame of the output, and puts each
piece's bytes in place of its placeholder: byte for byte the output the stylesheet makes without
streaming (the tests compare both). Another XSLT processor, which knows no `tts:stream`, runs the
`xsl:fallback` instead (the same instructions), so the stylesheets stay standard XSLT 1.0.

A piece must be made where its output goes straight to the result: not inside a variable, an
attribute or a sort key (its placeholder would be read as text there).
"""

from __future__ import annotations

import re
import tempfile
import threading
import uuid
from collections.abc import Iterator
from typing import Any

from lxml import etree

#: Namespace of the extension element.
NS = "urn:x-trotsky-tei:stream"
#: Bytes kept in memory before the spool moves to a temporary file.
SPOOL_MEMORY = 8 << 20
#: Size of the blocks the spool is read back in.
_BLOCK = 1 << 20
_HOLDER = "tt-stream-holder"
_PLACEHOLDER = "tt-stream"


class Run:
    """The pieces of one transformation: their bytes, in the order they were made, in a spool."""

    def __init__(self, method: str):
        self.method = method
        self.token = "tts" + uuid.uuid4().hex
        self.spool: Any = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY)
        self.spans: list[tuple[int, int]] = []
        self.depth = 0

    def add(self, holder: etree._Element) -> str:
        """Serialize the children of `holder` and spool them; the placeholder text of the piece."""
        start = self.spool.tell()
        self.spool.write(_serialize(holder, self.method))
        self.spans.append((start, self.spool.tell()))
        return f"{self.token}-{len(self.spans) - 1}-"

    def output(self, result: etree._XSLTResultTree) -> Iterator[bytes]:
        """The output: the serialized result, each placeholder replaced by its piece's bytes
        (the spool is closed when the last piece has been read)."""
        try:
            yield from self._output(bytes(result))
        finally:
            self.spool.close()

    def _output(self, frame: bytes) -> Iterator[bytes]:
        if not self.spans:
            yield frame
            return
        token = re.escape(self.token.encode())
        marks = (rb"<%s[^>]*>%s-(\d+)-</%s>" % (_PLACEHOLDER.encode(), token, _PLACEHOLDER.encode())
                 if self.method != "text" else rb"%s-(\d+)-" % token)
        at = 0
        for mark in re.finditer(marks, frame):
            yield frame[at:mark.start()]
            yield from self._read(*self.spans[int(mark.group(1))])
            at = mark.end()
        yield frame[at:]

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
    data = etree.tostring(holder, method=method, encoding="UTF-8")
    if method == "xml" and data.startswith(b"<?xml"):
        data = data[data.index(b"?>") + 2:].lstrip(b"\n")
    start = data.index(b">") + 1
    if data.endswith(b"/>"):  # an empty piece
        return b""
    return data[start:data.rindex(b"</")]


class _Current(threading.local):
    """The run in progress on this thread (None outside `run`)."""

    def __init__(self) -> None:
        self.run: Run | None = None


_CURRENT = _Current()


class Stream(etree.XSLTExtension):
    """`tts:stream`: its content becomes one spooled piece (see the module's docstring)."""

    def execute(self, context, self_node, input_node, output_parent):  # noqa: D102 - lxml API
        run = _CURRENT.run
        if run is None or run.depth:
            # a transformation not started by `running`, or a piece inside a piece (a document
            # in a document): the content goes where it is made
            self.process_children(context, output_parent=output_parent)
            return
        nsmap = dict(self_node.nsmap) if run.method == "xml" else {}
        nsmap.pop("tts", None)
        tag = f"{{{nsmap[None]}}}{_HOLDER}" if None in nsmap else _HOLDER
        holder = etree.Element(tag, nsmap={k: v for k, v in nsmap.items() if v not in (NS,)} or None)
        run.depth += 1
        try:
            self.process_children(context, output_parent=holder)
        finally:
            run.depth -= 1
        placeholder = etree.Element(_PLACEHOLDER)
        placeholder.text = run.add(holder)
        output_parent.append(placeholder)


EXTENSIONS = {(NS, "stream"): Stream()}


def output_method(stylesheet: etree._ElementTree) -> str:
    """The method of the stylesheet's `xsl:output` ("xml" when it has none)."""
    out = stylesheet.getroot().find("{http://www.w3.org/1999/XSL/Transform}output")
    return (out.get("method") if out is not None else None) or "xml"


class running:
    """Context manager: the pieces made by transformations inside it go to `Run(method)`."""

    def __init__(self, method: str):
        self.run = Run(method)

    def __enter__(self) -> Run:
        self.previous, _CURRENT.run = _CURRENT.run, self.run
        return self.run

    def __exit__(self, *exc: object) -> None:
        _CURRENT.run = self.previous
