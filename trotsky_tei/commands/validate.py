"""`trotsky-tei validate FILE|DIR…`: check TEI documents against the project schema and rules.

Exit status: 0 every document valid (warnings allowed), 1 some document invalid, 2 usage error
or an input that cannot be read."""

from __future__ import annotations

import json
import sys
from collections import Counter

import click

from ..messages import Message, Severity


def render_text(m: Message) -> str:
    """`file:line:col: severity: text [rule]`, then where (XPath) and what to do (hint)."""
    lines = [m.render()]
    if m.xpath:
        lines.append(f"    at {m.xpath}")
    if m.hint:
        lines.append(f"    hint: {m.hint}")
    return "\n".join(lines)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@click.command("validate")
@click.argument("paths", nargs=-1, required=True, metavar="FILE|DIR...")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for CI and other programs.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
              help="Files validated at once, in separate processes; 0 = one per core.")
@click.option("--tei-all", "tei_all", type=click.Path(exists=True, dir_okay=False),
              help="Also check full TEI P5 conformance against this tei_all.rng (RELAX NG; slow to load).")
@click.option("-q", "--quiet", is_flag=True, help="Do not print warnings (they are still counted).")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on standard error (default: on when it is a terminal).")
def command(paths: tuple[str, ...], fmt: str, jobs: int, tei_all: str | None, quiet: bool,
            progress: bool | None) -> None:
    """Validate TEI FILEs, and every *.xml under each DIR, against the project schema
    (schemas/trotsky-tei.xsd) and rules (schemas/trotsky-tei.sch).

    Each finding is printed as `file:line:col: error|warning: text [rule-id]` with the XPath of
    the element and a hint; a summary line ends the report. Rule ids are explained in
    docs/encoding.md.

    Exit status: 0 every file valid (warnings allowed), 1 some file invalid, 2 usage error or an
    input that cannot be read.
    """
    from tqdm import tqdm

    from ..messages import TrotskyTeiError
    from ..validate import expand_paths, validate_files, warm

    if tei_all:
        try:
            warm(tei_all)
        except TrotskyTeiError as exc:
            raise click.BadParameter(exc.message.text, param_hint="--tei-all") from None
    files, problems = expand_paths(paths)
    per_file: dict[str, list[Message]] = {}
    shown = Severity.ERROR if quiet else Severity.WARNING
    bar = tqdm(total=len(files), unit="file", desc="validate", file=sys.stderr, leave=False,
               disable=(None if progress is None else not progress) if files else True)

    def emit(text: str) -> None:
        if bar.disable:
            click.echo(text)
        else:
            bar.write(text, file=sys.stdout)

    if fmt == "text":
        for m in problems:
            emit(render_text(m))

    def done(path: str, found: list[Message]) -> None:
        per_file[path] = found
        bar.update(1)
        if fmt == "text":
            for m in found:
                if m.severity >= shown:
                    emit(render_text(m))

    try:
        messages = validate_files(files, jobs=jobs, tei_all=tei_all, on_file=done)
    finally:
        bar.close()

    everything = problems + messages
    counts = Counter(str(m.severity) for m in everything)
    unreadable = sum(1 for m in everything if m.kind == "io")
    invalid = [f for f, found in per_file.items() if any(m.severity >= Severity.ERROR for m in found)]
    valid = len(per_file) - len(invalid)
    summary = {
        "files": len(per_file), "valid": valid, "invalid": len(invalid), "unreadable": unreadable,
        "errors": counts.get("error", 0), "warnings": counts.get("warning", 0),
    }
    if fmt == "json":
        data = {
            "summary": summary,
            "files": [{"file": f, "valid": f not in invalid,
                       "errors": sum(m.severity >= Severity.ERROR for m in found),
                       "warnings": sum(m.severity == Severity.WARNING for m in found)}
                      for f, found in per_file.items()],
            "messages": [m.as_dict() for m in everything if m.severity >= shown],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        line = (f"{_plural(len(per_file), 'file')} checked: {valid} valid, {len(invalid)} invalid; "
                f"{_plural(summary['errors'], 'error')}, {_plural(summary['warnings'], 'warning')}")
        if unreadable:
            line += f"; {_plural(unreadable, 'input')} could not be read"
        click.echo(line)
    ctx = click.get_current_context()
    if unreadable:
        ctx.exit(2)
    if summary["errors"]:
        ctx.exit(1)

