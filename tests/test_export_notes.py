"""The notes standing in the text: their numbers (HTML markers and lists, FO footnotes) and their
place in the reading edition, on every shape of text the schema allows: documents, a document
within a document, an endnote in the text, front matter, and text outside any document (a book
of chapters, an introduction before the first document)."""

from __future__ import annotations

import collections

from lxml import etree, html

from trotsky_tei.export import export_tree
from trotsky_tei.safexml import parse_bytes

TEI_NS = "http://www.tei-c.org/ns/1.0"
FO_NS = "http://www.w3.org/1999/XSL/Format"

# Every numbered note has an xml:id (its marker, list item and footnote carry it) and its own
# text; "x…" notes are never numbered (endnotes, a publication note).
SHAPES = b"""<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Notes</title></titleStmt>
<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>
<notesStmt><note>A note of the header, never counted.</note></notesStmt></teiHeader>
<text>
<front><div><p>Preface<note xml:id="f1">front one</note> and<note xml:id="f2">front two</note>.</p></div></front>
<body>
<p>An introduction<note xml:id="i1">intro one</note>.</p>
<div type="document" xml:id="d1"><head>One</head>
  <p>A<note xml:id="a1">one a</note> b<note xml:id="a2">one b</note>.</p>
  <div type="document" xml:id="d2"><head>Inner</head><p>C<note xml:id="b1">inner a</note>.</p></div>
  <p>After the inner document<note xml:id="a3">one after</note>; an endnote in the text<note place="end" xml:id="x1">its own<note xml:id="e1">in the endnote</note></note>, then<note xml:id="a4">one last</note>.</p>
  <p><note type="publication" xml:id="x2">Published somewhere.</note></p>
</div>
<div type="chapter"><p>A chapter<note xml:id="c1">chapter a</note> with more<note xml:id="c2">chapter b</note>.</p></div>
<div type="document" xml:id="d3"><p>No head<note xml:id="g1">three a</note>.</p></div>
</body>
<back><div type="notes"><note place="end" n="1" xml:id="x3">An endnote<note xml:id="h1">sub a</note>.</note></div></back>
</text></TEI>"""


def _expected(tree: etree._ElementTree) -> dict[str, str]:
    """The numbers xsl:number gives: counted afresh after the start of every document, endnote and
    front matter, among the notes of the text that are neither endnotes nor publication notes."""
    numbers = etree.XSLT(etree.XML(f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:tei="{TEI_NS}">
      <xsl:template match="/"><r><xsl:for-each select="//tei:text//tei:note[not(@place='end' or @type='publication')]">
        <n id="{{@xml:id}}"><xsl:number level="any" count="tei:text//tei:note[not(@place='end' or @type='publication')]"
            from="tei:div[@type='document'] | tei:note[@place='end'] | tei:front" format="a"/></n>
      </xsl:for-each></r></xsl:template></xsl:stylesheet>""".encode()))(tree)
    return {n.get("id"): n.text for n in numbers.getroot()}


def test_the_reference_numbers_restart_where_they_should():
    # what the exports are compared with below
    expected = _expected(parse_bytes(SHAPES, "notes.xml"))
    assert expected == {"f1": "a", "f2": "b", "i1": "c", "a1": "a", "a2": "b", "b1": "a", "a3": "b",
                        "e1": "a", "a4": "b", "c1": "c", "c2": "d", "g1": "a", "h1": "a"}


def test_html_numbers_every_note_in_the_text_and_in_its_list():
    tree = parse_bytes(SHAPES, "notes.xml")
    expected = _expected(tree)
    doc = html.fromstring(export_tree(tree, "html"))
    for nid, num in expected.items():
        items = doc.xpath(f"//li[@id='{nid}']")
        assert len(items) == 1, (nid, len(items))       # listed once, a document within a document too
        assert items[0].xpath("string(span[@class='note-n'])") == num, nid
        if nid != "h1" and nid != "e1":                 # notes within endnotes have no marker in the text
            assert doc.xpath(f"string(//a[@id='nr-{nid}'])").strip() == num, nid


def test_html_lists_notes_outside_documents_where_the_text_has_them():
    doc = html.fromstring(export_tree(parse_bytes(SHAPES, "notes.xml"), "html"))
    ids = [i for i in doc.xpath("//@id")]
    assert len(ids) == len(set(ids)), [i for i, n in collections.Counter(ids).items() if n > 1]
    targets = {h[1:] for h in doc.xpath("//a/@href") if h.startswith("#")}
    assert targets <= set(ids), sorted(targets - set(ids))
    inner = doc.get_element_by_id("d2")
    assert inner.xpath(".//li/@id") == ["b1"]
    # the outer document lists its own notes; the one within the endnote is listed with it
    assert doc.get_element_by_id("d1").xpath("aside//li/@id") == ["a1", "a2", "a3", "a4"]
    assert [li.get("id") for li in doc.xpath("//section[@id='notes']//li")] == ["x1", "e1", "x3", "h1"]
    # the body's notes outside any document: after the documents, in the order of the text
    body_notes = doc.xpath("//aside[h3='Notes to the text']//li/@id")
    assert body_notes == ["i1", "c1", "c2"]


def test_fo_footnotes_carry_the_same_numbers():
    tree = parse_bytes(SHAPES, "notes.xml")
    expected = _expected(tree)
    fo = etree.fromstring(export_tree(tree, "fo"))
    got = {i.get("id"): i.text for i in fo.iter(f"{{{FO_NS}}}inline")
           if i.get("id") in expected and i.getparent().tag == f"{{{FO_NS}}}footnote"}
    assert got == expected          # the notes within endnotes too, in the list of notes


def test_long_runs_of_notes_are_numbered_past_z():
    notes = "".join(f'<p>Line {i}<note xml:id="n{i}">note {i}</note>.</p>' for i in range(1, 60))
    tei = SHAPES.replace(b'<div type="chapter">', f'<div type="chapter">{notes}'.encode())
    tree = parse_bytes(tei, "many.xml")
    expected = _expected(tree)
    assert expected["n59"] == "bi" and expected["c2"] == "bk"
    doc = html.fromstring(export_tree(tree, "html"))
    assert {nid: doc.xpath(f"string(//li[@id='{nid}']/span[@class='note-n'])") for nid in expected} == expected


def test_the_corpus_edition_names_each_id_once_and_links_only_to_ids(corpus_tree):
    # the notes the source has in brackets stand twice in the page (in the text, for the source
    # reading, and in the list of notes): their names and dates carry their ids once
    doc = html.fromstring(export_tree(corpus_tree, "html"))
    ids = doc.xpath("//@id")
    assert len(ids) == len(set(ids)), [i for i, n in collections.Counter(ids).items() if n > 1][:5]
    targets = {h[1:] for h in doc.xpath("//a/@href") if h.startswith("#")}
    assert targets <= set(ids), sorted(targets - set(ids))[:5]
    inline = doc.xpath("//span[contains(@class, 'inline-note')]")
    assert inline and not any(s.xpath(".//@id") for s in inline)


def _source_reading(el: etree._Element) -> str:
    """The text of `el` as the source has it: the sic or orig of each correction, no supplied
    heading, no note within it."""
    out = [el.text or ""]
    for child in el:
        name = etree.QName(child).localname
        if name == "choice":
            src = [c for c in child if etree.QName(c).localname in ("sic", "orig") and c.get("source") is None]
            out.append(_source_reading(src[0]) if src else "")
        elif name not in ("note", "supplied"):
            out.append(_source_reading(child))
        out.append(child.tail or "")
    return "".join(out)


def test_a_bracketed_note_reads_in_the_text_as_the_source_has_it(corpus_tree):
    doc = html.fromstring(export_tree(corpus_tree, "html"))
    notes = {n.get("{http://www.w3.org/XML/1998/namespace}id"): n for n in corpus_tree.iter(f"{{{TEI_NS}}}note")
             if "brackets" in (n.get("rend") or "")}
    assert notes
    for nid, note in notes.items():
        copy = doc.get_element_by_id(f"nr-{nid}").getparent().getprevious()
        assert "inline-note" in copy.get("class")
        assert " ".join(copy.text_content()[1:-1].split()) == " ".join(_source_reading(note).split()), nid
