"""The one way this toolkit parses XML and runs XSLT: never resolves entities, never loads a DTD,
an XInclude or anything over the network, refuses document type declarations (billion laughs,
XXE, external DTDs), absurd depth, and stylesheets that read or write files.

Everything that reads XML (validate, export, authority files) goes through `parse_bytes` /
`parse_file`, and every stylesheet through `load_stylesheet` / `transform`, so the policy is
stated once (and documented in docs/security.md)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree

from .docorder import number_document_order
from .messages import TrotskyTeiError, error

MAX_BYTES = 512 * 1024 * 1024

XINCLUDE_NS = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")

#: Stylesheets may not read or write files, nor touch the network (document(), xsl:document,
#: exsl:document); everything they need is in the input tree and their parameters.
XSLT_ACCESS = etree.XSLTAccessControl.DENY_ALL

_DECL = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


class _DenyResolver(etree.Resolver):
    """Refuses every external resource the parser might ask for (defence in depth)."""

    def resolve(self, url, pubid, context):  # noqa: D102 - lxml API
        raise TrotskyTeiError(error("xml-external", f"external resource refused: {url}").message)


def _parser(resolver: etree.Resolver | None = None) -> etree.XMLParser:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        # Large text nodes are legitimate (a 10 MB paragraph); entity amplification stays limited by
        # libxml2 and declarations are refused before and after parsing anyway.
        huge_tree=True,
        remove_blank_text=False,
        collect_ids=False,
    )
    parser.resolvers.add(resolver or _DenyResolver())
    return parser


_NO_BOM_UTF = ((b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
               (b"\x00<\x00?", "utf-16-be"), (b"<\x00?\x00", "utf-16-le"))
_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)


def _ascii(data: bytes) -> bytes:
    """The document as ASCII-compatible bytes, so that declarations are found in UTF-16/32 too."""
    for bom, codec in _BOMS + _NO_BOM_UTF:
        if data.startswith(bom):
            return data.decode(codec, errors="replace").encode("utf-8", errors="replace")
    return data


def _prolog_end(data: bytes) -> int:
    """Offset of the first thing after the prolog's comments, processing instructions and space."""
    pos = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    while True:
        m = _PROLOG_ITEM.match(data, pos)
        if not m or m.end() == pos:
            return pos
        pos = m.end()


def _declaration_in_prolog(data: bytes) -> int | None:
    """Offset of a `<!DOCTYPE` or `<!ENTITY` before the root element (after comments, PIs, space)."""
    pos = _prolog_end(data)
    return pos if _DECL.match(data, pos) else None


def _refuse_doctype(name: str, line: int) -> TrotskyTeiError:
    return error("xml-doctype",
                 "document type declarations and entities are refused (XXE and entity-expansion protection)",
                 file=name, line=line, hint="remove the <!DOCTYPE …> declaration; TEI needs none")


def _check_head(head: bytes, name: str, size: int) -> None:
    """Refusals decided by the first bytes of a document: too large, empty, binary, a DTD."""
    if size > MAX_BYTES:
        raise error("xml-too-large", f"file is {size} bytes, over the {MAX_BYTES} byte limit", file=name,
                    hint="split the corpus into several files")
    if not head.strip():
        raise error("xml-empty", "file is empty, not XML", file=name, hint="give a TEI XML file")
    if b"\x00" in head[:4096] and not any(head.startswith(bom) for bom, _ in _BOMS):
        raise error("xml-binary", "file is binary, not XML", file=name, hint="give a TEI XML file")
    text = _ascii(head)
    found = _declaration_in_prolog(text)
    if found is not None:
        raise _refuse_doctype(name, text[:found].count(b"\n") + 1)


def _syntax_error(exc: Exception, name: str) -> TrotskyTeiError:
    if isinstance(exc, TrotskyTeiError):
        return TrotskyTeiError(error(exc.message.kind, exc.message.text, file=name,
                                     hint="remove the reference; TEI documents are self-contained").message)
    if isinstance(exc, etree.XMLSyntaxError):
        line = exc.lineno or 0
        msg = exc.msg or "unreadable XML"
        if "amplification" in msg or ("entity" in msg.lower() and "loop" in msg.lower()):
            return _refuse_doctype(name, line)
        if "Excessive depth" in msg:
            return error("xml-depth", "elements are nested too deep for a TEI document", file=name, line=line,
                         hint="this is not a TEI document the toolkit wrote; check how it was made")
        msg = re.sub(r", line \d+, column \d+$", "", " ".join(msg.split()))
        return error("xml-syntax", f"not well-formed XML: {msg}", file=name, line=line,
                     column=exc.position[1] if exc.position else 0,
                     hint="fix the markup at that place (an unclosed or mismatched tag, a stray '&' or '<')")
    # e.g. an encoding declaration lxml cannot honour
    return error("xml-syntax", f"not readable XML: {' '.join(str(exc).split())}", file=name,
                 hint="save the file as UTF-8 XML")


def _check_tree(tree: etree._ElementTree, name: str, text: Callable[[], bytes]) -> etree._ElementTree:
    """Refusals decided by the parsed tree: a DTD, entities, XInclude. `text` gives the document's
    bytes (as ASCII-compatible bytes) for the line of a refused declaration."""
    docinfo = tree.docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        data = text()
        decl = _DECL.search(data)
        raise _refuse_doctype(name, data[: decl.start()].count(b"\n") + 1 if decl else 1)
    root = tree.getroot()
    # one walk finds whether anything is refused (each walk of a large tree costs as much as a
    # tenth of parsing it); only then is each kind looked for, in the order of the messages
    if next(root.iter(etree.Entity, *(f"{{{ns}}}*" for ns in XINCLUDE_NS)), None) is None:
        return tree
    for node in root.iter(etree.Entity):
        raise _refuse_doctype(name, node.sourceline or 0)
    for ns in XINCLUDE_NS:
        for el in tree.iter(f"{{{ns}}}*"):
            raise error("xml-xinclude", "XInclude is refused: it reads other files", file=name,
                        line=el.sourceline or 0, hint="paste the included content into the document")
    return tree


def parse_bytes(data: bytes, name: str = "-") -> etree._ElementTree:
    """Parse XML bytes safely or raise a TrotskyTeiError naming the file, line and fix."""
    _check_head(data, name, len(data))
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except (TrotskyTeiError, etree.XMLSyntaxError, ValueError) as exc:
        raise _syntax_error(exc, name) from None
    return _check_tree(tree, name, lambda: _ascii(data))


#: Bytes read at a time when a file is parsed from disk.
_CHUNK = 1 << 20


def parse_path(path: Path, name: str | None = None) -> etree._ElementTree:
    """Parse an XML file safely, as `parse_bytes` does, without holding its bytes: the parser is
    fed a megabyte at a time (a large file's bytes beside its tree would be its size again)."""
    name = name or str(path)
    size = path.stat().st_size
    with open(path, "rb") as fh:
        head = fh.read(_CHUNK)
        text = _ascii(head)
        if len(head) < _CHUNK or _prolog_end(text) >= len(text) - 64:
            # the whole file fits in one piece, or its prolog runs past it: checked and parsed whole
            return parse_bytes(head + fh.read(), name)
        _check_head(head, name, size)
        parser = _parser()
        try:
            chunk = head
            while chunk:
                parser.feed(chunk)
                chunk = fh.read(_CHUNK)
            tree = etree.ElementTree(parser.close())
        except (TrotskyTeiError, etree.XMLSyntaxError, ValueError) as exc:
            raise _syntax_error(exc, name) from None
    return _check_tree(tree, name, lambda: _ascii(path.read_bytes()))


def parse_file(path: str | Path) -> etree._ElementTree:
    """Read and parse a file safely; unreadable or oversized files get a clear error."""
    p = Path(path)
    try:
        if p.is_dir():
            raise error("io", "is a directory, not a file", file=str(p), hint="give the path of an XML file")
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise error("xml-too-large", f"file is {size} bytes, over the {MAX_BYTES} byte limit", file=str(p),
                        hint="split the corpus into several files")
        return parse_path(p)
    except FileNotFoundError:
        raise error("io", "no such file", file=str(p), hint="check the path") from None
    except OSError as exc:
        raise error("io", f"cannot read file: {exc.strerror or exc}", file=str(p),
                    hint="check the path and permissions") from None


class _StylesheetResolver(etree.Resolver):
    """Lets a stylesheet include or import siblings in its own directory, and nothing else."""

    def __init__(self, root: Path):
        super().__init__()
        self.root = root.resolve()

    def resolve(self, url, pubid, context):  # noqa: D102 - lxml API
        target = Path(url[7:] if url.startswith("file://") else url)
        if not target.is_absolute():
            target = self.root / target
        target = target.resolve()
        if target.parent == self.root and target.suffix == ".xsl" and target.is_file():
            return self.resolve_filename(str(target), context)
        raise TrotskyTeiError(error("xslt-external", f"stylesheet include refused: {url}").message)


def load_stylesheet(path: str | Path, root: str | Path | None = None,
                    extensions: dict | None = None) -> etree.XSLT:
    """Compile a stylesheet with file and network access denied; `xsl:include`/`xsl:import` may
    load only .xsl files of `root` (default: the stylesheet's own directory). `extensions`: the
    extension elements and functions it may call, as lxml takes them."""
    return load_stylesheet_doc(path, root, extensions)[0]


def load_stylesheet_doc(path: str | Path, root: str | Path | None = None,
                        extensions: dict | None = None) -> tuple[etree.XSLT, etree._ElementTree]:
    """`load_stylesheet`, and the stylesheet's parsed document (its xsl:output, for instance)."""
    p = Path(path)
    parser = _parser(_StylesheetResolver(Path(root) if root is not None else p.parent))
    try:
        doc = etree.ElementTree(etree.fromstring(p.read_bytes(), parser, base_url=str(p.resolve())))
        return etree.XSLT(doc, access_control=XSLT_ACCESS, extensions=extensions), doc
    except TrotskyTeiError as exc:
        raise error("xslt", f"stylesheet cannot be compiled: {exc.message.text}", file=str(p),
                    hint="a stylesheet may include only its sibling .xsl files") from None
    except (etree.XSLTParseError, etree.XMLSyntaxError, OSError) as exc:
        raise error("xslt", f"stylesheet cannot be compiled: {exc}", file=str(p),
                    hint="this is a bug in the stylesheet; report it") from None


#: A stylesheet's error log saying it was stopped by the access policy.
_ACCESS_DENIED = re.compile(r"(read rights for|write rights for|refused|denied)", re.I)


def transform(xslt: etree.XSLT, tree: etree._ElementTree, name: str | None = None, *, what: str = "transformation",
              kinds: tuple[str, str] = ("xslt-denied", "xslt"), numbered: bool = False,
              **params: Any) -> etree._XSLTResultTree:
    """Run a stylesheet (parameters as strings); a denied file or network access, or any XSLT
    failure, becomes a one-line error of kind `kinds[0]` or `kinds[1]`, never a traceback. The
    one runner of every stylesheet of the toolkit. `numbered`: the caller has just numbered the
    tree's document order (`docorder`)."""
    if not numbered:
        number_document_order(tree)
    try:
        return xslt(tree, **{k: etree.XSLT.strparam(str(v)) for k, v in params.items() if v is not None})
    except etree.XSLTApplyError as exc:
        log = " ".join(" ".join(str(e.message).split()) for e in xslt.error_log) or " ".join(str(exc).split())
        if _ACCESS_DENIED.search(log):
            url = re.search(r"(?:read rights for|write rights for|for) (\S+)", log)
            raise error(kinds[0], f"{what} refused: the stylesheet tried to read or write "
                        f"{url.group(1) if url else 'a file or URL'} (document() and output files are not "
                        "allowed; a stylesheet reads only its input)", file=name,
                        hint="remove document() / xsl:document calls from the stylesheet") from None
        raise error(kinds[1], f"{what} failed: {log.strip() or exc}", file=name,
                    hint="validate the TEI first (trotsky-tei validate)") from None
