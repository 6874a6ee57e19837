"""Coverage-guided fuzzing of the reader and the converter (atheris / libFuzzer).

    python tests/fuzz/fuzz_convert.py -max_total_time=60 tests/fuzz/seeds/convert

A crash (any exception but a clean one-line refusal, output that is not well-formed, valid and
lossless) is written as `crash-<sha1>`; move it into tests/fuzz/crashes/convert/ so that
tests/test_fuzz.py replays it for ever."""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

with atheris.instrument_imports(include=["trotsky_tei"]):
    from fuzz.targets import fuzz_convert_one


def main() -> None:
    atheris.Setup(sys.argv, fuzz_convert_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
