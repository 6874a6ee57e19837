"""Layer 2: the project schema (schemas/trotsky-tei.xsd), checked by libxml2 through lxml.

Why lxml and not xmlschema: on the corpus edition (85 KB of TEI) lxml validates in about 1.3 ms
and xmlschema in about 220 ms; xmlschema's messages are better out of the box, but libxml2's
carry the same facts (element, attribute, value, what was expected, line, node path), so they are
rewritten here into sentences an editor can act on. See docs/encoding.md, "Validation"."""

from __future__ import annotations

import functools
import re

from lxml import etree

from ..messages import Message, Severity
from . import locate
from .schemas import schema_path

XS = "{http://www.w3.org/2001/XMLSchema}"

_ELEMENT = re.compile(r"^Element '([^']+)'(?:, attribute '([^']+)')?: (.*)$", re.S)
_EXPECTED = re.compile(r"Expected is (?:one of )?\( ?(.*?) ?\)\.?$")
_VALUE = re.compile(r"^'([^']*)' is not a valid value of the (?:atomic|union|list) type '([^']+)'\.?$")
_FACET = re.compile(r"^\[facet '(\w+)'\] The value '([^']*)' (.*)$")

#: One-line hints for attribute values, by attribute name.
VALUE_HINTS = {
    "when": "write an ISO 8601 date: YYYY-MM-DD, YYYY-MM or YYYY (e.g. 1918-06-13)",
    "notBefore": "write an ISO 8601 date: YYYY-MM-DD, YYYY-MM or YYYY",
    "notAfter": "write an ISO 8601 date: YYYY-MM-DD, YYYY-MM or YYYY",
    "from": "write an ISO 8601 date: YYYY-MM-DD, YYYY-MM or YYYY",
    "to": "write an ISO 8601 date: YYYY-MM-DD, YYYY-MM or YYYY",
    "cert": "use high, medium, low or unknown, or a probability from 0 to 1 (e.g. 0.8)",
    "xml:id": "an xml:id starts with a letter or '_' and has no spaces or ':' (e.g. d1, en80, trotsky)",
    "xml:lang": "use a language tag such as en, ru or ru-Latn",
    "level": "title/@level is a (article), m (monograph), j (journal), s (series) or u (unpublished)",
}
POINTER_ATTRIBUTES = {"ref", "target", "resp", "source", "corresp", "ana", "who", "calendar", "datingMethod"}


def load(path: str | None = None) -> tuple[etree.XMLSchema, frozenset[str]]:
    """The compiled schema and the names of the elements it declares (cached per process, by
    file: `load()` and `load(None)` are one entry, as in `rules.load`)."""
    return _compiled(str(path) if path else str(schema_path("trotsky-tei.xsd")))


@functools.lru_cache(maxsize=4)
def _compiled(path: str) -> tuple[etree.XMLSchema, frozenset[str]]:
    doc = etree.parse(path)
    names = frozenset(el.get("name") for el in doc.iter(XS + "element") if el.get("name"))
    return etree.XMLSchema(doc), names


def check(tree: etree._ElementTree, name: str, where: locate.Locator, schema: str | None = None) -> list[Message]:
    """Validate against the project schema; one Message per libxml2 error, rewritten."""
    xsd, known = load(schema)
    if xsd.validate(tree):
        return []
    out: list[Message] = []
    seen: set[tuple[int, str]] = set()
    for entry in xsd.error_log:
        msg = _message(entry, name, where, known)
        if msg is None or (msg.line, msg.text) in seen:
            continue
        seen.add((msg.line, msg.text))
        out.append(msg)
    return out


def _message(entry, name: str, where: locate.Locator, known: frozenset[str]) -> Message | None:
    raw = locate.strip_tei_ns(entry.message.strip())
    m = _ELEMENT.match(raw)
    elem_name, attr, detail = (m.group(1), m.group(2), m.group(3)) if m else ("", None, raw)
    el = where.element(entry.path or "", entry.line, elem_name)
    parent = el.getparent() if el is not None else None
    inside = f" inside <{locate.local_name(parent)}>" if parent is not None else ""
    rule, text, hint = "schema", raw, "see docs/encoding.md for the elements and attributes the project uses"
    kind = entry.type_name

    if kind == "SCHEMAV_CVC_ELT_1":
        rule = "schema-root"
        text = (f"the root element <{elem_name}> is not in the TEI namespace" if elem_name == "TEI"
                else f"the root element must be <TEI> in the TEI namespace, not <{elem_name}>")
        hint = 'write <TEI xmlns="http://www.tei-c.org/ns/1.0"> as the root element'
    elif kind == "SCHEMAV_ELEMENT_CONTENT" and "not expected" in detail:
        expected = _expected(detail)
        if elem_name.startswith("{"):
            rule = "schema-foreign-element"
            text = f"<{elem_name}> is not a TEI element and is not allowed here" + (f",{inside}" if inside else "")
            hint = "TEI documents of this project use only the TEI namespace; remove the element or its namespace"
        elif elem_name not in known:
            rule = "schema-unknown-element"
            text = f"<{elem_name}> is not an element of the project's TEI" + (f" (found{inside})" if inside else "")
            hint = "check the spelling (element names are case-sensitive); docs/encoding.md lists every element"
        else:
            rule = "schema-misplaced-element"
            text = f"<{elem_name}> is not allowed here" + (f",{inside}" if inside else "")
            hint = (f"expected here: {expected}; docs/encoding.md says where each element goes" if expected
                    else f"check the order of the elements: docs/encoding.md shows where <{elem_name}> goes")
    elif kind == "SCHEMAV_ELEMENT_CONTENT" and "Missing child" in detail:
        expected = _expected(detail, required=True)
        rule = "schema-missing-element"
        text = f"<{elem_name}> is incomplete: a required child element is missing"
        hint = f"add {expected}" if expected else "see docs/encoding.md for what it must contain"
    elif kind == "SCHEMAV_CVC_COMPLEX_TYPE_2_3" or "Character content" in detail:
        rule = "schema-text-not-allowed"
        text = f"<{elem_name}> may not contain text directly, only elements"
        hint = "put the words inside a p, item or other element, or remove them"
    elif kind in ("SCHEMAV_CVC_COMPLEX_TYPE_3_2_1", "SCHEMAV_CVC_COMPLEX_TYPE_3_2_2"):
        rule = "schema-attribute-not-allowed"
        text = f"<{elem_name}> does not take the attribute @{attr}"
        hint = "check the spelling, or remove it; docs/encoding.md lists the attributes of each element"
    elif kind == "SCHEMAV_CVC_COMPLEX_TYPE_4":
        missing = re.search(r"attribute '([^']+)'", detail)
        rule = "schema-attribute-missing"
        text = f"<{elem_name}> needs the attribute @{missing.group(1) if missing else '?'}"
        hint = "add it; docs/encoding.md shows an example"
    elif attr:
        vm, fm = _VALUE.match(detail), _FACET.match(detail)
        value = vm.group(1) if vm else (fm.group(2) if fm else "")
        if attr == "xml:id" and vm and _is_ncname(value):
            return None  # a duplicate xml:id: the rule id-unique reports it, with both places
        rule = "schema-bad-value"
        text = f"@{attr}='{value}' on <{elem_name}> is not a valid value"
        if fm and fm.group(1) == "enumeration":
            allowed = re.findall(r"'([^']*)'", fm.group(3))
            text += f": it must be one of {', '.join(allowed)}"
        hint = VALUE_HINTS.get(attr) or (
            "a pointer is '#id' (several are separated by spaces)" if attr in POINTER_ATTRIBUTES
            else "see docs/encoding.md for the values it takes")
    else:
        rule = "schema"
        text = raw

    return Message(kind="schema", severity=Severity.ERROR, text=text, file=name, hint=hint, rule=rule,
                   **where.where(el, entry.line))


#: Elements allowed almost anywhere; never what is missing.
_GLOBAL = {"note", "lb", "pb", "anchor", "gap"}


def _expected(detail: str, required: bool = False) -> str:
    """The element names libxml2 says it expected, as `<a>, <b>`; for a missing child, without the
    elements that may stand anywhere (they are never what is missing)."""
    m = _EXPECTED.search(detail)
    if not m:
        return ""
    names = [n.strip() for n in m.group(1).split(",") if n.strip()]
    if required and [n for n in names if n not in _GLOBAL]:
        names = [n for n in names if n not in _GLOBAL]
    return " or ".join(f"<{n}>" for n in names) if required else ", ".join(f"<{n}>" for n in names)


def _is_ncname(value: str) -> bool:
    return bool(re.fullmatch(r"[^\W\d][\w.\-]*", value)) and ":" not in value
