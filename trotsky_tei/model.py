"""The document model between reading and weaving: an ordered list of typed blocks.

The structure reader (`structure.py`) cuts the source into blocks and gives each a `role`;
passes add spans to blocks; the weaver turns the roles into TEI structure and the spans into
inline elements. Offsets are always into `Block.text`, which is exactly the source text of the
block (lines joined by "\n"), so every character can be traced back to its source line.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lxml import etree

from .messages import Reporter
from .spans import Span

if TYPE_CHECKING:
    from .authority import AuthorityIndex

#: Block roles and where the weaver puts them.
ROLES = (
    "title",          # front: a title-page line group -> titlePage/docTitle/titlePart
    "headnote",       # front: the translator's/editor's head-note -> front/div[@type='headnote']/p
    "head",           # a document heading -> div/head
    "opener",         # an opening dateline -> div/opener/dateline
    "closer",         # a closing dateline -> div/closer/dateline
    "salute",         # a closing salutation or signature -> div/closer/signed
    "p",              # a paragraph -> div/p
    "item",           # one numbered item -> div/list[@type='ordered']/item
    "bibl",           # a publication line -> div/bibl
    "endnote",        # back: a numbered endnote -> back/div[@type='notes']/note
)


@dataclass
class Block:
    """A run of source lines with one structural role."""

    role: str
    text: str
    line: int                       # 1-based source line of the first character
    offset: int = 0                 # character offset of block.text[0] in Document.source
    div: int | None = None          # index of the document (div) it belongs to, None for front/back
    attrs: dict[str, str] = field(default_factory=dict)   # e.g. {"n": "79"} for endnotes and items
    spans: list[Span] = field(default_factory=list)
    line_starts: tuple[int, ...] = (0,)  # offsets in `text` where each source line starts

    def let_go(self, source: str) -> int | None:
        """Empty `text` when it is `source` at `offset`, for as long as another copy of that
        stretch of the source is held (a long block's windows, its corrected reading): the
        length to `take_back` it with, or None when nothing was let go."""
        if not source.startswith(self.text, self.offset):
            return None
        n, self.text = len(self.text), ""
        return n

    def take_back(self, source: str, n: int) -> None:
        """Make `text` again after `let_go` (`n`: the length it gave)."""
        self.text = source[self.offset:self.offset + n]

    def line_of(self, offset: int) -> int:
        """Source line of a character offset in this block."""
        return self.line + max(0, bisect_right(self.line_starts, offset) - 1)

    def line_start_of(self, offset: int) -> int:
        """Offset in `text` of the start of the source line holding `offset`."""
        return self.line_starts[self.line_of(offset) - self.line]


@dataclass
class Div:
    """One document of the source (an order, a telegram, a report...)."""

    index: int
    subtype: str = "document"
    title: str = ""                 # supplied title when the source has no heading (metadata)
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class Document:
    """Everything known about one source between reading and weaving."""

    name: str                       # file name shown in messages
    source: str                     # the decoded source text
    blocks: list[Block] = field(default_factory=list)
    divs: list[Div] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    #: standOff records contributed by passes, keyed by xml:id (person, place, org elements):
    #: shared with other documents (`authority.cleaned`), read only; the TEI gets copies.
    records: dict[str, etree._Element] = field(default_factory=dict)
    #: responsibility ids used by spans (`#pearce`, `#trotsky-tei`); declared in the header.
    resp: set[str] = field(default_factory=set)
    reporter: Reporter = field(default_factory=Reporter)
    #: the authority files' index the document is converted with (`passes.names.authority_for`),
    #: found once for the passes that need it
    authority: AuthorityIndex | None = None

    def blocks_of(self, div: int) -> list[Block]:
        return [b for b in self.blocks if b.div == div]

    def document_date(self, div: int) -> str | None:
        """ISO date of a document (from metadata or its datelines), for year inference."""
        d = self.divs[div].attrs.get("when") if div < len(self.divs) else None
        return d or None
