"""The early stats child (stamps.stats_meanwhile) against what can happen to public/ between its stats and the
build's use of them: a file edited, replaced or removed by hand while the site is checked, another build's folder
swapped in, through a link or not. Written by the review of the branch guards (rev-guards), which they failed."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from builder import build as build_module
from builder import parallel
from tests.conftest import Tick
from tests.test_disk_cache import assert_same_as_without_cache, build, cache_file, edit_claim, files, site  # noqa: F401


def _run(site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],  # noqa: F811
         monkeypatch: pytest.MonkeyPatch, past_tick: Tick, stage: str, how: str) -> tuple[bytes, bytes]:
    """The bytes --no-cache gives a page, and the page's after a build during whose `stage` it was written to by
    hand in place, replaced by a new file (as editors save) or removed, then the next build. Every folder's stamp
    is trusted at once (not only after the racy window), so that the child names no file for its folder's age."""
    from builder import cache as cache_module

    out, ref = tmp_path / "public", tmp_path / "ref"
    build(site, out, capsys)  # cold: no spare, so the next build links its unchanged files
    past_tick()
    edit_claim(site, "An edit, so that the next build is a real one.")
    build(site, ref, capsys, "--no-cache")
    before, after = files(out), files(ref)
    victim = next(p for p in sorted(before) if p.endswith(".html") and "/" in p and before[p] == after[p])
    real = getattr(build_module, stage)

    def by_hand(*args: object, **kwargs: object) -> object:
        path = out / victim
        if how == "write":
            path.write_bytes(path.read_bytes() + b"<!-- edited by hand during the build -->")
        elif how == "replace":
            path.with_name("saved").write_bytes(path.read_bytes() + b"<!-- saved by an editor during the build -->")
            path.with_name("saved").replace(path)
        else:
            path.unlink()
        monkeypatch.setattr(build_module, stage, real)
        return real(*args, **kwargs)

    monkeypatch.setattr(build_module, stage, by_hand)
    monkeypatch.setattr(cache_module, "RACY_NS", -1)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    build(site, out, capsys)
    build(site, out, capsys)  # the next build
    return after[victim], (out / victim).read_bytes()


@pytest.mark.parametrize("how", ["write", "replace", "remove"])
def test_public_file_edited_or_removed_while_the_site_is_checked(site: Path, tmp_path: Path,  # noqa: F811
                                                                capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch, past_tick: Tick,
                                                                how: str) -> None:
    """Written to, replaced or removed after the child stat'ed it: not kept as ours, so made again by this build or
    the next; a file removed from a subfolder does not fail the build."""
    expected, after_next = _run(site, tmp_path, capsys, monkeypatch, past_tick, "check_site", how)
    assert after_next == expected, "the hand edit survives this build and the next"


def test_public_file_edited_while_the_pages_are_rendered(site: Path, tmp_path: Path,  # noqa: F811
                                                        capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch, past_tick: Tick) -> None:
    """Written to after verified_outputs found it ours: the same."""
    expected, after_next = _run(site, tmp_path, capsys, monkeypatch, past_tick, "render_site", "write")
    assert after_next == expected, "the hand edit survives this build and the next"


def _claims(site: Path) -> tuple[Path, Path]:  # noqa: F811
    paths = sorted((site / "content" / "claims").iterdir())
    return paths[2], paths[5]


def _say(path: Path, words: str) -> None:
    text = path.read_text(encoding="utf-8")
    at = text.index("says: ") + len("says: ")
    path.write_text(text[:at] + f'"{words}"' + text[text.index("\n", at):], encoding="utf-8")


@pytest.mark.parametrize("spare_gone", [False, True])
@pytest.mark.parametrize("linked", [False, True])
def test_a_build_that_ends_while_another_starts_leaves_public_as_without_cache(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],  # noqa: F811
        monkeypatch: pytest.MonkeyPatch, past_tick: Tick, linked: bool, spare_gone: bool) -> None:
    """Build B (claim A edited) ends just after build P (A reverted, claim C edited) has forked its early child:
    P must not take B's files for the ones its stale index describes."""
    from builder import cache as cache_module
    from tests.test_disk_cache import assert_same_as_without_cache

    out = tmp_path / "public"
    if spare_gone:  # a file system without renameat2's RENAME_EXCHANGE: the old folder is discarded, no spare
        from builder import write
        monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    if linked:
        out.symlink_to(tmp_path / "www")
    a, c = _claims(site)
    original_a, original_c = a.read_text(encoding="utf-8"), c.read_text(encoding="utf-8")
    build(site, out, capsys)
    past_tick()
    a.write_text(original_a, encoding="utf-8")  # reverted: same bytes, new stat
    _say(c, "Edited for build P.")
    edited_c = c.read_text(encoding="utf-8")
    real = cache_module.DiskCache.unchanged

    def other_build_ends_meanwhile(self: cache_module.DiskCache) -> bool:
        monkeypatch.setattr(cache_module.DiskCache, "unchanged", real)
        if getattr(self, "meanwhile", None):
            self.meanwhile[1]()  # P's child has stat'ed the output files
        past_tick()
        _say(a, "Edited for build B.")
        c.write_text(original_c, encoding="utf-8")
        build(site, out, capsys)  # B, which started before P, ends now
        past_tick()
        a.write_text(original_a, encoding="utf-8")
        c.write_text(edited_c, encoding="utf-8")
        return real(self)

    monkeypatch.setattr(cache_module.DiskCache, "unchanged", other_build_ends_meanwhile)
    monkeypatch.setattr(cache_module, "RACY_NS", -1)  # the folders' stamps trusted at once: the child names no file
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    build(site, out, capsys)  # P
    build(site, out, capsys)
    assert_same_as_without_cache(site, out, capsys)


@pytest.mark.parametrize("edited", [False, True])
def test_a_build_with_nothing_changed_imports_no_stage_and_has_no_output_file_stat_ed_by_the_child(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],  # noqa: F811
        monkeypatch: pytest.MonkeyPatch, past_tick: Tick, edited: bool) -> None:
    """The command waits for the early child's inputs' answer before it imports the build's stages: with nothing
    changed it imports none (builder.build is not imported), and the child never stats the output files (the
    build stats them itself, at once); after an edit, both."""
    import sys

    import builder
    from builder import stamps

    out, mark = tmp_path / "public", tmp_path / "outputs-stat-ed"
    build(site, out, capsys)
    past_tick()
    if edited:
        edit_claim(site, "Edited, so that the build needs its stages.")
    real = stamps.outputs_changed

    def outputs_changed(*args: object) -> object:
        mark.write_text("by the child")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(stamps, "outputs_changed", outputs_changed)
    monkeypatch.delitem(sys.modules, "builder.build")  # as in a new process: the module is imported when needed
    monkeypatch.delattr(builder, "build")
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    printed, _ = build(site, out, capsys)
    assert ("(nothing changed)" in printed) is not edited
    assert ("builder.build" in sys.modules) is edited
    assert mark.exists() is edited


def test_a_build_with_nothing_changed_does_not_wait_for_the_child_s_outputs_answer(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    """With the inputs unchanged, the no-change check stats the output files itself if the child's answer about
    them is not in yet (here the child takes ten seconds to send it), rather than wait: it finds the same."""
    from builder import stamps

    out = tmp_path / "public"
    build(site, out, capsys)
    real = stamps.outputs_changed

    def slow(*args: object) -> object:
        time.sleep(10)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(stamps, "outputs_changed", slow)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    started = time.monotonic()
    printed, _ = build(site, out, capsys)
    assert "(nothing changed)" in printed and time.monotonic() - started < 5


@pytest.mark.parametrize("added", [False, True])
def test_the_inputs_listed_by_the_child_stand_for_the_listing_at_the_end_while_their_folders_are_as_it_found_them(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],  # noqa: F811
        monkeypatch: pytest.MonkeyPatch, past_tick: Tick, added: bool) -> None:
    """check_inputs asks whether a file was added or removed while the build ran: the early child's listing
    answers it, with a stat of each input folder (not a listing of every file), while every folder has the stamp
    it had before the child listed it; a file added to templates/ during the check changes its folder's, and the
    inputs are then listed: the build keeps nothing (check_inputs' rule: what was read might not be what was
    hashed)."""
    from builder import cache as cache_module
    from builder import stamps

    out = tmp_path / "public"
    build(site, out, capsys)
    past_tick()
    edit_claim(site, "Edited, so that the build checks its inputs.")
    real_check, real_list = build_module.check_site, stamps.input_files
    listed: list[bool] = []

    def check_site(*args: object, **kwargs: object) -> object:
        if added:  # after the child's listing
            (site / "templates" / "added.txt").write_text("new", encoding="utf-8")
        return real_check(*args, **kwargs)

    def input_files(*args: object, **kwargs: object) -> list[str]:
        listed.append(True)
        return real_list(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "check_site", check_site)
    monkeypatch.setattr(stamps, "input_files", input_files)  # this process's listings (the child's is its own)
    monkeypatch.setattr(cache_module, "RACY_NS", -1)  # the folders' stamps trusted at once
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    index = cache_file(site).read_bytes()
    build(site, out, capsys)
    assert listed == ([True] if added else [])
    assert (cache_file(site).read_bytes() == index) is added  # a file added while the build ran: nothing kept


def test_without_a_second_core_the_build_stats_the_output_files_once_itself(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],  # noqa: F811
        monkeypatch: pytest.MonkeyPatch, past_tick: Tick) -> None:
    """With one core there is no child: the output files are stat'ed once, by verified_outputs, not first as the
    child would (their folders, then each file) and then their folders again (files_to_stat)."""
    from builder import stamps
    from tests.test_disk_cache import assert_same_as_without_cache

    out = tmp_path / "public"
    build(site, out, capsys)
    past_tick()
    edit_claim(site, "Edited, with one core.")
    asked: list[bool] = []
    real = stamps.files_to_stat
    monkeypatch.setattr(stamps, "files_to_stat", lambda *args: asked.append(True) or real(*args))
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 1)
    printed, _ = build(site, out, capsys)
    assert "(nothing changed)" not in printed
    assert asked == []
    assert_same_as_without_cache(site, out, capsys)


@pytest.mark.parametrize("stage", ["check_site", "render_site"])
def test_a_public_file_removed_by_hand_during_a_build_is_made_again(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],  # noqa: F811
        monkeypatch: pytest.MonkeyPatch, past_tick: Tick, stage: str) -> None:
    """A file of public/ removed while the site is checked is found and made again. Removed while the pages are
    made (which links the unchanged files into the new folder), the build stops with a message that says so and to
    build again, not 'make it writable', and public/ is left as it was; the next build makes the file (rev-s19)."""
    from builder.__main__ import main

    out = tmp_path / "public"
    build(site, out, capsys)
    past_tick()
    build(site, tmp_path / "other", capsys)  # a second output folder of the same site, as a spare's is made
    edit_claim(site, "An edit, so that the next build is a real one.")
    victim = next(p for p in sorted(files(out)) if p.startswith("sources/") and p.endswith(".html"))
    real = getattr(build_module, stage)

    def by_hand(*args: object, **kwargs: object) -> object:
        (out / victim).unlink()
        monkeypatch.setattr(build_module, stage, real)
        return real(*args, **kwargs)

    monkeypatch.setattr(build_module, stage, by_hand)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    code = main(["--root", str(site), "build", "--out", str(out)])
    printed = capsys.readouterr()
    if code != 0:
        assert stage == "render_site" and "was removed while this build ran" in printed.err, printed.err
        assert "build again" in printed.err and "Traceback" not in printed.err
        assert not (out / victim).exists() and (out / "index.html").exists()  # public/ as it was, the removal kept
        build(site, out, capsys)
    assert (out / victim).exists()
    assert_same_as_without_cache(site, out, capsys)
