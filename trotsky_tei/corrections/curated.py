"""Curated corrections: `corpus/corrections/<source>.toml`, decisions a scholar made and signed.

Each `[[correction]]` names the damaged text (`sic`), its reading (`corr`), and pins the place
by a `context` string that contains `sic` and occurs once in the source, or by `occurrence = n`
(the n-th occurrence of `sic`), or `all = true` (every occurrence); with none of them, `sic`
itself must occur once. `resp` (default `#editors`), `cert`, `reason` and `type`
(`"sic"`: sic/corr, the default; `"reg"`: orig/reg, a regularisation) complete it. The format
is documented in `corpus/corrections/README.md`.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..messages import Message, Severity, error

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CERTS = ("high", "medium", "low")
TYPES = {"sic": "corr", "corr": "corr", "reg": "reg", "orig": "reg"}
KEYS = {"sic", "corr", "context", "occurrence", "all", "reason", "resp", "cert", "type"}


@dataclass(frozen=True)
class Entry:
    """One curated correction as written in the file."""

    sic: str
    corr: str
    tag: str = "corr"               # corr (sic/corr) or reg (orig/reg)
    resp: str = "#editors"
    cert: str = ""
    reason: str = ""
    context: str = ""
    occurrence: int = 0
    every: bool = False
    line: int = 0                   # line of the entry in the file


@dataclass(frozen=True)
class Placed:
    """An entry located in the source text: `source[start:end] == sic` (whitespace aside)."""

    start: int
    end: int
    entry: Entry


def corrections_path(metadata: dict[str, Any]) -> Path | None:
    """`CORPUS/corrections/<stem>.toml` for the source the metadata describes, if it exists."""
    explicit = metadata.get("corrections_file")
    if explicit:
        return Path(explicit)
    corpus, stem = metadata.get("corpus_dir"), metadata.get("source_stem")
    if not corpus or not stem:
        return None
    path = Path(corpus) / "corrections" / f"{stem}.toml"
    return path if path.is_file() else None


def load(path: str | Path) -> list[Entry]:
    """Parse and check a corrections file; a bad file raises a one-line error naming the place."""
    path = Path(path)
    try:
        raw = path.read_text("utf-8")
    except OSError as exc:
        raise error("io", f"cannot read corrections: {exc.strerror}", file=str(path),
                    hint="check the path and permissions") from None
    except UnicodeDecodeError:
        raise error("corrections", "corrections file is not UTF-8", file=str(path),
                    hint="save the file as UTF-8") from None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", 0) or _line_from(str(exc))
        raise error("corrections", f"corrections file is not valid TOML: {exc}", file=str(path), line=line,
                    hint="fix the TOML syntax (see corpus/corrections/README.md)") from None
    lines = [i + 1 for i, ln in enumerate(raw.splitlines()) if re.match(r"\s*\[\[\s*correction\s*\]\]", ln)]
    defaults = data.get("defaults", {}) if isinstance(data.get("defaults"), dict) else {}
    items = data.get("correction", [])
    if not isinstance(items, list):
        raise error("corrections", "'correction' must be an array of tables ([[correction]])", file=str(path),
                    hint="write each correction as a [[correction]] table")
    out = []
    for k, item in enumerate(items):
        line = lines[k] if k < len(lines) else 0
        out.append(_entry({**defaults, **item}, str(path), line))
    return out


def _line_from(text: str) -> int:
    m = re.search(r"line (\d+)", text)
    return int(m.group(1)) if m else 0


def _entry(item: dict[str, Any], file: str, line: int) -> Entry:
    def bad(text: str, hint: str) -> Exception:
        return error("corrections", text, file=file, line=line, hint=hint)

    unknown = sorted(set(item) - KEYS)
    if unknown:
        raise bad(f"unknown key(s) {', '.join(unknown)} in a correction",
                  "use sic, corr, context, occurrence, all, reason, resp, cert, type")
    for key in ("sic", "corr"):
        if not isinstance(item.get(key), str) or not item[key]:
            raise bad(f"a correction needs a non-empty string '{key}'", f'add {key} = "…"')
    kind = str(item.get("type", "sic"))
    if kind not in TYPES:
        raise bad(f"type must be 'sic' or 'reg', not {kind!r}", 'write type = "reg" for a regularisation')
    cert = str(item.get("cert", ""))
    if cert and cert not in CERTS:
        raise bad(f"cert must be high, medium or low, not {cert!r}", 'write cert = "high"')
    resp = str(item.get("resp", "#editors"))
    if not re.fullmatch(r"#[A-Za-z_][\w.-]*", resp):
        raise bad(f"resp must be a pointer such as '#editors', not {resp!r}", 'write resp = "#editors"')
    context = item.get("context", "")
    if context and (not isinstance(context, str) or _pattern(item["sic"]).search(context) is None):
        raise bad(f"the context {context!r} does not contain sic {item['sic']!r}",
                  "give a context string that contains the damaged text")
    occ = item.get("occurrence", 0)
    if not isinstance(occ, int) or isinstance(occ, bool) or occ < 0:
        raise bad("occurrence must be a positive integer", "write occurrence = 2 for the second occurrence")
    every = item.get("all", False)
    if not isinstance(every, bool):
        raise bad("all must be true or false", "write all = true to correct every occurrence")
    return Entry(item["sic"], item["corr"], TYPES[kind], resp, cert, str(item.get("reason", "")),
                 context, occ, every, line)


def _pattern(text: str) -> re.Pattern[str]:
    """`text` as a pattern: any run of whitespace matches any run (line ends of wrapped sources)."""
    parts = [re.escape(p) for p in text.split()]
    if parts and re.match(r"\w", text):
        # the word boundary is checked after the first word, as a lookbehind over it, so that the
        # pattern still opens with a literal: the regex engine then skips ahead with a fast search
        parts[0] = rf"{parts[0]}(?<!\w{parts[0]})"
    body = r"\s+".join(parts)
    if re.search(r"\w$", text):
        body += r"(?!\w)"
    return re.compile(body)


def place(entries: list[Entry], source: str, file: str = "") -> tuple[list[Placed], list[Message]]:
    """Locate every entry in the source; entries that cannot be located become warnings."""
    placed: list[Placed] = []
    messages: list[Message] = []

    def warn(entry: Entry, text: str, hint: str) -> None:
        messages.append(Message("correction-not-found", Severity.WARNING, text, file=file, line=entry.line,
                                hint=hint))

    for e in entries:
        sic = _pattern(e.sic)
        if e.context:
            hits = list(_pattern(e.context).finditer(source))
            if len(hits) != 1:
                warn(e, f"context {e.context!r} occurs {len(hits)} times in the source, not once",
                     "make the context longer (or fix it after a change of the source)")
                continue
            m = sic.search(source, hits[0].start(), hits[0].end())
            placed.append(Placed(m.start(), m.end(), e))
            continue
        hits = list(sic.finditer(source))
        if e.every:
            if not hits:
                warn(e, f"{e.sic!r} does not occur in the source", "remove the entry or fix sic")
            placed.extend(Placed(m.start(), m.end(), e) for m in hits)
        elif e.occurrence:
            if e.occurrence > len(hits):
                warn(e, f"{e.sic!r} occurs {len(hits)} times, not {e.occurrence}", "fix occurrence")
                continue
            m = hits[e.occurrence - 1]
            placed.append(Placed(m.start(), m.end(), e))
        elif len(hits) == 1:
            placed.append(Placed(hits[0].start(), hits[0].end(), e))
        else:
            warn(e, f"{e.sic!r} occurs {len(hits)} times in the source; say which",
                 "add a context string, occurrence = n or all = true")
    placed.sort(key=lambda p: p.start)
    kept: list[Placed] = []
    for p in placed:
        if kept and p.start < kept[-1].end:
            messages.append(Message("correction-overlap", Severity.WARNING,
                                    f"correction of {p.entry.sic!r} overlaps the correction of "
                                    f"{kept[-1].entry.sic!r}; the first one is kept", file=file,
                                    line=p.entry.line, hint="merge or remove one of the two entries"))
            continue
        kept.append(p)
    return kept, messages
