"""Jobs in worker processes fail alone: a document or file that crashes its process or runs
past its time limit is reported, and every other one is still built or checked."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

from click.testing import CliRunner

import trotsky_tei.build as build
from trotsky_tei import validate
from trotsky_tei.cli import main
from trotsky_tei.manifest import MANIFEST
from trotsky_tei.workers import Stopped, exit_text, run_isolated

ROOT = Path(__file__).resolve().parents[1]
INVALID = ROOT / "tests" / "invalid"
PROFILE = ROOT / "tests" / "fixtures" / "profile.xml"
_BUILD_DOCUMENT = build.build_document


def _die() -> None:
    """End this process as the out-of-memory killer does, a moment into the job (as it does: a
    process killed the instant it takes a job is not yet known by the pool to hold it)."""
    time.sleep(0.3)
    os.kill(os.getpid(), signal.SIGKILL)


def _hog(mb: int) -> None:
    """Take `mb` MB of memory, 10 MB at a time."""
    held = []
    for _ in range(mb // 10):
        held.append(bytearray(10 * 2**20))
        time.sleep(0.01)


def _limit_mb() -> int:
    """A memory limit 300 MB above what this process (and so a worker forked from it) holds."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 2**20 + 300


def _square_or_die(n: int) -> int:
    if n == 3:
        _die()
    if n == 5:
        time.sleep(60)
    if n == 6:
        raise ValueError("no six")
    if n == 8:
        _hog(1000)
    return n * n


def _run(items, jobs=2, **kw) -> dict:
    got: dict = {}
    run_isolated(_square_or_die, items, jobs, lambda item, res: got.__setitem__(item, res), **kw)
    return got


def test_a_crashed_job_fails_alone():
    got = _run([1, 2, 3, 4])
    assert {k: got[k] for k in (1, 2, 4)} == {1: 1, 2: 4, 4: 16}
    assert got[3] == Stopped(3, "crashed", exit_text(-signal.SIGKILL))
    assert "signal 9 (SIGKILL)" in got[3].text and "memory" in got[3].text


def test_a_crashed_chunk_is_run_again_one_job_at_a_time():
    got = _run(list(range(1, 5)) + [7, 9, 10, 11], chunk=4)
    assert isinstance(got.pop(3), Stopped)
    assert got == {n: n * n for n in (1, 2, 4, 7, 9, 10, 11)}, "the crashed job's neighbours are not reported"


def test_a_job_past_the_memory_limit_is_stopped_and_the_others_run():
    limit = _limit_mb()
    got = _run([7, 8, 9], memory_limit=limit * 2**20)
    assert got[8] == Stopped(8, "memory-limit", f"its process passed the memory limit of {limit} MB")
    assert got[7] == 49 and got[9] == 81


def test_a_job_past_its_time_limit_is_stopped_and_the_others_run():
    started = time.monotonic()
    got = _run([4, 5, 7], timeout=1.5)
    assert time.monotonic() - started < 30, "the stopped job's process is ended, not waited for"
    assert got[5] == Stopped(5, "time-limit", "took longer than 1.5 s")
    assert got[4] == 16 and got[7] == 49


def test_an_exception_is_reported_as_the_jobs_failure():
    got = _run([6, 2])
    assert got == {6: Stopped(6, "error", "ValueError: no six"), 2: 4}


def test_an_interrupted_run_stops_its_running_jobs_at_once():
    got: dict = {}

    def interrupt(item, res):
        got[item] = res
        if item == 1:
            raise KeyboardInterrupt

    started = time.monotonic()
    try:
        run_isolated(_square_or_die, [5, 1, 5, 5], 2, interrupt)
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("the interruption is raised again")
    assert time.monotonic() - started < 30, "the running jobs are stopped, the others dropped"
    assert got == {1: 1, 5: Stopped(5, "interrupted", "it was interrupted")}


def test_exit_texts():
    assert exit_text(3) == "its process exited with status 3"
    assert exit_text(-signal.SIGSEGV) == "its process was killed by signal 11 (SIGSEGV)"


# ---------------------------------------------------------------- build

def _hostile_build(source, out, *args, **kw):
    """build_document, but "crash" kills its process and "hang" never ends (after leaving the
    temporary file of an output it was writing)."""
    stem = Path(source).stem
    if stem == "crash":
        _die()
    if stem == "hog":
        _hog(1000)
    if stem == "slow":
        (Path(out) / "tei").mkdir(parents=True, exist_ok=True)
        (Path(out) / "tei" / ".slow.xml.x1y2.tmp").write_bytes(b"<TEI>half")
        time.sleep(120)
    if stem == "hang":
        (Path(out) / "html").mkdir(parents=True, exist_ok=True)
        (Path(out) / "html" / ".hang.html.x1y2.tmp").write_bytes(b"<html>half")
        time.sleep(120)
    return _BUILD_DOCUMENT(source, out, *args, **kw)


def _small_corpus(root: Path, stems) -> Path:
    (root / "source").mkdir(parents=True)
    for i, stem in enumerate(stems, 1):
        (root / "source" / f"{stem}.txt").write_text(
            f"ORDER No. {i}\n\nMoscow, June {i}, 1918.\n\nThe troops will advance on Kazan.\n\nL. Trotsky\n",
            encoding="utf-8")
    return root


def test_build_a_document_that_kills_its_worker_fails_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "build_document", _hostile_build)
    corpus = _small_corpus(tmp_path / "c", ["alpha", "crash", "gamma", "delta"])
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(corpus), "-o", str(out), "-j", "2", "-t", "html",
                                       "--no-progress"])
    assert result.exit_code == 1, result.output
    assert "4 documents: 1 failed" in result.output
    line = next(x for x in result.output.splitlines() if "crash.txt" in x)
    assert "error: build failed: its process was killed by signal 9 (SIGKILL)" in line
    assert "Traceback" not in result.output
    for stem in ("alpha", "gamma", "delta"):
        assert (out / "html" / f"{stem}.html").is_file()
    assert not (out / "html" / "crash.html").exists()


def test_build_timeout_stops_one_document_and_builds_the_others(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "build_document", _hostile_build)
    corpus = _small_corpus(tmp_path / "c", ["alpha", "hang", "gamma"])
    out = tmp_path / "out"
    started = time.monotonic()
    result = CliRunner().invoke(main, ["build", str(corpus), "-o", str(out), "-j", "1", "-t", "html",
                                       "--timeout", "2", "--no-progress", "--format", "json"])
    assert time.monotonic() - started < 60
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["summary"]["failed"] == 1
    hang = next(d for d in report["documents"] if d["stem"] == "hang")
    assert hang["status"] == "failed"
    failure = hang["failure"]
    assert failure["text"] == "build stopped: it took longer than 2 s" and failure["rule"] == "worker-time-limit"
    assert "--timeout" in failure["hint"]
    assert {d["stem"] for d in report["documents"] if d["status"] == "valid"} == {"alpha", "gamma"}
    assert not list(out.rglob("*.tmp")), "the stopped document's temporary file is removed"
    # the stopped document is tried again by the next build, the others are up to date
    monkeypatch.setattr(build, "build_document", _BUILD_DOCUMENT)
    again = build.build_corpus(corpus, out, outputs=[o for o in build.OUTPUTS if o.directory == "html"])
    assert [r.stem for r in again.results if not r.up_to_date] == ["hang"] and not again.failed
    assert (out / MANIFEST).is_file()


def test_build_memory_limit_stops_one_document_and_builds_the_others(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "build_document", _hostile_build)
    corpus = _small_corpus(tmp_path / "c", ["alpha", "hog", "gamma"])
    out = tmp_path / "out"
    limit = _limit_mb()
    result = CliRunner().invoke(main, ["build", str(corpus), "-o", str(out), "-t", "html",
                                       "--memory-limit", str(limit), "--no-progress"])
    assert result.exit_code == 1, result.output
    line = next(x for x in result.output.splitlines() if "hog.txt" in x)
    assert f"error: build stopped: its process passed the memory limit of {limit} MB [worker-memory-limit]" in line
    assert (out / "html" / "alpha.html").is_file() and (out / "html" / "gamma.html").is_file()


def test_an_interrupted_build_keeps_what_it_built_and_removes_what_it_was_writing(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "build_document", _hostile_build)
    corpus = _small_corpus(tmp_path / "c", ["alpha", "slow", "omega"])
    (corpus / "source" / "slow.txt").write_text("S" * 4000, encoding="utf-8")     # the largest: started first
    out = tmp_path / "out"
    html = [o for o in build.OUTPUTS if o.directory == "html"]
    seen = []

    def ctrl_c(res):
        seen.append((res.stem, res.failure.rule if res.failure else "built"))
        if len(seen) == 1:
            raise KeyboardInterrupt     # as Ctrl-C does, while "slow" is still building

    started = time.monotonic()
    try:
        build.build_corpus(corpus, out, jobs=2, outputs=html, on_result=ctrl_c)
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("the interruption is raised again")
    assert time.monotonic() - started < 60
    assert seen[0][1] == "built" and ("slow", "worker-interrupted") in seen
    assert not list(out.rglob("*.tmp"))
    monkeypatch.setattr(build, "build_document", _BUILD_DOCUMENT)
    plan = build.plan_build(corpus, out, html)
    assert seen[0][0] not in {p.stem for p in plan.todo}, "what was built before the interruption is kept"
    assert "slow" in {p.stem for p in plan.todo}


def test_limits_with_dask_or_not_positive_are_usage_errors(tmp_path):
    corpus = _small_corpus(tmp_path / "c", ["alpha"])
    for args in (["--timeout", "5", "--dask", "tcp://127.0.0.1:1"], ["--timeout", "0"],
                 ["--memory-limit", "900", "--dask", "tcp://127.0.0.1:1"], ["--memory-limit", "0"]):
        result = CliRunner().invoke(main, ["build", str(corpus), "-o", str(tmp_path / "o"), *args])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


# ---------------------------------------------------------------- validate

def _hostile_validate(args):
    if Path(args[0]).name == PROFILE.name:
        _die()
    return _SAFE_VALIDATE(args)


_SAFE_VALIDATE = validate._safe_validate


def test_validate_a_file_that_kills_its_worker_fails_alone(monkeypatch):
    files = sorted(INVALID.glob("rule-*.xml"))[:10]
    files.insert(4, PROFILE)
    expected = validate.validate_files(files, jobs=1)
    monkeypatch.setattr(validate, "_safe_validate", _hostile_validate)
    seen = []
    got = validate.validate_files(files, jobs=2, on_file=lambda p, ms: seen.append(p))
    assert seen == [str(p) for p in files], "files are reported in the order given"
    (crashed,) = [m for m in got if m.file == str(PROFILE)]
    assert crashed.kind == "worker" and crashed.rule == "worker-crashed"
    assert crashed.text.startswith("validation failed: its process was killed by signal 9")
    assert [m for m in got if m.file != str(PROFILE)] == [m for m in expected if m.file != str(PROFILE)]
