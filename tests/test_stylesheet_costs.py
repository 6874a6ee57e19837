"""Patterns of the export stylesheets whose cost grows faster than the input under libxslt
(docs/exports.md, "Speed"), checked in the stylesheets' source: the outputs are the same either
way, so only the source shows a regression before a large file does."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from trotsky_tei.export import TARGETS, xslt_dir

XSL = "http://www.w3.org/1999/XSL/Transform"


def _modules(name: str) -> list[etree._Element]:
    """The stylesheet and every module it includes, in include order."""
    root = etree.parse(str(xslt_dir() / name)).getroot()
    out = [root]
    for inc in root.iterfind(f"{{{XSL}}}include"):
        out.extend(_modules(inc.get("href")))
    return out


def _keys(name: str) -> set[str]:
    return {k.get("name") for m in _modules(name) for k in m.iterfind(f"{{{XSL}}}key")}


def test_the_csv_export_builds_only_the_keys_it_uses():
    # libxslt builds every declared key at the first key() call: one walk of the whole document
    # each, and the key of the mentions costs the square of a record's mentions
    assert _keys("csv.xsl") == {"tt-id", "ix-head"}


@pytest.mark.parametrize("name", ["dc.xsl", "ead.xsl"])
def test_archival_exports_build_no_key_of_all_mentions_by_record(name):
    assert "tt-mentions" not in _keys(name)


@pytest.mark.parametrize("name", sorted({sheet for sheet, _ in TARGETS.values()}))
def test_no_positional_predicate_on_a_global_node_set_inside_a_template(name):
    # `$tt-docs[1]` in a template run per document evaluates the predicate over every document
    globals_ = {v.get("name") for m in _modules(name) for v in m.iterfind(f"{{{XSL}}}variable")}
    found = []
    for m in _modules(name):
        for template in m.iterfind(f"{{{XSL}}}template"):
            for el in template.iter():
                for value in el.attrib.values():
                    for var in re.findall(r"\$([\w-]+)\[\s*(?:\d|last\(\)|position\(\))", value):
                        if var in globals_:
                            found.append(f"{template.get('match') or template.get('name')}: ${var}[...]")
    assert not found, found


@pytest.mark.parametrize("name", sorted({sheet for sheet, _ in TARGETS.values()}))
def test_no_numbering_that_walks_back_through_the_text(name):
    # xsl:number level="any" walks back from each node to its `from`: quadratic in a long
    # document (notes.xsl numbers the notes in one pass instead)
    found = [m.base for m in _modules(name) for n in m.iter(f"{{{XSL}}}number") if n.get("level") == "any"]
    assert not found, found


@pytest.mark.parametrize("name", sorted({sheet for sheet, _ in TARGETS.values()}))
def test_keys_on_trees_the_stylesheet_makes_match_from_the_root(name):
    # libxslt builds every key for every document a key() call looks in, the TEI too, by walking
    # the whole document unless the pattern starts from the root. A key on such a tree matches
    # elements in no namespace, by name.
    made = [k for m in _modules(name) for k in m.iterfind(f"{{{XSL}}}key")
            if ":" not in k.get("match") and not k.get("match").startswith("*")]
    assert all(k.get("match").startswith("/") for k in made), [k.get("name") for k in made]
    if name in ("html.xsl", "fo.xsl", "ead.xsl"):
        assert made


@pytest.mark.parametrize("name", sorted({sheet for sheet, _ in TARGETS.values()}))
def test_keys_find_their_nodes_in_one_walk_of_the_document(name):
    # libxslt finds a key's nodes by evaluating its pattern as XPath, `//` put before it unless it
    # starts from the root. libxml2 turns `//step` into one walk of the descendants only when the
    # step has no predicate; `//*[@xml:id]` first collects every node of the document (1.9 million
    # for the 1000x file) and then looks at each one's children. So a key matches an attribute
    # (`@xml:id`, `tei:ref/@target`) or puts its predicate on a later step
    # (`tei:div/tei:head[../@type='document']`).
    found = []
    for m in _modules(name):
        for key in m.iterfind(f"{{{XSL}}}key"):
            for alt in _alternatives(key.get("match")):
                xpath = alt if alt.startswith("/") else "//" + alt
                steps = _steps(xpath)
                found += [f"{key.get('name')}: {alt}" for before, step in zip(steps, steps[1:])
                          if before == "" and "[" in step]
    assert not found, found


def _steps(path: str) -> list[str]:
    """The steps of a location path split at the / outside brackets: `//` leaves an empty step."""
    out, depth, cur = [], 0, ""
    for ch in path:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "/" and depth == 0:
            out.append(cur)
            cur = ""
            continue
        cur += ch
    return [*out, cur]


def _alternatives(pattern: str) -> list[str]:
    """The alternatives of a pattern (split at the | outside brackets and quotes)."""
    out, depth, quote, cur = [], 0, "", ""
    for ch in pattern:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(cur.strip())
            cur = ""
            continue
        cur += ch
    return [*out, cur.strip()]


def _last_step(alternative: str) -> str:
    return _steps(alternative)[-1]


#: Elements that stand among a handful of siblings at most (a label within its item).
FEW_SIBLINGS = {"tei:item/tei:label[not(preceding-sibling::node()[normalize-space()])]"}


@pytest.mark.parametrize("name", sorted({sheet for sheet, _ in TARGETS.values()}))
def test_templates_match_by_name_and_test_conditions_inside(name):
    # to match a pattern whose last step has a predicate (tei:note[@place='end']), libxslt counts
    # the node's siblings, remembering one parent only: for a name among thousands of siblings,
    # visited between nodes of other parents, that is quadratic
    found = [alt for m in _modules(name) for t in m.iterfind(f"{{{XSL}}}template") if t.get("match")
             for alt in _alternatives(t.get("match")) if "[" in _last_step(alt) and alt not in FEW_SIBLINGS]
    assert not found, found


def test_the_pattern_splitter():
    assert _steps("//tei:div[@type='a/b']/tei:head") == ["", "", "tei:div[@type='a/b']", "tei:head"]
    assert _alternatives("tei:p//tei:quote | tei:x[@a='|']") == ["tei:p//tei:quote", "tei:x[@a='|']"]
    assert _last_step("tei:div[@type='a/b']/tei:head") == "tei:head"
    assert _last_step("tei:note[@place='end']") == "tei:note[@place='end']"


def _path_after(text: str, start: int) -> str:
    """The location path that continues an expression at `start` (after a variable's name): up
    to the first space, `|`, `,`, `=` or closing bracket outside its own brackets and quotes."""
    depth, quote, out = 0, "", ""
    for ch in text[start:]:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "[(":
            depth += 1
        elif ch in "])":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and (ch.isspace() or ch in "|,=<>!"):
            break
        out += ch
    return out


def _descendant_steps_from_many(name: str) -> list[str]:
    """Expressions that take a `descendant` step (or `//`) from a global node-set that a walk of
    the document fills (its select has a `descendant` step or `//`)."""
    many = {v.get("name") for m in _modules(name) for v in m.iterfind(f"{{{XSL}}}variable")
            if v.getparent() is m and re.search(r"descendant::|//", v.get("select") or "")}
    found = []
    for m in _modules(name):
        for el in m.iter():
            for value in el.attrib.values():
                for var in re.finditer(r"\$([\w-]+)", value):
                    path = _path_after(value, var.end())
                    if var.group(1) in many and re.search(r"descendant::|//", path):
                        found.append(f"${var.group(1)}{path}")
    return found


@pytest.mark.parametrize("name", sorted({sheet for sheet, _ in TARGETS.values()}))
def test_no_descendant_step_from_a_global_set_of_many_nodes(name):
    # libxml2 merges what a `descendant` step finds from each node of the context into the result
    # by comparing each node with every node already there: $tt-docs/*/descendant::tei:date
    # costs the square of the dates (0.32 s for the 1000x file). The stylesheets take such a step
    # from one node at a time (common.xsl, tt-doc-dates) or from the root, testing the ancestor.
    assert not _descendant_steps_from_many(name), _descendant_steps_from_many(name)


def test_the_path_reader():
    value = "count($tt-docs/*[self::a or self::b]/descendant::tei:date[@when]) + count($x | $y)"
    assert _path_after(value, value.index("$tt-docs") + 8) == "/*[self::a or self::b]/descendant::tei:date[@when]"
    assert _path_after(value, value.index("$x") + 2) == ""
    assert _path_after("$a[@k = ')']//b", 2) == "[@k = ')']//b"
