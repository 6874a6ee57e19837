"""Dates: every calendar expression becomes `date` with ISO 8601 values.

The pass recognises, in English text: full dates ("June 13, 1918", "13th June 1918",
"13.VI.1918"), month and day without a year ("April 4": the year is inferred, and the inference
is marked with `@resp` and `@cert`), month and year ("April 1916"), years ("(1975)", "born in
1896 and 1897"), ranges ("1914-1920", "March-May 1918", "June 5-7, 1918": `@from`/`@to`), parts
of a month ("the end of March": `@notBefore`/`@notAfter`, or the month in `@when`, see
`VAGUE_AS_MONTH`), and Old Style dates. It reads the block through the corrections made before
it, so "Ju1y 10, 1918" is a date.

Old Style: Russia moved from the Julian to the Gregorian calendar on 1918-02-14 (N.S.). A
date is Julian when the text says so: a marker after it ("O.S.", "old style"), a double date
whose two days differ by the calendar gap ("5/18 January 1918", "January 5 (18), 1918"), or a
document declared Old Style in the metadata (`calendar = "julian"` for a document or for the
whole source; `cert="medium"`). A Julian date keeps the written date in `@when-custom` with
`datingMethod="#julian"`, says `calendar="#julian"`, and gives the Gregorian equivalent in
`@when`. An unmarked day before the change is Old Style only as a guess,
`resp="#trotsky-tei" cert="low"`, in a text from Russia and a sentence not about another
country; elsewhere the written date stands.

Numbers that are not years (issue and page numbers, counts such as "200,000 poods" or
"1500 rifles") are not dates. Policy and examples: docs/dates-and-corrections.md.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as _dt
import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from convertdate import julian as _julian

from .. import wordlists
from ..corrections.view import CorrectedView, corrects
from ..model import Block, Document
from ..spans import Span
from . import Proposal, register

PRIORITY = 55
RESP = "#trotsky-tei"
#: The day Russia adopted the Gregorian calendar (N.S.).
GREGORIAN_ADOPTION = _dt.date(1918, 2, 14)
#: The last day of the Julian calendar in Russia (O.S.): 31 January 1918 was followed by 14 February.
LAST_JULIAN = _dt.date(1918, 1, 31)
#: "the end of March": `when="1918-03"` (True) or `notBefore`/`notAfter` the part of the month.
VAGUE_AS_MONTH = False

MONTHS: dict[str, int] = {}
for _i, _name in enumerate(_calendar.month_name):
    if _name:
        MONTHS[_name.lower()] = _i
for _abbr, _i in (("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("jun", 6), ("jul", 7), ("aug", 8),
                  ("sep", 9), ("sept", 9), ("oct", 10), ("nov", 11), ("dec", 12)):
    MONTHS[_abbr] = _i

# Capitalised (or all-capitals) month names; abbreviations need their full stop.
_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
_ABBR = r"Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\."
# "Nov 21", "Aug 1919": the lookahead in every branch, so that each branch of MONTH opens with a
# letter and a scan for a month skips, in C, every position whose letter cannot open one
_BARE = "|".join(rf"{_a}(?=\s+\d)" for _a in "Jan Feb Mar Apr Jun Jul Aug Sept Sep Oct Nov Dec".split())
MONTH = rf"(?:{_FULL}|{_FULL.upper()}|{_ABBR}|{_ABBR.upper()}|{_BARE})"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
#: Days written as ordinal words ("the fourth of July", "the twenty-fifth of October").
ORDINALS: dict[str, int] = {}
for _i, _w in enumerate("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
                        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth".split(), 1):
    ORDINALS[_w] = _i
ORDINALS["twentieth"], ORDINALS["thirtieth"] = 20, 30
for _w, _i in list(ORDINALS.items()):
    if _i < 10:
        ORDINALS[f"twenty-{_w}"] = 20 + _i
ORDINALS["thirty-first"] = 31
_ORD_WORDS = "|".join(sorted(ORDINALS, key=len, reverse=True))
#: A day before "of" and a month: a number or an ordinal word ("the 4th of April", "the fourth of April").
DAY_OF = rf"(?:{DAY}|(?i:{_ORD_WORDS})(?=\s+of\s))"
YEAR = r"(?:1[5-9]\d\d|20\d\d)"
DASH = r"\s?[-–—]\s?"
TO = r"(?:\s?[-–—]\s?|\s+(?:to|till|until)\s+)"   # a range: "5-7 June", "5 to 7 June"
_NB = r"(?<![\w.,])"          # not inside a word or a number
_NA = r"(?![\w]|[.,]\d)"      # not followed by a word character or more digits

STYLE = re.compile(r"\s*[(\[]?\s*(O\.\s?S\.?|N\.\s?S\.?|[Oo]ld [Ss]tyle|[Nn]ew [Ss]tyle|[Oo]ld [Cc]alendar|[Nn]ew [Cc]alendar)"
                   r"\s*[)\]]?")

#: The parts of a month a vague expression names: (first day, last day or None for the month end).
PARTS = {
    "beginning": (1, 10), "start": (1, 10), "early": (1, 10), "first days": (1, 10),
    "middle": (11, 20), "mid": (11, 20), "mid-": (11, 20),
    "end": (21, None), "close": (21, None), "late": (21, None), "last days": (21, None),
    "first half": (1, 15), "second half": (16, None), "latter half": (16, None),
    # ten-day periods, the Russian dekady: "the last ten days of September"
    "first ten days": (1, 10), "second ten days": (11, 20), "middle ten days": (11, 20),
    "last ten days": (21, None), "third ten days": (21, None),
    "first week": (1, 7), "second week": (8, 14), "third week": (15, 21), "last week": (-6, None),
}
_PART = (r"(?P<part>beginning|start|middle|end|close|first days|last days|first half|second half|latter half|"
         r"(?:first|second|middle|third|last) ten days|(?:first|second|third|last) week)")
#: Parts of a year; only the halves narrow the year (a season may straddle two).
_YEAR_PARTS = (r"beginning|start|middle|end|close|first half|second half|latter half|spring|summer|autumn|fall|"
               r"winter|first months|last months|course")
YEAR_HALVES = {"first half": ("01-01", "06-30"), "second half": ("07-01", "12-31"), "latter half": ("07-01", "12-31")}

# Words after a four-digit number that make it a count, not a year.
COUNT_WORDS = frozenset("""
men people persons head strong killed wounded dead prisoners troops soldiers horse horses guns rifles
hours hrs h km miles versts poods tons tonnes roubles rubles dollars pounds francs marks copecks kopecks
metres meters feet yards pieces copies members votes workers peasants sailors officers bayonets sabres
""".split())
# Words before a number that make it an issue, page or other number.
NUMBER_CUES = re.compile(
    r"(?:\b(?:No|no|Nos|nos|Number|number|Vol|vol|Volume|volume|p|pp|page|pages|col|fol|f|op|d|l|ll|"
    r"Order|order|Telegram|telegram|Map|map|Art|art|Article|article|Section|section|Chapter|chapter|"
    r"about|some|over|nearly|almost|approximately)\.?|№|#)\s*$")
#: "d." before a year is "died" ("b. 1885, d. 1925", "(d. 1937)"), unless it is the file ("delo") of an
#: archival reference ("f. 130, op. 2, d. 1925").
_DIED = re.compile(r"(?:\(|\bb\.\s*\d{4}\s*[,;]\s*|\bborn\b[^()]*)d\.\s*$")
FUNCTION_AFTER = frozenset("""
and or to the a an in on at of by for from with was were is are had has have when which that who as
after before until till but nor so yet then there this these those it its he she they we i you
""".split())

_PREPOSITION_WORDS = r"in|In|since|Since|until|Until|till|by|By|during|During|from|From|through|throughout|" \
                     r"before|Before|after|After|of|early|late|mid-|Early|Late"
PREPOSITIONS = rf"(?:{_PREPOSITION_WORDS})"


def _word_led(words: str) -> str:
    r"""`\b(?:w1|w2|…)` for words ("w1|w2|…", each opening with a letter and holding no "|" of its
    own), written so that a scan skips in C to their first letters: each word opens with its
    letter, and the word boundary before it is checked behind that letter (CPython's `re` skips
    ahead only when every branch of a pattern opens with a literal). The same matches, in the
    same order of the words."""
    return "(?:" + "|".join(rf"{re.escape(w[0])}(?<!\w[\s\S]){w[1:]}" for w in words.split("|")) + ")"


@dataclass
class Found:
    """A recognised expression before it becomes a span."""

    start: int
    end: int
    attrs: dict[str, str]


# -- ISO helpers -----------------------------------------------------------------------------

def _day(text: str) -> int:
    digits = _DIGITS.match(text)
    return int(digits.group()) if digits else ORDINALS[text.lower()]


def _month(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def _valid(y: int, m: int, d: int) -> bool:
    try:
        _dt.date(y, m, d)
    except ValueError:
        return False
    return True


def iso(y: int | None, m: int | None = None, d: int | None = None) -> str:
    """ISO 8601 (or XML Schema gMonth/gMonthDay when the year is unknown)."""
    if y is None:
        return f"--{m:02d}" + (f"-{d:02d}" if d else "")
    out = f"{y:04d}"
    if m:
        out += f"-{m:02d}"
        if d:
            out += f"-{d:02d}"
    return out


def _last_day(y: int | None, m: int) -> int:
    return _calendar.monthrange(y if y else 2001, m)[1] if not (m == 2 and y is None) else 29


# -- reference dates (for years the text leaves out) ------------------------------------------

#: A calendar written between the day and the year: "February 3 (O.S.), 1919".
_STYLE_INSIDE = r"\s?[(\[](?:O|N)\.\s?S\.[)\]]"

_FULL_DATE = re.compile(
    rf"{_NB}(?:(?P<m1>{MONTH})\s+(?P<d1>{DAY})(?P<st1>{_STYLE_INSIDE})?,?\s+(?P<y1>{YEAR})"
    rf"|(?P<d2>{DAY_OF})\s+(?:of\s+)?(?P<m2>{MONTH})(?P<st2>{_STYLE_INSIDE})?,?\s+(?P<y2>{YEAR})){_NA}")


_MONTH_YEAR = re.compile(rf"{_NB}(?P<m>{MONTH}),?\s+(?P<y>{YEAR}){_NA}")


_YEAR_ONLY = re.compile(rf"(?:[A-Z][\w\-’'.]*(?:\s+[A-Za-z][\w\-’'.]*){{0,3}},\s*)?(?P<y>{YEAR})\.?$")


def first_full_date(text: str) -> _dt.date | None:
    """The first complete day-month-year date in a text."""
    digit = first_digit(text)
    if digit < 0 or not _YEAR_DIGITS.search(text, digit):
        return None
    for m in _matches_from(_FULL_DATE, text, DateStarts(text).of("full")):
        y = int(m.group("y1") or m.group("y2"))
        mo = _month(m.group("m1") or m.group("m2"))
        d = _day(m.group("d1") or m.group("d2"))
        if _valid(y, mo, d):
            return _dt.date(y, mo, d)
    return None


def dateline_date(text: str) -> _dt.date | None:
    """The date of a dateline: a full date, else a month and year (read as the month's last day)."""
    d = first_full_date(text)
    if d:
        return d
    m = next(_matches_from(_MONTH_YEAR, text, DateStarts(text).of("monthyear")), None)
    if m:
        y, mo = int(m.group("y")), _month(m.group("m"))
        return _dt.date(y, mo, _last_day(y, mo))
    m = _YEAR_ONLY.match(text.strip())
    if m:                           # "Moscow, 1919": any month of it falls in that year
        return _dt.date(int(m.group("y")), 12, 31)
    return None


def _parse_iso(value: str) -> _dt.date | None:
    m = re.fullmatch(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?", value.strip())
    if not m:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    return _dt.date(y, mo, d) if _valid(y, mo, d) else None


def document_dates(doc: Document) -> dict[int, _dt.date]:
    """The date of every document (div): metadata, else its datelines, heading, publication line."""
    out: dict[int, _dt.date] = {}
    order = {"opener": 0, "closer": 1, "head": 2, "bibl": 3}
    by_div: dict[int, list] = {}   # one pass over the blocks, not one per document
    for b in doc.blocks:
        if b.div is not None and b.role in order:
            by_div.setdefault(b.div, []).append(b)
    for div in doc.divs:
        given = div.attrs.get("when")
        if given and _parse_iso(given):
            out[div.index] = _parse_iso(given)
            continue
        blocks = sorted(by_div.get(div.index, ()), key=lambda b: (order[b.role], b.offset))
        for b in blocks:
            d = dateline_date(b.text)
            if d:
                out[div.index] = d
                break
    return out


def _julian_doc(doc: Document, div: int | None) -> bool:
    """True when the metadata declares the document (or the whole source) dated Old Style."""
    if div is not None and div < len(doc.divs):
        cal = doc.divs[div].attrs.get("calendar")
        for entry in doc.metadata.get("document", []) or []:
            if isinstance(entry, dict) and str(entry.get("n", "")) == str(div + 1) and entry.get("calendar"):
                cal = str(entry["calendar"])
        if cal:
            return cal.lstrip("#").lower() == "julian"
    return str(doc.metadata.get("calendar", "")).lstrip("#").lower() == "julian"


#: A text saying in so many words that its dates are Old Style: "All dates are given in the Old
#: Style", "[The dates in this order are according to the old calendar.]", "dates O.S.".
OLD_STYLE_DECLARED = re.compile(
    r"\b(?:[Aa]ll|[Tt]he|[Tt]hese|[Ii]ts)?\s*dates\b[^.;\]\n]{0,60}?"
    r"(?:\b(?:are|is|were|given|according|in|by)\b[^.;\]\n]{0,30}?)?"
    r"(?:\b[Oo]ld [Ss]tyle\b|\b[Oo]ld(?: Russian)? [Cc]alendar\b|\bJulian [Cc]alendar\b|\bO\.\s?S\.)")
#: ... unless the words deny it ("the dates are not Old Style", "converted from the Old Style").
_NOT_DECLARED = re.compile(r"\b(?:not|no longer|converted|changed|translated|corrected)\b")


def declared_old_style(doc: Document) -> tuple[bool, set[int]]:
    """Where the text itself says its dates are Old Style: a head-note says it of the whole
    text (first value), a line of a document of that document (its index in the set). Such a
    declaration holds after the change too: a White headquarters of 1919 still wrote Old Style."""
    whole, divs = False, set()
    for b in doc.blocks:
        if b.role not in ("headnote", "p", "head", "opener", "closer", "bibl") or "dates" not in b.text:
            continue
        for m in OLD_STYLE_DECLARED.finditer(b.text):
            if _NOT_DECLARED.search(m.group()):
                continue
            if b.div is None:
                whole = whole or b.role == "headnote"
            else:
                divs.add(b.div)
    return whole, divs


# -- recognisers ------------------------------------------------------------------------------

#: Words after a month that make it the name of an event, not a date.
_EVENTS = r"(?:revolution|insurrection|rising|uprising|overturn|coup)s?\b"

#: A month named after a preposition or "the": matched only a word and a space before a month
#: name (`DateStarts.before_months`).
_MONTH_AFTER_WORD = re.compile(rf"(?P<prep>{_word_led(_PREPOSITION_WORDS + '|the')})\s(?P<m>{_FULL})\b(?!\s+[A-Z])"
                               rf"(?!\s+{_EVENTS})")
#: The words before the month in `_MONTH_AFTER_WORD`, and their lengths with the space after them.
_WORDS_BEFORE_MONTH = frozenset((_PREPOSITION_WORDS + "|the").split("|"))
_WORD_BEFORE_MONTH = sorted({len(w) + 1 for w in _WORDS_BEFORE_MONTH})

_P = [
    # Old Style / New Style double dates: "5/18 January 1918", "5 (18) January 1918",
    # "January 5/18, 1918", "January 5 (18), 1918", "January 31/February 13, 1918"
    ("double", re.compile(
        rf"{_NB}(?P<da>{DAY})\s?(?:/\s?|\s?\(\s?)(?P<db>{DAY})\)?\s+(?P<m>{MONTH}),?\s+(?P<y>{YEAR}){_NA}"
        rf"|{_NB}(?P<m2>{MONTH})\s+(?P<da2>{DAY})\s?(?:/\s?(?P<mb2>{MONTH}\s+)?|\s?\(\s?(?P<mb3>{MONTH}\s+)?)(?P<db2>{DAY})\)?,?\s+(?P<y2>{YEAR}){_NA}"
        # "25 October (7 November) 1917", "31 January/13 February 1918"
        rf"|{_NB}(?P<da5>{DAY})\s+(?P<m5>{MONTH})\s?(?:/\s?|\(\s?)(?P<db5>{DAY})\s+(?P<mb5>{MONTH})\)?,?\s+(?P<y5>{YEAR}){_NA}"
        # "December 19, 1917 (January 1, 1918)": both years written
        rf"|{_NB}(?P<m4>{MONTH})\s+(?P<da4>{DAY}),?\s+(?P<ya4>{YEAR})\s?\(\s?(?P<mb4>{MONTH})\s+(?P<db4>{DAY}),?\s+(?P<y4>{YEAR})\)")),
    # "October 25 (November 7)", "January 5/18" without a year
    ("double-noyear", re.compile(
        rf"{_NB}(?P<m>{MONTH})\s+(?P<da>{DAY})\s?(?:/\s?(?P<mb>{MONTH}\s+)?|\(\s?(?P<mc>{MONTH}\s+)?)(?P<db>{DAY})\)?"
        rf"{_NA}(?!,?\s+{YEAR})"
        rf"|{_NB}(?P<da3>{DAY})\s?(?:/\s?|\(\s?)(?P<db3>{DAY})\)?\s+(?P<m3>{MONTH}){_NA}(?!,?\s+{YEAR})")),
    # New Style first, the Old Style in brackets: "June 8 (O.S. May 26)", "June 8, 1919 (May 26 O.S.)"
    ("double-ns", re.compile(
        rf"{_NB}(?P<m>{MONTH})\s+(?P<d>{DAY})(?:,?\s+(?P<y>{YEAR}))?\s?[(\[]\s?(?:(?P<st>O\.\s?S\.|[Oo]ld [Ss]tyle),?\s+)?"
        rf"(?P<mo>{MONTH})\s+(?P<do>{DAY})(?:,?\s+(?P<yo>{YEAR}))?(?(st)|,?\s+(?:O\.\s?S\.|[Oo]ld [Ss]tyle))[)\]]")),
    # a night over two days: "the night of 6/7 August", "August 6/7, 1919" (days that are no
    # Old Style / New Style pair, which the patterns above took)
    ("night", re.compile(
        rf"{_NB}(?P<da>{DAY})/(?P<db>{DAY})\s+(?P<m>{MONTH})(?:,?\s+(?P<y>{YEAR}))?{_NA}"
        rf"|{_NB}(?P<m2>{MONTH})\s+(?P<da2>{DAY})/(?P<db2>{DAY})(?:,?\s+(?P<y2>{YEAR}))?{_NA}")),
    # "June 5-7, 1918", "5-7 June 1918"
    ("dayrange", re.compile(
        rf"{_NB}(?P<m>{MONTH})\s+(?P<da>{DAY}){TO}(?P<db>{DAY}),?\s+(?P<y>{YEAR}){_NA}"
        rf"|{_NB}(?P<da2>{DAY}){TO}(?:the\s+)?(?P<db2>{DAY_OF})\s+(?:of\s+)?(?P<m2>{MONTH}),?\s+(?P<y2>{YEAR}){_NA}")),
    # "May 29 - June 2, 1918", "29 May - 2 June 1918"
    ("crossrange", re.compile(
        rf"{_NB}(?P<ma>{MONTH})\s+(?P<da>{DAY}){TO}(?P<mb>{MONTH})\s+(?P<db>{DAY}),?\s+(?P<y>{YEAR}){_NA}"
        rf"|{_NB}(?P<da2>{DAY})\s+(?P<ma2>{MONTH}){TO}(?P<db2>{DAY})\s+(?P<mb2>{MONTH}),?\s+(?P<y2>{YEAR}){_NA}")),
    # "March-May 1918"
    ("monthrange", re.compile(rf"{_NB}(?P<ma>{MONTH}){TO}(?P<mb>{MONTH}),?\s+(?P<y>{YEAR}){_NA}")),
    # "January 20 and 25, 1919", "20 or 25 January 1919"; after "between", one uncertain span
    ("dayand", re.compile(
        rf"{_NB}(?P<m>{MONTH})\s+(?P<da>{DAY})(?P<sep>\s+(?:and|or)\s+)(?P<db>{DAY}),?\s+(?P<y>{YEAR}){_NA}"
        rf"|{_NB}(?P<da2>{DAY})(?P<sep2>\s+(?:and|or)\s+)(?P<db2>{DAY})\s+(?P<m2>{MONTH}),?\s+(?P<y2>{YEAR}){_NA}")),
    # "between the 5th and the 9th of May", "between October 18 and 24" (the year written or not)
    ("between", re.compile(
        rf"\b[Bb]etween\s+(?:the\s+)?(?P<da>{DAY_OF})\s+and\s+(?:the\s+)?(?P<db>{DAY_OF})\s+(?:of\s+)?"
        rf"(?P<m>{MONTH})(?:,?\s+(?P<y>{YEAR}))?{_NA}"
        rf"|\b[Bb]etween\s+(?P<m2>{MONTH})\s+(?P<da2>{DAY})\s+and\s+(?P<db2>{DAY})(?:,?\s+(?P<y2>{YEAR}))?{_NA}")),
    # "the 7th and 8th of November" (the year from the document): two dates
    ("dayand-noyear", re.compile(
        rf"{_NB}(?P<da>{DAY})(?P<sep>\s+(?:and|or)\s+(?:the\s+)?)(?P<db>{DAY_OF})\s+(?:of\s+)?(?P<m>{MONTH})"
        rf"{_NA}(?!,?\s+{YEAR})")),
    # "November 4 or 5", "November 6 and 7" (the year from the document): two dates
    ("monthdays-noyear", re.compile(
        rf"{_NB}(?P<m>{MONTH})\s+(?P<da>{DAY})(?P<sep>\s+(?:and|or)\s+)(?P<db>{DAY}){_NA}"
        rf"(?!,?\s+{YEAR})(?!\s+(?:of\s+)?{MONTH})")),
    # "April 10 to the end of the month", "10 April 1919 till the end of the month"
    ("to-month-end", re.compile(
        rf"{_NB}(?:(?P<m>{MONTH})\s+(?P<d>{DAY})|(?P<d2>{DAY_OF})\s+(?:of\s+)?(?P<m2>{MONTH}))(?:,?\s+(?P<y>{YEAR}))?"
        rf",?\s+(?:to|till|until)\s+the\s+end\s+of\s+the\s+month\b")),
    # "June 13, 1918", "13 June 1918", "the 13th of June, 1918"
    ("full", _FULL_DATE),
    # "1918 June 13"; "1918-06-13"; "13.VI.1918", "13.6.1918" (day first, as in Russian usage)
    ("ymd", re.compile(rf"{_NB}(?P<y>{YEAR})\s+(?P<m>{MONTH})\s+(?P<d>{DAY}){_NA}")),
    ("iso", re.compile(rf"{_NB}(?P<y>{YEAR})-(?P<mo>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01]){_NA}")),
    ("numeric", re.compile(
        rf"{_NB}(?P<d>[12]\d|3[01]|0?[1-9])(?P<sep>[./])(?P<mo>[IVX]{{1,4}}|0?[1-9]|1[0-2])(?P=sep)(?P<y>{YEAR}){_NA}")),
    # "14.X", "17/X" (a day and a Roman month, the year from the document), "18.X.19"
    ("numeric-short", re.compile(
        rf"{_NB}(?P<d>[12]\d|3[01]|0?[1-9])(?P<sep>[./])(?P<mo>XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)"
        rf"(?:(?P=sep)(?P<yy>\d\d))?(?![\w]|[./]\d)")),
    # "the end of March", "the end of March 1918", "early April", "mid-May"
    ("vague", re.compile(
        rf"(?:\b(?:the|The)\s+(?:very\s+)?{_PART}\s+of\s+|\b(?P<adv>[Ee]arly|[Ll]ate|[Mm]id-|[Mm]id\s)\s?(?:in\s+)?)"
        rf"(?P<m>{MONTH})(?:,?\s+(?P<y>{YEAR}))?{_NA}")),
    # "April 1916", "April, 1916"
    ("monthyear", _MONTH_YEAR),
    # "August 6-7" (the year from the document)
    ("dayrange-noyear", re.compile(
        rf"{_NB}(?P<m>{MONTH})\s+(?P<da>{DAY}){TO}(?P<db>{DAY}){_NA}(?!,?\s+{YEAR})"
        rf"|{_NB}(?P<da2>{DAY}){TO}(?:the\s+)?(?P<db2>{DAY_OF})\s+(?:of\s+)?(?P<m2>{MONTH}){_NA}(?!,?\s+{YEAR})")),
    # "September 22 to October 2" (the year from the document)
    ("crossrange-noyear", re.compile(
        rf"{_NB}(?P<ma>{MONTH})\s+(?P<da>{DAY}){TO}(?P<mb>{MONTH})\s+(?P<db>{DAY}){_NA}(?!,?\s+{YEAR})"
        rf"|{_NB}(?P<da2>{DAY})\s+(?P<ma2>{MONTH}){TO}(?P<db2>{DAY})\s+(?P<mb2>{MONTH}){_NA}(?!,?\s+{YEAR})")),
    # "April 4", "4 April", "the 4th of April"
    ("monthday", re.compile(
        rf"{_NB}(?P<m>{MONTH})\s+(?P<d>{DAY}){_NA}(?!\s?[-–:]\s?\d)"
        rf"|{_NB}(?P<d2>{DAY_OF})\s+(?:of\s+)?(?P<m2>{MONTH}){_NA}")),
    # "1914-1920", "1918-20"
    ("yearrange", re.compile(rf"{_NB}(?P<ya>{YEAR})(?:{DASH}|/)(?P<yb>{YEAR}|\d\d)(?![\w]|[.,]\d|[-–/]\d)")),
    # a part of a year: "the first half of 1919", "the spring of 1919", "the end of 1922", "early in 1920"
    ("yearpart", re.compile(
        rf"\b(?:(?:[Tt]he\s+)?(?:very\s+)?(?P<part>{_YEAR_PARTS})\s+of\s+(?:the\s+year\s+)?"
        rf"|(?P<adv>[Ee]arly|[Ll]ate)\s+in\s+|in\s+(?P<adv2>early|late)\s+)"
        rf"(?P<y>{YEAR}){_NA}(?!\s?[-–]\s?\d)")),
    # a month named alone: "in May", "the June offensive"
    # (not the name of an event: "the October Revolution", "the February revolution")
    ("month", _MONTH_AFTER_WORD),
    # the second month of "in December and January"
    ("month", re.compile(rf"{_word_led(_FULL)}\s(?P<prep>and|or|to)\s(?P<m>{_FULL})\b(?!\s+[A-Z])")),
    # a day of this, last or next month in commercial style: "your telegram of the 12th inst."
    ("dayinst", re.compile(rf"{_NB}(?P<d>(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?)\s+(?P<w>inst|ult|prox)\b\.?")),
    # two days alone: "on the 2nd or 3rd"
    ("days", re.compile(rf"{_word_led('the|The')}\s+(?P<da>(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th))(?P<sep>\s+(?:or|and)\s+(?:the\s+)?)"
                        rf"(?P<db>(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)){_NA}(?!\s+(?:of\s+)?{MONTH})(?!\s?[-–]\s?\d)")),
    # a day alone, its month from the text before it or the document's date: "on the 14th"
    ("day", re.compile(rf"{_word_led('the|The')}\s+(?P<d>(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)){_NA}"
                       rf"(?!\s+(?:of\s+)?{MONTH})(?!\s?[-–]\s?\d)")),
    # a year alone
    ("year", re.compile(rf"{_NB}(?<!\d[-–])(?P<y>{YEAR}){_NA}(?!\s?[-–]\s?\d)")),
]


ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10, "XI": 11,
         "XII": 12}
#: Words after "the 5th" that make it a rank, a unit or a count, not a day of the month.
NOT_DAY_AFTER = frozenset("""
army armies corps division divisions brigade brigades regiment regiments battalion battalions company
companies squadron squadrons battery batteries detachment detachments flotilla fleet front century
centuries anniversary congress conference session convocation party order orders point points paragraph
paragraphs article articles section sections clause clauses time times line lines rifle rifles cavalry
infantry day days year years month months week weeks hour hours floor place row verst versts mile miles
kilometre kilometres chapter chapters volume volumes edition issue number grade class category rank
""".split())
#: Tense of a sentence, for a month named ahead of the document's date.
#: The other half of an alternative or a range that carries the year: "[the end of March] or early
#: in April 1920", "[May 30] and June 2, 1919".
_ALTERNATIVE_YEAR = re.compile(
    rf",?\s+(?:or|and|to|till|until)\s+(?:(?:the\s+)?(?:beginning|start|middle|end|close)\s+of\s+|(?:early|late)\s+(?:in\s+)?"
    rf"|mid-)?(?:{MONTH})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?,?\s+(?P<y>{YEAR})\b")
#: "since" just before a date or year of the sentence: the year bounds a period, not the date.
_SINCE = re.compile(rf"{_word_led('Since|since')}\s+(?:(?:the|a|an)\s+)?(?:\w+\s+){{0,2}}(?:of\s+|in\s+)?$")
# Patterns of the year inference and of the words after a number, compiled once.
_DIGITS = re.compile(r"\d+")
_YEAR_AFTER = re.compile(rf"(?:\s+[a-z][\w-]*){{0,3}}\s+(?:of|in)\s+(?P<y>{YEAR})\b")
_YEARS_AGO = re.compile(r",?\s+(?P<n>\w+)\s+years?\s+ago\b|,?\s+(?:of\s+)?(?P<rel>last|this|next)\s+year\b")
_YEAR_OF_SENTENCE = re.compile(rf"{_NB}({YEAR}){_NA}(?!\s?[-–]\s?\d)")
_WORD_AFTER_DAYS = re.compile(r"(?:(?:,\s*|\s+(?:and|or|to)\s+)(?:the\s+)?\d+(?:st|nd|rd|th)\b)*\s+([A-Za-z]+)")
_WORD_AFTER = re.compile(r"\s*([A-Za-z]+)")
FUTURE = re.compile(r"\b(?:will|shall|going to|is to|are to|must|next|coming|plan(?:s|ned)? to|expected to|expects?|"
                    r"propose|not later than|no later than|to be ready|are to be|is to be)\b", re.I)
PAST = re.compile(r"\b(?:was|were|had|did|took|fell|went|came|began|broke|gave|made|left|lost|won|last|ago|\w+ed)\b",
                  re.I)
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10, "a": 1}

#: Words that place a sentence in Russia (where dates before 14 February 1918 are Old Style).
_RUSSIAN_CUE_WORDS = (
    r"Russia|Russian|Soviets?|Petrograd|Petersburg|Moscow|Bolsheviks?|Mensheviks?|Tsar\w*|Kerensky|"
    r"Red Army|Red Guards?|October Revolution|February Revolution|Duma|Cossacks?|Kremlin|Smolny|Sovnarkom|"
    r"Kiev|Ukraine|Siberia\w*|Volga|Urals?|Don|Kazan|Samara|Kronstadt|Brest")
RUSSIAN_CUES = re.compile(rf"{_word_led(_RUSSIAN_CUE_WORDS)}\b")


# The end of a sentence: a mark not after a capital initial, "No" or "Mr". The mark comes first
# and the words before it are checked behind it, so that a scan skips to the marks in C.
_END_MARK = r"[.!?](?<![A-Z][.!?])(?<!\bNo[.!?])(?<!\bMr[.!?])['’”)\]]*"
_SENTENCE_END = re.compile(_END_MARK + r"\s+(?=[A-Z‘“'\"(\[])")
_LAST_SENTENCE_END = re.compile(_END_MARK + r"(?:\s+(?=[A-Z‘“'\"(\[])|\s*$)")


def _last_match(pattern: re.Pattern[str], text: str, end: int) -> re.Match[str] | None:
    """The last match of `pattern` in text[:end], for a pattern none of whose matches holds a
    space: looked for from just after a space, in a stretch that grows until it holds one (a
    block can be a whole text). No match crosses a space, so the matches from there on are those
    of a scan from the start of the text."""
    width = 400
    while True:
        cut = text.rfind(" ", 0, max(0, end - width)) + 1
        last = None
        for m in pattern.finditer(text, cut, end):
            last = m
        if last is not None or not cut:
            return last
        width *= 4


def _holding(found: list[tuple[int, int, Any]], pos: int) -> list[tuple[int, int, Any]]:
    """The entry of `found` (start, end, …), sorted and not overlapping, whose range holds `pos`."""
    k = bisect_right(found, pos, key=itemgetter(0))
    return [found[k - 1]] if k and pos < found[k - 1][1] else []


def _overlaps(found: list[tuple[int, int, Any]], start: int, end: int) -> bool:
    """Whether `start:end` shares a character with an entry of `found` (start, end, …), sorted
    and not overlapping (a list of the dates found, not a flag per character of a whole text)."""
    k = bisect_left(found, end, key=itemgetter(0))
    while k and found[k - 1][0] == found[k - 1][1]:     # an empty entry holds no character
        k -= 1
    return start < end and k > 0 and start < found[k - 1][1]


def sentence_of(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence around text[start:end] (a full stop after a capital initial or
    an abbreviation such as "No." does not end a sentence)."""
    lo = 0
    # the last end before `start`, looked for in a stretch that grows until it holds one: a
    # block can be a whole text (no blank lines), and dates many (a match cannot start inside
    # another, as each starts with its mark: the last one in a stretch is the last one)
    width = 400
    while True:
        begin = max(0, start - width)
        for m in _SENTENCE_END.finditer(text, begin, start):
            lo = m.end()
        if lo or not begin:
            break
        width *= 4
    m = _LAST_SENTENCE_END.search(text, end)
    hi = m.end() if m else len(text)
    return lo, hi


#: Words that place a sentence outside Russia (an event there is dated New Style).
_FOREIGN_CUE_WORDS = (
    r"French|Frenchm[ae]n|German|Germans|British|English|Englishm[ae]n|American|Americans|Austrian|"
    r"Austro-Hungarian|Hungarian|Italian|Japanese|Turkish|Swiss|Belgian|Dutch|Serbian|Bulgarian|Spanish|"
    r"Chinese|Paris|London|Berlin|Vienna|Rome|Washington|Tokyo|Constantinople|Berne|Geneva|Zurich|"
    r"Zimmerwald|Kienthal|Stockholm|Brussels|Sarajevo|Versailles|Commune|Marne|Verdun|Somme")
FOREIGN_CUES = re.compile(rf"{_word_led(_FOREIGN_CUE_WORDS)}\b")
#: Capitalised words (that may name a foreign country) and names of towns, for the context of a date.
_CAPITALISED = re.compile(r"[A-Z][a-z]+")
_PLACE_NAME = re.compile(r"[A-Z][a-z]+(?:-[A-Z]?[a-z]+)*")


def foreign_context(text: str, start: int, end: int) -> bool:
    """True when the sentence of a date names a country or people outside the former Empire."""
    lo, hi = sentence_of(text, start, end)
    if FOREIGN_CUES.search(text, lo, hi):
        return True
    countries = wordlists.foreign_countries()
    words = _CAPITALISED.findall(text[lo:hi])
    return any(w in countries or f"{w} {v}" in countries for w, v in zip(words, [*words[1:], ""]))


def russian_context(text: str, start: int, end: int) -> bool:
    """True when the sentence of a date speaks of Russia: a cue word or a town of the Empire."""
    lo, hi = sentence_of(text, start, end)
    if RUSSIAN_CUES.search(text, lo, hi):
        return True
    places = wordlists.russian_places()  # towns of the former Empire and their other names
    return any(tok in places for tok in _PLACE_NAME.findall(text[lo:hi]))


_ANY_MONTH = re.compile(MONTH)
#: Patterns each of whose alternatives opens, after `_NB`, with a month name, a figure or a day
#: before "of" (`DAY_OF`, which may be an ordinal word): they are matched only where such a
#: date can start (`DateStarts`), not tried at every position of a text.
_STARTED = frozenset({"double", "double-noyear", "double-ns", "night", "dayrange", "crossrange", "monthrange",
                      "dayand", "dayand-noyear", "monthdays-noyear", "ymd", "iso", "numeric", "numeric-short",
                      "monthyear", "dayrange-noyear", "crossrange-noyear", "yearrange", "dayinst", "year",
                      "monthday", "full", "to-month-end"})
#: Where any date can start: what `DateStarts.led_by("any")` finds, in one scan of every
#: position (for tests).
_DATE_STARTS = re.compile(rf"{_NB}(?={MONTH}|\d|(?i:{_ORD_WORDS}))")
_SPACE = re.compile(r"\s")
#: The two figures that open a `YEAR`.
_YEAR_OPENINGS = ("15", "16", "17", "18", "19", "20")
#: Characters before which no date starts (`_NB`).
_IN_WORD = re.compile(r"[\w.,]")
#: A number not inside a word or a number, all its figures: the first figure comes first, so
#: that a scan skips to figures in C.
_NUMBER = re.compile(r"\d(?<![\w.,]\d)\d*")
#: What follows a month name that a day or a year follows ("June 5", "June, 1918").
_FIGURES_AFTER = re.compile(r",?\s+\d")
#: The suffix of a day of one or two figures, from its second character: "4th", "14th".
_ORDINAL_SUFFIX = re.compile(r"\d?(?:st|nd|rd|th)")
#: The longest ordinal word: the most characters before "of" an ordinal-led date can open with.
_LONGEST_ORDINAL = max(map(len, ORDINALS))


def _ordinal_starts() -> re.Pattern[str]:
    """Ordinal words (any case) not inside a word, as branches that each open with one letter:
    a scan skips in C to the letters that can open one. A branch is a letter that `(?i:)`
    takes for the word's first (its capital; "ſ" for "s", among the few letters Python's `re`
    folds with an ASCII one), the test that no word character is before it, and the rest of the
    word ahead."""
    rests: dict[str, list[str]] = {}
    for w in sorted(ORDINALS, key=len, reverse=True):
        rests.setdefault(w[0], []).append(re.escape(w[1:]))
    branches = []
    for first, tails in rests.items():
        for c in dict.fromkeys((first, first.upper(), "ſ", "K", "ı", "İ")):
            if re.fullmatch(f"(?i:{first})", c):
                branches.append(rf"{c}(?<![\w.,]{c})(?=(?i:{'|'.join(tails)}))")
    return re.compile("|".join(branches))


_ORDINAL_START = _ordinal_starts()


#: What opens every match of a pattern of `_STARTED`, by the lists of `DateStarts.led_by`. No
#: pattern reads a figure right after a day (one or two figures) or a year (four); a month name
#: that opens a date has a day or a year after it ("dated month"), but in a range of months
#: ("March-May 1918"); an ordinal word has "of" and a month name after it. A pattern of
#: `_STARTED` not listed here is tried wherever any date can start ("any": slower, as right).
_LEADS: dict[str, str] = {
    "dayand-noyear": "day", "numeric": "day", "numeric-short": "day", "dayinst": "day",
    "ymd": "year", "iso": "year", "yearrange": "year", "year": "year",
    "monthrange": "month",
    "double-ns": "dated month", "monthdays-noyear": "dated month", "monthyear": "dated month",
    "double": "day or dated month", "double-noyear": "day or dated month", "night": "day or dated month",
    "dayrange": "day or dated month", "crossrange": "day or dated month", "dayand": "day or dated month",
    "dayrange-noyear": "day or dated month", "crossrange-noyear": "day or dated month",
    "full": "day, dated month or ordinal", "monthday": "day, dated month or ordinal",
    "to-month-end": "day, dated month or ordinal",
}


def _tokens_back(text: str, end: int, tokens: int) -> int:
    r"""Where the last `tokens` whitespace-separated tokens (`\S+`) before `end` begin, or 0
    when nothing but spaces is before them; a token may end at `end`. Looked for in a stretch
    that grows until it holds some text before them."""
    width = 100
    while True:
        begin = max(0, end - width)
        parts = text[begin:end].rsplit(None, tokens)
        if len(parts) > tokens:     # the first token, after what is before it and the spaces
            return text.find(parts[1], begin + len(parts[0]))
        if not begin:
            return 0
        width *= 4


#: Patterns whose dates open with a few words before a month name or a year ("the end of March",
#: "early in 1920"): the list of `DateStarts.led_by` those end before, how the last of the words
#: ends (spaces aside), the most tokens the words take ("the very first ten days of", "the very
#: first half of the year"), and where they can open.
_PHRASE_LED: dict[str, tuple[str, tuple[str, ...], int, re.Pattern[str]]] = {
    "vague": ("month in a word", ("of", "in", "arly", "ate", "id-", "id"), 6,
              re.compile(_word_led("the|The|Early|early|Late|late|Mid|mid"))),
    "yearpart": ("year", ("of", "year", "in", "arly", "ate"), 7,
                 re.compile(_word_led(f"the|The|very|{_YEAR_PARTS}|Early|early|Late|late|in"))),
}


class DateStarts:
    """Where the dates of one text can start, by what opens them: each pattern of `_STARTED` is
    matched only where its own dates can start (`_LEADS`). Each list is found when first asked
    for; all are in ascending order."""

    def __init__(self, text: str):
        self.text = text
        self._lists: dict[str, list[int]] = {}

    def led_by(self, lead: str) -> list[int]:
        """The starts of dates led by `lead`: a value of `_LEADS`; "figure" (any number),
        "figure month" (a number or a month name) or "any" (these or an ordinal word); "month
        in a word" (every month name, even after a letter: "earlyMay")."""
        found = self._lists.get(lead)
        if found is None:
            text = self.text
            if lead in ("figure", "day", "year"):
                # one scan for the numbers, sorted by their length
                figures, days, years = [], [], []
                for m in _NUMBER.finditer(text):
                    p = m.start()
                    figures.append(p)
                    if m.end() - p <= 2:
                        days.append(p)
                    elif m.end() - p == 4 and text.startswith(_YEAR_OPENINGS, p):
                        years.append(p)
                self._lists.update({"figure": figures, "day": days, "year": years})
                return self._lists[lead]
            if lead in ("month", "dated month", "month in a word"):
                # a month name is made of letters and full stops: none starts inside another after `_NB`
                months, dated, in_words = [], [], []
                for m in _ANY_MONTH.finditer(text):
                    p = m.start()
                    in_words.append(p)
                    if not (p and _IN_WORD.match(text, p - 1)):
                        months.append(p)
                        if _FIGURES_AFTER.match(text, m.end()):
                            dated.append(p)
                self._lists.update({"month": months, "dated month": dated, "month in a word": in_words})
                return self._lists[lead]
            if lead == "ordinal":
                found = self._ordinals_before_months()
            elif lead == "day or dated month":     # a figure never opens a month name
                found = sorted(self.led_by("day") + self.led_by("dated month"))
            elif lead == "day, dated month or ordinal":
                found = sorted({*self.led_by("day or dated month"), *self.led_by("ordinal")})
            elif lead == "figure month":
                found = sorted(self.led_by("figure") + self.led_by("month"))
            else:
                ordinals = [m.start() for m in _ORDINAL_START.finditer(text)]
                found = sorted({*self.led_by("figure month"), *ordinals})
            self._lists[lead] = found
        return found

    def _ordinals_before_months(self) -> list[int]:
        """The ordinal words that may open a date: before "of" and a month name ("the fourth of
        July"), where `DAY_OF` takes one (the starts of the words ending there, looked for in
        the few characters the longest takes)."""
        text = self.text
        found: list[int] = []
        for q in self.led_by("month"):
            of = q
            while of and text[of - 1].isspace():      # `\s`
                of -= 1
            if of == q or of < 2 or not text.startswith("of", of - 2, of):
                continue
            end = of - 2
            while end and text[end - 1].isspace():
                end -= 1
            if end < of - 2:
                found += [m.start() for m in _ORDINAL_START.finditer(text, max(0, end - _LONGEST_ORDINAL), end)]
        return sorted(set(found))

    def before_months(self) -> list[int]:
        """Where `_MONTH_AFTER_WORD` can match: at one of its words, before a space before a month
        name (which, after a space, is one of the names found for `led_by("month")`)."""
        found = self._lists.get("before months")
        if found is None:
            text = self.text
            found = sorted({q - n for q in self.led_by("month") if q and _SPACE.match(text, q - 1)
                            for n in _WORD_BEFORE_MONTH if q >= n and text[q - n:q - 1] in _WORDS_BEFORE_MONTH})
            self._lists["before months"] = found
        return found

    def before_days(self) -> list[int]:
        """Where the patterns of a day alone ("on the 14th", "the 2nd or 3rd") can match: at
        "the" or "The" before the spaces before a day with its ordinal suffix (a figure of
        `led_by("day")`)."""
        found = self._lists.get("before days")
        if found is None:
            text = self.text
            found = []
            for p in self.led_by("day"):
                if not _ORDINAL_SUFFIX.match(text, p + 1):
                    continue
                the = p
                while the and text[the - 1].isspace():      # `\s+`
                    the -= 1
                if 3 <= the < p and text.startswith(("the", "The"), the - 3, the):
                    found.append(the - 3)
            self._lists["before days"] = found
        return found

    def phrase_starts(self, kind: str) -> list[int]:
        """Where a pattern of `_PHRASE_LED` can match: at the words that may open it, among the
        last few tokens before a month name or a year that its last word is right before."""
        found = self._lists.get(kind)
        if found is None:
            lead, last_words, tokens, opening = _PHRASE_LED[kind]
            text = self.text
            opens: set[int] = set()
            for q in self.led_by(lead):
                last = q
                while last and text[last - 1].isspace():      # `\s`
                    last -= 1
                if text.endswith(last_words, 0, last):
                    opens.update(m.start() for m in opening.finditer(text, _tokens_back(text, q, tokens), q))
            found = self._lists[kind] = sorted(opens)
        return found

    def of(self, kind: str) -> list[int]:
        """Where a match of the pattern `kind` can start."""
        return self.led_by(_LEADS.get(kind, "any"))

    def where(self, kind: str, led: str) -> list[int]:
        """Where the recogniser tries the pattern `kind`, by how its matches are led (`led`, as
        `_kinds_for` gives it: "starts", "before months", "before days" or "phrase")."""
        if led == "starts":
            return self.of(kind)
        if led == "before months":
            return self.before_months()
        if led == "before days":
            return self.before_days()
        return self.phrase_starts(kind)


def _matches_from(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` for a pattern whose matches start only at `starts` (ascending):
    the first that matches at or after the end of the last match, in turn."""
    end = 0
    for p in starts:
        if p >= end:
            m = pattern.match(text, p)
            if m is not None:
                yield m
                end = m.end()
_ANY_DIGIT = re.compile(r"\d")
_ASCII_DIGITS = "0123456789"


def first_digit(text: str) -> int:
    r"""Where the first character `\d` matches is in `text`, or -1. An ASCII text can hold only the
    ten ASCII digits, found each with a substring search in C far cheaper than a regular-expression
    scan; any other text (`\d` matches every Unicode decimal digit) is scanned."""
    if text.isascii():
        found = [p for p in map(text.find, _ASCII_DIGITS) if p >= 0]
        return min(found) if found else -1
    m = _ANY_DIGIT.search(text)
    return m.start() if m is not None else -1


#: pattern kinds that match without a month name, and without a digit
_TO_WORDS = ("-", "–", "—", "to", "till", "until")
#: Text a pattern cannot match without: a block lacking all of them is not scanned with it.
_GATES: dict[str, tuple[str, ...]] = {
    "double": ("/", "("), "double-noyear": ("/", "("), "night": ("/",), "double-ns": ("O.", "ld "),
    "dayrange": _TO_WORDS, "crossrange": _TO_WORDS,
    "monthrange": _TO_WORDS, "dayrange-noyear": _TO_WORDS, "crossrange-noyear": _TO_WORDS,
    "dayand": ("and", "or"), "dayand-noyear": ("and", "or"), "between": ("etween",),
    "monthdays-noyear": ("and", "or"), "days": ("and", "or"), "to-month-end": ("end of the month",),
    "yearrange": ("-", "–", "—", "/"), "iso": ("-",), "numeric": (".", "/"), "numeric-short": (".", "/"),
    "yearpart": ("of", "in"), "dayinst": ("inst", "ult", "prox"),
}
_YEAR_DIGITS = re.compile(r"\d\d\d\d")
_YEAR_TOKEN = re.compile(rf"{_NB}({YEAR}){_NA}")
_THE_BEFORE = re.compile(r"\b[Tt]he\s+$")
_NO_MONTH_KINDS = frozenset({"iso", "numeric", "numeric-short", "yearrange", "yearpart", "day", "days", "year",
                             "dayinst"})
_NO_DIGIT_KINDS = frozenset({"month", "vague", "monthday", "between", "dayand-noyear", "dayrange-noyear", "to-month-end"})
#: Patterns every match of which holds a year in figures: skipped in a text without one.
_YEAR_KINDS = frozenset({"double", "dayrange", "crossrange", "monthrange", "dayand", "full", "ymd", "iso", "numeric",
                         "monthyear", "yearrange", "yearpart", "year"})
_ANY_YEAR = re.compile(YEAR)


def _kinds_for(has_month: bool, has_digit: bool, has_year: bool) -> tuple[tuple[str, re.Pattern[str], tuple[str, ...], str], ...]:
    """The patterns, in order, that can match a text with (or without) a month name, a digit, a
    year: (kind, pattern, the text it needs, where it is matched: "" everywhere, else "starts",
    "before months", "before days" or "phrase", see `DateStarts`)."""
    return tuple(
        (kind, pattern, _GATES.get(kind, ()),
         "starts" if kind in _STARTED else "before months" if pattern is _MONTH_AFTER_WORD
         else "before days" if kind in ("day", "days") else "phrase" if kind in _PHRASE_LED else "")
        for kind, pattern in _P
        if (kind in _NO_MONTH_KINDS or has_month) and (kind in _NO_DIGIT_KINDS or has_digit)
        and (kind not in _YEAR_KINDS or has_year))


#: `_kinds_for` of every text: (has a month name, has a digit, has a year) -> the patterns to try.
_KINDS_FOR = {(m, d, y): _kinds_for(m, d, y) for m in (False, True) for d in (False, True) for y in (False, True)}


def _inferred(start: int, end: int, attrs: dict[str, str], cert: str | None) -> Found:
    """A date whose year (or month) was inferred says who decided and how sure (`cert` None: written)."""
    if cert:
        attrs.update({"resp": RESP, "cert": cert})
    return Found(start, end, attrs)


def _joined(fa: Found | None, fb: Found | None, start: int, end: int,
            keys: tuple[str, str] = ("from", "to")) -> list[Found]:
    """One period from the days of two dates (both in one calendar), or nothing when either is
    missing or they are out of order."""
    if fa is None or fb is None or "when" not in fa.attrs or "when" not in fb.attrs \
            or fb.attrs["when"] <= fa.attrs["when"] or ("when-custom" in fa.attrs) != ("when-custom" in fb.attrs):
        return []
    attrs = {keys[0]: fa.attrs["when"], keys[1]: fb.attrs["when"]}
    if "when-custom" in fa.attrs:
        attrs.update({f"{keys[0]}-custom": fa.attrs["when-custom"], f"{keys[1]}-custom": fb.attrs["when-custom"]})
    attrs.update({k: v for k, v in fa.attrs.items() if k not in ("when", "when-custom")})
    return [Found(start, end, attrs)]


class Recogniser:
    """Finds date expressions in one block and normalises them."""

    def __init__(self, ref: _dt.date | None, ref_cert: str, julian_doc: bool, russian: bool = False,
                 russian_doc: bool = False, note: bool = False, declared: bool = False,
                 headnote: bool = False):
        self.ref = ref
        self.ref_cert = ref_cert
        self.julian_doc = julian_doc or declared
        self.declared = declared            # the text says its dates are Old Style, at any date
        self.russian = russian
        self.russian_doc = russian_doc      # a document dated in Russia before the change
        # (start, end, year) of the dates with a year, and (start, end, last written day) of every
        # date found, in the order of the text (dates do not overlap: by start is by end too), so
        # that the ones near a position are found by bisection in a block of a whole text
        self.explicit: list[tuple[int, int, int]] = []
        self.days: list[tuple[int, int, str]] = []
        # an editor's note tells history from later on: its own dates set the year, not the
        # date of the document it annotates
        self.note = note
        self.headnote = headnote

    # year inference ------------------------------------------------------------------------
    def infer_year(self, text: str, start: int, end: int, month: int,
                   day: int | None) -> tuple[int | None, str | None]:
        """Year for a month (and day) the text gives without one, and how sure that is.

        In order: a year right after it ("the June offensive of 1917"), a year counted back
        from the document's ("October 25 two years ago"), another date of the same sentence
        that gives its year, in an editor's note the nearest date before it in the note, the
        document's own date (a date far ahead of it falls in the year before), the nearest
        date earlier in the source.
        """
        tail = text[end:end + 40]
        m = _YEAR_AFTER.match(tail) or _ALTERNATIVE_YEAR.match(tail)
        if m:                       # "the June offensive of 1917", "the end of March or early in April 1920"
            return int(m.group("y")), "high"
        m = _YEARS_AGO.match(tail)
        if m and self.ref is not None:
            if m.group("rel"):
                return self.ref.year + {"last": -1, "this": 0, "next": 1}[m.group("rel")], "high"
            n = NUMBERS.get(m.group("n").lower()) or (int(m.group("n")) if m.group("n").isdigit() else 0)
            if n:
                return self.ref.year - n, "high"
        lo, hi = sentence_of(text, start, end)
        # (not a year that only bounds a period: "broken since the summer of 1918, restored on
        # September 13")
        near = self.explicit[bisect_left(self.explicit, lo, key=itemgetter(0)):bisect_right(self.explicit, hi, key=itemgetter(0))]
        years = {y for (a, b, y) in near if b <= hi and not _SINCE.search(text, lo, a)}
        if not years:               # a year of its own earlier in the sentence: "In 1917, on July 3, …"
            years = {int(m.group(1)) for m in _YEAR_OF_SENTENCE.finditer(text[lo:start])
                     if self._is_year(text, lo + m.start(1), lo + m.end(1))
                     and not _SINCE.search(text, lo, lo + m.start(1))}
        if len(years) == 1:
            return years.pop(), "medium"
        if self.note:
            # the last date with a year that ends before `start`
            k = bisect_right(self.explicit, start, key=itemgetter(1))
            earlier = [self.explicit[k - 1][1:]] if k else []
            if self.headnote:
                # a head-note on the documents: also the years written before it, which later
                # patterns will find ("Voronezh in the autumn of 1919. … on October 24"); not in
                # an endnote, where a life's years ("born in 1888") are no date of the events
                earlier += [(m.end(1), int(m.group(1))) for m in _YEAR_TOKEN.finditer(text, 0, start)
                            if self._is_year(text, m.start(1), m.end(1))]
            if earlier:
                return max(earlier)[1], "medium"
        if self.ref is None:
            return None, None
        y = self.ref.year
        probe = _dt.date(y, month, min(day or 1, _last_day(y, month)))
        ahead = (probe - self.ref).days
        if ahead > 31 and not self.note:
            # a month ahead of the document's date: this year if the sentence speaks of the
            # future, the year before if it tells the past; otherwise by distance
            sentence = text[lo:hi]
            if FUTURE.search(sentence):
                return y, "medium"
            if PAST.search(sentence) or ahead > 180:
                return y - 1, "medium"
            return y, "medium"
        if ahead < -183 and not self.note and FUTURE.search(text[lo:hi]):
            # half a year before the document's date, in a sentence about the future: next year's
            # ("By January 15 the army will be ready" in an order of December)
            return y + 1, "medium"
        return y, self.ref_cert

    # attribute builders ----------------------------------------------------------------------
    def _dated(self, y: int, m: int, d: int, start: int, end: int, text: str,
               inferred: str | None = None, style_at: int | None = None) -> Found | None:
        if not _valid(y, m, d):
            return None
        attrs: dict[str, str] = {}
        end2 = end
        marked, guess = self._calendar(_dt.date(y, m, d), start, end, text, style_at)
        if marked == "julian" or guess:
            gy, gm, gd = _julian.to_gregorian(y, m, d)
            attrs.update({"when": iso(gy, gm, gd), "when-custom": iso(y, m, d),
                          "datingMethod": "#julian", "calendar": "#julian"})
            if not marked:
                # declared for the document: medium; read from the context alone: low
                attrs.update({"resp": RESP, "cert": "medium" if self.julian_doc else "low"})
        else:
            attrs["when"] = iso(y, m, d)
            if marked == "gregorian":
                attrs["calendar"] = "#gregorian"
        if inferred and "resp" not in attrs:
            attrs.update({"resp": RESP, "cert": inferred})
        return Found(start, end2, attrs)

    def _span(self, a: tuple[int, int, int], b: tuple[int, int, int], start: int, end: int, text: str,
              inferred: str | None = None, keys: tuple[str, str] = ("from", "to")) -> list[Found]:
        """A period from day `a` to day `b` (year, month, day as written) at text[start:end]: in
        Old Style, both ends converted and written in `*-custom`, as for one day."""
        fa = self._dated(*a, start, end, text, inferred=inferred)
        fb = self._dated(*b, start, end, text, inferred=inferred)
        return _joined(fa, fb, start, end, keys)

    def _calendar(self, last: _dt.date, start: int, end: int, text: str,
                  style_at: int | None = None) -> tuple[str, bool]:
        """The calendar a date written at text[start:end] says it is in ("O.S." after it:
        "julian", "N.S.": "gregorian", else ""), and whether, unmarked, it is taken as Old Style:
        before the change, a date in a text from Russia is Old Style unless its sentence is about
        another country ("the Paris Commune, March 18, 1871") — a guess, said with @cert."""
        style = STYLE.match(text, end if style_at is None else style_at)
        marked = ("julian" if style.group(1)[0] in "Oo" else "gregorian") if style else ""
        guess = not marked and (self.declared or last <= LAST_JULIAN and (
            self.julian_doc or self.russian_doc or (self.russian and (
                russian_context(text, start, end) or not foreign_context(text, start, end)))))
        return marked, guess

    def _month_dated(self, y: int, mo: int, start: int, end: int, text: str,
                     inferred: str | None = None) -> Found:
        """A month of a year; in Old Style, the written month (`@when-custom`) and the New Style
        days it covers (`@notBefore`/`@notAfter`: October 1905 O.S. is 14 October-13 November)."""
        last = _last_day(y, mo)
        marked, guess = self._calendar(_dt.date(y, mo, last), start, end, text)
        attrs: dict[str, str]
        if marked == "julian" or guess:
            lo, hi = _julian.to_gregorian(y, mo, 1), _julian.to_gregorian(y, mo, last)
            attrs = {"notBefore": iso(*lo), "notAfter": iso(*hi), "when-custom": iso(y, mo),
                     "datingMethod": "#julian", "calendar": "#julian"}
            if not marked:      # the less sure of the two guesses: the year and the calendar
                certs = [c for c in (inferred, "medium" if self.julian_doc else "low") if c]
                attrs.update({"resp": RESP, "cert": min(certs, key=("low", "medium", "high").index)})
        else:
            attrs = {"when": iso(y, mo)}
            if marked == "gregorian":
                attrs["calendar"] = "#gregorian"
        if inferred and "resp" not in attrs:
            attrs.update({"resp": RESP, "cert": inferred})
        return Found(start, end, attrs)

    def found(self, kind: str, m: re.Match, text: str) -> list[Found]:
        g = m.groupdict()
        s, e = m.start(), m.end()
        if kind == "double":
            if g.get("da"):
                mo_a = mo_b = _month(g["m"])
                da, db, y = _day(g["da"]), _day(g["db"]), int(g["y"])
            elif g.get("da5"):
                mo_a, mo_b = _month(g["m5"]), _month(g["mb5"])
                da, db, y = _day(g["da5"]), _day(g["db5"]), int(g["y5"])
            elif g.get("da4"):
                mo_a, mo_b = _month(g["m4"]), _month(g["mb4"])
                da, db, y = _day(g["da4"]), _day(g["db4"]), int(g["y4"])
                if int(g["ya4"]) != (y - 1 if (mo_a, mo_b) == (12, 1) else y):
                    return []
            else:
                mo_a = _month(g["m2"])
                mo_b = _month((g.get("mb2") or g.get("mb3") or g["m2"]).strip())
                da, db, y = _day(g["da2"]), _day(g["db2"]), int(g["y2"])
            if not _valid(y, mo_a, da):
                return []
            ya = y
            # the Julian day may fall in December of the year before the Gregorian one
            if mo_a == 12 and mo_b == 1:
                ya = y - 1
            try:
                gy, gm, gd = _julian.to_gregorian(ya, mo_a, da)
            except ValueError:
                return []
            if (gm, gd) != (mo_b, db):
                return []           # not an O.S./N.S. pair: leave it to the other recognisers
            return [Found(s, e, {"when": iso(gy, gm, gd), "when-custom": iso(ya, mo_a, da),
                                 "datingMethod": "#julian", "calendar": "#julian"})]
        if kind == "double-noyear":
            if g.get("da3"):
                mo_a = mo_b = _month(g["m3"])
                da, db = _day(g["da3"]), _day(g["db3"])
            else:
                mo_a = _month(g["m"])
                mo_b = _month((g.get("mb") or g.get("mc") or g["m"]).strip())
                da, db = _day(g["da"]), _day(g["db"])
            y, cert = self.infer_year(text, s, e, mo_a, da)
            if y is None or not _valid(y, mo_a, da):
                return []
            gy, gm, gd = _julian.to_gregorian(y, mo_a, da)
            if (gm, gd) != (mo_b, db):
                return []
            return [Found(s, e, {"when": iso(gy, gm, gd), "when-custom": iso(y, mo_a, da),
                                 "datingMethod": "#julian", "calendar": "#julian", "resp": RESP, "cert": cert})]
        if kind == "dayinst":
            if self.ref is None:
                return []
            the = _THE_BEFORE.search(text, max(0, s - 5), s)
            s = the.start() if the else s       # "the 12th inst."
            y, mo = self.ref.year, self.ref.month + {"inst": 0, "ult": -1, "prox": 1}[g["w"]]
            y, mo = (y - 1, 12) if mo == 0 else (y + 1, 1) if mo == 13 else (y, mo)
            d = _day(g["d"])
            f = self._dated(y, mo, d, s, e, text, inferred=self.ref_cert) if _valid(y, mo, d) else None
            return [f] if f else []
        if kind == "double-ns":
            mo, d, mo_o, d_o = _month(g["m"]), _day(g["d"]), _month(g["mo"]), _day(g["do"])
            y, cert = self._year(g["y"], text, s, e, mo, d)
            if y is None or not _valid(y, mo, d):
                return []
            yo = int(g["yo"]) if g["yo"] else y - 1 if (mo_o, mo) == (12, 1) else y
            if not _valid(yo, mo_o, d_o) or _julian.to_gregorian(yo, mo_o, d_o) != (y, mo, d):
                return []           # not the same day in the two calendars
            attrs = {"when": iso(y, mo, d), "when-custom": iso(yo, mo_o, d_o), "datingMethod": "#julian"}
            return [_inferred(s, e, attrs, cert)]
        if kind == "night":
            mo = _month(g["m"] or g["m2"])
            da, db = _day(g["da"] or g["da2"]), _day(g["db"] or g["db2"])
            if db != da + 1:
                return []
            written = g["y"] or g["y2"]
            y, cert = self._year(written, text, s, e, mo, da)
            if y is None:
                return []
            return self._span((y, mo, da), (y, mo, db), s, e, text, inferred=cert)
        if kind == "full":
            y = int(g["y1"] or g["y2"])
            mo = _month(g["m1"] or g["m2"])
            d = _day(g["d1"] or g["d2"])
            style = m.start("st1") if g["st1"] else m.start("st2") if g["st2"] else None
            f = self._dated(y, mo, d, s, e, text, style_at=style)
            return [f] if f else []
        if kind in ("ymd", "iso", "numeric"):
            y, d = int(g["y"]), _day(g["d"])
            if kind == "ymd":
                mo = _month(g["m"])
            else:
                mo = int(g["mo"]) if g["mo"].isdigit() else ROMAN.get(g["mo"], 0)
            if not mo:
                return []
            f = self._dated(y, mo, d, s, e, text)
            return [f] if f else []
        if kind == "dayand":
            mo = _month(g["m"] or g["m2"])
            da, db = _day(g["da"] or g["da2"]), _day(g["db"] or g["db2"])
            y = int(g["y"] or g["y2"])
            if not (_valid(y, mo, da) and _valid(y, mo, db)):
                return []
            first = "m" if g["m"] else "da2"
            s = m.start(first)
            between = _BETWEEN.search(text, max(0, s - 9), s)     # "between January 20 and 25, 1919"
            sep = "sep" if g["m"] else "sep2"
            if between and "and" in g[sep] and da < db:
                return self._span((y, mo, da), (y, mo, db), s, e, text, keys=("notBefore", "notAfter"))
            # two dates sharing month and year: "January 20 | and | 25, 1919" (the calendar is
            # read where the year is written: "December 9 and 17, 1905 (O.S.)")
            fa, fb = self._dated(y, mo, da, s, e, text), self._dated(y, mo, db, s, e, text)
            if fa is None or fb is None:
                return []
            return [Found(s, m.start(sep), fa.attrs), Found(m.end(sep), e, fb.attrs)]
        if kind == "dayrange":
            mo = _month(g["m"] or g["m2"])
            da, db = _day(g["da"] or g["da2"]), _day(g["db"] or g["db2"])
            y = int(g["y"] or g["y2"])
            return self._span((y, mo, da), (y, mo, db), s, e, text)
        if kind == "crossrange-noyear":
            ma, mb = _month(g["ma"] or g["ma2"]), _month(g["mb"] or g["mb2"])
            da, db = _day(g["da"] or g["da2"]), _day(g["db"] or g["db2"])
            y, cert = self.infer_year(text, s, e, ma, da)
            if y is None:
                return []
            yb = y + 1 if mb < ma else y
            return self._span((y, ma, da), (yb, mb, db), s, e, text, inferred=cert)
        if kind == "dayrange-noyear":
            mo = _month(g["m"] or g["m2"])
            da, db = _day(g["da"] or g["da2"]), _day(g["db"] or g["db2"])
            y, cert = self.infer_year(text, s, e, mo, da)
            if y is None:
                return []
            return self._span((y, mo, da), (y, mo, db), s, e, text, inferred=cert)
        if kind == "crossrange":
            ma, mb = _month(g["ma"] or g["ma2"]), _month(g["mb"] or g["mb2"])
            da, db = _day(g["da"] or g["da2"]), _day(g["db"] or g["db2"])
            y = int(g["y"] or g["y2"])
            ya = y - 1 if ma > mb else y
            return self._span((ya, ma, da), (y, mb, db), s, e, text)
        if kind == "monthrange":
            ma, mb, y = _month(g["ma"]), _month(g["mb"]), int(g["y"])
            ya = y - 1 if ma > mb else y
            return [Found(s, e, {"from": iso(ya, ma), "to": iso(y, mb)})]
        if kind == "vague":
            mo = _month(g["m"])
            part = (g.get("part") or g.get("adv") or "").lower().strip()
            lo, hi = PARTS.get(part, PARTS.get(part.rstrip("-"), (1, None)))
            attrs: dict[str, str] = {}
            if g.get("y"):
                y, cert = int(g["y"]), None
            else:
                y, cert = self.infer_year(text, s, e, mo, max(lo, 1))
            if lo < 1 and y is not None:       # counted from the month's end: "the last week"
                lo = _last_day(y, mo) + lo
            if VAGUE_AS_MONTH:
                attrs["when"] = iso(y, mo)
            else:
                attrs["notBefore"] = iso(y, mo, lo)
                attrs["notAfter"] = iso(y, mo, hi or _last_day(y, mo))
            return [_inferred(s, e, attrs, cert)]
        if kind == "between":
            mo = _month(g["m"] or g["m2"])
            da, db = _day(g["da"] or g["da2"]), _day(g["db"] or g["db2"])
            s = m.start("da") if g["da"] else m.start("m2")
            y, cert = self._year(g["y"] or g["y2"], text, s, e, mo, da)
            if y is None:
                return []
            return self._span((y, mo, da), (y, mo, db), s, e, text, inferred=cert, keys=("notBefore", "notAfter"))
        if kind == "dayand-noyear":
            return self._days_of_month(_month(g["m"]), ((m.start("da"), m.end("da"), g["da"]),
                                                        (m.start("db"), e, g["db"])), text, s, e)
        if kind == "numeric-short":
            mo, d = ROMAN[g["mo"]], _day(g["d"])
            y, cert = self._year(f"19{g['yy']}" if g.get("yy") else None, text, s, e, mo, d)
            if y is None or not _valid(y, mo, d):
                return []
            f = self._dated(y, mo, d, s, e, text, inferred=cert)
            return [f] if f else []
        if kind == "day":
            return self._day_alone(text, m.start(), m.end(), _day(m.group("d")))
        if kind == "days":
            first = self._day_alone(text, m.start(), m.end("da"), _day(m.group("da")), after=e)
            second = self._day_alone(text, m.start("db"), e, _day(m.group("db")))
            if first and second and "and" in g["sep"] and _BETWEEN.search(text, max(0, s - 9), s):
                # "between the 8th and the 16th": one period, as "between the 8th and the 16th of March"
                return _joined(first[0], second[0], s, e, ("notBefore", "notAfter"))
            return first + second if first and second else []
        if kind == "to-month-end":
            mo, d = _month(g["m"] or g["m2"]), _day(g["d"] or g["d2"])
            y, cert = self._year(g.get("y"), text, s, e, mo, d)
            if y is None or not _valid(y, mo, d):
                return []
            attrs = {"from": iso(y, mo, d), "to": iso(y, mo, _last_day(y, mo))}
            return [_inferred(s, e, attrs, cert)]
        if kind == "monthdays-noyear":
            return self._days_of_month(_month(g["m"]), ((s, m.end("da"), g["da"]), (m.start("db"), e, g["db"])),
                                       text, s, e)
        if kind == "yearpart":
            y = int(g["y"])
            half = YEAR_HALVES.get((g.get("part") or "").lower())
            if half:
                return [Found(s, e, {"notBefore": f"{y:04d}-{half[0]}", "notAfter": f"{y:04d}-{half[1]}"})]
            return [Found(s, e, {"when": iso(y)})]
        if kind == "monthyear":
            return [self._month_dated(int(g["y"]), _month(g["m"]), s, e, text)]
        if kind == "monthday":
            mo = _month(g["m"] or g["m2"])
            d = _day(g["d"] or g["d2"])
            if d > 31:
                return []
            y, cert = self.infer_year(text, s, e, mo, d)
            if y is None:
                if not _valid(2000, mo, d):
                    return []
                return [Found(s, e, {"when": iso(None, mo, d)})]
            f = self._dated(y, mo, d, s, e, text, inferred=cert)
            return [f] if f else []
        if kind == "yearrange":
            if NUMBER_CUES.search(text[max(0, s - 14):s]):
                return []           # "pp. 1917-20", "Nos. 1917-1920"
            ya = int(g["ya"])
            yb_text = g["yb"]
            yb = int(yb_text) if len(yb_text) == 4 else (ya // 100) * 100 + int(yb_text)
            if yb <= ya or yb - ya > 100:
                return []
            return [Found(s, e, {"from": iso(ya), "to": iso(yb)})]
        if kind == "month":
            mo = _month(g["m"])
            s = m.start("m")
            if g["m"] == "May" and g["prep"] == "the":
                return []           # "the May ..." is rare; "May" as a verb is common
            y, cert = self.infer_year(text, s, e, mo, None)
            if y is None:
                return [Found(s, e, {"when": iso(y, mo)})]
            return [self._month_dated(y, mo, s, e, text, inferred=cert)]
        if kind == "year":
            if not self._is_year(text, s, e):
                return []
            return [Found(s, e, {"when": g["y"]})]
        return []

    def _year(self, written: str | None, text: str, s: int, e: int, mo: int,
              d: int | None) -> tuple[int | None, str | None]:
        """The year written with a date, else the one inferred (and how sure that is)."""
        return (int(written), None) if written else self.infer_year(text, s, e, mo, d)

    def _days_of_month(self, mo: int, parts: tuple[tuple[int, int, str], ...], text: str, s: int,
                       e: int) -> list[Found]:
        """Days of one month written together ("the 7th and 8th of November", "November 4 or 5"):
        one date each, or none when one of them is no date."""
        out = []
        for lo, hi, day in parts:
            d = _day(day)
            y, cert = self.infer_year(text, s, e, mo, d)
            f = self._dated(y, mo, d, lo, hi, text, inferred=cert) if y is not None and _valid(y, mo, d) else None
            if f is None:
                return []
            out.append(f)
        return out

    def _day_alone(self, text: str, s: int, e: int, d: int, after: int | None = None) -> list[Found]:
        """"the 14th" at text[s:e]: the month last named before it in the text (cert medium),
        else the document's month, or the one before for a day after the document's in a
        sentence that tells the past (cert low). `after`: where the words that
        may make it a unit begin, if not at `e`."""
        # the word after it, past more numbers of a list ("the 26th and 27th Divisions")
        tail = after if after is not None else e
        after = _WORD_AFTER_DAYS.match(text[tail:tail + 80])
        if after and (after.group(1)[0].isupper() or after.group(1).lower() in NOT_DAY_AFTER):
            return []               # "the 5th Army", "the 14th regiment", "the 3rd time"
        named = _last_match(_ANY_MONTH, text, s)
        if named is not None:
            mo = _month(named.group())
            # the year of that month's own date ("16th October, 1919. On the 14th …"), else inferred
            own = [y for a, b, y in _holding(self.explicit, named.start())]
            y = own[-1] if own else self.infer_year(text, s, e, mo, d)[0]
            cert = "medium"
            # after a day of that month, the nearer of its day d and the next month's: "On
            # December 28 the station fell; by the 3rd" is January 3, "on the 25th" December 25
            last = next((v for a, b, v in _holding(self.days, named.start()) if len(v) == 10), "")
            if y is not None and last and int(last[:4]) == y and int(last[5:7]) == mo:
                ld = int(last[8:10])
                if d < ld and _last_day(y, mo) - ld + d < ld - d:
                    y, mo, cert = (y, mo + 1, "low") if mo < 12 else (y + 1, 1, "low")
        elif self.ref is not None:
            y, mo, cert = self.ref.year, self.ref.month, "low"
            lo, hi = sentence_of(text, s, e)
            sentence = text[lo:hi]
            if d > self.ref.day and PAST.search(sentence) and not FUTURE.search(sentence):
                y, mo = (y, mo - 1) if mo > 1 else (y - 1, 12)
        else:
            return []
        if y is None or not _valid(y, mo, d):
            return []
        f = self._dated(y, mo, d, s, e, text, inferred=cert)
        return [f] if f else []

    @staticmethod
    def _is_year(text: str, s: int, e: int) -> bool:
        """A four-digit number is a year unless its neighbours make it a count or a number."""
        cue = NUMBER_CUES.search(text[max(0, s - 14):s])
        if cue and not (cue.group().startswith("d") and _DIED.search(text[max(0, s - 40):s])):
            return False
        after = _WORD_AFTER.match(text[e:e + 30])
        if after and text[e:e + 1] == " ":
            word = after.group(1)
            if word.lower() in COUNT_WORDS:
                return False
            if word.islower() and word not in FUNCTION_AFTER and word.endswith("s") and len(word) > 3 \
                    and not word.endswith(("ss", "us", "is")):
                return False        # "1500 rifles"
        return True

    def scan(self, text: str) -> list[Found]:
        """All expressions of a text, longest first where they overlap, in text order."""
        out: list[Found] = []
        digit = first_digit(text)
        has_month, has_digit = _ANY_MONTH.search(text) is not None, digit >= 0
        has_year = has_digit and _ANY_YEAR.search(text, digit) is not None
        # only the patterns that can match: most paragraphs name no month, many no number
        kinds = _KINDS_FOR[has_month, has_digit, has_year]
        if not kinds:
            return out
        starts: DateStarts | None = None       # where a date led by a month, figure or ordinal can start
        gated: dict[tuple[str, ...], bool] = {}
        for kind, pattern, gate, led in kinds:
            if gate:
                found_gate = gated.get(gate)
                if found_gate is None:
                    found_gate = gated[gate] = any(map(text.__contains__, gate))
                if not found_gate:
                    continue
            if led:
                if starts is None:
                    starts = DateStarts(text)
                matches: Iterable[re.Match[str]] = _matches_from(pattern, text, starts.where(kind, led))
            else:
                matches = pattern.finditer(text)
            for m in matches:
                for f in self.found(kind, m, text):
                    if _overlaps(self.days, f.start, f.end):     # inside a date found before
                        continue
                    out.append(f)
                    insort(self.days, (f.start, f.end, f.attrs.get("when-custom") or f.attrs.get("to")
                                       or f.attrs.get("when") or ""), key=itemgetter(0))
                    one_year = f.attrs.get("from", "")[:4] == f.attrs.get("to", "")[:4]
                    if "resp" not in f.attrs and kind != "year" and one_year:
                        # a date with its year lends it to the sentence; a range over years does not
                        year = (f.attrs.get("when-custom") or f.attrs.get("when") or f.attrs.get("from", ""))[:4]
                        if year.isdigit():
                            insort(self.explicit, (f.start, f.end, int(year)), key=itemgetter(0))
        return join_ranges(text, sorted(out, key=lambda f: f.start))


_FROM = re.compile(r"\b(?:[Ff]rom|[Bb]etween)\s+$")
_BETWEEN = re.compile(r"\b[Bb]etween\s$")
_RANGE_TO = {"from": re.compile(r"\s+(?:to|till|until)\s+"), "between": re.compile(r"\s+and\s+")}


def _bounds(f: Found) -> tuple[str, str] | None:
    """The interval a date states, at the precision of its words: the part of a month a vague
    expression names ("the end of September") counts as that month."""
    a = f.attrs
    if "when-custom" in a or "from-custom" in a:
        return None                 # Old Style: left as written
    if a.get("when"):
        return a["when"], a["when"]
    lo, hi = a.get("from") or a.get("notBefore"), a.get("to") or a.get("notAfter")
    if not (lo and hi):
        return None
    if "notBefore" in a and lo[:7] == hi[:7] and len(lo) == 10:
        return lo[:7], hi[:7]
    return lo, hi


def join_ranges(text: str, found: list[Found]) -> list[Found]:
    """"from X to Y", "between X and Y" with two dates X and Y: one range (`from`/`to`)."""
    out: list[Found] = []
    i = 0
    while i < len(found):
        f = found[i]
        if i + 1 < len(found):
            g = found[i + 1]
            opener = _FROM.search(text, max(0, f.start - 10), f.start)
            gap = _RANGE_TO["between" if opener and opener.group().lower().startswith("between") else "from"]
            a, b = _bounds(f), _bounds(g)
            if opener and a and b and gap.fullmatch(text, f.end, g.start) and a[0] < b[1] and a[0][:1] != "-":
                attrs = {"from": a[0], "to": b[1]}
                certs = [x.attrs["cert"] for x in (f, g) if "cert" in x.attrs]
                if certs:
                    attrs.update({"resp": RESP, "cert": min(certs, key=("low", "medium", "high").index)})
                out.append(Found(f.start, g.end, attrs))
                i += 2
                continue
        out.append(f)
        i += 1
    return out


def _endnote_divs(doc: Document) -> dict[str, int]:
    """Endnote number -> the document whose text carries its `[n]` marker."""
    out: dict[str, int] = {}
    for b in doc.blocks:
        if b.div is None:
            continue
        for sp in b.spans:
            if sp.tag == "ref" and sp.attrs.get("target", "").startswith("#en"):
                out.setdefault(sp.attrs["target"][3:], b.div)
    return out


def references(doc: Document, own: dict[int, _dt.date] | None = None) -> dict[int, tuple[_dt.date | None, str]]:
    """For every block (by position), the date its year-less dates are read against, and how sure
    (`own`: the documents' dates, when the caller has them)."""
    own = document_dates(doc) if own is None else own
    anchors = _endnote_divs(doc)
    out: dict[int, tuple[_dt.date | None, str]] = {}
    last: _dt.date | None = None
    meta = _parse_iso(str(doc.metadata.get("date", "") or ""))
    # a head-note before the first document speaks of the documents it introduces
    first = own[min(own)] if own else None
    for i, b in enumerate(doc.blocks):
        ref: _dt.date | None
        if b.div is not None and b.div in own:
            ref, cert = own[b.div], "high"
        elif b.role == "endnote" and anchors.get(b.attrs.get("n", "")) in own:
            ref, cert = own[anchors[b.attrs["n"]]], "medium"
        elif last is not None:
            ref, cert = last, "medium"
        else:
            ref, cert = (first or meta), "medium"
        out[i] = (ref, cert)
        d = first_full_date(b.text)
        if d:
            last = d
    return out


def find_dates(text: str, ref: _dt.date | None = None, ref_cert: str = "high",
               julian_doc: bool = False, russian: bool = True) -> list[Found]:
    """The dates of one text (for tests and other tools): offsets and TEI attributes."""
    return Recogniser(ref, ref_cert, julian_doc, russian).scan(text)


#: Characters of a block from which the dates pass lets the block's text go while it reads the
#: corrected reading (see `dates`): a shorter block's two copies weigh nothing.
LONG_BLOCK = 1 << 16


@register("dates", 50)
def dates(doc: Document) -> Iterator[Proposal]:
    own = document_dates(doc)
    refs = references(doc, own)
    # Old Style is considered only for a text from Russia (the default when the metadata is silent)
    russian = str(doc.metadata.get("original_language", "ru") or "ru").lower() in ("ru", "rus", "uk", "be")
    # a document dated in Russia before the change (its dateline names a Russian place) writes
    # its other dates of that time Old Style too, most likely
    heading: dict[int, list[Block]] = {}      # each document's heading and datelines, in one pass
    for b in doc.blocks:
        if b.div is not None and b.role in ("opener", "closer", "head"):
            heading.setdefault(b.div, []).append(b)
    early = {d for d, when in own.items() if russian and when < GREGORIAN_ADOPTION and any(
        russian_context(b.text, 0, len(b.text)) for b in heading.get(d, ()))}
    # a document dated abroad ("Berne, December 5, 1917") writes New Style
    abroad = {d for d in own if any(
        foreign_context(b.text, 0, len(b.text)) and not russian_context(b.text, 0, len(b.text))
        for b in heading.get(d, ()) if b.role != "head")}
    whole, declared = declared_old_style(doc)
    for i, block in enumerate(doc.blocks):
        ref, cert = refs[i]
        rec = Recogniser(ref, cert, _julian_doc(doc, block.div), russian and block.div not in abroad,
                         block.div in early, note=block.role in ("endnote", "headnote"),
                         headnote=block.role == "headnote",
                         declared=block.role != "endnote" and (whole or block.div in declared))
        # read through corrected misprints ("Ju1y 10, 1918"): the corrected reading is a copy of
        # the text, made from the source with the block's own copy let go while it is read when
        # the block is long (a text without line breaks is one block: at the peak of its
        # conversion, a copy fewer of the whole text)
        n = block.let_go(doc.source) if len(block.text) > LONG_BLOCK and corrects(block) else None
        view = CorrectedView(block) if n is None else CorrectedView(block, doc.source, block.offset, n)
        try:
            found = rec.scan(view.text)
        finally:
            view.text = ""
            if n is not None:
                block.take_back(doc.source, n)
        for f in found:
            start, end = view.source_range(f.start, f.end) if view.changed else (f.start, f.end)
            yield block, Span(start, end, "date", f.attrs, priority=PRIORITY)


def calendars_used(doc: Document) -> set[str]:
    """Calendar ids (`julian`, `gregorian`) the dates of `doc` refer to: the header declares
    them in `profileDesc/calendarDesc` (see `CALENDARS`)."""
    used: set[str] = set()
    for b in doc.blocks:
        for sp in b.spans:
            if sp.tag != "date":
                continue
            for key in ("calendar", "datingMethod"):
                val = sp.attrs.get(key)
                if val:
                    used.update(v.lstrip("#") for v in val.split())
    if used:
        used.add("gregorian")       # @when is always Gregorian
    return used


#: What `calendarDesc/calendar[@xml:id]` says about each calendar (one `p`).
CALENDARS: dict[str, str] = {
    "gregorian": "Gregorian calendar (New Style), in use in Russia from 14 February 1918; "
                 "every @when, @from, @to, @notBefore and @notAfter is Gregorian.",
    "julian": "Julian calendar (Old Style), in use in Russia until 31 January 1918; dates written "
              "Old Style carry the written date in @when-custom with datingMethod=\"#julian\".",
}
