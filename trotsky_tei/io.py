"""Output files are written atomically: a temporary file in the target directory, then rename.
An interrupted or failed run leaves the previous output intact and no partial file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .messages import error


def refuse_same_file(inp: str | Path | None, out: str | Path | None) -> None:
    """Refuse `-o` pointing at the input: inputs are never modified."""
    if not inp or not out or str(inp) == "-" or str(out) == "-":
        return
    i, o = Path(inp), Path(out)
    if o.exists() and i.exists() and os.path.samefile(i, o):
        raise error("usage", "output file is the input file; inputs are never overwritten", file=str(o),
                    hint="choose another -o path")


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file and rename (atomic on POSIX)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=str(p.parent))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
