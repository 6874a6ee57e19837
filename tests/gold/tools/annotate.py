"""Build a gold XML file from a plain source text and a hand-written annotation list.

The annotator reads a paragraph, then writes one line per element into a `.ann` file::

    @10                                   # the paragraph that starts at source line 10
    per Bunyan | key=bunyan
    corr Bunyan’s {hook} | reading=book
    date (1975) -> written as: date {1975} | when=1975

`TAG TEXT [| name=value]...`: TAG is per, pla, org, date or corr; TEXT is the exact source text
of the span (`\\n` for a line break), optionally with context around it and the span itself in
braces. Each TEXT is looked up inside the current paragraph (from `@LINE` to the next blank
line), at or after the start of the previous element, so the list follows reading order and
an element may nest inside the previous one. Matches are whole words ("Russia" never matches
inside "Russian"). A missing or crossing span is an error: nothing is
written. `@LINE-LINE` names an explicit line range.

Usage: python tests/gold/tools/annotate.py SOURCE.txt ANNOTATIONS.ann OUT.xml [SOURCE-ATTR]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

TAGS = {"per": "persName", "pla": "placeName", "org": "orgName", "date": "date", "corr": "corr"}
#: When two elements cover the same text, the lower rank is the outer element.
RANK = {"orgName": 0, "placeName": 0, "persName": 0, "date": 1, "corr": 2}
TEI = "http://www.tei-c.org/ns/1.0"
#: Elements of one kind never nest: a second element may start where the previous one starts
#: only when it is of another kind (a correction inside a name, a date inside a correction).
KIND = {"orgName": "name", "placeName": "name", "persName": "name", "date": "date", "corr": "corr"}


class AnnotationError(Exception):
    pass


def _paragraph(lines: list[str], starts: list[int], first: int, last: int | None) -> tuple[int, int]:
    """Character range of source lines first..last (1-based); last=None: up to a blank line."""
    if not 1 <= first <= len(lines):
        raise AnnotationError(f"no source line {first}")
    if last is None:
        last = first
        while last < len(lines) and lines[last].strip():
            last += 1
    lo = starts[first - 1]
    hi = starts[last - 1] + len(lines[last - 1])
    return lo, hi


def parse(source: str, ann: str) -> list[tuple[int, int, str, dict[str, str]]]:
    lines = source.split("\n")
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    spans: list[tuple[int, int, str, dict[str, str]]] = []
    region: tuple[int, int] | None = None
    prev: tuple[int, str] | None = None
    for no, raw in enumerate(ann.split("\n"), 1):
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            if line.startswith("@"):
                m = re.fullmatch(r"@(\d+)(?:-(\d+))?", line.strip())
                if not m:
                    raise AnnotationError("bad region line")
                region = _paragraph(lines, starts, int(m.group(1)), int(m.group(2)) if m.group(2) else None)
                prev = None
                continue
            if region is None:
                raise AnnotationError("element before the first @LINE")
            head, *attr_parts = line.split(" | ")
            abbr, _, text = head.partition(" ")
            if abbr not in TAGS:
                raise AnnotationError(f"unknown tag {abbr!r}")
            tag = TAGS[abbr]
            attrs: dict[str, str] = {}
            for part in attr_parts:
                k, eq, v = part.partition("=")
                if not eq:
                    raise AnnotationError(f"bad attribute {part!r}")
                attrs[k.strip()] = v
            text = text.replace("\\n", "\n")
            if "{" in text:
                left, rest = text.split("{", 1)
                target, right = rest.split("}", 1)
            else:
                left, target, right = "", text, ""
            if not target:
                raise AnnotationError("empty span")
            needle = left + target + right
            lo, hi = region
            search_from = lo if prev is None else max(lo, prev[0] - len(left))
            found = None
            while True:
                i = source.find(needle, search_from, hi)
                if i < 0:
                    break
                s = i + len(left)
                e = s + len(target)
                whole = (s == 0 or not (source[s - 1].isalnum() and target[0].isalnum())) and (
                    e == len(source) or not (source[e].isalnum() and target[-1].isalnum()))
                if whole and (prev is None or s > prev[0] or (s == prev[0] and KIND[tag] != KIND[prev[1]])):
                    found = s
                    break
                search_from = i + 1
            if found is None:
                raise AnnotationError(f"{target!r} not found after the previous element")
            spans.append((found, found + len(target), tag, attrs))
            prev = (found, tag)
        except AnnotationError as exc:
            raise AnnotationError(f"line {no}: {exc}: {raw}") from None
    return spans


def render(source: str, spans: list[tuple[int, int, str, dict[str, str]]], source_attr: str) -> str:
    ordered = sorted(spans, key=lambda s: (s[0], -s[1], RANK[s[2]]))
    out: list[str] = [f'<gold xmlns="{TEI}" source={quoteattr(source_attr)}>']
    stack: list[tuple[int, str]] = []
    pos = 0

    def close_until(limit: int) -> None:
        nonlocal pos
        while stack and stack[-1][0] <= limit:
            end, tag = stack.pop()
            out.append(escape(source[pos:end]))
            out.append(f"</{tag}>")
            pos = end

    for start, end, tag, attrs in ordered:
        close_until(start)
        if stack and end > stack[-1][0]:
            raise AnnotationError(f"{tag} at {start}-{end} crosses {stack[-1][1]} ending at {stack[-1][0]}")
        out.append(escape(source[pos:start]))
        pos = start
        attr_text = "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())
        out.append(f"<{tag}{attr_text}>")
        stack.append((end, tag))
    close_until(len(source))
    out.append(escape(source[pos:]))
    out.append("</gold>\n")
    return "".join(out)


def main(argv: list[str]) -> int:
    if len(argv) not in (4, 5):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    src, ann, dest = Path(argv[1]), Path(argv[2]), Path(argv[3])
    source = src.read_text(encoding="utf-8")
    try:
        spans = parse(source, ann.read_text(encoding="utf-8"))
        xml = render(source, spans, argv[4] if len(argv) == 5 else src.name)
    except AnnotationError as exc:
        print(f"{ann}: {exc}", file=sys.stderr)
        return 1
    dest.write_text(xml, encoding="utf-8")
    counts: dict[str, int] = {}
    for _s, _e, tag, _a in spans:
        counts[tag] = counts.get(tag, 0) + 1
    print(f"{dest}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
