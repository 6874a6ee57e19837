"""Quotations: text between opening and closing quotation marks becomes `q`.

The marks themselves stay in the text outside the element, so nothing needs restoring. An
apostrophe (People’s, workers’ organisations) is told from a closing mark by what surrounds it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Document
from ..spans import Span
from . import Proposal, register

OPEN = {"‘": "single", "“": "double", "’": "single", "«": "guillemet"}
CLOSE = {"’": "single", "”": "double", "»": "guillemet"}
BEFORE_OPEN = set(" \t\n([{—–-\"'“‘") | {""}
WORD = str.isalnum
_MARKS = re.compile("[%s]" % "".join(sorted(set(OPEN) | set(CLOSE))))


def _is_open(text: str, i: int) -> bool:
    ch = text[i]
    prev = text[i - 1] if i else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if ch not in OPEN or not nxt or nxt.isspace():
        return False
    if ch == "’":  # a right single mark used as an opening mark only at the start of a phrase
        return prev in BEFORE_OPEN and (nxt.isupper() or nxt in "‘“.")
    return prev in BEFORE_OPEN or not WORD(prev)


def _is_close(text: str, i: int) -> bool:
    prev = text[i - 1] if i else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if not prev or prev.isspace():
        return False
    if nxt and WORD(nxt):
        return False  # People’s, don’t
    if text[i] == "’" and prev in "sS" and nxt == " " and i + 2 < len(text) and WORD(text[i + 2]):
        return False  # workers’ organisations: a plural possessive
    return True


@register("quotes", 20)
def quotes(doc: Document) -> Iterator[Proposal]:
    for block in doc.blocks:
        text = block.text
        if not any(c in text for c in "‘“’«"):
            continue
        stack: list[tuple[str, int]] = []
        for m in _MARKS.finditer(text):        # the marks only: nothing else opens or closes
            i, ch = m.start(), m.group()
            if ch in CLOSE and stack and stack[-1][0] == CLOSE[ch] and _is_close(text, i):
                kind, start = stack.pop()
                if i > start:
                    yield block, Span(start, i, "q", priority=30)
                continue
            if ch in OPEN and _is_open(text, i):
                stack.append((OPEN[ch], i + 1))
