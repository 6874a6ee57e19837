"""The benchmark's instruction counts: what callgrind counts, and how the report reads them.

The benchmark itself is run by `make bench`, never by the suite (speed is not tested here);
these tests check the counting mechanism its linearity figure rests on."""

from __future__ import annotations

import gc
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import report  # noqa: E402
import run  # noqa: E402


@pytest.fixture(scope="module")
def valgrind() -> str:
    path = shutil.which("valgrind")
    if path is None:
        raise AssertionError("valgrind is not installed: run `make system-deps` (Debian package valgrind)")
    return path


def _loop(n: int, before: int = 0) -> list[str]:
    """A Python command that runs a loop of `before` steps outside `operator.call`, then one of
    `n` steps inside it."""
    code = ("import operator\n"
            "def loop(n):\n    s = 0\n    for _ in range(n):\n        s += 1\n    return s\n"
            f"loop({before})\noperator.call(loop, {n})\n")
    return [sys.executable, "-c", code]


def test_only_the_work_inside_operator_call_is_counted(valgrind: str) -> None:
    one = run.callgrind_count(_loop(50_000))
    two = run.callgrind_count(_loop(100_000))
    # twice the work inside: twice the count (start-up, imports and exit are not counted)
    assert 1.95 < two / one < 2.05
    # work outside operator.call is not counted: six times the work before it would make the
    # count seven times as large (the interpreter's state after it may shift the count a little)
    assert run.callgrind_count(_loop(50_000, before=300_000)) < 1.2 * one


def test_a_failing_command_is_an_error_not_a_count(valgrind: str) -> None:
    with pytest.raises(RuntimeError):
        run.callgrind_count([sys.executable, "-c", "raise SystemExit(3)"])
    with pytest.raises(RuntimeError, match="nothing counted"):
        run.callgrind_count([sys.executable, "-c", "pass"])


def test_count_mode_runs_the_work_once_through_operator_call(tmp_path: Path) -> None:
    """bench/measure.py in count mode: the work runs once and the stage still reports."""
    source = Path(__file__).resolve().parents[1] / "corpus" / "source" / "1918-czechoslovak-mutiny.txt"
    warm = sorted((source.parents[2] / "tests" / "gold" / "dev").glob("*.txt"))[:2]
    assert len(warm) == 2
    # a list of warm-up sources is converted in turn before the work (as for the unseen texts)
    spec = {"stage": "convert", "sources": [str(source)], "tei_out": str(tmp_path), "count": True, "repeat": 5,
            "warmup": [str(p) for p in warm]}
    out = subprocess.run([sys.executable, str(BENCH / "measure.py"), run.json.dumps(spec)],
                         capture_output=True, text=True, check=True)
    assert '"wall": 0.0' in out.stdout
    assert (tmp_path / "1918-czechoslovak-mutiny.xml").stat().st_size > 100_000


def test_growth_and_target_from_counts(tmp_path: Path) -> None:
    rows = [{"stage": "convert", "layout": "single", "scale": k, "bytes": 64_000 * k, "instructions": n}
            for k, n in ((1, 680e6), (10, 6_800e6), (100, 69_700e6))]
    results: dict = {"instructions": rows}
    growth = [{"stage": "convert", "layout": "single", "scales": [1, 10, 100],
               "exponent": report.exponent([r["bytes"] for r in rows], [r["instructions"] for r in rows]),
               "ratios": {"10": 1.0, "100": 69_700 / 68_000}}]
    results["instruction_growth"] = growth
    targets = run.targets_met({**results, "reference": [], "exports": [], "builds": []},
                              {n: {"rows": [], "growth": []} for n in ("convert", "validate", "names")})
    linear = next(t for t in targets if "in instructions" in t["target"])
    assert linear["met"] is True and "1.025 (convert, single, 100×)" in linear["measured"]
    md = report.markdown({"mode": "quick", "date": "today", "command": "x", "complete": True,
                          "machine": {"cpu": "c", "cores": 2, "ram_gb": 1, "os": "o", "python": "3",
                                      "lxml": "6", "libxml2": "2", "libxslt": "1", "load_average": []},
                          "base_bytes": 64_000, "stages": [], **results})
    assert "## Instructions (callgrind)" in md
    assert "| convert | single | 100× | 6.40 | 69,700 | 10,891 | 1.025 |" in md


def test_export_memory_is_measured_and_judged(tmp_path: Path) -> None:
    """Each export reports its process's peak and what it held above its start, and the memory
    target names the exports that exceed 10× their input + 100 MB."""
    import measure

    tei = Path(__file__).resolve().parents[1] / "corpus" / "tei" / "1918-czechoslovak-mutiny.xml"
    res = measure.stage_export({"tei": [str(tei)], "targets": ["html", "csv"], "repeat": 1, "limit": 120})
    html = res["targets"]["html"]
    # the HTML of a 158 KB TEI file builds a result tree of a few MB: above the start, below the peak
    assert 0 < html["rss_growth_mb"] < html["peak_rss_mb"]
    assert res["output_bytes"]["html"] > 100_000
    rows = [{"layout": "single", "scale": 1, "target": t, "peak_rss_mb": peak, "rss_growth_mb": grown,
             "memory_limit_mb": 101.0} for t, peak, grown in (("html", 250.0, 180.0), ("csv", 90.0, 20.0))]
    rows.append({"layout": "documents", "scale": 100, "target": "json", "peak_rss_mb": 900.0,
                 "rss_growth_mb": 60.0, "memory_limit_mb": 161.0})
    targets = run.targets_met({"reference": [], "exports": rows, "builds": []},
                              {n: {"rows": [], "growth": []} for n in ("convert", "validate", "names")})
    mem = next(t for t in targets if t["target"].startswith("peak memory") and "exports" in t["target"])
    # one file is judged on the whole process; many files (every tree held) above the start
    assert mem["met"] is False and mem["measured"].endswith("over: html")
    md = report.markdown({"mode": "quick", "date": "today", "command": "x", "complete": True,
                          "machine": {"cpu": "c", "cores": 2, "ram_gb": 1, "os": "o", "python": "3",
                                      "lxml": "6", "libxml2": "2", "libxslt": "1", "load_average": []},
                          "base_bytes": 64_000, "stages": [], "exports": rows})
    assert "| single | 1× | html | – | – | – | – | 0.00 | 250 | 180 | 101 |" in md


def _linear_on_shapes(results: dict) -> dict:
    """The target of linear cost on other shapes, as `targets_met` judges `results`."""
    return next(t for t in run.targets_met(results, {n: {"rows": [], "growth": []} for n in
                                                      ("convert", "validate", "names")})
                if "other shapes" in t["target"] and "linear" in t["target"])


def test_other_shapes_are_judged_beside_the_corpus_shape_measured_alike() -> None:
    """Each shape's growth is set beside the single file's measured the same way (side by side,
    written in pieces at both scales), and the single file's own row is no shape to judge."""
    own = run.CORPUS_SHAPE

    def g(shape: str, stage: str, ratio: float, rss: float) -> dict:
        return {"shape": shape, "stage": stage, "cpu_lo": 0.05, "cpu_hi": 0.5, "ratio": ratio,
                "side_by_side": True, "peak_rss_mb": rss, "memory_limit_mb": 161.0}

    growth = [g(own, "fo", 0.92, 124), g("one line", "fo", 0.95, 117), g("one line", "html", 1.30, 300)]
    results = {"shapes": {"scales": [10, 100], "rows": [], "growth": growth, "corpus_shape": own},
               "reference": [], "exports": [], "builds": []}
    targets = run.targets_met(results, {n: {"rows": [], "growth": []} for n in ("convert", "validate", "names")})
    linear = next(t for t in targets if "other shapes" in t["target"] and "linear" in t["target"])
    assert linear["met"] is True and "(one line, fo: ratio 0.95, the single file's 0.92)" in linear["measured"]
    assert growth[1]["excess"] == 0.95 / 0.92 and growth[0]["excess"] == 1.0
    memory = next(t for t in targets if "memory" in t["target"] and "other shapes" in t["target"])
    assert memory["met"] is False and memory["measured"].startswith("1 of 2 over")   # html, one line: 300 MB


def test_other_shapes_are_judged_past_the_caches_step() -> None:
    """With three scales, the pair from 100× to 1000× is judged (both trees are past the step
    in the time per node between a tree that fits in the caches and one that does not); the pair
    from 10× to 100× is shown beside, not judged. Memory is judged at every scale."""
    own = run.CORPUS_SHAPE

    def g(shape: str, stage: str, lo: int, hi: int, ratio: float, rss: float) -> dict:
        return {"shape": shape, "stage": stage, "lo": lo, "hi": hi, "cpu_lo": 0.5, "cpu_hi": 5.0, "ratio": ratio,
                "side_by_side": True, "peak_rss_mb": rss, "memory_limit_mb": 161.0 if hi == 100 else 712.0}

    growth = [g(own, "dc", 10, 100, 1.2, 110), g("one line", "dc", 10, 100, 2.7, 110),
              g(own, "dc", 100, 1000, 1.0, 600), g("one line", "dc", 100, 1000, 1.05, 650)]
    results = {"shapes": {"scales": [10, 100, 1000], "rows": [], "growth": growth, "corpus_shape": own},
               "reference": [], "exports": [], "builds": []}
    targets = run.targets_met(results, {n: {"rows": [], "growth": []} for n in ("convert", "validate", "names")})
    linear = next(t for t in targets if "other shapes" in t["target"] and "linear" in t["target"])
    assert "1000× ≤ 11× the time of 100×" in linear["target"] and linear["met"] is True
    assert linear["measured"].startswith("worst 1.05 (one line, dc: ratio 1.05, the single file's 1.00)")
    assert "10× to 100× (not judged): worst 2.25 (one line, dc)" in linear["measured"]
    memory = next(t for t in targets if "memory" in t["target"] and "other shapes" in t["target"])
    assert "(100×, 1000×" in memory["target"] and memory["met"] is True
    # linear in itself passes, though the corpus's shape grew less (it ran faster per byte at 1000×)
    growth += [g(own, "validate", 100, 1000, 0.83, 600), g("one line", "validate", 100, 1000, 1.0, 650)]
    linear = _linear_on_shapes(results)
    assert linear["met"] is True and growth[5]["excess"] > 1.2
    # growing faster than its input, and faster than the corpus's shape: fails
    growth += [g(own, "html", 100, 1000, 1.05, 600), g("one line", "html", 100, 1000, 1.25, 650)]
    linear = _linear_on_shapes(results)
    assert linear["met"] is False and linear["measured"].startswith("worst 1.19 (one line, html: ratio 1.25")
    growth[3]["peak_rss_mb"] = 720.0
    targets = run.targets_met(results, {n: {"rows": [], "growth": []} for n in ("convert", "validate", "names")})
    memory = next(t for t in targets if "memory" in t["target"] and "other shapes" in t["target"])
    assert memory["met"] is False and "(one line, dc, 1000×; limit 712)" in memory["measured"]


def test_rebuild_stage_times_an_editors_rebuilds(tmp_path: Path) -> None:
    """The rebuild measurement: built once, then again with nothing changed (nothing remade) and
    with one source changed (that one remade); the report shows both beside the full build."""
    import measure

    corpus = tmp_path / "corpus"
    root = Path(__file__).resolve().parents[1] / "corpus"
    for sub in ("authority", "metadata", "corrections"):
        shutil.copytree(root / sub, corpus / sub)
    (corpus / "source").mkdir()
    for name in ("a", "b"):
        shutil.copyfile(root / "source" / "1918-czechoslovak-mutiny.txt", corpus / "source" / f"{name}.txt")
    (tmp_path / "work").mkdir()
    res = measure.stage_rebuild({"corpus": str(corpus), "work": str(tmp_path / "work"), "jobs": 1,
                                 "outputs": ["text (source)"]})
    nothing, one = res["rebuilds"]["nothing changed"], res["rebuilds"]["one source changed"]
    assert (nothing["built"], one["built"], one["documents"], one["failed"]) == (0, 1, 2, 0)
    assert sorted(p.name for p in (corpus / "source").iterdir()) == ["a.txt", "b.txt"], "the bench's corpus is untouched"
    md = report.markdown({"mode": "quick", "date": "today", "command": "x", "complete": True,
                          "machine": {"cpu": "c", "cores": 2, "ram_gb": 1, "os": "o", "python": "3",
                                      "lxml": "6", "libxml2": "2", "libxslt": "1", "load_average": []},
                          "base_bytes": 64_000, "stages": [],
                          "rebuilds": {"scale": 2, "outputs": "text", "jobs": 1, **res}})
    assert "| nothing changed | 0 of 2 |" in md and "| one source changed | 1 of 2 |" in md


def test_the_speed_probe_is_timed_and_reported() -> None:
    """The machine's speed during a run: a fixed piece of work, timed at moments of the run, and
    how far apart its timings were in the report."""
    first, second = report.speed_probe(), report.speed_probe()
    assert 0 < first < 5 and 0 < second < 5
    probes = [{"at": "documents 1×", "cpu": 0.040}, {"at": "single 1000×", "cpu": 0.050}, {"at": "end", "cpu": 0.044}]
    md = report.markdown({"mode": "quick", "date": "today", "command": "x", "complete": True,
                          "machine": {"cpu": "c", "cores": 2, "ram_gb": 1, "os": "o", "python": "3",
                                      "lxml": "6", "libxml2": "2", "libxslt": "1", "load_average": [],
                                      "speed_probe": probes},
                          "base_bytes": 64_000, "stages": []})
    assert "took 40.0 to 50.0 ms of CPU in 3 timings, 25 % apart" in md


def test_the_machines_gain_from_parallel_processes_is_measured_and_reported() -> None:
    """Beside the -j 2 build: how much faster the machine itself does a fixed job in two
    processes than in one, in the target's line and in the builds' section."""
    gain = report.parallel_gain(2, seconds=0.1)
    assert 0 < gain < 4
    builds = [{"corpus": "documents 40×", "layout": "documents", "scale": 40, "docs": 40, "outputs": "all but PDF",
               "jobs": 1, "wall": 7.4, "mb_s": 0.35, "docs_s": 5.4},
              {"corpus": "documents 40×", "layout": "documents", "scale": 40, "docs": 40, "outputs": "all but PDF",
               "jobs": 2, "wall": 4.5, "mb_s": 0.57, "docs_s": 8.9, "speedup": 1.63,
               "speedup_blocks": [1.63, 1.61, 1.73], "speedup_of_medians": 1.64,
               "machine_gain": 1.66, "machine_gain_runs": [1.66, 1.7, 1.6]}]
    stages = {n: {"rows": [], "growth": []} for n in ("convert", "validate", "names")}
    target = next(t for t in run.targets_met({"reference": [], "exports": [], "builds": builds}, stages)
                  if t["target"].startswith("-j 2"))
    assert target["met"] is False
    assert "the median of 3 blocks of four runs, -j 1, -j 2, -j 2, -j 1: 1.63, 1.61, 1.73" in target["measured"]
    assert "the machine itself, a fixed job in 2 processes against one: 1.66× (before each round: 1.66, 1.70, 1.60)" \
        in target["measured"]
    md = report.markdown({"mode": "quick", "date": "today", "command": "x", "complete": True,
                          "machine": {"cpu": "c", "cores": 2, "ram_gb": 1, "os": "o", "python": "3", "lxml": "6",
                                      "libxml2": "2", "libxslt": "1", "load_average": []},
                          "base_bytes": 64_000, "stages": [], "builds": builds})
    assert "ran 1.66× faster in 2 processes at once than in one (each round: 1.66, 1.70, 1.60)" in md


def test_the_speed_up_of_a_block_cancels_a_drift_of_the_machine() -> None:
    """-j 1 then -j 2, then -j 2 then -j 1: a machine slowing evenly over the block (each run 10 %
    slower than the one before) leaves the speed-up as it is, where each pair run in one order
    would have counted the drift against -j 2; a block missing a run is left out."""
    true, slow = 1.8, [1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7]
    work = 7.0
    rounds = [{1: work * slow[0], 2: work / true * slow[1]}, {2: work / true * slow[2], 1: work * slow[3]},
              {1: work * slow[4], 2: work / true * slow[5]}, {2: work / true * slow[6], 1: work * slow[7]}]
    assert report.block_speedups(rounds, 1, 2) == pytest.approx([true, true])
    assert all(r[1] / r[2] < true for r in rounds[0::2])        # the pairs run in one order
    assert report.block_speedups([*rounds[:2], {1: 7.0}, rounds[3], {1: 7.0, 2: 4.0}], 1, 2) == pytest.approx([true])


def test_the_unit_runs_before_each_document_and_its_mean_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """The linearity ratio compares a sum (the batch, document by document) with the unit: the
    unit runs beside every document, and the mean of its runs is kept, not the median, which
    would leave out the slow spells the sum carries."""
    import measure

    unit_costs = iter([9.0, 1.0, 1.0, 4.0])     # CPU seconds of the unit's runs, the first untimed
    clock = [0.0]
    calls: list[str] = []

    def unit() -> None:
        calls.append("unit")
        clock[0] += next(unit_costs)

    def part(name: str):
        def run_part() -> None:
            calls.append(name)
            clock[0] += 2.0
        return run_part

    monkeypatch.setattr(measure, "_cpu", lambda: clock[0])
    parts = [part("a"), part("b"), part("c")]
    try:
        wall, cpu = measure._timed(lambda: None, 1, unit=unit, parts=parts)
    finally:
        gc.unfreeze()          # _timed freezes what is alive, as a measuring process would
    assert calls == ["unit", "unit", "a", "unit", "b", "unit", "c"]
    assert cpu == 6.0
    assert measure.UNIT["cpu"] == 2.0          # the mean of 1, 1 and 4; the median would be 1


def test_a_measurements_peak_memory_is_its_own() -> None:
    """A measurement's process reports its own peak resident memory, not its parent's: Linux
    keeps `ru_maxrss` across `exec`, so a process started from a parent holding 200 MB reports
    200 MB by it."""
    held = bytearray(200 * 2**20)
    held[::4096] = b"x" * len(held[::4096])           # resident, page by page
    code = ("import resource, sys; sys.path.insert(0, 'bench'); import measure; "
            "print(measure._rss_mb()[0], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1]).stdout.split()
    own, inherited = float(out[0]), float(out[1])
    assert inherited > 200 and own < 100
    del held


def test_a_shape_that_grew_faster_is_counted_in_instructions(monkeypatch) -> None:
    """Only a stage that grew faster than linear at the largest pair, and faster than the
    corpus's shape, is counted (callgrind is slow), at the two smallest scales, on its own
    inputs; the ratio of its counts is reported beside its time's."""
    own = run.CORPUS_SHAPE
    asked: list[dict] = []

    def counted(spec: dict) -> dict:
        asked.append(spec)
        size = {"a-10.xml": 1_000, "a-100.xml": 10_100}[Path(spec["tei"][0]).name]
        return {"instructions": size * 1000}

    monkeypatch.setattr(run, "count_instructions", counted)

    def g(shape: str, stage: str, ratio: float, cpu_hi: float = 5.0) -> dict:
        return {"shape": shape, "stage": stage, "lo": 100, "hi": 1000, "cpu_lo": 0.5, "cpu_hi": cpu_hi,
                "ratio": ratio, "side_by_side": True, "peak_rss_mb": 600, "memory_limit_mb": 712.0}

    growth = [g(own, "text (source)", 1.05), g("one line", "text (source)", 1.21),
              g(own, "fo", 1.10), g("one line", "fo", 1.17),          # no faster than the corpus's shape
              g("one line", "validate", 1.00),                         # linear
              g("one line", "csv", 1.5, cpu_hi=0.1)]                   # too short to judge
    tei_of = {("one line", 10): ["/x/a-10.xml"], ("one line", 100): ["/x/a-100.xml"]}
    run.count_growth(growth, tei_of, {}, lambda _: None)
    assert [s["targets"] for s in asked] == [["text (source)"], ["text (source)"]]
    assert asked[0]["stage"] == "export" and asked[0]["stream_from"] == 0
    assert [x for x in growth if x.get("instructions")] == [growth[1]]
    assert growth[1]["instructions"]["ratio"] == pytest.approx(1.01)
    results = {"shapes": {"scales": [10, 100, 1000], "rows": [], "growth": growth, "corpus_shape": own},
               "reference": [], "exports": [], "builds": []}
    linear = _linear_on_shapes(results)
    assert linear["met"] is False
    assert "(one line, text (source): ratio 1.21, the single file's 1.05; instructions 10× to 100×: ratio 1.01)" \
        in linear["measured"]
    md = report.markdown({"mode": "full", "date": "today", "command": "x", "complete": True,
                          "machine": {"cpu": "c", "cores": 2, "ram_gb": 1, "os": "o", "python": "3",
                                      "lxml": "6", "libxml2": "2", "libxslt": "1", "load_average": []},
                          "base_bytes": 64_000, "stages": [], "exports": [], "shapes": results["shapes"]})
    assert "* one line, text (source): 10× 1 million, 100× 10 million: ratio 1.010 (time 100× to 1000×: 1.21)" in md
