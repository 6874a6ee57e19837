"""The command line: a thin click group. Each subcommand lives in `commands/<name>.py` and
exports a click object named `command`; they are registered here by discovery, so adding a
command never touches this file. Errors the user can act on are rendered on one line (exit 1);
usage errors exit 2; no traceback reaches the user."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys

import click

from . import __version__, commands
from .messages import Message, TrotskyTeiError


def render(message: Message) -> str:
    line = message.render()
    if message.hint:
        line += f" (hint: {message.hint})"
    return line


class Group(click.Group):
    """Loads subcommands from the commands package and turns library errors into one line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = [m.name.replace("_", "-") for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")]
        return sorted(names)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        mod_name = cmd_name.replace("-", "_")
        if mod_name not in {m.name for m in pkgutil.iter_modules(commands.__path__)}:
            return None
        module = importlib.import_module(f"{commands.__name__}.{mod_name}")
        return getattr(module, "command", None)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except TrotskyTeiError as exc:
            click.echo(f"trotsky-tei: {render(exc.message)}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("trotsky-tei: interrupted", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.exceptions.ClickException, click.exceptions.Abort):
            raise
        except Exception as exc:  # a defect: one line for the user, the traceback on request
            if os.environ.get("TROTSKY_TEI_DEBUG"):
                raise
            click.echo(f"trotsky-tei: internal error: {type(exc).__name__}: {exc} "
                       "(set TROTSKY_TEI_DEBUG=1 for the traceback and report it)", err=True)
            ctx.exit(1)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="trotsky-tei")
def main() -> None:
    """trotsky-tei: plain-text historical documents to validated, linked, lossless TEI P5,
    and from TEI to a reading edition, print, archival and index formats."""


def run() -> None:  # pragma: no cover - console entry point alias
    sys.exit(main())
