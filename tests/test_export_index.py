"""The entity index as CSV and JSON: one row per name mention, loaded as a table."""

from __future__ import annotations

import csv
import io
import json

from conftest import NS, ROOT

from trotsky_tei.export import export_tree
from trotsky_tei.safexml import parse_file

SAMPLE = ROOT / "tests" / "fixtures" / "sample.xml"
COLUMNS = ["entity_id", "type", "preferred_name", "surface", "document_id", "document_title", "position",
           "wikidata", "geonames", "certainty"]


def rows_of(tree) -> list[dict]:
    data = export_tree(tree, "csv")
    assert b"\r\n" in data and not data.startswith(b"\xef\xbb\xbf")
    reader = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
    assert reader.fieldnames == COLUMNS
    return list(reader)


def test_csv_sample_rows():
    rows = rows_of(parse_file(SAMPLE))
    assert len(rows) == 12
    assert [r["position"] for r in rows] == [str(i) for i in range(1, 13)]
    lockhart = next(r for r in rows if r["entity_id"] == "lockhart")
    assert lockhart == {"entity_id": "lockhart", "type": "person", "preferred_name": "Lockhart, Robert Bruce",
                        "surface": "Lockhart", "document_id": "d1",
                        "document_title": "THE MUTINY – Communiqué (May 29, 1918)", "position": "5",
                        "wikidata": "Q947390", "geonames": "", "certainty": ""}
    unlinked = next(r for r in rows if r["surface"] == "Jeannot")
    assert unlinked["entity_id"] == "" and unlinked["certainty"] == "low"
    assert {r["document_id"] for r in rows} == {"front", "d1", "d2", "d3", "back"}


def test_csv_corpus_one_row_per_mention(corpus_tree):
    rows = rows_of(corpus_tree)
    mentions = corpus_tree.xpath("//tei:text//tei:persName | //tei:text//tei:placeName | //tei:text//tei:orgName",
                                 namespaces=NS)
    assert len(rows) == len(mentions)
    for row, el in zip(rows, mentions):
        assert row["entity_id"] == (el.get("ref") or "")[1:]
        assert row["type"] == {"persName": "person", "placeName": "place", "orgName": "org"}[el.tag.split("}")[1]]
    ids = {r["entity_id"] for r in rows if r["entity_id"]}
    records = set(corpus_tree.xpath("//tei:standOff//*[@xml:id]/@xml:id", namespaces=NS))
    assert ids <= records


def test_quotes_and_commas_survive_a_csv_round_trip(tmp_path):
    text = SAMPLE.read_text("utf-8").replace("<persName ref=\"#lockhart\">Lockhart</persName>",
                                             "<persName ref=\"#lockhart\">Lockhart, \"R. B.\"</persName>")
    path = tmp_path / "quoted.xml"
    path.write_text(text, "utf-8")
    row = next(r for r in rows_of(parse_file(path)) if r["entity_id"] == "lockhart")
    assert row["surface"] == 'Lockhart, "R. B."'
    data = json.loads(export_tree(parse_file(path), "json"))
    assert next(m for m in data["mentions"] if m["entity_id"] == "lockhart")["surface"] == 'Lockhart, "R. B."'


def test_json_matches_csv(corpus_tree):
    data = json.loads(export_tree(corpus_tree, "json"))
    assert data["columns"] == COLUMNS
    rows = rows_of(corpus_tree)
    assert len(data["mentions"]) == len(rows)
    for m, r in zip(data["mentions"], rows):
        assert str(m["position"]) == r["position"]
        assert (m["entity_id"] or "") == r["entity_id"] and m["surface"] == r["surface"]
    for rid, ent in data["entities"].items():
        assert ent["type"] in {"person", "place", "org"}
        assert ent["mentions"] == sum(r["entity_id"] == rid for r in rows)
        if ent["coordinates"] is not None:
            lat, lon = ent["coordinates"]
            assert -90 <= lat <= 90 and -180 <= lon <= 180
