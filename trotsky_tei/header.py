"""The teiHeader, built from metadata and from what the passes used.

Everything in it comes from `corpus/metadata/<stem>.toml` (merged over `data/defaults.toml`)
or from the document itself (the responsibilities its spans cite, the calendars its dates use),
so the header always declares every `@resp` and `@calendar` the text points at.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from lxml import etree

from . import __version__
from .model import Document
from .weave import sub, tei

CALENDARS = {
    "gregorian": "Gregorian calendar (New Style), in force in Soviet Russia from 14 February 1918.",
    "julian": "Julian calendar (Old Style), used in Russia until 31 January 1918 (O.S.); "
              "dates marked O.S. or earlier than the change are Old Style.",
}


def _attribute_maps(doc: Document) -> list[Mapping[str, str]]:
    """The attributes of every span and reading, each mapping once: passes share one mapping
    among the spans of the same attributes (the names of a long source have few)."""
    maps = {id(span.attrs): span.attrs for block in doc.blocks for span in block.spans}
    maps.update((id(r.attrs), r.attrs) for block in doc.blocks for span in block.spans for r in span.readings)
    return list(maps.values())


def _used_ids(maps: Iterable[Mapping[str, str]], *attrs: str) -> set[str]:
    """The ids (`#x`) that the `attrs` of the spans' attributes (`_attribute_maps`) point to."""
    ids: set[str] = set()
    for a in maps:
        for attr in attrs:
            v = a.get(attr)
            if v:
                ids.update(x.lstrip("#") for x in v.split() if x.startswith("#"))
    return ids


def resp_cited(el: etree._Element) -> set[str]:
    """The responsibilities (`@resp`) cited in an element and its descendants."""
    return {v.lstrip("#") for e in el.iter() for v in (e.get("resp") or "").split()}


def build_header(doc: Document, text_el: etree._Element | None = None,
                 text_resp: set[str] | None = None) -> etree._Element:
    """The header; `text_el` (or, when the text is written in pieces, `text_resp`, the
    responsibilities its elements cite) adds what the weaver itself attributes."""
    meta: dict[str, Any] = doc.metadata
    header = tei("teiHeader")
    file_desc = sub(header, "fileDesc")

    title_stmt = sub(file_desc, "titleStmt")
    sub(title_stmt, "title", {"type": "main"}, meta.get("title") or meta.get("source_stem") or "Untitled source")
    if meta.get("author"):
        sub(title_stmt, "author", text=str(meta["author"]))
    used = set(doc.resp)
    maps = _attribute_maps(doc)
    used.update(_used_ids(maps, "resp"))
    if text_el is not None:
        used.update(resp_cited(text_el))
    used.update(text_resp or ())
    used.add("trotsky-tei")
    used.update(str(ch["who"]).lstrip("#") for ch in meta.get("revision") or [] if ch.get("who"))
    declared = {r["id"]: r for r in meta.get("responsibility", [])}
    for rid in sorted(used):
        r = declared.get(rid)
        if r is None:
            doc.reporter.warning("resp-undeclared", f"responsibility '#{rid}' has no entry in the metadata",
                                 hint=f"add [[responsibility]] id = \"{rid}\" to the source's metadata file")
            r = {"id": rid, "resp": "responsibility not described", "name": rid}
        stmt = sub(title_stmt, "respStmt", {"xml:id": rid})
        sub(stmt, "resp", text=r.get("resp", ""))
        sub(stmt, "persName" if r.get("kind") == "person" else "orgName", text=r.get("name", rid))

    pub = meta.get("publication", {})
    pub_stmt = sub(file_desc, "publicationStmt")
    sub(pub_stmt, "publisher", text=pub.get("publisher", "trotsky-tei"))
    avail = sub(pub_stmt, "availability", {"status": pub.get("availability", "restricted")})
    licence = sub(avail, "licence", {"target": pub["licence"]} if pub.get("licence") else {})
    licence.text = pub.get("licence_text", "")
    if meta.get("source_stem"):
        sub(pub_stmt, "idno", {"type": "source"}, meta["source_stem"])

    src = meta.get("source_edition")
    source_desc = sub(file_desc, "sourceDesc")
    if src:
        bibl = sub(source_desc, "bibl")
        sub(bibl, "title", {"level": "m"}, src.get("title", ""))
        if src.get("author"):
            sub(bibl, "author", text=src["author"])
        if src.get("translator"):
            sub(bibl, "editor", {"role": "translator"}, src["translator"])
        if src.get("publisher"):
            sub(bibl, "publisher", text=src["publisher"])
        if src.get("place"):
            sub(bibl, "pubPlace", text=src["place"])
        if src.get("date"):
            sub(bibl, "date", {"when": str(src["date"])}, str(src["date"]))
        if src.get("scope"):
            sub(bibl, "biblScope", {"unit": "chapter"}, src["scope"])
    else:
        sub(source_desc, "p", text="Converted from a plain-text source; no bibliographic record supplied.")

    enc = meta.get("encoding", {})
    enc_desc = sub(header, "encodingDesc")
    sub(sub(enc_desc, "projectDesc"), "p", text=enc.get("project", ""))
    ed = sub(enc_desc, "editorialDecl")
    for key in ("correction", "normalization", "hyphenation", "quotation", "segmentation", "interpretation"):
        if enc.get(key):
            sub(sub(ed, key), "p", text=enc[key])

    profile = sub(header, "profileDesc")
    lang = sub(profile, "langUsage")
    sub(lang, "language", {"ident": meta.get("language", "en")}, _language_name(meta.get("language", "en")))
    if meta.get("original_language"):
        sub(lang, "language", {"ident": meta["original_language"]},
            _language_name(meta["original_language"]) + " (language of the original)")
    calendars = _used_ids(maps, "calendar", "datingMethod")
    if calendars:
        cal_desc = sub(profile, "calendarDesc")
        for cid in sorted(calendars | {"gregorian"}):
            cal = sub(cal_desc, "calendar", {"xml:id": cid})
            sub(cal, "p", text=CALENDARS.get(cid, f"Calendar '{cid}'."))

    rev = sub(header, "revisionDesc")
    changes = meta.get("revision") or []
    if not changes:
        changes = [{"text": f"Converted from plain text by trotsky-tei {__version__}.", "who": "trotsky-tei"}]
    for ch in changes:
        attrs = {}
        if ch.get("when"):
            attrs["when"] = str(ch["when"])
        if ch.get("who"):
            attrs["who"] = "#" + str(ch["who"]).lstrip("#")
        sub(rev, "change", attrs, ch.get("text", ""))
    return header


def _language_name(code: str) -> str:
    return {"en": "English", "ru": "Russian", "fr": "French", "de": "German", "cs": "Czech"}.get(code, code)
