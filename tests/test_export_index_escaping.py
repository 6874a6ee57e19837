"""The entity index writes most rows without escaping; a row whose values hold a character CSV
or JSON escapes (quotation mark, backslash, tab, line break) goes through the escaping path,
and both kinds of row load back to the same values."""

from __future__ import annotations

import csv
import io
import json

from conftest import NS, ROOT

from trotsky_tei.export import export_tree
from trotsky_tei.safexml import parse_file

SAMPLE = ROOT / "tests" / "fixtures" / "sample.xml"


def _with_surface(text: str):
    """The sample with its first linked person mention written as `text`."""
    tree = parse_file(SAMPLE)
    name = tree.xpath("//tei:body//tei:persName[@ref][not(*)]", namespaces=NS)[0]
    name.text = text
    return tree, tree.xpath("count(//tei:text//tei:persName[@ref='%s'][1]/preceding::*[self::tei:persName"
                            " or self::tei:placeName or self::tei:orgName][ancestor::tei:text])" % name.get("ref"),
                            namespaces=NS)


def _rows(tree) -> tuple[list[dict], list[dict]]:
    rows = list(csv.DictReader(io.StringIO(export_tree(tree, "csv").decode("utf-8"), newline="")))
    mentions = json.loads(export_tree(tree, "json"))["mentions"]
    return rows, mentions


def test_plain_and_escaped_rows_load_back_alike():
    for surface, expected in [("Plain Name", "Plain Name"), ('The "Quoted" Name', 'The "Quoted" Name'),
                              ("Back\\slash", "Back\\slash"), ("Tab\tName", "Tab Name")]:
        tree, before = _with_surface(surface)
        rows, mentions = _rows(tree)
        assert len(rows) == len(mentions)
        index = int(before)
        assert rows[index]["surface"] == expected, surface
        assert mentions[index]["surface"] == expected, surface
        for row, m in zip(rows, mentions):        # the other rows are untouched by one escaped row
            assert row["surface"] == (m["surface"] or "")
            assert row["position"] == str(m["position"])
            assert row["entity_id"] == (m["entity_id"] or "")
