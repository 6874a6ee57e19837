"""PDF through Apache FOP: the XSL-FO of `fo.xsl` rendered by the `fop` command.

FOP runs in a temporary directory with a configuration of our own: no network, fonts from
the system's DejaVu family where installed (it covers every character of the edition, which
FOP's built-in Times does not), else FOP's base-14 fonts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import quoteattr

from .messages import error

INSTALL_HINT = "fop not found: install Apache FOP (apt-get install fop)"
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/local/share/fonts/truetype/dejavu"))
FONT_FAMILY = "DejaVu Serif"
FONT_FILES = {  # (style, weight) -> file name
    ("normal", "normal"): "DejaVuSerif.ttf",
    ("normal", "bold"): "DejaVuSerif-Bold.ttf",
    ("italic", "normal"): "DejaVuSerif-Italic.ttf",
    ("italic", "bold"): "DejaVuSerif-BoldItalic.ttf",
}
TIMEOUT = 600


def fop_command() -> str:
    """The `fop` program, or a one-line error saying how to install it."""
    found = shutil.which("fop")
    if not found:
        raise error("missing-tool", INSTALL_HINT)
    return found


@lru_cache(maxsize=1)
def _font_dir() -> Path | None:
    for d in FONT_DIRS:
        if all((d / f).is_file() for f in FONT_FILES.values()):
            return d
    return None


def fo_params() -> dict[str, str]:
    """Stylesheet parameters for FO meant for FOP on this machine (the font family it has)."""
    return {"font-family": FONT_FAMILY if _font_dir() else "Times"}


def _config() -> str:
    fonts = ""
    d = _font_dir()
    if d:
        fonts = "".join(
            f'<font kerning="yes" embed-url={quoteattr((d / name).as_uri())}>'
            f'<font-triplet name="{FONT_FAMILY}" style="{style}" weight="{weight}"/></font>'
            for (style, weight), name in FONT_FILES.items())
    return ('<?xml version="1.0"?><fop version="1.0"><strict-configuration>false</strict-configuration>'
            '<accessibility>false</accessibility>'
            f'<renderers><renderer mime="application/pdf"><fonts>{fonts}</fonts></renderer></renderers></fop>')


def render_pdf(fo: bytes) -> bytes:
    """Render XSL-FO bytes to PDF bytes with FOP; FOP's own error becomes a one-line message."""
    fop = fop_command()
    with tempfile.TemporaryDirectory(prefix="trotsky-tei-fop-") as tmp:
        t = Path(tmp)
        (t / "in.fo").write_bytes(fo)
        (t / "fop.xconf").write_text(_config(), "utf-8")
        env = dict(os.environ)
        env["FOP_OPTS"] = (env.get("FOP_OPTS", "") + " -Djava.awt.headless=true").strip()
        try:
            proc = subprocess.run([fop, "-q", "-c", str(t / "fop.xconf"), "-fo", str(t / "in.fo"), "-pdf",
                                   str(t / "out.pdf")], cwd=tmp, env=env, capture_output=True,
                                  timeout=TIMEOUT, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise error("pdf", f"fop did not finish within {TIMEOUT} s", hint="try a smaller document") from None
        out = t / "out.pdf"
        if proc.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            lines = [ln.strip() for ln in (proc.stderr or proc.stdout).decode("utf-8", "replace").splitlines()
                     if ln.strip() and ("SEVERE" in ln or "Exception" in ln or "ERROR" in ln)]
            detail = lines[0] if lines else f"exit status {proc.returncode}"
            raise error("pdf", f"fop failed: {detail[:300]}", hint="check the FO output (--to fo) with fop yourself")
        return out.read_bytes()
