"""Output files are written atomically: a temporary file in the target directory, then rename.
An interrupted or failed run leaves the previous output intact and no partial file; inputs are
never overwritten."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from .messages import TrotskyTeiError, error


def _usage(text: str, *, file: str, hint: str) -> TrotskyTeiError:
    exc = error("usage", text, file=file, hint=hint)
    exc.exit_code = 2
    return exc


def _same(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def refuse_same_file(inp: str | Path | None, out: str | Path | None) -> None:
    """Refuse `-o` pointing at the input (also through a symlink or hard link): inputs are never modified."""
    if not inp or not out or str(inp) == "-" or str(out) == "-":
        return
    i, o = Path(inp), Path(out)
    if _same(i, o) or (not o.exists() and i.resolve() == o.resolve()):
        raise _usage("output file is the input file; inputs are never overwritten", file=str(o),
                     hint="choose another -o path")


def refuse_overwriting_inputs(inputs: Iterable[str | Path], out: str | Path | None) -> None:
    """`refuse_same_file` for every input of a run."""
    for inp in inputs:
        refuse_same_file(inp, out)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: Suffix of the temporary file `atomic_path` writes beside its target, ".<name>.<random>.tmp".
TEMP_SUFFIX = ".tmp"


def temp_target(file_name: str) -> str | None:
    """The name of the file a temporary file of `atomic_path` stands for (what a process that
    was stopped while writing left behind), or None when `file_name` is not one."""
    if not (file_name.startswith(".") and file_name.endswith(TEMP_SUFFIX)):
        return None
    target, sep, _random = file_name[1:-len(TEMP_SUFFIX)].rpartition(".")   # mkstemp's part has no "."
    return target if sep else None


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success it replaces `path`, on any failure it is removed.

    For writers that want a file name (an external formatter, a zip writer) rather than bytes."""
    p = Path(path)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=TEMP_SUFFIX, dir=str(p.parent))
    except OSError as exc:
        raise error("io", f"cannot write output: {exc.strerror or exc}", file=str(p),
                    hint="check that the directory exists and is writable") from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if p.exists():
            mode = p.stat().st_mode & 0o7777
        else:
            mode = 0o666 & ~_umask()
        os.chmod(tmp_path, mode)
        os.replace(tmp_path, p)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


def write_atomic(path: str | Path, data: bytes | Iterable[bytes], durable: bool = True) -> None:
    """Write `data` (bytes, or pieces of bytes written as they come) to `path` via a temporary
    file and a rename (atomic on POSIX): no reader ever sees a partial file.

    `durable` also flushes the file to the disk before the rename (fsync), so that it survives a
    power cut. A batch build leaves that out for the outputs it can make again: an fsync costs
    0.4-0.7 ms on a virtual machine's disk and about 10 ms on a rotating one, and a build writes
    a dozen files a document."""
    p = Path(path)
    with atomic_path(p) as tmp:
        try:
            with open(tmp, "wb") as fh:
                for piece in (data,) if isinstance(data, bytes) else data:
                    fh.write(piece)
                if durable:
                    fh.flush()
                    os.fsync(fh.fileno())
        except OSError as exc:
            raise error("io", f"cannot write output: {exc.strerror or exc}", file=str(p),
                        hint="check free disk space and permissions") from None


def write_output(path: str | Path | None, data: bytes) -> None:
    """Write to a file atomically, or to standard output for "-" or None."""
    if path is None or str(path) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    write_atomic(path, data)
