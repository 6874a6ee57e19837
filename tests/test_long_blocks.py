"""A block may be a whole text (a source without blank lines between its paragraphs): what the
converter does per span or per date is looked up near it, not in the whole block. These tests
check the look-ups against the plain scans they replace, on generated spans and texts; how the
time grows with the length of a block is measured by the benchmark (`make bench`, "shapes")."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import replace

from hypothesis import example, given, settings
from hypothesis import strategies as st

from trotsky_tei.messages import Reporter
from trotsky_tei.model import Block
from trotsky_tei.passes.dates import _ANY_MONTH, _SENTENCE_END, _last_match, sentence_of
from trotsky_tei.spans import SPLITTABLE, Span, SpanIndex
from trotsky_tei.weave import resolve

TAGS = ["persName", "placeName", "date", "q", "quote", "note", "choice", "hi"]


@st.composite
def spans(draw, length: int = 2000) -> list[Span]:
    out = []
    for _ in range(draw(st.integers(0, 120))):
        start = draw(st.integers(0, length))
        size = draw(st.one_of(st.integers(0, min(40, length)), st.integers(0, length // 2)))
        end = min(length, start + size)
        delims = draw(st.sampled_from([(0, 0), (0, 0), (1, 1)])) if end - start >= 2 else (0, 0)
        out.append(Span(start, end, draw(st.sampled_from(TAGS)), priority=draw(st.sampled_from([30, 55, 60, 70, 80])),
                        delims=delims))
    return out


class _FineIndex(SpanIndex):
    """Short stretches and no scan of the first spans: every edge case of the filing comes up."""

    STRETCH = 7
    FEW = 0


@settings(max_examples=300, deadline=None)
@example(([Span(3, 8, "q")], 7, 2), _FineIndex)        # the span's last character starts a stretch
@example(([Span(7, 7, "lb")], 3, 9), _FineIndex)       # a span of no length inside the range
@given(st.sampled_from([2000, 60]).flatmap(lambda n: st.tuples(spans(n), st.integers(0, n), st.integers(0, n))),
       st.sampled_from([SpanIndex, _FineIndex]))
def test_the_index_finds_every_span_a_range_may_cross(case, kind):
    found, start, size = case
    end = min(max(s.end for s in found) if found else 0, start + size)
    index = kind.of(found)
    near = index.overlapping(start, end)
    probe = Span(start, end, "x")
    must = [s for s in found if not (s.end <= start or end <= s.start) or (s.start, s.end) == (start, end)]
    assert [s for s in near if s in must] == must              # all of them, in the order added
    assert [s for s in found if s.crosses(probe)] == [s for s in near if s.crosses(probe)]


def _resolve_by_scanning(spans: list[Span]) -> tuple[list[Span], list[tuple[str, str, str]]]:
    """The resolution as it was written first: every accepted span tested, the waiting list sorted
    again after every split."""
    accepted, seen, notes = [], set(), []
    queue = sorted(spans, key=lambda s: (-s.priority, s.start, -(s.end - s.start)))
    while queue:
        span = queue.pop(0)
        key = (span.start, span.end, span.tag)
        if key in seen:
            continue
        crossing = [a for a in accepted if span.crosses(a)]
        if not crossing:
            accepted.append(span)
            seen.add(key)
            continue
        cuts = sorted({p for a in crossing for p in (a.start, *a.inner, a.end) if span.start < p < span.end})
        if span.tag in SPLITTABLE and span.delims == (0, 0) and cuts:
            bounds = [span.start, *cuts, span.end]
            queue[:0] = [replace(span, start=a, end=b) for a, b in zip(bounds, bounds[1:]) if b > a]
            queue.sort(key=lambda s: (-s.priority, s.start, -(s.end - s.start)))
            notes.append(("span-split", span.tag, crossing[0].tag))
            continue
        notes.append(("span-dropped", span.tag, crossing[0].tag))
    return accepted, notes


@settings(max_examples=200, deadline=None)
@given(spans())
def test_resolution_accepts_splits_and_drops_as_the_plain_scan_did(found):
    reporter = Reporter()
    accepted = resolve(found, reporter, Block("p", "x" * 2000, 1))
    expected, notes = _resolve_by_scanning(found)
    assert accepted == expected
    said = [(m.kind, *re.match(r"<(\w+)>.*? crosses <(\w+)>", m.text).groups()) for m in reporter.messages]
    assert said == notes


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Word", "word", "J.", "No.", "Mr.", "end.", "end!", "(", ")", "’", "1918.",
                                  "A", "B.", " ", "  ", "\n"]), max_size=400), st.data())
def test_a_sentence_is_found_as_by_scanning_the_whole_text(words, data):
    text = " ".join(words)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    lo = 0
    for m in _SENTENCE_END.finditer(text[:start]):
        lo = m.end()
    assert sentence_of(text, start, end)[0] == lo


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["May", "June", "Sept.", "September", "March", "Mar.", "mayor", "word", "3rd",
                                  ",", " ", "\n", "x" * 300]), max_size=300), st.data())
def test_the_last_month_before_a_place_is_found_as_by_scanning_the_whole_text(words, data):
    text = " ".join(words)
    end = data.draw(st.integers(0, len(text)))
    last = None
    for m in _ANY_MONTH.finditer(text, 0, end):
        last = m
    got = _last_match(_ANY_MONTH, text, end)
    assert (got and got.span()) == (last and last.span())


def test_names_and_corrections_see_a_long_block_in_windows(monkeypatch) -> None:
    """The corpus run together into one block (a source without line breaks), shown to the
    names and corrections passes in windows of 2,000 characters: the same spans as the whole
    block gives them, and every window cut between sentences, outside the spans before."""
    from pathlib import Path

    from trotsky_tei import passes
    from trotsky_tei.convert import analyse

    text = " ".join((Path(__file__).resolve().parents[1] / "corpus" / "source" / "1918-czechoslovak-mutiny.txt")
                    .read_text(encoding="utf-8").split())

    def spans_of_the_block() -> set:
        doc = analyse(text, "one.txt")
        (block,) = [b for b in doc.blocks if len(b.text) > 20_000]
        return {(s.tag, s.start, s.end, s.source, tuple(sorted(s.attrs.items())), repr(s.readings)) for s in block.spans}

    whole = spans_of_the_block()
    monkeypatch.setattr(passes, "WINDOW", 2_000)
    cut: list[list[int]] = []
    real = passes._cuts
    monkeypatch.setattr(passes, "_cuts", lambda block: cut.append(real(block)) or cut[-1])
    windowed = spans_of_the_block()
    assert len(cut) == 2 and len(cut[0]) > 20             # corrections and names, each in windows
    assert windowed == whole
    assert {s[3] for s in whole} >= {"names", "corrections", "dates"}


def test_windows_cut_between_sentences_outside_earlier_spans(monkeypatch) -> None:
    from trotsky_tei import passes

    monkeypatch.setattr(passes, "WINDOW", 1_000)
    sentence = "The train left Penza at dawn. "
    text = sentence * 400
    note = Span(2_990, 3_100, "note")              # a note the second window would cut
    block = Block("p", text, 7, offset=100, spans=[note], line_starts=(0, 5_000))
    cuts = passes._cuts(block)
    assert cuts[0] == 0 and cuts[-1] == len(text) and cuts == sorted(cuts) and len(cuts) > 5
    for c in cuts[1:-1]:
        assert text[c - 2:c] == ". " and text[c] == "T"   # after a sentence, before the next
        assert not note.start < c < note.end
    windows, parts, let_go = passes._windowed([block])
    assert "".join(w.text for w in windows) == text and let_go == []    # no source: the block's own text
    for (whole, w, start, known), end in zip(parts, cuts[1:]):
        assert whole is block and w.offset == 100 + start and w.line == block.line_of(start)
        assert [(s.start + start, s.end + start) for s in w.spans[:known]] == \
            [(note.start, note.end)] * (start <= note.start and note.end <= end)


def test_the_windows_of_a_pass_are_let_go_before_the_next_pass(monkeypatch) -> None:
    """Each window holds a copy of its stretch of the text: a pass that runs after a windowed
    one (the dates pass, on the whole block) must not find them still held."""
    import gc
    import weakref

    from trotsky_tei import passes
    from trotsky_tei.convert import analyse

    monkeypatch.setattr(passes, "WINDOW", 1_000)
    made: list[weakref.ref] = []
    real = passes._windowed

    def windowed(blocks, source=None):
        out, windows, let_go = real(blocks, source)
        made.extend(weakref.ref(w) for _, w, _, _ in windows)
        return out, windows, let_go

    monkeypatch.setattr(passes, "_windowed", windowed)
    held: dict[str, int] = {}
    before = [0]        # windows made for the passes before the one about to run

    def watching(p):
        def watch(doc):
            gc.collect()
            held[p.name] = sum(r() is not None for r in made[:before[0]])
            before[0] = len(made)
            return p.fn(doc)
        return watch

    for p in passes.available():
        monkeypatch.setitem(passes._REGISTRY, p.name, dataclasses.replace(p, fn=watching(p)))
    analyse("On June 3, 1918, the Czechoslovak corps left Penza for Samara. " * 60, "one.txt")
    assert len(made) > 4                                  # corrections and names saw windows
    assert held == {"notes": 0, "quotes": 0, "corrections": 0, "names": 0, "dates": 0}


def test_a_long_blocks_own_text_is_let_go_while_its_windows_hold_it(monkeypatch) -> None:
    """While a windowed pass runs, a long block's text (a copy of the source) is let go, the
    windows being cut from the source; it is made again, equal, once the pass is done, and the
    conversion is the same as with the text held (a text without line breaks is one block: a
    copy of the whole text fewer at the peak)."""
    from trotsky_tei import passes
    from trotsky_tei.convert import analyse, build_tei, serialize

    block = Block("p", "abc", 1, offset=2)
    assert block.let_go("xxabcx") == 3 and block.text == ""
    block.take_back("xxabcx", 3)
    assert block.text == "abc"
    other = Block("p", "abd", 1, offset=2)        # not the source there: kept
    assert other.let_go("xxabcx") is None and other.text == "abd"

    text = "On June 3, 1918, the Czechoslovak corps left Penza for Samara. " * 60 + "\n"
    held = serialize(build_tei(analyse(text, "one.txt")))   # one window: nothing let go
    monkeypatch.setattr(passes, "WINDOW", 1_000)
    seen: list[tuple[int, int]] = []
    real = passes._windowed

    def windowed(blocks, source=None):
        out, windows, let_go = real(blocks, source)
        seen.extend((len(b.text), n) for b, n in let_go)
        assert all(w.text == source[w.offset:w.offset + len(w.text)] for w in out)
        return out, windows, let_go

    monkeypatch.setattr(passes, "_windowed", windowed)
    doc = analyse(text, "one.txt")
    assert seen and all(now == 0 and n == len(text) - 1 for now, n in seen)   # let go while the pass ran
    assert [b.text for b in doc.blocks] == [text[:-1]]                         # and made again
    assert serialize(build_tei(doc)) == held


def test_the_dates_pass_reads_a_long_blocks_corrected_reading_made_from_the_source(monkeypatch) -> None:
    """The dates pass reads through corrected misprints ("Ju1y 10, 1918"): for a long block, the
    corrected reading is made from the source with the block's own copy of the text let go, and
    made again after; the dates found and the TEI are those of the block's own text."""
    from trotsky_tei.convert import analyse, build_tei, serialize
    from trotsky_tei.passes import dates

    text = "On Ju1y 10, 1918, the Czechoslovak corps left Penza for Samara. " * 40 + "\n"
    held = analyse(text, "one.txt")
    made: list[tuple[bool, str]] = []
    real = dates.CorrectedView

    def view(block, source=None, base=0, length=None):
        made.append((source is not None, block.text))
        return real(block, source, base, length)

    monkeypatch.setattr(dates, "LONG_BLOCK", 1_000)
    monkeypatch.setattr(dates, "CorrectedView", view)
    doc = analyse(text, "one.txt")
    assert made == [(True, "")]                             # from the source, the block's text let go
    assert doc.blocks[0].text == text[:-1]                  # and made again
    dated = [s for s in doc.blocks[0].spans if s.tag == "date"]
    assert len(dated) == 40 and all(s.attrs.get("when") == "1918-07-10" for s in dated)
    assert serialize(build_tei(doc)) == serialize(build_tei(held))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 200), st.integers(0, 12)), max_size=60))
def test_a_date_overlaps_one_found_before_as_a_flag_per_character_says(candidates):
    """The dates pass keeps the dates it found, in text order and not overlapping, and tests each
    new one against them by bisection (`dates._overlaps`), not a flag per character of the block."""
    from bisect import insort
    from operator import itemgetter

    from trotsky_tei.passes.dates import _overlaps

    taken = bytearray(230)
    found: list[tuple[int, int, str]] = []
    for start, size in candidates:
        end = start + size
        assert _overlaps(found, start, end) == any(taken[start:end])
        if not any(taken[start:end]):
            taken[start:end] = b"\x01" * (end - start)
            insort(found, (start, end, ""), key=itemgetter(0))
