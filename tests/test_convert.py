"""End to end: the corpus converted to TEI — structure, validity, losslessness, determinism."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import CORPUS, NS, SOURCE
from lxml import etree

from trotsky_tei.convert import convert_file, serialize
from trotsky_tei.export import export_tree

XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def source_text(el) -> str:
    """The source reading of an element: corrections' supplied readings left out."""
    return "".join(el.xpath(".//text()[not(ancestor::tei:corr or ancestor::tei:reg or ancestor::tei:sic[@source])]",
                            namespaces=NS))


def chunks(text: str) -> list[str]:
    return [squash(c) for c in re.split(r"\n\s*\n", text) if c.strip()]


def test_eight_documents_with_ids_and_kinds(corpus_tree):
    divs = corpus_tree.xpath("/tei:TEI/tei:text/tei:body/tei:div[@type='document']", namespaces=NS)
    assert len(divs) == 8
    assert [d.get(XML_ID) for d in divs] == [f"d{i}" for i in range(1, 9)]
    assert [d.get("subtype") for d in divs] == [
        "communique", "statement", "order", "order", "order", "report", "resolution", "article"]


def test_datelines_heads_lists_and_publication_lines(corpus_tree):
    x = lambda p: corpus_tree.xpath(p, namespaces=NS)  # noqa: E731
    assert x("string(//tei:div[@xml:id='d1']/tei:opener/tei:dateline)") == "May 29, 1918"
    assert x("string(//tei:div[@xml:id='d2']/tei:closer/tei:dateline)") == "May 31, 1918"
    assert x("string(//tei:div[@xml:id='d8']/tei:closer/tei:dateline)") == "August 14, 1918"
    assert len(x("//tei:div[@xml:id='d7']/tei:list[@type='ordered']/tei:item")) == 7
    assert x("//tei:div[@xml:id='d7']/tei:list/tei:item/tei:label/text()")[:2] == ["1.", "2."]
    bibls = x("//tei:body//tei:bibl[@type='publication']")
    assert [squash(source_text(b)) for b in bibls] == [
        squash("Published in Izv.V.Ts.I.K., No 113 June 5, 1918"),
        squash("Published in Izv.V.Ts.I.K., No.121, June 15, 1918"),
        squash("Published in Izv.V.TsJ.K., No.121, June 15, 1918"),
        squash("Izv.V.Ts.I.K., No.178, August 20, 1918"),
    ]
    heads = x("//tei:body/tei:div/tei:head")
    assert len(heads) == 8
    assert heads[1].xpath("tei:supplied/@resp", namespaces=NS) == ["#editors"]


def test_front_title_page_and_headnote(corpus_tree):
    parts = corpus_tree.xpath("//tei:front/tei:titlePage/tei:docTitle/tei:titlePart", namespaces=NS)
    assert [squash(p.xpath("string()")) for p in parts] == [
        "TheMilitaryWritingsofLeonTrotsky", "Volume1,1918", "HowtheRevolutionArmed"]
    headnote = corpus_tree.xpath("//tei:front/tei:div[@type='headnote']", namespaces=NS)[0]
    assert headnote.get("resp") == "#pearce" and headnote.get("rend") == "brackets"


def test_endnotes_and_their_references(corpus_tree):
    notes = corpus_tree.xpath("//tei:back//tei:note[@place='end']", namespaces=NS)
    assert [(n.get(XML_ID), n.get("n")) for n in notes] == [("en79", "79"), ("en80", "80"), ("en81", "81")]
    refs = corpus_tree.xpath("//tei:body//tei:ref", namespaces=NS)
    assert [(r.get("target"), r.text) for r in refs] == [("#en80", "[80]"), ("#en81", "[81]")]


def test_editorial_notes_stand_where_they_are(corpus_tree):
    notes = corpus_tree.xpath("//tei:note[@type='editorial']", namespaces=NS)
    assert len(notes) == 8
    assert all(n.get("resp") == "#pearce" and n.get("rend") == "brackets" for n in notes)
    first = notes[0]
    assert first.xpath("string()") == "?" and first.getparent().tag == "{%s}p" % NS["tei"]
    # the notes inside endnote 81 stay inside it
    assert len(corpus_tree.xpath("//tei:note[@xml:id='en81']//tei:note[@type='editorial']", namespaces=NS)) == 2


def test_every_resp_is_declared(corpus_tree):
    declared = set(corpus_tree.xpath("//tei:teiHeader//tei:respStmt/@xml:id", namespaces=NS))
    used = {v.lstrip("#") for a in corpus_tree.xpath("//@resp | //@who") for v in a.split()}
    assert used <= declared


def test_header_describes_source_and_policy(corpus_tree):
    x = lambda p: corpus_tree.xpath(p, namespaces=NS)  # noqa: E731
    bibl = x("//tei:sourceDesc/tei:bibl")[0]
    assert "How the Revolution Armed" in bibl.xpath("string(tei:title)", namespaces=NS)
    assert bibl.xpath("string(tei:editor[@role='translator'])", namespaces=NS) == "Brian Pearce"
    assert bibl.xpath("string(tei:publisher)", namespaces=NS) == "New Park Publications"
    assert x("string(//tei:publicationStmt/tei:availability/tei:licence/@target)").startswith("https://")
    for part in ("correction", "normalization", "hyphenation", "quotation"):
        assert x(f"string(//tei:editorialDecl/tei:{part})").strip()
    assert x("//tei:revisionDesc/tei:change")


def test_valid_against_full_tei(corpus_tree, tei_all):
    assert tei_all.validate(corpus_tree), tei_all.error_log.filter_from_errors()[:5]


def test_valid_against_project_schema(corpus_tree, root):
    import xmlschema

    schema = xmlschema.XMLSchema(str(root / "schemas" / "trotsky-tei.xsd"))
    errors = list(schema.iter_errors(etree.tostring(corpus_tree).decode()))
    assert not errors, [str(e)[:300] for e in errors[:3]]


def test_source_reading_gives_back_the_source(corpus_tree, source_text):
    out = export_tree(corpus_tree, "text", reading="source").decode("utf-8")
    assert squash(out) == squash(source_text)
    # paragraph breaks kept: every source paragraph is a run of whole output paragraphs
    produced = chunks(out)
    i = 0
    for chunk in chunks(source_text):
        acc = ""
        while acc != chunk:
            assert i < len(produced) and chunk.startswith(acc + produced[i]), chunk[:60]
            acc += produced[i]
            i += 1
    assert i == len(produced)


def test_deterministic(source_path):
    assert serialize(convert_file(source_path)) == serialize(convert_file(source_path))


def test_committed_edition_is_up_to_date(corpus_tree):
    committed = (CORPUS / "tei" / "1918-czechoslovak-mutiny.xml").read_bytes()
    assert committed == serialize(corpus_tree), (
        "corpus/tei/1918-czechoslovak-mutiny.xml is stale: run `make edition` and commit it")


def run_cli(*args: str, input: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "trotsky_tei", *args], input=input, capture_output=True)


def test_cli_convert_to_file_and_stdout(tmp_path):
    out = tmp_path / "out.xml"
    res = run_cli("convert", str(SOURCE), "-o", str(out))
    assert res.returncode == 0, res.stderr
    res2 = run_cli("convert", "-", input=SOURCE.read_bytes())
    assert res2.returncode == 0
    # stdin has no corpus metadata: a different header, the same text
    assert b"<div type=\"document\" subtype=\"communique\" xml:id=\"d1\" n=\"1\">" in res2.stdout
    assert out.read_bytes().startswith(b"<?xml")
    # written one document at a time, the file is the committed edition byte for byte
    assert out.read_bytes() == (CORPUS / "tei" / "1918-czechoslovak-mutiny.xml").read_bytes()


@pytest.mark.parametrize("text", [
    "",                                                    # nothing: one empty division
    "[A head-note with no document after it.]\n",         # front matter only
    "ORDER No. 1\n\nMoscow, May 5, 1918\n\nText [1].\n\n\nTELEGRAM\n\nMore.\n\n1. A note.\n",
])
def test_tei_written_in_pieces_is_the_whole_tree_serialised(text):
    from trotsky_tei.convert import analyse, build_tei, tei_chunks

    assert b"".join(tei_chunks(analyse(text, "t.txt"))) == serialize(build_tei(analyse(text, "t.txt")))


@pytest.mark.parametrize("every", [1, 2, 5])
def test_long_documents_are_written_in_parts_to_the_same_bytes(every, monkeypatch):
    """A document of more than `_DivParts.EVERY` blocks is written out child by child while it
    is woven (a book in one document is not one tree): made small here, so that the corpus's
    documents are cut everywhere, openers, lists and closers included."""
    from trotsky_tei import convert

    monkeypatch.setattr(convert._DivParts, "EVERY", every)
    written = []
    grow = convert._DivParts._write
    monkeypatch.setattr(convert._DivParts, "_write", lambda self, div, n, tail: (written.append(n), grow(self, div, n, tail))[1])
    doc = convert.analyse_path(SOURCE)
    assert b"".join(convert.tei_chunks(doc)) == serialize(convert.build_tei(convert.analyse_path(SOURCE)))
    assert sum(written) > len(doc.divs) * every


@pytest.mark.parametrize("content,expect", [
    (b"", "empty"),
    (b"\x00\x01\x02\xff\xfe\x00binary", "binary"),
    (b"caf\xe9 au lait and more text in Latin-1 \xe9\xe8", "--encoding"),
])
def test_cli_bad_input_one_line_exit_1_no_output(tmp_path, content, expect):
    src = tmp_path / "bad.txt"
    src.write_bytes(content)
    out = tmp_path / "bad.xml"
    res = run_cli("convert", str(src), "-o", str(out))
    err = res.stderr.decode()
    assert res.returncode == 1
    assert len(err.strip().splitlines()) == 1 and str(src) in err and expect in err
    assert "Traceback" not in err
    assert not out.exists()
    assert src.read_bytes() == content


def test_cli_usage_error_exit_2():
    assert run_cli("convert").returncode == 2
    assert run_cli("convert", "--no-such-option", "x").returncode == 2


def test_source_encoding_from_metadata(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "source").mkdir(parents=True)
    (corpus / "metadata").mkdir()
    src = corpus / "source" / "t.txt"
    src.write_bytes(b"TELEGRAM TO THE FRONT\n\nThe \x93enemy\x94 retreats.\n")
    res = run_cli("convert", str(src))
    assert res.returncode == 1 and b"--encoding cp1252" in res.stderr
    (corpus / "metadata" / "t.toml").write_text('source_encoding = "cp1252"\n', "utf-8")
    res = run_cli("convert", str(src))
    assert res.returncode == 0, res.stderr
    assert "“<q>enemy</q>”" in res.stdout.decode("utf-8")


def test_exports_leave_the_tree_untouched(source_path):
    tree = convert_file(source_path)
    before = serialize(tree)
    for target in ("text", "html", "dc", "ead", "csv", "json", "fo"):
        export_tree(tree, target)
        assert serialize(tree) == before, target


def test_standoff_records_are_cleaned_copies_of_their_own():
    """A record is cleaned and parsed once per process (`authority.cleaned`); each standOff gets
    a copy of its own, the same bytes as cleaning the record anew (comments and layout
    whitespace gone, the space between the parts of a name kept)."""
    from trotsky_tei import authority
    from trotsky_tei.convert import standoff
    from trotsky_tei.model import Document

    rec = etree.fromstring(
        '<person xmlns="http://www.tei-c.org/ns/1.0" xml:id="p1">\n  <!-- a note -->\n  <persName>'
        '<forename>Lev</forename> <surname>Trotsky</surname></persName>\n  <idno type="x">1</idno>\n</person>')
    shared = authority.cleaned(rec)
    assert authority.cleaned(rec) is shared and shared is not rec
    docs = [Document("-", "", records={"p1": authority.cleaned(rec)}) for _ in range(2)]
    first, second = (standoff(d)[0][0] for d in docs)
    assert first is not second and shared not in (first, second)
    assert etree.tostring(shared) == (
        b'<person xmlns="http://www.tei-c.org/ns/1.0" xml:id="p1"><persName><forename>Lev</forename> '
        b'<surname>Trotsky</surname></persName><idno type="x">1</idno></person>')

    def nodes(el):
        return [(e.tag, dict(e.attrib), e.text, e.tail if e is not el else None) for e in el.iter()]

    assert nodes(first) == nodes(second) == nodes(shared)
    first.set("n", "changed")
    assert shared.get("n") is None and standoff(docs[1])[0][0].get("n") is None


def test_header_ids_are_read_once_per_shared_attribute_mapping():
    """The header reads each attribute mapping once (the spans of one name share theirs): the
    ids found are those of a look at every span and reading."""
    from trotsky_tei.convert import analyse
    from trotsky_tei.header import _attribute_maps, _used_ids

    doc = analyse(SOURCE.read_text(encoding="utf-8"), str(SOURCE))
    spans = [s for b in doc.blocks for s in b.spans]
    every = [s.attrs for s in spans] + [r.attrs for s in spans for r in s.readings]
    maps = _attribute_maps(doc)
    assert len(maps) < len(every)
    for attrs in (("resp",), ("calendar", "datingMethod")):
        expected = {x.lstrip("#") for a in every for k in attrs for x in (a.get(k) or "").split() if x.startswith("#")}
        assert _used_ids(maps, *attrs) == expected and expected


def test_a_paragraph_as_long_as_a_text_is_written_in_parts(monkeypatch):
    """A source without line breaks is one paragraph: its finished elements are written out
    while it is woven, and the file is the whole tree serialised."""
    from trotsky_tei import convert

    text = " ".join(SOURCE.read_text(encoding="utf-8").split())
    begun = []
    grow = convert._DivParts.grow
    monkeypatch.setattr(convert._DivParts, "grow",
                        lambda self, el: (grow(self, el), begun.append(self.open is not None))[0])
    chunks = b"".join(convert.tei_chunks(convert.analyse(text, "one.txt")))
    assert chunks == serialize(convert.build_tei(convert.analyse(text, "one.txt")))
    assert any(begun)
