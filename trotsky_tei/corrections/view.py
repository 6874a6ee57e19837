"""The corrected reading of a block, for passes that should read through misprints.

A pass that runs after the corrections pass can look for dates or names in the corrected text
("Ju1y 10, 1918" reads "July 10, 1918") and map what it finds back to source offsets: a span
that starts or ends inside a corrected stretch is widened to the whole stretch, so the span
contains the `choice` and never crosses it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from ..model import Block


@dataclass(frozen=True)
class Piece:
    src_start: int
    src_end: int
    out_start: int
    out_end: int
    replaced: bool


class CorrectedView:
    """`text` is the block's corrected reading; `source_range` maps a range of it back."""

    def __init__(self, block: Block, source: str | None = None, base: int = 0, length: int | None = None):
        """The view of `block`, whose text is `source[base:base + length]` when `source` is
        given (the block's own text may then be let go: see the dates pass)."""
        text = block.text if source is None else source
        n = len(block.text) if length is None else length
        pieces: list[Piece] = []
        parts: list[str] = []
        pos = out = 0
        for span in sorted((s for s in block.spans if s.tag == "choice"), key=lambda s: (s.start, -s.end)):
            reading = _reading(span)
            if reading is None or span.start < pos:
                continue
            if span.start > pos:
                parts.append(text[base + pos:base + span.start])
                pieces.append(Piece(pos, span.start, out, out + span.start - pos, False))
                out += span.start - pos
            parts.append(reading)
            pieces.append(Piece(span.start, span.end, out, out + len(reading), True))
            out += len(reading)
            pos = span.end
        parts.append(text[base + pos:base + n])   # the whole text itself when nothing is corrected
        pieces.append(Piece(pos, n, out, out + n - pos, False))
        self.text = "".join(parts)
        self.pieces = pieces
        self._starts = [p.out_start for p in pieces]
        self.changed = any(p.replaced for p in pieces)

    def _piece(self, offset: int) -> Piece:
        return self.pieces[max(0, bisect_right(self._starts, offset) - 1)]

    def source_range(self, start: int, end: int) -> tuple[int, int]:
        """Source offsets of text[start:end], widened to whole corrected stretches."""
        a = self._piece(start)
        s = a.src_start if a.replaced else a.src_start + (start - a.out_start)
        b = self._piece(max(start, end - 1))
        e = b.src_end if b.replaced else b.src_start + (end - b.out_start)
        return s, e


def corrects(block: Block) -> bool:
    """Whether the corrected reading of `block` differs from its text (a `CorrectedView` of it
    is then a copy of the text, not the text)."""
    return any(s.tag == "choice" and _reading(s) is not None for s in block.spans)


def _reading(span) -> str | None:
    """The corrected text of a choice whose source reading is the transcription, else None."""
    source = next((r for r in span.readings if r.text is None), None)
    other = next((r for r in span.readings if r.text is not None and r.tag in ("corr", "reg")), None)
    if source is None or other is None or source.tag not in ("sic", "orig"):
        return None
    return other.text
