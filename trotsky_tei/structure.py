"""The structure reader: plain text -> `Document` of typed blocks grouped into documents.

Plain-text editions of collected writings share a layout: a title page, an editor's bracketed
head-note, then documents separated by runs of blank lines, each with a heading (often ending in
its date), an opening or closing dateline, paragraphs, numbered points, a publication line and
perhaps a signature; numbered endnotes at the end. The reader recognises that layout from the
shape of the text (blank-line runs, line lengths, dates, numbering) and a small vocabulary in
`data/structure.toml`, never from the strings of a particular source.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .model import Block, Div, Document

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MONTHS = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
    r"Aug(?:ust|\.)?|Sep(?:tember|t\.|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"1[5-9]\d\d|20\d\d"
DATE_RE = (
    rf"(?:{MONTHS}\s+{_DAY}(?:\s*\(\s*{MONTHS}?\s*{_DAY}\s*\))?,?\s+(?:{_YEAR})"
    rf"|{_DAY}(?:\s*\(\s*{_DAY}\s*\))?\s+{MONTHS},?\s+(?:{_YEAR})"
    rf"|{MONTHS},?\s+(?:{_YEAR})"
    rf"|(?:{_YEAR}))"
)
#: A dateline: an optional place (up to ten words, the first capitalised, and a comma), a date, an
#: optional style marker, an optional full stop.
DATELINE = re.compile(
    rf"^\s*(?:[A-Z][\w\-’'.]*(?:\s+[A-Za-z][\w\-’'.]*){{0,9}},\s*)?{DATE_RE}"
    rf"(?:\s*\((?:O\.S\.|N\.S\.|old style|new style)\))?\s*\.?\s*$"
)
DATE_AT_END = re.compile(rf",?\s*{DATE_RE}\s*\.?\s*$")
NUMBERED = re.compile(r"^(\s*)(\d{1,3}|[a-z]|[ivx]{1,5})[.)]\s+\S")
ENDNOTE = re.compile(r"^(\d{1,4})\.\s+\S")
SIGNATURE = re.compile(r"(?:^(?:[A-Z]\.\s?){1,3}$)|(?:\b[A-Z]\.\s?(?:[A-Z]\.\s?)?[A-Z][A-Za-z\-]+\s*\.?$)|(?:^[A-Z][A-Z\-]{2,}(?:\s+[A-Z][A-Z\-]{2,})*\.?$)")
SENTENCE_END = re.compile(r"[.!?:;,…]['’”»)\]]*\.*\s*$")


@dataclass(frozen=True)
class Vocabulary:
    genres: tuple[tuple[str, re.Pattern[str]], ...]
    heading_keywords: tuple[str, ...]
    heading_max: int
    publication: re.Pattern[str]
    signature_titles: frozenset[str]


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The recogniser's vocabulary (data/structure.toml), loaded once."""
    data = tomllib.loads(resources.files("trotsky_tei").joinpath("data/structure.toml").read_text("utf-8"))
    genres = tuple((g["subtype"], re.compile(g["pattern"], re.I)) for g in data["genre"])
    pub = data["publication"]["pattern"]
    return Vocabulary(
        genres=genres,
        heading_keywords=tuple(k.lower() for k in data["heading"]["keywords"]),
        heading_max=int(data["heading"]["max_length"]),
        publication=re.compile(pub, re.I),
        signature_titles=frozenset(w.lower() for w in data["signature"]["titles"]),
    )


@dataclass
class Chunk:
    """A run of non-blank lines and the number of blank lines before it."""

    lines: list[tuple[int, int, str]]   # (line number, offset in source, text)
    gap: int

    @property
    def first(self) -> str:
        return self.lines[0][2]


def chunks_of(text: str) -> list[Chunk]:
    out: list[Chunk] = []
    gap = 0
    current: list[tuple[int, int, str]] = []
    offset = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            current.append((number, offset, line))
        else:
            if current:
                out.append(Chunk(current, gap))
                current = []
                gap = 0
            gap += 1
        offset += len(line) + 1
    if current:
        out.append(Chunk(current, gap))
    return out


def make_block(role: str, lines: list[tuple[int, int, str]], source: str, **attrs: str) -> Block:
    """A block covering exactly the source characters of `lines` (first to last, newlines kept)."""
    start = lines[0][1]
    end = lines[-1][1] + len(lines[-1][2])
    text = source[start:end]
    starts = tuple(off - start for _, off, _ in lines)
    return Block(role=role, text=text, line=lines[0][0], offset=start, attrs=dict(attrs), line_starts=starts)


def _markers_answered(text: str, chunks: list[Chunk], start: int) -> bool:
    """True when the numbered chunks from `start` on are the notes of `[n]` markers in the text
    before them: each number is a marker there (numbered points answer no marker)."""
    numbers = {int(ENDNOTE.match(ch.first).group(1)) for ch in chunks[start:]}
    before = text[:chunks[start].lines[0][1]]
    return numbers <= {int(n) for n in re.findall(r"\[(\d{1,3})\]", before)}


def is_dateline(line: str) -> bool:
    return len(line) <= 80 and bool(DATELINE.match(line))


YEAR_IN = re.compile(rf"\b(?:{_YEAR})\b")


def is_publication(line: str) -> bool:
    """A publication line names a periodical or book and, as a rule, a year."""
    s = line.strip()
    return (len(s) <= 200 and bool(vocabulary().publication.match(s)) and not s.endswith(":")
            and bool(YEAR_IN.search(s)))


def is_bracketed(lines: list[tuple[int, int, str]]) -> bool:
    joined = "\n".join(t for _, _, t in lines).strip()
    if not (joined.startswith("[") and joined.endswith("]")):
        return False
    depth = 0
    for i, ch in enumerate(joined):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0 and i != len(joined) - 1:
                return False
    return depth == 0


def is_heading(line: str, gap: int) -> bool:
    """A heading: one short line, capitalised, not ending like a sentence (unless with a date)."""
    s = line.strip()
    voc = vocabulary()
    if not s or len(s) > voc.heading_max or not (s[0].isupper() or s[0].isdigit()):
        return False
    if NUMBERED.match(line) or is_dateline(s) or is_publication(s):
        return False
    if SENTENCE_END.search(s) and not DATE_AT_END.search(s):
        return False
    if gap >= 2:
        return True
    low = s.lower()
    return any(low.startswith(k + " ") or low == k for k in voc.heading_keywords)


def is_signature(line: str) -> bool:
    """A signature line: a name with initials ("L. Trotsky", "L. TROTSKY"), or an office
    ("Chairman of …", "Commander of the Seventh Army, Nadezhny")."""
    s = line.strip()
    if len(s) > 160 or SENTENCE_END.search(s[-1:]) and not s.endswith("."):
        return False
    if SIGNATURE.search(s):
        return True
    first = s.split()[0].lower().strip(",.") if s.split() else ""
    return first in vocabulary().signature_titles and not SENTENCE_END.search(s)


def genre_of(head: str) -> str:
    for subtype, pattern in vocabulary().genres:
        if pattern.match(head.strip()):
            return subtype
    return "document"


def is_wrapped(lines: list[tuple[int, int, str]]) -> bool:
    """Hard-wrapped prose: several lines, most of them of similar, moderate length."""
    if len(lines) < 2:
        return False
    lengths = [len(t.rstrip()) for _, _, t in lines[:-1]]
    width = max(lengths)
    if not 35 <= width <= 100:
        return False
    # a line broken at a hyphen ("Czecho-") says nothing about the wrapping width
    counted = [len(t.rstrip()) for _, _, t in lines[:-1] if not t.rstrip().endswith("-")] or lengths
    similar = sum(1 for n in counted if n >= 0.5 * width)
    return similar >= 0.6 * len(counted)


def paragraphs_of(lines: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """Split a chunk into paragraphs: one per line, or wrapped lines joined until a short line."""
    if not is_wrapped(lines):
        return [[ln] for ln in lines]
    width = max(len(t.rstrip()) for _, _, t in lines)
    paras: list[list[tuple[int, int, str]]] = []
    cur: list[tuple[int, int, str]] = []
    for ln in lines:
        # An indented line after a full-width line starts a paragraph (first-line indent).
        if cur and ln[2][:1].isspace() and not cur[-1][2][:1].isspace():
            paras.append(cur)
            cur = []
        cur.append(ln)
        if len(ln[2].rstrip()) < 0.6 * width and SENTENCE_END.search(ln[2]):
            paras.append(cur)
            cur = []
    if cur:
        paras.append(cur)
    return paras


def read_structure(text: str, name: str = "-", metadata: dict | None = None) -> Document:
    """Cut `text` into blocks with roles and documents. Never drops a character: every
    non-blank line ends up in exactly one block."""
    doc = Document(name=name, source=text, metadata=dict(metadata or {}))
    doc.reporter.file = name
    chunks = chunks_of(text)
    if not chunks:
        return doc

    # Back matter: a final run of numbered endnote chunks with increasing numbers.
    back_start = len(chunks)
    last_n: int | None = None
    for i in range(len(chunks) - 1, -1, -1):
        m = ENDNOTE.match(chunks[i].first)
        if not m:
            break
        n = int(m.group(1))
        if last_n is not None and n >= last_n:
            break
        last_n = n
        back_start = i
    if back_start < len(chunks) and (back_start == 0 or chunks[back_start].gap < 2) and not (
            back_start > 0 and _markers_answered(text, chunks, back_start)):
        # endnotes are set off by a blank-line run from the text, or answer its [n] markers
        back_start = len(chunks)

    body = chunks[:back_start]

    # Front matter: short title lines set off by a blank-line run, then bracketed head-notes.
    i = 0
    titles: list[Chunk] = []
    while i < len(body) and all(len(t.strip()) <= 80 for _, _, t in body[i].lines) and not any(
        SENTENCE_END.search(t) and not DATE_AT_END.search(t) for _, _, t in body[i].lines
    ):
        titles.append(body[i])
        i += 1
    is_title_page = bool(titles) and i < len(body) and body[i].gap >= 2 and (
        is_bracketed(body[i].lines) or (len(titles) >= 2 and is_heading(body[i].first, body[i].gap))
    )
    if not is_title_page:
        i = 0
        titles = []
    for ch in titles:
        doc.blocks.append(make_block("title", ch.lines, text))
    # a head-note introduces documents: one with no document after it is a document itself
    while i + 1 < len(body) and is_bracketed(body[i].lines) and (titles or i == 0):
        doc.blocks.append(make_block("headnote", body[i].lines, text, rend="brackets"))
        i += 1

    _read_documents(doc, body[i:], text)

    for ch in chunks[back_start:]:
        m = ENDNOTE.match(ch.first)
        assert m is not None
        doc.blocks.append(make_block("endnote", ch.lines, text, n=m.group(1)))
    _apply_document_metadata(doc)
    return doc


def _read_documents(doc: Document, chunks: list[Chunk], text: str) -> None:
    div = -1
    state = "start"        # start | head | opener | body | closing
    for k, ch in enumerate(chunks):
        first = ch.first.strip()
        closed = state == "closing"
        # after a document's closing lines, a line in capitals opens the next one even after a
        # single blank line ("Published in …" / "ON THE ROAD TO TULA")
        caps_after_close = closed and first.isupper() and len(first.split()) >= 2
        gap = 2 if div < 0 or caps_after_close else ch.gap
        heading = is_heading(first, gap) and (
            len(ch.lines) == 1 or len(ch.lines) <= 3 and all(is_heading(t, 2) for _, _, t in ch.lines[1:]))
        if not heading and 1 < len(ch.lines) <= 3 and all(t.strip().isupper() for _, _, t in ch.lines):
            # a heading in capitals wrapped over lines: judged as one line ("…ARMY,⏎VYATSKIYE POLYANY")
            heading = is_heading(" ".join(t.strip() for _, _, t in ch.lines), gap)
        new_doc = div < 0 or (
            state in ("body", "closing") and (ch.gap >= 2 or heading or closed)
        )
        if state in ("head", "opener") and not (heading and ch.gap >= 2 and state == "opener"):
            new_doc = False
        if state == "closing" and all(is_dateline(t.strip()) or is_publication(t) for _, _, t in ch.lines) \
                and ch.gap < 2:
            new_doc = False
        if new_doc:
            div += 1
            doc.divs.append(Div(index=div))
            state = "start"
            if heading:
                doc.divs[div].subtype = genre_of(first)
                doc.blocks.append(_in(make_block("head", ch.lines, text), div))
                state = "head"
                continue
        if div >= 0 and _continues_numbering(doc, div, ch, chunks[k + 1] if k + 1 < len(chunks) else None):
            # one numbered point per paragraph: "1. Minsk. To …" / "2. …"
            doc.blocks.append(_in(make_block("item", ch.lines, text, **_item_attrs("item", ch.lines)), div))
            state = "body"
            continue
        for para in _classify_lines(ch, state):
            role, lines = para
            if role == "p" and state == "closing":
                # Prose after a closing line: the closing line was not the end after all.
                for b in reversed(doc.blocks):   # the closing lines are the last blocks of the div
                    if b.div != div or b.role not in ("closer", "salute", "bibl"):
                        break
                    if b.role != "bibl":
                        b.role = "p"
            doc.blocks.append(_in(make_block(role, lines, text, **_item_attrs(role, lines)), div))
            state = _next_state(state, role)


def _continues_numbering(doc: Document, div: int, ch: Chunk, nxt: Chunk | None) -> bool:
    """A paragraph that is one numbered point: the point before it or after it is numbered in sequence."""
    m = NUMBERED.match(ch.first)
    if not m or _numbered_run(ch.lines):
        return False
    value = _label_value(m.group(2))
    prev = doc.blocks[-1] if doc.blocks else None
    if prev is not None and prev.div == div and prev.role == "item" and _label_value(prev.attrs.get("n", "")) == value - 1:
        return True
    after = NUMBERED.match(nxt.first) if nxt is not None and nxt.gap < 2 else None
    return bool(after) and _label_value(after.group(2)) == value + 1


def _in(block: Block, div: int) -> Block:
    block.div = div
    return block


def _item_attrs(role: str, lines: list[tuple[int, int, str]]) -> dict[str, str]:
    if role == "item":
        m = NUMBERED.match(lines[0][2])
        if m:
            return {"n": m.group(2)}
    return {}


def _label_value(label: str) -> int:
    if label.isdigit():
        return int(label)
    if len(label) == 1 and label.isalpha():
        return ord(label) - ord("a") + 1
    return {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}.get(label, -99)


def _numbered_run(lines: list[tuple[int, int, str]]) -> list[int]:
    """Indexes of lines that start numbered points, if at least two follow in sequence."""
    found = [(i, _label_value(m.group(2))) for i, (_, _, t) in enumerate(lines) if (m := NUMBERED.match(t))]
    run: list[int] = []
    expected = None
    for i, value in found:
        if expected is None or value == expected:
            run.append(i)
            expected = value + 1
        elif value == 1:
            break
    if len(run) < 2:
        return []
    return run


def _next_state(state: str, role: str) -> str:
    if role in ("p", "item"):
        return "body"
    if role == "opener":
        return "opener" if state in ("start", "head", "opener") else "closing"
    if role in ("closer", "bibl", "salute"):
        return "closing"
    return state


def _classify_lines(ch: Chunk, state: str) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Roles for the lines of one chunk inside a document."""
    out: list[tuple[str, list[tuple[int, int, str]]]] = []
    lines = ch.lines
    # Numbered points: a run of lines numbered in sequence (1., 2., … or a), b), …), each
    # with its continuation lines; lines before the first point are an introductory paragraph.
    starts = _numbered_run(lines)
    if starts:
        for para in paragraphs_of(lines[:starts[0]]) if starts[0] else []:
            out.append(("p", para))
        # the last point takes the lines after it that continue it: all of them in hard-wrapped
        # prose, else those indented under it; in a text that sets its paragraphs apart by line
        # ends alone (no blank lines), the lines after the list are its next paragraphs
        end = len(lines)
        if not is_wrapped(lines):
            end = starts[-1] + 1
            while end < len(lines) and lines[end][2][:1].isspace():
                end += 1
        bounds = [*starts, end]
        for a, b in zip(bounds, bounds[1:]):
            out.append(("item", lines[a:b]))
        for para in paragraphs_of(lines[end:]):
            out.append(("p", para))
        return out
    before_text = state in ("start", "head", "opener")
    after_text = state in ("body", "closing")
    short_run = all(len(t.strip()) <= 200 for _, _, t in lines)
    if short_run:
        roles: list[str] = []
        for _, _, t in lines:
            s = t.strip()
            if is_dateline(s):
                # after a publication line the text has begun: a dateline there closes it
                roles.append("opener" if before_text and "bibl" not in roles else "closer")
            elif is_publication(s) and (after_text or state == "head"):
                roles.append("bibl")
            elif after_text and is_signature(s):
                roles.append("salute")
            else:
                roles.append("")
        # a line ending in a comma just above a signature belongs to it: an office ("Chairman of
        # the Revolutionary War Council,") or a valediction ("With communist greetings,")
        for i in range(len(roles) - 2, -1, -1):
            s = lines[i][2].strip()
            if after_text and not roles[i] and roles[i + 1] == "salute" and s.endswith(",") and len(s) <= 120 \
                    and s[:1].isupper():
                roles[i] = "salute"
        if all(roles):
            return [(r, [ln]) for r, ln in zip(roles, lines)]
    for para in paragraphs_of(lines):
        out.append(("p", para))
    return out


def _apply_document_metadata(doc: Document) -> None:
    """Curated per-document metadata (subtype, supplied title) overrides what was recognised."""
    for entry in doc.metadata.get("document", []) or []:
        try:
            n = int(entry.get("n", 0)) - 1
        except (TypeError, ValueError):
            continue
        if 0 <= n < len(doc.divs):
            div = doc.divs[n]
            if entry.get("subtype"):
                div.subtype = str(entry["subtype"])
            if entry.get("title"):
                div.title = str(entry["title"])
            if entry.get("when"):
                div.attrs["when"] = str(entry["when"])
