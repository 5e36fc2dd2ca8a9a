"""content/ is never lost: hand edits are detected, writes are atomic, bad seeds are skipped (issue 5)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from build_tools import pipeline, store
from build_tools.errors import ContentError, HandEditError, SeedError

OLD = {"a.md": "old a\n", "people/p.md": "old p\n", "gone.md": "old gone\n"}
NEW = {"a.md": "new a\n", "people/p.md": "new p\n", "b.md": "new b\n"}

SEED = (
    "KABUL — The market reopened on Monday after the fire.\n\n"
    "“We will rebuild every stall,” said Gul Ahmad, a trader.\n"
)


def snapshot(content: Path) -> dict[str, bytes]:
    return {
        p.relative_to(content).as_posix(): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()
    }


# -- hand edits ------------------------------------------------------------------------------------
def test_the_first_write_records_every_file_in_the_manifest(tmp_path: Path) -> None:
    changes = store.write_all(tmp_path, OLD)
    assert sorted(changes.written) == sorted(OLD)
    manifest = json.loads((tmp_path / store.MANIFEST).read_text())
    assert manifest == {"files": {rel: store.sha256(text.encode()) for rel, text in OLD.items()}}
    assert (tmp_path / "a.md").stat().st_mode & 0o777 == store.NEW_FILE_MODE


def test_an_unchanged_build_writes_nothing(tmp_path: Path) -> None:
    store.write_all(tmp_path, OLD)
    stamps = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    changes = store.write_all(tmp_path, OLD)
    assert changes.written == () and changes.deleted == () and changes.unchanged == len(OLD)
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")} == stamps


def test_a_hand_edit_stops_the_build_naming_the_file_and_both_ways_out(tmp_path: Path) -> None:
    store.write_all(tmp_path, OLD)
    (tmp_path / "a.md").write_text("old a, improved by hand\n")
    with pytest.raises(HandEditError) as caught:
        store.write_all(tmp_path, NEW)
    e = caught.value
    assert e.path == str(tmp_path / "a.md")
    assert "seeds/a.yml" in e.fix and "--discard-edits" in e.fix and "discard_edits: true" in e.fix
    assert (tmp_path / "a.md").read_text() == "old a, improved by hand\n"  # nothing was touched
    assert (tmp_path / "b.md").exists() is False


def test_discard_edits_overwrites_the_hand_edit(tmp_path: Path) -> None:
    store.write_all(tmp_path, OLD)
    (tmp_path / "people" / "p.md").write_text("edited\n")
    store.write_all(tmp_path, NEW, discard_edits=True)
    assert generated(tmp_path) == {k: v.encode() for k, v in NEW.items()}


def generated(content: Path) -> dict[str, bytes]:
    return {rel: data for rel, data in snapshot(content).items() if rel != store.MANIFEST}


def test_an_edit_of_a_file_the_build_removes_is_also_kept(tmp_path: Path) -> None:
    store.write_all(tmp_path, OLD)
    (tmp_path / "gone.md").write_text("edited\n")
    with pytest.raises(HandEditError, match=r"gone\.md"):
        store.write_all(tmp_path, NEW)


def test_an_edit_that_matches_the_new_output_is_not_an_edit(tmp_path: Path) -> None:
    store.write_all(tmp_path, OLD)
    (tmp_path / "a.md").write_text(NEW["a.md"])
    store.write_all(tmp_path, NEW)
    assert (tmp_path / "a.md").read_text() == NEW["a.md"]


def test_a_file_the_pipeline_never_wrote_is_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("written by a person\n")
    with pytest.raises(HandEditError):
        store.write_all(tmp_path, NEW)
    (tmp_path / "notes.md").write_text("not ours, not in the output\n")
    store.write_all(tmp_path, NEW, discard_edits=True)
    assert (tmp_path / "notes.md").read_text() == "not ours, not in the output\n"


def test_a_deleted_file_is_simply_written_again(tmp_path: Path) -> None:
    store.write_all(tmp_path, OLD)
    (tmp_path / "a.md").unlink()
    assert store.write_all(tmp_path, OLD).written == ("a.md",)


def test_an_unreadable_manifest_is_an_error_with_the_fix(tmp_path: Path) -> None:
    store.write_all(tmp_path, OLD)
    (tmp_path / store.MANIFEST).write_text("{not json")
    with pytest.raises(ContentError) as caught:
        store.write_all(tmp_path, NEW)
    assert caught.value.path == str(tmp_path / store.MANIFEST) and "git checkout" in caught.value.fix


@pytest.mark.parametrize("rel", ["../escape.md", "/abs.md", store.MANIFEST, "a\\b.md"])
def test_a_path_outside_content_is_refused(tmp_path: Path, rel: str) -> None:
    with pytest.raises(ContentError):
        store.write_all(tmp_path / "content", {rel: "x\n"})
    assert not (tmp_path / "escape.md").exists()


# -- atomic writes ---------------------------------------------------------------------------------
def interrupted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after: int, error: BaseException) -> None:
    """Write NEW over OLD with os.replace failing on its call number `after`."""
    calls = 0
    real = os.replace

    def replace(src: str, dst: str) -> None:
        nonlocal calls
        calls += 1
        if calls == after:
            raise error
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(type(error) if not isinstance(error, OSError) else ContentError):
        store.write_all(tmp_path, NEW)
    monkeypatch.setattr(os, "replace", real)


def total_replaces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many renames an uninterrupted NEW-over-OLD build makes: every moment to interrupt it at."""
    probe = tmp_path / "probe"
    store.write_all(probe, OLD)
    calls = []
    real = os.replace
    monkeypatch.setattr(os, "replace", lambda src, dst: calls.append(dst) or real(src, dst))
    store.write_all(probe, NEW)
    monkeypatch.setattr(os, "replace", real)
    return len(calls)


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_an_interrupted_build_leaves_every_file_old_or_new_and_the_next_build_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    steps = total_replaces(tmp_path, monkeypatch)
    assert steps >= len(NEW) + 1  # every file, and the manifest
    for after in range(1, steps + 1):
        content = tmp_path / f"content-{after}"
        store.write_all(content, OLD)
        interrupted(content, monkeypatch, after, error)
        files = snapshot(content)
        assert not [rel for rel in files if rel.endswith(store.TEMP_SUFFIX)], "no temporary file is left"
        for rel in set(OLD) | set(NEW):
            versions = {OLD.get(rel, "").encode() or None, NEW.get(rel, "").encode() or None}
            assert files.get(rel) in versions, f"{rel} is neither old nor new after {after} replace(s)"
        store.write_all(content, NEW)  # no false hand-edit error: the manifest knew what was pending
        assert generated(content) == {k: v.encode() for k, v in NEW.items()}


def test_temporary_files_of_a_killed_build_are_removed(tmp_path: Path) -> None:
    store.write_all(tmp_path, OLD)
    leftover = tmp_path / "people" / ".p.md.k1ll3d.tmp"  # of a version that did not name its process
    leftover.write_text("half a fi")
    dead = tmp_path / f".a.md.{_finished_pid()}.x1.tmp"
    dead.write_text("half")
    running = tmp_path / f".a.md.{os.getppid()}.x2.tmp"  # another build, still running: not ours to remove
    running.write_text("being written")
    store.write_all(tmp_path, NEW)
    assert not leftover.exists() and not dead.exists()
    assert running.read_text() == "being written"


def _finished_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


# -- the pipeline: bad seeds, hand edits, determinism ----------------------------------------------------
@pytest.fixture()
def project(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "market.txt").write_text(SEED, encoding="utf-8")
    (seeds / "second.txt").write_text(SEED.replace("Monday", "Tuesday"), encoding="utf-8")
    (seeds / "broken.txt").write_bytes(b"a binary \x00 file")
    (seeds / "stale.txt").write_text(SEED, encoding="utf-8")
    (seeds / "stale.yml").write_text("date: 14/03/2025\n", encoding="utf-8")
    return tmp_path


def test_a_bad_seed_is_reported_and_skipped_while_the_others_are_published(project: Path) -> None:
    report = pipeline.build(project / "seeds", project / "content")
    assert sorted(d.article.slug for d in report.documents) == ["market", "second"]
    failed = sorted(f.path for f in report.failures)
    assert failed == [str(project / "seeds" / "broken.txt"), str(project / "seeds" / "stale.yml")]
    assert (project / "content" / "market.md").is_file() and (project / "content" / "second.md").is_file()
    assert not (project / "content" / "broken.md").exists()


def test_a_strict_build_stops_on_the_first_bad_seed(project: Path) -> None:
    with pytest.raises(SeedError, match=r"broken\.txt"):
        pipeline.build(project / "seeds", project / "content", strict=True)


def test_a_hand_edited_article_stops_the_pipeline_until_moved_or_discarded(project: Path) -> None:
    content = project / "content"
    pipeline.build(project / "seeds", content)
    page = content / "market.md"
    page.write_text(page.read_text().replace("Gul Ahmad", "Gul Ahmad Khan"))
    with pytest.raises(HandEditError) as caught:
        pipeline.build(project / "seeds", content)
    assert caught.value.path == str(page) and "seeds/market.yml" in caught.value.fix
    pipeline.build(project / "seeds", content, discard_edits=True)
    assert "Gul Ahmad Khan" not in page.read_text()


def test_content_is_byte_identical_across_builds_and_checkouts(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    pipeline.build(project / "seeds", project / "content")
    first = snapshot(project / "content")
    again = pipeline.build(project / "seeds", project / "content")
    assert again.changes.written == () and snapshot(project / "content") == first
    elsewhere = tmp_path_factory.mktemp("another-checkout")
    shutil.copytree(project / "seeds", elsewhere / "seeds")
    pipeline.build(elsewhere / "seeds", elsewhere / "content")
    assert snapshot(elsewhere / "content") == first  # no absolute path, clock or disk order leaks in
