"""The curated authority files (corpus/authority/*.xml): well-formed TEI, consistent, and big enough.

These are data tests: they hold for whatever records the editors add, so a new record that
breaks a rule (a duplicate id, a coordinate out of range, an unmarked shared name, a Wikidata id
that is not one) fails here rather than silently in a linked edition.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from lxml import etree

from trotsky_tei import authority, safexml

ROOT = Path(__file__).resolve().parent.parent
AUTHORITY = ROOT / "corpus" / "authority"
GOLD = ROOT / "tests" / "gold"
TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

#: file -> (list element, record element, name element, minimum number of records)
FILES = {
    "persons.xml": ("listPerson", "person", "persName", 250),
    "places.xml": ("listPlace", "place", "placeName", 300),
    "orgs.xml": ("listOrg", "org", "orgName", 150),
}
PLACE_TYPES = {
    "country", "continent", "region", "province", "city", "town", "village", "building",
    "river", "lake", "sea", "coast", "strait", "island", "peninsula", "mountains", "railway",
}
ID_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
WIKIDATA_RE = re.compile(r"^Q[1-9][0-9]*$")
GEONAMES_RE = re.compile(r"^[1-9][0-9]*$")
YEAR_RE = re.compile(r"^[0-9]{4}$")


def _text(el: etree._Element) -> str:
    return "".join(el.itertext())


@pytest.fixture(scope="module")
def trees() -> dict[str, etree._ElementTree]:
    return {name: safexml.parse_file(AUTHORITY / name) for name in FILES}


@pytest.fixture(scope="module")
def records(trees) -> list[tuple[str, etree._Element]]:
    """(file name, record element) for every record of the three files."""
    out = []
    for name, tree in trees.items():
        _, rec, _, _ = FILES[name]
        out.extend((name, el) for el in tree.iter(TEI + rec))
    return out


def _names(name: str, el: etree._Element) -> list[etree._Element]:
    return [c for c in el if c.tag == TEI + FILES[name][2]]


def test_every_file_is_a_tei_document_with_header_and_one_list(trees):
    for name, tree in trees.items():
        lst, rec, _, _ = FILES[name]
        root = tree.getroot()
        assert root.tag == TEI + "TEI", name
        header = root.find(TEI + "teiHeader")
        assert header is not None, name
        assert _text(header.find(f"{TEI}fileDesc/{TEI}titleStmt/{TEI}title")).strip(), name
        assert _text(header.find(f"{TEI}fileDesc/{TEI}publicationStmt/{TEI}p")).strip(), name
        assert "editors" in _text(header.find(f"{TEI}fileDesc/{TEI}sourceDesc/{TEI}p")), name
        lists = root.findall(f"{TEI}standOff/{TEI}{lst}")
        assert len(lists) == 1, name
        assert all(child.tag == TEI + rec for child in lists[0]), f"{name}: only <{rec}> records in <{lst}>"


def test_valid_against_full_tei(trees, tei_all):
    for name, tree in trees.items():
        assert tei_all.validate(tree), f"{name}: {tei_all.error_log.filter_from_errors()[:3]}"


def test_record_counts_cover_the_revolution_and_civil_war(trees):
    for name, tree in trees.items():
        _, rec, _, minimum = FILES[name]
        count = sum(1 for _ in tree.iter(TEI + rec))
        assert count >= minimum, f"{name}: {count} records, want at least {minimum}"


def test_ids_are_slugs_and_unique_across_files(records):
    seen: dict[str, str] = {}
    for name, el in records:
        rid = el.get(XML_ID)
        assert rid and ID_RE.match(rid), f"{name}: bad xml:id {rid!r}"
        assert rid not in seen, f"xml:id {rid!r} in {seen.get(rid)} and {name}"
        seen[rid] = name


def test_every_record_has_one_preferred_name_and_clean_distinct_names(records):
    for name, el in records:
        rid = el.get(XML_ID)
        names = _names(name, el)
        preferred = [n for n in names if n.get("type") == "preferred"]
        assert len(preferred) == 1, f"{rid}: {len(preferred)} preferred names"
        assert names[0] is preferred[0], f"{rid}: the preferred name comes first"
        texts = [_text(n) for n in names]
        for t in texts:
            assert t and t == " ".join(t.split()), f"{rid}: name {t!r} is empty or has stray spaces"
            # spans leave a running-text article outside (ANNOTATION.md): "the Urals" -> "Urals"
            assert not t.startswith("the "), f"{rid}: name {t!r} starts with an article"
        assert len(set(texts)) == len(texts), f"{rid}: a name is repeated"
        for n in names[1:]:
            assert n.get("type") == "variant", f"{rid}: non-preferred names are type='variant'"
        assert all(n.get("subtype") in (None, "ambiguous") for n in names), rid


TITLES = re.compile(r"^(Comrade|General|Ex-General|Admiral|Colonel|Captain|Marshal|Mr\.|Messrs\.|Monsieur|Professor|"
                    r"Dr\.|Sir|Lord|Baron|Count|Prince|Grand Duke|Emperor|Empress|Kaiser|Tsar|President|Ataman|"
                    r"Hetman|Batko) ")


def test_person_names_carry_no_title(records):
    """A person span leaves titles, ranks and honorifics outside (ANNOTATION.md), so do the forms."""
    for name, el in records:
        if name == "persons.xml":
            for n in _names(name, el):
                assert not TITLES.match(_text(n)), f"{el.get(XML_ID)}: {_text(n)!r} starts with a title"


def test_a_form_shared_by_records_is_marked_ambiguous_in_each(records):
    owners: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for name, el in records:
        for n in _names(name, el):
            owners[_text(n)].append((el.get(XML_ID), n.get("subtype")))
    bad = {form: recs for form, recs in owners.items()
           if len(recs) > 1 and any(sub != "ambiguous" for _, sub in recs)}
    assert not bad, f"shared forms not marked subtype='ambiguous': {sorted(bad.items())[:5]}"


def test_identifiers_are_well_formed(records):
    for name, el in records:
        rid = el.get(XML_ID)
        idnos = [c for c in el if c.tag == TEI + "idno"]
        types = [i.get("type") for i in idnos]
        assert len(types) == len(set(types)), f"{rid}: one identifier per authority"
        for i in idnos:
            value = (i.text or "").strip()
            if i.get("type") == "wikidata":
                assert WIKIDATA_RE.match(value), f"{rid}: Wikidata id {value!r}"
            elif i.get("type") == "geonames":
                assert name == "places.xml", f"{rid}: GeoNames ids belong to places"
                assert GEONAMES_RE.match(value), f"{rid}: GeoNames id {value!r}"
            else:
                pytest.fail(f"{rid}: unexpected identifier type {i.get('type')!r}")


def test_places_have_a_type_and_coordinates_in_range(records):
    with_geo = 0
    for name, el in records:
        if name != "places.xml":
            continue
        rid = el.get(XML_ID)
        assert el.get("type") in PLACE_TYPES, f"{rid}: type {el.get('type')!r}"
        geos = el.findall(f"{TEI}location/{TEI}geo")
        assert len(geos) <= 1, rid
        for geo in geos:
            lat, lon = (float(v) for v in geo.text.split())
            assert -90 <= lat <= 90 and -180 <= lon <= 180, f"{rid}: {geo.text}"
            with_geo += 1
            assert el.find(f"{TEI}idno[@type='geonames']") is not None, f"{rid}: coordinates come with their GeoNames id"
    assert with_geo >= 250


def test_person_years_are_plausible(records):
    for name, el in records:
        if name != "persons.xml":
            continue
        rid = el.get(XML_ID)
        years = {}
        for tag in ("birth", "death"):
            found = el.findall(TEI + tag)
            assert len(found) <= 1, rid
            if found:
                when = found[0].get("when")
                assert when and YEAR_RE.match(when), f"{rid}: {tag} {when!r}"
                years[tag] = int(when)
        if len(years) == 2:
            assert 15 <= years["death"] - years["birth"] <= 105, f"{rid}: {years}"


def test_loader_reads_every_record(records):
    index = authority.load_directory(AUTHORITY)
    assert len(index) == len(records)
    assert index.lookup("Czechoslovak Corps").ids == ("czechoslovak-corps",)
    assert index.records["petrograd"].idnos.get("geonames", "").isdigit()


def test_gold_keys_of_corpus_and_dev_texts_have_records(records):
    """Every entity key the hand annotation links to names a record (ids follow the gold keys)."""
    ids = {el.get(XML_ID) for _, el in records}
    missing = set()
    files = sorted((GOLD / "corpus").glob("*.xml")) + sorted((GOLD / "dev").glob("*.xml"))
    assert files
    for path in files:
        for el in safexml.parse_file(path).iter(TEI + "persName", TEI + "placeName", TEI + "orgName"):
            key = el.get("key")
            if key and key not in ids:
                missing.add((path.name, key))
    assert not missing, sorted(missing)


def _load_generator():
    path = AUTHORITY / "tools" / "places_from_gazetteer.py"
    spec = importlib.util.spec_from_file_location("places_from_gazetteer", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module          # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_places_file_is_what_the_gazetteer_tool_makes_from_the_list():
    gen = _load_generator()
    rows = gen.read_list()
    text = gen.render(rows, *gen.load_gazetteer())
    assert (AUTHORITY / "places.xml").read_text("utf-8") == text, \
        "places.xml is out of date: run corpus/authority/tools/places_from_gazetteer.py"


def test_gazetteer_tool_rejects_a_bad_list(tmp_path):
    gen = _load_generator()
    header = "\t".join(gen.COLUMNS)
    bad = tmp_path / "places.tsv"
    bad.write_text(header + "\nkazan\tcity\tKazan\t\tnot-a-number\t\t\n", "utf-8")
    with pytest.raises(gen.ListError, match=r"places.tsv:2: GeoNames id"):
        gen.read_list(bad)
    bad.write_text(header + "\nkazan\tcity\tKazan\t\t\t\t\nkazan\ttown\tKazan\t\t\t\t\n", "utf-8")
    with pytest.raises(gen.ListError, match="already used on line 2"):
        gen.read_list(bad)
    bad.write_text(header + "\nkazan\tmetropolis\tKazan\t\t\t\t\n", "utf-8")
    with pytest.raises(gen.ListError, match="type 'metropolis' unknown"):
        gen.read_list(bad)
