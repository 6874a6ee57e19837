"""Scaled corpora for the benchmark, made from the real sources in corpus/.

Two layouts for a scale factor k (k times the corpus's size):
* `documents`: k copies of every source as separate files (`<stem>-0001.txt`, ...), each with
  a copy of the source's metadata and corrections, so each copy converts exactly like the
  original: the shape of a large collection.
* `single`: one file holding k copies of all sources one after another: the shape of one very
  large volume, where anything worse than linear in the converter shows.
The authority files are shared, as in a real corpus.

Shapes the corpus does not have, where a cost can grow faster than the text although it does not
on the corpus (`make bench`, "Shapes"):
* `make_lines`: the single file without its blank lines (a text whose paragraphs are set apart
  by line ends alone: one document, a paragraph per line), or without any line break (one
  paragraph of the whole text: a block of millions of characters).
* `reshape_tei`: a converted TEI file as a book of chapters without documents (`chapters`), or
  as one long document without a heading (`one-document`).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

LAYOUTS = ("documents", "single")


def _sources(corpus: Path) -> list[Path]:
    return sorted((corpus / "source").glob("*.txt"))


def base_size(corpus: Path) -> int:
    """Bytes of the 1x corpus (all sources)."""
    return sum(p.stat().st_size for p in _sources(corpus))


def _copy_sidecars(corpus: Path, stem: str, target: Path, new_stem: str) -> None:
    for sub, ext in (("metadata", ".toml"), ("corrections", ".toml")):
        src = corpus / sub / f"{stem}{ext}"
        if src.is_file():
            (target / sub).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target / sub / f"{new_stem}{ext}")


def _empty_corpus(corpus: Path, target: Path) -> None:
    """`target` made afresh: an empty source/ and the authority files of `corpus`."""
    if target.exists():
        shutil.rmtree(target)
    (target / "source").mkdir(parents=True)
    if (corpus / "authority").is_dir():
        shutil.copytree(corpus / "authority", target / "authority")


def make_corpus(corpus: Path, target: Path, scale: int, layout: str) -> Path:
    """Write the scaled corpus into `target` (a fresh directory) and return it."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    _empty_corpus(corpus, target)
    sources = _sources(corpus)
    if layout == "documents":
        width = max(4, len(str(scale)))
        for src in sources:
            data = src.read_bytes()
            for i in range(1, scale + 1):
                new = f"{src.stem}-{i:0{width}d}"
                (target / "source" / f"{new}.txt").write_bytes(data)
                _copy_sidecars(corpus, src.stem, target, new)
    else:
        first = sources[0].stem
        new = f"{first}-x{scale}"
        parts = [p.read_bytes().rstrip(b"\n") + b"\n" for p in sources]
        with open(target / "source" / f"{new}.txt", "wb") as fh:
            for i in range(scale):
                for j, part in enumerate(parts):
                    if i or j:
                        fh.write(b"\n\n")
                    fh.write(part)
        _copy_sidecars(corpus, first, target, new)
    return target


def make_texts_corpus(corpus: Path, texts: list[Path], target: Path) -> Path:
    """A corpus of `texts` (each a document of its own) with the authority files of `corpus`:
    a batch of distinct short documents, as an archive's orders and telegrams are."""
    _empty_corpus(corpus, target)
    for text in texts:
        name = text.name
        if (target / "source" / name).exists():    # the same name in two sets: both kept
            name = f"{text.parent.name}-{name}"
        shutil.copyfile(text, target / "source" / name)
    return target


def source_files(corpus: Path) -> list[Path]:
    return _sources(corpus)


#: Source shapes: the single file without its blank lines, and without any line break.
SOURCE_SHAPES = ("no blank lines", "one line")


def make_lines(corpus: Path, target: Path, scale: int, shape: str = "no blank lines") -> Path:
    """The `single` corpus of `scale` as `shape` (see the module's docstring)."""
    if shape not in SOURCE_SHAPES:
        raise ValueError(f"unknown shape {shape!r}")
    make_corpus(corpus, target, scale, "single")
    for src in _sources(target):
        data = re.sub(rb"\n[ \t]*(?:\n[ \t]*)+", b"\n", src.read_bytes())
        if shape == "one line":
            data = data.rstrip(b"\n").replace(b"\n", b" ") + b"\n"
        src.write_bytes(data)
    return target


SHAPES = ("chapters", "one-document")


def reshape_tei(src: Path, dst: Path, shape: str) -> Path:
    """Write the TEI file `src` as `shape` (see the module's docstring) into `dst`."""
    from lxml import etree

    tei = "{http://www.tei-c.org/ns/1.0}"
    tree = etree.parse(str(src))
    body = tree.find(f"{tei}text/{tei}body")
    for div in body.iter(f"{tei}div"):
        if div.get("type") == "document":
            div.set("type", "chapter")
            div.attrib.pop("n", None)
    if shape == "one-document":
        whole = etree.Element(f"{tei}div", {"type": "document", "n": "1"})
        whole.set("{http://www.w3.org/XML/1998/namespace}id", "whole")
        whole.extend(list(body))
        body.append(whole)
    elif shape != "chapters":
        raise ValueError(f"unknown shape {shape!r}")
    tree.write(str(dst), xml_declaration=True, encoding="UTF-8")
    return dst
