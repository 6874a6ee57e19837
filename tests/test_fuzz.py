"""Fuzzing in the suite: every input a fuzzer ever crashed on is replayed, and each fuzz target runs
for a short bounded time (coverage-guided, atheris/libFuzzer) from the seed corpus."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from fuzz.targets import fuzz_convert_one, fuzz_xml_one

FUZZ = Path(__file__).parent / "fuzz"
TARGETS = {"convert": fuzz_convert_one, "xml": fuzz_xml_one}
#: A hostile input must not buy exponential time; this bounds a hang, it does not measure speed.
HANG_SECONDS = 60
#: Seconds each fuzz target runs in the suite (longer runs: see the docstring of the target).
FUZZ_SECONDS = {"convert": 15, "xml": 10}


def _crashes() -> list[tuple[str, Path]]:
    return [(target, p) for target in TARGETS for p in sorted((FUZZ / "crashes" / target).glob("*"))
            if p.is_file() and not p.name.startswith(".")]


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang(f"input took over {HANG_SECONDS} s")


@pytest.mark.parametrize(("target", "path"), _crashes(), ids=lambda v: v.name if isinstance(v, Path) else v)
def test_replay_crash(target, path):
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG_SECONDS)
    try:
        TARGETS[target](path.read_bytes())
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def test_there_are_regression_inputs():
    assert _crashes(), "tests/fuzz/crashes/ must keep the inputs fuzzing found"


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_fuzz_bounded(target, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(FUZZ / "seeds" / target, corpus)
    artifacts = tmp_path / "artifacts"
    artifacts.mkdir()
    proc = subprocess.run(
        [sys.executable, str(FUZZ / f"fuzz_{target}.py"), f"-max_total_time={FUZZ_SECONDS[target]}",
         "-timeout=30", "-max_len=4096", "-rss_limit_mb=2048", f"-artifact_prefix={artifacts}/",
         "-print_final_stats=1", str(corpus)],
        capture_output=True, text=True, timeout=FUZZ_SECONDS[target] + 240,
    )
    found = sorted(artifacts.iterdir())
    assert proc.returncode == 0 and not found, (
        f"fuzz_{target} found a failure; copy {found[0] if found else 'the input'} into "
        f"tests/fuzz/crashes/{target}/ and fix it.\n" + proc.stderr[-4000:])
    assert "Done" in proc.stderr
