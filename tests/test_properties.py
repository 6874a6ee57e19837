"""Property-based tests over generated texts shaped like the corpus (headings, datelines,
paragraphs with names, numbers, dates, quotations and bracketed notes, numbered items, endnotes,
runs of blank lines, stray damage): every conversion is valid, lossless and deterministic, and the
corrected reading differs from the source reading only inside `choice`."""

from __future__ import annotations

import copy

from fuzz.targets import assert_lossless, assert_valid_tei, convert_text, source_reading
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from trotsky_tei import safexml
from trotsky_tei.export import export_tree

TEI = "{http://www.tei-c.org/ns/1.0}"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
WORDS = ("the of and to in a is that for by with on at as from this all be are not it which have "
         "order army troops regiment division railway station telegram committee soviet comrades "
         "command front echelon detachment bridge river town district power workers peasants "
         "officers soldiers arms weapons report enemy counter-revolution discipline mobilisation "
         "staff headquarters instructions decree meeting resolution").split()
SYLLABLES = ["ka", "ro", "min", "vo", "sk", "ber", "za", "len", "tov", "ich", "grad", "an", "ov", "ya", "sha"]
DAMAGE = ["9f", "0rder", "tbe", "peas- ants", "tele gram", "c0mmittee", "arrny", "l918"]


@st.composite
def name(draw) -> str:
    parts = draw(st.lists(st.sampled_from(SYLLABLES), min_size=2, max_size=4))
    return "".join(parts).capitalize()


@st.composite
def date(draw) -> str:
    day, month, year = draw(st.integers(1, 31)), draw(st.sampled_from(MONTHS)), draw(st.integers(1900, 1930))
    return draw(st.sampled_from([f"{day} {month} {year}", f"{month} {day}, {year}", f"{month} {day}", f"{year}",
                                 f"{day}.{draw(st.integers(1, 12))}.{year}"]))


@st.composite
def token(draw) -> str:
    kind = draw(st.sampled_from(["word"] * 12 + ["name", "name", "date", "num", "quote", "note", "bracket", "damage",
                                                 "punct", "noise"]))
    if kind == "word":
        return draw(st.sampled_from(WORDS))
    if kind == "name":
        return draw(st.sampled_from(["", "Comrade ", "General ", "the ", "St. "])) + draw(name())
    if kind == "date":
        return draw(date())
    if kind == "num":
        return draw(st.sampled_from(["No. ", "", "", "Order No. "])) + str(draw(st.integers(0, 100000)))
    if kind == "quote":
        inner = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=5)))
        opening, closing = draw(st.sampled_from([("\u201c", "\u201d"), ('"', '"'), ("\u2018", "\u2019"), ("'", "'"),
                                                 ("\u201c", ""), ("", "\u201d")]))
        return f"{opening}{inner}{closing}"
    if kind == "note":
        return f"[{draw(st.integers(1, 120))}]"
    if kind == "bracket":
        inner = " ".join(draw(st.lists(st.sampled_from(WORDS + ["[", "]"]), min_size=0, max_size=6)))
        return draw(st.sampled_from([f"[{inner}]", f"[{inner}", f"{inner}]", f"[[{inner}]]", f"({inner})"]))
    if kind == "damage":
        return draw(st.sampled_from(DAMAGE))
    if kind == "punct":
        return draw(st.sampled_from([",", ".", ";", ":", "\u2014", "-", "!", "?", "...", "\u2026"]))
    return draw(st.text(st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="\ufffe\uffff"),
                        min_size=1, max_size=3))


@st.composite
def sentence(draw) -> str:
    toks = draw(st.lists(token(), min_size=1, max_size=18))
    s = " ".join(t for t in toks if t)
    return (s[:1].upper() + s[1:]) + draw(st.sampled_from([".", ".", "!", "?", ""]))


@st.composite
def block(draw) -> str:
    kind = draw(st.sampled_from(["p"] * 6 + ["heading", "dateline", "items", "signature", "bibl"]))
    if kind == "p":
        lines = draw(st.lists(sentence(), min_size=1, max_size=4))
        return draw(st.sampled_from([" ", "\n"])).join(lines)
    if kind == "heading":
        return draw(st.sampled_from(["ORDER", "TELEGRAM", "SPEECH", "REPORT", "APPEAL", "Order"])) + draw(
            st.sampled_from(["", f" No. {draw(st.integers(1, 300))}", f" TO THE {draw(name()).upper()} SOVIET",
                             f" of the People's Commissar, {draw(date())}"]))
    if kind == "dateline":
        return f"{draw(name())}, {draw(date())}"
    if kind == "items":
        n = draw(st.integers(1, 5))
        indent = draw(st.sampled_from(["  ", "", "    "]))
        return "\n".join(f"{indent}{i}. {draw(sentence())}" for i in range(1, n + 1))
    if kind == "signature":
        return draw(st.sampled_from(["L. Trotsky", "People's Commissar", "Chairman", "Commander"])) + draw(
            st.sampled_from(["", f"\n{draw(name())}"]))
    return f"{draw(st.sampled_from(['Izvestiya', 'Pravda', 'Collected Works']))}, No. {draw(st.integers(1, 300))}, {draw(date())}"


@st.composite
def front_matter(draw) -> str:
    """Title lines set off by a blank-line run, then bracketed head-notes (or nothing)."""
    titles = draw(st.lists(st.sampled_from(["THE MILITARY WRITINGS", "Volume One", "1918", "HOW THE REVOLUTION ARMED",
                                            draw(name()).upper()]), min_size=0, max_size=3))
    notes = draw(st.lists(sentence(), min_size=0, max_size=2))
    out = "\n".join(titles) + ("\n\n\n" if titles else "")
    return out + "".join(f"[{n}]\n\n" for n in notes)


@st.composite
def corpus_text(draw) -> str:
    blocks = [draw(front_matter())] + draw(st.lists(block(), min_size=1, max_size=10))
    gaps = draw(st.lists(st.sampled_from(["\n\n", "\n\n", "\n\n\n", "\n\n\n\n\n", "\n \n", "\n"]),
                         min_size=len(blocks), max_size=len(blocks)))
    text = "".join(b + g for b, g in zip(blocks, gaps))
    if draw(st.booleans()):
        notes = sorted(set(draw(st.lists(st.integers(1, 120), max_size=4))))
        text += "".join(f"{n}. {draw(sentence())}\n\n" for n in notes)
    return text


@SETTINGS
@given(corpus_text())
def test_conversion_is_valid_lossless_and_deterministic(text):
    xml, _ = convert_text(text)
    assert_valid_tei(xml)
    assert_lossless(xml, text)
    again, _ = convert_text(text)
    assert again == xml


def _without_choices(tree: etree._ElementTree) -> etree._ElementTree:
    """A copy where every outermost choice is replaced by the same placeholder text."""
    tree = copy.deepcopy(tree)
    for choice in list(tree.iter(f"{TEI}choice")):
        if any(a.tag == f"{TEI}choice" for a in choice.iterancestors()):
            continue
        parent = choice.getparent()
        marker = "\u2063" + (choice.tail or "")
        prev = choice.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + marker
        else:
            parent.text = (parent.text or "") + marker
        parent.remove(choice)
    return tree


@SETTINGS
@given(corpus_text())
def test_corrected_reading_differs_only_inside_choice(text):
    xml, _ = convert_text(text)
    tree = safexml.parse_bytes(xml, "out.xml")
    stripped = _without_choices(tree)
    source = export_tree(stripped, "text", reading="source")
    corrected = export_tree(stripped, "text", reading="corrected")
    assert source == corrected
    if tree.find(f".//{TEI}choice") is None:
        assert export_tree(tree, "text", reading="corrected") == export_tree(tree, "text", reading="source")


def test_generated_texts_exercise_corrections():
    """The generator produces damage the correction pass acts on (so the property above has teeth)."""
    xml, _ = convert_text("The order 9f the committee was sent to tbe front by the arrny.\n")
    assert b"<choice" in xml
    assert "9f" in source_reading(xml)
