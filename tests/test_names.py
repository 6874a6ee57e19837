"""The names pass and the authority index, rule by rule, on small hand-made blocks.

Authority records come from tests/fixtures/authority/names.xml; names the fixture does not hold
exercise the context cues, the gazetteer and the name-shape rules.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from trotsky_tei import authority
from trotsky_tei.messages import Severity, TrotskyTeiError
from trotsky_tei.model import Block, Document
from trotsky_tei.passes.names import NameFinder, datelines, load_cues, names, normalise
from trotsky_tei.spans import Reading, Span

FIXTURE = Path(__file__).parent / "fixtures" / "authority"
TEI = "{http://www.tei-c.org/ns/1.0}"


@pytest.fixture(scope="module")
def index() -> authority.AuthorityIndex:
    return authority.load_directory(FIXTURE)


@pytest.fixture(scope="module")
def finder(index) -> NameFinder:
    return NameFinder(index)


def found(finder: NameFinder, text: str, spans=()) -> list[tuple[str, str, str | None, str | None]]:
    """(surface, type, id, cert) of every name found in `text`."""
    return [(text[c.start:c.end], c.type, c.ids[0] if c.ids else None, c.cert)
            for c in finder.find(text, spans)]


def surfaces(finder: NameFinder, text: str) -> list[str]:
    return [s for s, *_ in found(finder, text)]


# --------------------------------------------------------------------------- authority index


def test_index_holds_records_forms_and_ids(index):
    rec = index.records["moscow"]
    assert rec.type == "place" and rec.preferred == "Moscow"
    assert rec.idnos == {"wikidata": "Q649", "geonames": "524901"}
    assert rec.element.tag == TEI + "place"
    assert index.lookup("Soviet Republic").ids == ("soviet-russia",)
    # a surname child is a derived variant; both Washington records share one form
    assert index.lookup("Kerensky").derived and index.lookup("Kerensky").ids == ("kerensky",)
    assert index.lookup("Washington").ambiguous
    # a form a curator marks subtype="ambiguous" needs context even when one record has it
    assert index.lookup("North").ambiguous and index.lookup("North").marked


def test_index_is_cached_until_a_file_changes(tmp_path):
    f = tmp_path / "a.xml"
    f.write_bytes((FIXTURE / "names.xml").read_bytes())
    first = authority.load_directory(tmp_path)
    assert authority.load_directory(tmp_path) is first
    f.write_bytes(f.read_bytes().replace(b'xml:id="ufa"', b'xml:id="ufa-city"'))
    second = authority.load_directory(tmp_path)
    assert second is not first and "ufa-city" in second.records


def test_the_same_files_by_another_path_are_the_same_index(tmp_path):
    """The index is cached by the files themselves (device, inode, size, time), not by the path
    that reached them: a link to the directory finds the index already made."""
    (tmp_path / "authority").mkdir()
    (tmp_path / "authority" / "a.xml").write_bytes((FIXTURE / "names.xml").read_bytes())
    (tmp_path / "link").symlink_to(tmp_path / "authority")
    assert authority.load_directory(tmp_path / "link") is authority.load_directory(tmp_path / "authority")


def test_an_unreadable_authority_directory_is_a_clear_error(tmp_path, monkeypatch):
    def denied(path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(authority.os, "scandir", denied)
    with pytest.raises(TrotskyTeiError) as err:
        authority.load_directory(tmp_path)
    assert err.value.message.text == "cannot read the authority directory: Permission denied"
    assert err.value.message.file == str(tmp_path)


def test_record_without_id_is_an_error_naming_file_and_line(tmp_path):
    f = tmp_path / "bad.xml"
    f.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><standOff><listPlace>\n'
                 '<place><placeName>Nowhere</placeName></place></listPlace></standOff></TEI>')
    with pytest.raises(TrotskyTeiError) as exc:
        authority.load([f])
    assert exc.value.message.kind == "authority-no-id"
    assert exc.value.message.line == 2 and str(f) in exc.value.message.file


def test_record_without_name_is_an_error(tmp_path):
    f = tmp_path / "bad.xml"
    f.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><standOff><listOrg>'
                 '<org xml:id="x"><idno type="wikidata">Q1</idno></org></listOrg></standOff></TEI>')
    with pytest.raises(TrotskyTeiError, match="no <orgName>"):
        authority.load([f])


def test_duplicate_id_is_reported_and_the_first_record_kept(tmp_path):
    a, b = tmp_path / "a.xml", tmp_path / "b.xml"
    a.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><standOff><listPerson>'
                 '<person xml:id="lvov"><persName>Lvov</persName></person></listPerson></standOff></TEI>')
    b.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><standOff><listPlace>'
                 '<place xml:id="lvov"><placeName>Lemberg</placeName></place></listPlace></standOff></TEI>')
    index = authority.load([a, b])
    assert index.records["lvov"].type == "person"
    assert index.lookup("Lemberg") is None
    assert [m.kind for m in index.problems] == ["authority-duplicate-id"]


def test_authority_file_with_doctype_is_refused(tmp_path):
    f = tmp_path / "x.xml"
    f.write_text('<!DOCTYPE TEI [<!ENTITY e "boom">]><TEI xmlns="http://www.tei-c.org/ns/1.0"/>')
    with pytest.raises(TrotskyTeiError):
        authority.load([f])


# --------------------------------------------------------------------------- authority matches


def test_exact_unambiguous_match_is_linked_without_cert(finder):
    assert found(finder, "The Japanese landed at Vladivostok.") == [("Vladivostok", "place", "vladivostok", None)]


def test_possessive_ending_stays_outside(finder):
    assert found(finder, "In Kerensky’s time they applied again.")[0][:3] == ("Kerensky", "person", "kerensky")
    assert surfaces(finder, "Krasnov's Cossacks and the Urals’ factories") == ["Krasnov", "Urals"]


def test_derived_surname_match_is_medium(finder):
    assert found(finder, "as Kerensky said")[0][3] == "medium"


def test_titles_stay_outside(finder):
    assert found(finder, "General Lavergne replied.") == [("Lavergne", "person", "lavergne", None)]
    assert surfaces(finder, "through Comrade Zinoviev and Ex-General Krasnov") == ["Zinoviev", "Krasnov"]


def test_plural_title_gives_two_persons(finder):
    got = found(finder, "I proposed to Messrs. Maxa and Cermak that they act.")
    assert [(s, i) for s, _, i, _ in got] == [("Maxa", "maxa"), ("Cermak", "cermak")]


def test_word_boundaries(finder):
    # "Jean" is not found inside "Jeanne" or "Jeannot"; each links to its own record
    got = found(finder, "Monsieur Jean wrote to Jeanne about Jeannot.")
    assert [(s, i) for s, _, i, _ in got] == [("Jean", "jean"), ("Jeanne", "jeanne"), ("Jeannot", "jeannot")]
    assert surfaces(finder, "the Jeannots of this world") == []


def test_don_the_region_and_not_the_verb(finder):
    # "Don" names two places (marked ambiguous): the words around choose by the record's @type
    assert found(finder, "restoring the old regime in the Don area") == [("Don", "place", "don", "medium")]
    assert found(finder, "they crossed the Don at night") == [("Don", "place", "don-river", "medium")]
    assert found(finder, "On the Don we stand")[0][3] == "low"
    assert surfaces(finder, "They had to don their coats.") == []
    assert surfaces(finder, "Don’t believe it.") == []


def test_form_marked_ambiguous_needs_context(finder):
    assert found(finder, "in the North the officers") == [("North", "place", "north-russia", "medium")]
    assert surfaces(finder, "North of the river we stood.") == []


def test_soviet_power_is_no_place_but_soviet_russia_is(finder):
    assert surfaces(finder, "the Soviet power cannot tolerate this") == []
    got = found(finder, "puts Soviet Russia in danger on the territory of the Soviet Republic")
    assert [(s, i) for s, _, i, _ in got] == [("Soviet Russia", "soviet-russia"), ("Soviet Republic", "soviet-russia")]


def test_place_inside_organisation_is_not_marked(finder):
    assert found(finder, "the joint session of the Moscow Soviet") == [("Moscow Soviet", "org", "moscow-soviet", None)]


def test_longest_name_wins(finder):
    got = found(finder, "Long live the Workers’ and Peasants’ Red Army!")
    assert got == [("Workers’ and Peasants’ Red Army", "org", "red-army", None)]
    assert found(finder, "the British and French Governments to state")[0][:3] == (
        "British and French Governments", "org", "anglo-french-governments")


def test_front_and_province_mark_only_the_place(finder):
    assert surfaces(finder, "He went over on the Ufa front.") == ["Ufa"]
    assert found(finder, "the two age-groups in Kursk province") == [("Kursk", "place", "kursk", None)]


def test_ambiguous_form_is_resolved_by_context(finder):
    assert found(finder, "General Washington crossed") == [("Washington", "person", "washington-g", "medium")]
    assert found(finder, "the embassy in Washington") == [("Washington", "place", "washington-dc", "medium")]
    # nothing in the context: the first record, and a low certainty
    assert found(finder, "Washington said nothing.")[0][3] == "low"


def test_bibliographic_forms(finder):
    assert found(finder, "Recent accounts include: Bradley, J.F.N., Civil War in Russia (1975)")[0][:3] == (
        "Bradley, J.F.N.", "person", "bradley")


def test_heading_in_capitals(finder):
    got = found(finder, "THE CZECHOSLOVAK CORPS AND THE MOSCOW SOVIET")
    assert got == [("CZECHOSLOVAK CORPS", "org", "czechoslovak-corps", "high"),
                   ("MOSCOW SOVIET", "org", "moscow-soviet", "high")]
    assert found(finder, "TO THE TROOPS OF THE FIFTH ARMY")[0][:2] == ("FIFTH ARMY", "org")
    assert found(finder, "TO THE PEASANTS OF THE KURSK PROVINCE")[0][:3] == ("KURSK", "place", "kursk")


def test_normalise_keeps_length_and_offsets():
    cues = load_cues()
    text = "TELEGRAM TO THE\nREVOLUTIONARY COUNCIL, SRs and Moscow"
    norm, ranges = normalise(text, cues)
    assert len(norm) == len(text)
    assert norm.startswith("Telegram to the Revolutionary Council,")
    assert "SRs and Moscow" in norm               # an acronym in running text is left alone
    assert ranges and all(text[a:b].isupper() for a, b in ranges)


def test_hard_wrapped_name_is_one_name(finder):
    assert found(finder, "whoever helps the Red\nArmy will be rewarded") == [("Red\nArmy", "org", "red-army", None)]


# --------------------------------------------------------------------------- unknown names


def test_unknown_persons_after_titles(finder):
    got = found(finder, "Messrs. Smolin and Dvorak promised, and Admiral Kolchak agreed.")
    assert [(s, t, i, c) for s, t, i, c in got] == [
        ("Smolin", "person", None, "medium"), ("Dvorak", "person", None, "medium"),
        ("Kolchak", "person", None, "medium")]


def test_title_before_a_common_word_is_no_person(finder):
    assert surfaces(finder, "the General Staff decided") == ["General Staff"]
    assert [t for _, t, *_ in found(finder, "the General Staff decided")] == ["org"]


def test_unknown_places_after_prepositions(finder):
    got = found(finder, "The first rising took place at Chelyabinsk and at Novo Nikolayevsk.")
    assert got == [("Chelyabinsk", "place", None, "medium"), ("Novo Nikolayevsk", "place", None, "low")]


def test_common_words_and_demonyms_are_not_names(finder):
    assert surfaces(finder, "In Order to win. Long live the revolution! Such is life.") == []
    assert surfaces(finder, "the Russian workers and the Czechoslovaks in Russian hands") == []
    assert surfaces(finder, "In May the Germans advanced from the South-west.") == []


def test_bare_heads_and_white_guards_are_not_organisations(finder):
    assert surfaces(finder, "the Corps, the Party and the Army; the White Guards fled") == []


def test_numbered_formations(finder):
    assert found(finder, "the Fifth Army held") == [("Fifth Army", "org", None, "medium")]
    assert surfaces(finder, "between the Eighth\nand Ninth Armies") == ["Eighth\nand Ninth Armies"]
    assert surfaces(finder, "units of the 40th Division") == ["40th Division"]


def test_organisation_heads_and_connectors(finder):
    assert surfaces(finder, "the Council of Labour and Defence met") == ["Council of Labour and Defence"]
    assert surfaces(finder, "the People’s Commissariat for Military Affairs informed") == [
        "People’s Commissariat for Military Affairs"]
    # the governments of two places are two places, not an organisation
    assert surfaces(finder, "the Governments of Britain and France") == ["Britain", "France"]
    # a second head with its own connector starts a second organisation
    assert surfaces(finder, "the People’s Army of the Samara Committee of Members") == [
        "People’s Army", "Samara Committee of Members"]


def test_periodicals_and_datelines(finder):
    assert found(finder, "Published in Pravda, No. 43, February 25, 1919")[0][:2] == ("Pravda", "org")
    assert found(finder, "Published in Izv.V.Ts.I.K., No.121")[0][0] == "Izv.V.Ts.I.K."
    assert found(finder, "Kozlov, September 1919")[0][:2] == ("Kozlov", "place")


def test_name_shapes(finder):
    got = dict((s, t) for s, t, *_ in found(finder, "The criminal rebel Dutov is advancing. Tambov fell."))
    assert got == {"Dutov": "person", "Tambov": "place"}
    # a possessor is a person; a coordinated word takes the type of its neighbour
    assert dict((s, t) for s, t, *_ in found(finder, "the offensive by Semyonov’s bands")) == {"Semyonov": "person"}
    assert ("Gdov", "place") in [(s, t) for s, t, *_ in found(finder, "Luga and Gdov are threatened")]


def test_surname_shaped_former_town_name_is_a_person(finder):
    # the gazetteer knows Samara once named Kuibyshev; the man is meant here
    assert found(finder, "the staff of Kuibyshev refused")[0][:2] == ("Kuibyshev", "person")
    # a town under its own name stays a town
    assert found(finder, "the staff of Gatchina refused")[0][:2] == ("Gatchina", "place")


def test_office_nouns_parties_and_compass_words(finder):
    assert found(finder, "the British plenipotentiary Lockhart who") == [("Lockhart", "person", None, "low")]
    assert found(finder, "its commander, Vorontsov, handed over")[0][:2] == ("Vorontsov", "person")
    assert [(s, t) for s, t, *_ in found(finder, "the Right SRs and Mensheviks acted; the NCOs fled")] == [
        ("Right SRs", "org"), ("Mensheviks", "org")]
    assert found(finder, "moved in from Central Russia and")[0][:2] == ("Central Russia", "place")
    assert surfaces(finder, "hirelings of the Entente! and the Party") == ["Entente"]


def test_hyphenated_places_are_split(finder):
    assert surfaces(finder, "stationed in the Berdichev-Kiev-Poltava area") == ["Berdichev", "Kiev", "Poltava"]
    assert surfaces(finder, "lies on the Moscow-Kazan railway") == ["Moscow-Kazan railway"]


# --------------------------------------------------------------------------- other spans


def test_names_never_cross_higher_priority_spans_but_may_sit_inside(finder):
    text = "the Moscow Soviet [a note about Moscow] met"
    note = Span(18, 39, "note", {"rend": "brackets"}, 80, (1, 1))
    assert surfaces(finder, text) == ["Moscow Soviet", "Moscow"]
    crossing = Span(11, 25, "note", {}, 80)
    got = found(finder, text, [note, crossing])
    assert ("Moscow Soviet", "org", "moscow-soviet", None) not in got


def test_corrected_misprint_is_linked_through_its_reading(finder):
    text = "the bands of Krasnow were smashed"
    choice = Span(13, 20, "choice", readings=(Reading("sic"), Reading("corr", {"cert": "high"}, "Krasnov")),
                  priority=70)
    assert found(finder, text, [choice]) == [("Krasnow", "person", "krasnov", "medium")]


def test_names_of_vehicles_are_not_names(finder):
    assert surfaces(finder, "supported by the armoured trains ‘Moscow’ and ‘Black Sea Sailor’, drove") == []
    assert surfaces(finder, "the cruiser Zinoviev fired; Comrade Zinoviev spoke") == ["Zinoviev"]


def test_name_with_a_corrected_misprint_inside_is_linked(finder):
    text = "the Council of People’s Comissars met"
    choice = Span(24, 33, "choice", readings=(Reading("sic"), Reading("corr", {}, "Commissars")), priority=70)
    assert found(finder, text, [choice]) == [("Council of People’s Comissars", "org", "sovnarkom", "medium")]


# --------------------------------------------------------------------------- the pass


def _doc(*texts: str) -> Document:
    doc = Document("test.txt", "\n\n".join(texts), metadata={"authority": str(FIXTURE)})
    offset = 0
    for i, t in enumerate(texts):
        doc.blocks.append(Block("p", t, line=1 + 2 * i, offset=offset))
        offset += len(t) + 2
    return doc


def test_pass_proposes_spans_records_and_messages():
    doc = _doc("Comrade Zinoviev spoke in Moscow.", "Admiral Kolchak took Omsk.")
    out = list(names(doc))
    spans = [(b.text[s.start:s.end], s.tag, dict(s.attrs), s.priority) for b, s in out]
    assert spans[:2] == [
        ("Zinoviev", "persName", {"ref": "#zinoviev", "resp": "#trotsky-tei"}, 60),
        ("Moscow", "placeName", {"ref": "#moscow", "resp": "#trotsky-tei"}, 60)]
    assert ("Kolchak", "persName", {"resp": "#trotsky-tei", "cert": "medium"}, 60) in spans
    assert set(doc.records) == {"zinoviev", "moscow"}
    rec = doc.records["moscow"]
    assert rec.tag == TEI + "place" and rec.get("{http://www.w3.org/XML/1998/namespace}id") == "moscow"
    # the record cleaned for the standOff, not the authority index's own element
    assert rec is authority.cleaned(authority.load_directory(FIXTURE).records["moscow"].element)
    assert rec is not authority.load_directory(FIXTURE).records["moscow"].element
    unknown = [m for m in doc.reporter.messages if m.kind == "unknown-name"]
    assert {m.severity for m in unknown} == {Severity.INFO}
    kolchak = next(m for m in unknown if "Kolchak" in m.text)
    assert kolchak.line == 3 and kolchak.column == 9 and "persons.xml" in kolchak.hint


def test_one_sense_per_document():
    doc = _doc("Comrade Frunze arrived at Buzuluk.", "The offensive of Frunze began; Frunze’s men advanced.")
    got = [(b.text[s.start:s.end], s.tag, s.attrs.get("cert")) for b, s in names(doc)]
    assert got == [("Frunze", "persName", "medium"), ("Buzuluk", "placeName", "medium"),
                   ("Frunze", "persName", "low"), ("Frunze", "persName", "low")]


def test_pass_without_authority_still_finds_names_by_cues():
    doc = Document("-", "General Sveri arrived at Vologda.", metadata={})
    doc.blocks.append(Block("p", doc.source, line=1))
    got = [(doc.source[s.start:s.end], s.attrs.get("ref")) for _, s in names(doc)]
    assert got == [("Sveri", None), ("Vologda", None)]
    assert doc.records == {}


def test_pass_marks_names_in_every_role():
    doc = _doc("x")
    doc.blocks = [Block(role, "the Moscow Soviet", 1) for role in ("head", "p", "item", "bibl", "endnote",
                                                                    "headnote", "opener", "closer")]
    assert len(list(names(doc))) == len(doc.blocks)


def test_pass_is_deterministic():
    texts = ("In Kerensky’s time Messrs. Maxa and Cermak went from Moscow to Vladivostok.",
             "Published in Pravda, No. 43")
    a, b = _doc(*texts), _doc(*texts)
    assert [(s.start, s.end, s.tag, dict(s.attrs)) for _, s in names(a)] == \
        [(s.start, s.end, s.tag, dict(s.attrs)) for _, s in names(b)]
    assert [etree.tostring(r) for r in a.records.values()] == [etree.tostring(r) for r in b.records.values()]


def test_records_are_independent_copies():
    doc = _doc("Moscow")
    list(names(doc))
    mutated = copy.deepcopy(doc.records["moscow"])
    mutated.set("n", "x")
    assert authority.load_directory(FIXTURE).records["moscow"].element.get("n") is None


# --------------------------------------------------------------------------- properties

_PIECES = st.sampled_from(["Moscow", "Soviet", "General ", " in ", "THE ", "Army", "Council of ", "the ",
                           " and ", "Published in ", "’s", "Don", "’t", "Messrs. ", ", ", ".", "\n", "-",
                           "Kerensky", "Fifth ", "province", " front", "Ufa", "Jeanne", "x", "Q"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=25).map("".join))
def test_names_are_trimmed_non_overlapping_and_inside_the_text(text):
    finder = NameFinder(authority.load_directory(FIXTURE))
    last = 0
    for c in finder.find(text):
        assert last <= c.start < c.end <= len(text)
        name = text[c.start:c.end]
        assert name == name.strip() and name[0].isalnum()
        assert c.type in ("person", "place", "org")
        assert c.ids or c.cert in ("medium", "low")
        last = c.end


_DATELINE_PIECES = st.sampled_from(["Kozlov", "Petrograd", "Nizhny Novgorod", ", ", ",  ", "October", "September",
                                    " 18", " 1919", "\n", " ", "x", "Q", "é", "Ufa, October"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_DATELINE_PIECES, st.text(max_size=4)), max_size=12).map("".join),
       st.booleans())
@example("Kozlov, September 1919", True)
@example("Signed.\nKozlov, September 1919", False)
def test_datelines_are_found_where_a_scan_of_every_position_finds_them(text, as_read):
    """A dateline is matched at the start of the block only when it has no line break (as the
    finder reads it): exactly the matches of a scan of every position."""
    if as_read:
        text = normalise(text, load_cues())[0]
    pattern = load_cues().patterns["dateline"]
    scanned = [(m.span(), m.group("name")) for m in pattern.finditer(text)]
    assert [(m.span(), m.group("name")) for m in datelines(text, pattern)] == scanned


_GATE_PIECES = st.sampled_from(["1", "5", "21", "st ", "nd ", "rd ", "th ", "Army", "Corps", "with ",
                                ", ", "V.", "M.", "Fic", "A", "Č", "Č.", "٣", "é", ".", ")", " ", "\n",
                                "TO THE ", "ARMY", "SRs", "xx"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_GATE_PIECES, st.text(max_size=3)), max_size=16).map("".join))
@example("the 5th Army and the ٣rd Corps")
@example("Fic, V.M.; Bunyan, Č.")
def test_gated_scans_find_what_a_scan_of_every_position_finds(text):
    """The numeral and inverted-name patterns are run only on blocks that may hold a match, and
    the heading test starts at the first two capitals: the same matches as a scan of the block."""
    from trotsky_tei.passes.names import _TWO_CAPS, _TWO_CAPS_ANY, _normalised, inverted_tails, numerals

    pat = load_cues().patterns
    for gated, pattern in ((numerals, pat["numeral"]), (inverted_tails, pat["inverted_tail"])):
        assert [m.span() for m in gated(text, pattern)] == [m.span() for m in pattern.finditer(text)]
    norm, recased, pair = _normalised(text, load_cues())
    t = text.replace("\n", " ").replace("\t", " ").replace("\r", " ")
    first, whole = _TWO_CAPS_ANY.search(t), _TWO_CAPS.search(t) is not None
    assert (first is not None and _TWO_CAPS.search(t, first.start()) is not None) == whole
    if not whole:
        assert (norm, recased) == (t, [])
    assert pair == (_TWO_CAPS_ANY.search(norm) is not None)


#: Words around a list of places: capitalised names (ASCII and not, with apostrophes and hyphens),
#: "and", words in lower case, figures, punctuation; joined by spaces of every length or nothing.
_LIST_WORDS = ["Volga", "Ural", "Kursk", "Ufa", "Čeljabinsk", "O’Brien", "Kuznetsk-on-the-Inza", "and", "And",
               "the", "of", "regions", "5", "(Omsk", "Tomsk,", ",Tomsk", "“Kazan", "", "x"]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_LIST_WORDS), st.sampled_from([" ", "  ", ", ", ",", " and "])),
                max_size=10), st.integers(0, 200))
@example([("the", " "), ("Volga", " and "), ("Ural", " ")], 120)
@example([("5", " "), ("Kursk", ",  "), ("Ufa", " ")], 3)
def test_a_list_of_places_before_a_head_is_searched_from_where_it_can_start(words, width):
    """`list_start` moves the search for the places before a head ("Volga and Ural" before
    "regions") to where such a list can start: the match is the one a search of the whole
    window finds."""
    from trotsky_tei.passes.names import list_start

    text = "".join(w + gap for w, gap in words)
    if not text.endswith(" "):
        text += " "
    end = len(text)
    limit = max(0, end - width)
    pattern = load_cues().patterns["places_before"]
    whole = pattern.search(text, limit, end)
    moved = pattern.search(text, list_start(text, end, limit), end)
    assert (moved and moved.span()) == (whole and whole.span())
