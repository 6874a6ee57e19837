"""Where a finding is: a readable XPath and a column for an element.

Validators name elements in their own ways (libxml2 node paths, SVRL locations); these helpers
turn an element back into what an editor can use: `/TEI/text/body/div[2]/p[3]` and the column of
its start tag."""

from __future__ import annotations

import re

from lxml import etree

TEI_NS = "http://www.tei-c.org/ns/1.0"
_CLARK = re.compile(r"\{([^}]*)\}")


def local_name(el: etree._Element) -> str:
    """The element's name as an editor writes it: TEI elements without prefix, others `{ns}name`."""
    tag = el.tag if isinstance(el.tag, str) else "?"
    if tag.startswith("{" + TEI_NS + "}"):
        return tag[len(TEI_NS) + 2:]
    return tag


def strip_tei_ns(text: str) -> str:
    """Remove the TEI namespace (and the XML one) from names in a validator's message."""
    text = text.replace("{" + TEI_NS + "}", "")
    return text.replace("{http://www.w3.org/XML/1998/namespace}", "xml:")


def xpath_of(el: etree._Element) -> str:
    """`/TEI/text/body/div[2]/p[3]`: local names, a position only where siblings share the name."""
    steps: list[str] = []
    node: etree._Element | None = el
    while node is not None and isinstance(node.tag, str):
        parent = node.getparent()
        name = local_name(node)
        if parent is None:
            steps.append(name)
            break
        same = [s for s in parent.iterchildren(node.tag)]
        steps.append(f"{name}[{same.index(node) + 1}]" if len(same) > 1 else name)
        node = parent
    return "/" + "/".join(reversed(steps))


def element_at(tree: etree._ElementTree, path: str, line: int = 0, name: str = "") -> etree._Element | None:
    """The element a validator's node path names; falls back to the first element with that
    name on that line when the path cannot be evaluated (foreign prefixes, attributes)."""
    if path:
        try:
            found = tree.xpath(path)
        except etree.XPathError:
            found = []
        if found:
            node = found[0]
            if isinstance(node, etree._Element):
                return node
            parent = getattr(node, "getparent", lambda: None)()
            if isinstance(parent, etree._Element):
                return parent
    if line:
        for el in tree.getroot().iter(etree.Element):
            if el.sourceline == line and (not name or local_name(el) == name):
                return el
    return None


class Columns:
    """Columns of start tags, computed from the source bytes when a message needs one."""

    def __init__(self, tree: etree._ElementTree, source: bytes | None):
        self.tree = tree
        self.source = source
        self._lines: list[bytes] | None = None
        self._by_tag: dict[str, list[etree._Element]] = {}

    def __call__(self, el: etree._Element) -> int:
        """1-based column of the element's start tag, 0 when the source is unknown."""
        line_no = el.sourceline or 0
        if not self.source or not line_no:
            return 0
        if self._lines is None:
            self._lines = self.source.split(b"\n")
        if line_no > len(self._lines):
            return 0
        same_tag = self._by_tag.get(el.tag)
        if same_tag is None:
            same_tag = self._by_tag[el.tag] = list(self.tree.getroot().iter(el.tag))
        on_line = [o for o in same_tag if o.sourceline == line_no]
        index = next((i for i, o in enumerate(on_line) if o is el), 0)
        q = etree.QName(el)
        written = f"{el.prefix}:{q.localname}" if el.prefix else q.localname
        pattern = re.compile(rb"<" + re.escape(written.encode()) + rb"(?=[\s/>])")
        line = self._lines[line_no - 1]
        matches = list(pattern.finditer(line))
        if index < len(matches):
            return len(line[: matches[index].start()].decode("utf-8", errors="replace")) + 1
        return 0
