"""`trotsky-tei build` remakes only what changed since the last build into the same directory."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_build import copy_corpus, files_under

from trotsky_tei import manifest
from trotsky_tei.build import available_outputs, build_corpus
from trotsky_tei.cli import main
from trotsky_tei.manifest import MANIFEST

#: Two quick outputs, one of them a folder of files (the Dublin Core records).
PLAN = [o for o in available_outputs() if o.name in ("text (source)", "dc (per document)")]


def built(report) -> dict[str, bool]:
    """Each document's stem: True when it was built, False when it was up to date."""
    return {r.stem: not r.up_to_date for r in report.results}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return copy_corpus(tmp_path / "corpus", copies=2)


def test_a_second_build_remakes_nothing_and_writes_the_same_files(corpus, tmp_path):
    out = tmp_path / "out"
    first = build_corpus(corpus, out, outputs=PLAN)
    assert set(built(first).values()) == {True}
    before = files_under(out)
    stats = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.name != "index.html"}
    second = build_corpus(corpus, out, outputs=PLAN)
    assert set(built(second).values()) == {False} and second.up_to_date == 2
    assert "(0 built, 2 up to date)" in second.summary()
    assert files_under(out) == before, "the index and every output are the same"
    assert {p: p.stat().st_mtime_ns for p in stats} == stats, "no output was rewritten"
    assert [r.messages for r in second.results] == [r.messages for r in first.results]
    assert [r.outputs for r in second.results] == [r.outputs for r in first.results]


def test_only_the_changed_source_or_side_file_is_remade(corpus, tmp_path):
    out = tmp_path / "out"
    build_corpus(corpus, out, outputs=PLAN)
    stems = sorted(p.stem for p in (corpus / "source").glob("*.txt"))
    src = corpus / "source" / f"{stems[1]}.txt"
    src.write_bytes(src.read_bytes().replace(b"Czechoslovak", b"Czecho-Slovak", 1))
    assert built(build_corpus(corpus, out, outputs=PLAN)) == {stems[0]: False, stems[1]: True}
    side = corpus / "corrections" / f"{stems[0]}.toml"
    side.write_text(side.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    assert built(build_corpus(corpus, out, outputs=PLAN)) == {stems[0]: True, stems[1]: False}
    # a touched file with the same bytes is not a change: fingerprints are of contents
    os.utime(src, ns=(0, 0))
    assert set(built(build_corpus(corpus, out, outputs=PLAN)).values()) == {False}


def test_a_corpus_wide_file_or_the_toolkit_remakes_every_document(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build_corpus(corpus, out, outputs=PLAN)
    persons = corpus / "authority" / "persons.xml"
    persons.write_bytes(persons.read_bytes() + b"\n<!-- reviewed -->\n")
    assert set(built(build_corpus(corpus, out, outputs=PLAN)).values()) == {True}
    assert set(built(build_corpus(corpus, out, outputs=PLAN)).values()) == {False}
    monkeypatch.setattr(manifest, "toolkit_fingerprint", lambda: "another version of the toolkit")
    assert set(built(build_corpus(corpus, out, outputs=PLAN)).values()) == {True}


def test_a_missing_or_edited_output_or_a_new_output_remakes_its_document(corpus, tmp_path):
    out = tmp_path / "out"
    first = build_corpus(corpus, out, outputs=PLAN)
    one, two = (r.stem for r in first.results)
    record = next(out.glob(f"dc/{one}.dc/*.xml"))
    record.unlink()
    assert built(build_corpus(corpus, out, outputs=PLAN)) == {one: True, two: False}
    assert record.is_file()
    text = out / "text" / f"{two}.source.txt"
    text.write_bytes(text.read_bytes() + b"edited by hand")
    assert built(build_corpus(corpus, out, outputs=PLAN)) == {one: False, two: True}
    assert not text.read_bytes().endswith(b"edited by hand")
    # fewer outputs than were built: up to date; one more: built
    assert set(built(build_corpus(corpus, out, outputs=PLAN[:1])).values()) == {False}
    more = PLAN + [o for o in available_outputs() if o.name == "csv"]
    assert set(built(build_corpus(corpus, out, outputs=more)).values()) == {True}


def test_incremental_build_equals_a_fresh_one(corpus, tmp_path):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    build_corpus(corpus, out, outputs=PLAN)
    src = next((corpus / "source").glob("*-copy1.txt"))
    src.write_bytes(src.read_bytes().replace(b"Trotsky", b"Trotzky"))
    build_corpus(corpus, out, outputs=PLAN)
    build_corpus(corpus, fresh, outputs=PLAN)
    assert files_under(out) == files_under(fresh)


def test_outputs_of_a_removed_source_are_deleted(corpus, tmp_path):
    out = tmp_path / "out"
    build_corpus(corpus, out, outputs=PLAN)
    gone = next((corpus / "source").glob("*-copy1.txt"))
    mine = out / "notes.txt"                      # a file the build did not write stays
    mine.write_text("kept")
    gone.unlink()
    report = build_corpus(corpus, out, outputs=PLAN)
    assert report.removed == [gone.stem]
    assert "outputs of 1 removed source deleted" in report.summary()
    assert not [p for p in out.rglob("*") if gone.stem in p.name], "its files and its records' folder are gone"
    assert mine.read_text() == "kept"
    assert gone.stem not in json.loads((out / MANIFEST).read_text())["documents"]


def test_force_and_an_unreadable_manifest_build_everything(corpus, tmp_path):
    out = tmp_path / "out"
    build_corpus(corpus, out, outputs=PLAN)
    assert set(built(build_corpus(corpus, out, outputs=PLAN, force=True)).values()) == {True}
    (out / MANIFEST).write_text("{not json")
    assert set(built(build_corpus(corpus, out, outputs=PLAN)).values()) == {True}
    assert set(built(build_corpus(corpus, out, outputs=PLAN)).values()) == {False}


def test_a_failed_document_is_tried_again_and_says_so(corpus, tmp_path):
    damaged = corpus / "source" / "damaged.txt"
    damaged.write_bytes(bytes(range(256)) * 64)
    out = tmp_path / "out"
    for why in ("not built into this directory before", "it failed in the last build"):
        report = build_corpus(corpus, out, outputs=PLAN)
        assert [r.stem for r in report.failed] == ["damaged"]
        assert next(r for r in report.results if r.stem == "damaged").reason == why
    assert json.loads((out / MANIFEST).read_text())["documents"]["damaged"]["failed"] is True
    damaged.unlink()
    report = build_corpus(corpus, out, outputs=PLAN)
    assert report.removed == ["damaged"] and not report.failed


def test_cli_force_flag_and_summary(corpus, tmp_path):
    out = tmp_path / "out"
    args = ["build", str(corpus), "-o", str(out), "-t", "text", "--no-progress"]
    first = CliRunner().invoke(main, args)
    again = CliRunner().invoke(main, args)
    forced = CliRunner().invoke(main, [*args, "--force"])
    assert first.exit_code == again.exit_code == forced.exit_code == 0, first.output + again.output + forced.output
    assert "up to date" not in first.output
    assert "(0 built, 2 up to date)" in again.output
    assert "up to date" not in forced.output


def test_update_corpus_refreshes_a_stale_committed_file_of_an_up_to_date_document(corpus, tmp_path):
    out = tmp_path / "out"
    (corpus / "tei").mkdir()
    build_corpus(corpus, out, outputs=PLAN, update_corpus=True)
    stem = next((corpus / "source").glob("*.txt")).stem
    committed = corpus / "tei" / f"{stem}.xml"
    committed.write_bytes(b"<stale/>")
    report = build_corpus(corpus, out, outputs=PLAN, update_corpus=True)
    assert set(built(report).values()) == {False}
    assert committed.read_bytes() == (out / "tei" / f"{stem}.xml").read_bytes()
    assert [r.corpus_updated for r in report.results if r.stem == stem] == [True]
    assert sum(r.corpus_updated for r in build_corpus(corpus, out, outputs=PLAN, update_corpus=True).results) == 0


def test_another_corpus_built_into_the_same_directory_keeps_the_first_ones_outputs(tmp_path):
    first = copy_corpus(tmp_path / "first")
    second = copy_corpus(tmp_path / "second")
    src = next((second / "source").glob("*.txt"))
    src.rename(src.with_name("another.txt"))
    out = tmp_path / "out"
    build_corpus(first, out, outputs=PLAN)
    report = build_corpus(second, out, outputs=PLAN)
    assert report.removed == []
    stems = {p.stem for p in (out / "tei").glob("*.xml")}
    assert stems == {"another", src.stem}
    # the first corpus rebuilt: up to date, the second one's outputs still there
    assert set(built(build_corpus(first, out, outputs=PLAN)).values()) == {False}
    assert (out / "tei" / "another.xml").is_file()


def test_an_output_directory_inside_the_corpus_is_not_an_input(corpus):
    out = corpus / "build"
    build_corpus(corpus, out, outputs=PLAN)
    assert set(built(build_corpus(corpus, out, outputs=PLAN)).values()) == {False}


def test_cli_json_report_for_programs(corpus, tmp_path):
    (corpus / "source" / "damaged.txt").write_bytes(bytes(range(256)) * 64)
    out = tmp_path / "out"
    args = ["build", str(corpus), "-o", str(out), "-t", "text", "--no-progress", "--format", "json"]
    first = CliRunner().invoke(main, args)
    again = CliRunner().invoke(main, args)
    assert first.exit_code == again.exit_code == 1
    assert first.stderr == "", "the failure is in the report, not printed beside it"
    one, two = json.loads(first.stdout), json.loads(again.stdout)
    assert one["summary"] | {"seconds": 0} == {"documents": 3, "failed": 1, "errors": 1, "warnings": 2,
                                               "up_to_date": 0, "seconds": 0, "index": str(out / "index.html"),
                                               "removed": [], "pdfs_by_command": {}}
    assert two["summary"]["up_to_date"] == 2
    status = {d["stem"]: (d["status"], d["up_to_date"]) for d in two["documents"]}
    assert status == {"damaged": ("failed", False), **{s: ("valid", True) for s in status if s != "damaged"}}
    damaged = next(d for d in one["documents"] if d["stem"] == "damaged")
    assert damaged["failure"]["severity"] == "error" and damaged["failure"]["file"].endswith("damaged.txt")
    good = next(d for d in one["documents"] if d["stem"] != "damaged")
    assert [f["path"] for o in good["outputs"] for f in o["files"]] == [
        f"text/{good['stem']}.source.txt", f"text/{good['stem']}.corrected.txt"]
    assert good["tei"]["size"] == (out / good["tei"]["path"]).stat().st_size
    assert set(good["seconds"]) == {"convert", "validate", "export:text (source)", "export:text (corrected)"}
    assert [m["rule"] for m in good["messages"]] == ["endnote-unreferenced"]


def test_each_document_built_says_why(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    stems = sorted(p.stem for p in (corpus / "source").glob("*.txt"))

    def reasons(**kw) -> dict[str, str]:
        return {r.stem: r.reason for r in build_corpus(corpus, out, outputs=PLAN, **kw).results}

    assert set(reasons().values()) == {"not built into this directory before"}
    assert reasons() == dict.fromkeys(stems, "")
    src = corpus / "source" / f"{stems[0]}.txt"
    src.write_bytes(src.read_bytes() + b"\n\nOne more paragraph.\n")
    (corpus / "metadata" / f"{stems[1]}.toml").write_bytes(
        (corpus / "metadata" / f"{stems[1]}.toml").read_bytes() + b"\n# checked\n")
    assert reasons() == {stems[0]: "its source changed", stems[1]: "its metadata or corrections changed"}
    (out / "text" / f"{stems[1]}.source.txt").unlink()
    assert reasons() == {stems[0]: "", stems[1]: f"an output was deleted or changed: text/{stems[1]}.source.txt"}
    assert set(reasons(force=True).values()) == {"--force"}
    monkeypatch.setattr(manifest, "toolkit_fingerprint", lambda: "another version of the toolkit")
    assert set(reasons().values()) == {"the toolkit changed"}


def test_dry_run_says_what_would_be_built_and_writes_nothing(corpus, tmp_path):
    out = tmp_path / "out"
    args = ["build", str(corpus), "-o", str(out), "-t", "text", "--no-progress"]
    fresh = CliRunner().invoke(main, [*args, "--dry-run"])
    assert fresh.exit_code == 0, fresh.output
    assert not out.exists(), "a dry run writes nothing"
    assert "2 of 2 documents to build, 0 up to date (dry run: nothing built)" in fresh.output
    assert fresh.output.count(": to build: not built into this directory before") == 2
    CliRunner().invoke(main, args)
    before = files_under(out)
    gone = next((corpus / "source").glob("*-copy1.txt"))
    gone.unlink()
    later = CliRunner().invoke(main, [*args, "-n", "--format", "json"])
    data = json.loads(later.stdout)
    assert data["summary"] == {"documents": 1, "to_build": 0, "up_to_date": 1, "removed": [gone.stem]}
    assert files_under(out) == before, "nothing deleted by a dry run"
    more = CliRunner().invoke(main, [*args, "-t", "csv", "-n"])
    assert ": to build: outputs not built before: csv" in more.output


def test_a_new_source_with_its_side_files_is_the_only_one_built(corpus, tmp_path):
    out = tmp_path / "out"
    build_corpus(corpus, out, outputs=PLAN)
    first = sorted((corpus / "source").glob("*.txt"))[0]
    (corpus / "source" / "new.txt").write_bytes(first.read_bytes())
    for sub in ("metadata", "corrections"):
        (corpus / sub / "new.toml").write_bytes((corpus / sub / f"{first.stem}.toml").read_bytes())
    report = build_corpus(corpus, out, outputs=PLAN)
    assert {r.stem: r.reason for r in report.results if not r.up_to_date} == {
        "new": "not built into this directory before"}
    assert report.up_to_date == 2


def test_a_stopped_build_resumes_where_it_stopped(corpus, tmp_path, monkeypatch):
    from trotsky_tei import build

    out = tmp_path / "out"
    seen = []

    def stop_after_one(res) -> None:
        seen.append(res.stem)
        raise KeyboardInterrupt       # Ctrl-C after the first document is built

    monkeypatch.setattr(build, "SAVE_EVERY", 3600.0)   # only the final save counts
    with pytest.raises(KeyboardInterrupt):
        build_corpus(corpus, out, outputs=PLAN, on_result=stop_after_one)
    assert len(seen) == 1
    again = build_corpus(corpus, out, outputs=PLAN)
    assert built(again) == {stem: stem != seen[0] for stem in built(again)}


def test_the_manifest_is_saved_during_a_build_not_only_at_its_end(corpus, tmp_path, monkeypatch):
    """A build killed outright (no clean-up) keeps what was saved before: with saves due at
    every document, the manifest on disk holds each document by the time its result is seen."""
    from trotsky_tei import build

    out = tmp_path / "out"
    on_disk = []
    monkeypatch.setattr(build, "SAVE_EVERY", 0.0)
    build_corpus(corpus, out, outputs=PLAN,
                 on_result=lambda res: on_disk.append(sorted(json.loads((out / MANIFEST).read_text())["documents"])))
    assert [len(d) for d in on_disk] == [1, 2]
