"""PDF through Apache FOP: the XSL-FO of `fo.xsl` rendered by FOP, in the Java VM the process
keeps for it (`fop_vm.py`), else by the `fop` command: the same bytes either way.

FOP runs in a temporary directory with a configuration of our own: no network, fonts from
the system's DejaVu family where installed (it covers every character of the edition, which
FOP's built-in Times does not), else FOP's base-14 fonts.

The index of names cites the page of every mention; FOP cannot merge citations that fall on
the same page (XSL 1.1 index-page-citation-list is not implemented), so rendering takes two
passes: FOP lays the book out once into its area tree, which tells the page of every mention,
the citations are reduced to one per page, and FOP renders the PDF.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import quoteattr

from lxml import etree

from . import fop_vm
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
FO_NS = "http://www.w3.org/1999/XSL/Format"


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


def _run_fop(fop: str, tmp: Path, fo: bytes, args: list[str], out: Path) -> None:
    """One FOP run on `fo`: in the process's kept Java VM (`fop_vm.py`), else by the command.
    FOP's error, or the time limit passed, is one line."""
    (tmp / "in.fo").write_bytes(fo)
    env = dict(os.environ)
    env["FOP_OPTS"] = (env.get("FOP_OPTS", "") + " -Djava.awt.headless=true").strip()
    env.setdefault("SOURCE_DATE_EPOCH", "0")  # FOP dates the PDF by this, not the clock: byte-identical PDFs
    argv = ["-q", "-c", str(tmp / "fop.xconf"), "-fo", str(tmp / "in.fo"), *args, str(out)]
    try:
        failure = _in_vm(fop, argv, env)
        if failure is None:
            failure = _by_command(fop, argv, env, tmp)
    except TimeoutError:
        raise error("pdf", f"fop did not finish within {TIMEOUT} s", hint="try a smaller document") from None
    if not failure and (not out.is_file() or out.stat().st_size == 0):
        failure = "no output written"
    if failure:
        raise error("pdf", f"fop failed: {failure[:300]}", hint="check the FO output (--to fo) with fop yourself")


def _in_vm(fop: str, argv: list[str], env: dict[str, str]) -> str | None:
    """The run in the kept VM: what went wrong ("" if nothing), or None when runs are the command's."""
    try:
        return "" if fop_vm.run(fop, argv, env, TIMEOUT) else None
    except (fop_vm.RunFailed, fop_vm.VMGone) as exc:
        return str(exc)


def _by_command(fop: str, argv: list[str], env: dict[str, str], tmp: Path) -> str:
    """The run by the `fop` command: what went wrong ("" if nothing), from its error output."""
    try:
        proc = subprocess.run([fop, *argv], cwd=tmp, env=env, capture_output=True, timeout=TIMEOUT,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise TimeoutError from None
    if proc.returncode == 0:
        return ""
    lines = [ln.strip() for ln in (proc.stderr or proc.stdout).decode("utf-8", "replace").splitlines()
             if ln.strip() and ("SEVERE" in ln or "Exception" in ln or "ERROR" in ln)]
    return lines[0] if lines else f"exit status {proc.returncode}"


def pages_of_ids(area_tree: Path) -> dict[str, str]:
    """The printed page number (formatted-nr) of every element id in a FOP area tree."""
    pages: dict[str, str] = {}
    page = ""
    for event, el in etree.iterparse(str(area_tree), events=("start", "end"), resolve_entities=False,
                                     no_network=True, huge_tree=True):
        if event == "start":
            if el.tag == "pageViewport":
                page = el.get("formatted-nr", "")
            pid = el.get("prod-id")
            if pid and pid not in pages:
                pages[pid] = page
        elif el.tag == "pageViewport":
            el.clear()
    return pages


def one_citation_per_page(fo: bytes, pages: dict[str, str]) -> bytes:
    """Keep, in each `fo:inline role="index-pages"`, the first citation of each page."""
    root = etree.fromstring(fo, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    for inline in root.iter(f"{{{FO_NS}}}inline"):
        if inline.get("role") != "index-pages":
            continue
        links = [c for c in inline if c.tag == f"{{{FO_NS}}}basic-link"]
        seen: set[str] = set()
        keep = []
        for link in links:
            page = pages.get(link.get("internal-destination", ""))
            if page is None or page not in seen:
                keep.append(link)
                if page is not None:
                    seen.add(page)
        for child in list(inline):
            inline.remove(child)
        inline.text = None
        for i, link in enumerate(keep):
            link.tail = ", " if i < len(keep) - 1 else None
            inline.append(link)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def render_pdf(fo: bytes) -> bytes:
    """Render XSL-FO bytes to PDF bytes with FOP; FOP's own error becomes a one-line message."""
    fop = fop_command()
    with tempfile.TemporaryDirectory(prefix="trotsky-tei-fop-") as tmp:
        t = Path(tmp)
        (t / "fop.xconf").write_text(_config(), "utf-8")
        if b'role="index-pages"' in fo:
            _run_fop(fop, t, fo, ["-at", "application/pdf"], t / "area.xml")
            fo = one_citation_per_page(fo, pages_of_ids(t / "area.xml"))
        _run_fop(fop, t, fo, ["-pdf"], t / "out.pdf")
        return (t / "out.pdf").read_bytes()
