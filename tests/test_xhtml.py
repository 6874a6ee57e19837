"""Polyglot HTML (trotsky_tei/xhtml.py): the reading edition is written as XML, and an HTML parser
must read it as the same tree.

An HTML5 parser (html5lib, which follows the WHATWG parsing algorithm browsers use) and an XML
parser read the page; their trees must be the same, element by element, with the same
attributes and text. Generated pages check `end_tags` on every kind of element and content."""

from __future__ import annotations

import html5lib
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from trotsky_tei import export, stream, xhtml

XMLNS = "{http://www.w3.org/2000/xmlns/}"
SVG = "{http://www.w3.org/2000/svg}"


def _rows(element: etree._Element, depth: int = 0, out: list | None = None) -> list[tuple]:
    """Each element in document order: depth, name, attributes (without namespace declarations,
    which html5lib lists as attributes), text and tail. Comments are left out."""
    out = [] if out is None else out
    attrs = {k: v for k, v in element.attrib.items() if not k.startswith(XMLNS)}
    out.append((depth, element.tag, attrs, element.text or "", element.tail or ""))
    for child in element:
        if isinstance(child.tag, str):
            _rows(child, depth + 1, out)
    return out


def _as_html(data: bytes) -> list[tuple]:
    return _rows(html5lib.parse(data, treebuilder="lxml", namespaceHTMLElements=False).getroot())


def _as_xml(data: bytes) -> list[tuple]:
    return _rows(etree.fromstring(data, etree.XMLParser(remove_comments=True, resolve_entities=False)))


def _same_trees(page: bytes) -> None:
    """The page read as XML and as HTML gives the same tree. The script's text differs only by the
    markers of its CDATA section, which an HTML parser reads as text (JavaScript comments). The
    newline that ends the file is the body's for an HTML parser and no element's in XML."""
    assert page.endswith(b"</html>\n")
    page = page[:-1]
    as_xml, as_html = _as_xml(page), _as_html(page)
    assert len(as_xml) == len(as_html)
    for x, h in zip(as_xml, as_html):
        if x[1] == "script":
            h = (*h[:3], h[3].replace("<![CDATA[", "", 1).replace("]]>", "", 1), h[4])
        assert x == h


def test_the_reading_edition_is_read_alike_by_html_and_xml_parsers(corpus_tree) -> None:
    page = export.export_tree(corpus_tree, "html")
    assert page.startswith(b"<!DOCTYPE html>\n<html")
    assert b'<meta charset="UTF-8"/>' in page[:300]
    _same_trees(page)
    # the map and the timeline are SVG for an XML reader too
    svgs = etree.fromstring(page).findall(f".//{SVG}svg")
    assert [s.get("id") for s in svgs] == ["map-svg", "timeline-svg"]
    assert svgs[0].find(f"{SVG}rect") is not None and svgs[1].find(f"{SVG}line") is not None


def test_a_streamed_reading_edition_is_read_alike(corpus_tree, monkeypatch) -> None:
    """Written in pieces (see stream.py), each piece with its end tags."""
    monkeypatch.setattr(stream, "STREAM_FROM", 0)
    page = export.export_tree(corpus_tree, "html", reading="source")
    _same_trees(page)


def test_the_script_and_style_sheet_hold_nothing_the_rule_would_change() -> None:
    """The script and style sheet are written unescaped: no `/>` (read as the end of a tag) and no
    `]]>` (the end of the script's CDATA section) in them, nor a `</` that would end them early."""
    sheet = etree.parse(str(export.xslt_dir() / "html.xsl"))
    xsl = "{http://www.w3.org/1999/XSL/Transform}"
    for name in ("css", "js"):
        (template,) = [t for t in sheet.iter(f"{xsl}template") if t.get("name") == name]
        text = "".join(template.itertext())
        inner = text.replace("//<![CDATA[", "").replace("//]]>", "")
        assert "/>" not in inner and "]]>" not in inner and "</" not in inner, name


@pytest.mark.parametrize("written,expected", [
    (b"<div/>", b"<div></div>"),
    (b'<p>a<br/>b<td class="x" data-a="1/&gt;"/></p>', b'<p>a<br/>b<td class="x" data-a="1/&gt;"></td></p>'),
    (b'<meta charset="UTF-8"/><BR/><input type="radio"/>', b'<meta charset="UTF-8"/><BR/><input type="radio"/>'),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><line x1="0"/></svg>',
     b'<svg xmlns="http://www.w3.org/2000/svg"><line x1="0"></line></svg>'),
    (b"<script>if (a <b/> c) {}</script>", b"<script>if (a <b></b> c) {}</script>"),
    (b"<script>var x = y/>z;</script><i/>", b"<script>var x = y/>z;</script><i></i>"),
    (b"<p>no empty element</p>", b"<p>no empty element</p>"),
])
def test_end_tags(written: bytes, expected: bytes) -> None:
    assert xhtml.end_tags(written) == expected


#: Elements an HTML parser nests as written, whatever their parent here (no `p`, `a`, `li` or
#: table cells, which HTML closes or moves by its content model), and void elements.
_NAMES = st.sampled_from(["div", "span", "section", "em", "b", "i", "sup", "q", "time", "code",
                          "br", "input", "img", "hr", "wbr"])
_VOID = {"br", "input", "img", "hr", "wbr"}
_TEXT = st.text(alphabet="ab <>&/\"'=;", max_size=8)


@st.composite
def _trees(draw, depth: int = 0) -> etree._Element:
    name = draw(_NAMES)
    keys = draw(st.lists(st.sampled_from(["class", "title", "id"]), max_size=2, unique=True))
    element = etree.Element(name, {k: draw(_TEXT) for k in keys})
    if name in _VOID:
        return element
    element.text = draw(st.one_of(st.none(), _TEXT))
    if depth < 3:
        for child in draw(st.lists(_trees(depth + 1), max_size=3)):
            child.tail = draw(st.one_of(st.none(), _TEXT))
            element.append(child)
    return element


@settings(max_examples=300, deadline=None)
@given(_trees())
@example(etree.fromstring(b'<div><section/><span title="/&gt;"/>x<br/><i><b/></i></div>'))
def test_end_tags_make_xml_that_html_reads_alike(tree: etree._Element) -> None:
    """Any tree written by libxml2's XML writer, with `end_tags`, is the same tree for an HTML
    parser (standing in the body of a page, as the reading edition's content does)."""
    page = (b'<!DOCTYPE html>\n<html><head><meta charset="UTF-8"/><title>t</title></head><body>'
            + xhtml.end_tags(etree.tostring(tree, encoding="UTF-8", xml_declaration=False))
            + b"</body></html>")
    assert _as_html(page) == _as_xml(page)
