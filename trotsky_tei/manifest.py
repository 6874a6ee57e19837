"""What each document of a build was made from, so that the next build remakes only what changed.

A growing archive is rebuilt often and changed a little at a time: a source corrected, one
document's corrections or metadata edited. `OUT/.trotsky-tei-build.json` records, for each
source, the fingerprint of everything its outputs depend on and what its job produced (the files
with their size and modification time, the validation messages). The next build takes a
document whose fingerprint, outputs and files are unchanged from the record, as `make` and
Sphinx do, and builds the others.

The fingerprint of a document covers:
  * its source file;
  * its own side files, `CORPUS/metadata/<stem>.toml` and `CORPUS/corrections/<stem>.toml`;
  * every other file of the corpus directory but `source/`, `tei/` and the side files of every
    source (the authority files above all), so an edit there remakes every document;
  * the toolkit: its code, stylesheets, schemas and data, the versions of the libraries it runs
    on (word lists and gazetteers change what the passes find; libxml2 and libxslt what the
    exports write) and of Python, and FOP for the PDF.

A document that failed, or one of whose outputs failed, is recorded as failed: it is built
again, and says so.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from collections.abc import Iterable
from functools import cache
from importlib import metadata as dist_metadata
from pathlib import Path
from typing import Any

from .io import write_atomic

#: The manifest's file name under the output directory.
MANIFEST = ".trotsky-tei-build.json"
#: Bumped when the manifest's layout changes; another format is read as no manifest.
FORMAT = 3
#: Folders of a corpus that are not inputs of every document: the sources, the committed TEI.
_PER_DOCUMENT = ("source", "tei")
#: Folders whose `<stem>.toml` belongs to the source of that stem only.
_SIDE_FILES = ("metadata", "corrections")


def _digest(parts: Iterable[bytes]) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def _files_under(root: Path) -> list[Path]:
    """The files under `root`, in a stable order, without hidden ones or caches."""
    return sorted(p for p in root.rglob("*")
                  if p.is_file() and not any(part.startswith(".") or part == "__pycache__"
                                             for part in p.relative_to(root).parts))


@cache
def toolkit_fingerprint() -> str:
    """The toolkit as it runs: its package files, the libraries it depends on, Python, FOP."""
    package = Path(__file__).resolve().parent
    parts: list[bytes] = []
    for path in _files_under(package):
        parts += [path.relative_to(package).as_posix().encode(), path.read_bytes()]
    from lxml import etree

    parts.append(repr((sys.version, etree.LXML_VERSION, etree.LIBXML_VERSION, etree.LIBXSLT_VERSION)).encode())
    for name in sorted(_requirements()):
        try:
            parts.append(f"{name}=={dist_metadata.version(name)}".encode())
        except dist_metadata.PackageNotFoundError:
            parts.append(f"{name} missing".encode())
    fop = shutil.which("fop")
    if fop:
        st = Path(fop).resolve().stat()
        parts.append(f"fop {Path(fop).resolve()} {st.st_size} {st.st_mtime_ns}".encode())
    return _digest(parts)


def _requirements() -> set[str]:
    """The distributions trotsky-tei requires to run (not its extras)."""
    try:
        reqs = dist_metadata.requires("trotsky-tei") or []
    except dist_metadata.PackageNotFoundError:
        return set()
    names = set()
    for req in reqs:
        if "extra ==" in req:
            continue
        name = req.split(";")[0].strip()
        for stop in "<>=!~[ (":
            name = name.split(stop)[0]
        names.add(name.strip().lower())
    return names


class Fingerprints:
    """The fingerprint of each source of one corpus directory, in parts, so that a rebuild can
    say what changed: the toolkit, the corpus-wide files, the source, its side files (see the
    module's docstring)."""

    #: The parts in the order a rebuild names the first that changed, and how it names it.
    PARTS = {"toolkit": "the toolkit changed",
             "corpus": "a corpus-wide file changed (authority records, …)",
             "source": "its source changed",
             "side": "its metadata or corrections changed"}

    def __init__(self, corpus: Path | None, out: Path | None = None):
        """`out`, the build's output directory, is left out when it lies inside the corpus."""
        self.corpus = corpus
        shared: list[bytes] = []
        if corpus is not None and corpus.is_dir():
            skip = out.resolve() if out is not None else None
            for path in _files_under(corpus):
                rel = path.relative_to(corpus).parts
                if rel[0] in _PER_DOCUMENT or (len(rel) == 2 and rel[0] in _SIDE_FILES and path.suffix == ".toml") or (
                        skip is not None and path.resolve().is_relative_to(skip)):
                    continue    # a source's own files, of any source (present or removed), or the output
                shared += ["/".join(rel).encode(), path.read_bytes()]
        self.toolkit = toolkit_fingerprint()
        self.shared = _digest(shared)

    def of(self, source: Path) -> dict[str, str]:
        sides = [self.corpus / d / f"{source.stem}.toml" if self.corpus is not None else None for d in _SIDE_FILES]
        return {"toolkit": self.toolkit, "corpus": self.shared, "source": _digest([source.read_bytes()]),
                "side": _digest([p.read_bytes() if p is not None and p.is_file() else b"" for p in sides])}


def _stat(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


class Manifest:
    """The records of one output directory: `load`, look up with `check`, update with `record`
    and `record_failure`, then `save`."""

    def __init__(self, out: Path, entries: dict[str, dict[str, Any]] | None = None):
        self.out = out
        self.entries = entries or {}

    @classmethod
    def load(cls, out: Path) -> Manifest:
        """The manifest of `out`; an empty one when there is none or it cannot be read."""
        try:
            data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
            if data.get("format") == FORMAT and isinstance(data.get("documents"), dict):
                return cls(out, data["documents"])
        except (OSError, ValueError, AttributeError):
            pass
        return cls(out)

    def save(self) -> None:
        """Write the manifest, unless it is the same as the one on disk."""
        data = {"format": FORMAT, "documents": dict(sorted(self.entries.items()))}
        text = (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
        path = self.out / MANIFEST
        if not (path.is_file() and path.read_bytes() == text):
            write_atomic(path, text)

    def check(self, stem: str, fingerprint: dict[str, str], outputs: Iterable[str]) -> tuple[dict[str, Any] | None, str]:
        """(the recorded result of `stem`, "") when it is up to date: the same fingerprint, every
        output wanted recorded, every file it wrote still as it was written; else (None, why not)."""
        entry = self.entries.get(stem)
        if not entry:
            return None, "not built into this directory before"
        if entry.get("failed"):
            return None, "it failed in the last build"
        recorded = entry.get("fingerprint") or {}
        for part, why in Fingerprints.PARTS.items():
            if recorded.get(part) != fingerprint[part]:
                return None, why
        result = entry["result"]
        missing = [o for o in outputs if o not in {r["name"] for r in result["outputs"]}]
        if missing:
            return None, "outputs not built before: " + ", ".join(missing)
        for rel, stat in entry["files"].items():
            if _stat(self.out / rel) != stat:
                return None, f"an output was deleted or changed: {rel}"
        return result, ""

    def record(self, stem: str, corpus: str, fingerprint: dict[str, str], result: dict[str, Any],
               files: Iterable[str]) -> None:
        """Record a document of `corpus` just built; `result` is `DocResult.as_record()`, `files`
        what it wrote."""
        stats = {rel: _stat(self.out / rel) for rel in sorted(files)}
        if all(s is not None for s in stats.values()):
            self.entries[stem] = {"corpus": corpus, "fingerprint": fingerprint, "files": stats, "result": result}
        else:
            self.entries.pop(stem, None)

    def removed_sources(self, corpus: str, stems: Iterable[str]) -> list[str]:
        """The sources of `corpus` recorded here and no longer among `stems`. The records of
        another corpus built into the same directory are not its to judge."""
        present = set(stems)
        return sorted(s for s, e in self.entries.items() if e.get("corpus") == corpus and s not in present)

    def record_failure(self, stem: str, corpus: str) -> None:
        """Record that `stem` failed (it is built again next time, and says so)."""
        self.entries[stem] = {"corpus": corpus, "failed": True, "files": {}}

    def remove_outputs(self, stem: str) -> None:
        """Delete the files recorded for `stem` (a source no longer in the corpus) that are still
        as written, and the folders they leave empty; forget `stem`."""
        entry = self.entries.pop(stem, None) or {}
        for rel, stat in entry.get("files", {}).items():
            path = self.out / rel
            if _stat(path) == stat:
                path.unlink()
                for parent in path.parents:
                    if parent == self.out or not parent.is_relative_to(self.out) or any(parent.iterdir()):
                        break
                    parent.rmdir()
