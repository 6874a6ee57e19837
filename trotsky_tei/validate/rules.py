"""Layer 3: the rules a grammar cannot state (schemas/trotsky-tei.sch), run as ISO Schematron
by lxml (libxslt). The rule id printed with each message is the assertion's @id; the hint is
its diagnostic; role="warning" makes it a warning."""

from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree, isoschematron

from ..messages import Message, Severity
from . import locate
from .schemas import schema_path

SVRL = "{http://purl.oclc.org/dsdl/svrl}"
_ROLES = {"warning": Severity.WARNING, "warn": Severity.WARNING, "info": Severity.INFO,
          "information": Severity.INFO}

#: Compile parameters of the ISO skeleton (plain strings: lxml quotes them): visit only the nodes
#: some rule's context matches, found through a key, instead of walking every node and attribute
#: once per pattern; and no svrl:fired-rule for every context node (only failures are read).
_COMPILE = {"select-contexts": "key", "generate-fired-rule": "false"}


@functools.lru_cache(maxsize=4)
def load(path: str | None = None) -> isoschematron.Schematron:
    """The compiled Schematron (cached per process)."""
    p = Path(path) if path else schema_path("trotsky-tei.sch")
    return isoschematron.Schematron(etree.parse(str(p)), compile_params=_COMPILE, store_report=True)


def check(tree: etree._ElementTree, name: str, where: locate.Locator, rules: str | None = None) -> list[Message]:
    """Run the rules; one Message per failed assertion, at the element it is about."""
    sch = load(rules)
    sch.validate(tree)
    report = sch.validation_report
    out: list[Message] = []
    for node in report.getroot().iterchildren(SVRL + "failed-assert", SVRL + "successful-report"):
        text = _words(node.iterchildren(SVRL + "text"))
        hint = _words(node.iterchildren(SVRL + "diagnostic-reference"))
        el = where.element(node.get("location") or "")
        out.append(Message(
            kind="rules", severity=_ROLES.get((node.get("role") or "").lower(), Severity.ERROR), text=text,
            file=name, hint=hint, rule=node.get("id") or "rules", **where.where(el)))
    return out


def _words(nodes) -> str:
    """The text of SVRL nodes on one line, whitespace collapsed."""
    return " ".join(" ".join("".join(n.itertext()).split()) for n in nodes)
