"""The dates pass: calendar expressions to ISO 8601, inferred years, Old Style dates."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import NS
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from trotsky_tei.convert import analyse, convert_text
from trotsky_tei.model import Block, Div, Document
from trotsky_tei.passes.dates import calendars_used, dates, document_dates, find_dates, sentence_of

REF = dt.date(1918, 7, 29)


def found(text: str, ref: dt.date | None = REF, **kw) -> list[tuple[str, dict[str, str]]]:
    return [(text[f.start:f.end], f.attrs) for f in find_dates(text, ref, **kw)]


def spans(text: str, **kw) -> list[str]:
    return [s for s, _ in found(text, **kw)]


# -- what is a date --------------------------------------------------------------------------

@pytest.mark.parametrize("text, span, attrs", [
    ("dated June 13, 1918, at", "June 13, 1918", {"when": "1918-06-13"}),
    ("on 13 June 1918 the", "13 June 1918", {"when": "1918-06-13"}),
    ("the 3rd of June, 1919;", "3rd of June, 1919", {"when": "1919-06-03"}),
    ("MAY 29, 1918", "MAY 29, 1918", {"when": "1918-05-29"}),
    ("by April 1919 had", "April 1919", {"when": "1919-04"}),
    ("by Sept. 1919 the", "Sept. 1919", {"when": "1919-09"}),
    ("Civil War in Russia (1975);", "1975", {"when": "1975"}),
    ("(Paris 1965)", "1965", {"when": "1965"}),
    ("in Siberia, 1918-1920. In", "1918-1920", {"from": "1918", "to": "1920"}),
    ("in 1918–20 the", "1918–20", {"from": "1918", "to": "1920"}),
    ("Conflict, March-May 1918, by", "March-May 1918", {"from": "1918-03", "to": "1918-05"}),
    ("fighting of February 18-23, 1918.", "February 18-23, 1918", {"from": "1918-02-18", "to": "1918-02-23"}),
    ("from May 29 - June 2, 1918", "May 29 - June 2, 1918", {"from": "1918-05-29", "to": "1918-06-02"}),
])
def test_explicit_dates(text, span, attrs):
    assert found(text) == [(span, attrs)]


def test_publication_line_date_only():
    text = "Published in Izv.V.Ts.I.K., No 113 June 5, 1918"
    assert found(text) == [("June 5, 1918", {"when": "1918-06-05"})]
    assert spans("Izv.V.Ts.I.K., No.121, June 15, 1918") == ["June 15, 1918"]


@pytest.mark.parametrize("text", [
    "as can be seen from Map no.2.",
    "some 200,000 poods of tin",
    "See Lenin, Collected Works, Vol.28, p.29: quoted",
    "he sent 1500 rifles and 1800 men",
    "Order No. 1918 was issued",
    "at 1800 hours precisely",
    "about two hundred of them",
    "during these eight or nine months",
    "yesterday and this evening",
    "the Czechoslovaks may expect no punishment",
    "the October Revolution",
    "since the February revolution the",
    "August Bebel spoke",
    "TsGASA, f. 130, op. 2, d. 1925, l. 3",
])
def test_not_dates(text):
    assert spans(text) == []


def test_new_style_first_with_the_old_style_in_brackets():
    (span, attrs), = found("On Sunday, June 8 (O.S. May 26) the", ref=dt.date(1919, 6, 10))
    assert span == "June 8 (O.S. May 26)"
    assert (attrs["when"], attrs["when-custom"], attrs["datingMethod"]) == ("1919-06-08", "1919-05-26", "#julian")
    assert spans("on June 8 (May 26) the", ref=dt.date(1919, 6, 10)) == ["June 8", "May 26"]   # no calendar said


def test_periods_before_the_change_are_old_style_at_both_ends():
    (span, attrs), = found("the rising of October 24 to 25 in Petrograd", ref=dt.date(1917, 11, 1))
    assert (attrs["from-custom"], attrs["to-custom"]) == ("1917-10-24", "1917-10-25")
    assert (attrs["from"], attrs["to"]) == ("1917-11-06", "1917-11-07")
    got = found("the strikes of December 9 and 17, 1905 (O.S.) in Moscow")
    assert [a["when-custom"] for _, a in got] == ["1905-12-09", "1905-12-17"]


def test_between_two_days_alone_is_one_period():
    got = found("On March 7 the storm failed. Between the 8th and the 16th the 40th Division was brought up.",
                ref=dt.date(1921, 3, 20))
    assert got[1] == ("the 8th and the 16th", {"notBefore": "1921-03-08", "notAfter": "1921-03-16",
                                              "resp": "#trotsky-tei", "cert": "medium"})


def test_double_dates_without_a_year_day_first():
    (span, attrs), = found("Petrograd, 1/14 February", ref=dt.date(1918, 2, 20))
    assert (span, attrs["when"], attrs["when-custom"]) == ("1/14 February", "1918-02-14", "1918-02-01")


def test_a_night_over_two_days_and_a_winter_over_two_years_are_ranges():
    assert found("on the night of 6/7 August the", ref=dt.date(1919, 10, 1)) == [
        ("6/7 August", {"from": "1919-08-06", "to": "1919-08-07", "resp": "#trotsky-tei", "cert": "high"})]
    assert found("the night of August 6/7, 1919,") == [("August 6/7, 1919", {"from": "1919-08-06", "to": "1919-08-07"})]
    assert found("in the winter of 1919/20 the") == [("1919/20", {"from": "1919", "to": "1920"})]
    assert spans("see pp. 1917/18") == []


def test_days_of_this_last_and_next_month():
    got = found("your telegram of the 12th inst. and mine of 28th ult. reached", ref=dt.date(1919, 1, 20))
    assert [(s, a["when"]) for s, a in got] == [("the 12th inst.", "1919-01-12"), ("28th ult.", "1918-12-28")]


def test_years_of_birth_and_death():
    assert spans("M. V. Frunze (b. 1885, d. 1925) commanded") == ["1885", "1925"]
    assert spans("Mironov (d. 1921) was shot") == ["1921"]


def test_alternatives_and_lists_are_separate_dates():
    assert found("(if my memory does not deceive me) to May 25 or May 22, that is") == [
        ("May 25", {"when": "1918-05-25", "resp": "#trotsky-tei", "cert": "high"}),
        ("May 22", {"when": "1918-05-22", "resp": "#trotsky-tei", "cert": "high"}),
    ]
    assert found("who were born in 1896 and 1897 in the provinces") == [
        ("1896", {"when": "1896"}), ("1897", {"when": "1897"})]
    assert spans("born in 1893, 1894 and 1895, and") == ["1893", "1894", "1895"]


def test_vague_parts_of_a_month():
    (span, attrs), = found("At the end of March I gave permission")
    assert span == "the end of March"
    assert (attrs["notBefore"], attrs["notAfter"]) == ("1918-03-21", "1918-03-31")
    assert attrs["resp"] == "#trotsky-tei"
    (span, attrs), = found("At the beginning of April the Japanese landed")
    assert (span, attrs["notBefore"], attrs["notAfter"]) == ("the beginning of April", "1918-04-01", "1918-04-10")
    (span, attrs), = found("in the second half of February 1919 the")
    assert (attrs["notBefore"], attrs["notAfter"]) == ("1919-02-16", "1919-02-28")
    assert "resp" not in attrs
    (span, attrs), = found("by mid-May it was over")
    assert span == "mid-May" and attrs["notBefore"] == "1918-05-11"


def test_ten_day_periods_and_weeks_of_a_month():
    got = dict(found("In the last ten days of September and the first week of October, and in the last "
                     "week of February, the", ref=dt.date(1919, 10, 20)))
    assert (got["the last ten days of September"]["notBefore"], got["the last ten days of September"]["notAfter"]) \
        == ("1919-09-21", "1919-09-30")
    assert got["the first week of October"]["notAfter"] == "1919-10-07"
    assert got["the last week of February"]["notBefore"] == "1919-02-22"     # counted from the month's end


def test_month_named_alone():
    assert found("In the Ninth Army in December and January whole companies", dt.date(1919, 2, 23)) == [
        ("December", {"when": "1918-12", "resp": "#trotsky-tei", "cert": "medium"}),
        ("January", {"when": "1919-01", "resp": "#trotsky-tei", "cert": "high"}),
    ]
    assert spans("May I say that we may win") == []


# -- years the text leaves out ------------------------------------------------------------------

def test_year_from_the_document_date_is_marked_as_inferred():
    (_, attrs), = found("until April 4, when there appeared", REF, ref_cert="high")
    assert attrs == {"when": "1918-04-04", "resp": "#trotsky-tei", "cert": "high"}
    (_, attrs), = found("until April 4, when", REF, ref_cert="medium")
    assert attrs["cert"] == "medium"


def test_date_far_ahead_of_the_document_is_the_year_before():
    (_, attrs), = found("on December 20 the congress met", dt.date(1919, 1, 10))
    assert attrs["when"] == "1918-12-20" and attrs["cert"] == "medium"


def test_a_year_that_bounds_a_period_does_not_date_the_sentence():
    got = dict(found("The connection, broken since the summer of 1918, was restored on September 13.",
                     ref=dt.date(1920, 1, 4)))
    assert got["September 13"]["when"] == "1919-09-13"


def test_the_year_of_the_other_half_of_an_alternative():
    got = dict(found("He crossed at the end of March or early in April 1920 with his army.", ref=dt.date(1919, 9, 1)))
    assert got["the end of March"]["notBefore"] == "1920-03-21"


def test_expected_in_the_past_is_no_future():
    got = dict(found("As we expected, the Czechoslovaks took Kazan in August.", ref=dt.date(1919, 3, 10)))
    assert got["August"]["when"] == "1918-08"
    got = dict(found("We expect the brigade in August.", ref=dt.date(1919, 3, 10)))
    assert got["August"]["when"] == "1919-08"


def test_a_later_day_is_the_month_before_only_when_the_sentence_tells_the_past():
    got = dict(found("I call on the 1st Regiment to be ready to entrain by the 8th.", ref=dt.date(1918, 8, 4)))
    assert got["the 8th"]["when"] == "1918-08-08"
    got = dict(found("I propose to send, not later than the 20th, two brigades.", ref=dt.date(1920, 1, 4)))
    assert got["the 20th"]["when"] == "1920-01-20"


def test_a_head_note_dates_by_its_own_years_not_by_the_tense():
    doc = _doc(("headnote", "[The documents below belong to the advance on Voronezh in the autumn of 1919. "
                            "Voronezh was retaken by the Red forces on October 24.]", None),
               ("head", "ORDER No. 157", 0), ("opener", "Liski, September 14, 1919", 0),
               ("p", "The enemy stands before Voronezh.", 0))
    got = dict(_dates_of(doc))
    assert got["October 24"]["when"] == "1919-10-24"


def test_an_early_month_in_a_late_document_speaking_of_the_future_is_next_year():
    (_, attrs), = found("By January 15 the army will be ready.", ref=dt.date(1919, 12, 20))
    assert (attrs["when"], attrs["cert"]) == ("1920-01-15", "medium")
    (_, attrs), = found("On January 15 the army was ready.", ref=dt.date(1919, 12, 20))
    assert attrs["when"] == "1919-01-15"


def test_year_given_after_or_in_the_sentence():
    # the year from the words after it; the month, before the change in a Russian text, Old Style
    assert found("played an active part in the June offensive of 1917, after which")[0] == (
        "June", {"notBefore": "1917-06-14", "notAfter": "1917-07-13", "when-custom": "1917-06",
                 "datingMethod": "#julian", "calendar": "#julian", "resp": "#trotsky-tei", "cert": "low"})
    assert found("played an active part in the June offensive of 1917", russian=False)[0] == (
        "June", {"when": "1917-06", "resp": "#trotsky-tei", "cert": "high"})
    got = found("February 23 was later celebrated, in memory of the days of February 18-23, 1918.",
                dt.date(1919, 2, 23))
    assert got[0] == ("February 23", {"when": "1918-02-23", "resp": "#trotsky-tei", "cert": "medium"})


def test_relative_year():
    (_, attrs), = found("The city which on October 25 two years ago overthrew the bourgeoisie",
                        dt.date(1919, 10, 18), russian=False)
    assert attrs["when"] == "1917-10-25"


def test_no_reference_date_gives_a_year_less_value():
    assert found("on May 29 the town fell", None) == [("May 29", {"when": "--05-29"})]
    assert found("in August they left", None) == [("August", {"when": "--08"})]


def test_sentence_bounds_ignore_initials_and_abbreviations():
    text = "First one. Under P.A. Slaven, No. 5 went on May 4 to town. Next one."
    lo, hi = sentence_of(text, text.index("May 4"), text.index("May 4") + 5)
    assert text[lo:hi].strip() == "Under P.A. Slaven, No. 5 went on May 4 to town."


# -- Old Style ----------------------------------------------------------------------------------

def test_marked_old_style():
    (span, attrs), = found("on January 5, 1918 (O.S.) the Assembly")
    assert span == "January 5, 1918"
    assert attrs == {"when": "1918-01-18", "when-custom": "1918-01-05", "datingMethod": "#julian",
                     "calendar": "#julian"}

    # the calendar written between the day and the year, after the change: still Old Style
    (span, attrs), = found("the Cossacks rose on February 3 (O.S.), 1919, at")
    assert span == "February 3 (O.S.), 1919"
    assert attrs == {"when": "1919-02-16", "when-custom": "1919-02-03", "datingMethod": "#julian",
                     "calendar": "#julian"}
    (span, attrs), = found("on 7 March [N.S.] 1917 the")
    assert attrs == {"when": "1917-03-07", "calendar": "#gregorian"}


@pytest.mark.parametrize("text, span", [
    ("signed on January 15 (28), 1918. The", "January 15 (28), 1918"),
    ("Petrograd, 5/18 January 1918", "5/18 January 1918"),
    ("on 5 (18) January 1918 the", "5 (18) January 1918"),
    ("on October 25 (November 7), 1917, power", "October 25 (November 7), 1917"),
    ("on 25 October (7 November) 1917 power", "25 October (7 November) 1917"),
    ("on 31 January/13 February 1918 the", "31 January/13 February 1918"),
    ("on December 19, 1917 (January 1, 1918) the", "December 19, 1917 (January 1, 1918)"),
])
def test_double_dates(text, span):
    (got, attrs), = found(text)
    assert got == span
    assert attrs["datingMethod"] == "#julian" and attrs["calendar"] == "#julian"
    assert attrs["when"] == dt.date.fromisoformat(attrs["when"]).isoformat()
    assert "cert" not in attrs


def test_a_parenthesis_that_is_not_the_calendar_gap_is_not_a_double_date():
    assert spans("on June 5 (7), 1918") != ["June 5 (7), 1918"]


def test_unmarked_date_before_the_change_is_old_style_only_with_low_certainty_in_a_russian_sentence():
    (_, attrs), = found("The October Revolution, which on October 25 two years ago overthrew",
                        dt.date(1919, 10, 18))
    assert attrs["when-custom"] == "1917-10-25" and attrs["when"] == "1917-11-07"
    assert attrs["cert"] == "low" and attrs["resp"] == "#trotsky-tei"
    (_, attrs), = found("The Paris Commune was proclaimed on March 18, 1871, by the workers.")
    assert attrs == {"when": "1871-03-18"}
    (_, attrs), = found("The Paris Commune was proclaimed on March 18, 1871.", russian=False)
    assert attrs == {"when": "1871-03-18"}


def test_document_declared_old_style():
    (_, attrs), = found("on December 3, 1917 the", julian_doc=True)
    assert attrs["when-custom"] == "1917-12-03" and attrs["cert"] == "medium"
    (_, attrs), = found("on March 3, 1918 the", julian_doc=True)
    assert attrs == {"when": "1918-03-03"}          # after the change: Gregorian


# -- the pass on a document ----------------------------------------------------------------------

def _dates_of(doc: Document) -> list[tuple[str, dict[str, str]]]:
    return [(b.text[sp.start:sp.end], sp.attrs) for b, sp in dates(doc)]


def test_old_style_declared_in_the_text_holds_after_the_change():
    declared = ("headnote", "[Captured at the Don Army's headquarters. All dates in them are given in the "
                            "Old Style.]", None)
    doc = _doc(declared, ("head", "ORDER No. 12", 0), ("opener", "Novocherkassk, January 20, 1919", 0),
               ("p", "On January 15 the enemy crossed the Donets.", 0))
    got = dict(_dates_of(doc))
    assert got["January 20, 1919"]["when-custom"] == "1919-01-20"
    assert got["January 20, 1919"]["when"] == "1919-02-02"
    assert got["January 15"]["when-custom"] == "1919-01-15" and got["January 15"]["cert"] == "medium"
    # said of one document only: the others keep New Style
    doc = _doc(("head", "ORDER No. 12", 0), ("p", "[The dates of this order are Old Style.]", 0),
               ("p", "On January 15 the enemy crossed the Donets.", 0),
               ("closer", "Novocherkassk, January 20, 1919", 0), ("head", "TELEGRAM", 1),
               ("p", "On January 15, 1919 we took Lugansk.", 1))
    got = _dates_of(doc)
    assert [a.get("when-custom") for _, a in got] == ["1919-01-15", "1919-01-20", None]
    assert got[2][1] == {"when": "1919-01-15"}
    # a text that says its dates were converted declares nothing
    doc = _doc(("headnote", "[All dates have been converted from the Old Style.]", None),
               ("head", "ORDER", 0), ("p", "On March 15, 1919 we took the town.", 0))
    assert _dates_of(doc) == [("March 15, 1919", {"when": "1919-03-15"})]


def _doc(*blocks: tuple[str, str, int | None], **meta) -> Document:
    doc = Document("t.txt", "\n\n".join(t for _, t, _ in blocks), metadata=dict(meta))
    offset = 0
    for role, text, div in blocks:
        doc.blocks.append(Block(role, text, 1, offset, div))
        offset += len(text) + 2
    doc.divs = [Div(i) for i in sorted({d for _, _, d in blocks if d is not None})]
    return doc


def test_document_date_from_dateline_or_metadata():
    doc = _doc(("head", "ORDER No. 31", 0), ("p", "On August 28 we took the town.", 0),
               ("closer", "Sviyazhsk, August 29, 1918", 0), ("head", "REPORT", 1),
               ("p", "In May it was quiet.", 1), ("closer", "Kozlov, September 1919", 1))
    assert document_dates(doc) == {0: dt.date(1918, 8, 29), 1: dt.date(1919, 9, 30)}
    doc.divs[0].attrs["when"] = "1918-09-01"
    assert document_dates(doc)[0] == dt.date(1918, 9, 1)
    got = {(b.text[s.start:s.end], s.attrs.get("when")) for b, s in dates(doc)}
    assert ("August 28", "1918-08-28") in got and ("May", "1919-05") in got


def test_endnote_and_front_take_the_nearest_dates():
    doc = _doc(("headnote", "[These orders belong to the fighting of August 6-7.]", None),
               ("closer", "August 29, 1918", 0),
               ("endnote", "1. On May 29, after a one day battle, Penza was taken.", None))
    got = {b.role: dict(s.attrs) for b, s in dates(doc) if b.role != "closer"}
    assert got["headnote"] == {"from": "1918-08-06", "to": "1918-08-07", "resp": "#trotsky-tei", "cert": "medium"}
    assert got["endnote"] == {"when": "1918-05-29", "resp": "#trotsky-tei", "cert": "medium"}


def test_corpus_dates(source_text, source_path):
    from trotsky_tei.metadata import load_for

    doc = analyse(source_text, str(source_path), load_for(source_path), passes=["notes", "dates"])
    got = [(b.text[s.start:s.end], dict(s.attrs)) for b in doc.blocks for s in b.spans if s.tag == "date"]
    texts = [t for t, _ in got]
    assert "No 113" not in " ".join(texts) and "200,000" not in texts
    assert ("the end of July", {"notBefore": "1918-07-21", "notAfter": "1918-07-31",
                                "resp": "#trotsky-tei", "cert": "medium"}) in got
    # a month of the Russian army before the change: Old Style, guessed from the context
    assert ("April 1916", {"notBefore": "1916-04-14", "notAfter": "1916-05-13", "when-custom": "1916-04",
                           "datingMethod": "#julian", "calendar": "#julian", "resp": "#trotsky-tei",
                           "cert": "low"}) in got
    assert texts.count("1896") == 2 and texts.count("1975") == 2
    assert calendars_used(doc) == {"julian", "gregorian"}


def test_calendar_desc_and_tei_validity(tei_all):
    text = ("ORDER No. 1\n\nPetrograd, 5/18 January 1918\n\n"
            "The Assembly met on January 5, 1918 (O.S.) and was dispersed on the next day. "
            "Then the mobilization began.\n")
    tree = convert_text(text, "os.txt")
    cal = tree.xpath("//tei:profileDesc/tei:calendarDesc/tei:calendar/@xml:id", namespaces=NS)
    assert set(cal) == {"julian", "gregorian"}
    jul = tree.xpath("//tei:date[@calendar='#julian']", namespaces=NS)
    assert {d.get("when") for d in jul} == {"1918-01-18"}
    assert all(d.get("datingMethod") == "#julian" and d.get("when-custom") == "1918-01-05" for d in jul)
    assert tei_all.validate(tree), tei_all.error_log.last_error
    doc = analyse(text, "os.txt")
    assert calendars_used(doc) == {"julian", "gregorian"}
    assert etree.tostring(tree) == etree.tostring(convert_text(text, "os.txt"))   # deterministic


def test_metadata_declares_a_document_old_style():
    doc = _doc(("head", "ORDER No. 1", 0), ("p", "On December 3, 1917 the order was given.", 0),
               ("head", "ORDER No. 2", 1), ("p", "On December 3, 1917 the order was given.", 1),
               document=[{"n": 1, "calendar": "julian"}], original_language="fr")
    got = [dict(s.attrs) for _, s in dates(doc)]
    assert got[0]["when-custom"] == "1917-12-03" and got[0]["cert"] == "medium"
    assert got[1] == {"when": "1917-12-03"}


@pytest.mark.parametrize("text, span, when", [
    ("telegram of 13.VI.1918 from Kazan", "13.VI.1918", "1918-06-13"),
    ("telegram of 5.6.1918 from Kazan", "5.6.1918", "1918-06-05"),
    ("entry 1918-06-13 of the log", "1918-06-13", "1918-06-13"),
    ("entry of 1918 June 13 in the log", "1918 June 13", "1918-06-13"),
    ("on Aug 5, 1918 the", "Aug 5, 1918", "1918-08-05"),
])
def test_other_written_forms(text, span, when):
    assert found(text) == [(span, {"when": when})]
    assert spans("the Mar of the town and Jun was there") == []


def test_double_dates_pass_the_project_rules(tmp_path):
    from trotsky_tei.validate import validate_tree

    text = "ORDER No. 1\n\nPetrograd, 5/18 January 1918\n\nThe Assembly met on January 5 (18), 1918. On December 19, 1917 (January 1, 1918) and on 25 October (7 November) 1917 and on 31 January/13 February 1918 the Soviets met.\n"
    messages = validate_tree(convert_text(text, "os.txt"))
    assert not [m for m in messages if m.severity >= 3], [m.render() for m in messages]


def test_a_town_of_the_empire_makes_a_sentence_russian():
    (_, attrs), = found("The fighting at Tambov began on December 3, 1917, at dawn.")
    assert attrs["when-custom"] == "1917-12-03" and attrs["cert"] == "low"
    (_, attrs), = found("On August 4, 1914 the German Social-Democrats voted the war credits.")
    assert attrs == {"when": "1914-08-04"}


def test_a_document_dated_in_russia_before_the_change_writes_old_style():
    doc = _doc(("opener", "Petrograd, December 5, 1917", 0), ("p", "On November 28 the decree was signed.", 0),
               ("opener", "Berne, December 5, 1917", 1), ("p", "On November 28 the decree was signed.", 1))
    got = [(b.div, dict(s.attrs)) for b, s in dates(doc) if b.role == "p"]
    assert got[0][1]["when-custom"] == "1917-11-28" and got[0][1]["cert"] == "low"
    assert "when-custom" not in got[1][1]


def test_an_early_day_without_any_cue_is_old_style_unless_the_sentence_is_abroad():
    (_, attrs), = found("The fighting began on December 3, 1917, at dawn.")
    assert attrs["when-custom"] == "1917-12-03" and attrs["cert"] == "low"
    for text in ("In India on May 10, 1857 the rising began.", "The United States entered on April 6, 1917."):
        (_, attrs), = found(text)
        assert "when-custom" not in attrs
    assert "when-custom" not in found("The fighting began on December 3, 1917.", russian=False)[0][1]


def test_a_document_dated_abroad_writes_new_style():
    doc = _doc(("opener", "Berne, December 5, 1917", 0), ("p", "On November 28 the decree was signed.", 0))
    assert all("when-custom" not in s.attrs for _, s in dates(doc))


def test_a_month_ahead_of_the_document_by_the_tense_of_its_sentence():
    ref = dt.date(1919, 3, 15)
    assert found("In August the Czechoslovaks took Kazan.", ref)[0][1]["when"] == "1918-08"
    assert found("In May we shall take Ufa.", ref)[0][1]["when"] == "1919-05"
    assert found("The congress will meet on December 20.", ref)[0][1]["when"] == "1919-12-20"


def test_a_year_of_its_own_in_the_sentence():
    assert found("In 1917, on July 3, the workers came out.", dt.date(1919, 3, 15), russian=False)[1] == (
        "July 3", {"when": "1917-07-03", "resp": "#trotsky-tei", "cert": "medium"})


def test_two_days_sharing_month_and_year():
    got = found("it was sent between January 20 and 25, 1919.", dt.date(1921, 3, 1))
    assert got == [("January 20 and 25, 1919", {"notBefore": "1919-01-20", "notAfter": "1919-01-25"})]
    got = found("on January 20 and 25, 1919 the trains left", dt.date(1921, 3, 1))
    assert got == [("January 20", {"when": "1919-01-20"}), ("25, 1919", {"when": "1919-01-25"})]


def test_a_range_over_years_lends_no_year_to_its_sentence():
    got = found("in the course of February and March, the men born in 1886-1888", dt.date(1921, 1, 20))
    assert got[0] == ("February", {"when": "1921-02", "resp": "#trotsky-tei", "cert": "high"})
    assert got[-1] == ("1886-1888", {"from": "1886", "to": "1888"})


def test_a_dateline_with_a_year_only_dates_the_document():
    from trotsky_tei.passes.dates import dateline_date

    assert dateline_date("Moscow, 1919") == dt.date(1919, 12, 31)
    assert dateline_date("1920.") == dt.date(1920, 12, 31)


def test_ranges_written_with_to():
    ref = dt.date(1920, 9, 1)
    assert found("from 5 to 12 June 1919 the", ref) == [("5 to 12 June 1919", {"from": "1919-06-05", "to": "1919-06-12"})]
    got = found("from September 22 to October 2 the", ref)
    assert got == [("September 22 to October 2",
                    {"from": "1920-09-22", "to": "1920-10-02", "resp": "#trotsky-tei", "cert": "high"})]
    assert found("on 13 to 16 August the", ref)[0][1]["from"] == "1920-08-13"
    assert found("troops from 1 to 5 were", ref) == []


# -- ordinal words, ranges joined by words, parts of a year ---------------------------------------

@pytest.mark.parametrize("text, span, attrs", [
    ("on the fourth of July, 1918, the", "fourth of July, 1918", {"when": "1918-07-04"}),
    ("The Twenty-Fifth of October 1917 was", "Twenty-Fifth of October 1917", {"when": "1917-11-07"}),
    ("Orders of 5/VI/1918 and 7.6.1918", "5/VI/1918", {"when": "1918-06-05"}),
    ("between the 5th and the 9th of May 1918 the", "5th and the 9th of May 1918",
     {"notBefore": "1918-05-05", "notAfter": "1918-05-09"}),
    ("during the first half of 1919 the", "the first half of 1919", {"notBefore": "1919-01-01", "notAfter": "1919-06-30"}),
    ("In the spring of 1919 Kolchak", "the spring of 1919", {"when": "1919"}),
    ("quiet early in 1920, and", "early in 1920", {"when": "1920"}),
    ("from the autumn of 1920 to the end of 1922 the", "the autumn of 1920 to the end of 1922",
     {"from": "1920", "to": "1922"}),
    ("from 1914 to 1920 he", "1914 to 1920", {"from": "1914", "to": "1920"}),
    ("between the end of September 1919 and the first days of October 1919 we",
     "the end of September 1919 and the first days of October 1919", {"from": "1919-09", "to": "1919-10"}),
])
def test_more_written_forms(text, span, attrs):
    (got_span, got), *_ = [(s, a) for s, a in found(text) if s == span] or [(None, {})]
    assert got_span == span, found(text)
    assert {k: v for k, v in got.items() if k in attrs} == attrs


def test_ordinal_word_needs_of_and_a_month():
    assert spans("the fourth battalion of May Day") == []
    assert spans("He came first of all in 1919.") == ["1919"]


def test_year_less_day_ranges_take_the_year_of_the_document():
    (span, attrs), = found("between October 18 and 24 the line broke", ref=dt.date(1918, 12, 1))
    assert span == "October 18 and 24"
    assert (attrs["notBefore"], attrs["notAfter"], attrs["cert"]) == ("1918-10-18", "1918-10-24", "high")


def test_from_a_later_to_an_earlier_date_is_two_dates():
    assert spans("from 1920 to 1914 the") == ["1920", "1914"]
    assert spans("from 1914, to 1920 the") == ["1914", "1920"]


def test_a_day_alone_takes_the_month_named_before_it_or_the_documents():
    text = "Petrograd, 16th October, 1919. On the 14th the enemy took Gatchina."
    assert ("the 14th", "1919-10-14") in [(s, a.get("when")) for s, a in found(text)]
    # no month before it: the document's month, or the one before for a later day told in the past
    got = dict(found("Your report of the 17th was received. By the 12th all must be ready.", ref=dt.date(1919, 10, 16)))
    assert (got["the 17th"]["when"], got["the 17th"]["cert"]) == ("1919-09-17", "low")
    assert got["the 12th"]["when"] == "1919-10-12"
    # after a day of the month named: the nearer of that month's day and the next month's
    got = dict(found("On December 28 the station fell. By the 3rd the line held; the raid of the 25th failed.",
                     ref=dt.date(1919, 1, 9)))
    assert (got["the 3rd"]["when"], got["the 3rd"]["cert"]) == ("1919-01-03", "low")
    assert got["the 25th"]["when"] == "1918-12-25"
    got = dict(found("On June 15 the corps moved; on the 3rd it had been at rest.", ref=dt.date(1919, 7, 1)))
    assert got["the 3rd"]["when"] == "1919-06-03"


@pytest.mark.parametrize("text", [
    "the 5th Army and the 14th Division attacked",
    "the state of the 26th and 27th Divisions",
    "for the 3rd time; the 2nd regiment",
])
def test_ranks_and_units_are_not_days(text):
    assert spans(text) == []


def test_days_of_one_month_and_roman_months():
    got = [(s, a.get("when")) for s, a in found("The 7th and 8th of November; orders of 14.X and 18.X.19.")]
    assert got == [("7th", "1918-11-07"), ("8th of November", "1918-11-08"), ("14.X", "1918-10-14"),
                   ("18.X.19", "1919-10-18")]


def test_two_days_of_a_month_and_day_ranges_with_the_month_after():
    got = [(s, a.get("when") or (a.get("from"), a.get("to"))) for s, a in
           found("fixed for November 4 or 5; the 15th to the 20th of November; the 10th-12th of May 1918.")]
    assert got == [("November 4", "1918-11-04"), ("5", "1918-11-05"),
                   ("15th to the 20th of November", ("1918-11-15", "1918-11-20")),
                   ("10th-12th of May 1918", ("1918-05-10", "1918-05-12"))]
    assert [s for s, _ in found("In October. On the 2nd or 3rd the enemy crossed.")][-2:] == ["the 2nd", "3rd"]


def test_an_old_style_month_gives_its_written_month_and_the_new_style_days():
    (span, attrs), = found("In October 1905 the Moscow workers rose", ref=dt.date(1917, 7, 1))
    assert (attrs["when-custom"], attrs["notBefore"], attrs["notAfter"]) == ("1905-10", "1905-10-14", "1905-11-13")
    assert (attrs["calendar"], attrs["cert"]) == ("#julian", "low")          # a guess from the context
    (span, attrs), = found("In October 1905 (old calendar) the workers", ref=dt.date(1917, 7, 1))
    assert attrs["when-custom"] == "1905-10" and "cert" not in attrs          # said by the text
    assert found("the Paris Commune of March 1871", ref=dt.date(1917, 7, 1))[0][1] == {"when": "1871-03"}
    assert found("In May 1918 the Czechs", ref=dt.date(1918, 7, 1))[0][1] == {"when": "1918-05"}


def test_a_day_to_the_end_of_its_month_is_a_range():
    (span, attrs), = found("from April 10 to the end of the month the army held", ref=dt.date(1919, 5, 1))
    assert (span, attrs["from"], attrs["to"]) == ("April 10 to the end of the month", "1919-04-10", "1919-04-30")


def test_an_endnote_takes_the_year_of_its_own_earlier_date():
    text = ("ORDER No. 1\n\nMoscow, November 14, 1921\n\nThe Crimea [1] is ours.\n\n\n"
            "1. Perekop was stormed on the night of November 7-8, 1920. The Crimea was cleared by November 16.\n")
    doc = analyse(text, "t.txt", None, passes=["notes", "dates"])
    got = {b.text[s.start:s.end]: s.attrs for b in doc.blocks for s in b.spans if s.tag == "date"}
    assert got["November 16"]["when"] == "1920-11-16"


# -- patterns searched from the first month name or digit ------------------------------------

_PIECES = ["June", "Sept.", "Nov", "MAY", "5", "18", "1918", "20th", "seventh", "of", "the", "and", "or", "to",
           "between", "end", "O.S.", "inst.", "-", "–", "/", "(", ")", ",", ".", " ", " ", "  ", "\n", "Kazan",
           "early", "in", "XI", "06", "a1", "’s", "the seventh of ", "the end of ", "early in ", "between the 5th and ",
           "twenty-first of ", "the 14th", "in June", "mid-", "14.XI", "6/7 August", "June 8 (O.S. May 26)",
           "xtwenty-first of ", "First", "SEVENTH", "May", "JUNE", "Jan", "Sept", "2", "31", "1919", "-20"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14))
# texts whose dates open with a word: a pattern that may match them is not anchored
@example(["the seventh of ", "June", " ", "1918"])
@example(["between the 5th and ", "the 14th", " of ", "June"])
@example(["twenty-first of ", "June", " to the end of the month"])
@example(["early in ", "June"])
@example(["in the first half of ", "1919"])
@example(["on ", "the 14th", " or ", "the 14th"])
@example(["By the first of May the tide must turn."])
@example(["June", " ", "5", "-", "7", " ", "1918", " and ", "June 5", ", ", "XI"])
@example(["June 8 (O.S. May 26)", " the night of ", "6/7 August", " on ", "14.XI", ", the 12th inst."])
def test_date_patterns_are_tried_only_where_they_can_match(pieces):
    """The scan matches the patterns of `_STARTED` only where a date led by a month name, a
    figure or an ordinal word can start: they find there exactly what a scan of every position
    finds. The patterns of `_YEAR_KINDS` match nothing in a text without a year."""
    from trotsky_tei.passes.dates import (
        _ANY_YEAR,
        _LEADS,
        _P,
        _STARTED,
        _YEAR_KINDS,
        DateStarts,
        _matches_from,
    )

    text = "".join(pieces)
    assert _STARTED <= {k for k, _ in _P} and set(_LEADS) <= _STARTED
    starts = DateStarts(text)
    for kind, pattern in _P:
        if kind in _STARTED:
            # each pattern where its own dates can start (the scan), and where any date can
            for where in (starts.of(kind), starts.led_by("any")):
                found = [m.span() for m in _matches_from(pattern, text, where)]
                assert [m.span() for m in pattern.finditer(text)] == found, kind
        if kind in _YEAR_KINDS:
            assert all(_ANY_YEAR.search(m.group()) for m in pattern.finditer(text)), kind


# -- scans that skip, in C, to the letters and marks that can open a match ---------------------

#: The month names as they were first written, the bare abbreviations in one group.
_MONTH_AS_WRITTEN = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER|"
    r"Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\.|"
    r"JAN\.|FEB\.|MAR\.|APR\.|JUN\.|JUL\.|AUG\.|SEPT\.|SEP\.|OCT\.|NOV\.|DEC\.|"
    r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?=\s+\d))")
#: The sentence ends as they were first written, the words before the mark looked at first.
_SENTENCE_ENDS_AS_WRITTEN = (
    r"(?<![A-Z])(?<!\bNo)(?<!\bMr)[.!?]['’”)\]]*\s+(?=[A-Z‘“'\"(\[])",
    r"(?<![A-Z])(?<!\bNo)(?<!\bMr)[.!?]['’”)\]]*(?:\s+(?=[A-Z‘“'\"(\[])|\s*$)")
_SCAN_PIECES = ["Jan", "Sept", "Sep.", "SEPT.", "May", "MAY", "Mayor", "June", " ", "  ", "\n", "5", "٣", "18",
                "1918", ".", ",", "-", "first", "First", "FIRST", "fırst", "fİrst", "ſeventh", "twenty-first",
                "Twenty-First", "thirty-first", "Nineteenth", "nth", "e", "x", "_", "No", "Mr", "A", "?", "!",
                "’", "”", ")", "(", "[", "‘", "the", "No.", "Mr.", "J.", "sixth", "tenth", "Sixth"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_SCAN_PIECES), min_size=1, max_size=16))
@example(["xtwenty-first", " ", "twenty-first", " ", "ſeventh", " ", "Sept", " ", "5", ",", "June"])
@example(["Mr.", " ", "A", ".", " ", "No.", " ", "5", ".", "’", " ", "(", "J.", "?", "  ", "‘"])
def test_month_date_start_and_sentence_scans_find_what_the_plain_patterns_find(pieces):
    """The month names, the starts of dates and the ends of sentences are found by patterns
    rewritten so that a scan skips to the letters or marks that can open a match: they find
    what the patterns as first written find, at every position."""
    import re

    from trotsky_tei.passes import dates as D

    text = "".join(pieces)
    for end in (len(text), len(text) // 2):
        assert [m.span() for m in D._ANY_MONTH.finditer(text, 0, end)] == \
               [m.span() for m in re.compile(_MONTH_AS_WRITTEN).finditer(text, 0, end)]
    assert D.DateStarts(text).led_by("any") == [m.start() for m in D._DATE_STARTS.finditer(text)]
    for new, old in zip((D._SENTENCE_END, D._LAST_SENTENCE_END), _SENTENCE_ENDS_AS_WRITTEN):
        for at in range(len(text) + 1):
            assert [m.span() for m in new.finditer(text[:at])] == [m.span() for m in re.finditer(old, text[:at])]
            assert [m.span() for m in new.finditer(text[at:])] == [m.span() for m in re.finditer(old, text[at:])]


def test_ordinal_starts_take_every_letter_that_opens_an_ordinal_word():
    """An ordinal word may open, for `(?i:)`, with a letter other than its own and its capital
    ("ſeventh"): every such letter, of all of Unicode, opens a branch of `_ORDINAL_START`."""
    import re

    from trotsky_tei.passes.dates import _ORDINAL_START, ORDINALS

    for first in {w[0] for w in ORDINALS}:
        same = re.compile(f"(?i:{first})")
        letters = [chr(i) for i in range(0x110000) if same.fullmatch(chr(i))]
        assert len(letters) >= 2
        for c in letters:
            for w in ORDINALS:
                if w[0] == first:
                    assert _ORDINAL_START.match(f" {c}{w[1:]}", 1), (c, w)


_WORD_LED_PIECES = ["Russia", "Russian", "Tsarist", "Red Army", "Frenchmen", "Austro-Hungarian", "xParis", "since", "Since", "xsince", "a", "the", "The", "xthe", "_the", "5the", "in", "In", "mid-", "through", "throughout", "early",
                    "Early", "late", "of", "June", "May", "December", "and", "or", "to", "Revolution", "offensive",
                    "5th", "14th", "2nd", "3rd", "of", "-", "–", "1", " ", "  ", "\n", ".", ",", "é", "ſ", "K"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_WORD_LED_PIECES), min_size=1, max_size=16))
@example(["in", " ", "June", " ", "and", " ", "July"])
@example(["throughout", " ", "May", " ", "the", " ", "14th", " ", "or", " ", "the", " ", "2nd"])
@example(["xthe", " ", "5th", "_the", " ", "14th", " ", "mid-", " ", "June", "é", "in", " ", "May"])
def test_patterns_led_by_words_find_what_they_found_as_first_written(pieces):
    """The patterns led by a word ("in May", "the 14th") open with its letter and look behind
    it for the word boundary (`_word_led`): they find what `\\b(?:…)` found, with the same groups."""
    import re

    from trotsky_tei.passes import dates as D

    as_written = {
        0: rf"\b(?P<prep>{D.PREPOSITIONS}|the)\s(?P<m>{D._FULL})\b(?!\s+[A-Z])(?!\s+{D._EVENTS})",
        1: rf"\b(?:{D._FULL})\s(?P<prep>and|or|to)\s(?P<m>{D._FULL})\b(?!\s+[A-Z])",
        "days": rf"\b(?:the|The)\s+(?P<da>(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th))(?P<sep>\s+(?:or|and)\s+(?:the\s+)?)"
                rf"(?P<db>(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)){D._NA}(?!\s+(?:of\s+)?{D.MONTH})(?!\s?[-–]\s?\d)",
        "day": rf"\b(?:the|The)\s+(?P<d>(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)){D._NA}"
               rf"(?!\s+(?:of\s+)?{D.MONTH})(?!\s?[-–]\s?\d)",
    }
    months = [p for k, p in D._P if k == "month"]
    now = {0: months[0], 1: months[1], **{k: p for k, p in D._P if k in ("day", "days")}}
    text = "".join(pieces)
    after_word = [m.span() for m in D._matches_from(D._MONTH_AFTER_WORD, text, D.DateStarts(text).before_months())]
    assert after_word == [m.span() for m in D._MONTH_AFTER_WORD.finditer(text)]
    for key, old in as_written.items():
        assert [(m.span(), m.groupdict()) for m in now[key].finditer(text)] == \
               [(m.span(), m.groupdict()) for m in re.finditer(old, text)], key
    for cues, words in ((D.RUSSIAN_CUES, D._RUSSIAN_CUE_WORDS), (D.FOREIGN_CUES, D._FOREIGN_CUE_WORDS)):
        cues_as_written = re.compile(rf"\b(?:{words})\b")
        for at in range(len(text) + 1):
            assert [m.span() for m in cues.finditer(text, at)] == [m.span() for m in cues_as_written.finditer(text, at)]
    since = re.compile(r"\b[Ss]ince\s+(?:(?:the|a|an)\s+)?(?:\w+\s+){0,2}(?:of\s+|in\s+)?$")
    for lo in range(0, len(text) + 1, 3):
        for hi in range(lo, len(text) + 1):
            found = D._SINCE.search(text, lo, hi)
            assert (found and found.span()) == ((m := since.search(text, lo, hi)) and m.span())


#: Pieces of text for the digit search: ASCII digits and letters, and characters `\d` matches
#: outside ASCII (Arabic-Indic, Devanagari, fullwidth) or does not (superscript two, Roman numeral).
_DIGIT_PIECES = ["1918", "7", "0", "June ", "the end", " ", "’", "é", "٣", "५", "１", "²", "Ⅳ", "\n"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_DIGIT_PIECES), max_size=12))
@example([])
@example(["June ", "the end"])
@example(["June ", "٣"])
def test_first_digit_is_where_the_regular_expression_finds_one(pieces):
    """`first_digit` (substring searches in an ASCII text) finds the first character `\\d`
    matches, as a regular-expression scan does, in any text; and a full date is found the same
    whether or not the text holds a digit (the scan for four digits starts there)."""
    import re

    from trotsky_tei.passes import dates as D

    text = "".join(pieces)
    m = re.search(r"\d", text)
    assert D.first_digit(text) == (m.start() if m else -1)
    dated = "On June 5, 1918 " + text
    assert D.first_full_date(dated) == dt.date(1918, 6, 5)
    assert (D.first_full_date(text) is None) or re.search(r"\d\d\d\d", text)


#: Words of date-like text: month names (full, abbreviated, in capitals, glued to a word), days,
#: years and other numbers (ASCII and not), ordinal words and suffixes, the words that open vague
#: dates and parts of a year; and what stands between them: spaces of every kind and punctuation.
_DATE_WORDS = ["June", "Sept.", "MAY", "earlyMay", "March", "Jan", "5", "14", "31", "05", "1918", "1919", "2001",
               "123", "19181", "٣", "١٩١٨", "14th", "2nd", "the", "The", "fourth", "twenty-first", "ſeventh",
               "of", "and", "or", "to", "till", "end", "first", "half", "spring", "year", "early", "late", "mid-",
               "Mid", "in", "very", "O.S.", "Old Style", "between", "night", "5/18", "6-7", "(7)", "14.X"]
_DATE_GAPS = [" ", " ", " ", "", "  ", "\n", "\u00a0", ", ", ",", ".", "/", "(", ")", "-", " – ", ":", "["]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_DATE_WORDS), st.sampled_from(_DATE_GAPS)), max_size=12))
@example([("the", " "), ("end", " "), ("of", " "), ("March", " "), ("1918", "")])
@example([("the", " "), ("fourth", " "), ("of", " "), ("June", ", "), ("1918", "")])
@example([("on", " "), ("the", "  "), ("14th", "")])
@example([("early", "\u00a0"), ("in", " "), ("1920", "")])
@example([("June", "  "), ("5", "")])
@example([("June", "\n"), ("5", ", "), ("1918", "")])
@example([("twenty-first", " "), ("of", "\n"), ("June", "")])
@example([("ſeventh", " "), ("of", " "), ("MAY", " "), ("1918", "")])
@example([("the", " "), ("very", " "), ("first", " "), ("half", " "), ("of", " "), ("the", " "), ("year", " "),
          ("1919", "")])
def test_each_pattern_is_tried_where_its_matches_can_start(words):
    """The recogniser tries each pattern only at the places its dates can start (`DateStarts`):
    in any text, that finds exactly the matches a scan of the whole text finds."""
    from trotsky_tei.passes import dates as D

    text = "".join(w + gap for w, gap in words)
    starts = D.DateStarts(text)
    for kind, pattern, _gate, led in D._KINDS_FOR[True, True, True]:
        if not led:
            continue
        assert [m.span() for m in D._matches_from(pattern, text, starts.where(kind, led))] == \
            [m.span() for m in pattern.finditer(text)], kind
