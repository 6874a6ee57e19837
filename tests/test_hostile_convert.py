"""Hostile text inputs through `trotsky-tei convert`: each converts to valid, lossless TEI or fails
with one line naming the file and the fix; never a traceback; exit codes 0/1/2; no partial output;
inputs never modified."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from fuzz.targets import assert_lossless, assert_valid_tei

from trotsky_tei.cli import main

TEXT = ("ORDER No. 31\n\nTo the Czechoslovak corps at Penza, 25 May 1918.\n\n"
        "All Soviets are ordered [1] to disarm the echelons \u201cat once\u201d.\n\n"
        "  1. Every armed Czechoslovak is to be shot on the spot.\n  2. The order is final.\n\n"
        "L. Trotsky\n\n1. See the telegram of the Penza Soviet.\n")


def run(args: list[str], stdin: bytes | None = None):
    result = CliRunner().invoke(main, args, input=stdin, catch_exceptions=True)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), (
        f"crash: {result.exception!r}")
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    assert result.exit_code in (0, 1, 2)
    return result


def convert(tmp_path: Path, data: bytes, *extra: str, name: str = "in.txt"):
    src = tmp_path / name
    src.write_bytes(data)
    out = tmp_path / "out.xml"
    result = run(["convert", str(src), "-o", str(out), *extra])
    return result, src, out


def ok(tmp_path: Path, data: bytes, *extra: str, expect_source: str):
    result, src, out = convert(tmp_path, data, *extra)
    assert result.exit_code == 0, result.stderr
    xml = out.read_bytes()
    assert_valid_tei(xml)
    assert_lossless(xml, expect_source)
    assert src.read_bytes() == data
    return result, xml


def refused(tmp_path: Path, data: bytes, *extra: str, code: int = 1):
    result, src, out = convert(tmp_path, data, *extra)
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(src) in lines[0] and "hint:" in lines[0]
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    return lines[0]


@pytest.mark.parametrize("data", [b"", b" \n\t\n", b"\r\n\r\n"])
def test_empty_and_whitespace_only(tmp_path, data):
    assert "empty" in refused(tmp_path, data) or "whitespace" in refused(tmp_path, data)


def test_binary(tmp_path):
    assert "binary" in refused(tmp_path, b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 50)


def test_nul_bytes_are_kept_as_control_pictures(tmp_path):
    data = TEXT.replace("final", "fi\x00nal").encode()
    result, xml = ok(tmp_path, data, expect_source=TEXT.replace("final", "fi\x00nal"))
    assert "\u2400".encode() in xml
    assert "U+0000" in result.stderr and "warning" in result.stderr


def test_control_characters(tmp_path):
    source = TEXT.replace("ORDER", "\x0cORDER").replace("Penza", "Pen\x07za").replace("once", "once\x1b")
    result, xml = ok(tmp_path, source.encode(), expect_source=source)
    assert result.stderr.count("cannot be stored in XML") == 3


def test_cp1252_is_refused_with_a_hint_then_converts(tmp_path):
    data = TEXT.encode("cp1252")
    line = refused(tmp_path, data)
    assert "not UTF-8" in line and "--encoding cp1252" in line
    ok(tmp_path, data, "--encoding", "cp1252", expect_source=TEXT)


def test_latin1(tmp_path):
    source = TEXT.replace("\u201c", '"').replace("\u201d", '"').replace("Penza", "P\xe9nza")
    data = source.encode("latin-1")
    assert "--encoding" in refused(tmp_path, data)
    ok(tmp_path, data, "--encoding", "latin-1", expect_source=source)


@pytest.mark.parametrize("codec", ["utf-16", "utf-32"])
def test_utf16_utf32_with_bom(tmp_path, codec):
    ok(tmp_path, TEXT.encode(codec), expect_source=TEXT)


def test_utf8_with_bom(tmp_path):
    _, xml = ok(tmp_path, codecs.BOM_UTF8 + TEXT.encode(), expect_source=TEXT)
    assert "\ufeff".encode() not in xml


@pytest.mark.parametrize("eol", ["\r\n", "\r"])
def test_crlf_and_lone_cr(tmp_path, eol):
    ok(tmp_path, TEXT.replace("\n", eol).encode(), expect_source=TEXT)


def test_unknown_encoding_is_a_usage_error(tmp_path):
    refused(tmp_path, TEXT.encode(), "--encoding", "klingon", code=2)


@pytest.mark.parametrize("body", [
    "An [unbalanced bracket that never closes.\n\nNext paragraph.",
    "Closing] without opening ] twice.",
    "Nested [outer [inner [deepest] inner] outer] text.",
    "[[[[[[[[[[ ten opening brackets",
    "Stray note markers [999] and [0] and [12a] with no endnotes.",
    "Brackets across paragraphs [start here\n\nand end here] later.",
    "Empty brackets [] and [ ] and a lone [",
])
def test_brackets(tmp_path, body):
    ok(tmp_path, f"{body}\n".encode(), expect_source=f"{body}\n")


def test_stray_note_marker_is_reported(tmp_path):
    result, _ = ok(tmp_path, b"The order [999] stands.\n", expect_source="The order [999] stands.\n")
    assert "999" in result.stderr


def test_ten_megabyte_single_line(tmp_path):
    source = "word " * (2 * 1024 * 1024)
    ok(tmp_path, source.encode(), expect_source=source)


def test_a_million_blank_lines(tmp_path):
    source = "first paragraph\n" + "\n" * 1_000_000 + "last paragraph\n"
    ok(tmp_path, source.encode(), expect_source=source)


def test_output_equal_to_input_is_refused(tmp_path):
    src = tmp_path / "in.txt"
    src.write_bytes(TEXT.encode())
    before = src.stat().st_mtime_ns
    result = run(["convert", str(src), "-o", str(src)])
    assert result.exit_code == 2 and "input" in result.stderr
    assert src.read_bytes() == TEXT.encode() and src.stat().st_mtime_ns == before


def test_read_only_input_is_read_and_untouched(tmp_path):
    src = tmp_path / "in.txt"
    src.write_bytes(TEXT.encode())
    src.chmod(0o444)
    before = (src.stat().st_mtime_ns, src.stat().st_mode)
    result = run(["convert", str(src), "-o", str(tmp_path / "out.xml")])
    assert result.exit_code == 0, result.stderr
    assert src.read_bytes() == TEXT.encode()
    assert (src.stat().st_mtime_ns, src.stat().st_mode) == before


def test_failed_run_leaves_previous_output(tmp_path):
    out = tmp_path / "out.xml"
    out.write_bytes(b"<previous/>")
    src = tmp_path / "in.txt"
    src.write_bytes(TEXT.encode("cp1252"))
    result = run(["convert", str(src), "-o", str(out)])
    assert result.exit_code == 1
    assert out.read_bytes() == b"<previous/>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt", "out.xml"]


def test_missing_source(tmp_path):
    result = run(["convert", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "out.xml")])
    assert result.exit_code in (1, 2) and "nope.txt" in result.stderr
    assert not (tmp_path / "out.xml").exists()


def test_stdin(tmp_path):
    result = run(["convert", "-"], stdin=TEXT.encode())
    assert result.exit_code == 0, result.stderr
    assert_valid_tei(result.stdout_bytes)
    assert_lossless(result.stdout_bytes, TEXT)


def test_deterministic(tmp_path):
    _, first = ok(tmp_path, TEXT.encode(), expect_source=TEXT)
    os.utime(tmp_path / "in.txt", (0, 0))
    _, second = ok(tmp_path, TEXT.encode(), expect_source=TEXT)
    assert first == second


def test_file_name_that_is_not_utf8(tmp_path):
    src = Path(os.fsdecode(bytes(tmp_path) + b"/\xff-order.txt"))
    src.write_bytes(TEXT.encode())
    out = tmp_path / "out.xml"
    result = run(["convert", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert_valid_tei(out.read_bytes())
    assert "\ufffd-order".encode() in out.read_bytes()
