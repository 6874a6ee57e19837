"""Notes and cross-references: bracketed translator's notes and numbered note markers.

`[80]` where an endnote 80 exists becomes `ref target="#en80"`; any other balanced bracket
becomes an editorial `note` where it stands (brackets recorded as `rend="brackets"`). A marker
without an endnote and an unclosed "[" stay text and are reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Document
from ..spans import Span
from . import Proposal, register

MARKER = re.compile(r"\[(\d{1,4})\]")
_BRACKETS = re.compile(r"[\[\]]")


def bracket_pairs(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    """Balanced `[...]` pairs (start, end-exclusive), nested ones included, and unmatched offsets."""
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    unmatched: list[int] = []
    for m in _BRACKETS.finditer(text):      # the brackets only
        i, ch = m.start(), m.group()
        if ch == "[":
            stack.append(i)
        elif ch == "]":
            if stack:
                pairs.append((stack.pop(), i + 1))
            else:
                unmatched.append(i)
    unmatched.extend(stack)
    return sorted(pairs), sorted(unmatched)


@register("notes", 10)
def notes(doc: Document) -> Iterator[Proposal]:
    endnotes = {b.attrs["n"] for b in doc.blocks if b.role == "endnote" and "n" in b.attrs}
    responsible = str(doc.metadata.get("notes_resp", "#annotator"))
    counter = 0
    for block in doc.blocks:
        if "[" not in block.text and "]" not in block.text:
            continue
        text = block.text
        lo = 1 if block.attrs.get("rend") == "brackets" else 0   # a head-note's own brackets
        hi = len(text) - lo
        pairs, unmatched = bracket_pairs(text[lo:hi])
        for pos in unmatched:
            doc.reporter.warning(
                "unbalanced-bracket", f"unbalanced '{text[lo + pos]}' kept as text",
                line=block.line_of(lo + pos), hint="close the bracket in the source if a note was meant")
        for start, end in pairs:
            start, end = start + lo, end + lo
            m = MARKER.fullmatch(text, start, end)
            if m:
                n = m.group(1)
                if n in endnotes:
                    yield block, Span(start, end, "ref", {"target": f"#en{n}", "n": n, "type": "noteAnchor"},
                                      priority=80)
                else:
                    doc.reporter.warning(
                        "note-marker-unresolved", f"note marker [{n}] has no endnote {n}; kept as text",
                        line=block.line_of(start), hint=f"add endnote '{n}. …' at the end of the source")
                continue
            if not text[start + 1:end - 1].strip():
                continue  # "[]" or "[ ]" carries nothing to annotate (and an empty note is invalid)
            counter += 1
            yield block, Span(start, end, "note",
                              {"xml:id": f"ed{counter}", "type": "editorial", "resp": responsible,
                               "place": "inline", "rend": "brackets"},
                              priority=80, delims=(1, 1))
