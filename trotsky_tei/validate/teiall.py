"""Optional layer 4: full TEI P5 conformance against a tei_all.rng the user has (RELAX NG, lxml).

Compiling tei_all takes seconds, so the schema is compiled once per process and kept."""

from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree

from .. import safexml
from ..messages import Message, Severity, error
from . import locate


@functools.lru_cache(maxsize=2)
def load(path: str) -> etree.RelaxNG:
    """Compile the RELAX NG schema at `path` (cached); a clear error when it is not one."""
    p = Path(path)
    tree = safexml.parse_file(p)
    try:
        return etree.RelaxNG(tree)
    except etree.RelaxNGParseError as exc:
        raise error("usage", f"not a RELAX NG schema: {exc}", file=str(p),
                    hint="give the path of tei_all.rng (TEI P5, RELAX NG XML syntax)") from None


def check(tree: etree._ElementTree, name: str, where: locate.Locator, path: str) -> list[Message]:
    rng = load(str(path))
    if rng.validate(tree):
        return []
    out: list[Message] = []
    for entry in rng.error_log:
        el = where.element(entry.path or "", entry.line)
        out.append(Message(
            kind="tei-all", severity=Severity.ERROR, text=locate.strip_tei_ns(entry.message.strip()),
            file=name, **where.where(el, entry.line),
            hint="full TEI P5 (tei_all) does not allow this; where the project schema reports the same place, "
                 "its message says what to change, otherwise see the TEI Guidelines for the element", rule="tei-all"))
    return out
