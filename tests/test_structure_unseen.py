"""Structure recognised on texts of the same kind the recogniser was not written against
(tests/gold: orders, telegrams, speeches, appeals, articles), checked against tests/gold/structure.toml."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from trotsky_tei.structure import read_structure

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

GOLD = Path(__file__).resolve().parent / "gold"
EXPECTED = tomllib.loads((GOLD / "structure.toml").read_text("utf-8"))["text"]


def observed(doc) -> list[dict]:
    out = []
    for div in doc.divs:
        blocks = doc.blocks_of(div.index)
        out.append({
            "head": "\n".join(b.text for b in blocks if b.role == "head"),
            "opener": "\n".join(b.text for b in blocks if b.role == "opener"),
            "closer": "\n".join(b.text for b in blocks if b.role == "closer"),
            "signed": [b.text for b in blocks if b.role == "salute"],
            "paragraphs": sum(b.role == "p" for b in blocks),
            "items": sum(b.role == "item" for b in blocks),
            "bibl": [b.text for b in blocks if b.role == "bibl"],
        })
    return out


def norm(s):
    return " ".join(s.split()) if isinstance(s, str) else [" ".join(x.split()) for x in s]


@pytest.mark.parametrize("case", EXPECTED, ids=[c["file"] for c in EXPECTED])
def test_unseen_structure(case):
    text = (GOLD / case["file"]).read_text("utf-8")
    doc = read_structure(text, case["file"])
    got = observed(doc)
    want = case["document"]
    assert len(got) == len(want), [g["head"][:40] for g in got]
    for i, (g, w) in enumerate(zip(got, want)):
        for key in ("head", "opener", "closer", "signed", "paragraphs", "items", "bibl"):
            assert norm(g[key]) == norm(w[key]) if isinstance(w[key], (str, list)) else g[key] == w[key], (
                f"document {i + 1} {key}: got {g[key]!r}, expected {w[key]!r}")
    assert sum(b.role == "headnote" for b in doc.blocks) == case["headnotes"]
    assert [int(b.attrs["n"]) for b in doc.blocks if b.role == "endnote"] == case["endnotes"]
