"""The project schema: a strict subset of TEI P5 that accepts everything the toolkit writes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from trotsky_tei import safexml

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
XSD = SCHEMAS / "trotsky-tei.xsd"
PROFILE = ROOT / "tests" / "fixtures" / "profile.xml"
TEI_ALL = ROOT.parent / "shared" / "tei" / "tei_all.rng"
XS = "{http://www.w3.org/2001/XMLSchema}"
RNG = "{http://relaxng.org/ns/structure/1.0}"


@pytest.fixture(scope="module")
def xsd() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def errors(xsd: etree.XMLSchema, data: bytes) -> list[str]:
    tree = safexml.parse_bytes(data)
    return [] if xsd.validate(tree) else [e.message for e in xsd.error_log]


def test_schema_compiles_in_both_engines_without_network():
    """lxml (libxml2) and xmlschema both accept it (unique particle attribution, types), and the
    XML namespace schema is imported from the local copy."""
    import xmlschema

    imports = etree.parse(str(XSD)).getroot().findall(XS + "import")
    assert [i.get("schemaLocation") for i in imports] == ["xml.xsd"]
    assert (SCHEMAS / "xml.xsd").is_file()
    etree.XMLSchema(etree.parse(str(XSD)))
    xmlschema.XMLSchema(str(XSD))


def test_profile_fixture_is_valid(xsd):
    assert errors(xsd, PROFILE.read_bytes()) == []


def test_profile_fixture_is_valid_tei_all_with_jing():
    jing = shutil.which("jing")
    assert jing, "jing is needed (make system-deps installs it)"
    done = subprocess.run([jing, str(TEI_ALL), str(PROFILE)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_declared_element_is_a_tei_element():
    tei = {el.get("name") for el in etree.parse(str(TEI_ALL)).iter(RNG + "element") if el.get("name")}
    ours = {el.get("name") for el in etree.parse(str(XSD)).iter(XS + "element") if el.get("name")}
    assert ours <= tei, f"not TEI: {sorted(ours - tei)}"
    assert len(ours) > 100


def test_authority_files_are_valid(xsd, tei_all):
    """Authority files are full TEI documents with a header and standOff only (no text)."""
    files = sorted((ROOT / "corpus" / "authority").glob("*.xml"))
    assert files
    for path in files:
        tree = safexml.parse_file(path)
        assert xsd.validate(tree), f"{path.name}: {xsd.error_log}"
        assert tei_all.validate(tree), f"{path.name}: {tei_all.error_log}"


def test_converted_corpus_is_valid_against_both_schemas(xsd, tei_all, corpus_tree):
    assert xsd.validate(corpus_tree), str(xsd.error_log)
    assert tei_all.validate(corpus_tree), str(tei_all.error_log)


def test_committed_edition_is_valid(xsd):
    files = sorted((ROOT / "corpus" / "tei").glob("*.xml"))
    assert files, "corpus/tei/ holds the built edition"
    for path in files:
        assert xsd.validate(safexml.parse_file(path)), f"{path.name}: {xsd.error_log}"


def _replace(old: str, new: str) -> bytes:
    text = PROFILE.read_text("utf-8")
    assert old in text, old
    return text.replace(old, new, 1).encode("utf-8")


@pytest.mark.parametrize("old,new", [
    # valid TEI that the project does not use: rejected, so that mistakes are reported
    ("<hi rend=\"italic\">all</hi>", "<emph>all</emph>"),
    ("<p>Plain text to TEI.</p>", "<ab>Plain text to TEI.</ab>"),
    ("<hi rend=\"italic\">all</hi>", "<hi rend=\"italic\" style=\"color:red\">all</hi>"),
    ("<item n=\"1\">", "<item n=\"1\" sortKey=\"a\">"),
    # not TEI at all
    ("</closer>", "</closer><bibl>after the closer</bibl>"),
    ("<head>THE", "<head><p>x</p>THE"),
    ("cert=\"0.9\"", "cert=\"likely\""),
    ("cert=\"0.9\"", "cert=\"2\""),
    ("when=\"1918-05-29\">May 29, 1918</date>)", "when=\"29.05.1918\">May 29, 1918</date>)"),
    ("level=\"j\"", "level=\"journal\""),
    ("<availability status=\"free\">", "<availability status=\"open\">"),
    # a single pointer holds no space (a list of pointers does: see the next test)
    ("when=\"1918-05-29\">May 29, 1918</date>)", "when=\"1918-05-29\" datingMethod=\"#julian #x\">May 29, 1918</date>)"),
    ("<editorialDecl>", "<editorialDecl><foo/>"),
])
def test_schema_is_strict(xsd, old, new):
    assert errors(xsd, _replace(old, new))


@pytest.mark.parametrize("old,new", [
    # choices the grammar leaves to the rules, and attribute forms TEI allows
    ("cert=\"0.9\"", "cert=\"unknown\""),
    ("cert=\"0.9\"", "cert=\"0\""),
    ("ref=\"#samara\"", "ref=\"#samara #vladivostok\""),
    ("when=\"1918-05-29\">May 29, 1918</date>)", "when=\"1918-05\">May 29, 1918</date>)"),
    ("<p>Writings on the mutiny.</p>", "<p>Writings on the <date when=\"1918\">1918</date> mutiny.</p>"),
])
def test_schema_accepts_tei_variants_the_project_uses(xsd, old, new):
    assert errors(xsd, _replace(old, new)) == []
