"""The rules layer as compiled by trotsky_tei/validate/schematron.py: every finding of a large
document at its own element and line, pointer lists, and the Schematron semantics the compiler
keeps (first matching rule, predicates, abstract rules) or refuses."""

from __future__ import annotations

import pytest
from lxml import etree

from trotsky_tei.messages import TrotskyTeiError
from trotsky_tei.validate import locate, schematron, validate_bytes

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Rules</title>
        <respStmt xml:id="ed"><resp>edited by</resp><name>An Editor</name></respStmt>
      </titleStmt>
      <publicationStmt><p>Test.</p></publicationStmt>
      <sourceDesc>
        <listPerson><person xml:id="p1"><persName>One</persName></person><person xml:id="p2"><persName>Two</persName></person></listPerson>
        <listPlace><place xml:id="pl1"><placeName>Here</placeName></place></listPlace>
      </sourceDesc>
    </fileDesc>
  </teiHeader>
  <text>
    <body>
      <div>
"""
FOOTER = """      </div>
    </body>
  </text>
</TEI>
"""


def _rules(body: str) -> list:
    data = (HEADER + body + FOOTER).encode("utf-8")
    return [m for m in validate_bytes(data, "doc.xml") if m.kind == "rules"]


def _first_body_line() -> int:
    return HEADER.count("\n") + 1


def test_thousands_of_broken_pointers_are_each_reported_at_their_line():
    n = 3000
    body = "".join(f'        <p>Seen by <persName ref="#nobody{i}">Someone</persName> today.</p>\n' for i in range(n))
    messages = _rules(body)
    assert len(messages) == n
    first = _first_body_line()
    for i, m in enumerate(messages):
        assert m.rule == "ref-unresolved"
        assert m.line == first + i
        assert f"#nobody{i}" in m.text
        assert m.xpath == f"/TEI/text/body/div/p[{i + 1}]/persName"
        assert m.column == len('        <p>Seen by ') + 1
        assert m.hint


def test_one_bad_element_among_thousands_of_siblings_is_found():
    n = 4000
    lines = [f"        <p>Paragraph {i}.</p>\n" for i in range(n)]
    lines[n - 7] = '        <p>Written by <persName ref="#pl1">Here</persName>.</p>\n'
    messages = _rules("".join(lines))
    assert [(m.rule, m.line, m.xpath) for m in messages] == [
        ("persref-kind", _first_body_line() + n - 7, f"/TEI/text/body/div/p[{n - 6}]/persName")]
    assert "not at a place" in messages[0].text


@pytest.mark.parametrize("attrs, rules", [
    ('ana="#p1 #p2"', set()),
    ('ana="#p1  #p2 #p1"', set()),
    ('ana="#p1 #missing"', {"ana-unresolved"}),
    ('corresp="#p1 http://example.org/x #p2"', set()),
    ('corresp="#p1 p2"', {"ref-hash"}),
    ('resp="#ed #ed"', set()),
    ('resp="#ed #p1"', set()),
    ('resp="#ed #missing"', {"resp-undeclared"}),
])
def test_pointer_lists_are_checked_token_by_token(attrs, rules):
    messages = _rules(f"        <p {attrs}>Text.</p>\n")
    assert {m.rule for m in messages} == rules
    assert all(m.line == _first_body_line() for m in messages)


def test_a_list_of_names_must_point_at_records_of_their_kind():
    messages = _rules('        <p><persName ref="#p1 #pl1">One and Here</persName></p>\n')
    assert [m.rule for m in messages] == ["persref-kind"]
    assert "not at a place" in messages[0].text
    assert not _rules('        <p><persName ref="#p1 #p2">One and Two</persName></p>\n')


def test_attribute_findings_name_the_element_that_carries_the_attribute():
    messages = _rules('        <p>From <date when="1918-06-20" notBefore="1918-06-01" notAfter="1918-06-10">June 20, 1918</date>.</p>\n')
    assert [m.rule for m in messages] == ["when-outside-range"]
    assert messages[0].xpath == "/TEI/text/body/div/p/date"
    assert messages[0].column == len("        <p>From ") + 1


# ---------------------------------------------------------------- the compiler itself

SCH = """<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <sch:pattern id="p">
    {rules}
  </sch:pattern>
  <sch:diagnostics><sch:diagnostic id="h">hint for <sch:value-of select="name()"/></sch:diagnostic></sch:diagnostics>
</sch:schema>"""


def _compiled(rules: str) -> schematron.Compiled:
    return schematron.Compiled(etree.ElementTree(etree.fromstring(SCH.format(rules=rules))))


def _run(rules: str, xml: str) -> list[tuple[str, str, str]]:
    tree = etree.ElementTree(etree.fromstring(xml))
    where = locate.Locator(tree)
    return [(f.id, where.xpath(f.element), f.text) for f in _compiled(rules).run(tree)]


def test_the_first_matching_rule_applies_and_a_failed_predicate_passes_the_node_on():
    rules = """
    <sch:rule context="b[@skip]"><sch:report id="skipped" test="true()">skipped <sch:value-of select="@n"/></sch:report></sch:rule>
    <sch:rule context="b"><sch:report id="b" test="true()">b <sch:value-of select="@n"/></sch:report></sch:rule>
    <sch:rule context="*"><sch:report id="any" test="true()"><sch:name/></sch:report></sch:rule>"""
    found = _run(rules, '<a><b n="1" skip="y"/><b n="2"/><c/></a>')
    assert found == [("any", "/a", "a"), ("skipped", "/a/b[1]", "skipped 1"), ("b", "/a/b[2]", "b 2"), ("any", "/a/c", "c")]


def test_a_failed_predicate_passes_the_node_to_later_rules_of_other_shapes():
    rules = """
    <sch:rule context="b[@skip]"><sch:report id="skipped" test="true()">skipped</sch:report></sch:rule>
    <sch:rule context="c/b"><sch:report id="in-c" test="true()">in c</sch:report></sch:rule>
    <sch:rule context="a//b"><sch:report id="in-a" test="true()">in a</sch:report></sch:rule>
    <sch:rule context="*/b[@last]"><sch:report id="last" test="true()">last</sch:report></sch:rule>
    <sch:rule context="b"><sch:report id="b" test="true()">b</sch:report></sch:rule>"""
    found = _run(rules, '<r><a><b skip="1"/><x><b/></x></a><c><b/></c><b last="1"/><b/></r>')
    assert [(rule, path) for rule, path, _ in found] == [
        ("skipped", "/r/a/b"), ("in-a", "/r/a/x/b"), ("in-c", "/r/c/b"), ("last", "/r/b[1]"), ("b", "/r/b[2]")]


def test_abstract_rules_lets_diagnostics_and_attribute_contexts():
    rules = """
    <sch:rule abstract="true" id="shared"><sch:assert id="short" test="string-length(.) &lt; $max" diagnostics="h" role="warning"
      >'<sch:value-of select="."/>' is <sch:emph>too</sch:emph> long</sch:assert></sch:rule>
    <sch:rule context="@title"><sch:let name="max" value="5"/><sch:extends rule="shared"/></sch:rule>"""
    compiled = _compiled(rules)
    tree = etree.ElementTree(etree.fromstring('<a><b title="fine"/><c title="much too long"/></a>'))
    (finding,) = compiled.run(tree)
    assert finding.element is tree.getroot()[1]
    assert (finding.id, finding.role, finding.text, finding.hint) == ("short", "warning", "'much too long' is too long", "hint for title")


@pytest.mark.parametrize("context", ["b[1]", "b[position() = 2]", "b[$n]", "b[@x]/c", "text()", "/", "comment()"])
def test_contexts_the_compiler_cannot_run_fast_and_right_are_refused(context):
    with pytest.raises(TrotskyTeiError) as info:
        _compiled(f'<sch:rule context="{context}"><sch:assert id="x" test="true()">x</sch:assert></sch:rule>')
    assert "rule compiler does not support" in info.value.message.text


def test_unknown_diagnostics_and_extends_are_errors_not_silence():
    with pytest.raises(TrotskyTeiError):
        _compiled('<sch:rule context="a"><sch:assert id="x" test="true()" diagnostics="nope">x</sch:assert></sch:rule>')
    with pytest.raises(TrotskyTeiError):
        _compiled('<sch:rule context="a"><sch:extends rule="nope"/></sch:rule>')
