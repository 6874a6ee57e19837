"""Annotation passes: registered by name with an order, run one after another.

Like docutils transforms or spaCy pipeline components, each pass is a module in this package
with one entry function decorated by `@register(name, order)`. A pass receives the `Document`
(blocks with the spans of earlier passes) and *returns* the spans it proposes as
`(block, span)` pairs; the runner attaches them. Passes never build XML and never need to know
about each other: the weaver resolves nesting and crossing.

Order (lower runs first): notes 10, quotes 20, corrections 30, names 40, dates 50.

A pass registered as `windowed` (corrections, names) sees a block longer than `WINDOW`
characters (a text without line breaks is one block) as windows of about that size, cut between
sentences outside the spans of earlier passes; its spans are put back on the block. Its lists
of words and candidates for a whole block would take thirty to forty bytes a character at once
(the 6.4 MB text in one line: 334 MB → 181 MB for the whole conversion). The dates pass is not
windowed: it infers a date's year from the dates before it in the block.
"""

from __future__ import annotations

import bisect
import dataclasses
import importlib
import itertools
import pkgutil
import re
from collections.abc import Callable, Iterable

from ..model import Block, Document
from ..spans import Span

Proposal = tuple[Block, Span]
PassFn = Callable[[Document], Iterable[Proposal]]


@dataclasses.dataclass(frozen=True)
class Pass:
    name: str
    order: int
    fn: PassFn
    #: long blocks shown in windows (see the module's docstring)
    windowed: bool = False


_REGISTRY: dict[str, Pass] = {}
#: Characters of a block a windowed pass sees at once, about.
WINDOW = 1 << 16
#: The end of a sentence: where a window may end (after the space).
_SENTENCE_END = re.compile(r"[.!?][\"'’”)\]]*\s+(?=[\"'‘“(\[]?[A-Z0-9])")
_SPACE = re.compile(r"\s+")


def register(name: str, order: int, windowed: bool = False) -> Callable[[PassFn], PassFn]:
    """Register a pass function under `name`, to run at position `order`."""

    def deco(fn: PassFn) -> PassFn:
        _REGISTRY[name] = Pass(name, order, fn, windowed)
        return fn

    return deco


_loaded = False


def _load_all() -> None:
    """Import every pass module of this package (each registers its pass), once per process:
    listing the package's directory for every document cost more than a short text's passes."""
    global _loaded
    if _loaded:
        return
    for mod in pkgutil.iter_modules(__path__):
        if not mod.name.startswith("_"):
            importlib.import_module(f"{__name__}.{mod.name}")
    _loaded = True


def available() -> list[Pass]:
    """All registered passes in run order."""
    _load_all()
    return sorted(_REGISTRY.values(), key=lambda p: (p.order, p.name))


def run_passes(doc: Document, names: Iterable[str] | None = None) -> Document:
    """Run the selected passes (all by default) over `doc`, attaching their spans."""
    wanted = set(names) if names is not None else None
    for p in available():
        if wanted is not None and p.name not in wanted:
            continue
        if p.windowed and any(len(b.text) > WINDOW for b in doc.blocks):
            _attach_in_windows(doc, p)
        else:
            _attach(doc, p)
    return doc


def _attach_in_windows(doc: Document, p: Pass) -> None:
    """Run one pass over the blocks with the long ones cut into windows; put its spans back on
    the blocks. The windows, each a copy of its stretch of text, go when this returns; while
    they are there, the long blocks' own texts, copies of the same stretches of the source,
    are let go and made again after (a text without line breaks is one block: a third copy of
    the whole text, 128 MB for 64 MB of text with a curly quote, while the pass runs)."""
    whole = doc.blocks
    doc.blocks, windows, let_go = _windowed(whole, doc.source)
    try:
        _attach(doc, p)
        for block, window, start, known in windows:
            block.spans.extend(dataclasses.replace(s, start=s.start + start, end=s.end + start)
                               for s in window.spans[known:])
    finally:
        doc.blocks = whole
        windows.clear()
        for block, n in let_go:
            block.take_back(doc.source, n)


def _attach(doc: Document, p: Pass) -> None:
    """Run one pass, attaching its spans to their blocks."""
    for block, span in p.fn(doc):
        if not 0 <= span.start <= span.end <= len(block.text):
            raise ValueError(f"pass {p.name} proposed span {span} outside block text")
        if not span.source:
            span = dataclasses.replace(span, source=p.name)
        block.spans.append(span)
        for attrs in (span.attrs, *(r.attrs for r in span.readings)):
            val = attrs.get("resp")
            if val:
                doc.resp.update(v.lstrip("#") for v in val.split())


def _windowed(blocks: list[Block], source: str | None = None
              ) -> tuple[list[Block], list[tuple[Block, Block, int, int]], list[tuple[Block, int]]]:
    """The blocks with each long one cut into windows; for each window, its block, where it
    starts there, and how many spans of earlier passes it was given; and the long blocks whose
    text is `source` at their offset, emptied (the windows are cut from `source`), with the
    length to make it again from there."""
    out: list[Block] = []
    windows: list[tuple[Block, Block, int, int]] = []
    let_go: list[tuple[Block, int]] = []
    for b in blocks:
        if len(b.text) <= WINDOW:
            out.append(b)
            continue
        cuts = _cuts(b)
        text, at = b.text, 0
        n = b.let_go(source) if source is not None else None
        if n is not None:
            let_go.append((b, n))
            text, at = source, b.offset
        for start, end in zip(cuts, cuts[1:]):
            spans = [dataclasses.replace(s, start=s.start - start, end=s.end - start)
                     for s in b.spans if start <= s.start and s.end <= end]
            window = dataclasses.replace(
                b, text=text[at + start:at + end], line=b.line_of(start), offset=b.offset + start, spans=spans,
                line_starts=(0, *(x - start for x in b.line_starts if start < x < end)))
            out.append(window)
            windows.append((b, window, start, len(spans)))
    return out, windows, let_go


def _cuts(block: Block) -> list[int]:
    """Where the windows of a long block start (and, last, its length): after a sentence (else
    a space) at least `WINDOW` characters on, never inside a span of an earlier pass."""
    text, n = block.text, len(block.text)
    covered = sorted((s.start, s.end) for s in block.spans)
    starts = [s for s, _ in covered]
    reach = list(itertools.accumulate((e for _, e in covered), max))   # the furthest end so far
    cuts = [0]
    at = WINDOW
    while n - cuts[-1] > WINDOW + WINDOW // 2:
        m = _SENTENCE_END.search(text, at, at + WINDOW) or _SPACE.search(text, at, at + WINDOW)
        if m is None:
            break
        cut = m.end()
        k = bisect.bisect_left(starts, cut)
        if k and reach[k - 1] > cut:    # inside a span: look again after it
            at = reach[k - 1]
            continue
        cuts.append(cut)
        at = cut + WINDOW
    cuts.append(n)
    return cuts
