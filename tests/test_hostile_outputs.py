"""Outputs are written atomically and inputs are never modified."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from trotsky_tei import io
from trotsky_tei.messages import TrotskyTeiError


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_write_atomic_creates_and_replaces(tmp_path):
    out = tmp_path / "sub" / "out.xml"
    io.write_atomic(out, b"first")
    io.write_atomic(out, b"second")
    assert out.read_bytes() == b"second"
    assert _leftovers(out.parent) == []


def test_new_files_follow_the_umask_not_mkstemp(tmp_path):
    old = os.umask(0o022)
    try:
        io.write_atomic(tmp_path / "out.xml", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.xml").stat().st_mode) == 0o644


def test_replacing_keeps_the_previous_mode(tmp_path):
    out = tmp_path / "out.xml"
    out.write_bytes(b"old")
    out.chmod(0o640)
    io.write_atomic(out, b"new")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_failed_write_leaves_previous_output_and_no_partial_file(tmp_path, monkeypatch):
    out = tmp_path / "out.xml"
    out.write_bytes(b"previous")

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(TrotskyTeiError) as info:
        io.write_atomic(out, b"new content")
    assert "No space left" in info.value.message.text and info.value.message.file == str(out)
    assert out.read_bytes() == b"previous"
    assert _leftovers(tmp_path) == []


def test_a_failed_write_that_is_not_flushed_leaves_no_partial_file_either(tmp_path):
    """`durable=False` (a build's outputs) leaves out only the fsync: a writer that fails half
    way still leaves the previous output and no temporary file."""
    out = tmp_path / "out.xml"
    out.write_bytes(b"previous")

    def pieces():
        yield b"half"
        raise OSError(28, "No space left on device")

    with pytest.raises(TrotskyTeiError):
        io.write_atomic(out, pieces(), durable=False)
    assert out.read_bytes() == b"previous" and _leftovers(tmp_path) == []


def test_a_build_flushes_its_record_not_every_output(tmp_path, monkeypatch):
    """A build's outputs can be made again (its record checks their sizes and times before it
    trusts them): they are renamed into place without an fsync each; the record and the index
    page, written once a build, are flushed."""
    from trotsky_tei.build import available_outputs, build_corpus
    from trotsky_tei.manifest import MANIFEST

    corpus = tmp_path / "corpus"
    (corpus / "source").mkdir(parents=True)
    for i in range(3):
        (corpus / "source" / f"order{i}.txt").write_text(
            f"ORDER No. {i}\n\nTo all troops at Samara.\n\nL. Trotsky\nMoscow, May 30, 1918\n", encoding="utf-8")
    synced: list[str] = []
    real = os.fsync

    def fsync(fd):
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    out = tmp_path / "out"
    report = build_corpus(corpus, out, outputs=[o for o in available_outputs() if o.target in ("html", "text")])
    assert not report.failed and len(list((out / "html").iterdir())) == 3
    assert sorted(io.temp_target(Path(p).name) for p in synced) == sorted([MANIFEST, "index.html"]), synced


def test_interrupted_writer_leaves_previous_output(tmp_path):
    out = tmp_path / "out.pdf"
    out.write_bytes(b"previous")
    with pytest.raises(KeyboardInterrupt):
        with io.atomic_path(out) as tmp:
            tmp.write_bytes(b"half a PDF")
            raise KeyboardInterrupt
    assert out.read_bytes() == b"previous"
    assert _leftovers(tmp_path) == []


def test_atomic_path_for_external_writers(tmp_path):
    out = tmp_path / "out.pdf"
    with io.atomic_path(out) as tmp:
        assert tmp.parent == tmp_path and not out.exists()
        tmp.write_bytes(b"%PDF")
    assert out.read_bytes() == b"%PDF"
    assert _leftovers(tmp_path) == []


def test_unwritable_directory_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(TrotskyTeiError) as info:
        io.write_atomic(blocker / "out.xml", b"x")
    assert info.value.message.kind == "io"


def test_refuse_output_equal_to_input(tmp_path):
    src = tmp_path / "doc.txt"
    src.write_text("text")
    for out in (src, tmp_path / "." / "doc.txt"):
        with pytest.raises(TrotskyTeiError) as info:
            io.refuse_same_file(src, out)
        assert info.value.exit_code == 2


def test_refuse_output_linked_to_input(tmp_path):
    src = tmp_path / "doc.txt"
    src.write_text("text")
    (tmp_path / "sym.txt").symlink_to(src)
    os.link(src, tmp_path / "hard.txt")
    for out in ("sym.txt", "hard.txt"):
        with pytest.raises(TrotskyTeiError):
            io.refuse_same_file(src, tmp_path / out)
    with pytest.raises(TrotskyTeiError):
        io.refuse_overwriting_inputs([tmp_path / "other.txt", src], tmp_path / "hard.txt")


def test_other_outputs_and_stdout_are_allowed(tmp_path):
    src = tmp_path / "doc.txt"
    src.write_text("text")
    io.refuse_same_file(src, tmp_path / "doc.xml")
    io.refuse_same_file(src, "-")
    io.refuse_same_file("-", "-")


def test_write_output_to_stdout(capfdbinary):
    io.write_output("-", b"<TEI/>\n")
    assert capfdbinary.readouterr().out == b"<TEI/>\n"


def _cli(args: list[str]):
    from click.testing import CliRunner

    from trotsky_tei.cli import main

    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def test_export_refuses_to_overwrite_its_input(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("ORDER\n\nThe order stands.\n")
    tei = tmp_path / "doc.xml"
    assert _cli(["convert", str(src), "-o", str(tei)]).exit_code == 0
    before = (tei.read_bytes(), tei.stat().st_mtime_ns)
    for target in ("text", "html"):
        result = _cli(["export", str(tei), "--to", target, "-o", str(tei)])
        assert result.exit_code == 2 and "input" in result.stderr
    assert (tei.read_bytes(), tei.stat().st_mtime_ns) == before


def test_validate_and_export_leave_a_read_only_input_untouched(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("ORDER\n\nThe order stands.\n")
    tei = tmp_path / "doc.xml"
    assert _cli(["convert", str(src), "-o", str(tei)]).exit_code == 0
    tei.chmod(0o444)
    before = (tei.read_bytes(), tei.stat().st_mtime_ns, tei.stat().st_mode)
    assert _cli(["validate", str(tei)]).exit_code == 0
    assert _cli(["export", str(tei), "--to", "text", "-o", str(tmp_path / "out.txt")]).exit_code == 0
    assert (tei.read_bytes(), tei.stat().st_mtime_ns, tei.stat().st_mode) == before


def test_a_temporary_file_names_its_target(tmp_path):
    # what a build removes after a stopped process: the temporary files of the outputs it wrote
    out = tmp_path / "edition.dc.xml"
    with io.atomic_path(out) as tmp:
        assert io.temp_target(tmp.name) == "edition.dc.xml"
    for other in ("edition.dc.xml", ".edition.tmp", "notes.tmp", ".hidden"):
        assert io.temp_target(other) is None
