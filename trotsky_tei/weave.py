"""The weaver: the one place where spans become nested elements.

Passes propose spans independently; here they are resolved (crossing spans are split when the
element allows it, e.g. a quotation, or dropped with a logged reason, e.g. a name), nested by
range and rank, and written into lxml elements. Every character of a block's text is emitted
exactly once, in order, so the TEI stays lossless whatever the passes proposed.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from lxml import etree

from . import TEI_NS, XML_NS
from .messages import Reporter, Severity
from .model import Block, Document
from .spans import SPLITTABLE, Span, SpanIndex

T = "{%s}" % TEI_NS


def qname(name: str) -> str:
    """`xml:id` -> Clark notation; plain names stay as they are (attributes are unqualified)."""
    if name.startswith("xml:"):
        return "{%s}%s" % (XML_NS, name[4:])
    return name


def tei(tag: str, attrs: dict[str, str] | None = None, text: str | None = None) -> etree._Element:
    el = etree.Element(T + tag)
    for k, v in (attrs or {}).items():
        el.set(qname(k), v)
    if text is not None:
        el.text = text
    return el


def sub(parent: etree._Element, tag: str, attrs: dict[str, str] | None = None, text: str | None = None) -> etree._Element:
    # made in its parent's document: an element made alone and then moved has its namespace
    # reconciled on the move, which costs more than making it
    if attrs and any(k.startswith("xml:") for k in attrs):
        attrs = {qname(k): v for k, v in attrs.items()}
    el = etree.SubElement(parent, T + tag, attrs or None)
    if text is not None:
        el.text = text
    return el


# --------------------------------------------------------------------------- span resolution

def resolve(spans: list[Span], reporter: Reporter, block: Block) -> list[Span]:
    """Accept spans by priority; a span crossing an accepted one is split (if its element may be
    split) or dropped, with a message either way. Exact duplicates are dropped silently."""
    accepted: list[Span] = []
    index = SpanIndex()
    seen: set[tuple[int, int, str]] = set()
    # by priority, then position, longest first; the pieces of a split span go before the spans
    # already waiting with the same key, the last split's first (what sorting the waiting list
    # again after putting them in front of it gives, as a heap: a block may hold thousands)
    queue = [(-s.priority, s.start, s.start - s.end, 0, i, s) for i, s in enumerate(spans)]
    heapq.heapify(queue)
    splits = 0
    while queue:
        span = heapq.heappop(queue)[-1]
        key = (span.start, span.end, span.tag)
        if key in seen:
            continue
        crossing = [a for a in index.overlapping(span.start, span.end) if span.crosses(a)]
        if not crossing:
            accepted.append(span)
            index.add(span)
            seen.add(key)
            continue
        cuts = sorted({p for a in crossing for p in (a.start, *a.inner, a.end) if span.start < p < span.end})
        if span.tag in SPLITTABLE and span.delims == (0, 0) and cuts:
            bounds = [span.start, *cuts, span.end]
            pieces = [replace(span, start=a, end=b) for a, b in zip(bounds, bounds[1:]) if b > a]
            reporter.add("span-split", Severity.DEBUG,
                         f"<{span.tag}> from pass {span.source or '?'} crosses <{crossing[0].tag}>; split in {len(pieces)}",
                         line=block.line_of(span.start))
            splits += 1
            for i, p in enumerate(pieces):
                heapq.heappush(queue, (-p.priority, p.start, p.start - p.end, -splits, i, p))
            continue
        reporter.add("span-dropped", Severity.INFO,
                     f"<{span.tag}> '{block.text[span.start:span.end][:40]}' from pass {span.source or '?'} "
                     f"crosses <{crossing[0].tag}> '{block.text[crossing[0].start:crossing[0].end][:40]}'; dropped",
                     line=block.line_of(span.start),
                     hint="adjust one of the two passes or curate the markup by hand")
    return accepted


@dataclass
class Node:
    span: Span
    children: list[Node] = field(default_factory=list)


def nest(spans: list[Span]) -> list[Node]:
    """Non-crossing spans -> a forest ordered by position (outer first on equal ranges, by rank)."""
    ordered = sorted(spans, key=lambda s: (s.start, -(s.end - s.start), s.rank))
    roots: list[Node] = []
    stack: list[Node] = []
    for span in ordered:
        node = Node(span)
        while stack:
            top = stack[-1].span
            lo, hi = top.inner
            if lo <= span.start and span.end <= hi:
                break
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


# --------------------------------------------------------------------------- emitting text

LINEBREAK_ROLES = frozenset({"title", "head"})


class Emitter:
    """Writes block text and nested spans into an element, character for character."""

    def __init__(self, text: str, linebreaks: bool):
        self.text = text
        self.linebreaks = linebreaks

    def append_text(self, parent: etree._Element, s: str, last: etree._Element | None) -> etree._Element | None:
        """Write `s` after `last`, the last child of `parent` (None: into its text), and return
        the last child then. The caller keeps track of it: len() counts an element's children,
        which in a block of a whole text is quadratic."""
        if not s:
            return last
        parts = s.split("\n") if self.linebreaks else [s]
        for i, part in enumerate(parts):
            if i:
                last = sub(parent, "lb")
                last.tail = ""
            if last is not None:
                last.tail = (last.tail or "") + part
            else:
                parent.text = (parent.text or "") + part
        return last

    def emit(self, parent: etree._Element, lo: int, hi: int, nodes: list[Node],
             on_child: Callable[[etree._Element], None] | None = None) -> None:
        """Write text[lo:hi] with `nodes` into `parent`; `on_child(parent)` after each element
        written into it at this level (see weave_block)."""
        pos, last = self.emit_nodes(parent, lo, nodes, parent[-1] if len(parent) else None, on_child)
        self.append_text(parent, self.text[pos:hi], last)

    def emit_nodes(self, parent: etree._Element, pos: int, nodes: list[Node], last: etree._Element | None,
                   on_child: Callable[[etree._Element], None] | None = None) -> tuple[int, etree._Element | None]:
        """Write the text from `pos` up to each of `nodes` and the node, after `last` (the last
        child of `parent`, or None); return where the text stops and the last child then."""
        for node in nodes:
            span = node.span
            last = self.append_text(parent, self.text[pos:span.start], last)
            last = self.element(parent, node)
            pos = span.end
            if on_child is not None:
                on_child(parent)
        return pos, last

    def element(self, parent: etree._Element, node: Node) -> etree._Element:
        span = node.span
        el = sub(parent, span.tag, span.attrs)
        lo, hi = span.inner
        if span.readings:
            for reading in span.readings:
                child = sub(el, reading.tag, reading.attrs)
                if reading.text is None:
                    self.emit(child, lo, hi, node.children)
                else:
                    child.text = reading.text
        else:
            self.emit(el, lo, hi, node.children)
        return el


def weave_block(parent: etree._Element, block: Block, reporter: Reporter, lo: int = 0, hi: int | None = None,
                on_child: Callable[[etree._Element], None] | None = None) -> None:
    """Write `block.text[lo:hi]` with its spans into `parent`. `on_child` is called with
    `parent` after each element written into it: the caller may write and remove its children
    but the last, whose tail the text after it goes to (a paragraph as long as a book).

    The spans are resolved, nested and written one stretch at a time (`stretches`): what is
    held for a block while it is woven is then the size of a stretch, not of the block, which
    in a text without line breaks is the whole text."""
    hi = len(block.text) if hi is None else hi
    spans = [s for s in block.spans if lo <= s.start and s.end <= hi]
    for s in block.spans:
        if not (lo <= s.start and s.end <= hi):
            reporter.add("span-dropped", Severity.INFO, f"<{s.tag}> outside the content of a {block.role} block; dropped",
                         line=block.line_of(s.start))
    emitter = Emitter(block.text, block.role in LINEBREAK_ROLES)
    pos, last = lo, parent[-1] if len(parent) else None
    for stretch in stretches(spans):
        pos, last = emitter.emit_nodes(parent, pos, nest(resolve(stretch, reporter, block)), last, on_child)
    emitter.append_text(parent, block.text[pos:hi], last)


#: Spans of a block from which it is woven stretch by stretch (`stretches`); fewer are woven at
#: once, which holds little and costs less.
STRETCHES_FROM = 256


def stretches(spans: list[Span]) -> Iterator[list[Span]]:
    """`spans` in groups that cannot touch one another, in the order of the text: a group ends
    where no span of it reaches the next span's start. A span can cross, contain or hold a
    span (even an empty one at its end) only of its own group, so each group is resolved and
    nested alone as it would be among all the spans (`resolve`'s messages come group by group).
    Each group keeps the order `spans` gives its spans. Fewer than `STRETCHES_FROM` spans
    are one group."""
    if len(spans) < max(2, STRETCHES_FROM):
        if spans:
            yield spans
        return
    order = sorted(range(len(spans)), key=lambda i: spans[i].start)
    run: list[int] = []
    reach = -1                          # the furthest end of the group so far
    for i in order:
        span = spans[i]
        if run and span.start > reach:
            yield [spans[j] for j in sorted(run)]
            run = []
        run.append(i)
        reach = max(reach, span.end)
    yield [spans[j] for j in sorted(run)]


# --------------------------------------------------------------------------- document structure

LABEL = re.compile(r"^\s*((?:\d{1,4}|[a-z]|[ivx]{1,5})[.)])\s*")


def _labelled(parent: etree._Element, block: Block, reporter: Reporter, container: etree._Element) -> None:
    """`79. Text` / `  1. Text`: the number becomes `label`, the rest the element's content."""
    m = LABEL.match(block.text)
    cut = m.end() if m else 0
    if m:
        label = sub(container, "label", text=m.group(1))
        label.tail = " " if container is parent else None
    weave_block(parent, block, reporter, lo=cut)


def weave_text(doc: Document) -> etree._Element:
    """Blocks -> `text` with front, body and back."""
    text_el = weave_frame(doc)
    body = text_el.find(T + "body")
    for _ in weave_divs(doc, body):
        pass                    # each division stays in the body
    if not doc.divs:
        # TEI requires a division in the body even when the source holds front matter only.
        sub(body, "div", {"type": "document", "xml:id": "d1", "n": "1"})
    weave_back(doc, text_el)
    return text_el


def weave_frame(doc: Document) -> etree._Element:
    """`text` with its front and an empty body (the documents go into the body, then the back)."""
    reporter = doc.reporter
    text_el = tei("text")
    front_blocks = [b for b in doc.blocks if b.div is None and b.role in ("title", "headnote")]

    if front_blocks:
        front = sub(text_el, "front")
        titles = [b for b in front_blocks if b.role == "title"]
        if titles:
            doc_title = sub(sub(front, "titlePage"), "docTitle")
            for b in titles:
                weave_block(sub(doc_title, "titlePart"), b, reporter)
        for b in front_blocks:
            if b.role == "headnote":
                div = sub(front, "div", {"type": "headnote", "resp": doc.metadata.get("notes_resp", "#annotator"),
                                         "rend": "brackets"})
                weave_block(sub(div, "p"), b, reporter, lo=1, hi=len(b.text) - 1)

    sub(text_el, "body")
    return text_el


def weave_back(doc: Document, text_el: etree._Element) -> None:
    """The endnotes, as `back` after the body."""
    reporter = doc.reporter
    back_blocks = [b for b in doc.blocks if b.role == "endnote"]
    if back_blocks:
        back = sub(text_el, "back")
        notes = sub(back, "div", {"type": "notes"})
        for b in back_blocks:
            n = b.attrs.get("n", "")
            note = sub(notes, "note", {"xml:id": f"en{n}", "n": n, "place": "end", "type": "endnote"})
            _labelled(note, b, reporter, note)


def weave_divs(doc: Document, body: etree._Element,
               on_block: Callable[[etree._Element], None] | None = None) -> Iterator[etree._Element]:
    """Each document (div) of the source, woven into `body` one after another: a caller may
    write and remove each before the next is made (a long source is never one tree).
    `on_block` is called with the div after each of its blocks is woven: the caller may write
    and remove the div's children but the last, which an opener, list or closer may still grow
    (a document as long as a book is not one tree either); and with a paragraph after each
    element written into it (`weave_block`'s `on_child`)."""
    reporter = doc.reporter
    by_div: dict[int | None, list[Block]] = {}   # one pass over the blocks, not one per document
    for b in doc.blocks:
        by_div.setdefault(b.div, []).append(b)
    for div in doc.divs:
        attrs = {"type": "document", "subtype": div.subtype, "xml:id": f"d{div.index + 1}", "n": str(div.index + 1)}
        div_el = sub(body, "div", attrs)
        blocks = by_div.get(div.index, [])
        if div.title and not any(b.role == "head" for b in blocks):
            head = sub(div_el, "head")
            sub(head, "supplied", {"reason": "untitled", "resp": "#editors"}, div.title)
        _weave_div(div_el, blocks, reporter, on_block)
        yield div_el


def _weave_div(div_el: etree._Element, blocks: list[Block], reporter: Reporter,
               on_block: Callable[[etree._Element], None] | None = None) -> None:
    container: etree._Element | None = None   # the open opener/list/closer: always the div's last child
    kind = ""
    for b in blocks:
        role = b.role
        if role == "head":
            weave_block(sub(div_el, "head"), b, reporter)
            kind = ""
        elif role == "opener":
            if kind != "opener":
                container, kind = sub(div_el, "opener"), "opener"
            weave_block(sub(container, "dateline"), b, reporter)
        elif role == "item":
            if kind != "list":
                container, kind = sub(div_el, "list", {"type": "ordered"}), "list"
            item = etree.Element(T + "item", {"n": b.attrs.get("n", "")})
            container.append(item)
            _labelled(item, b, reporter, item)
        elif role in ("closer", "salute"):
            if kind != "closer":
                container, kind = sub(div_el, "closer"), "closer"
            weave_block(sub(container, "dateline" if role == "closer" else "signed"), b, reporter)
        elif role == "bibl":
            if kind == "closer":
                # A closer ends a division in TEI: a publication line after it stays inside it.
                bibl = sub(sub(container, "note", {"type": "publication"}), "bibl", {"type": "publication"})
            else:
                bibl, kind = sub(div_el, "bibl", {"type": "publication"}), ""
            weave_block(bibl, b, reporter)
        else:
            if kind == "closer":
                reporter.warning("structure", "paragraph after a closing line", line=b.line)
            weave_block(sub(div_el, "p"), b, reporter, on_child=on_block)
            kind = ""
        if on_block is not None:
            on_block(div_el)


# --------------------------------------------------------------------------- indentation

#: Elements whose content is elements only: indented for people reading the file.
ELEMENT_ONLY = frozenset(
    T + t for t in (
        "TEI teiHeader fileDesc titleStmt publicationStmt sourceDesc encodingDesc editorialDecl "
        "profileDesc langUsage calendarDesc revisionDesc respStmt availability projectDesc "
        "text front titlePage docTitle body back div opener closer list standOff listPerson "
        "listPlace listOrg person place org location listChange correction normalization "
        "hyphenation quotation segmentation interpretation tagsDecl listPrefixDef calendar "
        "editionStmt notesStmt seriesStmt appInfo application"
    ).split()
)


def indent(el: etree._Element, level: int = 0) -> None:
    """Indent element-only containers; mixed content is never touched (it would add text)."""
    if el.tag not in ELEMENT_ONLY or not len(el):
        return
    if el.text and el.text.strip():
        return
    if any(c.tail and c.tail.strip() for c in el):
        return
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for child in el:
        indent(child, level + 1)
        child.tail = pad
    el[-1].tail = "\n" + "  " * level
