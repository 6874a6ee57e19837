"""The weaver: whatever spans the passes propose, every character is emitted once, in order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from trotsky_tei.messages import Reporter
from trotsky_tei.model import Block
from trotsky_tei.spans import Reading, Span
from trotsky_tei.weave import Emitter, nest, resolve, stretches, tei, weave_block

TAGS = ["persName", "placeName", "orgName", "date", "q", "note", "choice", "ref"]


def source_reading(el: etree._Element) -> str:
    """Text of the woven element as the source reading sees it: the transcribed reading of a
    choice, brackets restored around notes with rend="brackets"."""
    out: list[str] = []

    def content(e: etree._Element) -> None:
        out.append(e.text or "")
        for k in e:
            walk(k)
            out.append(k.tail or "")

    def walk(e: etree._Element) -> None:
        local = etree.QName(e).localname
        if local == "choice":
            walk([k for k in e if k.get("source") is None][0])
        elif local == "note" and e.get("rend") == "brackets":
            out.append("[")
            content(e)
            out.append("]")
        else:
            content(e)

    content(el)
    return "".join(out)


@st.composite
def block_with_spans(draw):
    text = draw(st.text(alphabet="abc [[]](),.‘’\n", min_size=0, max_size=60))
    n = len(text)
    spans = []
    for _ in range(draw(st.integers(0, 8))):
        a = draw(st.integers(0, n))
        b = draw(st.integers(a, n))
        tag = draw(st.sampled_from(TAGS))
        delims, attrs = (0, 0), {}
        if tag == "note":
            if b - a >= 2 and text[a] == "[" and text[b - 1] == "]":
                delims, attrs = (1, 1), {"rend": "brackets"}
            else:
                tag = "q"
        readings = ()
        if tag == "choice":
            readings = (Reading("sic"), Reading("corr", {"resp": "#x"}, "fixed"))
        spans.append(Span(a, b, tag, attrs, draw(st.integers(0, 100)), delims, readings))
    return text, spans


@settings(max_examples=300, deadline=None)
@given(block_with_spans())
def test_weave_keeps_every_character_in_order(data):
    text, spans = data
    block = Block("p", text, 1, spans=list(spans))
    p = tei("p")
    weave_block(p, block, Reporter())
    assert source_reading(p) == text


@settings(max_examples=500, deadline=None)
@given(block_with_spans())
def test_weaving_stretch_by_stretch_is_weaving_the_block_whole(data):
    """A block is resolved, nested and written one stretch of spans at a time (what a text
    without line breaks holds at once is then a stretch, not the text): the same elements, and
    the same messages, as all its spans at once."""
    from trotsky_tei import weave

    text, spans = data
    block = Block("p", text, 1, spans=list(spans))
    by_stretch, whole = tei("p"), tei("p")
    rep_stretch, rep_whole = Reporter(), Reporter()
    few, weave.STRETCHES_FROM = weave.STRETCHES_FROM, 0     # a block of any size in stretches
    try:
        weave_block(by_stretch, block, rep_stretch)
        groups = list(stretches(list(spans)))
    finally:
        weave.STRETCHES_FROM = few
    Emitter(text, False).emit(whole, 0, len(text), nest(resolve(list(spans), rep_whole, block)))
    assert etree.tostring(by_stretch) == etree.tostring(whole)
    assert sorted(m.render() for m in rep_stretch.messages) == sorted(m.render() for m in rep_whole.messages)
    assert sorted(map(id, (s for g in groups for s in g))) == sorted(map(id, spans))
    for g, h in zip(groups, groups[1:]):           # in the order of the text, apart
        assert max(s.end for s in g) < min(s.start for s in h)


def test_crossing_name_is_dropped_and_quote_split():
    text = "said ‘General Lavergne’ to Lockhart"
    block = Block("p", text, 1, spans=[
        Span(5, 22, "q", priority=30),           # ‘General Lavergne’ inner quote... crosses name
        Span(14, 27, "persName", priority=60),   # "Lavergne’ to" (a bad proposal)
        Span(14, 22, "persName", priority=60),
    ])
    rep = Reporter()
    p = tei("p")
    weave_block(p, block, rep)
    assert "".join(p.itertext()) == text
    assert [m.kind for m in rep.messages].count("span-dropped") + [m.kind for m in rep.messages].count("span-split") >= 1


def test_choice_reading_with_supplied_text():
    text = "a quarter 9f its membership"
    block = Block("p", text, 1, spans=[
        Span(10, 12, "choice", readings=(Reading("sic"), Reading("corr", {"resp": "#trotsky-tei", "cert": "high"}, "of")))])
    p = etree.Element("{http://www.tei-c.org/ns/1.0}p", nsmap={None: "http://www.tei-c.org/ns/1.0"})
    weave_block(p, block, Reporter())
    s = etree.tostring(p, encoding="unicode")
    assert '<choice><sic>9f</sic><corr resp="#trotsky-tei" cert="high">of</corr></choice>' in s


def test_quotation_crossing_nested_notes_terminates():
    """A quotation that crosses a note nested in another note is split or dropped, never looped on."""
    from trotsky_tei.convert import analyse, build_tei

    text = "ORDER No. 1\n\nx [a [b ‘c d] e’ f] g\n"
    doc = analyse(text, "t", passes=["notes", "quotes"])
    tree = build_tei(doc)
    body = "".join(tree.getroot().itertext())
    for ch in "xabcdefg":
        assert ch in body
