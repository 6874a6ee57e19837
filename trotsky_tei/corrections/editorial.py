"""The edition's own corrections: a bracketed note that reports what the original text has.

Translators and editors correct the running text and say so in a note: "[The text has ‘July 4’
for the date of the Japanese landing, but this is evidently a mistake for ‘April 4’.]", "[The
text has ‘General Sveri’, which must be a muddle for ‘General Lavergne.’]", "[‘Kazan’ in the
original: for ‘Kazan’ read ‘Kozlov’.]", "[The Russian text reads ‘1917’.]". `parse_note` reads
the two quoted readings out of any note of that family:

* the **original** reading: the quotation after "the text/original/Russian text/source has
  (reads, gives, says, prints)", before "in the original", after "misprinted as", or the first
  of "for ‘X’ read ‘Y’" and of "‘X’ is evidently ‘Y’";
* the **intended** reading: the quotation after "(a) mistake/misprint/muddle/error/slip for",
  "should/must be/read", "instead of", "read", or the second of "for ‘X’ read ‘Y’".

The corrections pass then looks for the intended reading in the running text before the note
(the translator has already put it there) and encodes
`<choice><sic source="#note">original</sic><corr resp="#translator">intended</corr></choice>`;
when the running text still has the original reading, the `corr` is the reading taken from the
note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_Q = r"(?:‘(?P<{0}1>[^’]+?)’(?![a-z])|“(?P<{0}2>[^”]+)”|\"(?P<{0}3>[^\"]+)\"|'(?P<{0}4>[^']+?)'(?![a-z]))"


def _q(name: str) -> str:
    return _Q.format(name)


_SOURCE_WORDS = (r"(?:(?:Russian|original|printed|published|German|French)\s+)?(?:text|original|edition|source|"
                 r"manuscript|newspaper|document|telegram|version|typescript|book|print|Russian)")
_HAS = r"(?:has|had|reads|read|says|said|gives|gave|shows|showed|prints|printed|contains|is)"
_ERROR = r"(?:mistake|misprint|muddle|error|slip(?: of the pen)?|misreading|corruption|confusion|typo|" \
         r"misspelling|mistranscription|misrendering)"

ORIGINAL = [
    re.compile(rf"\b(?:[Tt]he|[Tt]his|[Tt]hat|[Oo]ur)\s+{_SOURCE_WORDS}\s+(?:here\s+|actually\s+|wrongly\s+)?"
               rf"{_HAS}\s*:?\s*{_q('o')}"),
    re.compile(rf"{_q('o')},?\s+(?:is\s+(?:given\s+)?)?in\s+the\s+{_SOURCE_WORDS}"),
    re.compile(rf"\b(?:misprinted|misspelt|misspelled|printed|given|written|spelt|spelled)\s+(?:as\s+)?{_q('o')}"),
    re.compile(rf"\b[Oo]riginal(?:ly)?\s*:\s*{_q('o')}"),
]
INTENDED = [
    re.compile(rf"\b{_ERROR}\s+(?:for|instead\s+of)\s+{_q('i')}"),
    re.compile(rf"\b(?:should|must|ought\s+to|is\s+to)\s+(?:surely\s+|clearly\s+)?(?:be|read|have\s+been|mean)\s+"
               rf"{_q('i')}"),
    re.compile(rf"\b(?:instead\s+of|in\s+place\s+of|rather\s+than)\s+{_q('i')}"),
    re.compile(rf"\b(?:evidently|clearly|obviously|presumably|probably|doubtless|surely|certainly|apparently)\s+"
               rf"(?:means?\s+|meant\s+|intended\s+|stands?\s+for\s+|refers?\s+to\s+)?{_q('i')}"),
    re.compile(rf"\bread\s+{_q('i')}"),
    re.compile(rf"{_q('i')}\s+(?:is|was)\s+(?:clearly\s+|evidently\s+|obviously\s+)?(?:meant|intended)"),
]
#: an unquoted intended name: "Kamenka is meant"
MEANT = re.compile(r"\b([A-Z][\w-]+(?:\s[A-Z][\w-]+){0,3})\s+(?:is|was|must\s+be)\s+(?:clearly\s+|evidently\s+|"
                   r"obviously\s+|probably\s+)?(?:meant|intended)\b")
FOR_READ = re.compile(rf"\b[Ff]or\s+{_q('o')},?\s+read\s+{_q('i')}")
IS_EVIDENTLY = re.compile(
    rf"{_q('o')},?\s+(?:which\s+)?(?:is|was|must\s+be|must\s+have\s+been)\s+(?:evidently|clearly|obviously|"
    rf"presumably|probably|doubtless|surely|certainly|apparently)\s+(?:a\s+{_ERROR}\s+for\s+)?{_q('i')}")


@dataclass(frozen=True)
class NoteCorrection:
    """What a correction note says: the original reading and, when it says so, the intended one."""

    original: str
    intended: str | None


def _group(m: re.Match, name: str) -> str | None:
    for k in range(1, 5):
        v = m.group(f"{name}{k}")
        if v is not None:
            return clean(v)
    return None


def clean(quoted: str) -> str:
    """A quoted reading without the punctuation the quotation convention put inside it."""
    q = " ".join(quoted.split())
    return q.rstrip(".,;:").strip()


def parse_note(text: str) -> NoteCorrection | None:
    """The correction a note reports, or None when the note is not a correction note."""
    m = FOR_READ.search(text)
    if m:
        return NoteCorrection(_group(m, "o"), _group(m, "i"))
    m = IS_EVIDENTLY.search(text)
    if m:
        return NoteCorrection(_group(m, "o"), _group(m, "i"))
    original = None
    at = 0
    for pat in ORIGINAL:
        m = pat.search(text)
        if m:
            original, at = _group(m, "o"), m.end()
            break
    if not original:
        return None
    intended = None
    best = None
    for pat in INTENDED:
        m = pat.search(text, at)
        if m and (best is None or m.start() < best.start()):
            best = m
    if best:
        intended = _group(best, "i")
    else:
        m = MEANT.search(text, at)
        intended = m.group(1) if m else None
    if intended == original:
        intended = None
    return NoteCorrection(original, intended)


def find_before(text: str, reading: str, end: int, window: int = 400) -> int | None:
    """Offset of the last occurrence of `reading` as whole words in text[end-window:end]."""
    lo = max(0, end - window)
    pat = re.compile(r"(?<![\w])" + r"\s+".join(re.escape(p) for p in reading.split()) + r"(?![\w])")
    last = None
    for m in pat.finditer(text, lo, end):
        last = m
    return (last.start(), last.end()) if last else None
