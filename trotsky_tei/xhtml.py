"""Polyglot HTML: a page serialised as XML that an HTML parser reads as the same tree.

A stylesheet whose `xsl:output` has method `xml` and media type `text/html` (the reading
edition) is written by libxml2's XML writer, which costs less than its HTML writer (that one
compares every attribute with HTML's boolean attributes and escapes every link), and the page is
then well-formed XML as well as HTML. One rule of XML syntax is not HTML's: an empty element
written `<div/>`, which an HTML parser reads as the start of a div holding everything after it.
`end_tags` writes those with an end tag, as the XHTML output method of XSLT 2.0 does; HTML's
void elements (`<br/>`, `<meta/>`) keep the short form, which both parsers read alike.
"""

from __future__ import annotations

import re

#: The media type that marks XML output as HTML.
MEDIA_TYPE = "text/html"

#: HTML's void elements: never with content, written `<br/>`.
VOID = frozenset(b"area base br col embed hr img input link meta source track wbr".split())

_NAME = re.compile(rb"<([A-Za-z][\w.:-]*)")


def end_tags(data: bytes) -> bytes:
    """`data`, XML-serialised, with every empty element but HTML's void ones written with an end
    tag (`<td/>` → `<td></td>`).

    In XML written by libxml2 a `/>` can only end a tag: `>` in text and attribute values is
    written `&gt;`. The tag starts at the last `<` before it, and holds no `>`. Text written
    unescaped (a script) is left alone unless it looks like such a tag; the reading edition's
    tests check that its script and style sheet hold no `/>`."""
    end = data.find(b"/>")
    if end < 0:
        return data
    parts = []
    at = 0              # bytes before `at` are in `parts`
    after = 0           # end of the last `/>` seen: no tag starts before it
    while end >= 0:
        start = data.rfind(b"<", after, end)
        m = _NAME.match(data, start) if start >= 0 else None
        if m is not None and m.group(1).lower() not in VOID and data.find(b">", start, end) < 0:
            parts.append(data[at:end])
            parts.append(b"></" + m.group(1) + b">")
            at = end + 2
        after = end + 2
        end = data.find(b"/>", after)
    if not parts:
        return data
    parts.append(data[at:])
    return b"".join(parts)
