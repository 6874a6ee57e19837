"""Annotation passes: registered by name with an order, run one after another.

Like docutils transforms or spaCy pipeline components, each pass is a module in this package
with one entry function decorated by `@register(name, order)`. A pass receives the `Document`
(blocks with the spans of earlier passes) and *returns* the spans it proposes as
`(block, span)` pairs; the runner attaches them. Passes never build XML and never need to know
about each other: the weaver resolves nesting and crossing.

Order (lower runs first): notes 10, quotes 20, corrections 30, names 40, dates 50.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from collections.abc import Callable, Iterable

from ..model import Block, Document
from ..spans import Span

Proposal = tuple[Block, Span]
PassFn = Callable[[Document], Iterable[Proposal]]


@dataclasses.dataclass(frozen=True)
class Pass:
    name: str
    order: int
    fn: PassFn


_REGISTRY: dict[str, Pass] = {}


def register(name: str, order: int) -> Callable[[PassFn], PassFn]:
    """Register a pass function under `name`, to run at position `order`."""

    def deco(fn: PassFn) -> PassFn:
        _REGISTRY[name] = Pass(name, order, fn)
        return fn

    return deco


def _load_all() -> None:
    for mod in pkgutil.iter_modules(__path__):
        if not mod.name.startswith("_"):
            importlib.import_module(f"{__name__}.{mod.name}")


def available() -> list[Pass]:
    """All registered passes in run order."""
    _load_all()
    return sorted(_REGISTRY.values(), key=lambda p: (p.order, p.name))


def run_passes(doc: Document, names: Iterable[str] | None = None) -> Document:
    """Run the selected passes (all by default) over `doc`, attaching their spans."""
    wanted = set(names) if names is not None else None
    for p in available():
        if wanted is not None and p.name not in wanted:
            continue
        for block, span in p.fn(doc):
            if not 0 <= span.start <= span.end <= len(block.text):
                raise ValueError(f"pass {p.name} proposed span {span} outside block text")
            if not span.source:
                span = dataclasses.replace(span, source=p.name)
            block.spans.append(span)
            for key in ("resp",):
                val = span.attrs.get(key)
                if val:
                    doc.resp.update(v.lstrip("#") for v in val.split())
            for r in span.readings:
                val = r.attrs.get("resp")
                if val:
                    doc.resp.update(v.lstrip("#") for v in val.split())
    return doc
