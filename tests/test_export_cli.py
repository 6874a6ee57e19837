"""`trotsky-tei export`: every target from the command line, outputs written atomically."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

SAMPLE = ROOT / "tests" / "fixtures" / "sample.xml"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "trotsky_tei", "export", str(SAMPLE), *args],
                          capture_output=True)


@pytest.mark.parametrize("target,magic", [("html", b"<!DOCTYPE html>"), ("fo", b"<?xml"), ("dc", b"<?xml"),
                                          ("ead", b"<?xml"), ("csv", b"entity_id,"), ("json", b"{"),
                                          ("text", b"The Military")])
def test_targets_to_a_file(tmp_path, target, magic):
    out = tmp_path / f"out.{target}"
    proc = run("--to", target, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes().lstrip().startswith(magic)
    assert [p.name for p in tmp_path.iterdir()] == [out.name]          # no temporary file left


def test_html_reading_shown_first():
    assert b'<body class="reading-source"' in run("--to", "html", "--reading", "source").stdout
    assert b'<body class="reading-corrected"' in run("--to", "html").stdout


def test_text_readings():
    source = run("--to", "text").stdout.decode()
    corrected = run("--to", "text", "--reading", "corrected").stdout.decode()
    assert "con fused" in source and "confused" in corrected and "con fused" not in corrected


def test_document_option_only_for_dc():
    proc = run("--to", "csv", "--document", "d1")
    assert proc.returncode == 1 and b"--document applies only to --to dc" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_output_directory_only_for_dc(tmp_path):
    proc = run("--to", "html", "-o", str(tmp_path))
    assert proc.returncode == 1 and b"-o is a directory" in proc.stderr


def test_unknown_target_is_a_usage_error():
    proc = run("--to", "docx")
    assert proc.returncode == 2 and b"docx" in proc.stderr
