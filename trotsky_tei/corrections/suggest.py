"""Correction proposals for a curator, from a plain-text source or from a TEI file.

For a source text, every correction the conversion would make is listed (the edition's own, the
curated file's, the detectors' high-certainty ones) together with the detectors' lower-certainty
proposals, which are not applied until a curator copies them into the corrections file. For a
TEI file, the detectors run over its source reading (existing `choice` elements keep their
source reading and are not proposed again).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from .. import safexml
from ..messages import error
from .detectors import CERTS, Context, detect

TEI = "http://www.tei-c.org/ns/1.0"
BLOCKS = ("p", "head", "item", "dateline", "bibl", "titlePart", "signed", "salute", "trailer", "l", "label")
NAME_TAGS = ("persName", "placeName", "orgName")


@dataclass(frozen=True)
class Suggestion:
    """One row of the list: where, what, what it should read, who proposes it, how sure."""

    file: str
    line: int
    sic: str
    reading: str
    detector: str
    cert: str
    status: str          # applied | proposed | curated | edition
    context: str
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _context(text: str, start: int, end: int, width: int = 30) -> str:
    left = text[max(0, start - width):start]
    right = text[end:end + width]
    return " ".join(f"{left}[{text[start:end]}]{right}".split())


def _line(text: str, offset: int, first_line: int) -> int:
    return first_line + text.count("\n", 0, offset)


# -- plain-text sources ----------------------------------------------------------------------

def from_source(path: str | Path, metadata: dict[str, Any], encoding: str | None = None) -> list[Suggestion]:
    """Every correction of a source text: applied, curated, the edition's, and proposed."""
    from ..convert import analyse
    from ..passes.corrections import context_of, detected
    from ..read import read_source

    text, name = read_source(path, encoding)
    doc = analyse(text, name, metadata, passes=["notes", "corrections"])
    rows: list[Suggestion] = []
    covered: list[tuple[int, int]] = []       # curated and edition corrections
    applied: set[tuple[int, int]] = set()     # the detectors' corrections the pass applied
    for block in doc.blocks:
        for span in block.spans:
            if span.tag != "choice":
                continue
            s, e = block.offset + span.start, block.offset + span.end
            source_reading = next((r for r in span.readings if r.text is None), None)
            other = next((r for r in span.readings if r.text is not None), None)
            if source_reading is None or other is None:
                continue
            resp = (other.attrs.get("resp") or source_reading.attrs.get("resp") or "")
            if "source" in other.attrs or "source" in source_reading.attrs or other.tag == "sic":
                status, detector = "edition", "edition-note"
                sic, reading = (other.text, text[s:e]) if other.tag in ("sic", "orig") else (text[s:e], other.text)
                cert = other.attrs.get("cert", "")
            elif resp == "#trotsky-tei":
                applied.add((s, e))
                continue        # listed below with its detector
            else:
                status, detector, sic, reading = "curated", "curated", text[s:e], other.text
                cert = other.attrs.get("cert", "")
            covered.append((s, e))
            rows.append(Suggestion(name, block.line_of(span.start), sic, reading, detector, cert, status,
                                   _context(text, s, e), resp))
    for block, fix in detected(doc, context_of(doc)):
        s, e = block.offset + fix.start, block.offset + fix.end
        if any(s < b and a < e for a, b in covered):
            continue            # a curated or edition correction holds the place
        status = "applied" if (s, e) in applied else "proposed"
        rows.append(Suggestion(name, block.line_of(fix.start), fix.sic, fix.reading, fix.detector, fix.cert,
                               status, _context(text, s, e), fix.reason))
    rows.sort(key=lambda r: (r.line, r.context))
    return _dedupe(rows)


def _dedupe(rows: list[Suggestion]) -> list[Suggestion]:
    seen: set[tuple] = set()
    out = []
    for r in rows:
        key = (r.line, r.sic, r.context)
        if key in seen:
            continue
        seen.add(key)
        out.append(r)
    return out


# -- TEI files ----------------------------------------------------------------------------------

def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _source_reading(el: etree._Element, parts: list[str], encoded: list[tuple[int, int]]) -> None:
    """Append the source reading of `el`'s content (choices give their transcription)."""
    if el.text:
        parts.append(el.text)
    for child in el:
        tag = _local(child)
        if tag == "choice":
            kids = [c for c in child if _local(c) in ("sic", "orig") and not c.get("source")]
            kids = kids or [c for c in child if _local(c) in ("corr", "reg")]
            start = sum(len(p) for p in parts)
            if kids:
                _source_reading(kids[0], parts, encoded)
            encoded.append((start, sum(len(p) for p in parts)))
        elif tag == "supplied" or not tag:
            pass
        elif tag == "note" and child.get("rend") == "brackets":
            parts.append("[")
            _source_reading(child, parts, encoded)
            parts.append("]")
        else:
            _source_reading(child, parts, encoded)
        if child.tail:
            parts.append(child.tail)


def from_tei(path: str | Path) -> list[Suggestion]:
    """Detector proposals over the source reading of a TEI file (its choices are kept)."""
    tree = safexml.parse_file(path)
    root = tree.getroot()
    text_el = root.find(f"{{{TEI}}}text")
    if text_el is None:
        raise error("not-tei", "no TEI <text> element", file=str(path), line=root.sourceline or 0,
                    hint="give a TEI file written by trotsky-tei convert, or the plain-text source")
    names = ["".join(n.itertext()) for tag in NAME_TAGS for n in root.iter(f"{{{TEI}}}{tag}")]
    blocks = []
    for el in text_el.iter(*(f"{{{TEI}}}{t}" for t in BLOCKS)):
        if any(_local(a) in BLOCKS for a in el.iterancestors()):
            continue
        parts: list[str] = []
        encoded: list[tuple[int, int]] = []
        _source_reading(el, parts, encoded)
        blocks.append((el, "".join(parts), encoded))
    ctx = Context.of("\n\n".join(t for _, t, _ in blocks), names)
    rows = []
    for el, t, encoded in blocks:
        for fix in detect(t, ctx):
            if any(fix.start < b and a < fix.end for a, b in encoded):
                continue
            rows.append(Suggestion(str(path), _line(t, fix.start, el.sourceline or 0), fix.sic, fix.reading,
                                   fix.detector, fix.cert, "proposed", _context(t, fix.start, fix.end), fix.reason))
    return _dedupe(rows)


def suggestions(path: str | Path, metadata: dict[str, Any] | None = None, encoding: str | None = None,
                min_cert: str = "low") -> list[Suggestion]:
    """Rows for a source text or a TEI file (recognised by its content, not its name)."""
    p = Path(path)
    head = b""
    if str(path) != "-":
        try:
            with p.open("rb") as fh:
                head = fh.read(512)
        except OSError:
            head = b""      # read_source gives the one-line error
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        rows = from_tei(p)
    else:
        from ..metadata import load_for

        rows = from_source(path, metadata if metadata is not None else load_for(path), encoding)
    limit = CERTS.index(min_cert)
    return [r for r in rows if not r.cert or CERTS.index(r.cert) <= limit]
