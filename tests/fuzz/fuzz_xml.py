"""Coverage-guided fuzzing (atheris / libFuzzer) of what `validate` and `export` run on a file they
are given: the safe XML parser, the schema check and the text export.

    python tests/fuzz/fuzz_xml.py -max_total_time=60 tests/fuzz/seeds/xml

A crash (any exception but a clean one-line refusal) is written as `crash-<sha1>`; move it into tests/fuzz/crashes/xml/ so that
tests/test_fuzz.py replays it for ever."""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

with atheris.instrument_imports(include=["trotsky_tei"]):
    from fuzz.targets import fuzz_xml_one

    import trotsky_tei.validate  # noqa: F401 - instrumented for coverage


def main() -> None:
    atheris.Setup(sys.argv, fuzz_xml_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
