"""FOP in one Java VM kept for the process (`trotsky_tei/fop_vm.py`): the same PDF as the `fop`
command, one VM for many runs, a new one after a crash, a timeout or a fork, the command when
the VM cannot be used, and no VM left behind by a process that ends."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import ROOT

from trotsky_tei import fop_vm, pdf
from trotsky_tei.export import export_tree
from trotsky_tei.messages import TrotskyTeiError
from trotsky_tei.safexml import parse_file

SAMPLE = ROOT / "tests" / "fixtures" / "sample.xml"


@pytest.fixture(autouse=True)
def fresh_vm(monkeypatch):
    assert shutil.which("fop"), "fop is not installed: run `make system-deps` (Debian package fop)"
    monkeypatch.delenv(fop_vm.SWITCH, raising=False)
    fop_vm.stop()
    yield
    fop_vm.stop()


@pytest.fixture(scope="module")
def by_command():
    """The sample's PDF made by the `fop` command, a Java VM per run (as before the kept VM)."""
    old = os.environ.get(fop_vm.SWITCH)
    os.environ[fop_vm.SWITCH] = "0"
    try:
        fop_vm.stop()
        data = export_tree(parse_file(SAMPLE), "pdf")
        assert fop_vm.pid() is None
        return data
    finally:
        os.environ.pop(fop_vm.SWITCH)
        if old is not None:
            os.environ[fop_vm.SWITCH] = old


def _pdf() -> bytes:
    return export_tree(parse_file(SAMPLE), "pdf")


def _gone(pid: int, seconds: float = 15) -> bool:
    """The process has ended. Another process's child that has ended but is not yet reaped (a
    zombie, where a container's first process reaps late) counts as ended; our own is waited for
    (`fop_vm` reaps it)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        if _zombie(pid) and not _our_child(pid):
            return True
        time.sleep(0.1)
    return False


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def _our_child(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return int(fh.read().rsplit(")", 1)[1].split()[1]) == os.getpid()
    except (OSError, IndexError, ValueError):
        return False


def test_the_kept_vm_makes_the_commands_bytes_and_serves_many_runs(by_command):
    first = _pdf()
    vm = fop_vm.pid()
    assert vm is not None, fop_vm.why_not_used()
    assert first == by_command
    assert _pdf() == by_command
    assert fop_vm.pid() == vm               # the second document: the same VM


def test_a_vm_that_stopped_is_started_again(by_command):
    _pdf()
    vm = fop_vm.pid()
    os.kill(vm, signal.SIGKILL)
    assert _pdf() == by_command             # at once: the run that meets the dying VM is made again
    assert _gone(vm)
    assert fop_vm.pid() not in (None, vm)


def test_an_idle_vm_ends_and_the_next_run_starts_a_new_one(monkeypatch, by_command):
    """A process that lives on (a cluster's worker, a service) holds no idle VM."""
    monkeypatch.setattr(fop_vm, "IDLE_SECONDS", 2.0)
    assert _pdf() == by_command
    vm = fop_vm.pid()
    assert vm is not None
    assert _pdf() == by_command and fop_vm.pid() == vm     # a run within the time: the same VM
    end = time.monotonic() + 30
    while fop_vm.pid() is not None and time.monotonic() < end:    # pid() reaps the ended VM
        time.sleep(0.2)
    assert fop_vm.pid() is None and _gone(vm)
    assert _pdf() == by_command
    assert fop_vm.pid() not in (None, vm)


def test_an_error_of_fop_is_one_line_and_the_vm_goes_on(by_command):
    with pytest.raises(TrotskyTeiError) as err:
        pdf.render_pdf(b'<fo:root xmlns:fo="http://www.w3.org/1999/XSL/Format"/>')
    text = err.value.message.text
    assert text.startswith("fop failed: ") and "\n" not in text
    assert "layout-master-set" in text
    assert fop_vm.pid() is not None
    assert _pdf() == by_command


def test_a_run_past_the_time_limit_stops_the_vm(monkeypatch, by_command):
    _pdf()
    vm = fop_vm.pid()
    monkeypatch.setattr(pdf, "TIMEOUT", 0.001)
    with pytest.raises(TrotskyTeiError) as err:
        _pdf()
    assert err.value.message.text == "fop did not finish within 0.001 s"
    assert _gone(vm)
    monkeypatch.setattr(pdf, "TIMEOUT", 600)
    assert _pdf() == by_command


def test_the_command_when_its_java_arguments_cannot_be_learnt(tmp_path, monkeypatch, by_command):
    """A launcher that ignores JAVA_CMD and JAVACMD: every run is the command."""
    real = shutil.which("fop")
    fake = tmp_path / "bin" / "fop"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\nunset JAVA_CMD JAVACMD\nexec "{real}" "$@"\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    assert pdf.fop_command() == str(fake)
    assert _pdf() == by_command
    assert fop_vm.pid() is None
    assert fop_vm.why_not_used() == ["the fop command's Java arguments could not be learnt"]
    assert fop_vm.last_run_by_command() == "the fop command's Java arguments could not be learnt"


def test_switched_off_every_run_is_the_command(monkeypatch, by_command):
    monkeypatch.setenv(fop_vm.SWITCH, "off")
    assert _pdf() == by_command
    assert fop_vm.pid() is None and fop_vm.why_not_used() == []


def _child_pdf(queue) -> None:
    queue.put((export_tree(parse_file(SAMPLE), "pdf"), fop_vm.pid()))


def test_a_forked_child_starts_its_own_vm(by_command):
    _pdf()
    parent_vm = fop_vm.pid()
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_child_pdf, args=(queue,))
    child.start()
    data, child_vm = queue.get(timeout=300)
    child.join(60)
    assert data == by_command
    assert child_vm not in (None, parent_vm)
    assert _gone(child_vm)                  # ended with the child
    assert fop_vm.pid() == parent_vm and _pdf() == by_command


def test_no_vm_outlives_its_process(tmp_path):
    """A process that ends without closing anything (os._exit): its VM sees the end of its input."""
    code = ("import os, sys\n"
            "from trotsky_tei import fop_vm\n"
            "from trotsky_tei.export import export_tree\n"
            "from trotsky_tei.safexml import parse_file\n"
            f"export_tree(parse_file({str(SAMPLE)!r}), 'pdf')\n"
            "print(fop_vm.pid(), flush=True)\n"
            "os._exit(0)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    vm = int(out.stdout.strip())
    assert _gone(vm)


def test_the_command_when_the_vm_does_not_start(tmp_path, monkeypatch, by_command):
    """A VM that cannot start (here a program that does not compile, as on a Java older than 11):
    every run is the command, and why is kept."""
    broken = tmp_path / "FopBatch.java"
    broken.write_text("public final class FopBatch { this is not Java }\n", encoding="utf-8")
    monkeypatch.setattr(fop_vm, "source_file", lambda: broken)
    assert _pdf() == by_command
    assert fop_vm.pid() is None
    (reason,) = fop_vm.why_not_used()
    assert reason.startswith("FOP's Java VM did not start (exit status 1): ")
    assert "FopBatch.java:1: error:" in reason      # the compiler's first message


def test_a_build_says_when_its_pdfs_were_made_by_the_command(tmp_path, monkeypatch):
    """The command is several times slower for a batch: `build` says so, and why, in its
    summary and in its JSON; a build whose PDFs ran in the kept VM says nothing."""
    import json

    from click.testing import CliRunner

    from trotsky_tei.cli import main

    corpus = tmp_path / "corpus"
    (corpus / "source").mkdir(parents=True)
    (corpus / "source" / "order.txt").write_text(
        "ORDER No. 1\n\nTo all troops at Samara.\n\nHold the line.\n\nL. Trotsky\nMoscow, May 30, 1918\n",
        encoding="utf-8")
    args = ["build", str(corpus), "-t", "pdf", "--no-progress", "--force"]

    kept = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "kept")])
    assert kept.exit_code == 0, kept.output
    assert "fop command" not in kept.output
    assert fop_vm.last_run_by_command() == "" and fop_vm.pid() is not None

    monkeypatch.setenv(fop_vm.SWITCH, "0")
    slow = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "slow")])
    assert slow.exit_code == 0, slow.output
    assert "1 PDF made by the fop command, a Java VM for each run (slower): TROTSKY_TEI_FOP_VM=0" in slow.output
    data = json.loads(CliRunner().invoke(main, [*args, "-o", str(tmp_path / "json"), "--format", "json"]).output)
    assert data["summary"]["pdfs_by_command"] == {"TROTSKY_TEI_FOP_VM=0": 1}
    assert data["documents"][0]["pdf_by_command"] == "TROTSKY_TEI_FOP_VM=0"
    assert (tmp_path / "slow" / "pdf" / "order.pdf").read_bytes() == (tmp_path / "kept" / "pdf" / "order.pdf").read_bytes()
