"""Where a finding is: a readable XPath and a column for an element.

Validators name elements in their own ways (libxml2 node paths, SVRL locations); a `Locator`
turns them back into the element and gives what an editor can use: `/TEI/text/body/div[2]/p[3]`
and the column of its start tag. Everything is cached per document, so that a document with
thousands of findings (or written on one long line) costs linear time, not quadratic."""

from __future__ import annotations

import io
import re
from pathlib import Path

from lxml import etree

TEI_NS = "http://www.tei-c.org/ns/1.0"

#: One step of an SVRL location (`*[local-name()='p' and namespace-uri()='…'][3]`) or of a libxml2
#: node path (`*[3]`, `x:b[2]`, `p`); an attribute step ends the path.
_STEP = re.compile(
    r"/(?:\*\[local-name\(\)='(?P<lname>[^']*)' and namespace-uri\(\)='(?P<ns>[^']*)'\](?:\[(?P<li>\d+)\])?"
    r"|(?P<star>\*)(?:\[(?P<si>\d+)\])?"
    r"|(?P<attr>@[^/]+)"
    r"|(?P<qname>[^\s/\[\]*@]+)(?:\[(?P<qi>\d+)\])?)"
)


def local_name(el: etree._Element) -> str:
    """The element's name as an editor writes it: TEI elements without prefix, others `{ns}name`."""
    tag = el.tag if isinstance(el.tag, str) else "?"
    if tag.startswith("{" + TEI_NS + "}"):
        return tag[len(TEI_NS) + 2:]
    return tag


def strip_tei_ns(text: str) -> str:
    """Remove the TEI namespace (and write the XML one as `xml:`) in a validator's message."""
    text = text.replace("{" + TEI_NS + "}", "")
    return text.replace("{http://www.w3.org/XML/1998/namespace}", "xml:")


class Locator:
    """Finds elements from validators' paths and describes them (XPath, column) for one document."""

    def __init__(self, tree: etree._ElementTree, source: bytes | Path | None = None):
        self.tree = tree
        self.source = source
        self._children: dict[etree._Element, list[etree._Element]] = {}
        self._same: dict[tuple[etree._Element, str], list[etree._Element]] = {}
        self._position: dict[etree._Element, int] = {}
        self._lines: _LineIndex | None = None
        self._by_tag: set[str] = set()
        self._on_line: dict[etree._Element, int] = {}
        self._starts: dict[tuple[int, str], list[int]] = {}
        self._paths: dict[etree._Element, str] = {}

    # ------------------------------------------------------------ paths -> element

    def _kids(self, el: etree._Element) -> list[etree._Element]:
        kids = self._children.get(el)
        if kids is None:
            kids = self._children[el] = [c for c in el if isinstance(c.tag, str)]
        return kids

    def _same_tag(self, parent: etree._Element, tag: str) -> list[etree._Element]:
        """Children of `parent` called `tag`; remembers each one's position among them."""
        same = self._same.get((parent, tag))
        if same is None:
            same = self._same[(parent, tag)] = [k for k in self._kids(parent) if k.tag == tag]
            for i, k in enumerate(same, 1):
                self._position[k] = i
        return same

    def element(self, path: str, line: int = 0, name: str = "") -> etree._Element | None:
        """The element an SVRL location or a libxml2 node path names (the parent, for an
        attribute); falls back to the first element called `name` on `line`."""
        found = self._walk(path) if path else None
        if found is None and path:
            try:
                nodes = self.tree.xpath(path)
            except etree.XPathError:
                nodes = []
            if nodes:
                node = nodes[0]
                found = node if isinstance(node, etree._Element) else getattr(node, "getparent", lambda: None)()
        if found is None and line:
            for el in self.tree.getroot().iter(etree.Element):
                if el.sourceline == line and (not name or local_name(el) == name):
                    return el
        return found if isinstance(found, etree._Element) else None

    def _walk(self, path: str) -> etree._Element | None:
        pos, node = 0, None
        while pos < len(path):
            m = _STEP.match(path, pos)
            if not m:
                return None
            pos = m.end()
            if m.group("attr"):
                return node if pos == len(path) else None
            if node is None:  # the root step
                node = self.tree.getroot()
                continue
            kids = self._kids(node)
            if m.group("lname") is not None:
                tag = "{%s}%s" % (m.group("ns"), m.group("lname")) if m.group("ns") else m.group("lname")
                same = self._same_tag(node, tag)
                index = int(m.group("li") or 1)
            elif m.group("star"):
                same, index = kids, int(m.group("si") or 1)
            else:
                local = m.group("qname").split(":")[-1]
                same = [k for k in kids if etree.QName(k).localname == local]
                index = int(m.group("qi") or 1)
            if not 0 < index <= len(same):
                return None
            node = same[index - 1]
        return node

    # ------------------------------------------------------------ element -> description

    def xpath(self, el: etree._Element) -> str:
        """`/TEI/text/body/div[2]/p[3]`: local names, a position only where siblings share the name."""
        cached = self._paths.get(el)
        if cached is not None:
            return cached
        parent = el.getparent()
        name = local_name(el)
        if parent is None:
            path = "/" + name
        else:
            same = self._same_tag(parent, el.tag)
            step = f"{name}[{self._position[el]}]" if len(same) > 1 else name
            path = self.xpath(parent) + "/" + step
        self._paths[el] = path
        return path

    def column(self, el: etree._Element, at: int = 0) -> int:
        """1-based column of the element's start tag, 0 when the source bytes are unknown. `at`:
        its line, when known better than the tree knows it now."""
        line_no = at or el.sourceline or 0
        if not self.source or not line_no:
            return 0
        line = self._line(line_no)
        if line is None:
            return 0
        if at and at != (el.sourceline or 0):
            index = 0  # the tree lost its lines: the first start tag of its name on that line
        elif el.tag not in self._by_tag:  # position of each element among those of its name on its line
            self._by_tag.add(el.tag)
            count: dict[int, int] = {}
            for other in self.tree.getroot().iter(el.tag):
                n = other.sourceline or 0
                self._on_line[other] = count.get(n, 0)
                count[n] = self._on_line[other] + 1
            index = self._on_line.get(el, 0)
        else:
            index = self._on_line.get(el, 0)
        q = etree.QName(el)
        written = f"{el.prefix}:{q.localname}" if el.prefix else q.localname
        starts = self._starts.get((line_no, written))
        if starts is None:
            pattern = re.compile(rb"<" + re.escape(written.encode()) + rb"(?=[\s/>])")
            starts, done, chars = [], 0, 0
            for m in pattern.finditer(line):  # '<' is ASCII: every match starts on a character boundary
                chars += len(line[done:m.start()].decode("utf-8", errors="replace"))
                done = m.start()
                starts.append(chars + 1)
            self._starts[(line_no, written)] = starts
        return starts[index] if index < len(starts) else 0

    #: Every this many lines the offset of a line start is kept (a list of every line of a
    #: large file would cost several times its size in memory).
    LINE_STEP = 256

    def _line(self, line_no: int) -> bytes | None:
        """The bytes of source line `line_no` (1-based), None past the end. A file named by its
        path is read again line by line, never whole: a large file's bytes beside its tree
        would be its size again in memory."""
        if self._lines is None:
            self._lines = _LineIndex(self.source, self.LINE_STEP)
        return self._lines.line(line_no)

    def where(self, el: etree._Element | None, line: int = 0, at: int = 0) -> dict:
        """Keyword arguments of a Message for `el`: line, column, xpath. `at`: the element's line
        when it was read before a transformation lost it (past line 65535, see
        `schematron._element`)."""
        if el is None:
            return {"line": line or 0, "column": 0, "xpath": ""}
        return {"line": at or el.sourceline or line or 0, "column": self.column(el, at), "xpath": self.xpath(el)}


class _LineIndex:
    """Lines of a source (bytes, or a file read again when asked), found through the offsets of
    every `step`-th line start."""

    def __init__(self, source: bytes | Path, step: int):
        self.source, self.step = source, step
        self.marks = [0]
        with self._open() as fh:
            pos = 0
            for i, line in enumerate(fh, 1):
                pos += len(line)
                if i % step == 0:
                    self.marks.append(pos)

    def _open(self):
        return io.BytesIO(self.source) if isinstance(self.source, bytes) else open(self.source, "rb")

    def line(self, line_no: int) -> bytes | None:
        k, skip = divmod(line_no - 1, self.step)
        if line_no < 1 or k >= len(self.marks):
            return None
        with self._open() as fh:
            fh.seek(self.marks[k])
            for _ in range(skip):
                if not fh.readline():
                    return None
            line = fh.readline()
        return line.rstrip(b"\n") if line else None
