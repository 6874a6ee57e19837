"""The date-agreement rules (XPath 1.0 in schemas/trotsky-tei.sch) against a plain Python
statement of the same policy, on generated dates: a written month, day or year that the
normalised value contradicts is an error; anything else is not."""

from __future__ import annotations

import calendar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trotsky_tei.messages import Severity
from trotsky_tei.validate import validate_bytes

MONTHS = list(calendar.month_name)[1:]

DOC = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Dates</title></titleStmt>
      <publicationStmt><p>Test.</p></publicationStmt>
      <sourceDesc><p>Generated.</p></sourceDesc>
    </fileDesc>
  </teiHeader>
  <text>
    <body>
      <div>
        <p>Written on {date}.</p>
      </div>
    </body>
  </text>
</TEI>
"""

FORMATS = {
    "month day, year": lambda m, d, y: f"{MONTHS[m - 1]} {d}, {y}",
    "day month year": lambda m, d, y: f"{d} {MONTHS[m - 1]} {y}",
    "month day": lambda m, d, y: f"{MONTHS[m - 1]} {d}",
    "month year": lambda m, d, y: f"{MONTHS[m - 1]} {y}",
    "month": lambda m, d, y: MONTHS[m - 1],
    "year": lambda m, d, y: str(y),
}


def written_parts(fmt: str, m: int, d: int, y: int) -> dict[str, int]:
    parts = {"month": m}
    if "day" in fmt:
        parts["day"] = d
    if "year" in fmt:
        parts["year"] = y
    if fmt == "year":
        parts = {"year": y}
    return parts


def expected_errors(written: dict[str, int], when: str) -> set[str]:
    """The policy: compare what is written with what the value states, field by field."""
    fields = when.split("-")
    value = {"year": int(fields[0])}
    if len(fields) > 1:
        value["month"] = int(fields[1])
    if len(fields) > 2:
        value["day"] = int(fields[2])
    return {f"date-{k}" for k in ("year", "month", "day") if k in written and k in value and written[k] != value[k]}


def rule_errors(text: str, attrs: str) -> set[str]:
    data = DOC.format(date=f"<date {attrs}>{text}</date>").encode("utf-8")
    return {m.rule for m in validate_bytes(data, "dates.xml") if m.severity >= Severity.ERROR}


dates = st.tuples(st.integers(1, 12), st.integers(1, 28), st.integers(1800, 2099))


@settings(max_examples=150, deadline=None)
@given(fmt=st.sampled_from(sorted(FORMATS)), written=dates, value=dates,
       precision=st.sampled_from([4, 7, 10]), same=st.booleans())
def test_agreement_rules_follow_the_policy(fmt, written, value, precision, same):
    m, d, y = written
    if same:
        value = written
    when = f"{value[2]:04d}-{value[0]:02d}-{value[1]:02d}"[:precision]
    text = FORMATS[fmt](m, d, y)
    assert rule_errors(text, f'when="{when}"') == expected_errors(written_parts(fmt, m, d, y), when), (text, when)


@settings(max_examples=40, deadline=None)
@given(written=dates, shift=st.integers(0, 13))
def test_old_style_dates_are_compared_with_when_custom(written, shift):
    """The written (Julian) date must agree with @when-custom; @when holds the Gregorian date,
    which differs from the text by 12 or 13 days in 1800-1918."""
    from convertdate import julian

    m, d, y = written
    custom = f"{y:04d}-{m:02d}-{d:02d}"
    wrong_day = (d % 28) + 1 if shift else d
    gy, gm, gd = julian.to_gregorian(y, m, d)        # the true New Style date, never the written day
    attrs = (f'when="{gy:04d}-{gm:02d}-{gd:02d}" when-custom="{y:04d}-{m:02d}-{wrong_day:02d}" '
             f'calendar="#julian" datingMethod="#julian"')
    errors = rule_errors(f"{MONTHS[m - 1]} {d}, {y}", attrs) - {"calendar-unresolved", "datingmethod-unresolved"}
    assert errors == ({"date-day"} if wrong_day != d else set()), custom


def test_dates_without_a_value_or_with_two_months():
    assert rule_errors("June 13, 1918", "") == {"date-normalised"}
    # two month names: a period written as one date; the month is not compared
    assert rule_errors("March-May 1918", 'when="1918-06"') == set()
    assert rule_errors("March-May 1918", 'when="1917-06"') == {"date-year"}


@pytest.mark.parametrize("text, attrs, expected", [
    ("Sept. 3, 1919", 'when="1919-10-03"', {"date-month"}),
    ("Sept. 3, 1919", 'when="1919-09-03"', set()),
    ("3 Sept. 1919", 'when="1919-09-04"', {"date-day"}),
    ("Oct. 1919", 'when="1919-11"', {"date-month"}),
    ("Dec. 31", 'when="1918-12-31"', set()),
    ("Jan. 5 or Feb. 6", 'when="1918-03-05"', set()),     # two months written: not one month to compare
])
def test_abbreviated_month_names_are_compared(text, attrs, expected):
    assert rule_errors(text, attrs) == expected


# The rules' shortcut for dates that plainly agree (a rule before the full month and day checks,
# schemas/trotsky-tei.sch) must never hide what those checks find: the rules with it and without it
# give the same findings on dates written every which way.

_SHORTCUT = "tei:text//tei:date[not(@when-custom)"

NAMES = {3: ["March", "Mar."], 5: ["May"], 6: ["June", "Jun."], 9: ["September", "Sept.", "Sep."]}


@st.composite
def plain_or_not(draw) -> tuple[str, str]:
    """A written date and a value that share their month and day more often than not, and
    written every which way: cases, marks after the day, a day that only starts like the
    value's ("45" for 4), two months, no space."""
    m = draw(st.sampled_from(sorted(NAMES)))
    d = draw(st.sampled_from([1, 4, 14]))
    name = draw(st.sampled_from(NAMES[m] + NAMES[draw(st.sampled_from(sorted(NAMES)))]))
    name = draw(st.sampled_from([str, str.upper, str.lower]))(name)
    day = draw(st.sampled_from([str(d), f"{d:02d}", f"{d}5", f"1{d}", f"{d}th", f"{d}-5", "", str(d + 1)]))
    mark = draw(st.sampled_from(["", ",", ", ", ".", ")", ";", " ", "  ", "\n"]))
    other = draw(st.sampled_from(NAMES[draw(st.sampled_from(sorted(NAMES)))]))
    text = draw(st.sampled_from([f"{name} {day}{mark} 1918", f"{day} {name}{mark} 1918", f"{name} {day}{mark}",
                                 f"{name} {day} and {other} {d}", f"{other} {d} and {name} {day}",
                                 f"{name}{day}", f"the end of {name}"]))
    value = draw(st.sampled_from([f"1918-{m:02d}-{d:02d}", f"1918-{m:02d}-{d:02d}", f"1918-{m:02d}",
                                  f"1918-{m:02d}-{d:02d}T10:00", f" 1918-{m:02d}-{d:02d} ", f"1918-{m}-{d}",
                                  f"1918-13-{d:02d}", "1918", ""]))
    return text, value


@pytest.fixture(scope="module")
def with_and_without_shortcut():
    from lxml import etree

    from trotsky_tei.validate import schematron
    from trotsky_tei.validate.schemas import schema_path

    full = etree.parse(str(schema_path("trotsky-tei.sch")))
    without = etree.ElementTree(etree.fromstring(etree.tostring(full)))
    shortcut = [r for r in without.iter("{http://purl.oclc.org/dsdl/schematron}rule")
                if (r.get("context") or "").startswith(_SHORTCUT)]
    assert len(shortcut) == 1
    shortcut[0].getparent().remove(shortcut[0])
    return schematron.Compiled(full), schematron.Compiled(without)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(plain_or_not(), st.sampled_from(["", "", "", "note", "hi", "custom"])),
                min_size=1, max_size=40))
def test_the_shortcut_for_plain_dates_hides_no_finding(with_and_without_shortcut, found):
    from xml.sax.saxutils import escape

    from lxml import etree

    dates = []
    for (text, value), extra in found:
        when = f' when="{value}"' if value else ""
        if extra == "custom":
            when += ' when-custom="1918-05-22"'
        inner = escape(text)
        if extra in ("note", "hi"):
            inner = f"{escape(text[:3])}<{extra}>x</{extra}>{escape(text[3:])}"
        dates.append(f"<date{when}>{inner}</date>")
    tree = etree.fromstring(DOC.format(date=" ".join(dates)).encode("utf-8")).getroottree()
    with_it, without = with_and_without_shortcut
    assert [(f.id, f.line, f.text) for f in with_it.run(tree)] == [(f.id, f.line, f.text) for f in without.run(tree)]
