"""The one way this toolkit parses XML: never resolves external entities, never loads a DTD or
anything over the network, refuses entity declarations (billion laughs, XXE) and absurd depth.

Everything that reads XML (validate, export, authority files) goes through `parse_bytes` /
`parse_file`, so the policy is stated once."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from .messages import error

MAX_BYTES = 512 * 1024 * 1024


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def parse_bytes(data: bytes, name: str = "-") -> etree._ElementTree:
    """Parse XML bytes safely or raise a TrotskyTeiError naming the file, line and fix."""
    if not data.strip():
        raise error("xml-empty", "file is empty, not XML", file=name, hint="give a TEI XML file")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise error("xml-binary", "file is binary, not XML", file=name, hint="give a TEI XML file")
    head = data[:65536]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise error(
            "xml-doctype",
            "document type declarations and entities are refused (XXE and entity-expansion protection)",
            file=name,
            line=head[: head.find(b"<!")].count(b"\n") + 1,
            hint="remove the <!DOCTYPE …> declaration; TEI needs none",
        )
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        raise error("xml-syntax", f"not well-formed XML: {exc.msg}", file=name, line=line,
                    column=exc.position[1] if exc.position else 0,
                    hint="fix the markup at that place (an unclosed or mismatched tag, a stray '&' or '<')") from None
    for node in tree.iter(etree.ProcessingInstruction):
        if node.target == "xml-stylesheet":
            continue
    for el in tree.iter("{http://www.w3.org/2001/XInclude}include"):
        raise error("xml-xinclude", "XInclude is refused: it reads other files", file=name,
                    line=el.sourceline or 0, hint="paste the included content into the document")
    return tree


def parse_file(path: str | Path) -> etree._ElementTree:
    """Read and parse a file safely; unreadable or oversized files get a clear error."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise error("xml-too-large", f"file is {size} bytes, over the {MAX_BYTES} byte limit", file=str(p),
                        hint="split the corpus into several files")
        data = p.read_bytes()
    except OSError as exc:
        raise error("io", f"cannot read file: {exc.strerror}", file=str(p),
                    hint="check the path and permissions") from None
    return parse_bytes(data, str(p))
