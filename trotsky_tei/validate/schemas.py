"""Where the project's schema files are: `schemas/` at the root of the source tree (beside the
package), where docs and editors find them too."""

from __future__ import annotations

from pathlib import Path

from ..messages import error

_CANDIDATES = (
    Path(__file__).resolve().parent.parent / "schemas",       # shipped inside the package
    Path(__file__).resolve().parent.parent.parent / "schemas",  # source checkout / editable install
)


def schema_path(name: str) -> Path:
    """Path of `schemas/<name>`; a clear error when the installation lacks it."""
    for base in _CANDIDATES:
        p = base / name
        if p.is_file():
            return p
    raise error("schema-missing", f"the project schema file {name} is not installed",
                hint="reinstall trotsky-tei from its source tree (schemas/ must sit beside the package)")
