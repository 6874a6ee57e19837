"""`trotsky-tei validate` and the validation API: layers, messages, reports, exit codes, safety."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from trotsky_tei import safexml, validate
from trotsky_tei.cli import main
from trotsky_tei.messages import Severity

ROOT = Path(__file__).resolve().parent.parent
PROFILE = ROOT / "tests" / "fixtures" / "profile.xml"
INVALID = ROOT / "tests" / "invalid"
TEI_ALL = ROOT.parent / "shared" / "tei" / "tei_all.rng"


def run(*args: str):
    return CliRunner().invoke(main, ["validate", *args], catch_exceptions=False)


def profile_with(old: str, new: str) -> bytes:
    text = PROFILE.read_text("utf-8")
    assert old in text
    return text.replace(old, new, 1).encode("utf-8")


# ---------------------------------------------------------------- API


def test_valid_document_has_no_errors():
    found = validate.validate_file(PROFILE)
    assert not [m for m in found if m.severity >= Severity.ERROR]
    # the profile keeps one endnote without a reference on purpose: a warning, not an error
    assert [m.rule for m in found] == ["endnote-unreferenced"]


def test_converted_corpus_passes(corpus_tree):
    """What the converter writes is valid: no errors from any layer."""
    found = validate.validate_tree(corpus_tree, "corpus.xml")
    assert not [m.render() for m in found if m.severity >= Severity.ERROR]


def test_committed_edition_and_authority_files_pass():
    files = sorted((ROOT / "corpus" / "tei").glob("*.xml")) + sorted((ROOT / "corpus" / "authority").glob("*.xml"))
    assert len(files) >= 2
    found = validate.validate_files(files)
    assert not [m.render() for m in found if m.severity >= Severity.ERROR]


def test_layers_are_reported_separately():
    data = profile_with("<hi rend=\"italic\">all</hi>", "<hi rend=\"italic\" color=\"red\">all</hi>")
    data = data.replace(b'<persName ref="#neubert">', b'<persName ref="#nobody">')
    found = validate.validate_bytes(data, "two.xml")
    kinds = {(m.kind, m.rule) for m in found if m.severity >= Severity.ERROR}
    assert kinds == {("schema", "schema-attribute-not-allowed"), ("rules", "ref-unresolved")}


def test_message_carries_place_path_and_hint():
    data = profile_with('<date when="1918-05-29">May 29, 1918</date></dateline>',
                        '<date when="1918-07-29">May 29, 1918</date></dateline>')
    (m,) = [m for m in validate.validate_bytes(data, "d.xml") if m.rule == "date-month"]
    line = data.decode().splitlines()[m.line - 1]
    assert line[m.column - 1:].startswith("<date when=\"1918-07-29\"")
    assert m.xpath == "/TEI/text/body/div[1]/opener/dateline/date"
    assert "May" in m.text and "1918-07-29" in m.text
    assert m.hint
    assert m.render().startswith(f"d.xml:{m.line}:{m.column}: error: ")
    assert m.render().endswith("[date-month]")


@pytest.mark.parametrize("written,when,ok", [
    ("June 13, 1918", "1918-06-13", True),
    ("13 June 1918", "1918-06-13", True),
    ("June 1918", "1918-06", True),
    ("June", "1918-06-13", True),            # nothing written to compare the day or year with
    ("the end of March", "1918-03", True),
    ("June 13, 1918", "1918-07-13", False),
    ("June 3", "1918-06-30", False),
    ("30 June", "1918-06-03", False),
    ("June 13, 1918", "1919-06-13", False),
])
def test_written_date_agrees_with_its_value(written, when, ok):
    data = profile_with('<date when="1918-05-29">May 29, 1918</date></dateline>',
                        f'<date when="{when}">{written}</date></dateline>')
    rules = {m.rule for m in validate.validate_bytes(data, "d.xml") if m.severity >= Severity.ERROR}
    assert (not rules) == ok, rules


def test_old_style_date_is_compared_with_its_custom_value():
    """January 1 (O.S.) is 14 January in the Gregorian calendar: @when differs from the text, and
    that is right; @when-custom must agree with it."""
    assert not [m for m in validate.validate_file(PROFILE) if m.rule.startswith("date-")]


def test_tree_without_source_still_validates():
    tree = safexml.parse_bytes(profile_with('xml:id="d2"', 'xml:id="d1"'))
    found = [m for m in validate.validate_tree(tree, "mem.xml") if m.rule == "id-unique"]
    assert len(found) == 2 and all(m.line and m.column == 0 for m in found)


def test_warm_compiles_what_validation_then_runs():
    # workers fork after `warm`: a schema it compiled under another cache key was compiled
    # again by every worker on its first document
    from trotsky_tei.validate import grammar, rules

    validate.warm()
    before = grammar._compiled.cache_info().misses, rules._compiled.cache_info().misses
    assert validate.validate_file(PROFILE)
    assert (grammar._compiled.cache_info().misses, rules._compiled.cache_info().misses) == before
    assert grammar.load() is grammar.load(None) is grammar.load(str(grammar.schema_path("trotsky-tei.xsd")))
    assert rules.load() is rules.load(None)


def test_parallel_gives_the_same_messages_in_the_same_order():
    files = sorted(INVALID.glob("rule-*.xml"))[:12] + [PROFILE]
    assert validate.validate_files(files, jobs=2) == validate.validate_files(files, jobs=1)


def test_files_as_they_finish():
    seen = []
    validate.validate_files([PROFILE, INVALID / "wf-empty.xml"], on_file=lambda p, ms: seen.append((p, len(ms))))
    assert seen == [(str(PROFILE), 1), (str(INVALID / "wf-empty.xml"), 1)]


def test_tei_all_layer():
    """`tei_all` adds full TEI conformance: a document valid for the project is valid TEI, and what
    TEI forbids is reported by both schemas at the same place."""
    assert not [m for m in validate.validate_file(PROFILE, tei_all=TEI_ALL) if m.kind == "tei-all"]
    found = validate.validate_file(INVALID / "schema-bibl-after-closer.xml", tei_all=TEI_ALL)
    lines = {m.kind: m.line for m in found}
    assert lines["tei-all"] == lines["schema"] > 0


# ---------------------------------------------------------------- safety


def test_oversized_file_is_refused_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "big.xml"
    big.write_bytes(PROFILE.read_bytes())
    monkeypatch.setattr(safexml, "MAX_BYTES", 1000)
    (m,) = validate.validate_file(big)
    assert m.rule == "xml-too-large" and m.severity == Severity.ERROR


def test_unreadable_inputs_are_messages_not_tracebacks(tmp_path):
    assert [m.rule for m in validate.validate_file(tmp_path / "missing.xml")] == ["io"]
    assert [m.rule for m in validate.validate_file(tmp_path)] == ["io"]


def test_unclosed_tag_names_where_it_was_opened():
    path = INVALID / "wf-unclosed-tag.xml"
    opened = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "<p>Soldiers" in text)
    (m,) = validate.validate_file(path)
    assert f"<p> opened at line {opened} is not closed before </div>" in m.text


def test_file_is_never_modified(tmp_path):
    doc = tmp_path / "doc.xml"
    shutil.copyfile(INVALID / "rule-date-month.xml", doc)
    before = doc.read_bytes()
    run(str(doc))
    assert doc.read_bytes() == before


# ---------------------------------------------------------------- command line


def test_cli_valid_file_exits_0_with_summary():
    result = run(str(PROFILE))
    assert result.exit_code == 0
    assert result.output.strip().splitlines()[-1] == "1 file checked: 1 valid, 0 invalid; 0 errors, 1 warning"


def test_cli_invalid_file_exits_1_with_located_message():
    path = INVALID / "rule-date-month.xml"
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "<head>To all units" in text)
    result = run(str(path))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{path}:{line}:29: error: written month 'June' does not agree")
    assert lines[0].endswith("[date-month]")
    assert lines[1] == "    at /TEI/text/body/div[1]/head/date"
    assert lines[2].startswith("    hint: ")
    assert lines[-1].startswith("1 file checked: 0 valid, 1 invalid; 1 error")


def test_cli_quiet_hides_warnings_but_counts_them():
    result = run("-q", str(PROFILE))
    assert result.exit_code == 0
    assert result.output.splitlines() == ["1 file checked: 1 valid, 0 invalid; 0 errors, 1 warning"]


def test_cli_directory_and_json(tmp_path):
    for name in ("rule-date-day.xml", "schema-cert-word.xml", "wf-binary.xml"):
        shutil.copyfile(INVALID / name, tmp_path / name)
    shutil.copyfile(PROFILE, tmp_path / "sub.xml")
    (tmp_path / "notes.txt").write_text("not validated")
    result = run("--format", "json", "-j", "2", str(tmp_path))
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["summary"] == {"files": 4, "valid": 1, "invalid": 3, "unreadable": 0, "errors": 3, "warnings": 1}
    assert [f["file"] for f in data["files"]] == sorted(str(p) for p in tmp_path.glob("*.xml"))
    rules = {m["rule"] for m in data["messages"]}
    assert rules == {"date-day", "schema-bad-value", "xml-binary", "endnote-unreferenced"}
    for m in data["messages"]:
        assert set(m) == {"kind", "severity", "text", "file", "line", "column", "xpath", "hint", "rule"}


def test_cli_unreadable_input_exits_2(tmp_path):
    result = run(str(PROFILE), str(tmp_path / "missing.xml"))
    assert result.exit_code == 2
    assert f"{tmp_path / 'missing.xml'}: error: no such file or directory [io]" in result.output


def test_cli_empty_directory_exits_2(tmp_path):
    assert run(str(tmp_path)).exit_code == 2


def test_cli_usage_errors_exit_2(tmp_path):
    not_rng = tmp_path / "tei_all.rng"
    not_rng.write_text("<schema/>")
    result = CliRunner().invoke(main, ["validate", "--tei-all", str(not_rng), str(PROFILE)])
    assert result.exit_code == 2 and "not a RELAX NG schema" in result.output
    assert CliRunner().invoke(main, ["validate", "--tei-all", str(tmp_path / "none.rng"), str(PROFILE)]).exit_code == 2
    assert CliRunner().invoke(main, ["validate"]).exit_code == 2
    assert CliRunner().invoke(main, ["validate", "--format", "yaml", str(PROFILE)]).exit_code == 2
    assert CliRunner().invoke(main, ["validate", "-j", "-1", str(PROFILE)]).exit_code == 2


def test_cli_hostile_inputs_are_one_line_each(tmp_path):
    names = ["wf-billion-laughs.xml", "wf-external-entity.xml", "wf-too-deep.xml", "wf-not-xml.xml", "wf-empty.xml"]
    result = run(*(str(INVALID / n) for n in names))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    firsts = [line for line in result.output.splitlines() if ": error: " in line]
    assert len(firsts) == len(names)


def test_columns_on_a_document_written_on_one_line():
    """Many findings on one long line each get their own column (non-ASCII text before them)."""
    names = "".join(f'é<persName ref="#nobody{i}">N</persName>' for i in range(50))
    one = PROFILE.read_text("utf-8").replace("<p>Plain text to TEI.</p>", f"<p>{names}</p>").replace("\n", " ")
    found = [m for m in validate.validate_bytes(one.encode("utf-8"), "one.xml") if m.rule == "ref-unresolved"]
    assert len(found) == 50 and {m.line for m in found} == {1}
    for i, m in enumerate(found):
        assert one[m.column - 1:].startswith(f'<persName ref="#nobody{i}">')
        assert m.xpath.endswith(f"/persName[{i + 1}]")


@pytest.mark.parametrize("data,says", [
    (b"<TEI>&nbsp;</TEI>", "undefined entity &nbsp;"),
    (b"<TEI><p>a & b</p></TEI>", "a bare '&' in the text"),
    (b"<TEI><p>x</p>", "the file ends before <TEI> opened at line 1 is closed"),
    (b"<TEI/><TEI/>", "after the end of the root element"),
    (b'<TEI n="1" n="2"/>', "the attribute n is written twice"),
    (b"<TEI n=1/>", "an attribute value without quotes"),
])
def test_common_syntax_errors_are_explained(data, says):
    (m,) = validate.validate_bytes(data, "x.xml")
    assert m.kind == "well-formed" and m.rule == "xml-syntax" and m.line == 1
    assert says in m.text and m.hint


def test_conversions_of_unseen_texts_pass(tei_all):
    """Texts of the same kind the toolkit was not built on (every development and held-out gold
    text) convert to documents the schema, the rules and full TEI P5 accept (no rule is keyed
    to the corpus)."""
    from trotsky_tei.convert import convert_file

    texts = sorted(p for p in (ROOT / "tests" / "gold").glob("*/*.txt") if p.parent.name != "corpus")
    assert len(texts) >= 40
    for path in texts:
        tree = convert_file(path)
        found = validate.validate_tree(tree, path.name)
        assert not [m.render() for m in found if m.severity >= Severity.ERROR], path
        assert tei_all.validate(tree), (path, str(tei_all.error_log.last_error))


def test_lines_past_65535_are_right_in_rule_messages():
    """libxml2 keeps lines past 65535 in a field of the text nodes that libxslt clears at the end
    of a transformation that built keys: the rules read each finding's line while they run."""
    data = (ROOT / "corpus" / "tei" / "1918-czechoslovak-mutiny.xml").read_bytes()
    short = validate.validate_bytes(data, "short.xml")
    at = data.index(b"<body>") + len(b"<body>")
    long = validate.validate_bytes(data[:at] + b"\n" * 70_000 + data[at:], "long.xml")
    assert short and len(long) == len(short)
    for a, b in zip(short, long):
        assert (b.rule, b.xpath, b.column) == (a.rule, a.xpath, a.column)
        assert b.line == a.line + 70_000 > 65_535
