"""Corrections: the edition's own corrections, curated corrections, and evident misprints.

Three sources of `choice` spans, in order of authority (a later one never overrides an earlier
one at the same place):

1. the edition's own corrections, read from its bracketed notes ("[The text has ‘July 4’ …
   a mistake for ‘April 4’.]"): `sic` with `@source` pointing at the note, `corr` the running
   text, `@resp` the note's (the translator's);
2. the curated corrections file `corpus/corrections/<source>.toml` (`@resp` and `@cert` from
   the file, default `#editors`);
3. the detectors of `trotsky_tei.corrections.detectors`, applied only when they are sure
   (`cert="high"`, `resp="#trotsky-tei"`); `trotsky-tei corrections suggest` lists the rest.

The span is the damaged source text; the source reading stays in the TEI beside the reading.
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import wordlists
from ..corrections import curated
from ..corrections.detectors import Context, Fix, detect
from ..corrections.editorial import find_before, parse_note
from ..messages import error
from ..model import Block, Document
from ..spans import SPLITTABLE, Reading, Span, SpanIndex
from . import Proposal, register

PRIORITY = 70
RESP = "#trotsky-tei"


def known_names(doc: Document) -> tuple[str, ...]:
    """Every surface form of the authority files the document is converted with (the names
    pass's choice of files). Made once per index and kept in its cache: the same tuple for every
    document, so `Context.of` finds the names' words made for it without comparing them."""
    from .names import authority_for

    index = authority_for(doc)
    forms = index.cache.get("correction-names")
    if forms is None:
        forms = index.cache["correction-names"] = tuple(index.forms)
    assert isinstance(forms, tuple)
    return forms


def context_of(doc: Document) -> Context:
    return Context.of(doc.source, known_names(doc), wordlists.places())


def choice(start: int, end: int, source_tag: str, reading_tag: str, reading: str, attrs: dict[str, str]) -> Span:
    """A `choice` whose source reading is the text under the span and whose other reading is supplied."""
    return Span(start, end, "choice", {}, PRIORITY, readings=(Reading(source_tag), Reading(reading_tag, attrs, reading)))


def _crosses(span_range: tuple[int, int], spans: SpanIndex) -> bool:
    s, e = span_range
    for sp in spans.overlapping(s, e):
        if sp.end <= s or e <= sp.start:
            continue
        lo, hi = sp.inner
        inside = lo <= s and e <= hi
        around = s <= sp.start and sp.end <= e
        if sp.tag in ("ref", "choice") or not (inside or around or sp.tag in SPLITTABLE):
            return True
    return False


def editorial(doc: Document) -> Iterator[tuple[Block, Span]]:
    """Choices for the corrections the edition reports in its own notes."""
    for block in doc.blocks:
        for note in sorted((s for s in block.spans if s.tag == "note"), key=lambda s: s.start):
            lo, hi = note.inner
            said = parse_note(block.text[lo:hi])
            if said is None:
                continue
            nid = note.attrs.get("xml:id", "")
            resp = note.attrs.get("resp", "#annotator")
            src = {"source": f"#{nid}"} if nid else {}
            where = find_before(block.text, said.intended, note.start) if said.intended else None
            if where:
                yield block, Span(where[0], where[1], "choice", {}, PRIORITY, readings=(
                    Reading("sic", src, said.original), Reading("corr", {"resp": resp})))
                continue
            where = find_before(block.text, said.original, note.start)
            if where and said.intended:
                yield block, Span(where[0], where[1], "choice", {}, PRIORITY, readings=(
                    Reading("sic"), Reading("corr", {"resp": resp, **src}, said.intended)))
                continue
            # a note that only gives the original's word ("In the original: ‘X’") may be no
            # correction at all: said as information; an unplaced correction is a warning
            report = doc.reporter.warning if said.intended else doc.reporter.info
            report(
                "edition-correction-unplaced",
                f"note {nid or ''} reports the original reading {said.original!r} but "
                + (f"{said.intended!r} was not found before it" if said.intended else "does not say what replaced it"),
                line=block.line_of(note.start),
                hint="add the correction to the curated corrections file with a context string")


def _block_at(doc: Document, offset: int) -> Block | None:
    for b in doc.blocks:
        if b.offset <= offset < b.offset + len(b.text):
            return b
    return None


def curated_choices(doc: Document) -> Iterator[tuple[Block, Span]]:
    """Choices for the entries of the curated corrections file."""
    path = curated.corrections_path(doc.metadata)
    if path is None:
        return
    entries = curated.load(path)
    declared = {str(r.get("id", "")) for r in doc.metadata.get("responsibility", []) or [] if isinstance(r, dict)}
    for e in entries:
        if declared and e.resp.lstrip("#") not in declared:
            raise error("corrections", f"resp {e.resp!r} is not a responsibility of the metadata", file=str(path),
                        line=e.line, hint="use one of " + ", ".join(f"#{d}" for d in sorted(declared))
                        + " or declare it in the metadata's [[responsibility]]")
    placed, messages = curated.place(entries, doc.source, str(path))
    doc.reporter.messages.extend(messages)
    for p in placed:
        block = _block_at(doc, p.start)
        if block is None or p.end > block.offset + len(block.text):
            doc.reporter.warning("correction-not-found", f"correction of {p.entry.sic!r} crosses a block boundary",
                                 file=str(path), line=p.entry.line, hint="correct each block separately")
            continue
        attrs = {"resp": p.entry.resp}
        if p.entry.cert:
            attrs["cert"] = p.entry.cert
        source_tag, reading_tag = ("orig", "reg") if p.entry.tag == "reg" else ("sic", "corr")
        yield block, choice(p.start - block.offset, p.end - block.offset, source_tag, reading_tag, p.entry.corr, attrs)


def detected(doc: Document, ctx: Context | None = None) -> Iterator[tuple[Block, Fix]]:
    """Every detector proposal of every block (all certainties)."""
    ctx = ctx or context_of(doc)
    for block in doc.blocks:
        for fix in detect(block.text, ctx):
            yield block, fix


@register("corrections", 30, windowed=True)
def corrections(doc: Document) -> Iterator[Proposal]:
    proposals: list[tuple[Block, Span]] = []
    # by block: the spans proposed here, and those of the passes before (a block may be a whole
    # text: the indexes keep each test to the spans near it)
    taken: dict[int, SpanIndex] = {}
    earlier: dict[int, SpanIndex] = {}

    def free(block: Block, s: int, e: int) -> bool:
        index = taken.get(id(block))
        return index is None or not any(s < x.end and x.start < e for x in index.overlapping(s, e))

    def add(block: Block, span: Span) -> None:
        taken.setdefault(id(block), SpanIndex()).add(span)
        proposals.append((block, span))

    def crosses(block: Block, s: int, e: int) -> bool:
        index = earlier.get(id(block))
        if index is None:
            index = earlier[id(block)] = SpanIndex.of(block.spans)
        return _crosses((s, e), index)

    for block, span in editorial(doc):
        if free(block, span.start, span.end):
            add(block, span)
    for block, span in curated_choices(doc):
        if free(block, span.start, span.end) and not crosses(block, span.start, span.end):
            add(block, span)
    for block, fix in detected(doc):
        if fix.cert != "high" or not free(block, fix.start, fix.end) or crosses(block, fix.start, fix.end):
            continue
        tags = ("orig", "reg") if fix.tag == "reg" else ("sic", "corr")
        add(block, choice(fix.start, fix.end, tags[0], tags[1], fix.reading, {"resp": RESP, "cert": "high"}))
    order = {id(b): i for i, b in enumerate(doc.blocks)}
    proposals.sort(key=lambda p: (order[id(p[0])], p[1].start))
    for n, (block, span) in enumerate(proposals, 1):
        yield block, Span(span.start, span.end, span.tag, {"xml:id": f"c{n}", **span.attrs}, span.priority,
                          span.delims, span.readings)
