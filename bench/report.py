"""The benchmark's machine description, growth fit and Markdown report."""

from __future__ import annotations

import math
import os
import platform
import re
import subprocess
import sys
import time
from importlib import metadata


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gb() -> float:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    except (ValueError, OSError, AttributeError):
        return 0.0


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return ""


def _tool_version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    text = (out.stdout + out.stderr).strip().splitlines()
    return text[0] if text else ""


#: The probe's fixed inputs: an XML document of 2,000 elements and a text of about 214,000 characters.
_PROBE_XML = ("<r>" + "".join(f'<e n="{i}">text {i} &amp; more</e>' for i in range(2000)) + "</r>").encode()
_PROBE_TEXT = " ".join(f"Word{i % 97} {i} and some words" for i in range(8000))


_PROBE_WORDS = re.compile(r"\b[A-Z][a-z]+[0-9]*\b")


def _probe_work(times: int) -> None:
    """The probe's fixed piece of work, `times` over: the interpreter, `re` and libxml2 on fixed
    inputs, none of it the toolkit's code."""
    from lxml import etree

    for _ in range(times):
        etree.tostring(etree.fromstring(_PROBE_XML))
        sorted(_PROBE_WORDS.findall(_PROBE_TEXT))
        sum(len(w) for w in _PROBE_TEXT.split())


def speed_probe() -> float:
    """CPU seconds of a fixed piece of work that no change to the toolkit touches, the fastest
    of three. Timed at moments of a run, it shows how far the shared machine's speed moved
    meanwhile: the stages' CPU seconds move with it."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        _probe_work(4)
        best = min(best, time.process_time() - start)
    return best


def parallel_gain(jobs: int = 2, seconds: float = 1.0) -> float:
    """How much more work `jobs` processes get through at once than one on this machine: the
    probe's work (about `seconds` of it) run in one forked process, then in `jobs` at the same
    time, by wall time. `jobs` on cores of the machine's own; less where virtual cores share
    physical ones or the host is busy. The benchmark reports it beside the build's speed-up: a
    sample of about a second, taken before each round of builds, of what the machine gives."""
    import multiprocessing

    fork = multiprocessing.get_context("fork")
    times = max(1, round(seconds / (speed_probe() / 4)))

    def wall(n: int) -> float:
        procs = [fork.Process(target=_probe_work, args=(times,)) for _ in range(n)]
        start = time.perf_counter()
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        return time.perf_counter() - start

    return jobs * wall(1) / wall(jobs)


def block_speedups(rounds: list[dict[int, float]], base: int, other: int) -> list[float]:
    """The speed-up of `other` jobs over `base` in each block of two rounds, the rounds run in
    opposite orders (base, other, then other, base): the sum of the block's `base` walls over
    the sum of its `other` walls. A speed of the machine that drifts evenly over the block
    cancels, where the ratio of a pair run in one order counts the drift against the second run
    every time. A round missing either run leaves its block out; a last round without a partner
    is left out."""
    out = []
    for first, second in zip(rounds[0::2], rounds[1::2]):
        if all(j in r for r in (first, second) for j in (base, other)):
            out.append((first[base] + second[base]) / (first[other] + second[other]))
    return out


def machine() -> dict:
    """What the figures were measured on."""
    from lxml import etree

    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return {
        "cpu": _cpu_model(),
        "cores": cores,
        "ram_gb": round(_ram_gb(), 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": sys.version.split()[0],
        "lxml": ".".join(map(str, etree.LXML_VERSION)),
        "libxml2": ".".join(map(str, etree.LIBXML_VERSION)),
        "libxslt": ".".join(map(str, etree.LIBXSLT_VERSION)),
        "trotsky_tei": _version("trotsky-tei"),
        "spacy": _version("spacy"),
        "distributed": _version("distributed"),
        "jing": _tool_version(["jing"]) if _which("jing") else "",
        "fop": _tool_version(["fop", "-version"]) if _which("fop") else "",
        "java": _tool_version(["java", "-version"]) if _which("java") else "",
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "commit": os.environ.get("BENCH_COMMIT") or _tool_version(["git", "rev-parse", "--short", "HEAD"]),
    }


def _which(name: str) -> bool:
    from shutil import which

    return which(name) is not None


def exponent(sizes: list[float], times: list[float]) -> float | None:
    """Least-squares slope of log(time) against log(size): 1 is linear, 2 quadratic."""
    pts = [(math.log(s), math.log(t)) for s, t in zip(sizes, times) if s > 0 and t > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    if sxx == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in pts) / sxx


def mb(n: float) -> float:
    return n / 1_000_000


def _fmt(x, nd=2) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:.{nd}f}"
    return str(x)


def markdown(results: dict) -> str:
    """The results as a Markdown report (tables per stage, growth, reference tools, targets)."""
    m = results["machine"]
    out = [f"# Benchmark results ({results['mode']})", ""]
    out.append(f"Measured {results['date']} with `{results['command']}` at commit {m.get('commit') or 'unknown'}"
               + ("" if results.get("complete", True) else " (**incomplete**: the run was stopped before the end)")
               + ".")
    out.append("")
    out.append(f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, {m['os']}; "
               f"Python {m['python']}, lxml {m['lxml']} (libxml2 {m['libxml2']}, libxslt {m['libxslt']}); "
               f"load average at start {m['load_average']}.")
    probes = [p["cpu"] for p in m.get("speed_probe", [])]
    if len(probes) > 1:
        out.append(f"Speed of the machine during the run: a fixed piece of work that the toolkit's code does not touch "
                   f"(`report.speed_probe`) took {min(probes) * 1000:.1f} to {max(probes) * 1000:.1f} ms of CPU in "
                   f"{len(probes)} timings, {(max(probes) / min(probes) - 1) * 100:.0f} % apart: the CPU seconds of "
                   "stages measured at different moments of the run can differ by as much for the same work.")
    tools = [f"{k} `{m[k]}`" for k in ("jing", "fop", "java", "spacy", "distributed") if m.get(k)]
    if tools:
        out.append("Tools: " + "; ".join(tools) + ".")
    out.append("")
    out.append(f"Base corpus (1×): {results['base_bytes']:,} bytes of source text. Throughput is source "
               "megabytes (10^6 bytes) per second, on one core unless stated: per second of wall-clock "
               "time and per CPU second of the measuring process (the single-core figure, insensitive to "
               "other load on a shared machine; the targets are judged on it). Peak memory is the "
               "measuring process's maximum resident set, interpreter included.")
    out.append("")
    for stage in results["stages"]:
        rows = stage["rows"]
        if not rows:
            continue
        out.append(f"## {stage['title']}")
        out.append("")
        if stage.get("note"):
            out.append(stage["note"])
            out.append("")
        out.append("| layout | scale | docs | source MB | wall s | CPU s | MB/s (wall) | MB/s (CPU) | docs/s | "
                   "peak RSS MB | of which above start MB | memory limit MB |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in rows:
            out.append(
                f"| {r['layout']} | {r['scale']}× | {r['docs']} | {_fmt(mb(r['bytes']))} | {_fmt(r['wall'], 3)} | "
                f"{_fmt(r['cpu'], 3)} | {_fmt(r.get('mb_s'))} | {_fmt(r.get('mb_s_cpu'))} | {_fmt(r.get('docs_s'), 1)} | "
                f"{_fmt(r.get('peak_rss_mb'), 0)} | {_fmt(r.get('rss_growth_mb'), 0)} | "
                f"{_fmt(r.get('memory_limit_mb'), 0)} |")
        if stage.get("growth"):
            out.append("")
            out.append("Growth with size (least-squares exponent of CPU time against size, over the separate "
                       "runs above; 1 = linear; ratio = CPU time at 100× / (100 × CPU time at 1×), the 1× "
                       "work timed side by side with the 100× work in the same process: a run of it before "
                       "each of the 100 documents, three before and three after the single file; the "
                       "mean of the 1× runs, as the 100× time is a sum that carries the machine's slow "
                       "spells too):")
            out.append("")
            for g in stage["growth"]:
                out.append(f"* {g['layout']}: exponent {_fmt(g['exponent'])} over {g['scales']}; "
                           f"100×/1× time ratio per unit {_fmt(g.get('ratio_100'))}"
                           + (f" ({g['ratio_how']})" if g.get("ratio_how") else ""))
        out.append("")
    u = results.get("unseen")
    if u and u.get("cpu"):
        out.append("## Convert: texts never seen")
        out.append("")
        out.append(f"The {u['docs']} held-out texts of the gold sets (`tests/gold/heldout*/`; "
                   f"{_fmt(mb(u['bytes']))} MB), each converted once by a process that has converted only the "
                   f"corpus and the {u.get('warm_docs', 0)} development texts: the scaled corpora above repeat "
                   "one text, so the converter's per-process caches are warm after its first copy, as they "
                   "never are on an archive of different texts. "
                   f"CPU {_fmt(u['cpu'], 3)} s, wall {_fmt(u['wall'], 3)} s: **{_fmt(u['mb_s_cpu'])} MB/s** per "
                   f"CPU second, {_fmt(u['docs_s_cpu'], 1)} documents/s; peak RSS {_fmt(u.get('peak_rss_mb'), 0)} MB.")
        out.append("")
    if results.get("exports"):
        out.append("## Exports by target")
        out.append("")
        out.append("Each target over the parsed TEI trees (parsing excluded); MB/s of source text.")
        out.append("")
        out.append("Peak RSS is the whole process's (the parsed trees included: for the layout \"documents\", "
                   "all of them); \"above start\" is what the export held beyond them at its peak.")
        out.append("")
        out.append("| layout | scale | target | wall s | CPU s | MB/s (wall) | MB/s (CPU) | output MB "
                   "| peak RSS MB | above start MB | memory limit MB |")
        out.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in results["exports"]:
            out.append(f"| {r['layout']} | {r['scale']}× | {r['target']} | {_fmt(r.get('wall'), 3)} | "
                       f"{_fmt(r.get('cpu'), 3)} | {_fmt(r.get('mb_s'))} | {_fmt(r.get('mb_s_cpu'))} | "
                       f"{_fmt(mb(r.get('output_bytes', 0)))} | {_fmt(r.get('peak_rss_mb'), 0)} | "
                       f"{_fmt(r.get('rss_growth_mb'), 0)} | {_fmt(r.get('memory_limit_mb'), 0)} |"
                       if "error" not in r else
                       f"| {r['layout']} | {r['scale']}× | {r['target']} | failed: {r['error']} | | | | | | | |")
        out.append("")
    sh = results.get("shapes")
    if sh and sh.get("growth"):
        scales = sh["scales"]
        pairs = list(zip(scales, scales[1:]))
        lo, hi = pairs[-1]
        out.append("## Shapes")
        out.append("")
        out.append("How time grows on shapes of text the scaled corpora do not have: the sources without their "
                   "blank lines (one document, a paragraph per line) and without any line break (one block of "
                   "the whole text), and the converted single file as a book of chapters without documents "
                   "and as one document without a heading (`bench/scale.py`), at "
                   + ", ".join(f"{k}×" for k in scales) + ". Ratio = CPU time at the larger scale / (the "
                   "factor between the scales × CPU time at the smaller one): 1 is linear. Each scale is timed "
                   "side by side with the one before it in a process of their own (runs made minutes apart "
                   "would measure the shared machine's drift), and the exports write their output in pieces "
                   "at every scale (by default they do from 10,000 elements on: a constant step between the "
                   "10× and 100× inputs, not growth). A large tree costs more per node than a small one (the "
                   "processor's caches), on the corpus's own shape too: the single file is measured the same "
                   f"way (the row \"{sh.get('corpus_shape') or 'single'}\"), and beside each ratio stands "
                   "its ratio, same stage and scales, and their quotient (excess). "
                   + (f"The {scales[0]}× tree fits in the caches and the {scales[1]}× one does not: the "
                      f"pairs from {lo}× to {hi}× are past that step, and they are judged. " if len(pairs) > 1 else "")
                   + "A stage passes when its ratio or its excess is at most 1.10: it grows linearly, or no "
                     "faster than the corpus's own shape. "
                   + "The CPU times and the memory in the table are those of each scale measured on its own.")
        out.append("")
        out.append("| shape | stage | scales | CPU s at the smaller | CPU s at the larger | ratio | single file's ratio "
                   "| excess | peak RSS MB at the larger | memory limit MB |")
        out.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
        order = {pair: i for i, pair in enumerate(pairs)}
        for g in sorted(sh["growth"], key=lambda g: order.get((g.get("lo", lo), g.get("hi", hi)), 0)):
            out.append(f"| {g['shape']} | {g['stage']} | {g.get('lo', lo)}×→{g.get('hi', hi)}× | "
                       f"{_fmt(g['cpu_lo'], 3)} | {_fmt(g['cpu_hi'], 3)} | "
                       f"{_fmt(g['ratio'])} | {_fmt(g.get('single_ratio'))} | {_fmt(g.get('excess'))} | "
                       f"{_fmt(g.get('peak_rss_mb'), 0)} | {_fmt(g.get('memory_limit_mb'), 0)} |")
        counted = [g for g in sh["growth"] if g.get("instructions")]
        if counted:
            out.append("")
            out.append("Stages that grew faster than linear and faster than the corpus's shape, counted in "
                       "instructions (callgrind) at two scales: instructions do not depend on the caches, so "
                       "a ratio near 1 says the algorithm is linear and the time grew with the memory.")
            out.append("")
        for g in counted:
            n = g["instructions"]
            out.append(f"* {g['shape']}, {g['stage']}: {n['lo']}× {n['at_lo'] / 1e6:,.0f} million, {n['hi']}× "
                       f"{n['at_hi'] / 1e6:,.0f} million: ratio {n['ratio']:.3f} (time {g.get('lo')}× to "
                       f"{g.get('hi')}×: {g['ratio']:.2f})")
        failed = [r for r in sh["rows"] if r.get("error")]
        for r in failed:
            out.append(f"* {r['shape']}, {r['stage']}, {r['scale']}×: failed: {r['error']}")
        out.append("")
    if results.get("instructions"):
        out.append("## Instructions (callgrind)")
        out.append("")
        out.append("The measured work of each stage run once under valgrind's callgrind, which counts the "
                   "instructions executed (start-up and warm-up not counted): unlike seconds, the count is the "
                   "same whatever else the machine is doing, so it shows how the cost grows with size without "
                   "the noise of a shared machine. It leaves out what the processor's caches add to a large "
                   "input, which the CPU times above include. Ratio = instructions at k× / (k × instructions "
                   "at 1×), same stage and layout.")
        out.append("")
        out.append("| stage | layout | scale | source MB | instructions (millions) | per source byte | ratio |")
        out.append("|---|---|---:|---:|---:|---:|---:|")
        ratios = {(g["stage"], g["layout"], int(k)): r for g in results.get("instruction_growth", [])
                  for k, r in g["ratios"].items()}
        for r in results["instructions"]:
            if r.get("instructions") is None:
                out.append(f"| {r['stage']} | {r['layout']} | {r['scale']}× | {_fmt(mb(r['bytes']))} | "
                           f"failed: {r.get('error', '')} | | |")
                continue
            out.append(f"| {r['stage']} | {r['layout']} | {r['scale']}× | {_fmt(mb(r['bytes']))} | "
                       f"{r['instructions'] / 1e6:,.0f} | {r['instructions'] / r['bytes']:,.0f} | "
                       f"{_fmt(ratios.get((r['stage'], r['layout'], r['scale'])), 3)} |")
        out.append("")
        for g in results.get("instruction_growth", []):
            out.append(f"* {g['stage']}, {g['layout']}: exponent {_fmt(g['exponent'], 3)} over {g['scales']}")
        out.append("")
    elif results.get("instructions_note"):
        out.append(f"Instructions: {results['instructions_note']}")
        out.append("")
    if results.get("builds"):
        out.append("## Full builds (`trotsky-tei build`)")
        out.append("")
        out.append("Wall time, the median of the runs (`-j 1` and `-j 2` alternating, each in a fresh process, "
                   "in blocks of four: `-j 1`, `-j 2`, `-j 2`, `-j 1`); the speed-up is the median of the blocks' "
                   "ratios, each the sum of its `-j 1` walls over the sum of its `-j 2` walls, in which a drift of "
                   "the machine's speed over the block cancels.")
        gain = next((r for r in results["builds"] if r.get("machine_gain")), None)
        if gain:
            out.append("")
            out.append(f"The machine's own gain, measured before each round: a fixed job that is not the "
                       f"toolkit's (`report.parallel_gain`: the speed probe's work, about a second of it) ran "
                       f"{_fmt(gain['machine_gain'], 2)}× faster in {gain['jobs']} processes at once than in "
                       f"one (each round: {', '.join(_fmt(x, 2) for x in gain['machine_gain_runs'])}). "
                       f"Below {gain['jobs']}, the machine's virtual cores share physical ones or its host is "
                       f"busy; a second's sample says how much at that moment, not over the rounds' minutes.")
        out.append("")
        out.append("| corpus | docs | outputs | jobs | runs | wall s | MB/s | docs/s | speed-up | failed |")
        out.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
        for r in results["builds"]:
            corpus = r.get("corpus") or f"{r['layout']} {r['scale']}×"
            out.append(f"| {corpus} | {r['docs']} | {r['outputs']} | {r['jobs']} | "
                       f"{r.get('runs', 1)} | {_fmt(r['wall'], 2)} | {_fmt(r['mb_s'])} | {_fmt(r['docs_s'], 2)} | "
                       f"{_fmt(r.get('speedup'))} | {r.get('failed', '–')} |")
        out.append("")
    if results.get("rebuilds"):
        rb = results["rebuilds"]
        out.append("## Rebuilds (`trotsky-tei build` into the same directory again)")
        out.append("")
        out.append(f"The batch of {rb['scale']} documents, {rb['outputs']}, `-j {rb['jobs']}`: built once "
                   f"({_fmt(rb['full_wall'], 2)} s), then again; only what changed is remade.")
        out.append("")
        out.append("| rebuild | documents built | wall s | against the full build |")
        out.append("|---|---:|---:|---:|")
        for label, r in rb["rebuilds"].items():
            out.append(f"| {label} | {r['built']} of {r['documents']} | {_fmt(r['wall'], 2)} | "
                       f"{_fmt(r['wall'] / rb['full_wall'], 3)} |")
        out.append("")
    if results.get("reference"):
        out.append("## Beside the reference tools (same inputs, same run)")
        out.append("")
        out.append("| work | scale | trotsky-tei s | reference | reference s | ratio (reference / ours) |")
        out.append("|---|---:|---:|---|---:|---:|")
        for r in results["reference"]:
            out.append(f"| {r['work']} | {r['scale']}× | {_fmt(r['ours'], 3)} | {r['tool']} | "
                       f"{_fmt(r['theirs'], 3)} | {_fmt(r['ratio'])} |")
        out.append("")
        for r in results.get("reference_notes", []):
            out.append(f"* {r}")
        out.append("")
    if results.get("targets"):
        out.append("## Targets")
        out.append("")
        out.append("| target | measured | met |")
        out.append("|---|---|---|")
        for t in results["targets"]:
            met = {True: "yes", False: "**no**", None: "not measured"}[t["met"]]
            out.append(f"| {t['target']} | {t['measured']} | {met} |")
        out.append("")
    if results.get("profile"):
        out.append(f"Profile of the converter: `{results['profile']}`.")
        out.append("")
    return "\n".join(out)
