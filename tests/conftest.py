"""Shared fixtures: paths, the corpus source, its conversion, and the full TEI schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = ROOT / "corpus"
SOURCE = CORPUS / "source" / "1918-czechoslovak-mutiny.txt"
TEI_NS = "http://www.tei-c.org/ns/1.0"
NS = {"tei": TEI_NS}


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def shared() -> Path:
    return SHARED


@pytest.fixture(scope="session")
def source_path() -> Path:
    return SOURCE


@pytest.fixture(scope="session")
def source_text() -> str:
    return SOURCE.read_text("utf-8")


@pytest.fixture(scope="session")
def corpus_tree():
    """The corpus converted once per test session (with its metadata, authority, corrections)."""
    from trotsky_tei.convert import convert_file

    return convert_file(SOURCE)


@pytest.fixture(scope="session")
def tei_all() -> etree.RelaxNG:
    """The full TEI P5 schema (tei_all.rng), compiled once (about 5 s)."""
    return etree.RelaxNG(etree.parse(str(SHARED / "tei" / "tei_all.rng")))
