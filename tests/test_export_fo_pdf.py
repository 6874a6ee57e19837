"""The print edition: XSL-FO rendered by its real consumer, Apache FOP, and the PDF read back
with pdftotext (poppler). Page images for a look: `pdftoppm -png -r 60` on the saved PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from conftest import NS, ROOT
from lxml import etree

from trotsky_tei import pdf
from trotsky_tei.export import export_tree
from trotsky_tei.messages import TrotskyTeiError
from trotsky_tei.safexml import parse_file

SAMPLE = ROOT / "tests" / "fixtures" / "sample.xml"
FO = "http://www.w3.org/1999/XSL/Format"


def _tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is not installed: run `make system-deps` (Debian packages fop, poppler-utils)"
    return found


def pages_of(pdf_path) -> list[str]:
    """The text of each page (form feed separated), in physical order."""
    out = subprocess.run([_tool("pdftotext"), "-layout", str(pdf_path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8").split("\f")[:-1]


def drop(el) -> None:
    """Remove an element, keeping the text that follows it."""
    parent, prev = el.getparent(), el.getprevious()
    if el.tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def page_label(text: str) -> str:
    """The printed page number: the last word of the running head (first non-empty line)."""
    head = next(line for line in text.splitlines() if line.strip())
    return head.split()[-1]


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory):
    _tool("fop")
    out = tmp_path_factory.mktemp("pdf") / "sample.pdf"
    out.write_bytes(export_tree(parse_file(SAMPLE), "pdf"))
    return out


def test_fo_structure():
    fo = etree.fromstring(export_tree(parse_file(SAMPLE), "fo"))
    ns = {"fo": FO}
    assert len(fo.xpath("//fo:page-sequence", namespaces=ns)) == 3          # title, front, text
    markers = fo.xpath("//fo:marker[@marker-class-name='running-head']", namespaces=ns)
    assert [m.xpath("string()").split(". ", 1)[0] for m in markers][:3] == ["1", "2", "3"]
    assert fo.xpath("//fo:retrieve-marker[@retrieve-class-name='running-head']", namespaces=ns)
    assert fo.xpath("//fo:footnote", namespaces=ns)
    ids = fo.xpath("//@id")
    assert len(ids) == len(set(ids))
    cited = set(fo.xpath("//fo:page-number-citation/@ref-id", namespaces=ns))
    assert cited <= set(ids)


def test_pdf_pages_heads_notes_apparatus_index(sample_pdf):
    pages = pages_of(sample_pdf)
    assert "Sample writings" in pages[0] and "Leon Trotsky" in pages[0]
    labels = [page_label(p) if p.strip() and i else "" for i, p in enumerate(pages)]
    where = {}                                   # page label -> text
    for label, text in zip(labels, pages):
        where[label] = text
    # Contents: each document with the page its heading stands on.
    contents = next(p for p in pages if "Contents" in p and "Index of names" in p)
    for n, title in (("1", "THE MUTINY"), ("2", "To all units"), ("3", "French agents in Samara")):
        m = re.search(rf"{n}\. {re.escape(title)}.*?\.{{3,}}\s*(\w+)", contents)
        assert m, title
        page = where[m.group(1)]
        assert title in page.split("\n", 1)[0], "running head names the document"
        assert f"{n}. {title}" in page
    # The translator's note is a footnote on the page of its marker.
    p2 = where[re.search(r"2\. To all units.*?\.{3,}\s*(\w+)", contents).group(1)]
    assert "The text has ‘July 4’, but this is evidently a mistake for ‘April 4’." in p2
    # The corrected reading is printed; the apparatus gives page, reading] source reading (who).
    body = "".join(where[k] for k in where if k.isdigit())
    assert "confused by agents" in body and "con fused" not in body.split("Corrections")[0]
    app = next(p for p in pages if "Corrections" in p.split("\n", 1)[0])
    entry = re.search(r"p\. (\w+): April 4\] July 4 \(note of Brian Pearce\)", app)
    assert entry and "April 4" in where[entry.group(1)]
    assert re.search(r"p\. (\w+): confused\] con fused \(corrected by trotsky-tei, certainty high\)", app)
    # Index of names: the pages of every mention.
    index = next(p for p in pages if "Index of names" in p.split("\n", 1)[0])
    line = re.search(r"Samara ([\w, ]+)", index).group(1)
    cited = [x.strip() for x in line.split(",")]
    assert cited and all("Samara" in where[c] for c in cited)
    assert len(cited) == 2


def test_corpus_pdf(corpus_tree, tmp_path):
    _tool("fop")
    out = tmp_path / "corpus.pdf"
    out.write_bytes(export_tree(corpus_tree, "pdf"))
    pages = pages_of(out)
    assert len(pages) > 10
    text = "\n".join(pages)
    heads = corpus_tree.xpath("//tei:body//tei:div[@type='document']/tei:head", namespaces=NS)
    for head in heads:
        head = etree.fromstring(etree.tostring(head))
        for el in head.xpath(".//tei:choice[tei:corr or tei:reg]/*[not(self::tei:corr or self::tei:reg)]"
                             " | .//tei:note | .//tei:ref", namespaces=NS):
            drop(el)
        first_words = " ".join(head.xpath("string()").split()[:3])
        assert first_words in text, first_words
    for part in ("Contents", "Notes", "Index of names"):
        assert part in text
    choices = corpus_tree.xpath("//tei:text//tei:choice[tei:corr or tei:reg]", namespaces=NS)
    entries = re.findall(r"^\s*p\. \w+: .+\] ", text, re.M)
    assert len(entries) == len(choices)
    # Index: persons inverted and sorted, one citation per page.
    persons = re.split(r"^\s*Places\s*$", re.split(r"^\s*Persons\s*$", text, flags=re.M)[-1], flags=re.M)[0]
    lines = [ln.strip() for ln in persons.splitlines() if re.search(r"[ivx\d]+$", ln.strip())]
    assert lines
    for line in lines:
        cited = re.search(r"((?:[ivx]+|\d+)(?:, (?:[ivx]+|\d+))*)$", line).group(1).split(", ")
        assert len(cited) == len(set(cited)), line
    assert any(ln.startswith("Trotsky, Leon") for ln in lines)
    subprocess.run([_tool("pdftoppm"), "-png", "-r", "40", "-f", "1", "-l", "4", str(out), str(tmp_path / "page")],
                   check=True)
    assert len(list(tmp_path.glob("page-*.png"))) == 4


def test_pdf_is_byte_identical_across_runs(sample_pdf):
    again = export_tree(parse_file(SAMPLE), "pdf")
    assert again == sample_pdf.read_bytes()


def test_list_labels_stand_once_in_the_label_column():
    fo = etree.fromstring(export_tree(parse_file(SAMPLE), "fo"))
    labels = fo.xpath("//fo:list-item-label", namespaces={"fo": FO})
    assert [x.xpath("string()").strip() for x in labels] == ["1", "2"]


def test_missing_fop_is_one_clear_line(monkeypatch):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    with pytest.raises(TrotskyTeiError) as err:
        export_tree(parse_file(SAMPLE), "pdf")
    assert err.value.message.text == "fop not found: install Apache FOP (apt-get install fop)"


def test_missing_fop_from_the_command_line(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    out = tmp_path / "x.pdf"
    proc = subprocess.run([sys.executable, "-m", "trotsky_tei", "export", str(SAMPLE), "--to", "pdf", "-o", str(out)],
                          env={"PATH": str(empty), "HOME": str(tmp_path)}, capture_output=True, text=True)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "fop not found: install Apache FOP (apt-get install fop)" in lines[0]
    assert not out.exists()
