"""What every robustness test checks about a conversion, in one place: the fuzz targets, the
property tests and the hostile-input tests all use these helpers.

A conversion either fails with a `TrotskyTeiError` (one line, file named, a hint) or produces TEI
that is well-formed, valid against the project schema, lossless (its source reading gives back
every non-whitespace character of the source in order, with the source's paragraph breaks) and
deterministic. Anything else (any other exception) is a crash."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from lxml import etree

from trotsky_tei import read, safexml
from trotsky_tei.convert import convert_document, serialize
from trotsky_tei.export import export_tree
from trotsky_tei.messages import Message, Severity, TrotskyTeiError
from trotsky_tei.metadata import load_for

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "schemas" / "trotsky-tei.xsd"
_BREAK = re.compile(r"\n[ \t\u00a0]*\n\s*")
_SPACE = re.compile(r"\s+")


@functools.lru_cache(maxsize=1)
def _metadata() -> dict:
    return load_for(None)


def convert_text(text: str, name: str = "fuzz.txt") -> tuple[bytes, list[Message]]:
    """Convert decoded text to serialized TEI with the default metadata (no corpus files)."""
    tree, doc = convert_document(text, name, dict(_metadata()))
    return serialize(tree), list(doc.reporter.messages)


def convert_bytes(data: bytes, name: str = "fuzz.txt", encoding: str | None = None) -> tuple[bytes | None, str, TrotskyTeiError | None]:
    """Bytes -> (TEI bytes, decoded text, None) or (None, "", the one-line error)."""
    try:
        text = read.decode(data, name, encoding).text
        xml, _ = convert_text(text, name)
    except TrotskyTeiError as exc:
        assert_one_line_error(exc, name)
        return None, "", exc
    return xml, text, None


def assert_one_line_error(exc: TrotskyTeiError, name: str) -> None:
    msg = exc.message
    assert msg.file == name, f"error does not name the file: {msg.render()}"
    assert msg.text and "\n" not in msg.render(), f"error is not one line: {msg.render()!r}"
    assert msg.hint, f"error without a fix: {msg.render()}"
    assert exc.exit_code in (1, 2)


def paragraphs(text: str) -> list[str]:
    """Non-whitespace content of each blank-line-separated paragraph."""
    return [p for p in (_SPACE.sub("", chunk) for chunk in _BREAK.split(text)) if p]


def break_positions(text: str) -> set[int]:
    """Offsets (counted in non-whitespace characters) where a paragraph break falls."""
    out, pos = set(), 0
    for p in paragraphs(text)[:-1]:
        pos += len(p)
        out.add(pos)
    return out


def source_reading(xml: bytes) -> str:
    """The text export's source reading, with control pictures mapped back to the controls."""
    tree = safexml.parse_bytes(xml, "out.xml")
    return read.restore_controls(export_tree(tree, "text", reading="source").decode("utf-8"))


def assert_lossless(xml: bytes, source: str) -> None:
    """Every non-whitespace source character in order, and every source paragraph break kept."""
    reading = source_reading(xml)
    src = read.restore_controls(source)
    a, b = _SPACE.sub("", src), _SPACE.sub("", reading)
    if a != b:
        i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        raise AssertionError(f"source reading differs at non-space char {i}: source {a[i - 20:i + 40]!r} "
                             f"vs reading {b[i - 20:i + 40]!r}")
    missing = break_positions(src) - break_positions(reading)
    assert not missing, f"paragraph breaks lost at {sorted(missing)[:5]}"


@functools.lru_cache(maxsize=1)
def _schema() -> etree.XMLSchema:
    """The project grammar alone (libxml2), for documents the validator's API is not given."""
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def validate(xml: bytes) -> list[str]:
    """Errors of the project validator (schema and rules) on a document (empty when valid)."""
    from trotsky_tei.validate import validate_bytes

    return [m.render() for m in validate_bytes(xml, "out.xml") if m.severity >= Severity.ERROR][:5]


def assert_valid_tei(xml: bytes) -> None:
    errors = validate(xml)
    assert not errors, "\n".join(errors)


def assert_good_conversion(data: bytes, encoding: str | None = None, name: str = "fuzz.txt") -> bytes | None:
    """The full contract for one input; returns the TEI (or None when refused cleanly)."""
    xml, text, err = convert_bytes(data, name, encoding)
    if err is not None:
        return None
    etree.fromstring(xml)  # well-formed, no characters XML cannot hold
    assert_lossless(xml, text)
    assert_valid_tei(xml)
    again, _, _ = convert_bytes(data, name, encoding)
    assert again == xml, "two conversions of the same input differ"
    return xml


# --- fuzz entry points: one input each; a crash is any exception other than a clean refusal ----

def fuzz_convert_one(data: bytes) -> None:
    """Source bytes through the reader and the converter: refused cleanly, or good TEI.

    Bytes the UTF-8 policy refuses are also converted as latin-1 (every byte is a character), so
    that every input reaches the structure reader and the passes."""
    for encoding in (None, "latin-1"):
        xml, text, err = convert_bytes(data, encoding=encoding)
        if err is None:
            etree.fromstring(xml)
            assert_lossless(xml, text)
            assert_valid_tei(xml)
            return


_TAGS = ("p", "div", "head", "note", "choice", "sic", "corr", "persName", "date", "ref", "list", "item",
         "label", "opener", "closer", "dateline", "bibl", "title", "q", "lb", "supplied", "TEI", "text", "body",
         "x", "{urn:other}p")
_ATTRS = ("xml:id", "ref", "target", "when", "n", "type", "resp", "cert", "source", "rend", "place")
_VALUES = ("#d1", "#nobody", "d1", "1918-05-26", "not-a-date", "", " ", "#en1", "file:///etc/passwd",
           "http://127.0.0.1:9/", "\u2400", "99999999999999999999", "low", "brackets", "-1")


@functools.lru_cache(maxsize=1)
def _base_tei() -> bytes:
    return convert_text((Path(__file__).parent / "seeds" / "convert" / "order.txt").read_text("utf-8"))[0]


def mutate_tei(ops: bytes) -> bytes:
    """A valid TEI document damaged by `ops` (3 bytes per edit: what, which element, with what):
    elements deleted, moved, renamed, emptied, attributes set or removed, text inserted."""
    root = etree.fromstring(_base_tei())
    for i in range(0, len(ops) - 2, 3):
        op, a, b = ops[i], ops[i + 1], ops[i + 2]
        els = list(root.iter())
        el, other = els[a % len(els)], els[b % len(els)]
        kind = op % 7
        if kind == 0 and el is not root and el.getparent() is not None:
            el.getparent().remove(el)
        elif kind == 1 and el is not root and el not in other.iterancestors() and el is not other:
            other.append(el)
        elif kind == 2:
            tag = _TAGS[b % len(_TAGS)]
            el.tag = tag if tag.startswith("{") else f"{{http://www.tei-c.org/ns/1.0}}{tag}"
        elif kind == 3:
            name = _ATTRS[b % len(_ATTRS)]
            el.set("{http://www.w3.org/XML/1998/namespace}id" if name == "xml:id" else name,
                   _VALUES[(a + b) % len(_VALUES)])
        elif kind == 4:
            for k in list(el.attrib)[: 1 + b % 3]:
                del el.attrib[k]
        elif kind == 5:
            el.text = (el.text or "") + _VALUES[b % len(_VALUES)]
        else:
            for child in list(el):
                el.remove(child)
            el.text = None
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True)


def _check_xml(data: bytes) -> None:
    from trotsky_tei.validate import validate_bytes

    for m in validate_bytes(data, "fuzz.xml"):
        assert m.file == "fuzz.xml" and "\n" not in m.render(), m.render()
    try:
        tree = safexml.parse_bytes(data, "fuzz.xml")
    except TrotskyTeiError as exc:
        assert_one_line_error(exc, "fuzz.xml")
        return
    for target, reading in (("text", "source"), ("text", "corrected"), ("html", None), ("json", None)):
        try:
            export_tree(tree, target, reading=reading)
        except TrotskyTeiError as exc:
            assert exc.message.hint and "\n" not in exc.message.render()


def fuzz_xml_one(data: bytes) -> None:
    """What `validate` and `export` do with a file they are given: the bytes themselves, and a
    valid TEI document damaged by edits the bytes describe. Findings are messages, refusals are
    one line; nothing raises."""
    _check_xml(data)
    _check_xml(mutate_tei(data[:300]))
