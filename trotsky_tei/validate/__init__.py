"""Validation of TEI documents, in layers reported separately, each message carrying file, line,
column, XPath, a rule id and a one-line hint:

1. well-formed XML, read safely (`trotsky_tei.safexml`: no DTD, no entities, no network, size and
   depth limits; empty, binary and non-XML files refused) — kind "well-formed";
2. the project schema `schemas/trotsky-tei.xsd` (`grammar.py`) — kind "schema";
3. the rules of `schemas/trotsky-tei.sch`, ISO Schematron (`rules.py`) — kind "rules";
4. optionally, full TEI P5 against a `tei_all.rng` the user gives (`teiall.py`) — kind "tei-all".

Layers 2-4 all run on a well-formed document, so that one run reports every problem.

Python API (also what the benchmark times):

* `validate_tree(tree, name)`: one parsed document;
* `validate_file(path)`: read, parse and validate one file;
* `validate_files(paths, jobs=1, tei_all=None)`: many files, in parallel processes when jobs > 1.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from lxml import etree

from .. import safexml
from ..messages import Message, Severity, TrotskyTeiError
from ..workers import Stopped, run_isolated
from . import grammar, locate, rules, teiall

__all__ = ["LAYERS", "validate_tree", "validate_bytes", "validate_file", "validate_files", "expand_paths", "warm"]

LAYERS = ("well-formed", "schema", "rules", "tei-all")

TeiAll = str | os.PathLike | None


def warm(tei_all: TeiAll = None) -> None:
    """Compile the schemas now (before forking workers, so that they inherit them)."""
    grammar.load()
    rules.load()
    if tei_all:
        teiall.load(str(tei_all))


def validate_tree(tree: etree._ElementTree, name: str = "-", *, tei_all: TeiAll = None,
                  source: bytes | Path | None = None) -> list[Message]:
    """Schema, rules and (when `tei_all` names a tei_all.rng) full TEI conformance of one parsed
    document. `source`, the bytes it was parsed from (or its file, read again only for the lines
    a message needs), lets messages carry columns."""
    if not isinstance(tree, etree._ElementTree):
        tree = etree.ElementTree(tree)
    where = locate.Locator(tree, source)
    out = grammar.check(tree, name, where)
    if tei_all:
        out += teiall.check(tree, name, where, str(tei_all))
    # the rules last: past line 65535 a tree's lines do not outlive a transformation that
    # builds keys (schematron._element reads them while the rules run)
    out += rules.check(tree, name, where)
    out.sort(key=lambda m: (m.line, m.column, LAYERS.index(m.kind) if m.kind in LAYERS else 9))
    return out


def validate_bytes(data: bytes, name: str = "-", *, tei_all: TeiAll = None) -> list[Message]:
    """Parse safely and validate; a document that is not well-formed XML gives one message."""
    try:
        tree = safexml.parse_bytes(data, name)
    except TrotskyTeiError as exc:
        return [_unreadable(exc.message, name)]
    return validate_tree(tree, name, tei_all=tei_all, source=data)


def validate_file(path: str | os.PathLike, tei_all: TeiAll = None) -> list[Message]:
    """Read and validate one file; unreadable files give one message of kind "io"."""
    p = Path(path)
    name = str(path)
    try:
        if p.is_dir():
            return [_io(name, "is a directory, not a file", "give the path of an XML file or use the directory itself")]
        size = p.stat().st_size
        if size > safexml.MAX_BYTES:
            return [Message("well-formed", Severity.ERROR, f"file is {size} bytes, over the {safexml.MAX_BYTES} byte limit",
                            file=name, hint="split the document into several files", rule="xml-too-large")]
        # parsed from the file a piece at a time, and its lines read again only where a message
        # needs a column: a large file's bytes beside its tree would be its size again in memory
        tree = safexml.parse_path(p, name)
    except FileNotFoundError:
        return [_io(name, "no such file", "check the path")]
    except OSError as exc:
        return [_io(name, f"cannot read file: {exc.strerror or exc}", "check the path and permissions")]
    except TrotskyTeiError as exc:
        return [_unreadable(exc.message, name)]
    return validate_tree(tree, name, tei_all=tei_all, source=p)


def _io(name: str, text: str, hint: str) -> Message:
    return Message("io", Severity.ERROR, text, file=name, hint=hint, rule="io")


_MISMATCH = re.compile(r"Opening and ending tag mismatch: (\S+) line (\d+) and (\S+)")

#: libxml2's syntax errors that editors meet most, in words that say what to do.
_SYNTAX = (
    (re.compile(r"Entity '([^']+)' not defined"),
     "undefined entity &{0};",
     "XML knows only &amp; &lt; &gt; &quot; &apos; and numeric references: write the character itself "
     "(e.g. a no-break space) or &#160;"),
    (re.compile(r"xmlParseEntityRef: no name|EntityRef: expecting ';'"),
     "a bare '&' in the text",
     "write & as &amp;"),
    (re.compile(r"Extra content at the end of the document"),
     "text or elements after the end of the root element",
     "a TEI document has one root element, <TEI>; move the content inside it or remove it"),
    (re.compile(r"Premature end of data in tag (\S+) line (\d+)"),
     "the file ends before <{0}> opened at line {1} is closed",
     "add the missing end tags; the file may be truncated"),
    (re.compile(r"Attribute (\S+) redefined"),
     "the attribute {0} is written twice on one element",
     "keep one of them"),
    (re.compile(r"AttValue: \" or ' expected"),
     "an attribute value without quotes",
     "write attribute values in quotes: n=\"1\""),
)


def _unreadable(m: Message, name: str) -> Message:
    """A refusal of the safe parser as a message of this report (kind "io" or "well-formed")."""
    kind = "io" if m.kind == "io" else "well-formed"
    text, hint = m.text, m.hint
    found = _MISMATCH.search(text)
    if found:
        opened, at, closing = found.groups()
        text = f"not well-formed XML: <{opened}> opened at line {at} is not closed before </{closing}>"
        hint = f"add </{opened}> where the element ends, or correct the end tag </{closing}>"
    for pattern, says, fix in _SYNTAX:
        found = pattern.search(text)
        if found:
            text, hint = "not well-formed XML: " + says.format(*found.groups()), fix
            break
    return Message(kind, Severity.ERROR, text, file=m.file or name, line=m.line, column=m.column,
                   hint=hint, rule=m.kind)


def _safe_validate(args: tuple[str, TeiAll]) -> list[Message]:
    """One file in a worker; a defect in the validator becomes a message, not a dead batch."""
    path, tei_all = args
    try:
        return validate_file(path, tei_all)
    except TrotskyTeiError as exc:
        return [_unreadable(exc.message, path)]
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others
        return [Message("internal", Severity.ERROR, f"internal error while validating: {type(exc).__name__}: {exc}",
                        file=path, hint="report this as a bug with the file attached", rule="internal-error")]


def validate_files(paths: Iterable[str | os.PathLike], jobs: int = 1, tei_all: TeiAll = None,
                   on_file: Callable[[str, list[Message]], None] | None = None) -> list[Message]:
    """Validate many files, `jobs` at a time in separate processes (0 = one per core).
    Messages come back in the order of `paths`; `on_file(path, messages)` is called in that
    order too, for each file as soon as it and the files before it are done (for progress bars
    and messages printed as they come). A file that crashes its worker process (out of memory,
    say) gets one error and the others are still checked."""
    items = [(str(p), tei_all or None) for p in paths]
    jobs = (os.cpu_count() or 1) if jobs == 0 else max(1, jobs)
    jobs = min(jobs, len(items)) or 1
    out: list[Message] = []
    if jobs == 1:
        results: Iterable[list[Message]] = map(_safe_validate, items)
        for (path, _), found in zip(items, results):
            out += found
            if on_file:
                on_file(path, found)
        return out
    warm(tei_all or None)  # compiled once here, inherited by the forked workers
    found_in: dict[str, list[Message]] = {}
    told = 0                                 # files passed to on_file: in the order of `paths`

    def finished(item: tuple[str, TeiAll], found: list[Message] | Stopped) -> None:
        nonlocal told
        if isinstance(found, Stopped):      # a file that crashes its process fails alone
            found = [Message("worker", Severity.ERROR, f"validation failed: {found.text}", file=item[0],
                             hint="validate it alone (-j 1) to see how much memory it needs; report a crash "
                                  "with the file attached", rule=f"worker-{found.cause}")]
        found_in[item[0]] = found
        while told < len(items) and items[told][0] in found_in:
            path = items[told][0]
            out.extend(found_in[path])
            if on_file:
                on_file(path, found_in[path])
            told += 1

    run_isolated(_safe_validate, items, jobs, finished, chunk=max(1, min(16, len(items) // (jobs * 4))))
    return out


def expand_paths(args: Iterable[str | os.PathLike]) -> tuple[list[Path], list[Message]]:
    """Files to validate: each file argument, and every *.xml under each directory (sorted).
    Arguments that do not exist, and directories without XML, give "io" messages."""
    files: list[Path] = []
    problems: list[Message] = []
    for arg in args:
        p = Path(arg)
        if p.is_dir():
            found = sorted(q for q in p.rglob("*.xml") if q.is_file())
            if not found:
                problems.append(_io(str(p), "directory holds no .xml file", "give a TEI file or a directory of them"))
            files += found
        elif p.exists():
            files.append(p)
        else:
            problems.append(_io(str(p), "no such file or directory", "check the path"))
    return files, problems
