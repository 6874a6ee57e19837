"""Exports of unusual but valid TEI: no standOff, no documents, no dates, names without records,
a document without heading or xml:id. Every target still produces a valid, usable file."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import SHARED
from lxml import etree, html

from trotsky_tei.export import TARGETS, export_dc_records, export_tree
from trotsky_tei.safexml import parse_bytes

MINIMAL = b"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader><fileDesc>
    <titleStmt><title>An order</title></titleStmt>
    <publicationStmt><p>Unpublished.</p></publicationStmt>
    <sourceDesc><p>Typescript.</p></sourceDesc>
  </fileDesc></teiHeader>
  <text><body>
    <div type="document" subtype="order">
      <p>Comrade <persName cert="low">Smirnov</persName> is to report at <placeName ref="#nowhere">Tula</placeName>.</p>
    </div>
  </body></text>
</TEI>"""

EMPTY_BODY = b"""<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Nothing</title></titleStmt>
<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader><text><body><p/></body></text></TEI>"""


@pytest.fixture(params=[MINIMAL, EMPTY_BODY], ids=["minimal", "empty"])
def tree(request):
    return parse_bytes(request.param, "edge.xml")


@pytest.mark.parametrize("target", sorted(set(TARGETS) - {"pdf"}))
def test_every_target_runs(tree, target):
    assert export_tree(tree, target)


def test_html_without_records_or_dates(tree):
    doc = html.fromstring(export_tree(tree, "html"))
    ids = set(doc.xpath("//@id"))
    assert all(h[1:] in ids for h in doc.xpath("//a/@href") if h.startswith("#"))
    assert doc.xpath("//section[@id='map']//p[@class='none']")
    # A name whose record is missing is marked, not linked to a missing index entry.
    assert not doc.xpath("//a[@data-ref='nowhere']")


def test_archival_records_stay_valid(tree):
    schemas = SHARED / "schemas-external"
    oai = etree.XMLSchema(etree.parse(str(schemas / "oai_dc" / "oai_dc.xsd")))
    ead = etree.XMLSchema(etree.parse(str(schemas / "ead3" / "ead3.xsd")))
    assert oai.validate(etree.fromstring(export_tree(tree, "dc"))), oai.error_log.last_error
    assert export_dc_records(tree) == {}                  # no document has an xml:id
    assert ead.validate(etree.fromstring(export_tree(tree, "ead"))), ead.error_log.last_error


def test_index_of_unlinked_names(tree):
    rows = list(csv.DictReader(io.StringIO(export_tree(tree, "csv").decode("utf-8"), newline="")))
    data = json.loads(export_tree(tree, "json"))
    assert len(rows) == len(data["mentions"])
    for row in rows:
        assert row["preferred_name"] == "" and row["wikidata"] == ""


def test_pdf_of_a_minimal_file(tree):
    assert export_tree(tree, "pdf").startswith(b"%PDF")


NESTED = b"""<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Nested</title></titleStmt>
<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>
<standOff><listPlace><place xml:id="moscow"><placeName>Moscow</placeName></place></listPlace>
<listOrg><org xml:id="moscow-soviet"><orgName>Moscow Soviet</orgName></org></listOrg></standOff>
<text><body><div type="document" xml:id="d1"><p>The <orgName ref="#moscow-soviet"><placeName ref="#moscow">Moscow</placeName>
Soviet</orgName> met.</p></div></body></text></TEI>"""


def test_links_never_nest():
    doc = html.fromstring(export_tree(parse_bytes(NESTED, "nested.xml"), "html"))
    assert not doc.xpath("//a//a")
    inner = doc.xpath("//*[@data-ref='moscow']")[0]
    assert inner.tag == "span" and inner.getparent().get("data-ref") == "moscow-soviet"
    # both mentions are still indexed and reachable
    for rid in ("moscow", "moscow-soviet"):
        href = doc.xpath(f"//li[@id='e-{rid}']//a[@class='mention']/@href")[0]
        assert doc.get_element_by_id(href[1:]).get("data-ref") == rid


def test_map_skips_unusable_coordinates():
    from conftest import ROOT

    text = (ROOT / "tests" / "fixtures" / "sample.xml").read_bytes().replace(b"<geo>53.2001 50.15</geo>", b"<geo>north</geo>")
    out = export_tree(parse_bytes(text, "bad-geo.xml"), "html")
    doc = html.fromstring(out)
    assert sorted(doc.xpath("//svg[@id='map-svg']//a/@data-ref")) == ["archangel", "vladivostok"]
    assert b"NaN" not in out


# Records in standOff that the text does not mention, a mention whose @ref names no record, a
# @ref without '#', and two documents, the second in the back (outside the body).
UNMENTIONED = b"""<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Records</title></titleStmt>
<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>
<standOff><listPerson><person xml:id="lenin"><persName type="preferred">Lenin</persName></person>
<person xml:id="kolchak"><persName type="preferred">Kolchak</persName></person></listPerson>
<listPlace><place xml:id="kazan"><placeName>Kazan</placeName></place><place xml:id="omsk"><placeName>Omsk</placeName></place></listPlace>
<listOrg><org xml:id="cheka"><orgName>Cheka</orgName></org></listOrg></standOff>
<text><body>
<div type="document" xml:id="d1"><p><persName ref="#lenin">Lenin</persName> wrote from <placeName ref="#kazan">Kazan</placeName>
to <persName ref="#nobody">Nobody</persName> and <orgName ref="cheka">the Cheka</orgName>.</p></div>
<div type="document" xml:id="d2"><p><persName ref="#lenin">Lenin</persName> again.</p></div>
</body><back><div type="document" xml:id="d9"><p>An appendix.</p></div></back></text></TEI>"""


def test_archival_records_name_only_the_records_mentioned():
    tree = parse_bytes(UNMENTIONED, "records.xml")
    ead = etree.fromstring(export_tree(tree, "ead"))
    e = {"e": "http://ead3.archivists.org/schema/"}
    top = ead.xpath("/e:ead/e:archdesc/e:controlaccess/*/e:part[1]/text()", namespaces=e)
    assert top == ["Lenin", "Kazan"]      # persons, places, organisations: each mentioned record once
    dc = etree.fromstring(export_tree(tree, "dc"))
    d = {"dc": "http://purl.org/dc/elements/1.1/"}
    assert dc.xpath("dc:subject/text()", namespaces=d) == ["Lenin"]
    assert dc.xpath("dc:coverage[not(contains(., '-'))]/text()", namespaces=d) == ["Kazan"]


def test_fo_starts_a_page_for_every_document_but_the_first():
    def breaks(tei: bytes) -> list:
        fo = etree.fromstring(export_tree(parse_bytes(tei, "records.xml"), "fo"))
        return [b.get("break-before") for b in fo.xpath("//*[local-name()='block'][*[local-name()='marker']]")
                if b.get("id") not in ("index", "apparatus", "endnotes")]

    assert breaks(UNMENTIONED) == [None, "page"]
    # a document in the front matter, none in the body: the first of none, no page of its own
    front = UNMENTIONED.replace(b"<text><body>", b'<text><front><div type="document" xml:id="f1"><p>Preface.</p></div></front><body>')
    front = front.replace(b'<div type="document" xml:id="d1">', b'<div xml:id="d1">')
    front = front.replace(b'<div type="document" xml:id="d2">', b'<div xml:id="d2">')
    assert breaks(front) == [None]


#: Dates in the headings, openers and closers of documents (one of them nested in another), in
#: their paragraphs, and in a heading outside any document.
DATED = b"""<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Dated</title></titleStmt>
<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader><text><body>
<div type="part"><head>Part of <date when="1901">1901</date></head>
<div type="document" xml:id="d1"><head>Order of <date when="1918-06-04">4 June 1918</date></head>
  <p>Since <date when="1890-01-01">1890</date> and until <date when="1950">1950</date>.</p>
  <div type="document" xml:id="d2"><opener><dateline><date when="1918-03-02">2 March</date></dateline></opener>
    <p>Nested.</p><closer><date when="1919-08-01">1 August 1919</date></closer></div>
</div></div>
</body></text></TEI>"""


def test_the_editions_dates_are_those_of_its_documents():
    """The span of the edition (EAD's unitdate, Dublin Core's date, the timeline's axis) is taken
    from the dates in the documents' headings, openers and closers, nested documents' included:
    not from the dates a document mentions, nor from a heading outside any document."""
    tree = parse_bytes(DATED, "dated.xml")
    ead = etree.fromstring(export_tree(tree, "ead"))
    e = {"e": "http://ead3.archivists.org/schema/"}
    assert ead.xpath("string(/e:ead/e:archdesc/e:did/e:unitdate/@normal)", namespaces=e) == "1918-03-02/1919-08-01"
    dc = etree.fromstring(export_tree(tree, "dc"))
    assert dc.xpath("//dc:date/text()", namespaces={"dc": "http://purl.org/dc/elements/1.1/"}) == ["1918-03-02/1919-08-01"]
    page = html.fromstring(export_tree(tree, "html"))
    years = page.xpath("//*[@id='timeline-svg']//*[local-name()='text'][@class='ticklabel']/text()")
    assert years[0] == "1918" and years[-1] == "1920"
    assert page.xpath("//*[@id='timeline-svg']//*[local-name()='text'][@class='outside']/text()") == ["← 2 earlier", "1 later →"]
