"""`trotsky-tei build`: the whole edition from a corpus directory, in parallel or on a cluster."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html

from trotsky_tei.build import OUTPUTS, available_outputs, build_corpus
from trotsky_tei.cli import main
from trotsky_tei.manifest import MANIFEST

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SOURCES = sorted((CORPUS / "source").glob("*.txt"))


def files_under(out: Path) -> dict[str, bytes]:
    """Every file the build wrote, by path relative to the output directory, but the build's
    manifest (its records hold the files' modification times)."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != MANIFEST}


def copy_corpus(target: Path, copies: int = 1) -> Path:
    """The real corpus, each source present `copies` times under different names (with its metadata)."""
    for sub in ("authority", "corrections", "metadata"):
        if (CORPUS / sub).is_dir():
            shutil.copytree(CORPUS / sub, target / sub)
    (target / "source").mkdir(parents=True)
    for src in SOURCES:
        for i in range(copies):
            stem = src.stem if i == 0 else f"{src.stem}-copy{i}"
            shutil.copyfile(src, target / "source" / f"{stem}.txt")
            for sub in ("metadata", "corrections"):
                side = CORPUS / sub / f"{src.stem}.toml"
                if i and side.is_file():
                    shutil.copyfile(side, target / sub / f"{stem}.toml")
    return target


@pytest.fixture(scope="module")
def real_build(tmp_path_factory):
    """`trotsky-tei build corpus -o OUT` over the real corpus, every output."""
    out = tmp_path_factory.mktemp("edition")
    result = CliRunner().invoke(main, ["build", str(CORPUS), "-o", str(out), "--no-progress"])
    return out, result


def test_real_corpus_builds_every_output(real_build):
    out, result = real_build
    assert result.exit_code == 0, result.output
    assert f"{len(SOURCES)} document" in result.output and "0 failed" in result.output
    plan = available_outputs()
    assert plan == tuple(o for o in OUTPUTS if not o.needs or shutil.which(o.needs)), "every output is built"
    for src in SOURCES:
        tei = out / "tei" / f"{src.stem}.xml"
        assert tei.read_bytes().startswith(b"<?xml")
        for o in plan:
            written = out / o.directory / f"{src.stem}{o.suffix}"
            if o.target == "dc-records":  # a folder: one Dublin Core record per document of the source
                assert [p for p in written.glob("*.xml") if p.stat().st_size], written
            else:
                assert written.is_file() and written.stat().st_size > 0, written


def test_index_links_every_output_with_sizes_and_status(real_build):
    out, _ = real_build
    page = html.fromstring((out / "index.html").read_bytes())
    links = {a.get("href") for a in page.iter("a")}
    written = set(files_under(out)) - {"index.html"}
    assert links == written
    for href in links:
        assert not href.startswith(("/", "http:", "https:")), "links are relative, the page works offline"
    text = page.text_content()
    assert text.count("valid") >= len(SOURCES)
    assert "KB" in text
    assert not any(p.get("src", "").startswith("http") for p in page.iter("script", "link", "img"))


def test_one_bad_source_does_not_stop_the_batch(tmp_path):
    corpus = copy_corpus(tmp_path / "corpus")
    (corpus / "source" / "damaged.txt").write_bytes(bytes(range(256)) * 64)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(corpus), "-o", str(out), "-t", "html", "-t", "text",
                                       "--no-progress"])
    assert result.exit_code == 1
    bad_lines = [line for line in result.output.splitlines() if "damaged.txt" in line]
    assert len(bad_lines) == 1 and "error" in bad_lines[0]
    assert "Traceback" not in result.output
    assert f"{len(SOURCES) + 1} documents: 1 failed" in result.output
    assert not (out / "tei" / "damaged.xml").exists()
    assert not list(out.rglob("damaged.*"))
    for src in SOURCES:
        assert (out / "tei" / f"{src.stem}.xml").is_file()
        assert (out / "html" / f"{src.stem}.html").is_file()
        assert (out / "text" / f"{src.stem}.corrected.txt").is_file()
    page = html.fromstring((out / "index.html").read_bytes())
    row = next(tr for tr in page.iter("tr") if "damaged" in tr.text_content())
    assert "failed" in row.text_content()
    assert not list(out.rglob("*.tmp"))


def test_parallel_build_is_byte_identical(tmp_path):
    corpus = copy_corpus(tmp_path / "corpus", copies=3)
    # Everything but PDF, which costs a Java VM per document (its determinism is the PDF tests' part).
    plan = [o for o in available_outputs() if o.target != "pdf"]
    one = build_corpus(corpus, tmp_path / "j1", jobs=1, outputs=plan)
    two = build_corpus(corpus, tmp_path / "j2", jobs=2, outputs=plan)
    assert not one.failed and not two.failed
    a, b = files_under(tmp_path / "j1"), files_under(tmp_path / "j2")
    assert {f"tei/{r.stem}.xml" for r in one.results} <= a.keys()
    assert sum(len(o.files) for r in one.results for o in r.outputs) + len(one.results) + 1 == len(a)
    assert a.keys() == b.keys()
    for name in a:
        assert a[name] == b[name], name


def test_update_corpus_refreshes_the_committed_edition(tmp_path):
    corpus = copy_corpus(tmp_path / "corpus")
    (corpus / "tei").mkdir()
    stale = corpus / "tei" / f"{SOURCES[0].stem}.xml"
    stale.write_bytes(b"<stale/>")
    sources_before = {p.name: p.read_bytes() for p in (corpus / "source").iterdir()}
    result = CliRunner().invoke(main, ["build", str(corpus), "-o", str(tmp_path / "out"), "-t", "text",
                                       "--update-corpus", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert stale.read_bytes() == (tmp_path / "out" / "tei" / stale.name).read_bytes()
    assert {p.name: p.read_bytes() for p in (corpus / "source").iterdir()} == sources_before
    assert "1 TEI file refreshed" in result.stderr
    # built again: the committed file is already right, and is neither rewritten nor reported
    written = stale.stat().st_mtime_ns
    again = CliRunner().invoke(main, ["build", str(corpus), "-o", str(tmp_path / "again"), "-t", "text",
                                      "--update-corpus", "--no-progress"])
    assert again.exit_code == 0, again.output
    assert "0 TEI files refreshed" in again.stderr and stale.stat().st_mtime_ns == written


def test_dask_local_cluster_builds_the_same_edition(tmp_path):
    import distributed  # in the test extra; the dask extra for users

    corpus = copy_corpus(tmp_path / "corpus", copies=2)
    plan = [o for o in available_outputs() if o.directory in {"html", "text", "json"}]
    local = build_corpus(corpus, tmp_path / "local", jobs=1, outputs=plan)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        seen = []
        on_cluster = build_corpus(corpus, tmp_path / "dask", scheduler=cluster.scheduler_address,
                                  outputs=plan, on_result=seen.append)
        # the manifest is the client's: a second build on the cluster finds every document up to date
        src = next((corpus / "source").glob("*-copy1.txt"))
        src.write_bytes(src.read_bytes() + b"\n\nA paragraph added.\n")
        again = build_corpus(corpus, tmp_path / "dask", scheduler=cluster.scheduler_address, outputs=plan)
        assert {r.stem: r.up_to_date for r in again.results} == {r.stem: r.stem != src.stem for r in local.results}
        src.write_bytes(src.read_bytes()[:-len(b"\n\nA paragraph added.\n")])
        build_corpus(corpus, tmp_path / "dask", scheduler=cluster.scheduler_address, outputs=plan)
    assert not local.failed and not on_cluster.failed
    assert sorted(r.stem for r in seen) == sorted(r.stem for r in local.results)
    assert files_under(tmp_path / "local") == files_under(tmp_path / "dask")


def test_not_a_corpus_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["build", str(tmp_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "source" in result.output
    assert not (tmp_path / "out").exists()
