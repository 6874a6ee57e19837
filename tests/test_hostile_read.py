"""Hostile source bytes at the reader: every case decodes to text XML can hold, or fails with one
error that names the file, the place and the fix."""

from __future__ import annotations

import codecs

import pytest
from lxml import etree

from trotsky_tei import read
from trotsky_tei.messages import Reporter, Severity, TrotskyTeiError

PARA = "Comrades! The Czechoslovak corps at Penza, 26 May 1918, must be disarmed.\n\nSecond paragraph.\n"


def _err(data: bytes, encoding: str | None = None) -> TrotskyTeiError:
    with pytest.raises(TrotskyTeiError) as info:
        read.decode(data, "in.txt", encoding)
    exc = info.value
    assert exc.message.file == "in.txt"
    assert exc.message.hint, "every refusal says what to do"
    assert "\n" not in exc.message.render()
    return exc


def _xml_safe(text: str) -> None:
    """lxml refuses any string an XML document cannot hold."""
    el = etree.Element("p")
    el.text = text
    assert etree.fromstring(etree.tostring(el)).text == text


@pytest.mark.parametrize("data", [b"", b"   ", b"\n\n\n", b" \t\r\n \r\n", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n \n"])
def test_empty_and_whitespace_only_are_refused(data):
    exc = _err(data)
    assert exc.message.kind == "empty"
    assert exc.exit_code == 1


def test_binary_data_is_refused():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40
    exc = _err(png)
    assert exc.message.kind == "binary"
    assert "binary" in exc.message.text


def test_random_bytes_never_traceback():
    rnd = bytes((i * 7919 + 13) % 256 for i in range(5000))
    exc = _err(rnd)
    assert exc.message.kind in {"binary", "encoding"}


def test_stray_nul_is_kept_as_a_control_picture_with_a_warning():
    d = read.decode(b"before\x00after\n", "in.txt")
    assert d.text == "before\u2400after\n"
    assert [m.kind for m in d.messages] == ["control-character"]
    m = d.messages[0]
    assert m.severity == Severity.WARNING and (m.line, m.column) == (1, 7)
    assert "U+0000" in m.text and "U+2400" in m.text
    _xml_safe(d.text)
    assert read.restore_controls(d.text) == "before\x00after\n"


def test_many_nuls_mean_binary():
    exc = _err(b"a\x00" * 500)
    assert exc.message.kind in {"binary", "encoding"}


def test_every_control_character_round_trips_through_its_picture():
    controls = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r")
    source = "start " + " ".join(controls) + " end " + "x" * 4000
    d = read.decode(source.encode(), "in.txt")
    _xml_safe(d.text)
    assert read.restore_controls(d.text) == source
    # one warning per kind of character, not per occurrence
    assert len(d.messages) == len(controls)


def test_repeated_control_reports_count_and_first_place():
    rep = Reporter(file="in.txt")
    text = read.decode_source(b"line one\nA\x07B\x07C" + b" words" * 200, "in.txt", reporter=rep)
    assert text.startswith("line one\nA\u2407B\u2407C")
    [m] = rep.messages
    assert (m.line, m.column) == (2, 2) and "2 times" in m.text


def test_controls_together_with_control_pictures_are_refused():
    exc = _err("a \u2407 b \x07 c".encode())
    assert exc.message.kind == "control-ambiguous"


def test_control_pictures_alone_are_plain_text():
    d = read.decode("the symbol \u2400 stands for NUL".encode(), "in.txt")
    assert d.text == "the symbol \u2400 stands for NUL" and not d.messages


@pytest.mark.parametrize("ch", ["\ufffe", "\uffff"])
def test_noncharacters_are_refused_with_position(ch):
    exc = _err(f"ok\nbad {ch} here".encode())
    assert exc.message.kind == "forbidden-character"
    assert (exc.message.line, exc.message.column) == (2, 5)


def test_cp1252_curly_quotes_are_refused_with_the_hint():
    data = "He said \u201cdisarm\u201d \u2013 at once.".encode("cp1252")
    assert b"\x93" in data
    exc = _err(data)
    assert exc.message.kind == "encoding"
    assert "not UTF-8" in exc.message.text and "0x93" in exc.message.text
    assert exc.message.hint == "try --encoding cp1252"
    assert (exc.message.line, exc.message.column) == (1, 9)


def test_cp1252_with_encoding_option_decodes():
    data = "He said \u201cdisarm\u201d \u2013 at once.".encode("cp1252")
    assert read.decode(data, "in.txt", "cp1252").text == "He said \u201cdisarm\u201d \u2013 at once."


def test_latin1_bytes_cp1252_cannot_decode_suggest_latin1():
    data = "x \x81 y".encode("latin-1")  # 0x81 is undefined in cp1252
    exc = _err(data)
    assert exc.message.hint == "try --encoding latin-1"
    d = read.decode(data, "in.txt", "latin-1")
    assert d.text == "x \x81 y"
    assert [m.kind for m in d.messages] == ["c1-control"]
    assert "cp1252" in d.messages[0].hint


def test_latin1_text_with_encoding_option():
    assert read.decode("Tomsk, Omsk, Ufa \xe0 \xe9".encode("latin-1"), "in.txt", "latin-1").text == "Tomsk, Omsk, Ufa \xe0 \xe9"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_bom(codec):
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
           "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}.get(codec, b"")
    data = bom + PARA.encode(codec)
    d = read.decode(data, "in.txt")
    assert d.text == PARA and d.bom


def test_utf16_without_bom_is_refused_with_hint():
    exc = _err(PARA.encode("utf-16-le"))
    assert exc.message.hint == "try --encoding utf-16-le"
    assert read.decode(PARA.encode("utf-16-le"), "in.txt", "utf-16-le").text == PARA


def test_damaged_utf16_after_bom():
    data = codecs.BOM_UTF16_LE + "ok".encode("utf-16-le") + b"\x00\xd8"  # lone high surrogate
    exc = _err(data)
    assert exc.message.kind == "encoding" and "UTF-16" in exc.message.text


def test_utf8_bom_is_dropped():
    assert read.decode(codecs.BOM_UTF8 + PARA.encode(), "in.txt").text == PARA
    assert read.decode(codecs.BOM_UTF8 + PARA.encode(), "in.txt", "utf-8").text == PARA


def test_bom_contradicting_encoding_option_is_a_usage_error():
    exc = _err(codecs.BOM_UTF16_LE + PARA.encode("utf-16-le"), "cp1252")
    assert exc.exit_code == 2 and "byte-order mark" in exc.message.text


@pytest.mark.parametrize("name", ["no-such-codec", "rot13", "base64"])
def test_bad_encoding_names_are_usage_errors(name):
    exc = _err(PARA.encode(), name)
    assert exc.exit_code == 2


def test_lone_surrogates_from_permissive_codecs_are_refused():
    exc = _err(b"a \\ud800 b", "unicode_escape")
    assert exc.message.kind == "forbidden-character"


@pytest.mark.parametrize("data", [b"a\r\nb\r\n\r\nc\r\n", b"a\rb\r\rc\r", b"a\r\nb\n\rc\r"])
def test_crlf_and_lone_cr_become_lf(data):
    text = read.decode(data, "in.txt").text
    assert "\r" not in text
    assert text.replace("\n", "") == "abc"
    assert text.count("\n") == data.count(b"\n") + data.replace(b"\r\n", b"").count(b"\r")


def test_ten_megabyte_single_line():
    data = b"word " * (2 * 1024 * 1024)
    text = read.decode(data, "in.txt").text
    assert len(text) == len(data) and "\n" not in text


def test_a_million_blank_lines():
    data = b"first\n" + b"\n" * 1_000_000 + b"last\n"
    text = read.decode(data, "in.txt").text
    assert text.count("\n") == 1_000_002


def test_c1_controls_in_utf8_warn_of_mojibake():
    d = read.decode("quote \x93here\x94".encode(), "in.txt")
    assert [m.kind for m in d.messages] == ["c1-control"]
    _xml_safe(d.text)


def test_read_source_names_the_file(tmp_path):
    p = tmp_path / "doc.txt"
    p.write_bytes(PARA.encode())
    assert read.read_source(p) == (PARA, str(p))


def test_read_source_missing_and_directory(tmp_path):
    for path, kind in ((tmp_path / "nope.txt", "io"), (tmp_path, "io")):
        with pytest.raises(TrotskyTeiError) as info:
            read.read_source(path)
        assert info.value.message.kind == kind and info.value.message.file == str(path)


def test_read_source_unreadable(tmp_path, monkeypatch):
    p = tmp_path / "secret.txt"
    p.write_bytes(PARA.encode())

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(p), "open", denied)  # also applies to root, who may read anything
    with pytest.raises(TrotskyTeiError) as info:
        read.read_source(p)
    assert "permission" in info.value.message.text


def test_read_only_input_reads_and_is_untouched(tmp_path):
    p = tmp_path / "doc.txt"
    p.write_bytes(PARA.encode())
    p.chmod(0o444)
    before = p.stat()
    assert read.read_source(p)[0] == PARA
    after = p.stat()
    assert (before.st_mtime_ns, before.st_size, before.st_mode) == (after.st_mtime_ns, after.st_size, after.st_mode)


def test_oversized_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(read, "MAX_BYTES", 100)
    p = tmp_path / "big.txt"
    p.write_bytes(b"x" * 101)
    with pytest.raises(TrotskyTeiError) as info:
        read.read_source(p)
    assert info.value.message.kind == "too-large"
