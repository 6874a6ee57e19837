"""Archival exports checked by their official schemas: OAI-PMH Dublin Core (oai_dc.xsd) and
EAD3 1.1.1 (ead3.xsd and ead3.rng), loaded from ../shared/schemas-external, never the network."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import NS, ROOT, SHARED
from lxml import etree

from trotsky_tei.export import document_ids, export_all, export_dc_records, export_tree
from trotsky_tei.messages import TrotskyTeiError
from trotsky_tei.safexml import parse_file

SAMPLE = ROOT / "tests" / "fixtures" / "sample.xml"
SCHEMAS = SHARED / "schemas-external"
DC = {"oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/", "dc": "http://purl.org/dc/elements/1.1/"}
EAD = {"e": "http://ead3.archivists.org/schema/"}


def _schema(path) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(path), parser))


@pytest.fixture(scope="module")
def oai_dc() -> etree.XMLSchema:
    return _schema(SCHEMAS / "oai_dc" / "oai_dc.xsd")


@pytest.fixture(scope="module")
def ead3() -> tuple[etree.XMLSchema, etree.RelaxNG]:
    return (_schema(SCHEMAS / "ead3" / "ead3.xsd"), etree.RelaxNG(etree.parse(str(SCHEMAS / "ead3" / "ead3.rng"))))


def test_the_schemas_reject_what_they_should(oai_dc, ead3):
    assert not oai_dc.validate(etree.parse(str(SCHEMAS / "oai_dc" / "example-invalid.xml")))
    assert not ead3[0].validate(etree.parse(str(SCHEMAS / "ead3" / "example-invalid.xml")))


@pytest.mark.parametrize("source", ["sample", "corpus"])
def test_every_dc_record_is_valid(source, corpus_tree, oai_dc):
    tree = parse_file(SAMPLE) if source == "sample" else corpus_tree
    records = {"": export_tree(tree, "dc"), **export_dc_records(tree)}
    assert len(records) == len(document_ids(tree)) + 1
    for doc, data in records.items():
        rec = etree.fromstring(data)
        assert oai_dc.validate(rec), (doc, oai_dc.error_log.last_error)
        assert rec.xpath("count(dc:title)", namespaces=DC) == 1
        assert rec.xpath("dc:creator", namespaces=DC)
        assert rec.xpath("dc:rights", namespaces=DC) and rec.xpath("dc:source", namespaces=DC)


def test_dc_record_of_one_document():
    rec = etree.fromstring(export_tree(parse_file(SAMPLE), "dc", document="d2"))
    get = lambda name: rec.xpath(f"dc:{name}/text()", namespaces=DC)  # noqa: E731
    assert get("title") == ["To all units, June 4, 1918"]
    assert get("creator") == ["Leon Trotsky"]
    assert get("contributor") == ["Brian Pearce (translator)"]
    assert get("date") == ["1918-06-04"]
    assert get("language") == ["en"]
    assert get("subject") == ["Trotsky, Leon"]          # persons and organisations named in d2
    assert get("coverage") == ["Vladivostok", "Samara", "1918-06-04/1918-06-05"]
    assert get("relation") == ["Sample writings on a mutiny, 1918"]
    assert "New Park Publications" in get("source")[0]


def test_dc_unknown_document_is_a_usage_error():
    with pytest.raises(TrotskyTeiError) as err:
        export_tree(parse_file(SAMPLE), "dc", document="d9")
    assert "no document with xml:id 'd9'" in str(err.value) and "d1, d2, d3" in err.value.message.hint


def test_dc_directory_output_from_the_command_line(tmp_path, oai_dc):
    out = tmp_path / "records"
    out.mkdir()
    proc = subprocess.run([sys.executable, "-m", "trotsky_tei", "export", str(SAMPLE), "--to", "dc", "-o", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    files = sorted(p.name for p in out.iterdir())
    assert files == ["sample.d1.dc.xml", "sample.d2.dc.xml", "sample.d3.dc.xml"]
    assert all(oai_dc.validate(etree.parse(str(out / f))) for f in files)


@pytest.mark.parametrize("source", ["sample", "corpus"])
def test_ead_finding_aid_is_valid(source, corpus_tree, ead3):
    tree = parse_file(SAMPLE) if source == "sample" else corpus_tree
    ead = etree.fromstring(export_tree(tree, "ead"))
    xsd, rng = ead3
    assert xsd.validate(ead), xsd.error_log.last_error
    assert rng.validate(ead), rng.error_log.last_error
    docs = tree.xpath("//tei:body//tei:div[@type='document']", namespaces=NS)
    items = ead.xpath("//e:dsc/e:c[@level='item']", namespaces=EAD)
    assert len(items) == len(docs)
    for c in items:
        normal = c.xpath("string(e:did/e:unitdate/@normal)", namespaces=EAD)
        if normal:
            assert len(normal) in (4, 7, 10) and normal[:4].isdigit()
    assert ead.xpath("/e:ead/e:archdesc[@level='collection']/e:did/e:unittitle", namespaces=EAD)
    assert ead.xpath("/e:ead/e:control/e:maintenancehistory/e:maintenanceevent", namespaces=EAD)


def test_ead_access_points_carry_authority_uris(ead3):
    ead = etree.fromstring(export_tree(parse_file(SAMPLE), "ead"))
    top = ead.xpath("/e:ead/e:archdesc/e:controlaccess", namespaces=EAD)[0]
    terms = {(t.tag.split("}")[1], t.xpath("string(e:part[1])", namespaces=EAD)): (t.get("identifier"), t.get("source"))
             for t in top}
    assert terms[("persname", "Trotsky, Leon")] == ("http://www.wikidata.org/entity/Q33391", "wikidata")
    assert terms[("geogname", "Vladivostok")] == ("https://sws.geonames.org/2013348/", "geonames")
    assert terms[("corpname", "Czechoslovak Legion")] == ("http://www.wikidata.org/entity/Q1141460", "wikidata")
    d2 = ead.xpath("//e:c[@id='d2']", namespaces=EAD)[0]
    assert d2.xpath("string(e:did/e:unitdate/@normal)", namespaces=EAD) == "1918-06-04"
    names = d2.xpath("e:controlaccess/*/e:part[1]/text()", namespaces=EAD)
    assert sorted(names) == ["Samara", "Trotsky, Leon", "Vladivostok"]       # each record once


def test_export_all_writes_every_target(tmp_path, oai_dc):
    paths = export_all(parse_file(SAMPLE), tmp_path, "sample")
    names = sorted(p.relative_to(tmp_path).as_posix() for p in paths)
    assert names == sorted(["sample.html", "sample.fo", "sample.pdf", "sample.source.txt", "sample.corrected.txt",
                            "sample.dc.xml", "sample.dc/d1.xml", "sample.dc/d2.xml", "sample.dc/d3.xml",
                            "sample.ead.xml", "sample.csv", "sample.json"])
    assert all(p.stat().st_size > 0 for p in paths)
    assert (tmp_path / "sample.pdf").read_bytes().startswith(b"%PDF")
