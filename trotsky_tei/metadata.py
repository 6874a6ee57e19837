"""Per-source metadata: `corpus/metadata/<stem>.toml`, merged over the package defaults.

The corpus layout is `CORPUS/source/<stem>.txt` with `CORPUS/metadata/<stem>.toml`,
`CORPUS/corrections/<stem>.toml` and `CORPUS/authority/*.xml` beside it. `load_for` finds the
corpus root from the source path, so passes can find curated files without configuration.
"""

from __future__ import annotations

import pickle
import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .messages import error

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def defaults() -> dict[str, Any]:
    """The package's defaults, read once per process; a fresh copy each call (callers change it).
    The copy is unpickled: plain data, a few times faster than `copy.deepcopy` (once per document)."""
    return pickle.loads(_defaults())


@lru_cache(maxsize=1)
def _defaults() -> bytes:
    data = tomllib.loads(resources.files("trotsky_tei").joinpath("data/defaults.toml").read_text("utf-8"))
    return pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; responsibilities merge by id; other values are replaced."""
    out = dict(base)
    for key, value in over.items():
        if key == "responsibility":
            by_id = {r["id"]: r for r in out.get(key, [])}
            for r in value:
                by_id[r["id"]] = {**by_id.get(r["id"], {}), **r}
            out[key] = list(by_id.values())
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise error("io", f"cannot read metadata: {exc.strerror}", file=str(path), hint="check the path") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise error("metadata", f"metadata is not valid TOML: {exc}", file=str(path),
                    hint="fix the TOML syntax (see corpus/metadata/ for examples)") from None


def corpus_dir_of(source: Path) -> Path | None:
    """`CORPUS/source/x.txt` -> CORPUS, when that layout is present."""
    parent = source.resolve().parent
    if parent.name == "source" and (parent.parent / "metadata").is_dir() or parent.name == "source" and (
        parent.parent / "authority"
    ).is_dir():
        return parent.parent
    return None


@lru_cache(maxsize=1)
def default_corpus_dir() -> Path | None:
    """The project's own corpus (authority files) when running from a checkout (looked for once
    per process)."""
    here = Path(__file__).resolve().parent.parent / "corpus"
    return here if (here / "authority").is_dir() else None


def load_for(source: str | Path | None, metadata_path: str | Path | None = None,
             corpus_dir: str | Path | None = None) -> dict[str, Any]:
    """Metadata for a source file: defaults, then its metadata file (explicit or found)."""
    meta = defaults()
    src = Path(source) if source and str(source) != "-" else None
    corpus = Path(corpus_dir) if corpus_dir else (corpus_dir_of(src) if src else None)
    if metadata_path:
        meta = merge(meta, read_toml(Path(metadata_path)))
    elif src and corpus and (corpus / "metadata" / f"{src.stem}.toml").is_file():
        meta = merge(meta, read_toml(corpus / "metadata" / f"{src.stem}.toml"))
    meta["corpus_dir"] = str(corpus or default_corpus_dir() or "")
    # a file name that is not UTF-8 (surrogate escapes) cannot go into XML as it is
    meta["source_stem"] = src.stem.encode("utf-8", "surrogateescape").decode("utf-8", "replace") if src else ""
    return meta
