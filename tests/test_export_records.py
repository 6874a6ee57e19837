"""Per-document Dublin Core records made in one run of the stylesheet are the records a run per
document makes, byte for byte, each under its own document's id."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from trotsky_tei.export import document_ids, export_dc_records, export_tree
from trotsky_tei.safexml import parse_bytes, parse_file

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "fixtures" / "sample.xml"
TEI = "http://www.tei-c.org/ns/1.0"


@pytest.mark.parametrize("source", ["sample", "corpus"])
def test_records_of_one_run_equal_the_records_of_one_run_per_document(source, corpus_tree):
    tree = parse_file(SAMPLE) if source == "sample" else corpus_tree
    records = export_dc_records(tree)
    assert list(records) == document_ids(tree)
    for doc, data in records.items():
        assert data == export_tree(tree, "dc", document=doc), doc


def test_records_follow_the_documents_when_some_lack_an_id():
    """Documents without an xml:id get no record, and the others keep their own."""
    tree = parse_file(SAMPLE)
    first = tree.find(f".//{{{TEI}}}body//{{{TEI}}}div[@type='document']")
    del first.attrib["{http://www.w3.org/XML/1998/namespace}id"]
    records = export_dc_records(tree)
    assert list(records) == document_ids(tree) == ["d2", "d3"]
    title = etree.fromstring(records["d2"]).findtext("{http://purl.org/dc/elements/1.1/}title")
    assert title == "To all units, June 4, 1918"
    for doc, data in records.items():
        assert data == export_tree(tree, "dc", document=doc)


def test_a_file_without_documents_has_no_records():
    tree = parse_file(SAMPLE)
    for div in tree.findall(f".//{{{TEI}}}body//{{{TEI}}}div[@type='document']"):
        div.set("type", "section")
    assert export_dc_records(tree) == {}


def test_a_document_outside_the_edition_body_gets_its_own_run():
    """A document in a nested text (text/group/text/body) is not among the edition's documents
    the one run goes through; it still gets its record, made by a run of its own."""
    tree = parse_file(SAMPLE)
    text = tree.find(f"{{{TEI}}}text")
    group = etree.SubElement(text, f"{{{TEI}}}group")
    inner = etree.SubElement(etree.SubElement(group, f"{{{TEI}}}text"), f"{{{TEI}}}body")
    div = etree.SubElement(inner, f"{{{TEI}}}div", {"type": "document", "{http://www.w3.org/XML/1998/namespace}id": "g1"})
    etree.SubElement(div, f"{{{TEI}}}head").text = "A nested document"
    records = export_dc_records(tree)
    assert list(records) == ["d1", "d2", "d3", "g1"]
    title = etree.fromstring(records["g1"]).findtext("{http://purl.org/dc/elements/1.1/}title")
    assert title == "A nested document"
    for doc, data in records.items():
        assert data == export_tree(tree, "dc", document=doc)


NAMED_ONCE = b"""<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Named once</title></titleStmt>
<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>
<standOff><listPerson><person xml:id="lenin"><persName type="preferred">Lenin</persName></person>
<person xml:id="kolchak"><persName type="preferred">Kolchak</persName></person>
<person xml:id="trotsky"><persName type="preferred">Trotsky</persName></person></listPerson>
<listPlace><place xml:id="kazan"><placeName>Kazan</placeName></place></listPlace>
<listOrg><org xml:id="cheka"><orgName>Cheka</orgName></org></listOrg></standOff>
<text><body>
<div type="document" xml:id="d1"><p><persName ref="#lenin">Lenin</persName>, <persName ref="#kolchak">Kolchak</persName>,
<persName ref="other.xml#kolchak">the admiral</persName>, <persName ref="#kolchak">Kolchak</persName>;
<placeName ref="#kazan">Kazan</placeName> and <placeName ref="#kazan">Kazan</placeName>; <orgName ref="#cheka">Cheka</orgName>.</p>
<div type="document" xml:id="d1b"><p><persName ref="#trotsky">Trotsky</persName> and <persName ref="#kolchak">Kolchak</persName>.</p></div>
<p><persName ref="#trotsky">Trotsky</persName> again, <persName ref="#nobody">Nobody</persName>.</p></div>
</body></text></TEI>"""


def test_each_record_of_a_document_is_named_once_in_its_record():
    # by its first mention in the document; a document within it has its own record and names
    records = export_dc_records(parse_bytes(NAMED_ONCE, "named-once.xml"))
    dc = {"dc": "http://purl.org/dc/elements/1.1/"}
    named = {doc: (etree.fromstring(data).xpath("dc:subject/text()", namespaces=dc),
                   etree.fromstring(data).xpath("dc:coverage/text()", namespaces=dc)) for doc, data in records.items()}
    assert named == {"d1": (["Lenin", "Kolchak", "Cheka", "Trotsky"], ["Kazan"]),
                     "d1b": (["Trotsky", "Kolchak"], [])}
