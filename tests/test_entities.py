"""The entity index and `trotsky-tei entities`, on a small converted text and on the corpus."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from trotsky_tei.cli import main
from trotsky_tei.convert import convert_text, serialize
from trotsky_tei.entities import build_index, index_of_tree, source_text
from trotsky_tei.metadata import load_for

FIXTURE = Path(__file__).parent / "fixtures" / "authority"
NS = {"tei": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

TEXT = """\
THE EVENTS IN MOSCOW

May 29, 1918

In Kerensky’s time Messrs. Maxa and Cermak travelled from Moscow to Vladivostok. \
Admiral Kolchak stayed at Omsk.

The Moscow Soviet met in Moscow. Comrade Zinoviev spoke.
"""


@pytest.fixture(scope="module")
def tei_file(tmp_path_factory) -> Path:
    meta = load_for(None)
    meta["authority"] = str(FIXTURE)
    tree = convert_text(TEXT, "events.txt", meta)
    path = tmp_path_factory.mktemp("tei") / "events.xml"
    path.write_bytes(serialize(tree))
    return path


@pytest.fixture(scope="module")
def index(tei_file):
    return build_index([tei_file])


def test_entities_with_records_variants_and_ids(index):
    moscow = index.entities["moscow"]
    assert moscow.type == "place" and moscow.preferred == "Moscow"
    assert moscow.authority == {"wikidata": "Q649", "geonames": "524901"}
    # the heading in capitals and two mentions in the text ("Moscow Soviet" is an org)
    assert sum(moscow.variants.values()) == len(moscow.mentions) == 3
    assert set(moscow.variants) == {"MOSCOW", "Moscow"}
    assert index.entities["kerensky"].preferred == "Alexander Kerensky"
    assert index.entities["moscow-soviet"].type == "org"
    assert {"maxa", "cermak", "zinoviev", "vladivostok"} <= set(index.entities)


def test_mention_positions_point_at_the_name(index, tei_file):
    from trotsky_tei.safexml import parse_file

    tree = parse_file(tei_file)
    for ent in index.entities.values():
        for m in ent.mentions:
            block = tree.xpath(m.xpath, namespaces=NS)
            assert len(block) == 1, m.xpath
            text = source_text(block[0])
            assert text[m.offset:m.offset + len(m.text)] == m.text
            assert m.document and m.paragraph >= 1
            assert m.text in m.context


def test_unknown_names_are_listed_apart(index):
    unknown = {(u.type, u.text): u for u in index.unknown.values()}
    assert ("person", "Kolchak") in unknown and unknown[("person", "Kolchak")].cert == "medium"
    assert ("place", "Omsk") in unknown
    assert "kolchak" not in index.entities


def test_csv_has_the_documented_columns(tei_file):
    out = CliRunner().invoke(main, ["entities", str(tei_file), "--format", "csv"])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert list(rows[0]) == ["id", "type", "preferred", "variants", "mention_count", "mentions", "wikidata",
                             "geonames", "other_ids"]
    moscow = next(r for r in rows if r["id"] == "moscow")
    assert moscow["wikidata"] == "Q649" and moscow["mention_count"] == "3"
    assert moscow["mentions"].count("¶") == 3


def test_json_holds_every_mention(tei_file):
    out = CliRunner().invoke(main, ["entities", str(tei_file), "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    ents = {e["id"]: e for e in data["entities"]}
    assert ents["maxa"]["mentions"][0]["text"] == "Maxa"
    assert set(ents["maxa"]["mentions"][0]) == {"file", "document", "title", "xpath", "paragraph", "offset",
                                                 "text", "cert", "resp", "context"}


def test_table_and_unknown_listing(tei_file):
    out = CliRunner().invoke(main, ["entities", str(tei_file)])
    assert out.exit_code == 0
    lines = out.output.splitlines()
    assert lines[0].split()[:4] == ["ID", "TYPE", "PREFERRED", "MENTIONS"]
    assert any(line.startswith("moscow ") for line in lines)
    unk = CliRunner().invoke(main, ["entities", str(tei_file), "--unknown", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(unk.output)))
    assert {"Kolchak", "Omsk"} <= {r["text"] for r in rows}
    assert list(rows[0]) == ["text", "type", "cert", "count", "documents", "context"]


def test_output_file_is_written_and_inputs_refused(tei_file, tmp_path):
    out = tmp_path / "index.csv"
    res = CliRunner().invoke(main, ["entities", str(tei_file), "--format", "csv", "-o", str(out)])
    assert res.exit_code == 0 and out.read_text("utf-8").startswith("id,type,")
    res = CliRunner().invoke(main, ["entities", str(tei_file), "-o", str(tei_file)])
    assert res.exit_code != 0 and "input" in res.output


@pytest.mark.parametrize("content, expect", [
    (b"", "empty"),
    (b"<TEI xmlns='http://www.tei-c.org/ns/1.0'><text>", "well-formed"),
    (b"<html><body/></html>", "not a TEI document"),
])
def test_bad_input_is_one_line_and_exit_1(tmp_path, content, expect):
    f = tmp_path / "bad.xml"
    f.write_bytes(content)
    res = CliRunner().invoke(main, ["entities", str(f)])
    assert res.exit_code == 1
    assert len(res.output.strip().splitlines()) == 1 and expect in res.output and str(f) in res.output
    assert "Traceback" not in res.output


def test_missing_file_and_usage_errors(tmp_path):
    res = CliRunner().invoke(main, ["entities", str(tmp_path / "nope.xml")])
    assert res.exit_code == 1 and "nope.xml" in res.output and len(res.output.splitlines()) == 1
    assert CliRunner().invoke(main, ["entities"]).exit_code == 2
    assert CliRunner().invoke(main, ["entities", "x.xml", "--format", "yaml"]).exit_code == 2


def test_several_files_merge_by_id(tei_file, tmp_path):
    other = tmp_path / "copy.xml"
    other.write_bytes(tei_file.read_bytes())
    index = build_index([tei_file, other])
    assert len(index.entities["moscow"].mentions) == 6
    assert {m.file for m in index.entities["moscow"].mentions} == {str(tei_file), str(other)}


# --------------------------------------------------------------------------- the corpus, end to end


def test_corpus_names_link_to_exactly_the_records_in_standoff(corpus_tree):
    refs = {r.lstrip("#") for r in corpus_tree.xpath(
        "//tei:text//tei:persName/@ref | //tei:text//tei:placeName/@ref | //tei:text//tei:orgName/@ref",
        namespaces=NS)}
    records = corpus_tree.xpath("//tei:standOff//tei:person | //tei:standOff//tei:place | //tei:standOff//tei:org",
                                namespaces=NS)
    ids = [r.get(XML_ID) for r in records]
    assert len(ids) == len(set(ids))
    assert refs and set(ids) == refs
    # every linked name is of the record's kind
    kinds = {r.get(XML_ID): r.tag.rsplit("}", 1)[1] for r in records}
    for el in corpus_tree.xpath("//tei:text//*[@ref][self::tei:persName or self::tei:placeName "
                                "or self::tei:orgName]", namespaces=NS):
        tag = el.tag.rsplit("}", 1)[1]
        assert {"persName": "person", "placeName": "place", "orgName": "org"}[tag] == kinds[el.get("ref")[1:]]
        assert el.get("resp") == "#trotsky-tei"


def test_corpus_every_mention_of_one_name_links_to_one_record(corpus_tree):
    index = index_of_tree(corpus_tree)
    by_surface: dict[tuple[str, str], set[str]] = defaultdict(set)
    for ent in index.entities.values():
        for m in ent.mentions:
            if not m.cert:                # exact, unambiguous matches
                by_surface[(ent.type, m.text)].add(ent.id)
    assert by_surface
    assert {k: v for k, v in by_surface.items() if len(v) > 1} == {}
    # the persons of the corpus the authority files know are linked
    for rid in ("trotsky", "kerensky", "lockhart", "neubert"):
        assert rid in index.entities, rid
    assert len(index.entities["neubert"].mentions) >= 4
