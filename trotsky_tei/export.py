"""Exports: one XSLT 1.0 stylesheet per target, shipped as package data, run by lxml (libxslt)
with access control: no file reads or writes, no network, from any stylesheet."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

from lxml import etree

from .messages import error

#: target -> (stylesheet, file extension)
TARGETS: dict[str, tuple[str, str]] = {
    "text": ("text.xsl", "txt"),
}

ACCESS = etree.XSLTAccessControl.DENY_ALL


@lru_cache(maxsize=None)
def stylesheet(name: str) -> etree.XSLT:
    """Compile a packaged stylesheet once per process."""
    path = resources.files("trotsky_tei").joinpath("xslt", name)
    doc = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    return etree.XSLT(doc, access_control=ACCESS)


def _param(value: Any) -> Any:
    return etree.XSLT.strparam(str(value))


def export_tree(tree: etree._ElementTree, target: str, **params: Any) -> bytes:
    """Run the stylesheet of `target` over a TEI tree and return the output bytes."""
    if target not in TARGETS:
        raise error("usage", f"unknown export target '{target}'", hint="choose one of: " + ", ".join(sorted(TARGETS)))
    xslt = stylesheet(TARGETS[target][0])
    try:
        result = xslt(tree, **{k: _param(v) for k, v in params.items() if v is not None})
    except etree.XSLTApplyError as exc:
        raise error("export", f"{target} export failed: {exc}", hint="validate the TEI first (trotsky-tei validate)") from None
    return bytes(result) if result.getroot() is not None or str(result) else b""
