"""The invalid-document suite: every file in tests/invalid/ breaks one thing, and `validate`
must say so with the right rule id, severity and line (tests/invalid/manifest.toml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from trotsky_tei.messages import Severity
from trotsky_tei.validate import validate_file

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

INVALID = Path(__file__).resolve().parent / "invalid"
MANIFEST = tomllib.loads((INVALID / "manifest.toml").read_text("utf-8"))


def test_suite_is_large_and_fully_described():
    files = {p.name for p in INVALID.glob("*.xml")}
    assert len(files) >= 40
    assert files == set(MANIFEST), "every tests/invalid/*.xml needs an entry in manifest.toml and vice versa"
    layers = {entry["layer"] for entry in MANIFEST.values()}
    assert layers == {"well-formed", "schema", "rules"}


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_invalid_document_reports_its_fault(name):
    expected = MANIFEST[name]
    messages = validate_file(INVALID / name)
    hits = [m for m in messages if m.rule == expected["rule"]]
    assert hits, f"{name}: no [{expected['rule']}] message; got {[m.render() for m in messages]}"
    at_line = [m for m in hits if m.line == expected["line"]]
    assert at_line, f"{name}: [{expected['rule']}] reported at lines {[m.line for m in hits]}, expected {expected['line']}"
    m = at_line[0]
    assert str(m.severity) == expected["severity"]
    assert m.kind == expected["layer"]
    assert m.file == str(INVALID / name)
    assert m.text and m.hint, "every message says what is wrong and what to do"
    if expected["layer"] != "well-formed":
        assert m.xpath.startswith("/"), "schema and rule messages name the element"
        assert m.column > 0
    if expected["severity"] == "warning":
        assert not [x for x in messages if x.severity >= Severity.ERROR], "a warning alone leaves the file valid"


@pytest.mark.parametrize("name", sorted(n for n, e in MANIFEST.items() if e["layer"] == "rules"))
def test_rule_documents_are_otherwise_schema_valid(name):
    """Each rule document breaks a rule, not the grammar: the schema layer is silent."""
    assert not [m.render() for m in validate_file(INVALID / name) if m.kind == "schema"]


def test_the_comment_in_each_document_matches_the_manifest():
    for name, entry in MANIFEST.items():
        data = (INVALID / name).read_bytes()
        if data.startswith(b"<?xml"):
            assert f"Expected: {entry['rule']} ({entry['severity']}) at line {entry['line']}.".encode() in data, name
