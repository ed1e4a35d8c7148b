"""The spare (builder/spare.py): the site before last, brought up to date in place and swapped in, so that a build
writes what changed; trusted only with its list, and never a way for a killed build or a hand's edit into public/."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import builder.parallel as parallel
import builder.write
from builder.__main__ import main
from builder.spare import SPARE_LIST, take_spare
from builder.write import MARKER, Output, digest
from tests.conftest import REPO, copy_site
from tests.support.writing import build_output
from tests.test_output_safety import retitle, set_version, snapshot


def swap(files: dict[str, bytes], out: Path, known: dict[str, bytes] | None = None) -> list[str]:
    """Write a site as a command-line build does (staged, then swapped in whole); the files put() wrote."""
    return build_output(files, Output(out, known))[0]


def inodes(folder: Path) -> dict[str, int]:
    return {path.relative_to(folder).as_posix(): path.stat().st_ino for path in folder.rglob("*") if path.is_file()}


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


ONE = {"index.html": b"home 1", "a/index.html": b"a 1", "b/index.html": b"b", "gone/index.html": b"gone",
       "data/big.json": b"x" * 100}
TWO = {"index.html": b"home 2", "a/index.html": b"a 1", "b/index.html": b"b", "new/index.html": b"new",
       "data/big.json": b"x" * 100}
THREE = {"index.html": b"home 3", "a/index.html": b"a 3", "b/index.html": b"b", "new/index.html": b"new",
         "data/big.json": b"x" * 100}


def three_builds(tmp_path: Path) -> tuple[Path, Path]:
    """ONE (a new folder), TWO (staged whole; the old folder becomes the spare), THREE (through the spare)."""
    out, spare = tmp_path / "public", tmp_path / ".build-spare-public"
    swap(ONE, out)
    assert not spare.exists()
    swap(TWO, out)
    assert files_of(spare) == {**ONE, MARKER: files_of(spare)[MARKER], SPARE_LIST: files_of(spare)[SPARE_LIST]}
    return out, spare


def test_the_spare_is_brought_up_to_date_and_swapped_in(tmp_path: Path) -> None:
    out, spare = three_builds(tmp_path)
    live_before, spare_before = inodes(out), spare.stat().st_ino
    assert swap(THREE, out) == ["a/index.html", "index.html"]
    assert out.stat().st_ino == spare_before  # the spare's folder is now the site's
    assert {path: data for path, data in files_of(out).items() if path != MARKER} == THREE
    after = inodes(out)
    for unchanged in ("b/index.html", "new/index.html", "data/big.json"):
        assert after[unchanged] == live_before[unchanged]
    assert after["index.html"] != live_before["index.html"]
    # The old folder is the spare now: TWO, listed, and sharing the unchanged files with the site.
    assert {path: data for path, data in files_of(spare).items() if path not in (MARKER, SPARE_LIST)} == TWO
    assert inodes(spare)["b/index.html"] == after["b/index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".build-spare-public", "public"]


def test_a_file_changed_back_is_not_written_again(tmp_path: Path) -> None:
    out, spare = tmp_path / "public", tmp_path / ".build-spare-public"
    swap(ONE, out)
    swap(TWO, out, {path: digest(data) for path, data in ONE.items()})  # the digests a cache knows
    held = inodes(spare)["index.html"]  # ONE's home page, listed with its digest
    assert swap({**TWO, "index.html": b"home 1"}, out) == ["index.html"]  # written: it differs from the site's
    assert inodes(out)["index.html"] == held and (out / "index.html").read_bytes() == b"home 1"


def test_only_changed_files_are_written_into_the_spare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out, _ = three_builds(tmp_path)
    written: list[str] = []
    real = builder.write._write_file
    monkeypatch.setattr(builder.write, "_write_file",
                        lambda path, data, *rest: written.append(data) or real(path, data, *rest))
    swap(THREE, out)
    assert sorted(written) == [b"a 3", b"home 3"]


def test_the_users_files_stay_in_the_site_and_out_of_the_spare(tmp_path: Path) -> None:
    out, spare = three_builds(tmp_path)
    (out / "notes.txt").write_text("mine")
    (out / "drafts").mkdir()
    (out / "drafts" / "plan.md").write_text("my plan")
    swap(THREE, out)
    swap(TWO, out)
    assert (out / "notes.txt").read_text() == "mine" and (out / "drafts" / "plan.md").read_text() == "my plan"
    assert not (spare / "notes.txt").exists() and not (spare / "drafts").exists()


def tamper_by_editing(spare: Path) -> None:
    (spare / "b" / "index.html").write_bytes(b"!")  # same size, the same inode (the site's too): its times say it


def tamper_by_replacing(spare: Path) -> None:
    (spare / "edited").write_bytes((spare / "b" / "index.html").read_bytes().replace(b"b", b"!"))
    os.replace(spare / "edited", spare / "b" / "index.html")  # another inode: the list says which it was


def tamper_by_adding(spare: Path) -> None:
    (spare / "b" / "extra.html").write_text("<script>evil()</script>")


def tamper_by_removing_the_list(spare: Path) -> None:
    (spare / SPARE_LIST).unlink()


def tamper_by_damaging_the_list(spare: Path) -> None:
    listed = (spare / SPARE_LIST).read_bytes()
    at = listed.index(b"b/index.html")
    (spare / SPARE_LIST).write_bytes(listed[:at] + b"c" + listed[at + 1:])  # same length, checksum wrong


@pytest.mark.parametrize("tamper", [tamper_by_editing, tamper_by_replacing, tamper_by_adding,
                                    tamper_by_removing_the_list, tamper_by_damaging_the_list])
def test_a_spare_that_was_touched_is_discarded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              tamper) -> None:  # type: ignore[no-untyped-def]
    out, spare = three_builds(tmp_path)
    tamper(spare)
    taken = []
    monkeypatch.setattr(builder.write, "take_spare",
                        lambda path, *rest, **named: taken.append(take_spare(path, *rest, **named)))
    swap(THREE, out)
    assert taken == [None]
    assert {path: data for path, data in files_of(out).items() if path != MARKER} == THREE
    assert files_of(spare)[SPARE_LIST]  # the old folder is the spare, listed anew


@pytest.mark.parametrize("tamper", [tamper_by_editing, tamper_by_replacing, tamper_by_adding,
                                    tamper_by_removing_the_list, tamper_by_damaging_the_list])
def test_a_spare_that_was_touched_is_discarded_though_the_folder_was_not(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tamper) -> None:  # type: ignore[no-untyped-def]
    """As a cached build checks the spare: beside the folder's stats, just taken (the disk cache's check), which
    spare the stat of a file that is the folder's very inode. A file replaced in the spare alone, the folder's
    file still as listed, is still seen."""
    out, spare = three_builds(tmp_path)
    tamper(spare)
    known = {path: digest(data) for path, data in files_of(out).items() if path != MARKER}
    seen = {path: stat_of(out / path) for path in known}
    taken = []
    monkeypatch.setattr(builder.write, "take_spare",
                        lambda path, stamps, given, **named: taken.append((take_spare(path, stamps, given, **named),
                                                                           given)))
    build_output(THREE, Output(out, known, stamps=seen))
    assert taken == [(None, seen)]
    assert {path: data for path, data in files_of(out).items() if path != MARKER} == THREE
    assert files_of(spare)[SPARE_LIST]
    assert take_spare(spare, {}, {path: stat_of(out / path) for path in THREE}) is not None  # untouched: trusted


def test_a_spare_is_trusted_only_while_its_list_says_what_it_holds(tmp_path: Path) -> None:
    _, spare = three_builds(tmp_path)
    found = take_spare(spare)
    assert found is not None and sorted(found) == sorted([*ONE, MARKER])
    assert found["b/index.html"] == hashlib.sha256(b"b").digest()[:16]
    os.utime(spare / "a" / "index.html", ns=(0, 0))
    assert take_spare(spare) is None and not spare.exists()


def test_the_list_keeps_each_files_stat_and_digest_and_is_refused_cut_or_damaged(tmp_path: Path) -> None:
    """The list's columns (paths, stats, digests; the folders' stamps) read back as written, an unknown digest as
    unknown; a list cut short is no list, and what cannot be packed is not listed."""
    from builder.spare import _read_whole, walk_stamped, write_list

    folder = tmp_path / "spare"
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "index.html").write_text("a")
    _, _, folders = walk_stamped(str(folder))
    paths = ["a/index.html", "b/c.json", "\u00e9t\u00e9 file.txt"]
    stats = [(1, 2**62, 2**62 + 1, 7), (0, 0, 0, 0), (3, 1_733_400_000_123_456_789, 1_733_400_000_123_456_790, 2**40)]
    digests = [digest(b"a"), b"", digest(b"c")]
    write_list(folder, paths, stats, digests, folders, folders)
    whole = _read_whole(folder)
    assert whole is not None and (whole["paths"], whole["stats"], whole["digests"]) == (paths, stats, digests)
    assert whole["folders"] == whole["out"] == folders
    data = (folder / SPARE_LIST).read_bytes()
    (folder / SPARE_LIST).write_bytes(data[:-1])
    assert _read_whole(folder) is None
    (folder / SPARE_LIST).unlink()
    write_list(folder, paths, [*stats[:2], (3, 4, 5, 2**64 - 1)], digests, folders, folders)  # an inode past 2**63
    write_list(folder, paths, stats, [b"short", b"", b""], folders, folders)
    assert not (folder / SPARE_LIST).exists()  # not listed: not trusted


def test_a_spare_in_the_place_of_a_link_is_never_followed(tmp_path: Path) -> None:
    out, spare = three_builds(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    spare.rename(elsewhere)
    spare.symlink_to(elsewhere)
    before = files_of(elsewhere)
    swap(THREE, out)
    assert files_of(elsewhere) == before and not spare.is_symlink()


def test_without_an_atomic_exchange_a_spare_is_swapped_by_renames_and_not_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out, spare = three_builds(tmp_path)
    monkeypatch.setattr(builder.write, "_exchange", lambda a, b: False)
    swap(THREE, out)
    assert {path: data for path, data in files_of(out).items() if path != MARKER} == THREE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


# ---------------------------------------------------------------- command-line builds, killed at each step

# A build that ends itself (os._exit, as kill -9 would) at one step of bringing the spare up to date and swapping
# it in: after its first file written into the spare, its first file linked into it, just before the swap, just
# after it (before the old folder is listed as the spare).
KILLED_AT = r"""
import os, sys
import builder.spare as spare
import builder.write as write
from builder.__main__ import main
from tests.support.cards import draw_once_in_this_process

draw_once_in_this_process()
step = sys.argv[1]

def then_die(call, before=False):
    def dying(*args, **kwargs):
        if before:
            os._exit(9)
        call(*args, **kwargs)
        os._exit(9)
    return dying

if step == "put":
    write.Output._place = then_die(write.Output._place)
elif step == "link":
    write._link = then_die(write._link)
elif step == "before swap":
    write.Output._swap = then_die(write.Output._swap, before=True)
elif step == "after swap":
    spare.write_list = then_die(spare.write_list, before=True)
sys.exit(main(sys.argv[2:]))
"""


def killed_build(site: Path, step: str) -> int:
    return subprocess.run([sys.executable, "-c", KILLED_AT, step, "--root", str(site), "build"],
                          env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True).returncode


def set_edition(site: Path, edition: str) -> None:
    """'a' and 'b' as set_version; 'c' is 'b' with one sentence of the summary changed (the home page)."""
    summary = site / "content/summary.yaml"
    text = summary.read_text()
    if edition == "c":
        summary.write_text(text.replace("Poland left the Convention.", "Poland has left the Convention."))
    else:
        summary.write_text(text.replace("Poland has left the Convention.", "Poland left the Convention."))
    set_version(site, "b" if edition == "c" else edition)


@pytest.mark.parametrize("step", ["put", "link", "before swap", "after swap"])
def test_a_build_killed_at_each_step_leaves_public_whole(tmp_path: Path, step: str) -> None:
    site = copy_site(tmp_path / "site")
    editions = {}
    for edition in "abc":  # fresh builds of each, to compare with
        set_edition(site, edition)
        assert main(["--root", str(site), "build", "--out", str(tmp_path / edition), "--no-cache"]) == 0
        editions[edition] = snapshot(tmp_path / edition)
    assert editions["b"] != editions["c"]
    for edition in "ab":
        set_edition(site, edition)
        assert main(["--root", str(site), "build"]) == 0
    assert (site / ".build-spare-public" / SPARE_LIST).is_file()  # the next build goes through the spare: 'a'
    set_edition(site, "c")  # its pages differ from the spare's (a title), but only the home page from the site's
    assert killed_build(site, step) == 9
    assert snapshot(site / "public") == editions["c" if step == "after swap" else "b"]
    assert main(["--root", str(site), "build"]) == 0
    assert snapshot(site / "public") == editions["c"]
    for edition in "acb":
        set_edition(site, edition)
        assert main(["--root", str(site), "build"]) == 0
        assert snapshot(site / "public") == editions[edition]


@pytest.mark.parametrize("tamper", ["edit", "replace", "add", "remove"])
def test_a_spare_touched_between_cached_builds_is_not_trusted(tmp_path: Path, tamper: str) -> None:
    """The command line's build, which checks the spare beside the folder's stats (the disk cache's): a page edited
    in place (the folder's too, the same inode), replaced in the spare alone, a file added to the spare or taken
    from it, and the build still gives the site's own pages."""
    site = copy_site(tmp_path / "site")
    set_edition(site, "b")
    assert main(["--root", str(site), "build", "--out", str(tmp_path / "fresh"), "--no-cache"]) == 0
    for edition in "abc":  # 'b' and 'c' differ in the home page alone: the spare shares the others with the site
        set_edition(site, edition)
        assert main(["--root", str(site), "build"]) == 0
    spare = site / ".build-spare-public"
    page = min(path for path in spare.rglob("*.html") if path.stat().st_ino == (site / "public" / path.relative_to(
        spare)).stat().st_ino)  # a page the site's folder shares
    tampered = page.read_bytes().replace(b"<", b"[", 1)
    if tamper == "edit":
        page.write_bytes(tampered)
    elif tamper == "replace":
        page.with_name("new").write_bytes(tampered)
        os.replace(page.with_name("new"), page)
    elif tamper == "add":
        (page.parent / "extra.html").write_bytes(tampered)
    else:
        page.unlink()
    set_edition(site, "b")
    assert main(["--root", str(site), "build"]) == 0
    assert snapshot(site / "public") == snapshot(tmp_path / "fresh")
    assert (spare / SPARE_LIST).is_file()  # the folder before is the spare, listed anew


def test_forked_workers_write_into_the_spare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = copy_site(tmp_path / "site", base=REPO / "tests" / "fixtures" / "mini")
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)  # forked workers make the pages, as at 500 sources
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(parallel, "CHUNK", 1)  # both workers write into the spare at once
    real = builder.write._write_file

    def slowly(path: str, data: bytes, *rest: Any) -> os.stat_result | None:  # written, not yet renamed
        written = real(path, data, *rest)
        time.sleep(0.005)
        return written

    for title in ("First", "Second", "Third", "Second"):
        retitle(site, title)
        with monkeypatch.context() as slowed:  # the builds through the spare, not the fresh ones to compare with
            slowed.setattr(builder.write, "_write_file", slowly)
            assert main(["--root", str(site), "build"]) == 0
        assert main(["--root", str(site), "build", "--out", str(tmp_path / "fresh"), "--no-cache"]) == 0
        assert snapshot(site / "public") == snapshot(tmp_path / "fresh")
        (tmp_path / "fresh").rename(tmp_path / f"fresh-{title}-{os.urandom(4).hex()}")
    assert (site / ".build-spare-public" / SPARE_LIST).is_file()
    assert not [p for p in site.iterdir() if p.name.startswith(".build-public")]


def test_nothing_changed_is_still_seen_beside_a_spare(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = copy_site(tmp_path / "site")
    for title in ("First", "Second", "Second"):
        retitle(site, title)
        assert main(["--root", str(site), "build"]) == 0
    assert (site / ".build-spare-public").is_dir()
    assert capsys.readouterr().out.splitlines()[-1].endswith("(nothing changed)")


def test_a_folder_that_becomes_a_file_and_back_in_the_spare(tmp_path: Path) -> None:
    out, _ = three_builds(tmp_path)  # the spare holds ONE: a folder gone/, a/index.html
    swap({"index.html": b"home 3", "gone": b"a file now", "a/x.html": b"a x"}, out)
    assert {path: data for path, data in files_of(out).items() if path != MARKER} == {
        "index.html": b"home 3", "gone": b"a file now", "a/x.html": b"a x"}
    swap(ONE, out)  # through the spare, which holds TWO
    assert {path: data for path, data in files_of(out).items() if path != MARKER} == ONE


def test_a_large_file_in_pieces_is_written_only_when_it_changed(tmp_path: Path) -> None:
    out, big = tmp_path / "public", [b"x" * 700_000, b"y" * 700_000]
    swap({"big.json": big, "a.html": b"a"}, out)  # type: ignore[dict-item]
    swap({"big.json": big, "a.html": b"b"}, out)  # type: ignore[dict-item]
    held = inodes(out)["big.json"]
    assert swap({"big.json": iter(big), "a.html": b"c"}, out) == ["a.html"]  # type: ignore[dict-item]
    assert inodes(out)["big.json"] == held
    assert swap({"big.json": [b"z", *big], "a.html": b"c"}, out) == ["big.json"]  # type: ignore[dict-item]
    assert (out / "big.json").read_bytes() == b"z" + b"".join(big)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".build-spare-public", "public"]


def test_a_large_file_replaced_in_the_spare_is_freed_by_another_thread(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The spare's copy of a large file (two builds old), renamed over by the new one, is let go (its blocks freed)
    by a thread of its own, after the rename, so the build does not wait for the file system to free 90 MB."""
    import threading

    out, spare = tmp_path / "public", tmp_path / ".build-spare-public"
    swap({"big.json": [b"x" * 700_000, b"1" * 700_000], "a.html": b"a"}, out)  # type: ignore[dict-item]
    swap({"big.json": [b"x" * 700_000, b"2" * 700_000], "a.html": b"a"}, out)  # type: ignore[dict-item]
    old = (spare / "big.json").stat().st_ino  # the first build's, which the third replaces
    closed: list[tuple[str, int]] = []
    close = os.close

    def noting_close(fd: int) -> None:
        st = os.fstat(fd)
        if st.st_ino == old:
            closed.append((threading.current_thread().name, st.st_nlink))
        close(fd)

    monkeypatch.setattr(os, "close", noting_close)
    swap({"big.json": [b"x" * 700_000, b"3" * 700_000], "a.html": b"a"}, out)  # type: ignore[dict-item]
    for thread in threading.enumerate():
        if thread.name == "free":
            thread.join()
    assert closed == [("free", 0)]  # held across the rename, let go off the main thread
    assert (out / "big.json").read_bytes() == b"x" * 700_000 + b"3" * 700_000


def stat_of(path: Path) -> tuple[int, int, int, int]:
    st = os.lstat(path)
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def swap_stamped(files: dict[str, bytes], out: Path, edit_before_commit: str = ""
                 ) -> dict[str, tuple[int, int, int, int]]:
    """swap() as a cached build does it: with the folder's digests and stats (the disk cache's check), and a
    file of the folder edited by hand after they were taken, if asked. The stats it hands the cache."""
    known = {path: digest(data) for path, data in files_of(out).items() if path != MARKER}

    def edit() -> None:
        if edit_before_commit:
            time.sleep(0.01)  # past the timestamp's tick
            (out / edit_before_commit).write_bytes(b"edited by hand")

    return build_output(files, Output(out, known, stamps={path: stat_of(out / path) for path in known}), edit)[1].stamps


def test_stats_taken_with_their_digests_are_kept_and_are_the_files_stats(tmp_path: Path) -> None:
    out, spare = three_builds(tmp_path)
    stamps = swap_stamped(THREE, out)
    # The site's files the spare held untouched come with the stats the spare's check found: still theirs.
    assert sorted(stamps) == ["b/index.html", "data/big.json"]  # new/index.html: the spare lacked it, linked
    assert all(stamp == stat_of(out / path) for path, stamp in stamps.items())
    # The new spare's list, made from the stats the cache's check found, says what the folder holds.
    found = take_spare(spare)
    assert found is not None and found["b/index.html"] == digest(b"b")
    assert swap_stamped(TWO, out) and (out / "index.html").read_bytes() == b"home 2"


@pytest.mark.parametrize("edited", ["index.html", "b/index.html"])  # changed by the build; shared with the spare
def test_a_file_edited_after_its_stat_was_taken_is_never_trusted(tmp_path: Path, edited: str) -> None:
    out, spare = three_builds(tmp_path)
    stamps = swap_stamped(THREE, out, edit_before_commit=edited)
    assert (spare / edited).read_bytes() == b"edited by hand"
    if edited in stamps:  # the cache is handed the stat from before the edit: stale, so never trusted
        assert stamps[edited] != stat_of(out / edited)
    found = take_spare(spare)
    if edited == "index.html":  # stat'ed after the edit (the build changed it): listed, its bytes unknown
        assert found is not None and found[edited] == b""
    else:  # listed by the stat from before the edit: the spare is discarded
        assert found is None and not spare.exists()
    swap(TWO, out)
    assert {path: data for path, data in files_of(out).items() if path != MARKER} == TWO


def test_a_file_the_spare_holds_as_the_very_same_file_is_left_as_it_is(tmp_path: Path) -> None:
    """A page linked into the spare may be listed there as unknown (touched during a build) while it is still the
    published file: linking it again must not leave the temporary name behind (a rename of a file onto another
    name of itself does nothing), or the next link fails and the build with it."""
    live, spare = tmp_path / "public", tmp_path / ".build-spare-public"
    (live / "m").mkdir(parents=True)
    (live / "m" / "index.html").write_bytes(b"m")
    (spare / "m").mkdir(parents=True)
    os.link(live / "m" / "index.html", spare / "m" / "index.html")
    temporary = tmp_path / ".build-public-1-put"
    for _ in range(2):
        builder.write._link(live, spare, "m/index.html", temporary)
        assert not temporary.exists()
        assert os.path.samefile(live / "m" / "index.html", spare / "m" / "index.html")


def test_a_folder_removed_during_a_build_through_the_spare_is_not_replaced_by_the_spare(tmp_path: Path) -> None:
    """The spare holds only what this build changed; without the folder it cannot be made whole: it is never put
    in the folder's place, and the next build makes the whole site."""
    from builder.write import OutputError

    out, spare = three_builds(tmp_path)
    output = Output(out)
    try:
        digests = {out_path: output.put(out_path, data)[0] for out_path, data in sorted(THREE.items())}
        shutil.rmtree(out)  # by hand, while the build runs
        with pytest.raises(OutputError) as raised:
            output.commit(digests, list(THREE))
    finally:
        output.abandon()
    assert raised.value.message == "the output folder was removed while the build ran"
    assert not out.exists() and not spare.exists()
    swap(THREE, out)
    assert {path: data for path, data in files_of(out).items() if path != MARKER} == THREE


@pytest.mark.parametrize("pieces", [False, True], ids=["small", "in-pieces"])
def test_a_reader_of_a_published_file_keeps_its_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     pieces: bool) -> None:
    """A reader that opened a file while it was in public/ (a server's sendfile, an rsync) keeps that build's
    bytes, however many builds go through the spare after it: a published file is never written again."""
    monkeypatch.setattr(builder.write, "SMALL", 4)
    out = tmp_path / "public"

    def site(n: int) -> dict[str, object]:
        data = b"records " + str(n).encode() * (n + 5)
        return {"index.html": b"home", "data/site.json": [data[:8], data[8:]] if pieces else data}

    swap(site(1), out)  # type: ignore[arg-type]
    with open(out / "data" / "site.json", "rb") as reader:  # a server's sendfile, an rsync: opened, not yet read
        for n in (2, 3, 4):
            swap(site(n), out)  # type: ignore[arg-type]
        assert reader.read() == b"records " + b"1" * 6
