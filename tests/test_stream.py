"""Bounded-memory exports: `tts:stream` and `tts:cut` (trotsky_tei/stream.py).

Every streamed export must be byte for byte what its stylesheet writes without streaming, and
what another XSLT processor writes by running the `xsl:fallback`s; the result tree must hold only
the frame of the output, not its pieces."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from lxml import etree

from trotsky_tei import export, safexml, stream, xhtml
from trotsky_tei.convert import convert_file

ROOT = Path(__file__).resolve().parents[1]
#: every stylesheet that streams, with the parameters of its runs
RUNS = [("html", {}), ("html", {"reading": "source"}), ("fo", {}), ("text", {"reading": "source"}),
        ("text", {"reading": "corrected"}), ("csv", {}), ("json", {}), ("ead", {})]


@pytest.fixture(autouse=True)
def every_input_streams(monkeypatch):
    """The test inputs are short: streamed here as only long ones are in use."""
    monkeypatch.setattr(stream, "STREAM_FROM", 0)


@pytest.fixture(scope="module")
def long_tree(tmp_path_factory):
    """The corpus three times over in one file: more than 500 name mentions, so that the rows of
    the tables are cut, and documents of many kinds."""
    import sys

    sys.path.insert(0, str(ROOT))
    from bench.scale import make_corpus

    scaled = make_corpus(ROOT / "corpus", tmp_path_factory.mktemp("scaled") / "c", 3, "single")
    (src,) = sorted((scaled / "source").glob("*.txt"))
    return convert_file(src)


def _plain(name: str, extensions: bool) -> etree.XSLT:
    """The stylesheet compiled as the toolkit does (the extension known, no run: the pieces stay in
    the result) or as another processor sees it (the extension unknown: its fallback runs)."""
    path = export.xslt_dir() / name
    return safexml.load_stylesheet(path, root=export.xslt_dir(),
                                   extensions=stream.EXTENSIONS if extensions else None)


def _written(name: str, result: etree._XSLTResultTree) -> bytes:
    """The bytes of a transformation's result as the toolkit writes them: polyglot HTML with the
    end tags HTML needs (see xhtml.py)."""
    method, _ = stream.output_method(etree.parse(str(export.xslt_dir() / name)))
    return xhtml.end_tags(bytes(result)) if method == "xhtml" else bytes(result)


@pytest.mark.parametrize("target,params", RUNS, ids=[f"{t}-{'-'.join(p.values()) or 'default'}" for t, p in RUNS])
def test_streamed_output_is_the_output_without_streaming(long_tree, target: str, params: dict) -> None:
    name = export.TARGETS[target][0]
    strparams = {k: etree.XSLT.strparam(v) for k, v in params.items()}
    streamed = export.export_tree(long_tree, target, **params)
    assert _written(name, _plain(name, True)(long_tree, **strparams)) == streamed
    assert _written(name, _plain(name, False)(long_tree, **strparams)) == streamed   # xsl:fallback


def test_the_result_tree_holds_only_the_frame(long_tree) -> None:
    """What libxslt builds in memory is the frame: the documents, index entries and dates are
    spooled as they are made."""
    xslt = export.stylesheet("html.xsl")
    with stream.running("html") as run:
        result = safexml.transform(xslt, long_tree)
    frame = bytes(result)
    output = b"".join(run.output(result))
    assert len(run.pieces) >= 5   # the body, the three parts of the index, the timeline, the chronology
    assert len(frame) < len(output) / 5
    assert b"<article" not in frame and b"<article" in output


def test_pieces_spill_to_a_temporary_file(long_tree, monkeypatch) -> None:
    in_memory = export.export_tree(long_tree, "json")
    monkeypatch.setattr(stream, "SPOOL_MEMORY", 1000)
    pieces = export.export_pieces(long_tree, "json")
    assert b"".join(pieces) == in_memory


def test_a_piece_inside_a_piece_is_a_piece_of_its_own() -> None:
    """A document within a document (a letter quoted whole in a report) is a piece of its own,
    spooled before the outer piece ends: the outer piece keeps its number where it stands."""
    sheet = etree.XML(f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
        xmlns:tts="{stream.NS}" extension-element-prefixes="tts">
      <xsl:output method="html" indent="no"/>
      <xsl:template match="d"><tts:stream><section><xsl:apply-templates/></section></tts:stream></xsl:template>
      <xsl:template match="/"><main><xsl:apply-templates/></main></xsl:template>
    </xsl:stylesheet>""")
    xslt = etree.XSLT(sheet, extensions=stream.EXTENSIONS)
    doc = etree.XML("<r><d>a<d>b</d>c</d><d>e &amp; f</d></r>")
    with stream.running("html") as run:
        result = xslt(doc)
    assert b"".join(run.output(result)) == bytes(xslt(doc)) == \
        b"<main><section>a<section>b</section>c</section><section>e &amp; f</section></main>\n"
    inner, outer, last = run.pieces
    assert 0 in outer and all(isinstance(part, tuple) for part in inner + last)


@pytest.mark.parametrize("method,indent", [("html", "no"), ("xml", "no"), ("xml", "yes"), ("text", "no")])
def test_pieces_within_pieces_cut_at_every_depth(method: str, indent: str) -> None:
    """Chapters of a book in one document, each cut after its sections: every level is written
    out as it is made, and the output is what the stylesheet writes without streaming."""
    sheet = etree.XML(f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
        xmlns:tts="{stream.NS}" extension-element-prefixes="tts" {'xmlns="urn:x-example"' * (method == "xml")}>
      <xsl:output method="{method}" indent="{indent}"/>
      <xsl:template match="/"><book><front>t</front><xsl:apply-templates/><back/></book></xsl:template>
      <xsl:template match="d"><part n="{{@n}}"><h>head</h>
        <tts:stream><xsl:for-each select="*"><xsl:apply-templates select="."/><tts:cut/></xsl:for-each></tts:stream>
        <end/></part></xsl:template>
      <xsl:template match="p"><para><xsl:value-of select="."/> <em>x</em></para></xsl:template>
    </xsl:stylesheet>""")
    xslt = etree.XSLT(sheet, extensions=stream.EXTENSIONS)
    doc = etree.XML("<r><d n='1'><p>a</p><d n='2'><p>b</p><d n='3'><p>c</p><p>d</p></d><p>e</p></d>"
                    "<p>f</p></d><d n='4'><p>g</p></d></r>")
    with stream.running(method, indent == "yes") as run:
        result = xslt(doc)
        frame = bytes(result)
    assert b"".join(run.output(result)) == bytes(xslt(doc))
    assert len(run.pieces) == 4 and run.cuts >= 4 + 8   # the end of each piece, a cut after each child
    assert b"head" in frame and b"bx" not in frame and b"para" not in frame


def test_indented_xml_keeps_the_indentation_of_each_depth() -> None:
    sheet = etree.XML(f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
        xmlns:tts="{stream.NS}" extension-element-prefixes="tts" xmlns="urn:x-example">
      <xsl:output method="xml" indent="yes"/>
      <xsl:template match="/"><a><b><c><xsl:for-each select="//i">
        <tts:stream><item n="{{.}}"><sub><x/></sub><p>text <em>mixed</em></p></item></tts:stream>
        <xsl:if test="position() = 2"><tts:stream><xsl:for-each select="//i"><row/><tts:cut/></xsl:for-each></tts:stream></xsl:if>
      </xsl:for-each></c></b></a></xsl:template>
    </xsl:stylesheet>""")
    xslt = etree.XSLT(sheet, extensions=stream.EXTENSIONS)
    doc = etree.XML("<r><i>1</i><i>2</i><i>3</i></r>")
    with stream.running("xml", indent=True) as run:
        result = xslt(doc)
    streamed = b"".join(run.output(result))
    assert streamed == bytes(xslt(doc))
    assert b'\n      <item n="1">\n        <sub>\n          <x/>' in streamed
    assert b"\n      <row/>\n      <row/>\n      <row/>\n" in streamed


def test_a_cut_inside_an_element_of_the_piece_does_nothing() -> None:
    """Emptying the piece there would take the element the transformation is writing into: the
    cut is skipped, and the piece is written whole."""
    sheet = etree.XML(f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
        xmlns:tts="{stream.NS}" extension-element-prefixes="tts">
      <xsl:template match="/"><r><tts:stream><row>a<tts:cut/>b</row><tts:cut/><row>c</row></tts:stream></r></xsl:template>
    </xsl:stylesheet>""")
    xslt = etree.XSLT(sheet, extensions=stream.EXTENSIONS)
    with stream.running("xml") as run:
        result = xslt(etree.XML("<x/>"))
    assert b"".join(run.output(result)) == bytes(xslt(etree.XML("<x/>"))) == \
        b'<?xml version="1.0"?>\n<r><row>ab</row><row>c</row></r>\n'
    assert run.cuts == 2 and len(run.pieces) == 1   # the cut between the rows, and the end


def test_exports_on_two_threads_keep_their_pieces_apart(long_tree, corpus_tree) -> None:
    expected = {id(t): export.export_tree(t, "html") for t in (long_tree, corpus_tree)}
    got: dict[int, list[bytes]] = {id(long_tree): [], id(corpus_tree): []}

    def work(tree) -> None:
        for _ in range(3):
            got[id(tree)].append(export.export_tree(tree, "html"))

    threads = [threading.Thread(target=work, args=(t,)) for t in (long_tree, corpus_tree)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for key, outputs in got.items():
        assert outputs == [expected[key]] * 3


def test_a_failed_export_leaves_no_run_behind(tmp_path) -> None:
    """An error in the transformation is reported as usual; the next export streams normally."""
    sheet = tmp_path / "bad.xsl"
    sheet.write_text('<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
                     '<xsl:template match="/"><xsl:message terminate="yes">stop</xsl:message></xsl:template>'
                     "</xsl:stylesheet>")
    xslt = export.compile_stylesheet(sheet)
    from trotsky_tei.messages import TrotskyTeiError

    with pytest.raises(TrotskyTeiError):
        export.run_stylesheet(xslt, etree.ElementTree(etree.XML("<x/>")), "test")
    assert stream._CURRENT.run is None


def test_only_long_inputs_are_streamed(corpus_tree, monkeypatch) -> None:
    """A short edition is built whole (cutting it into pieces would cost more than it saves)."""
    made: list[stream.Run] = []
    real = stream.running

    def spy(*args, **kwargs):
        ctx = real(*args, **kwargs)
        made.append(ctx.run)
        return ctx

    monkeypatch.setattr(stream, "running", spy)
    elements = sum(1 for _ in corpus_tree.iter(etree.Element))
    monkeypatch.setattr(stream, "STREAM_FROM", elements + 1)
    short = export.export_tree(corpus_tree, "html")
    assert made == []
    monkeypatch.setattr(stream, "STREAM_FROM", elements)
    assert export.export_tree(corpus_tree, "html") == short
    assert len(made) == 1 and len(made[0].pieces) >= 5


@pytest.fixture(scope="module")
def chapters_tree(long_tree, tmp_path_factory):
    """The same text as a book of chapters without documents, and 150 paragraphs standing in the
    body itself after them: the body is cut after each chapter and every 64 children."""
    import copy

    tree = copy.deepcopy(long_tree)
    body = tree.find("{http://www.tei-c.org/ns/1.0}text/{http://www.tei-c.org/ns/1.0}body")
    for p in list(body.iter("{http://www.tei-c.org/ns/1.0}p"))[:150]:
        p = copy.deepcopy(p)
        for el in p.iter():
            el.attrib.pop("{http://www.w3.org/XML/1998/namespace}id", None)
        body.append(p)
    return _reshaped(tree, tmp_path_factory, "chapters")


def _reshaped(tree, tmp_path_factory, shape: str):
    """`tree` reshaped by the benchmark's `reshape_tei` (a book of chapters, one document)."""
    import sys

    sys.path.insert(0, str(ROOT))
    from bench.scale import reshape_tei

    path = tmp_path_factory.mktemp(shape) / "in.xml"
    tree.write(str(path))
    reshape_tei(path, path, shape)
    return etree.parse(str(path))


@pytest.mark.parametrize("target,params", RUNS[:5], ids=[f"{t}-{'-'.join(p.values()) or 'default'}" for t, p in RUNS[:5]])
def test_a_body_of_chapters_is_written_out_in_pieces(chapters_tree, target, params, monkeypatch) -> None:
    cuts = _cuts_of_the_export(chapters_tree, target, params, monkeypatch)
    chapters = len(chapters_tree.findall("{http://www.tei-c.org/ns/1.0}text/{http://www.tei-c.org/ns/1.0}body/"
                                         "{http://www.tei-c.org/ns/1.0}div"))
    assert chapters > 10 and len(cuts) > chapters + 2


@pytest.mark.parametrize("reading", ["corrected", "source"])
def test_a_long_list_of_notes_is_written_out_in_pieces(chapters_tree, reading, monkeypatch) -> None:
    """The notes of a text without documents are listed at the end of the body, those of a book
    in one document at its end: a list of more than 64 is a piece of its own, cut every 64
    notes (whole, the list of the chapters' text at 1000 times the corpus held 111 MB)."""
    lists: list[list[str]] = []
    cut = stream.Run.cut

    def watch(run):
        kids = [(etree.QName(k).localname, (k.get("class") or "").split()[:1]) for k in run.holder]
        if kids and all(kid == ("li", ["note"]) for kid in kids):      # a piece of notes alone
            lists.append([name for name, _ in kids])
        return cut(run)

    import copy

    tree = copy.deepcopy(chapters_tree)
    body = tree.find("{http://www.tei-c.org/ns/1.0}text/{http://www.tei-c.org/ns/1.0}body")
    noted = [p for p in body.iter("{http://www.tei-c.org/ns/1.0}p") if p.find(".//{http://www.tei-c.org/ns/1.0}note") is not None]
    for p in noted * 3:                 # more notes: the body's paragraphs with notes again
        p = copy.deepcopy(p)
        for el in p.iter():
            el.attrib.pop("{http://www.w3.org/XML/1998/namespace}id", None)
        body.append(p)
    monkeypatch.setattr(stream.Run, "cut", watch)
    html = _cuts_of_the_export(tree, "html", {"reading": reading}, monkeypatch)
    notes = tree.xpath("count(/tei:TEI/tei:text/tei:body//tei:note[not(@place='end' or @type='publication')]"
                                "[not(ancestor::tei:note[@place='end'])])", namespaces={"tei": export.TEI_NS})
    assert html and notes > 64
    assert len(lists) >= notes // 64 and max(map(len, lists)) <= 64 and sum(map(len, lists)) >= notes - 64


def _cuts_of_the_export(tree, target: str, params: dict, monkeypatch) -> list[int]:
    """Export `tree`, check the output against the stylesheet's fallbacks, and return how much
    the piece being cut held at each cut: elements, or for the plain text (which makes no
    elements), characters."""
    held: list[int] = []
    cut = stream.Run.cut

    def size(holder: etree._Element) -> int:
        return len("".join(holder.itertext())) if target == "text" else sum(1 for _ in holder.iter())

    monkeypatch.setattr(stream.Run, "cut", lambda run: (held.append(size(run.holder)), cut(run))[1])
    streamed = export.export_tree(tree, target, **params)
    strparams = {k: etree.XSLT.strparam(v) for k, v in params.items()}
    name = export.TARGETS[target][0]
    assert _written(name, _plain(name, False)(tree, **strparams)) == streamed
    return held


@pytest.fixture(scope="module")
def one_document_tree(long_tree, tmp_path_factory):
    """The same text as one document of chapters (a book in one document)."""
    return _reshaped(long_tree, tmp_path_factory, "one-document")


@pytest.mark.parametrize("target,params", RUNS[:5], ids=[f"{t}-{'-'.join(p.values()) or 'default'}" for t, p in RUNS[:5]])
def test_a_book_in_one_document_is_written_out_in_pieces(one_document_tree, target, params, monkeypatch) -> None:
    """The document's content is a piece inside the body's, cut after each chapter: no piece
    holds more than a small part of the output at once (the plain text too: the text of a book
    in one document at 1000 times the corpus held 786 MB at once, against 608 cut)."""
    held = _cuts_of_the_export(one_document_tree, target, params, monkeypatch)
    document = one_document_tree.find("{http://www.tei-c.org/ns/1.0}text/{http://www.tei-c.org/ns/1.0}body/"
                                      "{http://www.tei-c.org/ns/1.0}div")
    assert document.get("type") == "document"
    whole = len("".join(document.itertext())) if target == "text" else sum(1 for _ in document.iter())
    assert sum(held) > whole / 2   # the text went through the pieces
    assert max(held) < whole / 4   # whole, it would be more than all of it


@pytest.mark.parametrize("target,params", RUNS[:5], ids=[f"{t}-{'-'.join(p.values()) or 'default'}" for t, p in RUNS[:5]])
def test_a_cut_that_falls_on_a_text_node(corpus_tree, target, params) -> None:
    """The 64th child of a body is the whitespace after a paragraph: its cut still runs (on
    the body: lxml calls no extension element with a text node for context)."""
    import copy

    tree = copy.deepcopy(corpus_tree)
    body = tree.find("{http://www.tei-c.org/ns/1.0}text/{http://www.tei-c.org/ns/1.0}body")
    p = copy.deepcopy(body.find(".//{http://www.tei-c.org/ns/1.0}p"))
    for el in p.iter():
        el.attrib.pop("{http://www.w3.org/XML/1998/namespace}id", None)
    p.tail = "\n"
    body.clear()
    body.extend(copy.deepcopy(p) for _ in range(100))
    assert isinstance(body.xpath("node()[64]")[0], str)
    name = export.TARGETS[target][0]
    strparams = {k: etree.XSLT.strparam(v) for k, v in params.items()}
    assert export.export_tree(tree, target, **params) == _written(name, _plain(name, False)(tree, **strparams))


@pytest.fixture(scope="module")
def one_paragraph_tree(long_tree):
    """The paragraphs of the text run together into one (a source without line breaks)."""
    import copy

    tei = "{http://www.tei-c.org/ns/1.0}"
    tree = copy.deepcopy(long_tree)
    body = tree.find(f"{tei}text/{tei}body")
    whole = etree.Element(f"{tei}p")
    whole.text = ""
    for p in list(body.iter(f"{tei}p")):
        whole.append(etree.Element(f"{tei}lb"))    # each paragraph's text, after a line break
        whole[-1].tail = p.text
        whole.extend(p)
    body.clear()
    document = etree.SubElement(body, f"{tei}div", type="document", n="1")
    document.append(whole)
    return tree


@pytest.mark.parametrize("target,params", RUNS[:5], ids=[f"{t}-{'-'.join(p.values()) or 'default'}" for t, p in RUNS[:5]])
def test_a_text_in_one_paragraph_is_written_out_in_pieces(one_paragraph_tree, target, params, monkeypatch) -> None:
    held = _cuts_of_the_export(one_paragraph_tree, target, params, monkeypatch)
    (p,) = one_paragraph_tree.iterfind("{*}text/{*}body//{*}p")
    assert len(p) > 1000
    assert max(held) < (len("".join(p.itertext())) if target == "text" else len(p)) / 4
