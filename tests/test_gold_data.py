"""The hand-annotated gold data is well-formed, and the quality scorer counts right.

Quality itself is a benchmark (`bench/quality.py`), not a test: nothing here depends on how
well the passes do.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold"
TEI = "{http://www.tei-c.org/ns/1.0}"
GOLD_FILES = sorted(GOLD.glob("*/*.xml"))
NAMES = {"persName", "placeName", "orgName"}
KIND = {"persName": "name", "placeName": "name", "orgName": "name", "date": "date", "corr": "corr"}
ALLOWED = {
    "persName": {"key", "optional"},
    "placeName": {"key", "optional"},
    "orgName": {"key", "optional"},
    "date": {"when", "from", "to", "notBefore", "notAfter", "when-custom", "from-custom", "to-custom",
             "datingMethod", "optional"},
    "corr": {"reading", "cert", "type", "sic", "optional"},
}
ISO = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _load_quality():
    spec = importlib.util.spec_from_file_location("bench_quality", ROOT / "bench" / "quality.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


quality = _load_quality()


def _iso(value: str) -> tuple[int, ...]:
    assert ISO.fullmatch(value), f"not an ISO 8601 date: {value!r}"
    parts = tuple(int(p) for p in value.split("-"))
    dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    return parts


def test_there_are_gold_sets():
    sets = {p.parent.name for p in GOLD_FILES}
    assert sets == {"corpus", "dev", "dev2", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6"}
    assert len([p for p in GOLD_FILES if p.parent.name == "dev"]) == 4
    assert len([p for p in GOLD_FILES if p.parent.name == "dev2"]) == 5
    assert len([p for p in GOLD_FILES if p.parent.name == "heldout"]) == 6
    assert len([p for p in GOLD_FILES if p.parent.name == "heldout2"]) == 5
    assert len([p for p in GOLD_FILES if p.parent.name == "heldout3"]) == 6
    assert len([p for p in GOLD_FILES if p.parent.name == "heldout4"]) == 5
    assert len([p for p in GOLD_FILES if p.parent.name == "heldout5"]) == 5
    assert len([p for p in GOLD_FILES if p.parent.name == "heldout6"]) == 5


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_stripped_gold_is_the_plain_text(path: Path):
    root = etree.parse(str(path)).getroot()
    assert root.tag == TEI + "gold"
    assert root.get("source")
    plain = path.with_suffix(".txt").read_text(encoding="utf-8")
    assert "".join(root.itertext()) == plain


def test_corpus_gold_is_the_corpus_source():
    path = GOLD / "corpus" / "1918-czechoslovak-mutiny.xml"
    source = etree.parse(str(path)).getroot().get("source")
    assert (ROOT / source).read_text(encoding="utf-8") == path.with_suffix(".txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_gold_elements_and_attributes(path: Path):
    root = etree.parse(str(path)).getroot()
    for el in root.iterdescendants():
        assert isinstance(el.tag, str) and el.tag.startswith(TEI), f"element outside TEI: {el.tag}"
        tag = etree.QName(el).localname
        assert tag in ALLOWED, f"unexpected element {tag}"
        assert set(el.attrib) <= ALLOWED[tag], f"{tag} {dict(el.attrib)}"
        assert (el.text or "") or len(el), f"empty {tag}"
        if el.get("optional") is not None:
            assert el.get("optional") == "true"
        if tag in NAMES and el.get("key") is not None:
            assert re.fullmatch(r"[a-z][a-z0-9-]*", el.get("key")), el.get("key")
        if tag == "date":
            keys = {k for k in ("when", "from", "to", "notBefore", "notAfter") if el.get(k)}
            assert keys in ({"when"}, {"from", "to"}, {"notBefore", "notAfter"}), f"date {dict(el.attrib)}"
            values = [_iso(el.get(k)) for k in sorted(keys)]
            if keys != {"when"}:
                lo = _iso(el.get("from") or el.get("notBefore"))
                hi = _iso(el.get("to") or el.get("notAfter"))
                assert lo <= hi, f"interval the wrong way round: {dict(el.attrib)}"
            assert values
            custom = [k for k in el.attrib if k.endswith("-custom")]
            for k in custom:
                _iso(el.get(k))
            assert bool(custom) == (el.get("datingMethod") == "#julian"), f"Old Style date {dict(el.attrib)}"
        if tag == "corr":
            if el.get("type") == "edition":
                assert el.get("sic") and el.get("reading") is None
            else:
                assert el.get("type") is None and el.get("sic") is None
                assert el.get("reading") is not None and el.get("reading") != "".join(el.itertext())
                assert el.get("cert") in {"high", "medium", "low"}


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_element_nests_in_one_of_its_kind(path: Path):
    root = etree.parse(str(path)).getroot()
    for el in root.iterdescendants():
        kind = KIND[etree.QName(el).localname]
        for anc in el.iterancestors():
            if anc is root:
                break
            assert KIND[etree.QName(anc).localname] != kind, (
                f"{etree.QName(el).localname} {''.join(el.itertext())!r} inside {etree.QName(anc).localname}")


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_gold_is_rebuilt_from_its_annotation_list(path: Path, tmp_path: Path):
    """The .ann list and the .xml agree, so a fix to the list is a fix to the gold."""
    out = tmp_path / path.name
    source = etree.parse(str(path)).getroot().get("source")
    proc = subprocess.run([sys.executable, str(GOLD / "tools" / "annotate.py"), str(path.with_suffix(".txt")),
                           str(path.with_suffix(".ann")), str(out), source], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == path.read_bytes()


def test_structure_expectations_match_the_texts():
    data = tomllib.loads((GOLD / "structure.toml").read_text(encoding="utf-8"))
    listed = {t["file"] for t in data["text"]}
    assert listed == {f"{p.parent.name}/{p.name}" for p in GOLD.glob("*/*.txt") if p.parent.name != "corpus"}
    for t in data["text"]:
        text = (GOLD / t["file"]).read_text(encoding="utf-8")
        markers = [int(n) for n in re.findall(r"\[(\d+)\]", text)]
        assert markers == [n for d in t["document"] for n in d["refs"]], t["file"]
        for n in t["endnotes"]:
            assert re.search(rf"^{n}\. ", text, re.M), (t["file"], n)
        for d in t["document"]:
            for key in ("head", "opener", "closer"):
                assert d[key] == "" or re.search(rf"^{re.escape(d[key])}$", text, re.M), (t["file"], d[key])
            for line in d["signed"] + d["bibl"]:
                assert re.search(rf"^{re.escape(line)}$", text, re.M), (t["file"], line)
            assert d["paragraphs"] >= 1 and d["items"] >= 0


# --------------------------------------------------------------------------- scorer arithmetic

SYNTHETIC = (
    '<gold xmlns="http://www.tei-c.org/ns/1.0" source="synthetic.txt">'
    'General <persName key="lavergne">Lavergne</persName> met <persName key="maxa">Maxa</persName> at '
    '<placeName key="omsk">Omsk</placeName> on <date when="1918-05-25">May 25, 1918</date>. The '
    '<corr reading="peasants" cert="high">peas- ants</corr> and Monsieur '
    '<persName optional="true">Jean</persName> came <date when="1918-03">at the end of March</date>.'
    "</gold>"
)


def _synthetic(tmp_path: Path):
    path = tmp_path / "synthetic.xml"
    path.write_text(SYNTHETIC, encoding="utf-8")
    _source, text, gold = quality.load_gold(path)

    def at(s: str, tag: str, **attrs: str) -> quality.Item:
        i = text.index(s)
        reading = attrs.pop("reading", None)
        return quality.Item(tag, i, i + len(s), attrs, reading=reading)

    pred = [
        at("General Lavergne", "persName", ref="#lavergne"),     # overlap, not exact
        at("Maxa", "placeName"),                                  # wrong type: a miss and a false hit
        at("Omsk", "placeName", ref="#tomsk"),                    # exact, wrong link
        at("May 25", "date", when="1919-05-25"),                  # found, wrong value
        at("peas- ants", "corr", reading="peasants"),             # right reading
        at("met", "corr", reading="meet"),                        # a false correction
        at("Jean", "placeName"),                                  # on an optional name: not counted
        at("end of March", "date", notBefore="1918-03-21", notAfter="1918-03-31"),  # narrower: right
    ]
    return text, gold, pred


def test_scorer_counts(tmp_path: Path):
    text, gold, pred = _synthetic(tmp_path)
    counts = quality.score_text(text, gold, pred)
    names = counts["names"]
    assert (names.tp, names.fp, names.fn) == (2, 1, 1)
    assert (names.strict_tp, names.strict_fp, names.strict_fn) == (1, 2, 2)
    assert (names.ok, names.judged) == (1, 2)
    assert (counts["persName"].tp, counts["persName"].fp, counts["persName"].fn) == (1, 0, 1)
    assert (counts["placeName"].tp, counts["placeName"].fp, counts["placeName"].fn) == (1, 1, 0)
    dates = counts["dates"]
    assert (dates.tp, dates.fp, dates.fn, dates.ok, dates.judged) == (2, 0, 0, 1, 2)
    corr = counts["corrections"]
    assert (corr.tp, corr.fn, corr.fp) == (1, 0, 1)

    f = quality.figures(counts)
    assert f["names"]["precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert f["names"]["recall"] == pytest.approx(2 / 3, abs=1e-4)
    assert f["names"]["f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert f["names"]["strict"]["f1"] == pytest.approx(1 / 3, abs=1e-4)
    assert f["names"]["link_accuracy"] == 0.5
    assert f["persName"]["f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert f["dates"]["f1"] == 1.0 and f["dates"]["value_accuracy"] == 0.5
    assert f["corrections"] == {"found_right": 1.0, "found_any": 1.0, "false": 1, "gold": 1}


def test_nothing_predicted_scores_zero_recall(tmp_path: Path):
    text, gold, _pred = _synthetic(tmp_path)
    f = quality.figures(quality.score_text(text, gold, []))
    assert f["names"]["recall"] == 0.0 and f["names"]["precision"] is None
    assert f["corrections"]["found_right"] == 0.0 and f["corrections"]["false"] == 0


def test_date_values_compare_as_intervals():
    def item(**attrs: str) -> quality.Item:
        return quality.Item("date", 0, 1, attrs)

    assert quality.date_value_ok(item(**{"from": "1918-03", "to": "1918-05"}),
                                 item(notBefore="1918-03", notAfter="1918-05"))
    assert not quality.date_value_ok(item(when="1918-03"), item(when="1918"))
    assert quality.date_value_ok(item(when="1917-11-07", **{"when-custom": "1917-10-25"}),
                                 item(**{"when-custom": "1917-10-25"}))
    assert not quality.date_value_ok(item(when="1918-04-04"), item(when="1918-07-04"))


def test_correction_readings_compare_on_the_covered_text():
    text = "they con fused by it"
    i = text.index("con fused")
    gold = quality.Item("corr", i, i + len("con fused"), reading="confused")
    wider = quality.Item("corr", i, i + len("con fused by"), reading="confused by")
    wrong = quality.Item("corr", i, i + len("con fused"), reading="con-fused")
    assert quality.correction_ok(text, gold, wider)
    assert not quality.correction_ok(text, gold, wrong)
    edition = quality.Item("corr", 0, 4, sic="July 4")
    assert quality.correction_ok(text, edition, quality.Item("corr", 0, 4, sic="‘July 4’"))
