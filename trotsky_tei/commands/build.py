"""`trotsky-tei build CORPUS_DIR -o OUT`: the whole edition in one command."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import click

from ..build import (
    OUTPUTS,
    BuildPlan,
    BuildReport,
    DocResult,
    available_outputs,
    build_corpus,
    check_limits,
    plan_build,
    resolve_jobs,
    sources_of,
)
from ..cli import render
from ..messages import Message, Severity, TrotskyTeiError


def _line(m: Message, out: Path) -> str:
    """Validation messages name `tei/<stem>.xml`; on the terminal they name the file under OUT."""
    if m.file and not Path(m.file).is_absolute() and m.file.startswith("tei/"):
        m = dataclasses.replace(m, file=str(out / m.file))
    return render(m)


def _report(res: DocResult, out: Path, verbose: bool, write) -> None:
    if verbose and res.reason:
        write(render(Message("build", Severity.INFO, f"built: {res.reason}", file=res.source)))
    if res.failure is not None:
        write(_line(res.failure, out))
        return
    for m in res.messages:
        if m.severity >= Severity.ERROR or (verbose and m.severity == Severity.WARNING):
            write(_line(m, out))
    for o in res.outputs:
        if o.error is not None:
            write(_line(o.error, out))


@click.command("build")
@click.argument("corpus_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
              show_default=True, help="Directory for tei/, every export and index.html.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
              help="Documents built at once, in separate processes; 0 = every core.")
@click.option("--dask", "scheduler", metavar="ADDRESS", default=None,
              help="Run the per-document jobs on a dask.distributed scheduler (e.g. tcp://host:8786); "
                   "workers must see CORPUS_DIR and OUT at the same paths.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
              help="Stop a document still building after this many seconds, report it and build the "
                   "others (local builds only; default: no limit).")
@click.option("--memory-limit", "memory_limit", type=click.IntRange(min=1), default=None, metavar="MB",
              help="Stop a document whose worker process holds more than this much memory, report it and "
                   "build the others (local builds on Linux only; default: no limit).")
@click.option("--update-corpus", is_flag=True,
              help="Also refresh CORPUS_DIR/tei/<stem>.xml, the committed edition, from each valid document.")
@click.option("-t", "--target", "targets", multiple=True, metavar="NAME",
              type=click.Choice(sorted({o.directory for o in OUTPUTS}), case_sensitive=False),
              help="Build only this output (repeatable; default: every output). TEI and index.html are always written.")
@click.option("-f", "--force", is_flag=True,
              help="Build every document, even those the last build into OUT left up to date.")
@click.option("-n", "--dry-run", is_flag=True,
              help="Say which documents a build would remake and why, and build nothing.")
@click.option("-v", "--verbose", is_flag=True, help="Print warnings too, not only errors, and why each document is built.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people; json (on standard output) for CI and other programs: the summary "
                   "and each document's status, files, messages and seconds per stage.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar (default: on when standard error is a terminal).")
def command(corpus_dir: Path, out: Path, jobs: int, scheduler: str | None, timeout: float | None,
            memory_limit: int | None, update_corpus: bool,
            targets: tuple[str, ...], force: bool, dry_run: bool, verbose: bool, fmt: str,
            progress: bool | None) -> None:
    """Convert, validate and export every CORPUS_DIR/source/*.txt into OUT.

    Writes OUT/tei/<stem>.xml, OUT/<target>/<stem>.* for every export (html, pdf where FOP is
    installed, fo, text, dc, ead, csv, json) and OUT/index.html linking them all. A document that
    fails is reported on one line and the others are still built; the exit status is 1 if any
    document failed or is invalid.

    A document whose source, side files (metadata, corrections), corpus-wide files (authority
    records) and toolkit are unchanged since the last build into OUT, with its outputs still as
    written, is not built again (OUT/.trotsky-tei-build.json records them); --force builds all.
    The outputs of a source no longer in the corpus are deleted.
    """
    from tqdm import tqdm

    try:
        total = len(sources_of(corpus_dir))
    except TrotskyTeiError as exc:
        raise click.UsageError(exc.message.render()) from None
    try:
        check_limits(scheduler, timeout, memory_limit)
    except TrotskyTeiError as exc:
        raise click.UsageError(exc.message.text) from None
    plan = [o for o in available_outputs() if not targets or o.directory in {t.lower() for t in targets}]
    if dry_run:
        _dry_run(plan_build(corpus_dir, out, plan, force), fmt)
        return
    workers = "dask" if scheduler else f"{resolve_jobs(jobs)} process{'es' * (resolve_jobs(jobs) != 1)}"
    bar = tqdm(total=total, unit="doc", desc=f"build ({workers})", file=sys.stderr,
               disable=None if progress is None else not progress, leave=False)

    def done(res: DocResult) -> None:
        bar.update(1)
        if fmt == "text":
            _report(res, out, verbose, lambda text: bar.write(text, file=sys.stderr))

    try:
        report: BuildReport = build_corpus(corpus_dir, out, jobs=jobs, scheduler=scheduler, outputs=plan,
                                           update_corpus=update_corpus, on_result=done, force=force,
                                           timeout=timeout, memory_limit_mb=memory_limit)
    finally:
        bar.close()
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        if update_corpus:
            n = sum(r.corpus_updated for r in report.results)
            click.echo(f"{n} TEI file{'s' * (n != 1)} refreshed in {corpus_dir / 'tei'}", err=True)
        click.echo(f"{report.summary()}; index: {report.index}")
    if report.failed:
        sys.exit(1)


def _dry_run(plan: BuildPlan, fmt: str) -> None:
    """What `build` would do: a line per document to build, with why; a summary line."""
    sources = sorted([*plan.todo, *plan.up_to_date], key=lambda p: p.name)
    if fmt == "json":
        data = {"summary": {"documents": len(sources), "to_build": len(plan.todo),
                            "up_to_date": len(plan.up_to_date), "removed": plan.removed},
                "documents": [{"stem": p.stem, "source": str(p), "up_to_date": p in plan.up_to_date,
                               "reason": plan.todo.get(p, "")} for p in sources]}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for src in sources:
        if src in plan.todo:
            click.echo(f"{src}: to build: {plan.todo[src]}")
    n = len(sources)
    line = f"{len(plan.todo)} of {n} document{'s' * (n != 1)} to build, {len(plan.up_to_date)} up to date"
    if plan.removed:
        line += f"; the outputs of {len(plan.removed)} removed source{'s' * (len(plan.removed) != 1)} would be deleted"
    click.echo(line + " (dry run: nothing built)")
