"""Detectors of misprints and OCR damage: each proposes `Fix`es with a certainty.

A wrong "correction" of a correct word is a scholarly error, so every detector prefers silence
to a guess: a proposal is `high` only when the damage is evident (a word that is not English
and a single reading that is, a pair of halves that never occur together in English), otherwise
`medium` or `low`, and only `high` proposals are applied by the corrections pass; the others are
listed by `trotsky-tei corrections suggest` for a curator. Spellings of the period or of the
translation (US/UK spelling, transliterations such as Trotzky) are never proposed, and a proper
name is only questioned when it is one typing or OCR slip away from a name the authority files
or the document itself know.

Detectors:

* `hyphenation` — a word broken at a line end and joined with a space ("peas- ants" ->
  "peasants"); the hyphen is kept after a hyphen-prefix ("counter- revolutionaries") or when the
  hyphenated form is the word ("well- known").
* `split-word` — a word split in two or three ("con fused", "them selves", "what so ever").
* `joined-word` — two words run together ("thefront" -> "the front").
* `digits` — digits read for letters ("9f" -> "of").
* `glyphs` — letters read for others ("AU" -> "All", "rn" for "m").
* `stray-quote` — a quotation mark glued to a word that cannot take one ("the’ response").
* `spelling` — a word that is not English whose one near neighbour is a frequent word
  ("Goverment" -> "Government").
* `names` — a name one slip away from a known name ("Komilov" -> "Kornilov", "Kazann" -> "Kazan").
"""

from __future__ import annotations

import calendar
import itertools
import re
import sys
from collections import Counter
from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, compress, count, islice, repeat
from operator import add, contains

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .. import wordlists
from . import lexicon as lx

CERTS = ("high", "medium", "low")

#: Prefixes written with a hyphen in English compounds ("counter-revolutionary", "ex-officer").
HYPHEN_PREFIXES = frozenset("""
counter anti ex non self semi quasi pro pseudo ultra neo post pre all half vice extra
""".split())
#: Words that end a "suspended" compound ("pre- and post-war"): never a broken word.
SUSPENDERS = frozenset({"and", "or", "to", "nor", "und", "et"})
FUNCTION = frozenset("""
a an the of to in on at by for from with and or but as is was are were be been it its this that
these those he she they we you i his her their our my your not no so if than then there which who
whom whose what when where why how all any some each every such into onto upon out up down over
""".split())

#: OCR glyph confusions (what was read -> what was printed).
GLYPHS = (("rn", "m"), ("m", "rn"), ("cl", "d"), ("li", "h"), ("ii", "u"), ("vv", "w"), ("U", "ll"),
          ("I", "l"), ("l", "I"), ("0", "o"), ("1", "l"), ("tl", "d"), ("fi", "h"), ("b", "h"), ("h", "b"),
          ("c", "e"), ("e", "c"), ("ri", "n"), ("n", "ri"), ("u", "n"), ("n", "u"))
#: Pieces of words that are not words: a split before a suffix or after a prefix ("roam ed", "con fused").
SUFFIXES = frozenset("""
ed ing ion ions tion tions sion ment ments ness ly er ers est less ful ous ive ives able ible ance ence
ity ities al ism ist ists ary ory ate ated ation ations ise ised ize ized ling lings illa ward wards self selves
""".split())
PREFIXES = frozenset("""
un re dis con com pro pre in im ex sub inter mis non de trans en em
""".split())
DIGIT_LETTERS = {"0": "o", "1": "li", "2": "z", "3": "e", "4": "a", "5": "s", "6": "b", "7": "t", "8": "sb",
                 "9": "og"}
#: Transliteration alternations between two spellings of one Russian name (Trotsky/Trotzky).
TRANSLITERATION = (("z", "s"), ("y", "i"), ("ye", "e"), ("ie", "ye"), ("ks", "x"), ("kh", "h"), ("ff", "v"),
                   ("ts", "tz"), ("tch", "ch"), ("j", "y"), ("iy", "y"), ("yi", "i"), ("ii", "y"),
                   ("w", "v"), ("sch", "sh"), ("e", "yo"), ("ë", "e"), ("oe", "o"), ("ia", "ya"), ("iu", "yu"))

ABBREVIATIONS = frozenset("""
Mr Mrs Messrs Dr Prof Gen Col Capt Lt Maj Adm Sgt Comrade St Mt No Nos Vol vol pp p cf ed eds tr
""".split())



@dataclass(frozen=True)
class Fix:
    """A proposed correction of `text[start:end]`."""

    start: int
    end: int
    sic: str
    reading: str
    detector: str
    cert: str
    reason: str = ""
    tag: str = "corr"           # "corr" (sic/corr) or "reg" (orig/reg)


#: What a word is questioned by (bits of `Context.suspects`).
GLYPH, SPELL, NAME, JOINED, GLUED, CAP_U = 1, 2, 4, 8, 16, 32
#: What a run of letters is; `_letter_pieces` cuts a block into them without a scan (tested
#: against this pattern).
_RUN = re.compile(r"[A-Za-z]+")
#: Every byte that is no ASCII letter made a space (see `_letter_pieces`).
_LETTERS_ONLY = bytes(c if 65 <= c <= 90 or 97 <= c <= 122 else 32 for c in range(256))
_SMALL_CAPITAL = re.compile(r"[a-z][A-Z]")
#: Words no detector questions in any document: common English words (Zipf 3.5 and above, so
#: words, not names to check) with no capital after a small letter. Grows with the words met.
_PLAIN: set[str] = set()


def _letter_pieces(text: str) -> list[str]:
    """`text` cut at every character that is no ASCII letter: its non-empty pieces are the
    matches of `_RUN`, in order, and piece k starts after k cuts and the letters of the pieces
    before it. Every character outside ASCII is encoded as one "?", so places are kept; then
    three passes in C (encode, translate, split) replace a regular-expression scan that makes an
    object for every word of the block."""
    return text.encode("ascii", "replace").translate(_LETTERS_ONLY).decode("ascii").split(" ")


class RunStarts:
    """The start of each run of letters of a block (`Context.run_starts`), from its pieces."""

    __slots__ = ("pieces", "at", "ends")

    def __init__(self, pieces: list[str]):
        self.pieces = pieces
        self.at = list(compress(count(), pieces))         # the piece of each run
        self.ends = list(accumulate(map(len, pieces)))    # letters up to the end of each piece

    def __getitem__(self, i: int) -> int:
        k = self.at[i]
        return self.ends[k] - len(self.pieces[k]) + k

    def __len__(self) -> int:
        return len(self.at)


@dataclass
class Context:
    """What the detectors know beyond one word: the document's vocabulary and the known names."""

    words: Counter = field(default_factory=Counter)         # case-sensitive token counts
    lower: Counter = field(default_factory=Counter)         # lower-case token counts (hyphenated kept)
    names: dict[str, str] = field(default_factory=dict)     # single-word known names -> where from
    places: Container[str] = frozenset()                    # gazetteer names: never "corrected"

    _near: dict[str, list[tuple[str, str]]] = field(default_factory=dict, repr=False)
    _joins_seen: set[str] = field(default_factory=set, repr=False)
    _joins_named: set[str] = field(default_factory=set, repr=False)
    _kinds: dict[str, int] = field(default_factory=dict, repr=False)
    _block: tuple[str, list[str], dict[int, frozenset[str]], list[str]] | None = field(
        default=None, repr=False)
    _digit_starts: tuple[str, list[int]] | None = field(default=None, repr=False)
    _by_initial: dict[str, list[tuple[str, str]]] | None = field(default=None, repr=False)
    _known_initials: dict[str, list[tuple[str, str]]] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, text: str, names: Iterable[str] = (), places: Container[str] = frozenset()) -> Context:
        ctx = cls(places=places)
        words, lower = ctx.words, ctx.lower
        counts: Counter = Counter()
        for chunk in _chunks(text):     # a list of every token of a long text would be its size again
            counts.update(_vocabulary_tokens(chunk))
        words.update(counts)            # into an empty Counter: one dict update, in C
        # counted in a plain dict (an item set on a Counter goes through a Python-level slot)
        lower_counts: dict[str, int] = {}
        get = lower_counts.get
        for tok, n in counts.items():
            low = tok.lower()
            lower_counts[low] = get(low, 0) + n
        # the parts of a hyphenated word are words of the text too; `first` keeps where each
        # came first in the order the words were met, a part right after its word
        keys = list(counts)
        first: dict[str, tuple[int, int]] = {}
        for k in compress(count(), map(contains, keys, repeat("-"))):
            tok = keys[k]
            n = counts[tok]
            for j, part in enumerate(tok.split("-"), 1):
                words[part] = words.get(part, 0) + n
                low = part.lower()
                lower_counts[low] = get(low, 0) + n
                first.setdefault(part, (k, j))
        lower.update(lower_counts)
        known, ctx._known_initials = _authority_names(tuple(names))
        ctx.names = dict(known)         # the authority's words first, made once per process
        # names the text itself repeats (a misprint is rarely repeated), in the order met; with
        # each, its place among the words, those of `counts` first and in its order (a part met
        # only inside hyphenated words comes after them all, placed by `first`)
        repeated = [(tok, place) for place, (tok, n) in enumerate(words.items())
                    if n >= 2 and len(tok) >= 4 and tok[0].isupper() and tok[1:].islower() and lx.zipf(tok) < 3.5]
        if first:
            met = len(keys)
            repeated.sort(key=lambda r: min(first.get(r[0], _NEVER), (min(r[1], met), 0)))
        for tok, _ in repeated:
            ctx.names.setdefault(tok, "text")
        return ctx

    # The word detectors look at few words: one not English, not repeated, not a known name. A
    # word's standing is decided once per document (`_kind`) and a block's words are listed once
    # for all detectors (`suspects`), so a detector whose words the block lacks is skipped before
    # it scans the block; every detector still finds its words with its own pattern.

    def runs(self, text: str) -> list[str]:
        """The runs of letters of `text`, in order (kept for the block the detectors are on)."""
        return self._runs_of(text)[1]

    def run_starts(self, text: str) -> RunStarts:
        """Where each run of `runs(text)` starts (the start of the run at index i)."""
        return RunStarts(self._runs_of(text)[3])

    def _runs_of(self, text: str) -> tuple[str, list[str], dict[int, frozenset[str]], list[str]]:
        # the runs and, for their places, the pieces they come from: made in C, no match objects
        if self._block is None or self._block[0] is not text:
            pieces = _letter_pieces(text)
            self._block = (text, list(filter(None, pieces)), {}, pieces)
        return self._block

    def digit_run_starts(self, text: str) -> list[int]:
        """`_digit_run_starts(text)`, kept for the block the detectors are on (two of them match
        their patterns there)."""
        if self._digit_starts is None or self._digit_starts[0] is not text:
            self._digit_starts = (text, _digit_run_starts(text))
        return self._digit_starts[1]

    def suspects(self, text: str, kind: int) -> frozenset[str]:
        """The words of `text` that a detector of `kind` (GLYPH, SPELL, NAME, JOINED, GLUED, CAP_U)
        must examine."""
        runs = self.runs(text)
        assert self._block is not None
        by_kind = self._block[2]
        if not by_kind:
            kinds, kind_of = self._kinds, self._kind
            found: dict[int, list[str]] = {}
            for w in set(runs).difference(_PLAIN):
                k = kinds.get(w)
                if k is None:
                    k = kinds[w] = kind_of(w)
                if k:
                    for bit in (GLYPH, SPELL, NAME, JOINED, GLUED, CAP_U):
                        if k & bit:
                            found.setdefault(bit, []).append(w)
            by_kind.update((bit, frozenset(ws)) for bit, ws in found.items())
            by_kind[0] = frozenset()
        return by_kind.get(kind, frozenset())

    def _kind(self, w: str) -> int:
        """The detectors a word needs (a bit each); 0 for a word no detector questions."""
        k = 0
        n = len(w)
        if n >= 3 and not (lx.is_word(w) or self.words[w] > 1 or lx.zipf(w) >= lx.WORD):
            k |= GLYPH
        if n >= 4 and w[1:].islower():
            if not (lx.is_word(w.lower()) or self.words[w] > 1):
                k |= SPELL
            if w[0].isupper() and not (w in self.names or w in self.places or lx.zipf(w) >= 3.5
                                       or self.words[w] > 1):
                k |= NAME
        if n >= 5 and w.islower() and not (lx.is_word(w) or self.lower[w] > 1):
            k |= JOINED
        if "U" in w[1:]:
            k |= CAP_U              # "AU" for "All": a U after a letter
        if _SMALL_CAPITAL.search(w):
            k |= GLUED
        elif not k and lx.zipf(w) >= 3.5 and len(_PLAIN) < 200_000:
            _PLAIN.add(w)           # questioned by no detector, whatever the document
        return k

    def pair_candidates(self, text: str) -> list[int]:
        """Indices into `runs(text)` where two (or three) runs could be one word split: they join
        into a common word or a known name, or follow a hyphen prefix. The joins of a block are
        tested together against the set of common words."""
        runs = self.runs(text)
        if len(runs) < 2:
            return []
        common = wordlists.common_words()       # Zipf >= 2.5: exactly `lx.zipf(join) >= 2.5`
        lows = list(map(str.lower, runs))
        joins = list(map(add, lows, lows[1:]))
        picked = set(compress(count(), map(common.__contains__, joins)))
        picked.update(compress(count(), map(HYPHEN_PREFIXES.__contains__, lows[:-1])))
        hits3 = common.intersection(map(add, joins, lows[2:]))
        if hits3:
            for i in compress(count(), map(hits3.__contains__, map(add, joins, lows[2:]))):
                if lx.zipf(joins[i] + lows[i + 2]) >= 3.5:
                    picked.add(i)
        # a known name split in two ("Kron stadt"), each join looked up once per document. Only
        # a capitalised run before a lower-case one can be one (`_PAIRS` matches no other pair
        # that opens with a capital), so only those pairs are joined.
        heads = [i for i in compress(count(), map(str.istitle, runs[:-1])) if runs[i + 1].islower()]
        if heads:
            cased = [runs[i] + runs[i + 1] for i in heads]
            new = set(cased).difference(self._joins_seen)
            if new:
                self._joins_seen |= new
                names, places = self.names, self.places
                self._joins_named.update(j for j in new if j in names or j in places)
            named = self._joins_named.intersection(cased)
            if named:
                picked.update(compress(heads, map(named.__contains__, cased)))
        return sorted(picked)

    def near_names(self, tok: str) -> list[tuple[str, str]]:
        """Known names one or two slips from `tok`, (name, where from), in the order known."""
        found = self._near.get(tok)
        if found is None:
            if self._by_initial is None:
                # the authority's names are grouped once per process; only the names that
                # follow them in `names` (those the text repeats) are added here
                known = self._known_initials or {}
                self._by_initial = {k: list(v) for k, v in known.items()}
                for name, origin in islice(self.names.items(), sum(map(len, known.values())), None):
                    self._by_initial.setdefault(name[:1], []).append((name, origin))
            bucket = self._by_initial.get(tok[:1], [])
            hits = process.extract(tok, [n for n, _ in bucket], scorer=OSA.distance, score_cutoff=2, limit=None)
            found = [bucket[i] for _, _, i in sorted(hits, key=lambda h: h[2])
                     if bucket[i][0] != tok and abs(len(bucket[i][0]) - len(tok)) <= 2
                     and not transliteration_variant(tok, bucket[i][0])]
            self._near[tok] = found
        return found


#: A word, hyphenated or not. The hyphenated parts are taken possessively where `re` can
#: (Python 3.11): nothing follows them, so the matches are the same, and `re` keeps no
#: backtracking state for them (a third less time on a long text).
_VOCAB_TOKEN = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*" + ("+" if sys.version_info >= (3, 11) else ""))
#: Every byte that is no ASCII letter or hyphen made a space (see `_vocabulary_tokens`).
_LETTERS_AND_HYPHENS = bytes(c if 65 <= c <= 90 or 97 <= c <= 122 or c == 45 else 32 for c in range(256))


def _vocabulary_tokens(text: str) -> list[str]:
    """The matches of `_VOCAB_TOKEN` in `text`, in order. A token holds only letters and
    hyphens, so the text is cut at every other character in C, as in `_letter_pieces` (a regular
    expression scan costs three times as much); only a piece with a hyphen, which may open, close
    or double, is matched with the pattern."""
    pieces = text.encode("ascii", "replace").translate(_LETTERS_AND_HYPHENS).decode("ascii").split()
    hyphenated = list(compress(count(), map(contains, pieces, repeat("-"))))
    if not hyphenated:
        return pieces
    tokens: list[str] = []
    done = 0
    for k in hyphenated:
        tokens += pieces[done:k]
        tokens += _VOCAB_TOKEN.findall(pieces[k])
        done = k + 1
    tokens += pieces[done:]
    return tokens


#: Later than every place in the order of a text's words (`Context.of`).
_NEVER = (1 << 62, 0)


def _chunks(text: str, size: int = 1 << 16) -> Iterable[str]:
    """`text` in pieces of about `size` characters, cut at white space (never inside a token)."""
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = max(text.rfind(" ", start, end), text.rfind("\n", start, end))
            end = cut + 1 if cut > start else end
        yield text[start:end]
        start = end


@lru_cache(maxsize=16)
def _authority_names(names: tuple[str, ...]) -> tuple[dict[str, str], dict[str, list[tuple[str, str]]]]:
    """The words of the authority's names (-> "authority"), and the same grouped by initial,
    in the order `Context.names` holds them."""
    known = dict.fromkeys(name_tokens(names), "authority")
    by_initial: dict[str, list[tuple[str, str]]] = {}
    for name, origin in known.items():
        by_initial.setdefault(name[:1], []).append((name, origin))
    return known, by_initial


@lru_cache(maxsize=16)
def name_tokens(names: tuple[str, ...]) -> tuple[str, ...]:
    """The words of known names that a misspelling could be taken from (four letters or more)."""
    return tuple(tok for name in names for tok in re.findall(r"[A-Z][A-Za-z\-]+", name) if len(tok) >= 4)


def sentence_initial(text: str, i: int) -> bool:
    """True when the word at `i` opens a sentence, a paragraph or a quotation (a single line end
    inside a block is only a wrapped line)."""
    j = i - 1
    while j >= 0 and text[j] in " \t‘“\"'(’[—–-\n":
        if text[j] == "\n" and j > 0 and text[j - 1] == "\n":
            return True
        j -= 1
    if j < 0 or text[j] in "!?:;":
        return True
    if text[j] != ".":
        return False
    word = re.search(r"(\w+)$", text[max(0, j - 12):j])
    # "R. Berzin", "Mr. Lockhart", "No. 5": an initial or abbreviation, not a sentence end
    return not (word and (len(word.group(1)) == 1 or word.group(1) in ABBREVIATIONS))


# -- hyphenation --------------------------------------------------------------------------------

_BROKEN = re.compile(r"(?<![\w-])([A-Za-z]+)-(?:[ \t]*\n[ \t]*|[ \t]+)([a-z]+)\b")


def hyphenation(text: str, ctx: Context) -> Iterable[Fix]:
    for fix in _hyphenation(text, ctx):
        # a compound's own hyphen at the end of a wrapped line ("self-⏎determination") is
        # layout, not damage: only a break that removes the hyphen, or a space, is corrected
        if "\n" in fix.sic and fix.reading == fix.sic.replace("\n", "").replace(" ", "").replace("\t", ""):
            continue
        yield fix


def _hyphenation(text: str, ctx: Context) -> Iterable[Fix]:
    if "- " not in text and "-\n" not in text and "-\t" not in text:
        return                  # every match is a hyphen before white space
    for m in _BROKEN.finditer(text):
        a, b = m.group(1), m.group(2)
        if b in SUSPENDERS or len(a) < 2:
            continue
        joined, hyph = a + b, f"{a}-{b}"
        jl, hl = joined.lower(), hyph.lower()
        zj = lx.zipf(jl)
        if a.lower() in HYPHEN_PREFIXES and lx.is_word(b):
            yield Fix(m.start(), m.end(), m.group(), hyph, "hyphenation", "high",
                      f"broken hyphenation after the prefix '{a}-'")
        elif ctx.lower[hl] and not ctx.lower[jl]:
            yield Fix(m.start(), m.end(), m.group(), hyph, "hyphenation", "high",
                      f"broken hyphenation; '{hyph}' is written so elsewhere in the text")
        elif ctx.lower[jl] and not ctx.lower[hl]:
            yield Fix(m.start(), m.end(), m.group(), joined, "hyphenation", "high",
                      f"broken hyphenation; '{joined}' occurs elsewhere in the text")
        elif zj >= lx.WORD:
            yield Fix(m.start(), m.end(), m.group(), joined, "hyphenation", "high",
                      f"broken hyphenation of '{joined}'")
        elif lx.zipf(a) >= lx.WORD and lx.zipf(b) >= lx.WORD:
            yield Fix(m.start(), m.end(), m.group(), hyph, "hyphenation", "high",
                      f"broken hyphenation of the compound '{hyph}'")
        elif zj >= 1.5:
            yield Fix(m.start(), m.end(), m.group(), joined, "hyphenation", "high",
                      f"broken hyphenation of '{joined}'")
        else:
            yield Fix(m.start(), m.end(), m.group(), joined, "hyphenation", "medium",
                      "hyphen before a space or line end; neither form is a known word")


# -- split and joined words ---------------------------------------------------------------------

#: Every start of two (or three) plain words one space apart, found by the regex engine in one
#: scan: a word that only its first letter may capitalise, then whole lower-case words.
_PAIRS = re.compile(r"(?<![\w’'-])([A-Za-z][a-z]+)(?= ([a-z]+)(?![\w’'-])(?: ([a-z]+)(?![\w’'-]))?)")


def _occurrences(pattern: re.Pattern[str], text: str, words: Iterable[str]) -> list[re.Match[str]]:
    """The matches of `pattern` in `text` that are one of `words`, in order: each word is found
    with `str.find` and matched where it stands, instead of matching every word of the text."""
    found = []
    for w in words:
        i = text.find(w)
        while i >= 0:
            m = pattern.match(text, i)
            if m is not None and m.end() == i + len(w):
                found.append(m)
            i = text.find(w, i + 1)
    found.sort(key=lambda m: m.start())
    return found


def split_words(text: str, ctx: Context) -> Iterable[Fix]:
    """Two or three plain words, one space apart, that make one word ("con fused", "them selves")."""
    # Most pairs make no word at all: only the runs of letters that could be the start of a split
    # word are located and matched (every match of `_PAIRS` starts a run of letters).
    picked = ctx.pair_candidates(text)
    if not picked:
        return
    starts = ctx.run_starts(text)
    done = 0                            # end of the last fix: no proposal overlaps it
    for i in picked:
        s1 = starts[i]
        if s1 < done:
            continue
        m = _PAIRS.match(text, s1)
        if m is None:
            continue
        a, b, c = m.group(1, 2, 3)
        if a[0].isupper():
            fix = _split_name(text, s1, a, b, ctx)
            if fix is not None:
                done = fix.end
                yield fix
                continue
        al = a.lower()
        # most pairs make no word at all: rejected here, before any other test
        three = c is not None and lx.zipf(al + b + c) >= 3.5
        if not three and lx.zipf(al + b) < 2.5 and al not in HYPHEN_PREFIXES:
            continue
        if a[0].isupper() and not sentence_initial(text, s1):
            continue
        e2 = s1 + len(a) + 1 + len(b)
        fix = _split3(text, s1, e2 + 1 + len(c), a, b, c) if three else None
        if fix is None:
            fix = _split2(text, s1, e2, al, b, a, ctx)
        if fix is not None:
            done = fix.end
            yield fix


def _split_name(text: str, s: int, a: str, b: str, ctx: Context) -> Fix | None:
    """A known name split in two ("Kron stadt", "Vladi vostok"): the two parts join into a name
    of the authority files or the gazetteer, and the second is no common English word ("the Don
    bass" stays)."""
    joined = a + b
    if joined in ctx.names or joined in ctx.places:
        if lx.zipf(b) < 4.0 and not lx.bigram(a, b):
            return Fix(s, s + len(a) + 1 + len(b), f"{a} {b}", joined, "split-word", "high",
                       f"'{joined}' split in two; a known name")
    return None


def _split2(text: str, s: int, e: int, al: str, bl: str, a: str, ctx: Context) -> Fix | None:
    joined = al + bl
    hyph = f"{al}-{bl}"
    if al in HYPHEN_PREFIXES and not lx.bigram(al, bl) and ctx.lower[hyph]:
        return Fix(s, e, text[s:e], lx.match_case(a, hyph), "split-word", "high",
                   f"hyphen lost in '{hyph}', written so elsewhere in the text")
    if bl in FUNCTION or len(joined) < 5:
        return None             # "conquer or die": a function word is a word of its own
    zj = lx.zipf(joined)
    if zj < 2.5:
        return None
    if al in FUNCTION:
        # "to gether", "on ly" (no word after the function word) are damage; "in deed", "as sure",
        # "with drew" may be English: only proposed
        if lx.bigram(al, bl) or zj < lx.WORD:
            return None
        cert = "high" if bl not in lx.unigram_counts() and bl not in FUNCTION else "medium" if zj >= 4.0 else ""
        if not cert:
            return None
        return Fix(s, e, text[s:e], lx.match_case(a, joined), "split-word", cert,
                   f"'{joined}' split after '{al}'")
    # Two words that make a compound ("war time", "news paper", "head quarters") are often the
    # period's spelling: only a split leaving a fragment (a prefix, a suffix, a non-word) or a
    # verb form after its first syllables ("rein forced") is evident damage.
    uni = lx.unigram_counts()
    fragment = (bl in SUFFIXES or al in PREFIXES or min(lx.zipf(al), lx.zipf(bl)) < lx.WORD
                or al not in uni or bl not in uni
                or (len(bl) >= 5 and bl.endswith(("ed", "ing")))
                # "-ship" after a person ("citizen ship", "leader ship"), not a vessel ("steam ship")
                or (bl in ("ship", "ships") and al.endswith(("er", "or", "en", "an", "ist", "ent", "ant", "man"))))
    reading = lx.match_case(a, joined)
    pair = lx.bigram(al, bl)
    if not pair and fragment:
        cert = "high"
    elif not pair and zj >= lx.WORD:
        cert = "medium"
    elif pair and lx.unigram_counts().get(joined, 0) > 50 * pair:
        cert = "low"
    else:
        return None
    return Fix(s, e, text[s:e], reading, "split-word", cert,
               f"'{joined}' split in two; '{al} {bl}' is not a usual phrase" if cert != "low"
               else f"'{joined}' may be split in two")


def _split3(text: str, s: int, e: int, a: str, b: str, c: str) -> Fix | None:
    if min(len(a), len(b), len(c)) < 2:
        return None
    model = a
    a = a.lower()
    joined = a + b + c
    if lx.zipf(joined) < 3.5:
        return None
    uni = lx.unigram_counts()
    ab, bc, cb = lx.bigram(a, b), lx.bigram(b, c), uni.get(b, 0)
    expected = (ab * bc / cb) if cb else 0
    if uni.get(joined, 0) > 10 * expected:
        return Fix(s, e, text[s:e], lx.match_case(model, joined), "split-word", "high",
                   f"'{joined}' split in three; '{a} {b} {c}' is not a usual phrase")
    return None


_TOKEN = re.compile(r"(?<![\w’'-])[a-z]{5,}(?![\w’'-])")
#: Short words most often glued to the next one by OCR.
LEADING = frozenset("the of and to in a on at by for with from that".split())


def joined_words(text: str, ctx: Context) -> Iterable[Fix]:
    for m in _occurrences(_TOKEN, text, ctx.suspects(text, JOINED)):
        w = m.group()
        rare = lx.zipf(w) <= 1.0      # else a known slip of typing ("ofthe"): only two short words
        options = []
        for i in range(1, len(w)):
            a, b = w[:i], w[i:]
            if (len(a) == 1 and a not in ("a", "i")) or (len(b) == 1 and b not in ("a", "i")):
                continue
            n = lx.bigram(a, b)
            known_a = lx.zipf(a) >= lx.WORD or ctx.lower[a] > 0
            known_b = lx.zipf(b) >= 2.5 or ctx.lower[b] > 0 or ctx.lower[b + "s"] > 0
            if n and lx.zipf(a) >= lx.WORD and lx.zipf(b) >= lx.WORD:
                options.append((n, a, b))
            elif a in LEADING and known_b and len(b) >= 4 and lx.zipf(b) >= 2.0:
                options.append((1, a, b))         # "thecommissar": a function word glued to a word
            elif b in LEADING and known_a and len(a) >= 4 and lx.zipf(a) >= 2.0 and b not in ("a", "i"):
                options.append((1, a, b))
        if not rare:
            options = [o for o in options if o[1] in LEADING and o[2] in LEADING | FUNCTION and o[0] >= 1e8]
        if not options:
            continue
        options.sort(reverse=True)
        n, a, b = options[0]
        sure = (len(options) == 1 or n > 10 * options[1][0]) and (a in FUNCTION or b in FUNCTION)
        yield Fix(m.start(), m.end(), w, f"{a} {b}", "joined-word", "high" if sure else "medium",
                  f"two words run together: '{a} {b}'")


#: A short function word glued to the capital of the next word: "theBasmachi", "ofPetrograd".
_GLUED_CAPITAL = re.compile(r"(?<![\w’'-])(the|of|and|to|in|on|at|by|for|with|from)([A-Z][a-z]{2,})(?![\w’'-])")


def glued_capitals(text: str, ctx: Context) -> Iterable[Fix]:
    """No English word has a capital after lower-case letters: the two words run together."""
    if not ctx.suspects(text, GLUED):
        return                  # no run of letters has a capital after a small letter
    for m in _GLUED_CAPITAL.finditer(text):
        a, b = m.group(1, 2)
        yield Fix(m.start(), m.end(), m.group(), f"{a} {b}", "joined-word", "high",
                  f"two words run together: '{a} {b}'")


# -- digits, glyphs, stray quotation marks ------------------------------------------------------

_DIGIT_TOKEN = re.compile(r"(?<![\w.,/-])(?=[A-Za-z]*[0-9])(?=[A-Za-z0-9]*[a-z])[A-Za-z0-9]{2,}(?![\w/-]|[.,]\d)")
#: Words English always capitalises (a digit read for their capital does not say so).
CAPITALISED = frozenset(w.lower() for w in (*calendar.month_name[1:], *calendar.day_name))
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th|s|d|h|km|m|mm|cm|kg|g|am|pm|x)$|[A-Z]+\d+[a-z]?$")


def has_digit(text: str) -> bool:
    """The text has an ASCII digit (ten searches of one character: quicker than one regex scan)."""
    return any(d in text for d in "0123456789")


#: A run of digits, written with its first digit apart: `re` then scans for that character in
#: C (it does not for a pattern that opens with a repeat, "[0-9]+", and tries a match at every
#: position instead, several times slower on a block).
_DIGITS = re.compile(r"[0-9][0-9]*")
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _digit_runs(text: str, pattern: re.Pattern[str], starts: Iterable[int] | None = None) -> Iterable[re.Match[str]]:
    """The matches of `pattern` (`_DIGIT_TOKEN`, `_YEARLIKE`: a run of ASCII letters and digits
    that holds a digit, not inside a word) found from the digits: each run that holds one is
    matched where it starts (`starts`, `_digit_run_starts(text)` when not given), instead of
    trying every position of the text."""
    for i in _digit_run_starts(text) if starts is None else starts:
        m = pattern.match(text, i)
        if m is not None:
            yield m


def _digit_run_starts(text: str) -> list[int]:
    """Where each run of ASCII letters and digits that holds a digit starts, in order."""
    found: list[int] = []
    last = -1
    for d in _DIGITS.finditer(text):
        i = d.start()
        while i > 0 and text[i - 1] in _ALNUM:
            i -= 1
        if i != last:
            last = i
            found.append(i)
    return found


def digits(text: str, ctx: Context) -> Iterable[Fix]:
    if not has_digit(text):
        return
    for m in _digit_runs(text, _DIGIT_TOKEN, ctx.digit_run_starts(text)):
        tok = m.group()
        n_digits = sum(ch.isdigit() for ch in tok)
        if _ORDINAL.fullmatch(tok) or (n_digits >= 2 and n_digits >= len(tok) - n_digits):
            continue            # a number with letters in it ("l918": see letters_in_years)
        options = [DIGIT_LETTERS.get(ch, ch) + (DIGIT_LETTERS.get(ch, ch).upper() if i == 0 else "")
                   if ch.isdigit() else ch for i, ch in enumerate(tok)]
        if sum(ch.isdigit() for ch in tok) > 6:
            continue  # not a misread word; and 2**n readings would take exponential time
        words, names = set(), set()
        for combo in itertools.product(*options):
            cand = "".join(combo)
            # a short token ("6b", "3a") is more often a number with a letter than a damaged word:
            # only the most frequent words ("9f" -> "of") are read into it
            if cand[1:].islower() and lx.zipf(cand) >= (lx.WORD if len(tok) >= 4 else 6.0):
                words.add(cand.lower())
            elif cand[:1].isupper() and cand[1:].islower() and len(cand) >= 5 and lx.zipf(cand) < 4.0 and (
                    cand in ctx.names or ctx.words[cand] or lx.zipf(cand) >= 1.5):
                names.add(cand)         # a name: "0renburg" -> "Orenburg"
        ranked = sorted(words or names, key=lambda w: -lx.zipf(w))
        if len(ranked) == 1 or (ranked and lx.zipf(ranked[0]) >= lx.zipf(ranked[1]) + 1.5):
            cand = ranked[0]
            title = cand[:1].upper() + cand[1:]
            if tok[0].isupper() or (tok[0].isdigit() and (cand in CAPITALISED or ctx.words[title] > ctx.words[cand])):
                cand = title            # "Ju1y" -> "July"; "0ctober" where the text writes "October"
            yield Fix(m.start(), m.end(), tok, cand, "digits", "high", f"digit read for a letter: '{cand}'")


_YEARLIKE = re.compile(r"(?<![\w.,/-])(?=[0-9lIO]*[lIO])(?=(?:[lIO]*[0-9]){2})[0-9lIO]{4}(?![\w/-]|[.,]\d)")
_LETTER_DIGITS = str.maketrans({"l": "1", "I": "1", "O": "0"})


def letters_in_years(text: str, ctx: Context) -> Iterable[Fix]:
    """Letters read for the digits of a year ("l918", "19l8", "19O5" -> 1918, 1918, 1905)."""
    if not has_digit(text):
        return
    for m in _digit_runs(text, _YEARLIKE, ctx.digit_run_starts(text)):
        tok = m.group()
        year = tok.translate(_LETTER_DIGITS)
        if year.isdigit() and 1800 <= int(year) <= 1999:
            yield Fix(m.start(), m.end(), tok, year, "digits", "high", f"letters read for the digits of {year}")


_CAP_U = re.compile(r"(?<![\w’'-])([A-Za-z]*[A-Za-z]U[a-z]*)(?= [a-z])")
_WORD_ANY = re.compile(r"(?<![\w’'-])[A-Za-z]{3,}(?![\w’'-])")


def glyphs(text: str, ctx: Context) -> Iterable[Fix]:
    seen: set[int] = set()
    for m in _CAP_U.finditer(text) if ctx.suspects(text, CAP_U) else ():
        tok = m.group(1)
        if ctx.words[tok] > 1:
            continue            # an abbreviation used again, not a misreading
        cand = tok.replace("U", "ll").lower()
        if lx.zipf(cand) >= 5.0:
            seen.add(m.start())
            yield Fix(m.start(), m.end(1), tok, lx.match_case(tok, cand), "glyphs", "high",
                      f"'ll' read as 'U': '{cand}'")
    for m in _occurrences(_WORD_ANY, text, ctx.suspects(text, GLYPH)):
        tok = m.group()
        if m.start() in seen:
            continue
        if tok[0].isupper() and (not sentence_initial(text, m.start()) or tok in ctx.places or tok in ctx.names):
            continue            # names: see `names`
        # a three-letter token is as often an abbreviation, a capitalised one a name: only the
        # commonest words are read into them
        floor = 3.5 if len(tok) > 3 and tok[0].islower() else 5.0 if len(tok) > 3 else 6.0
        found = set()
        for wrong, right in GLYPHS:
            if wrong.isdigit():
                continue
            for i in [k.start() for k in re.finditer(re.escape(wrong), tok)]:
                cand = tok[:i] + right + tok[i + len(wrong):]
                if lx.zipf(cand) >= floor:
                    found.add(cand.lower())
        if len(found) == 1:
            cand = found.pop()
            yield Fix(m.start(), m.end(), tok, lx.match_case(tok, cand), "glyphs", "high",
                      f"OCR glyph confusion: '{cand}'")


_STRAY = re.compile(r"(?<![\w’'])(the|a|an|of|to|and|in|on|at|by|for|with|from|this|that)[’'](?= [a-z])", re.I)


_MARK_BEFORE_WORD = re.compile(r"[’'](?= [a-z])", re.I)     # as in _STRAY


def _stray_matches(text: str) -> Iterable[re.Match[str]]:
    """The matches of `_STRAY`, found from the marks: each is tried on the four characters
    before a mark that precedes a space and a small letter (its words have four letters at
    most), not at every position of the text."""
    for mark in _MARK_BEFORE_WORD.finditer(text):
        i = mark.start()
        for s in range(max(0, i - 4), i):
            m = _STRAY.match(text, s)
            if m is not None and m.end() == i + 1:
                yield m
                break


def stray_quotes(text: str, ctx: Context) -> Iterable[Fix]:
    if "’ " not in text and "' " not in text:
        return                  # every match is a mark before a space
    for m in _stray_matches(text):
        # an opening quotation may follow ("said: ‘the’"); only a mark without its pair is stray
        before = text[max(0, m.start() - 1):m.start()]
        if before in "‘'\"“":
            continue
        yield Fix(m.start(), m.end(), m.group(), m.group(1), "stray-quote", "medium",
                  "a quotation mark glued to a word that cannot take one")


_PREPOSITIONS = ("In", "Of", "At", "On", "By", "For", "With", "From")
_CAPITAL_PREPOSITION = re.compile(r"(?<=[a-z,] )(%s)(?= [A-Za-z])" % "|".join(_PREPOSITIONS))


def capitals(text: str, ctx: Context) -> Iterable[Fix]:
    """A capitalised preposition inside a lower-case sentence ("battalion In Kiev")."""
    for m in _occurrences(_CAPITAL_PREPOSITION, text, _PREPOSITIONS):
        tok = m.group(1)
        yield Fix(m.start(), m.end(), tok, tok.lower(), "capitals", "medium",
                  "capital letter inside a sentence")


# -- spelling and names -------------------------------------------------------------------------

_SPELL_TOKEN = re.compile(r"(?<![\w’'-])[A-Za-z][a-z]{3,}(?![\w-]|[’'][a-z])")


def spelling(text: str, ctx: Context) -> Iterable[Fix]:
    for m in _occurrences(_SPELL_TOKEN, text, ctx.suspects(text, SPELL)):
        tok = m.group()
        low = tok.lower()
        capital = tok[0].isupper()      # a name, or a word opening a sentence: judged alike
        if not capital and _ends_name_fragment(text, m.start(), low, ctx):
            continue                    # "Kron stadt": the end of a split name, not a misspelling
        if capital and (tok in ctx.names or tok in ctx.places or _near_name(tok, ctx)):
            continue
        cands = [c for c in lx.candidates(low, 1) if c[2] >= lx.FREQUENT]
        if not cands:
            continue
        best, dist, zb = cands[0]
        if len(cands) > 1 and cands[1][2] > zb - 1.0:
            continue            # no single reading stands out
        if lx.spelling_variants(low, best):
            continue
        slip = typing_slip(low, best)
        margin = zb - lx.zipf(low)
        if capital and (zb < 5.0 or slip not in ("omission", "transposition", "doubling", "ocr")):
            continue            # a capitalised unknown word is most often a name
        if slip and margin >= 2.0 and len(low) >= 5:
            cert = "high"
        elif margin >= 2.0:
            cert = "medium"
        else:
            continue
        yield Fix(m.start(), m.end(), tok, lx.match_case(tok, best), "spelling", cert,
                  f"not an English word; '{best}' is {dist} letter(s) away")


_BEFORE = re.compile(r"([A-Z][a-z]+)[ \n]$")


def _ends_name_fragment(text: str, start: int, low: str, ctx: Context) -> bool:
    m = _BEFORE.search(text, max(0, start - 30), start)
    return bool(m) and (m.group(1) + low in ctx.names or m.group(1) + low in ctx.places)


_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEYS = {ch: (r, i) for r, row in enumerate(_ROWS) for i, ch in enumerate(row)}


def adjacent_keys(a: str, b: str) -> bool:
    if a not in _KEYS or b not in _KEYS:
        return False
    (ra, ia), (rb, ib) = _KEYS[a], _KEYS[b]
    return abs(ra - rb) <= 1 and abs(ia - ib) <= 1 and (a != b)


def typing_slip(wrong: str, right: str) -> str | None:
    """The kind of slip that turns `right` into `wrong` (one edit), or None for other edits.

    Omitted letters, doubled letters, transposed neighbours, neighbouring keys and OCR glyph
    confusions are slips; any other substitution or insertion is as likely a different word.
    """
    if len(wrong) + 1 == len(right):
        for i in range(len(right)):
            if right[:i] + right[i + 1:] == wrong:
                return "omission"
    if len(wrong) == len(right) + 1:
        for i in range(1, len(wrong)):
            if wrong[i] == wrong[i - 1] and wrong[:i] + wrong[i + 1:] == right:
                return "doubling"
    if len(wrong) == len(right):
        diff = [i for i in range(len(wrong)) if wrong[i] != right[i]]
        if len(diff) == 2 and diff[1] == diff[0] + 1 and wrong[diff[0]] == right[diff[1]] \
                and wrong[diff[1]] == right[diff[0]]:
            return "transposition"
        if len(diff) == 1 and adjacent_keys(wrong[diff[0]], right[diff[0]]):
            return "neighbouring key"
    cls = edit_class(wrong, right)
    return "ocr" if cls and cls.startswith("OCR") else None


def edit_class(wrong: str, right: str) -> str | None:
    """The slip that turns `right` into `wrong`, when it is a typing or OCR slip."""
    for w, r in GLYPHS:
        if w.isdigit():
            continue
        i = wrong.find(w)
        while i >= 0:
            if wrong[:i] + r + wrong[i + len(w):] == right:
                return f"OCR '{w}' for '{r}'"
            i = wrong.find(w, i + 1)
    for i in range(1, len(wrong)):
        if wrong[i] == wrong[i - 1] and wrong[:i] + wrong[i + 1:] == right:
            return f"doubled '{wrong[i]}'"
    for i in range(1, len(wrong) - 1):
        if wrong[:i] + wrong[i + 1] + wrong[i] + wrong[i + 2:] == right:
            return "letters transposed"
    return None


def transliteration_variant(a: str, b: str) -> bool:
    """True when a and b differ only by an alternation of romanisation (Trotsky/Trotzky,
    Kollontai/Kolontai: a consonant doubled inside the name, not at its end)."""
    a, b = a.lower(), b.lower()
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    if len(longer) == len(shorter) + 1:
        for i in range(1, len(longer) - 1):
            if longer[i] == longer[i - 1] and longer[:i] + longer[i + 1:] == shorter:
                return True
    for x, y in TRANSLITERATION:
        for p, q in ((x, y), (y, x)):
            i = a.find(p)
            while i >= 0:
                if a[:i] + q + a[i + len(p):] == b:
                    return True
                i = a.find(p, i + 1)
    return False


def _near_name(tok: str, ctx: Context) -> list[tuple[str, str]]:
    """Known names one or two slips from `tok`: (name, where from)."""
    return ctx.near_names(tok)


_NAME_TOKEN = re.compile(r"(?<![\w’'-])[A-Z][a-z]{3,}(?![\w-])")


def names(text: str, ctx: Context) -> Iterable[Fix]:
    # a known name, a word, or a spelling the text keeps to is not a suspect
    for m in _occurrences(_NAME_TOKEN, text, ctx.suspects(text, NAME)):
        tok = m.group()
        near = [(n, o) for n, o in _near_name(tok, ctx)
                if n.rstrip("s") != tok.rstrip("s") and (typing_slip(tok, n) or OSA.distance(tok, n) == 1)]
        if not near:
            continue
        if len(near) > 1:
            yield Fix(m.start(), m.end(), tok, near[0][0], "names", "low",
                      "near several known names: " + ", ".join(n for n, _ in near))
            continue
        name, origin = near[0]
        slip = edit_class(tok, name) or typing_slip(tok, name)
        # a glyph misread, a doubled or a transposed letter rarely makes another real name; a
        # letter fewer or a neighbouring key often does (Kalnin and Kalinin are both surnames)
        evident = slip is not None and slip not in ("omission", "neighbouring key")
        if evident and origin == "authority":
            cert, reason = "high", f"{slip} in a name of the authority files"
        elif slip and origin == "authority":
            cert, reason = "medium", f"{slip} away from a name of the authority files, but may be another name"
        elif slip:
            cert, reason = "medium", f"{slip}; '{name}' is a name of this text"
        else:
            cert, reason = "low", f"one letter from the known name '{name}'"
        yield Fix(m.start(), m.end(), tok, name, "names", cert, reason)


DETECTORS = (hyphenation, split_words, joined_words, glued_capitals, digits, letters_in_years, glyphs, stray_quotes,
             capitals, spelling, names)


def detect(text: str, ctx: Context | None = None) -> list[Fix]:
    """Every detector over one text; overlapping proposals keep the most certain (then longest)."""
    ctx = ctx or Context.of(text)
    fixes = [f for det in DETECTORS for f in det(text, ctx)]
    fixes.sort(key=lambda f: (CERTS.index(f.cert), -(f.end - f.start), f.start))
    kept: list[Fix] = []
    for f in fixes:
        if any(f.start < k.end and k.start < f.end for k in kept):
            continue
        kept.append(f)
    return sorted(kept, key=lambda f: f.start)
