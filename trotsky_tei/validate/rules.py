"""Layer 3: the rules a grammar cannot state (schemas/trotsky-tei.sch), ISO Schematron compiled
by `schematron.py` into one XSLT stylesheet run by lxml (libxslt), with file and network access
denied. The rule id printed with each message is the assertion's @id; the hint is its diagnostic;
role="warning" makes it a warning."""

from __future__ import annotations

import functools

from lxml import etree

from .. import safexml
from ..messages import Message, Severity
from . import locate, schematron
from .schemas import schema_path

_ROLES = {"warning": Severity.WARNING, "warn": Severity.WARNING, "info": Severity.INFO,
          "information": Severity.INFO}


def load(path: str | None = None) -> schematron.Compiled:
    """The compiled rules (cached per process, by file: `load()` and `load(None)` are one entry,
    so that what `validate.warm` compiles before workers fork is what they run)."""
    return _compiled(str(path) if path else str(schema_path("trotsky-tei.sch")))


@functools.lru_cache(maxsize=4)
def _compiled(path: str) -> schematron.Compiled:
    return schematron.Compiled(etree.parse(path), access=safexml.XSLT_ACCESS, name=path)


def check(tree: etree._ElementTree, name: str, where: locate.Locator, rules: str | None = None) -> list[Message]:
    """Run the rules; one Message per failed assertion, at the element it is about."""
    return [Message(kind="rules", severity=_ROLES.get(f.role.lower(), Severity.ERROR), text=f.text, file=name,
                    hint=f.hint, rule=f.id or "rules", **where.where(f.element, at=f.line))
            for f in load(rules).run(tree)]
