"""The corrections pass: the edition's own corrections, curated corrections, misprint detectors,
the `corrections suggest` command, and the source/corrected text readings."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter

import pytest
from click.testing import CliRunner
from conftest import NS
from hypothesis import example, given, settings
from hypothesis import strategies as st

from trotsky_tei.cli import main
from trotsky_tei.convert import analyse, convert_text
from trotsky_tei.corrections import curated
from trotsky_tei.corrections.detectors import Context, detect, typing_slip
from trotsky_tei.corrections.editorial import parse_note
from trotsky_tei.export import export_tree
from trotsky_tei.messages import TrotskyTeiError
from trotsky_tei.model import Block, Document
from trotsky_tei.passes.corrections import corrections
from trotsky_tei.spans import Span

# -- the edition's own corrections ----------------------------------------------------------------


@pytest.mark.parametrize("note, original, intended", [
    ("The text has ‘July 4’ for the date of the Japanese landing, but this is evidently a mistake for ‘April 4’.",
     "July 4", "April 4"),
    ("The text has ‘General Sveri’, which must be a muddle for ‘General Lavergne.’",
     "General Sveri", "General Lavergne"),
    ("The Russian text reads “Tsaritsyn”, an obvious slip for “Saratov”.", "Tsaritsyn", "Saratov"),
    ("‘Kazan’ in the original: for ‘Kazan’ read ‘Kozlov’.", "Kazan", "Kozlov"),
    ("‘Sveri’ is evidently ‘Lavergne’.", "Sveri", "Lavergne"),
    ("The original has ‘Ninth’ instead of ‘Tenth Army’.", "Ninth", "Tenth Army"),
    ("The Russian text says ‘24th’: this must be an error for ‘4th’.", "24th", "4th"),
    ("Misprinted as ‘Kamyshin’ in the Russian edition; Kamenka is meant.", "Kamyshin", "Kamenka"),
    ("The Russian text reads ‘1917’.", "1917", None),
    ("‘Penza’ in the original.", "Penza", None),
])
def test_correction_notes(note, original, intended):
    said = parse_note(note)
    assert (said.original, said.intended) == (original, intended)


@pytest.mark.parametrize("note", [
    "?",
    "i.e., the Dutovite-SR General Staff",
    "See Lenin, Collected Works, Vol.28, p.29: ‘The Russian people’s state of extreme war fatigue’",
    "The name index to the original Russian edition wrongly identifies this Jeannot with General Janin.",
    "Bugulma lies between Simbirsk (Ulyanovsk) and Ufa, south of the Kama.",
])
def test_other_notes_are_not_corrections(note):
    assert parse_note(note) is None


def _block_with_note(text: str, nid: str = "ed2") -> tuple[Document, Block]:
    lo = text.index("[")
    hi = text.index("]", lo) + 1
    block = Block("p", text, 1, 0, 0)
    block.spans.append(Span(lo, hi, "note", {"xml:id": nid, "type": "editorial", "resp": "#pearce",
                                             "rend": "brackets"}, 80, (1, 1)))
    return Document("t.txt", text, [block]), block


def test_edition_correction_at_the_corrected_words():
    doc, block = _block_with_note(
        "effected without any hindrance, until April 4 [The text has ‘July 4’ for the date of the Japanese "
        "landing, but this is evidently a mistake for ‘April 4’.], when there appeared")
    (b, span), = list(corrections(doc))
    assert block.text[span.start:span.end] == "April 4"
    sic, corr = span.readings
    assert (sic.tag, dict(sic.attrs), sic.text) == ("sic", {"source": "#ed2"}, "July 4")
    assert (corr.tag, dict(corr.attrs), corr.text) == ("corr", {"resp": "#pearce"}, None)
    assert span.attrs["xml:id"] == "c1" and span.priority == 70


def test_edition_correction_strips_the_quoted_full_stop():
    doc, block = _block_with_note("I was given my answer by General Lavergne [The text has ‘General Sveri’, "
                                  "which must be a muddle for ‘General Lavergne.’], who is present here")
    (_, span), = list(corrections(doc))
    assert block.text[span.start:span.end] == "General Lavergne"
    assert span.readings[0].text == "General Sveri"


def test_edition_correction_when_the_running_text_keeps_the_original():
    doc, block = _block_with_note("the army fell back to Kazan [‘Kazan’ in the original: for ‘Kazan’ read "
                                  "‘Kozlov’.] and held the line")
    (_, span), = list(corrections(doc))
    assert block.text[span.start:span.end] == "Kazan"
    sic, corr = span.readings
    assert sic.text is None and corr.text == "Kozlov" and corr.attrs == {"resp": "#pearce", "source": "#ed2"}


def test_unplaced_edition_correction_is_reported():
    doc, _ = _block_with_note("nothing here matches [The text has ‘Sveri’, a mistake for ‘Lavergne’.]")
    assert list(corrections(doc)) == []
    msg, = [m for m in doc.reporter.messages if m.kind == "edition-correction-unplaced"]
    assert "Lavergne" in msg.text and msg.hint


# -- curated corrections ---------------------------------------------------------------------------

SOURCE = "The Petrograd Soviet supplied a quarter 9f its membership.\n\nIn the provinces 9f Vladimir 9f old.\n"


def _write(tmp_path, body: str):
    path = tmp_path / "corrections.toml"
    path.write_text(body, "utf-8")
    return path


def test_curated_placement(tmp_path):
    path = _write(tmp_path, """
[defaults]
resp = "#editors"

[[correction]]
sic = "9f"
corr = "of"
context = "quarter 9f its"
cert = "high"

[[correction]]
sic = "9f"
corr = "of"
occurrence = 2

[[correction]]
sic = "Soviet"
corr = "Council"
type = "reg"
resp = "#annotator"
""")
    entries = curated.load(path)
    assert [e.line for e in entries] == [5, 11, 16]
    placed, messages = curated.place(entries, SOURCE, str(path))
    assert messages == []
    assert [(SOURCE[p.start:p.end], p.start) for p in placed] == [
        ("Soviet", SOURCE.index("Soviet")), ("9f", SOURCE.index("9f")), ("9f", SOURCE.index("9f V"))]
    assert placed[0].entry.tag == "reg" and placed[0].entry.resp == "#annotator"


def test_curated_all_and_wrapped_lines(tmp_path):
    path = _write(tmp_path, '[[correction]]\nsic = "9f"\ncorr = "of"\nall = true\n\n'
                            '[[correction]]\nsic = "a quarter"\ncorr = "one quarter"\n')
    placed, _ = curated.place(curated.load(path), SOURCE.replace("a quarter", "a\nquarter"))
    assert len(placed) == 4


def test_curated_entries_that_cannot_be_placed_are_warnings(tmp_path):
    path = _write(tmp_path, '[[correction]]\nsic = "9f"\ncorr = "of"\n\n'
                            '[[correction]]\nsic = "xyz"\ncorr = "of"\ncontext = "a xyz b"\n')
    placed, messages = curated.place(curated.load(path), SOURCE, str(path))
    assert placed == []
    assert [(m.kind, m.line) for m in messages] == [("correction-not-found", 1), ("correction-not-found", 5)]
    assert "3 times" in messages[0].text and messages[0].hint


@pytest.mark.parametrize("body, what", [
    ('[[correction]\nsic = "a"', "not valid TOML"),
    ('[[correction]]\nsic = "a"\n', "'corr'"),
    ('[[correction]]\nsic = "a"\ncorr = "b"\nwhere = "x"\n', "unknown key"),
    ('[[correction]]\nsic = "a"\ncorr = "b"\ncert = "sure"\n', "cert must be"),
    ('[[correction]]\nsic = "a"\ncorr = "b"\nresp = "editors"\n', "resp must be"),
    ('[[correction]]\nsic = "a"\ncorr = "b"\ncontext = "xyz"\n', "does not contain"),
    ('[[correction]]\nsic = "a"\ncorr = "b"\noccurrence = "two"\n', "occurrence"),
])
def test_bad_corrections_files(tmp_path, body, what):
    path = _write(tmp_path, body)
    with pytest.raises(TrotskyTeiError) as err:
        curated.load(path)
    msg = err.value.message
    assert what in msg.text and msg.file == str(path) and msg.hint
    assert "\n" not in msg.render()


def test_curated_corrections_in_the_pass(tmp_path):
    path = _write(tmp_path, '[[correction]]\nsic = "hook"\ncorr = "book"\ncert = "high"\n')
    text = "Bunyan’s hook contains relevant documents.\n"
    doc = analyse(text, "t.txt", {"corrections_file": str(path)}, passes=["notes", "corrections"])
    (span,) = [s for s in doc.blocks[0].spans if s.tag == "choice"]
    sic, corr = span.readings
    assert (sic.tag, sic.text, corr.tag, corr.text) == ("sic", None, "corr", "book")
    assert dict(corr.attrs) == {"resp": "#editors", "cert": "high"}
    assert "editors" in doc.resp


# -- detectors ---------------------------------------------------------------------------------------

def fixes(text: str, level: str = "high") -> list[tuple[str, str]]:
    return [(f.sic, f.reading) for f in detect(text, Context.of(text)) if f.cert == level]


@pytest.mark.parametrize("text, sic, reading", [
    ("have supplied a quarter 9f its membership", "9f", "of"),
    ("every c0mmander and every commissar", "c0mmander", "commander"),
    ("by direct 1ine, on the state of", "1ine", "line"),
    ("burned depots and b1ew up bridges", "b1ew", "blew"),
    ("the Czechoslovaks, con fused by reactionary scoundrels", "con fused", "confused"),
    ("are to pledge them selves to surrender", "them selves", "themselves"),
    ("The offer of Russian citizen ship was made", "citizen ship", "citizenship"),
    ("a trained army, rein forced by Russian officers", "rein forced", "reinforced"),
    ("units in which desert ion is a mass phenomenon", "desert ion", "desertion"),
    ("will suffer any punishment what so ever.", "what so ever", "whatsoever"),
    ("the workers and peas- ants, we have", "peas- ants", "peasants"),
    ("the Czechoslovak hire-\nlings of the French", "hire-\nlings", "hirelings"),
    ("demagogues and counter- revolutionaries, none", "counter- revolutionaries", "counter-revolutionaries"),
    ("a well- known fact", "well- known", "well-known"),
    ("The situation at thefront at this moment", "thefront", "the front"),
    ("look on thecommissar as an inspector", "thecommissar", "the commissar"),
    ("in face of the enemy. AU scoundrelly and rotten elements", "AU", "All"),
    ("there is tbe question of", "tbe", "the"),
    ("Although the Provisional Goverment did not trust them", "Goverment", "Government"),
    ("the struggle against theBasmachi bands", "theBasmachi", "the Basmachi"),
])
def test_detected_misprints(text, sic, reading):
    assert (sic, reading) in fixes(text)


def test_hyphen_evidence_from_the_text_itself():
    text = "the factory committees met; the factory commit- tees decided. The metal-worker and the metal- worker."
    assert ("commit- tees", "committees") in fixes(text)
    assert ("metal- worker", "metal-worker") in fixes(text)
    text = "the counter-revolutionary bourgeoisie and the counter revolutionary officers"
    assert ("counter revolutionary", "counter-revolutionary") in fixes(text)


def test_names_near_authority_names():
    text = "We smashed the bands of Alekseyev and Komilov. Buinsk is between Kazann and Simbrisk. Trotzky spoke."
    ctx = Context.of(text, ["Kornilov", "Kazan", "Simbirsk", "Trotsky", "Alekseyev"])
    got = {(f.sic, f.reading, f.cert) for f in detect(text, ctx)}
    assert {("Komilov", "Kornilov", "high"), ("Kazann", "Kazan", "high"), ("Simbrisk", "Simbirsk", "high")} <= got
    assert not any(f[0] == "Trotzky" for f in got)      # a transliteration, not a misprint
    text = "Kolontai spoke."
    assert detect(text, Context.of(text, ["Kollontai"])) == []


def test_a_known_name_split_in_two_is_joined_not_respelled():
    text = "The French press reported a revolt in Kron stadt; the Don bass was low."
    got = {(f.sic, f.reading, f.cert) for f in detect(text, Context.of(text, ["Kronstadt", "Donbass"]))}
    assert got == {("Kron stadt", "Kronstadt", "high")}


def test_a_name_a_letter_short_of_a_known_name_is_only_proposed():
    # Kalnin and Kalinin are both surnames: a letter fewer, or a neighbouring key, is no evidence
    text = "Comrade Kalnin reported, and Comrade Lashevish agreed."
    got = {(f.sic, f.reading, f.cert) for f in detect(text, Context.of(text, ["Kalinin", "Lashevich"]))}
    assert got == {("Kalnin", "Kalinin", "medium"), ("Lashevish", "Lashevich", "medium")}


@pytest.mark.parametrize("text", [
    # period and translation spellings, names, real phrases: nothing is a misprint
    "Trotzky and Trotsky both wrote about Petrograd and Simbirsk in 1918.",
    "The troops were organised and organized; the labour and labor of honour and honor.",
    "The co-operation of the railwaymen was recognised by the Sovnarkom and the Cheka.",
    "It is a part of every day; any one may be right some times, and no one can tell.",
    "We must either conquer or die, with out any doubt.",
    "The 5th Army took 1,500 prisoners; see subsection 6b and Order No. 3a of the 14th Division.",
    "Pre- and post-war conditions; two- or three-day marches.",
    "Comrade Raskolnikov and the Volga flotilla; Messrs. Maxa and Cermak; Vaclav Neubert.",
    "In war time the head quarters read the news paper on the steam ship; the land lords fled.",
    "A great many versts away the kulaks hid their grain from the poods requisitioned.",
    "The Jacobins and Girondins, the Denikinites and Krasnovites, the Dutovite General Staff.",
    "The McKinley tariff and the DeLeon group; the iPhone is no word of the period.",
])
def test_correct_text_is_not_corrected(text):
    assert fixes(text) == []


def test_clean_prose_has_no_high_certainty_proposals():
    prose = (
        "The concentration of our forces has been completed and unity of command on the Volga front "
        "established. Fully aware that the mutineers are direct allies of the counter-revolution, the "
        "Soviet troops are fighting heroically. Hard-pressed from behind and hemmed in on either flank, "
        "the enemy is rushing along the line of the railway. An obvious ferment has begun in their ranks. "
        "The more conscious elements realize the disastrous character of their outbreak and show a desire "
        "to enter into negotiations. I have decided to authorize the front commanders to receive envoys "
        "under a flag of truce. Those who do not voluntarily hand over their arms are to be shot on the "
        "spot. In view of the fact that military operations in the railway zone are hindering the movement "
        "of goods trains carrying foodstuffs, I order the commanders-in-chief of the three fronts to act "
        "with all vigour so as to liquidate this shameful adventure as quickly as possible. Whatsoever the "
        "cost, the workers and peasants will defend the Soviet Republic; nevertheless we must not underrate "
        "the enemy, who is well-armed and well-led by ex-officers of the Tsar's army.")
    assert fixes(prose) == []


def test_typing_slips():
    assert typing_slip("goverment", "government") == "omission"
    assert typing_slip("kazann", "kazan") == "doubling"
    assert typing_slip("simbrisk", "simbirsk") == "transposition"
    assert typing_slip("versts", "versus") is None


# -- the pass on the corpus, the TEI and the text readings ---------------------------------------

def test_corpus_corrections(corpus_tree, source_text):
    choices = corpus_tree.xpath("//tei:text//tei:choice", namespaces=NS)
    ids = [c.get("{http://www.w3.org/XML/1998/namespace}id") for c in choices]
    assert ids == [f"c{i}" for i in range(1, len(ids) + 1)]
    readings = {}
    for c in choices:
        sic = c.find("tei:sic", NS)
        corr = c.find("tei:corr", NS)
        readings["".join(sic.itertext())] = ("".join(corr.itertext()), corr.get("resp"), corr.get("cert"),
                                             sic.get("source"))
    assert readings["9f"] == ("of", "#trotsky-tei", "high", None)
    assert readings["hook"] == ("book", "#editors", "high", None)
    assert readings["July 4"] == ("April 4", "#pearce", None, "#ed2")
    assert readings["General Sveri"][0] == "General Lavergne"
    assert readings["peas- ants"][0] == "peasants"
    assert "Trotzky" not in readings and "versts" not in readings
    resp_ids = corpus_tree.xpath("//tei:teiHeader//tei:respStmt/@xml:id | //tei:teiHeader//*/@xml:id",
                                 namespaces=NS)
    for pointer in {c.get("resp") for c in corpus_tree.xpath("//tei:corr", namespaces=NS)}:
        assert pointer.lstrip("#") in resp_ids


def _words(text: str) -> list[str]:
    return re.findall(r"\S+", text)


def test_text_readings(corpus_tree, source_text):
    source = export_tree(corpus_tree, "text", reading="source").decode("utf-8")
    corrected = export_tree(corpus_tree, "text", reading="corrected").decode("utf-8")
    assert "".join(source.split()) == "".join(source_text.split())
    for bad, good in (("9f its", "of its"), ("con fused", "confused"), ("Bunyan’s hook", "Bunyan’s book"),
                      ("Provisional Goverment", "Provisional Government"), ("at thefront", "at the front"),
                      ("Pema and", "Penza and"), ("factory commit- tees", "factory committees")):
        assert bad in " ".join(_words(source)) and good in " ".join(_words(corrected))
    # the edition's own correction: both readings give the running text, the note keeps 'July 4'
    assert "until April 4" in " ".join(_words(source)) and "until April 4" in " ".join(_words(corrected))


def test_note_reading_kept_when_running_text_has_the_original():
    text = ("REPORT\n\nThe army fell back to Kazan [‘Kazan’ in the original: for ‘Kazan’ read ‘Kozlov’.] "
            "and held the line.\n")
    tree = convert_text(text, "t.txt")
    corrected = export_tree(tree, "text", reading="corrected").decode("utf-8")
    source = export_tree(tree, "text", reading="source").decode("utf-8")
    assert "back to Kozlov" in corrected and "back to Kazan [" in source


def test_tei_with_corrections_is_valid(tei_all):
    text = ("ORDER No. 5\n\nThe Czechoslovaks, con fused by scoundrels, took 9f the town until April 4 "
            "[The text has ‘July 4’, a mistake for ‘April 4’.].\n")
    tree = convert_text(text, "t.txt")
    assert len(tree.xpath("//tei:choice", namespaces=NS)) == 3
    assert tei_all.validate(tree), tei_all.error_log.last_error


# -- the suggest command -------------------------------------------------------------------------------

def test_suggest_formats(source_path):
    runner = CliRunner()
    res = runner.invoke(main, ["corrections", "suggest", str(source_path), "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    by_sic = {r["sic"]: r for r in rows}
    assert by_sic["9f"]["reading"] == "of" and by_sic["9f"]["status"] == "applied"
    assert sorted(r["line"] for r in rows if r["sic"] == "9f") == [139, 155]
    assert by_sic["9f"]["file"].endswith("1918-czechoslovak-mutiny.txt")
    assert by_sic["hook"]["status"] == "curated"
    assert by_sic["July 4"]["status"] == "edition" and by_sic["July 4"]["reading"] == "April 4"
    assert "[9f]" in by_sic["9f"]["context"]
    res = runner.invoke(main, ["corrections", "suggest", str(source_path), "--format", "csv"])
    table = list(csv.DictReader(io.StringIO(res.output)))
    assert {r["sic"] for r in table} == set(by_sic)
    res = runner.invoke(main, ["corrections", "suggest", str(source_path)])
    assert res.exit_code == 0 and "9f" in res.output and res.output.splitlines()[0].startswith("where")


def test_suggest_on_tei(tmp_path):
    text = "ORDER No. 5\n\nEvery c0mmander must go; a quarter 9f them.\n"
    (tmp_path / "t.txt").write_text(text, "utf-8")
    tree = convert_text(text, "t.txt")
    # remove the applied correction to see it proposed again from the TEI
    for c in tree.xpath("//tei:choice[tei:sic='c0mmander']", namespaces=NS):
        c.getparent().replace(c, _text_node(c))
    tei = tmp_path / "t.xml"
    tree.write(str(tei), encoding="UTF-8", xml_declaration=True)
    res = CliRunner().invoke(main, ["corrections", "suggest", str(tei), "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert [(r["sic"], r["reading"]) for r in rows] == [("c0mmander", "commander")]
    assert rows[0]["line"] > 1


def _text_node(choice):
    from lxml import etree

    el = etree.Element("{http://www.tei-c.org/ns/1.0}seg")
    el.text = "".join(choice.find("tei:sic", NS).itertext())
    el.tail = choice.tail
    return el


def test_suggest_errors(tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["corrections", "suggest", str(tmp_path / "missing.txt")])
    assert res.exit_code == 1 and "missing.txt" in res.output and "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) == 1
    res = runner.invoke(main, ["corrections", "suggest", str(tmp_path / "x.txt"), "--format", "yaml"])
    assert res.exit_code == 2


def test_digits_keep_the_case_of_the_word():
    assert ("Ju1y", "July") in fixes("On Ju1y 10, 1918 the enemy took Syzran")
    assert ("0ctober", "October") in fixes("and on 0ctober 1 we shall be in Samara")
    assert ("0renburg", "Orenburg") in fixes("the Cossacks of 0renburg rose")


def test_dates_read_through_corrected_misprints():
    text = "ORDER No. 7\n\nOn Ju1y 10, 1918 the enemy took Syzran, and on 0ctober 1 we shall be in Samara.\n"
    doc = analyse(text, "t.txt")
    block = next(b for b in doc.blocks if "Ju1y" in b.text)
    dates = {block.text[s.start:s.end]: dict(s.attrs) for s in block.spans if s.tag == "date"}
    assert dates["Ju1y 10, 1918"] == {"when": "1918-07-10"}
    assert dates["0ctober 1"]["when"] == "1918-10-01"
    tree = convert_text(text, "t.txt")
    date = tree.xpath("//tei:date[@when='1918-07-10']", namespaces=NS)[0]
    assert date.xpath("tei:choice/tei:corr/text()", namespaces=NS) == ["July"]


def test_the_corpus_corrections_file_places_every_entry(source_text, root):
    path = root / "corpus" / "corrections" / "1918-czechoslovak-mutiny.toml"
    entries = curated.load(path)
    placed, messages = curated.place(entries, source_text, str(path))
    assert messages == [] and len(placed) == len(entries)
    assert all(e.reason and e.cert for e in entries)


def test_a_compound_hyphen_at_a_line_end_is_layout():
    assert fixes("the right of self-\ndetermination and the counter-\nrevolution of the well-\nknown") == []
    assert fixes("the Czechoslovak hire-\nlings") == [("hire-\nlings", "hirelings")]


def test_curated_resp_must_be_declared(tmp_path):
    from trotsky_tei.metadata import load_for

    path = _write(tmp_path, '[[correction]]\nsic = "hook"\ncorr = "book"\nresp = "#nobody"\n')
    meta = {**load_for(None), "corrections_file": str(path)}
    with pytest.raises(TrotskyTeiError) as err:
        analyse("Bunyan’s hook.\n", "t.txt", meta, passes=["notes", "corrections"])
    assert "#nobody" in err.value.message.text and err.value.message.line == 1
    assert "#editors" in err.value.message.hint


def test_split_after_a_function_word():
    assert ("to gether", "together") in fixes("they came to gether at dawn")
    assert ("at tention", "attention") in fixes("pay at tention to it")
    for text in ("in word and in deed", "as sure as death", "we must conquer or die"):
        assert fixes(text) == []


def test_letters_read_for_the_digits_of_a_year():
    assert fixes("on June 5, l918 and in 19O5") == [("l918", "1918"), ("19O5", "1905")]
    assert fixes("IOIO and lOl0 and Il18 and 1918") == []
    doc = analyse("ORDER No. 1\n\nOn June 5, l918 the town fell.\n", "t.txt")
    assert [dict(s.attrs) for b in doc.blocks for s in b.spans if s.tag == "date"] == [{"when": "1918-06-05"}]


# -- detectors that look only where their pattern can match ------------------------------------

_WORDS = ["the", "The", "THE", "a", "an", "of", "that", "this", "from", "with", "con", "fused", "them", "selves",
          "Kron", "stadt", "Goverment", "thefront", "AU", "l918", "9f", "rn", "In", "’", "'", "‘", " ", "  ",
          "\n", "-", ",", ".", "x", "ſ", "K", "_", "7", "qzx", "Qzx", "zq", "In", "On", "For", "aU", "bUt", "l9l8",
          "19O5", "Ju1y", "1918", "0ctober", "5th", "a1b2", "/", "é"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=16))
@example(["the", " ", "qzx", " ", "them", " ", "selves", " ", "AU", " ", "the", "’", " ", "a", " ", "Kron", " ", "stadt"])
def test_detectors_find_what_a_scan_of_every_position_finds(pieces):
    """The detectors skip text their patterns cannot match (a word no detector questions, a
    block without a digit, marks found before the words): they propose what a plain scan
    proposes."""
    from trotsky_tei.corrections import detectors as D

    text = "".join(pieces)
    assert [m.span() for m in D._stray_matches(text)] == [m.span() for m in D._STRAY.finditer(text)]
    ctx = Context.of(text, ["Kronstadt", "Kornilov"])
    D.detect(text, ctx)
    # each word detector examines every word its own test lets through (set aside or not)
    lx = D.lx
    for m in D._WORD_ANY.finditer(text):
        tok = m.group()
        if not (lx.is_word(tok) or ctx.words[tok] > 1 or lx.zipf(tok) >= lx.WORD):
            assert tok in ctx.suspects(text, D.GLYPH), tok
    for m in D._SPELL_TOKEN.finditer(text):
        tok = m.group()
        if not (lx.is_word(tok.lower()) or ctx.words[tok] > 1):
            assert tok in ctx.suspects(text, D.SPELL), tok
    for m in D._NAME_TOKEN.finditer(text):
        tok = m.group()
        if not (tok in ctx.names or tok in ctx.places or lx.zipf(tok) >= 3.5 or ctx.words[tok] > 1):
            assert tok in ctx.suspects(text, D.NAME), tok
    for m in D._TOKEN.finditer(text):
        tok = m.group()
        if not (lx.is_word(tok) or ctx.lower[tok] > 1):
            assert tok in ctx.suspects(text, D.JOINED), tok
    assert bool(D._GLUED_CAPITAL.search(text)) <= bool(ctx.suspects(text, D.GLUED))
    for m in D._CAP_U.finditer(text):
        assert m.group(1) in ctx.suspects(text, D.CAP_U), m.group(1)
    assert [f.start for f in D.capitals(text, ctx)] == [m.start() for m in D._CAPITAL_PREPOSITION.finditer(text)]
    for pattern in (D._DIGIT_TOKEN, D._YEARLIKE):
        assert [m.span() for m in D._digit_runs(text, pattern)] == [m.span() for m in pattern.finditer(text)]
    # every run the pair detector may pick is a real start of `_PAIRS`, and none is missed
    starts = [m.start() for m in D._RUN.finditer(text)]
    picked = {starts[i] for i in ctx.pair_candidates(text)}
    for m in D._PAIRS.finditer(text):
        a, b, c = m.group(1, 2, 3)
        al = a.lower()
        worth = (lx_zipf(al + b) >= 2.5 or al in D.HYPHEN_PREFIXES or (c and lx_zipf(al + b + c) >= 3.5)
                 or (a[0].isupper() and a + b in ctx.names))
        assert not worth or m.start() in picked, (text, a, b, c)


_SPLIT_WORDS = ["the", "The", "a", "A", "of", "in", "to", "con", "fused", "them", "selves", "Them", "what", "What",
                "so", "ever", "never", "Never", "less", "not", "with", "standing", "any", "Any", "where", "some",
                "times", "counter", "Counter", "anti", "revolution", "Kron", "KRON", "stadt", "Stadt", "Vladi",
                "vostok", "Mos", "cow", "head", "quarters", "rein", "forced", "x", "ſ", "K", "AU", "é",
                " ", " ", " ", "  ", "\n", "-", ",", ".", "’", "'", "’s"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_SPLIT_WORDS), min_size=1, max_size=18))
@example(["Kron", " ", "stadt", " ", "what", " ", "so", " ", "ever", " ", "counter", " ", "revolution"])
@example(["never", " ", "the", " ", "less", " ", "Vladi", " ", "vostok", " ", "them", " ", "selves"])
def test_split_words_finds_what_trying_every_run_finds(pieces):
    """`split_words` tries only the runs `pair_candidates` picks (joins that are common words or
    known names, hyphen prefixes): it proposes what trying `_PAIRS` at every run proposes."""
    from trotsky_tei.corrections import detectors as D
    from trotsky_tei.wordlists import places

    text = "".join(pieces)
    names = ["Kronstadt", "Kornilov"]
    every = Context.of(text, names, places())
    every.pair_candidates = lambda t: list(range(len(every.runs(t))))     # type: ignore[method-assign]
    assert list(D.split_words(text, Context.of(text, names, places()))) == list(D.split_words(text, every))
    # the runs and their places come from one scan
    assert every.runs(text) == re.findall("[A-Za-z]+", text)
    starts = every.run_starts(text)
    assert [starts[i] for i in range(len(starts))] == [m.start() for m in re.finditer("[A-Za-z]+", text)]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=6), st.sampled_from(
    ["word", " ", "’", "é", "𝐀", "—", "\n", "?", "a-b", "ĳ", "ﬁ", "\ud800", "K"])), max_size=20).map("".join))
@example("Kron stadt’s — 𝐀b ﬁne ?x\ud800y")
def test_runs_and_their_starts_are_the_matches_of_a_scan(text):
    """The runs of letters made by encoding, translating and splitting in C are the matches of
    `[A-Za-z]+`, and their starts are where those matches start, whatever the characters."""
    ctx = Context.of("")
    starts = ctx.run_starts(text)
    scanned = list(re.finditer("[A-Za-z]+", text))
    assert ctx.runs(text) == [m.group() for m in scanned]
    assert len(starts) == len(scanned)
    assert [starts[i] for i in range(len(starts))] == [m.start() for m in scanned]


def _context_by_loop(text: str, names: list[str]) -> tuple[Counter, Counter, list[tuple[str, str]]]:
    """`Context.of` written as a loop over the words of the text: (words, lower, names)."""
    from trotsky_tei.corrections import detectors as D

    words: Counter = Counter()
    lower: Counter = Counter()
    for tok in D._VOCAB_TOKEN.findall(text):
        for w in (tok, *tok.split("-")) if "-" in tok else (tok,):
            words[w] += 1
            lower[w.lower()] += 1
    known = list(D._authority_names(tuple(names))[0].items())
    seen = {w for w, _ in known}
    repeated = [(w, "text") for w, n in words.items() if n >= 2 and len(w) >= 4 and w[0].isupper()
                and w[1:].islower() and lx_zipf(w) < 3.5 and w not in seen]
    return words, lower, known + repeated


_VOCAB = ["Kazan", "kazan", "Trans-Siberian", "Siberian", "Trans", "Kuznetsk-on-the-Inza", "Inza", "Kuznetsk",
          "counter-revolution", "Counter", "revolution", "Sviyazhsk", "Simbirsk-Kazan", "Kazan-Simbirsk", "Oka",
          "Penza", "the", "The", "a-b", "A-B-C", "Abcd-Efgh", "Efgh", "Abcd", "x", " ", " ", "\n", "-", "’", ","]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_VOCAB), min_size=1, max_size=30))
@example(["Inza", " ", "Kuznetsk-on-the-Inza", " ", "Kuznetsk", " ", "Inza", " ", "Kuznetsk", " ", "Kazan-Inza"])
@example(["Abcd-Efgh", " ", "Penza", " ", "Penza", " ", "Efgh", " ", "Efgh"])   # "Efgh" met before "Penza"
def test_context_counts_the_words_of_the_text_in_order(pieces):
    """`Context.of` counts the distinct tokens (in C, then the parts of hyphenated ones): the same
    counts as a loop over every token, and the names the text repeats in the order met."""
    text = "".join(pieces)
    ctx = Context.of(text, ["Kornilov", "Kazan"])
    words, lower, names = _context_by_loop(text, ["Kornilov", "Kazan"])
    assert dict(ctx.words) == dict(words) and dict(ctx.lower) == dict(lower)
    assert list(ctx.names.items()) == names


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aZq--- ’'\n1é", max_size=60))
def test_vocabulary_tokens_are_the_words_of_the_plain_pattern(text):
    """`_VOCAB_TOKEN` takes the hyphenated parts possessively (where `re` can): the same tokens
    as the pattern written without it."""
    from trotsky_tei.corrections import detectors as D

    assert D._VOCAB_TOKEN.findall(text) == re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", text)


def lx_zipf(word: str) -> float:
    from trotsky_tei.corrections import lexicon

    return lexicon.zipf(word)


# -- spelling candidates narrowed to the common words first ---------------------------------------

def _candidates_by_look_up(word: str, max_distance: int) -> tuple[tuple[str, int, float], ...]:
    """`lexicon.candidates` without the shortcut: every edit looked up in the vocabulary."""
    from trotsky_tei.corrections import lexicon as lx

    w = word.lower()
    found: dict[str, int] = {}
    e1 = lx.edits1(w)
    for c in e1:
        if c != w and lx.in_vocabulary(c):
            found[c] = 1
    if max_distance >= 2 and not found:
        for e in e1:
            for c in lx.edits1(e):
                if c != w and c not in found and lx.in_vocabulary(c):
                    found[c] = 2
    return tuple(sorted(((c, d, lx.zipf(c)) for c, d in found.items()), key=lambda t: (t[1], -t[2], t[0])))


def test_every_vocabulary_word_is_a_common_word():
    """`candidates` keeps only the edits that are common words before it looks them up: every
    word a detector may offer (`in_vocabulary`) must be one."""
    from trotsky_tei import wordlists
    from trotsky_tei.corrections import lexicon as lx

    common = wordlists.common_words()
    offered = [w for w in wordlists.word_buckets()._trie.keys() if lx.in_vocabulary(w)]
    assert offered and all(w in common for w in offered)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcdeghilmnorstuvwyzAEGKſé’-", min_size=1, max_size=9), st.sampled_from([1, 2]))
@example("goverment", 1)
@example("teh", 1)
@example("qzxv", 2)
def test_spelling_candidates_are_those_a_look_up_of_every_edit_finds(word, max_distance):
    """The candidates found through the common words are those a look-up of every edit finds."""
    from trotsky_tei.corrections import lexicon as lx

    assert lx.candidates.__wrapped__(word, max_distance) == _candidates_by_look_up(word, max_distance)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aZq--- ’'\n1é?\x00", max_size=60))
def test_vocabulary_tokens_cut_in_c_are_the_matches_of_the_pattern(text):
    """`_vocabulary_tokens` cuts the text at every character no token holds and matches only
    the pieces with a hyphen: the tokens `_VOCAB_TOKEN` finds, in order."""
    from trotsky_tei.corrections import detectors as D

    assert D._vocabulary_tokens(text) == D._VOCAB_TOKEN.findall(text)


def _edits1_plain(word: str) -> set[str]:
    """Every string one edit away, each built on its own (the textbook statement)."""
    from trotsky_tei.corrections.lexicon import LETTERS

    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b} | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in LETTERS} | {a + c + b for a, b in splits for c in LETTERS})


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("abzé\n\x00 -'") | st.characters(), max_size=12))
@example("")
@example("a\nb")
def test_edits_cut_from_one_string_are_the_edits_of_the_word(word):
    """`edits1` makes every edit by joins and one split, at a separator the word does not hold:
    the same strings as building each edit on its own, whatever the word holds."""
    from trotsky_tei.corrections import lexicon as lx

    assert lx.edits1(word) == _edits1_plain(word)
