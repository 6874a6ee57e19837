"""The entity index of TEI files written by trotsky-tei: who and what is named, and where.

Reads `persName`/`placeName`/`orgName` in `text` and the records in `standOff`, and gathers, per
entity (`@ref`): its type, preferred name, the spellings the text uses, every mention (file,
document, XPath of the block, paragraph number, character offset) and its authority ids
(Wikidata, GeoNames...). Names without `@ref` are the unknown names the name pass proposed
from context; they are listed apart for a curator to add to `corpus/authority/`.

Used by `trotsky-tei entities` (table, CSV, JSON) and by the CSV/JSON exports.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from lxml import etree

from . import TEI_NS, XML_ID
from .messages import error
from .safexml import parse_file

NAME_TYPES = {"persName": "person", "placeName": "place", "orgName": "org"}
RECORD_TAGS = {"person": "persName", "place": "placeName", "org": "orgName"}
#: Elements that are blocks of text (the unit a mention's position is counted in).
BLOCKS = frozenset({"p", "head", "item", "bibl", "dateline", "titlePart", "signed", "salute", "note", "l", "label"})
CERT_ORDER = {"": 3, "high": 2, "medium": 1, "low": 0}
CONTEXT = 40


@dataclass
class Mention:
    """One occurrence of a name in a TEI file."""

    file: str
    document: str            # xml:id of the document div ("d3"), or "front" / "back"
    title: str               # the document's heading (or supplied title)
    xpath: str               # the block element holding the name
    paragraph: int           # 1-based number of that block within its document
    offset: int              # character offset of the name in the block's source text
    text: str                # the name as written (source reading)
    cert: str = ""
    resp: str = ""
    context: str = ""        # the text around it, for a reader


@dataclass
class Entity:
    """One authority record and its mentions."""

    id: str
    type: str
    preferred: str = ""
    authority: dict[str, str] = field(default_factory=dict)
    variants: Counter = field(default_factory=Counter)
    mentions: list[Mention] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "type": self.type,
            "preferred": self.preferred,
            "variants": [{"name": n, "count": c} for n, c in _ordered(self.variants)],
            "mention_count": len(self.mentions),
            "mentions": [_mention_dict(m) for m in self.mentions],
            "authority": dict(sorted(self.authority.items())),
        }


@dataclass
class Unknown:
    """A name the toolkit proposed without an authority record."""

    text: str
    type: str
    cert: str
    mentions: list[Mention] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"text": self.text, "type": self.type, "cert": self.cert, "count": len(self.mentions),
                "mentions": [_mention_dict(m) for m in self.mentions]}


@dataclass
class Index:
    entities: dict[str, Entity] = field(default_factory=dict)
    unknown: dict[tuple[str, str], Unknown] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def sorted_entities(self) -> list[Entity]:
        return sorted(self.entities.values(), key=lambda e: (e.type, e.preferred.casefold(), e.id))

    def sorted_unknown(self) -> list[Unknown]:
        return sorted(self.unknown.values(), key=lambda u: (u.type, u.text.casefold(), u.text))


def _ordered(counter: Counter) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def _mention_dict(m: Mention) -> dict:
    return asdict(m)


# --------------------------------------------------------------------------- reading TEI


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def source_text(el: etree._Element, positions: dict[int, tuple[int, etree._Element]] | None = None) -> str:
    """The source reading of an element: in a `choice`, the transcribed child (sic/orig, or the
    sibling of a reading taken from elsewhere); `lb` as a space. With `positions`, records the
    offset at which every descendant element starts (keyed by `id(element)`; the element is
    kept with it, since lxml reuses a proxy object only while it is alive)."""
    out: list[str] = []
    size = 0

    def emit(text: str | None) -> None:
        nonlocal size
        if text:
            out.append(text)
            size += len(text)

    def walk(node: etree._Element) -> None:
        emit(node.text)
        for child in node:
            if positions is not None:
                positions[id(child)] = (size, child)
            name = _local(child)
            if name == "choice":
                kids = [k for k in child if isinstance(k.tag, str)]
                pick = next((k for k in kids if _local(k) in ("sic", "orig") and k.get("source") is None), None)
                if pick is None:
                    pick = next((k for k in kids if k.get("source") is None), kids[0] if kids else None)
                if pick is not None:
                    walk(pick)
            elif name == "lb":
                if not (child.tail or "").startswith(("\n", " ")):
                    emit(" ")
            elif name == "note" and child.get("rend") == "brackets":
                emit("[")
                walk(child)
                emit("]")
            elif isinstance(child.tag, str) and name != "supplied":
                walk(child)
            emit(child.tail)

    walk(el)
    return "".join(out)


def _xpath(el: etree._Element) -> str:
    """An XPath with the `tei:` prefix and positions, e.g. /tei:TEI/tei:text/tei:body/tei:div[2]/tei:p[3]."""
    steps = []
    node = el
    while node is not None:
        parent = node.getparent()
        name = _local(node)
        if parent is None:
            steps.append(f"tei:{name}")
        else:
            same = [s for s in parent if isinstance(s.tag, str) and s.tag == node.tag]
            steps.append(f"tei:{name}[{same.index(node) + 1}]" if len(same) > 1 else f"tei:{name}")
        node = parent
    return "/" + "/".join(reversed(steps))


def _is_block(el: etree._Element) -> bool:
    """A block of text: a paragraph, heading, item...; a note or bibl only when it stands
    on its own in a div (an endnote), not inline in a paragraph; never one holding blocks."""
    name = _local(el)
    if name not in BLOCKS:
        return False
    if name in ("note", "bibl"):
        parent = el.getparent()
        if parent is None or _local(parent) != "div":
            return False
    return not any(_is_block(d) for d in el.iterdescendants() if _local(d) in ("p", "l", "item"))


def _block_of(el: etree._Element) -> etree._Element:
    node = el.getparent()
    while node is not None and not _is_block(node):
        node = node.getparent()
    return node if node is not None else el.getparent()


def _document_of(el: etree._Element) -> tuple[str, etree._Element | None]:
    node = el.getparent()
    while node is not None:
        if _local(node) == "div" and node.get("type") == "document":
            return node.get(XML_ID) or "", node
        if _local(node) in ("front", "back"):
            return _local(node), node
        node = node.getparent()
    return "", None


def _title_of(div: etree._Element | None) -> str:
    if div is None:
        return ""
    if _local(div) == "front":
        part = div.find(f".//{{{TEI_NS}}}titlePart")
        return " ".join(source_text(part).split()) if part is not None else ""
    if _local(div) == "back":
        return "Notes"
    head = div.find(f"{{{TEI_NS}}}head")
    if head is not None:
        supplied = head.find(f"{{{TEI_NS}}}supplied")
        text = " ".join((source_text(head) or ("".join(supplied.itertext()) if supplied is not None else "")).split())
        return text
    return div.get("n") or ""


def _records(tree: etree._ElementTree) -> dict[str, etree._Element]:
    out = {}
    for kind in RECORD_TAGS:
        for rec in tree.iterfind(f".//{{{TEI_NS}}}standOff//{{{TEI_NS}}}{kind}"):
            rid = rec.get(XML_ID)
            if rid:
                out[rid] = rec
    return out


def _preferred(rec: etree._Element) -> str:
    name_tag = RECORD_TAGS.get(_local(rec), "")
    names = rec.findall(f"{{{TEI_NS}}}{name_tag}")
    for n in names:
        if n.get("type") in ("preferred", "main", "reg", "standard"):
            return " ".join("".join(n.itertext()).split())
    return " ".join("".join(names[0].itertext()).split()) if names else ""


def _idnos(rec: etree._Element) -> dict[str, str]:
    out = {}
    for idno in rec.findall(f"{{{TEI_NS}}}idno"):
        if idno.get("type") and (idno.text or "").strip():
            out.setdefault(idno.get("type"), idno.text.strip())
    return out


def add_tree(index: Index, tree: etree._ElementTree, file: str) -> None:
    """Add the names of one TEI document to the index."""
    root = tree.getroot()
    if _local(root) != "TEI" or etree.QName(root).namespace != TEI_NS:
        raise error("not-tei", f"not a TEI document (root element <{_local(root)}>)", file=file,
                    hint="give a TEI file written by `trotsky-tei convert`")
    text_el = root.find(f"{{{TEI_NS}}}text")
    if text_el is None:
        raise error("not-tei", "the TEI document has no <text>", file=file,
                    hint="give a TEI file written by `trotsky-tei convert`")
    index.files.append(file)
    records = _records(tree)
    # keyed by id(element), the element kept alive beside the value (see source_text)
    paragraph_numbers: dict[int, tuple[int, etree._Element]] = {}
    block_cache: dict[int, tuple[str, dict, etree._Element]] = {}
    for el in text_el.iter(*(f"{{{TEI_NS}}}{t}" for t in NAME_TYPES)):
        if any(_local(a) in NAME_TYPES for a in el.iterancestors()):
            continue                      # nested names are not written, but be safe
        type_ = NAME_TYPES[_local(el)]
        surface = " ".join(source_text(el).split())
        doc_id, div = _document_of(el)
        block = _block_of(el)
        if id(block) not in paragraph_numbers:
            scope = div if div is not None else text_el
            blocks = [b for b in scope.iter() if _is_block(b)]
            for n, b in enumerate(blocks, 1):
                paragraph_numbers.setdefault(id(b), (n, b))
        cached = block_cache.get(id(block))
        if cached is None:
            positions: dict[int, tuple[int, etree._Element]] = {}
            cached = block_cache[id(block)] = (source_text(block, positions), positions, block)
        block_text, positions, _ = cached
        offset = positions[id(el)][0] if id(el) in positions else 0
        context = block_text[max(0, offset - CONTEXT):offset + len(surface) + CONTEXT]
        mention = Mention(
            file=file, document=doc_id, title=_title_of(div), xpath=_xpath(block),
            paragraph=paragraph_numbers[id(block)][0] if id(block) in paragraph_numbers else 0,
            offset=offset, text=surface,
            cert=el.get("cert") or "", resp=el.get("resp") or "", context=" ".join(context.split()),
        )
        ref = (el.get("ref") or "").strip()
        if ref.startswith("#"):
            rid = ref[1:]
            ent = index.entities.get(rid)
            if ent is None:
                rec = records.get(rid)
                ent = Entity(rid, _local(rec) if rec is not None else type_,
                             _preferred(rec) if rec is not None else surface,
                             _idnos(rec) if rec is not None else {})
                index.entities[rid] = ent
            ent.variants[surface] += 1
            ent.mentions.append(mention)
        else:
            key = (type_, surface)
            unk = index.unknown.get(key)
            if unk is None:
                unk = index.unknown[key] = Unknown(surface, type_, mention.cert)
            if CERT_ORDER.get(mention.cert, 0) > CERT_ORDER.get(unk.cert, 0):
                unk.cert = mention.cert
            unk.mentions.append(mention)


def build_index(paths: Iterable[str | Path]) -> Index:
    """The index of one or more TEI files (read safely; errors name the file)."""
    index = Index()
    for p in paths:
        add_tree(index, parse_file(p), str(p))
    return index


def index_of_tree(tree: etree._ElementTree, file: str = "-") -> Index:
    index = Index()
    add_tree(index, tree, file)
    return index


# --------------------------------------------------------------------------- output

ENTITY_COLUMNS = ["id", "type", "preferred", "variants", "mention_count", "mentions", "wikidata", "geonames",
                  "other_ids"]
UNKNOWN_COLUMNS = ["text", "type", "cert", "count", "documents", "context"]


def _position(m: Mention, many_files: bool) -> str:
    where = f"{m.document or '-'} ¶{m.paragraph} +{m.offset}"
    return f"{Path(m.file).name}:{where}" if many_files else where


def entity_rows(index: Index) -> list[dict[str, str]]:
    many = len(index.files) > 1
    rows = []
    for e in index.sorted_entities():
        other = {k: v for k, v in e.authority.items() if k not in ("wikidata", "geonames")}
        rows.append({
            "id": e.id,
            "type": e.type,
            "preferred": e.preferred,
            "variants": "; ".join(n for n, _ in _ordered(e.variants)),
            "mention_count": str(len(e.mentions)),
            "mentions": "; ".join(_position(m, many) for m in e.mentions),
            "wikidata": e.authority.get("wikidata", ""),
            "geonames": e.authority.get("geonames", ""),
            "other_ids": "; ".join(f"{k}:{v}" for k, v in sorted(other.items())),
        })
    return rows


def unknown_rows(index: Index) -> list[dict[str, str]]:
    rows = []
    for u in index.sorted_unknown():
        docs = []
        for m in u.mentions:
            d = m.document or "-"
            if d not in docs:
                docs.append(d)
        rows.append({
            "text": u.text, "type": u.type, "cert": u.cert, "count": str(len(u.mentions)),
            "documents": "; ".join(docs), "context": u.mentions[0].context if u.mentions else "",
        })
    return rows


def to_csv(index: Index, unknown: bool = False) -> str:
    buf = io.StringIO()
    cols = UNKNOWN_COLUMNS if unknown else ENTITY_COLUMNS
    writer = csv.DictWriter(buf, fieldnames=cols, lineterminator="\r\n")
    writer.writeheader()
    for row in (unknown_rows(index) if unknown else entity_rows(index)):
        writer.writerow(row)
    return buf.getvalue()


def to_json(index: Index, unknown: bool = False) -> str:
    if unknown:
        data = {"files": index.files, "unknown": [u.as_dict() for u in index.sorted_unknown()]}
    else:
        data = {"files": index.files, "entities": [e.as_dict() for e in index.sorted_entities()]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def to_table(index: Index, unknown: bool = False) -> str:
    """A readable, aligned table (the full positions are in the CSV and JSON)."""
    if unknown:
        header = ["TYPE", "NAME", "CERT", "COUNT", "DOCUMENTS", "CONTEXT"]
        rows = [[r["type"], r["text"], r["cert"], r["count"], _clip(r["documents"], 20), _clip(r["context"], 60)]
                for r in unknown_rows(index)]
        empty = "no unknown names"
    else:
        header = ["ID", "TYPE", "PREFERRED", "MENTIONS", "VARIANTS", "WIKIDATA", "GEONAMES", "FIRST"]
        rows = []
        for r, e in zip(entity_rows(index), index.sorted_entities()):
            first = _position(e.mentions[0], len(index.files) > 1) if e.mentions else ""
            rows.append([r["id"], r["type"], _clip(r["preferred"], 32), r["mention_count"],
                         _clip(r["variants"], 40), r["wikidata"], r["geonames"], first])
        empty = "no linked names"
    if not rows:
        return empty + "\n"
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    return "\n".join(lines) + "\n"


FORMATS = {"table": to_table, "csv": to_csv, "json": to_json}
