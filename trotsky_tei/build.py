"""Build a whole corpus: every source converted, validated and exported, in parallel.

One *job* per source document (`build_document`) does everything for that document and writes
its own outputs atomically, so a bad document fails alone and documents never wait on each
other. The same job runs in this process (`jobs=1`), in a pool of local processes (`jobs>1`) or
on a dask.distributed cluster (`scheduler=ADDRESS`; workers must see the corpus and output
directories at the same paths, as on a shared file system). Results come back as plain data
(`DocResult`); the index page and the exit status are made from them here, in source order, so
the outputs are byte-identical whatever the number of workers.
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import gc
import html
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .io import temp_target, write_atomic
from .manifest import Fingerprints, Manifest
from .messages import Message, Severity, TrotskyTeiError, error
from .workers import Stopped, can_limit_memory, run_isolated


@dataclass(frozen=True)
class Output:
    """One file the build writes per document: `OUT/<directory>/<stem><suffix>`."""

    directory: str
    target: str
    suffix: str
    params: tuple[tuple[str, str], ...] = ()
    label: str = ""
    needs: str = ""                 # a program on PATH the target needs (fop for PDF)

    @property
    def name(self) -> str:
        return self.label or self.target


#: Everything the edition publishes, in the order of the index page's columns.
OUTPUTS: tuple[Output, ...] = (
    Output("html", "html", ".html"),
    Output("pdf", "pdf", ".pdf", needs="fop"),
    Output("fo", "fo", ".fo"),
    Output("text", "text", ".source.txt", (("reading", "source"),), label="text (source)"),
    Output("text", "text", ".corrected.txt", (("reading", "corrected"),), label="text (corrected)"),
    Output("dc", "dc", ".dc.xml"),
    Output("dc", "dc-records", ".dc", label="dc (per document)"),
    Output("ead", "ead", ".ead.xml"),
    Output("csv", "csv", ".csv"),
    Output("json", "json", ".json"),
)


def available_outputs() -> tuple[Output, ...]:
    """The outputs this machine can make: the exporter's targets (PDF only where FOP is installed)."""
    from . import export

    def exportable(target: str) -> bool:
        if target == "dc-records":
            return hasattr(export, "export_dc_records")
        return target in export.TARGETS

    return tuple(o for o in OUTPUTS if exportable(o.target) and (not o.needs or shutil.which(o.needs)))


@dataclass
class OutputResult:
    """The files one output wrote (paths relative to the output directory, sizes), or why it failed."""

    name: str
    files: list[tuple[str, int]] = field(default_factory=list)
    error: Message | None = None


@dataclass
class DocResult:
    """What one document's job did: files written, validation messages, failure, time per stage."""

    stem: str
    source: str
    source_size: int = 0
    tei: str = ""
    tei_size: int = 0
    outputs: list[OutputResult] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    failure: Message | None = None
    corpus_updated: bool = False
    seconds: dict[str, float] = field(default_factory=dict)
    #: taken from the last build's record (`manifest.py`): nothing was remade
    up_to_date: bool = False
    #: why it was built (not up to date): what changed since the last build into the directory
    reason: str = ""
    #: why its PDF was made by the `fop` command, a Java VM started for each run, and not in
    #: the worker's kept VM (`fop_vm.py`): "" when it was not
    pdf_by_command: str = ""

    @property
    def files(self) -> list[str]:
        """Every file the job wrote, relative to the output directory."""
        return ([self.tei] if self.tei else []) + [f for o in self.outputs for f, _ in o.files]

    @property
    def errors(self) -> int:
        return sum(m.severity >= Severity.ERROR for m in self.messages) + sum(
            o.error is not None for o in self.outputs)

    @property
    def warnings(self) -> int:
        return sum(m.severity == Severity.WARNING for m in self.messages)

    @property
    def ok(self) -> bool:
        """Converted, valid and every output written."""
        return self.failure is None and self.errors == 0

    def as_dict(self) -> dict:
        """The result as plain data (`trotsky-tei build --format json`)."""
        status = "failed" if self.failure is not None else "invalid" if self.errors else "valid"
        return {"stem": self.stem, "source": self.source, "status": status, "up_to_date": self.up_to_date,
                "reason": self.reason,
                "source_size": self.source_size,
                "tei": {"path": self.tei, "size": self.tei_size} if self.tei else None,
                "outputs": [{"name": o.name, "files": [{"path": f, "size": n} for f, n in o.files],
                             "error": o.error.as_dict() if o.error else None} for o in self.outputs],
                "messages": [m.as_dict() for m in self.messages],
                "failure": self.failure.as_dict() if self.failure else None,
                "corpus_updated": self.corpus_updated,
                "pdf_by_command": self.pdf_by_command,
                "seconds": {k: round(v, 4) for k, v in self.seconds.items()}}

    #: What `as_record` leaves out of `as_dict`: what belongs to one run of the build.
    _RUN_ONLY = ("stem", "source", "status", "up_to_date", "reason", "failure", "corpus_updated",
                 "pdf_by_command", "seconds")

    def as_record(self) -> dict:
        """What a later build needs to stand in for this result (`manifest.py`): `as_dict`
        without what belongs to this run."""
        return {k: v for k, v in self.as_dict().items() if k not in self._RUN_ONLY}

    @classmethod
    def from_record(cls, data: dict, source: Path, outputs: Iterable[str]) -> DocResult:
        """The result a record stands for, for `source` as it is now, with the outputs named."""
        wanted = set(outputs)
        return cls(stem=source.stem, source=str(source), source_size=data["source_size"],
                   tei=data["tei"]["path"], tei_size=data["tei"]["size"], up_to_date=True,
                   outputs=[OutputResult(o["name"], [(f["path"], f["size"]) for f in o["files"]])
                            for o in data["outputs"] if o["name"] in wanted],
                   messages=[Message.from_dict(m) for m in data["messages"]])


@dataclass
class BuildReport:
    """All documents' results in source order, and the wall-clock time of the build."""

    results: list[DocResult]
    seconds: float
    index: str = ""
    #: sources of the last build no longer in the corpus, whose outputs were deleted
    removed: list[str] = field(default_factory=list)

    @property
    def up_to_date(self) -> int:
        return sum(r.up_to_date for r in self.results)

    @property
    def failed(self) -> list[DocResult]:
        return [r for r in self.results if not r.ok]

    @property
    def errors(self) -> int:
        return sum(r.errors + (r.failure is not None) for r in self.results)

    @property
    def warnings(self) -> int:
        return sum(r.warnings for r in self.results)

    @property
    def pdfs_by_command(self) -> dict[str, int]:
        """Why PDFs of this build were made by the `fop` command (slower than the kept VM):
        {reason: number of documents}, in the order first met."""
        why: dict[str, int] = {}
        for r in self.results:
            if r.pdf_by_command:
                why[r.pdf_by_command] = why.get(r.pdf_by_command, 0) + 1
        return why

    def as_dict(self) -> dict:
        """The build as plain data: the summary's figures and every document's result."""
        return {"summary": {"documents": len(self.results), "failed": len(self.failed), "errors": self.errors,
                            "warnings": self.warnings, "up_to_date": self.up_to_date,
                            "seconds": round(self.seconds, 3), "index": self.index, "removed": self.removed,
                            "pdfs_by_command": self.pdfs_by_command},
                "documents": [r.as_dict() for r in self.results]}

    def summary(self) -> str:
        n = len(self.results)
        return (f"{n} document{'s' * (n != 1)}: {len(self.failed)} failed, "
                f"{self.errors} error{'s' * (self.errors != 1)}, "
                f"{self.warnings} warning{'s' * (self.warnings != 1)} in {self.seconds:.1f} s"
                + (f" ({n - self.up_to_date} built, {self.up_to_date} up to date)" if self.up_to_date else "")
                + (f"; outputs of {len(self.removed)} removed source{'s' * (len(self.removed) != 1)} deleted"
                   if self.removed else "")
                + "".join(f"; {n} PDF{'s' * (n != 1)} made by the fop command, a Java VM for each run "
                          f"(slower): {why}" for why, n in self.pdfs_by_command.items()))


def serialize(tree) -> bytes:
    """The TEI file's bytes, exactly as `trotsky-tei convert` writes them."""
    from . import convert

    to_bytes = getattr(convert, "serialize", None) or getattr(convert, "to_bytes", None)
    if to_bytes is not None:
        return to_bytes(tree)
    from lxml import etree

    return etree.tostring(tree, encoding="UTF-8", xml_declaration=True) + b"\n"


def _internal(exc: BaseException, source: str, what: str) -> Message:
    """A one-line message for an unexpected failure, so one document cannot stop the batch."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return Message("internal", Severity.ERROR, f"{what} failed: {type(exc).__name__}" + (f": {text}" if text else ""),
                   file=source, hint="report this as a bug with the source file attached")


def _export(tree, output: Output) -> dict[str, Iterable[bytes]]:
    """The output's files as {name suffix: pieces of bytes}: one file, or a folder of records for
    `dc-records`. A long export comes in pieces, written as they come (`export.export_pieces`)."""
    from . import export

    if output.target == "dc-records":
        return {f"/{doc}.xml": (data,) for doc, data in export.export_dc_records(tree).items()}
    return {"": export.export_pieces(tree, output.target, **dict(output.params))}


def _counted(pieces: Iterable[bytes], size: list[int]) -> Iterator[bytes]:
    """The pieces, their total length added to size[0] as they pass."""
    for piece in pieces:
        size[0] += len(piece)
        yield piece


def _validate(tree, name: str, data: bytes) -> list[Message]:
    """Project schema and rules (full TEI P5 is `trotsky-tei validate --tei-all`: it needs tei_all.rng)."""
    from . import validate

    return list(validate.validate_tree(tree, name, source=data))


def build_document(source: str | Path, out: str | Path, update_corpus: bool = False,
                   outputs: Iterable[Output] | None = None) -> DocResult:
    """Convert, validate and export one source into `out`; never raises for a bad document.

    With `update_corpus`, a valid TEI file is also written to `<corpus>/tei/<stem>.xml` (the
    corpus root is the parent of `source/`)."""
    src, out = Path(source), Path(out)
    res = DocResult(stem=src.stem, source=str(src))
    plan = tuple(outputs) if outputs is not None else available_outputs()
    clock = time.perf_counter
    stage = "conversion"
    try:
        res.source_size = src.stat().st_size
        from .convert import convert_path

        t = clock()
        tree, doc = convert_path(src)
        # The converter's own warnings (characters replaced, crossing markup dropped...) belong
        # beside the validation messages; its INFO notes (names left unlinked) stay in the TEI.
        res.messages = [m for m in doc.reporter.messages if m.severity >= Severity.WARNING]
        del doc
        data = serialize(tree)
        res.seconds["convert"] = clock() - t
        rel = f"tei/{src.stem}.xml"
        write_atomic(out / rel, data, durable=False)       # made again if lost: see io.write_atomic
        res.tei, res.tei_size = rel, len(data)
        stage = "validation"
        t = clock()
        res.messages += _validate(tree, rel, data)
        res.seconds["validate"] = clock() - t
    except TrotskyTeiError as exc:
        res.failure = exc.message
        return res
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
        res.failure = _internal(exc, str(src), stage)
        return res
    for output in plan:
        rel = f"{output.directory}/{src.stem}{output.suffix}"
        t = clock()
        try:
            files = []
            for key, pieces in sorted(_export(tree, output).items()):
                size = [0]
                write_atomic(out / (rel + key), _counted(pieces, size), durable=False)
                files.append((rel + key, size[0]))
            res.outputs.append(OutputResult(output.name, files))
            if output.target == "pdf":
                from .fop_vm import last_run_by_command

                res.pdf_by_command = last_run_by_command()
        except TrotskyTeiError as exc:
            res.outputs.append(OutputResult(output.name, error=exc.message))
        except Exception as exc:  # noqa: BLE001
            res.outputs.append(OutputResult(output.name, error=_internal(exc, str(src), f"{output.name} export")))
        res.seconds[f"export:{output.name}"] = clock() - t
    if update_corpus and not any(m.severity >= Severity.ERROR for m in res.messages):
        res.corpus_updated = _refresh_corpus_tei(src, data)
    return res


def sources_of(corpus: str | Path) -> list[Path]:
    """The corpus's sources, `CORPUS/source/*.txt`, in name order."""
    root = Path(corpus)
    src = root / "source"
    if not src.is_dir():
        raise error("usage", "not a corpus directory: it has no source/ folder", file=str(root),
                    hint="give the directory that holds source/*.txt (and metadata/, authority/, corrections/)")
    found = sorted(p for p in src.glob("*.txt") if p.is_file())
    if not found:
        raise error("usage", "the corpus has no source/*.txt files", file=str(src),
                    hint="put the plain-text sources in source/ with the extension .txt")
    return found


def resolve_jobs(jobs: int) -> int:
    """`0` means every core this process may use."""
    if jobs > 0:
        return jobs
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def warm_up(sources: list[Path], sample: int = 8192) -> None:
    """Load what the converter and exporters load lazily (word lists, gazetteers, stylesheets) once,
    in this process, by building the opening of the smallest source; forked workers then share it
    instead of each loading it again. Failures here are ignored: the real job will report them."""
    try:
        from . import validate
        from .convert import convert_text
        from .metadata import load_for
        from .read import read_source

        validate.warm()

        smallest = min(sources, key=lambda p: p.stat().st_size)
        text, name = read_source(smallest)
        tree = convert_text(text[:sample], name, load_for(smallest))  # this corpus's authority files
        for output in available_outputs():
            if not output.needs:
                for pieces in _export(tree, output).values():
                    collections.deque(pieces, maxlen=0)  # read every piece, keep none
    except Exception:  # noqa: BLE001, S110 - only an optimisation
        pass


def _failed_job(src: Path, exc: BaseException) -> DocResult:
    return DocResult(stem=src.stem, source=str(src), failure=_internal(exc, str(src), "worker"))


def _stopped_job(stopped: Stopped[Path], out: Path, plan: tuple[Output, ...], update: bool) -> DocResult:
    """The result of a document whose process did not return: one message saying why; the
    files it was writing when it stopped are removed."""
    src = stopped.item
    _remove_partial(out, [src], plan, update)
    if stopped.cause == "time-limit":
        text, hint = f"build stopped: it {stopped.text}", ("raise --timeout, or split the source into "
                                                           "smaller documents and report it if it is short")
    elif stopped.cause == "memory-limit":
        text, hint = f"build stopped: {stopped.text}", ("raise --memory-limit, or split the source into "
                                                       "smaller documents")
    elif stopped.cause == "interrupted":
        text, hint = "build interrupted", "build again: the documents built so far are kept and not built again"
    elif stopped.cause == "crashed":
        text, hint = f"build failed: {stopped.text}", ("build it alone (trotsky-tei build with -j 1) to see "
                                                      "how much memory it needs; report a crash with the source attached")
    else:
        text, hint = f"build failed: {stopped.text}", "report this as a bug with the source file attached"
    return DocResult(stem=src.stem, source=str(src), failure=Message(
        "worker", Severity.ERROR, text, file=str(src), hint=hint, rule=f"worker-{stopped.cause}"))


def _remove_partial(out: Path, sources: Iterable[Path], plan: tuple[Output, ...], update: bool) -> None:
    """Remove the temporary files (`io.atomic_path`) that stopped documents' processes left: a
    stopped process cannot remove them itself. Their finished outputs stay where they were.
    Each folder is listed once, however many documents stopped (Ctrl-C stops a whole batch)."""
    wanted: dict[Path, set[str]] = {}
    for src in sources:
        wanted.setdefault(out / "tei", set()).add(f"{src.stem}.xml")
        for o in plan:
            wanted.setdefault(out / o.directory, set()).add(f"{src.stem}{o.suffix}")
        if update:
            wanted.setdefault(corpus_tei(src).parent, set()).add(corpus_tei(src).name)
    for folder, names in wanted.items():
        if not folder.is_dir():
            continue
        stray = [e for e in folder.iterdir() if temp_target(e.name) in names]
        for name in names:
            if (folder / name).is_dir():            # dc records: a folder of files per document
                stray += (e for e in (folder / name).iterdir() if temp_target(e.name))
        for tmp in stray:
            tmp.unlink(missing_ok=True)


def _run_local(sources: list[Path], out: Path, jobs: int, update: bool, plan: tuple[Output, ...],
               done: Callable[[DocResult], None], timeout: float | None = None,
               memory_limit_mb: int | None = None) -> list[DocResult]:
    results = []
    if (jobs == 1 or len(sources) == 1) and timeout is None and memory_limit_mb is None:
        for src in sources:
            results.append(build_document(src, out, update, plan))
            done(results[-1])
        return results
    warm_up(sources)
    gc.freeze()  # the warmed objects stay out of the workers' collections: no copy-on-write of the whole heap

    def finished(src: Path, res: DocResult | Stopped[Path]) -> None:
        if isinstance(res, Stopped):
            res = _stopped_job(res, out, plan, update)
        results.append(res)
        done(res)

    try:
        run_isolated(functools.partial(build_document, out=out, update_corpus=update, outputs=plan),
                     sources, jobs, finished, timeout=timeout,
                     memory_limit=memory_limit_mb * 2**20 if memory_limit_mb else None)
    except BaseException:
        # interrupted: a document whose process had only just taken it is not yet known as
        # started, and is not reported; what any unfinished one was writing is removed here
        built = {r.stem for r in results}
        _remove_partial(out, [src for src in sources if src.stem not in built], plan, update)
        raise
    finally:
        gc.unfreeze()
    return results


def _run_dask(sources: list[Path], out: Path, scheduler: str, update: bool, plan: tuple[Output, ...],
              done: Callable[[DocResult], None]) -> list[DocResult]:
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:
        raise error("usage", "--dask needs dask.distributed, which is not installed",
                    hint="pip install 'trotsky-tei[dask]'") from None
    try:
        client = Client(scheduler, timeout=10, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise error("dask-connect", f"cannot reach the dask scheduler at {scheduler}: {exc}",
                    hint="start one (dask scheduler; dask worker ADDRESS) or check the address") from None
    results = []
    with client:
        futures = {client.submit(build_document, str(src.resolve()), str(out.resolve()), update, plan,
                                 key=f"trotsky-tei-build-{i}-{src.stem}", pure=False): src
                   for i, src in enumerate(sources)}
        for fut in dask_completed(list(futures), loop=client.loop):
            try:
                res = fut.result()
            except Exception as exc:  # noqa: BLE001 - a worker lost or killed
                res = _failed_job(futures[fut], exc)
            results.append(res)
            done(res)
    return results


#: Seconds between two saves of the manifest during a build.
SAVE_EVERY = 5.0


@dataclass
class BuildPlan:
    """What a build of `corpus` into `out` will do, before it does anything: the documents up
    to date (their records) and those to build (why), and the removed sources."""

    corpus: Path
    out: Path
    outputs: tuple[Output, ...]
    manifest: Manifest
    fingerprints: dict[str, dict[str, str]]
    up_to_date: dict[Path, dict] = field(default_factory=dict)
    todo: dict[Path, str] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    #: the corpus as the manifest names it (its resolved path)
    corpus_key: str = ""

    def __post_init__(self) -> None:
        self.corpus_key = self.corpus_key or str(self.corpus.resolve())


def plan_build(corpus: str | Path, out: str | Path, outputs: Iterable[Output] | None = None,
               force: bool = False) -> BuildPlan:
    """Which documents a build would remake, and why (`manifest.py`); reads, writes nothing."""
    from .metadata import corpus_dir_of, default_corpus_dir

    sources = sources_of(corpus)
    out = Path(out)
    plan = BuildPlan(Path(corpus), out, tuple(outputs) if outputs is not None else available_outputs(),
                     Manifest.load(out), {})
    prints = Fingerprints(corpus_dir_of(sources[0]) or default_corpus_dir(), out)
    names = [o.name for o in plan.outputs]
    for src in sources:
        plan.fingerprints[src.stem] = prints.of(src)
        record, why = (None, "--force") if force else plan.manifest.check(src.stem, plan.fingerprints[src.stem], names)
        if record is None:
            plan.todo[src] = why
        else:
            plan.up_to_date[src] = record
    plan.removed = plan.manifest.removed_sources(plan.corpus_key, plan.fingerprints)
    return plan


def build_corpus(corpus: str | Path, out: str | Path, *, jobs: int = 1, scheduler: str | None = None,
                 update_corpus: bool = False, outputs: Iterable[Output] | None = None,
                 on_result: Callable[[DocResult], None] | None = None, force: bool = False,
                 timeout: float | None = None, memory_limit_mb: int | None = None) -> BuildReport:
    """Build every source of `corpus` into `out` and write `out/index.html`.

    With `timeout` (seconds), a document still building after that long is stopped and
    reported, and the others are built; with `memory_limit_mb`, one whose worker's resident
    memory passes that many MB (Linux). Both need local worker processes (not `scheduler`: a
    dask worker cannot stop a task it runs). In worker processes (`jobs` > 1, or a limit) a
    document that crashes its process fails alone.

    A document whose inputs and outputs are as the last build into `out` recorded them is not
    built again (`plan_build`, `manifest.py`); `force` builds every one. The outputs of a
    source no longer in the corpus are deleted. `on_result` is called once per document as it
    finishes (for a progress bar)."""
    started = time.perf_counter()
    check_limits(scheduler, timeout, memory_limit_mb)
    p = plan_build(corpus, out, outputs, force)
    out = p.out
    out.mkdir(parents=True, exist_ok=True)
    names = [o.name for o in p.outputs]
    why = {src.stem: reason for src, reason in p.todo.items()}
    saved = [time.monotonic()]

    def done(res: DocResult) -> None:
        res.reason = why.get(res.stem, "")
        if res.stem in why:
            # recorded as soon as it is built, and the manifest saved now and then: a build
            # that is stopped resumes where it stopped
            if res.failure is None and not any(o.error for o in res.outputs):
                p.manifest.record(res.stem, p.corpus_key, p.fingerprints[res.stem], res.as_record(), res.files)
            else:
                p.manifest.record_failure(res.stem, p.corpus_key)
            if time.monotonic() - saved[0] > SAVE_EVERY:
                p.manifest.save()
                saved[0] = time.monotonic()
        if on_result is not None:
            on_result(res)

    results: list[DocResult] = []
    try:
        for src, record in p.up_to_date.items():
            res = DocResult.from_record(record, src, names)
            if update_corpus and not any(m.severity >= Severity.ERROR for m in res.messages):
                res.corpus_updated = _refresh_corpus_tei(src, (out / res.tei).read_bytes())
            results.append(res)
            done(res)
        # Largest first: the long jobs start early and the workers finish together.
        order = sorted(p.todo, key=lambda src: (-src.stat().st_size, src.name))
        if order and scheduler:
            results += _run_dask(order, out, scheduler, update_corpus, p.outputs, done)
        elif order:
            results += _run_local(order, out, resolve_jobs(jobs), update_corpus, p.outputs, done, timeout,
                                  memory_limit_mb)
        for stem in p.removed:
            p.manifest.remove_outputs(stem)
    finally:
        p.manifest.save()       # what was built is kept, even when the build stops (Ctrl-C)
    results.sort(key=lambda r: Path(r.source).name)
    index = write_index(out, results, p.outputs, title=Path(corpus).resolve().name)
    return BuildReport(results, time.perf_counter() - started, index, p.removed)


def check_limits(scheduler: str | None, timeout: float | None, memory_limit_mb: int | None) -> None:
    """The per-document limits of `build_corpus` are usable here, or a usage error says why."""
    for name, value, unit in (("--timeout", timeout, "seconds"), ("--memory-limit", memory_limit_mb, "MB")):
        if value is None:
            continue
        if scheduler:
            raise error("usage", f"{name} is for local builds: a dask worker cannot stop a document it is building",
                        hint=f"leave out {name}, or limit the dask workers (dask worker --memory-limit, --lifetime)")
        if value <= 0:
            raise error("usage", f"{name} must be a number of {unit} above 0, not {value:g}",
                        hint=f"e.g. {name} {600 if unit == 'seconds' else 2000}")
    if memory_limit_mb is not None and not can_limit_memory():
        raise error("usage", "--memory-limit needs Linux: a worker reads its memory in /proc",
                    hint="leave out --memory-limit on this system")


def corpus_tei(src: Path) -> Path:
    """The committed TEI of a source, `<corpus>/tei/<stem>.xml` (`--update-corpus`)."""
    return src.parent.parent / "tei" / f"{src.stem}.xml"


def _refresh_corpus_tei(src: Path, data: bytes) -> bool:
    """Write the TEI `data` of `src` as its committed TEI when that differs (a file the same
    bytes is left alone, its time too); True if written."""
    target = corpus_tei(src)
    if target.is_file() and target.read_bytes() == data:
        return False
    write_atomic(target, data)
    return True


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


_CSS = """body{font-family:serif;max-width:78em;margin:2em auto;padding:0 1em;color:#111}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #bbb;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#eee}.size{color:#555;font-size:85%;white-space:nowrap}.ok{color:#064}.bad{color:#a00}
ul.msgs{margin:.3em 0;padding-left:1.2em;font-family:monospace;font-size:85%}"""


def _shown(m: Message) -> str:
    """A message as the index shows it: file names without directories, the same on every machine."""
    return dataclasses.replace(m, file=Path(m.file).name if m.file else "").render()


def render_index(results: list[DocResult], plan: tuple[Output, ...], title: str = "edition") -> str:
    """A plain, offline HTML page: one row per document, a link and size per output, the status."""
    esc = html.escape
    head = "".join(f"<th>{esc(o.name)}</th>" for o in plan)
    rows = []
    for r in results:
        cells = [f"<td>{esc(r.stem)}<br><span class='size'>source {_size(r.source_size)}</span></td>"]
        if r.failure is not None:
            status = f"<span class='bad'>failed</span><ul class='msgs'><li>{esc(_shown(r.failure))}</li></ul>"
            cells.append(f"<td>{status}</td>")
            cells.append(f"<td colspan='{len(plan) + 1}'>not built</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
            continue
        errs = [m for m in r.messages if m.severity >= Severity.ERROR]
        warns = [m for m in r.messages if m.severity == Severity.WARNING]
        if errs:
            status = f"<span class='bad'>invalid: {len(errs)} error{'s' * (len(errs) != 1)}</span>"
        else:
            status = "<span class='ok'>valid</span>"
        if warns:
            status += f", {len(warns)} warning{'s' * (len(warns) != 1)}"
        shown = errs + warns
        if shown:
            items = "".join(f"<li>{esc(_shown(m))}</li>" for m in shown[:50])
            more = f"<li>… {len(shown) - 50} more</li>" if len(shown) > 50 else ""
            status += f"<details><summary>messages</summary><ul class='msgs'>{items}{more}</ul></details>"
        cells.append(f"<td>{status}</td>")
        cells.append(f"<td><a href='{esc(r.tei)}'>TEI</a><br><span class='size'>{_size(r.tei_size)}</span></td>")
        by_name = {o.name: o for o in r.outputs}
        for o in plan:
            got = by_name.get(o.name)
            if got is None:
                cells.append("<td>—</td>")
            elif got.error is not None:
                cells.append(f"<td class='bad' title='{esc(_shown(got.error))}'>failed</td>")
            else:
                cells.append("<td>" + "<br>".join(
                    f"<a href='{esc(path)}'>{esc(Path(path).name)}</a> <span class='size'>{_size(size)}</span>"
                    for path, size in got.files) + "</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    n_ok = sum(r.ok for r in results)
    return (
        "<!DOCTYPE html>\n<html lang='en'>\n<head><meta charset='utf-8'>"
        f"<title>{esc(title)}: edition outputs</title><style>{_CSS}</style></head>\n<body>\n"
        f"<h1>{esc(title)}: edition outputs</h1>\n"
        f"<p>{len(results)} document{'s' * (len(results) != 1)}, {n_ok} built and valid. "
        "TEI validated against the project schema and rules.</p>\n"
        f"<table>\n<tr><th>document</th><th>status</th><th>TEI</th>{head}</tr>\n"
        + "\n".join(rows) + "\n</table>\n</body>\n</html>\n"
    )


def write_index(out: Path, results: list[DocResult], plan: tuple[Output, ...], title: str = "edition") -> str:
    """Write `out/index.html` and return its path."""
    path = out / "index.html"
    write_atomic(path, render_index(results, plan, title).encode("utf-8"))
    return str(path)
