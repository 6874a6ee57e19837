"""The span model: what every annotation pass proposes.

A pass never builds XML. It proposes `Span`s over the text of one `Block` (offsets into
`block.text`); the weaver (`weave.py`) is the only place that turns spans into nested elements,
resolving crossing spans so that no character of the source is lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

#: Nesting rank: when two spans cover exactly the same text, the lower rank becomes the outer
#: element. Crossing spans are resolved by `priority` (see weave.py), not by rank.
RANK: dict[str, int] = {
    "note": 10,
    "quote": 15,
    "q": 20,
    "bibl": 25,
    "title": 30,
    "orgName": 40,
    "placeName": 42,
    "persName": 44,
    "date": 50,
    "num": 55,
    "choice": 70,
    "ref": 80,
}
DEFAULT_RANK = 60

#: Elements that may be split into several elements when another span crosses them
#: (a quotation that crosses a note boundary is split; a name never is: it is dropped and logged).
SPLITTABLE = frozenset({"q", "quote", "hi"})


@dataclass(frozen=True, slots=True)
class Reading:
    """One child of a `choice` span (sic, corr, orig, reg).

    `text=None` marks the reading that *is* the source text under the span (it receives the
    span's own characters, woven with any nested spans); any other reading carries its own
    supplied `text`. Exactly one reading of a choice has `text=None`: that is what keeps a
    correction lossless.
    """

    tag: str
    attrs: Mapping[str, str] = field(default_factory=dict)
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Span:
    """A proposed element over `block.text[start:end]`.

    - `tag`: TEI local name (`persName`, `date`, `note`, `choice`, ...).
    - `attrs`: attributes, with `xml:id`-style names written as `xml:id`.
    - `priority`: higher wins when two spans cross (0-100; structure 90, notes 80, corrections 70,
      names 60, dates 55, quotations 30).
    - `delims`: number of delimiter characters at the start and end of the span that the element
      does not contain (the brackets of `[note]`); the pass records them in `attrs["rend"]` so that
      the source reading can restore them.
    - `readings`: for `choice` only, its children (see `Reading`).
    - `source`: the name of the pass that proposed it (for messages).
    """

    start: int
    end: int
    tag: str
    attrs: Mapping[str, str] = field(default_factory=dict)
    priority: int = 50
    delims: tuple[int, int] = (0, 0)
    readings: tuple[Reading, ...] = ()
    source: str = ""

    @property
    def rank(self) -> int:
        return RANK.get(self.tag, DEFAULT_RANK)

    @property
    def inner(self) -> tuple[int, int]:
        """The range of text the element contains (without delimiters)."""
        return self.start + self.delims[0], self.end - self.delims[1]

    def contains(self, other: Span) -> bool:
        lo, hi = self.inner
        return lo <= other.start and other.end <= hi and (other.start, other.end) != (self.start, self.end)

    def crosses(self, other: Span) -> bool:
        """True when the two overlap and neither can nest inside the other."""
        if other.end <= self.start or self.end <= other.start:
            return False
        if (self.start, self.end) == (other.start, other.end):
            # Same range: they nest by rank, unless one keeps delimiters the other would contain.
            return self.delims != other.delims
        return not (self.contains(other) or other.contains(self))


class SpanIndex:
    """Spans by position: the ones that may overlap a range, without testing every span.

    A block is a paragraph, but a text without blank lines between its paragraphs makes one
    block of hundreds of thousands of characters and tens of thousands of spans; testing each
    new span against all the others was quadratic in that. The text is cut into stretches of
    `STRETCH` characters, and a span is filed under every stretch it covers (a zero-length span
    under the one it stands in): two spans that overlap or share their range share a stretch.
    `overlapping` returns the spans filed under the stretches of a range, a superset of those
    that overlap it (the caller makes the exact test), in the order they were added."""

    STRETCH = 256
    #: up to this many spans, `overlapping` returns them all: a scan costs less than a search
    FEW = 32

    def __init__(self) -> None:
        self._all: list[Span] = []
        #: stretch -> (order, span), once there are more than FEW spans
        self._filed: dict[int, list[tuple[int, Span]]] | None = None

    @classmethod
    def of(cls, spans: Iterable[Span]) -> SpanIndex:
        index = cls()
        for span in spans:
            index.add(span)
        return index

    def _stretches(self, start: int, end: int) -> range:
        return range(start // self.STRETCH, max(start, end - 1) // self.STRETCH + 1)

    def add(self, span: Span) -> None:
        self._all.append(span)
        if self._filed is not None:
            self._file(len(self._all) - 1, span)
        elif len(self._all) > self.FEW:
            self._filed = {}
            for order, earlier in enumerate(self._all):
                self._file(order, earlier)

    def _file(self, order: int, span: Span) -> None:
        assert self._filed is not None
        for k in self._stretches(span.start, span.end):
            self._filed.setdefault(k, []).append((order, span))

    def overlapping(self, start: int, end: int) -> list[Span]:
        """Every span that overlaps text[start:end] or has the same range, and some that do not."""
        if self._filed is None:
            return self._all
        stretches = self._stretches(start, end)
        if len(stretches) == 1:
            return [span for _, span in self._filed.get(stretches[0], ())]
        found = {order: span for k in stretches for order, span in self._filed.get(k, ())}
        return [found[order] for order in sorted(found)]
