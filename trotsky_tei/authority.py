"""Authority files: the curated persons, places and organisations names are linked to.

An authority file is a TEI document (`corpus/authority/persons.xml`, `places.xml`, `orgs.xml`)
holding `person`, `place` and `org` records anywhere in it (usually in
`standOff/listPerson|listPlace|listOrg`). Each record has an `xml:id` and one or more name
children (`persName`, `placeName`, `orgName`); every name child is a surface form the text may
use. The name marked `type="preferred"` (or `"main"`, `"reg"`, or else the first one) is the
record's preferred name. A `persName` with a `surname` child also makes the surname alone a
(derived) variant, so "Alexander Kerensky" finds "Kerensky". `idno type="wikidata|geonames|…"`
children are the links to the outside world.

The index is built once per process and reused while the files are unchanged (the cache is
keyed by path, size and modification time), so converting a corpus of many files pays the cost
once. Files are parsed through `safexml`, like every XML this toolkit reads.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import TEI_NS, XML_ID, safexml
from .messages import Message, Severity, error

#: record element -> (entity type, name element used in the text)
RECORD_TAGS: dict[str, tuple[str, str]] = {
    "person": ("person", "persName"),
    "place": ("place", "placeName"),
    "org": ("org", "orgName"),
}
#: entity type -> name element in the text
NAME_TAG = {t: n for t, n in RECORD_TAGS.values()}
PREFERRED_TYPES = ("preferred", "main", "reg", "standard")

_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


@dataclass
class Record:
    """One authority record and what the name pass needs from it."""

    id: str
    type: str                               # person | place | org
    element: etree._Element                 # the record as curated (TEI namespace)
    preferred: str
    names: list[str] = field(default_factory=list)     # curated surface forms, in file order
    derived: list[str] = field(default_factory=list)   # forms derived by rule (surnames)
    idnos: dict[str, str] = field(default_factory=dict)  # wikidata, geonames, viaf...
    source: str = ""                        # file the record comes from
    ambiguous: set[str] = field(default_factory=set)   # forms marked subtype="ambiguous"

    @property
    def name_tag(self) -> str:
        return NAME_TAG[self.type]


@dataclass
class Form:
    """A surface form and the records it may name."""

    text: str
    ids: tuple[str, ...]
    derived: bool = False                   # only derived (not curated) for every id
    marked: bool = False                    # a curator marked it subtype="ambiguous"

    @property
    def ambiguous(self) -> bool:
        """Several records share it, or a curator says it needs context (a common word)."""
        return len(self.ids) > 1 or self.marked


@dataclass
class AuthorityIndex:
    """All records of a set of authority files, with their surface forms."""

    records: dict[str, Record] = field(default_factory=dict)
    forms: dict[str, Form] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    #: problems found while loading that do not stop it (a duplicate id: the later record is
    #: ignored); the name pass reports them with the document's messages.
    problems: list[Message] = field(default_factory=list)
    #: derived data users of the index build once (the name pass's per-form summaries)
    cache: dict[str, object] = field(default_factory=dict)
    _automaton: object | None = None

    def __len__(self) -> int:
        return len(self.records)

    def lookup(self, surface: str) -> Form | None:
        """The form for an exact surface string (whitespace normalised), if any."""
        form = self.forms.get(surface)
        if form is None and ("  " in surface or "\n" in surface or surface[:1].isspace() or surface[-1:].isspace()):
            form = self.forms.get(_norm(surface))
        return form

    def ids_of_type(self, type_: str) -> list[str]:
        return [r.id for r in self.records.values() if r.type == type_]

    @property
    def automaton(self):
        """An Aho-Corasick automaton over every form (values: the form's text), built on first use.

        Matching is case-sensitive: proper names are capitalised. Headings set in capitals are
        recased by the name pass before look-up (see `passes/names.py`).
        """
        if self._automaton is None:
            import ahocorasick

            auto = ahocorasick.Automaton()
            for text in self.forms:
                auto.add_word(text, text)
            if len(auto):
                auto.make_automaton()
            self._automaton = auto
        return self._automaton


def _record_names(el: etree._Element, name_local: str) -> tuple[str, list[str], list[str], set[str]]:
    """Preferred name, curated names, derived names and names marked ambiguous of one record."""
    names: list[str] = []
    preferred = ""
    derived: list[str] = []
    ambiguous: set[str] = set()
    for child in el:
        if _local(child) != name_local:
            continue
        text = _norm("".join(child.itertext()))
        if not text:
            continue
        if text not in names:
            names.append(text)
        if child.get("subtype") == "ambiguous":
            ambiguous.add(text)
        if not preferred and child.get("type") in PREFERRED_TYPES:
            preferred = text
        for part in child:
            if _local(part) == "surname":
                sur = _norm("".join(part.itertext()))
                if sur and sur not in derived:
                    derived.append(sur)
    if not preferred and names:
        preferred = names[0]
    derived = [d for d in derived if d not in names]
    return preferred, names, derived, ambiguous


def parse_records(tree: etree._ElementTree, source: str = "") -> list[Record]:
    """Every person/place/org record of a parsed authority file, in document order."""
    out: list[Record] = []
    for el in tree.iter():
        local = _local(el)
        if local not in RECORD_TAGS or not el.tag.startswith("{" + TEI_NS + "}"):
            continue
        type_, name_local = RECORD_TAGS[local]
        rid = el.get(XML_ID)
        if not rid:
            raise error("authority-no-id", f"<{local}> record without xml:id", file=source,
                        line=el.sourceline or 0, hint="give every record a unique xml:id")
        preferred, names, derived, ambiguous = _record_names(el, name_local)
        if not names:
            raise error("authority-no-name", f"record {rid!r} has no <{name_local}>", file=source,
                        line=el.sourceline or 0, hint=f"add at least one <{name_local}> to the record")
        idnos = {}
        for child in el:
            if _local(child) == "idno" and child.get("type") and (child.text or "").strip():
                idnos.setdefault(child.get("type"), child.text.strip())
        out.append(Record(rid, type_, el, preferred, names, derived, idnos, source, ambiguous))
    return out


def build_index(records: Iterable[Record]) -> AuthorityIndex:
    """Index records by id and by every surface form (curated forms before derived ones)."""
    index = AuthorityIndex()
    curated: dict[str, list[str]] = {}
    derived: dict[str, list[str]] = {}
    for rec in records:
        if rec.id in index.records:
            other = index.records[rec.id]
            index.problems.append(Message(
                "authority-duplicate-id", Severity.WARNING,
                f"xml:id {rec.id!r} is used twice (also in {other.source}); this record is ignored",
                file=rec.source, line=rec.element.sourceline or 0, hint="make record ids unique"))
            continue
        index.records[rec.id] = rec
        for n in rec.names:
            curated.setdefault(n, []).append(rec.id)
        for n in rec.derived:
            derived.setdefault(n, []).append(rec.id)
    for text, ids in curated.items():
        marked = any(text in index.records[i].ambiguous for i in ids)
        index.forms[text] = Form(text, tuple(ids), marked=marked)
    for text, ids in derived.items():
        if text in index.forms:
            continue        # a curated form wins over a surname derived from another record
        index.forms[text] = Form(text, tuple(ids), derived=True)
    return index


#: authority record element -> its cleaned copy (`cleaned`); as a key, the element stays alive,
#: so its identity is never another element's
_CLEANED: dict[etree._Element, etree._Element] = {}


def cleaned(rec: etree._Element) -> etree._Element:
    """The record as a standOff holds it: without comments or the authority file's layout
    whitespace (the space between the parts of a name is kept), the same bytes as cleaning it
    anew. Made once per record and process and shared by every document that names it: read it,
    or copy it to change it (`convert.standoff` puts a copy in each TEI)."""
    found = _CLEANED.get(rec)
    if found is None:
        if len(_CLEANED) > 16384:
            _CLEANED.clear()
        clean = etree.fromstring(etree.tostring(rec))
        for c in clean.xpath("//comment()"):
            c.getparent().remove(c)
        for e in clean.iter():
            if e.text is not None and not e.text.strip() and len(e):
                e.text = None
            if e.tail is not None and not e.tail.strip() and not etree.QName(
                    e.getparent() if e.getparent() is not None else e).localname.endswith("Name"):
                e.tail = None  # but "<forename>A</forename> <surname>B</surname>" keeps its space
        found = _CLEANED[rec] = etree.fromstring(etree.tostring(clean))    # as the bytes would be read
    return found


def authority_files(directory: str | Path) -> list[Path]:
    """The authority files of a directory, in a stable order (listed for every document: one
    read of the directory, no stat of each file where the directory tells its kind)."""
    try:
        with os.scandir(directory) as entries:
            names = [e.name for e in entries if e.name.endswith(".xml") and e.is_file()]
    except (NotADirectoryError, FileNotFoundError):
        return []
    except OSError as exc:
        raise error("io", f"cannot read the authority directory: {exc.strerror}", file=str(directory),
                    hint="check the directory's permissions") from None
    d = Path(directory)
    return [d / n for n in sorted(names)]


_CACHE: dict[tuple, AuthorityIndex] = {}


def load(paths: Iterable[str | Path]) -> AuthorityIndex:
    """Load authority files into one index, cached while the files are unchanged."""
    paths = [Path(p) for p in paths]
    key_parts = []
    for p in paths:
        try:
            st = os.stat(p)
        except OSError as exc:
            raise error("io", f"cannot read authority file: {exc.strerror}", file=str(p),
                        hint="check the path and permissions") from None
        # the file itself (device and inode), not its path: no resolving of links per document
        key_parts.append((st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns))
    key = tuple(key_parts)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    records: list[Record] = []
    for p in paths:
        records.extend(parse_records(safexml.parse_file(p), str(p)))
    index = build_index(records)
    index.files = tuple(str(p) for p in paths)
    if len(_CACHE) > 16:
        _CACHE.clear()
    _CACHE[key] = index
    return index


def load_directory(directory: str | Path) -> AuthorityIndex:
    """All `*.xml` authority files of a directory (an empty index when there are none)."""
    return load(authority_files(directory))


EMPTY = AuthorityIndex()
