"""Document order numbered before a stylesheet runs (trotsky_tei/docorder.py)."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from trotsky_tei import docorder, export, safexml, xhtml

EDITION = Path(__file__).resolve().parents[1] / "corpus" / "tei" / "1918-czechoslovak-mutiny.xml"


def test_the_document_behind_an_lxml_tree_is_found_and_numbered() -> None:
    tree = safexml.parse_file(EDITION)
    assert docorder.number_document_order(tree) is True
    assert docorder.number_document_order(tree.getroot()[0]) is True    # an element of the tree


def test_numbering_changes_no_result() -> None:
    """XPath and every export give the same results with the numbers as without them."""
    plain = safexml.parse_file(EDITION)
    numbered = safexml.parse_file(EDITION)
    docorder.number_document_order(numbered)
    query = "(//*[@ref] | //*[local-name()='date'] | //*[local-name()='div'])/@xml:id"
    assert [str(x) for x in numbered.xpath(query)] == [str(x) for x in plain.xpath(query)]
    xslt = export.stylesheet("html.xsl")
    assert xhtml.end_tags(bytes(xslt(numbered))) == export.export_tree(plain, "html")


def test_a_tree_changed_after_numbering_still_sorts_right() -> None:
    """Elements added later carry no number; libxml2 orders them by walking, as before."""
    tree = etree.fromstring("<r><a/><b/></r>").getroottree()
    docorder.number_document_order(tree)
    first = etree.Element("first")
    tree.getroot().insert(0, first)
    assert [e.tag for e in tree.xpath("//b | //a | //first")] == ["first", "a", "b"]


def test_a_tree_of_another_kind_is_left_alone() -> None:
    """What is not an element tree of the expected layout is not touched."""
    assert docorder.number_document_order(etree.ElementTree()) is False
