"""Folders trusted by their own stamps (spare.walk_stamped): a folder whose inode, mtime and ctime are what they were
when it was read is not read again. Every way the shortcut could be fooled is tried here: a file added, removed or
replaced in a folder that looks unchanged, a folder replaced by another of the same name, a folder changed within
the racy window; the walk must still find what a fresh walk finds, and the spare must still be discarded."""

from __future__ import annotations

import itertools
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

import builder.spare as spare_module
import builder.write
from builder.__main__ import main
from builder.spare import SPARE_LIST, _read_whole, take_spare, walk_stamped
from builder.write import MARKER, Output, digest
from tests.conftest import Tick, copy_site
from tests.test_output_safety import snapshot
from tests.test_spare import ONE, THREE, TWO, build_output, files_of, set_edition, stat_of, swap, three_builds


@pytest.fixture
def trusted_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stamps trusted as soon as the folder's last change is in the past (not 2 s), so that a test's folders are
    taken by their stamps; each test waits past the timestamp's tick (past_tick) before it changes anything."""
    monkeypatch.setattr(spare_module, "RACY_NS", 0)


def walked(folder: Path, before: spare_module.Folders | None = None) -> dict[str, int]:
    paths, inodes, _ = walk_stamped(str(folder), before)
    return dict(zip(paths, inodes, strict=True))


def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders read (listed) from now on."""
    found: list[str] = []
    real = os.scandir

    def scandir(path: str) -> Any:
        found.append(path)
        return real(path)

    monkeypatch.setattr(spare_module.os, "scandir", scandir)
    return found


def tree(tmp_path: Path) -> Path:
    folder = tmp_path / "tree"
    for out_path in ("index.html", "a/index.html", "a/deep/index.html", "b/index.html", "b/page/2/index.html"):
        (folder / out_path).parent.mkdir(parents=True, exist_ok=True)
        (folder / out_path).write_text(out_path)
    return folder


def add_file(folder: Path) -> None:
    (folder / "a" / "deep" / "extra.html").write_text("added")


def remove_file(folder: Path) -> None:
    (folder / "a" / "deep" / "index.html").unlink()


def replace_file(folder: Path) -> None:
    (folder / "a" / "deep" / "new").write_text("a/deep/index.html")
    os.replace(folder / "a" / "deep" / "new", folder / "a" / "deep" / "index.html")  # same name, another inode


def replace_folder(folder: Path) -> None:
    """Another folder of the same name, holding files of the same names and bytes (other inodes)."""
    shutil.copytree(folder / "b", folder / "b-copy")
    shutil.rmtree(folder / "b")
    (folder / "b-copy").rename(folder / "b")


def replace_folder_keeping_its_parent(folder: Path) -> None:
    """A folder replaced inside one that is read anyway: only the folder's own stamp says it is another."""
    shutil.copytree(folder / "b" / "page", folder / "b" / "page-copy")
    shutil.rmtree(folder / "b" / "page")
    (folder / "b" / "page-copy").rename(folder / "b" / "page")


@pytest.mark.parametrize("change", [add_file, remove_file, replace_file, replace_folder,
                                    replace_folder_keeping_its_parent])
def test_a_stamped_walk_finds_what_a_fresh_walk_finds_after_any_change(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trusted_at_once: None, past_tick: Tick, change) -> None:  # type: ignore[no-untyped-def]
    folder = tree(tmp_path)
    past_tick()
    _, _, before = walk_stamped(str(folder))
    assert sorted(before["at"]) == ["", "a/", "a/deep/", "b/", "b/page/", "b/page/2/"]  # every folder stamped
    past_tick()
    change(folder)
    read = reads(monkeypatch)
    assert walked(folder, before) == walked(folder)
    assert read  # what changed was read


def test_an_unchanged_folder_is_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               trusted_at_once: None, past_tick: Tick) -> None:
    folder = tree(tmp_path)
    past_tick()
    fresh, _, before = walk_stamped(str(folder))
    past_tick()
    (folder / "a" / "index.html").write_text("edited in place")  # a file's bytes: its folder is as it was
    read = reads(monkeypatch)
    again, _, after = walk_stamped(str(folder), before)
    assert read == [] and sorted(again) == sorted(fresh) and after == before


def test_a_folder_changed_within_the_racy_window_is_not_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    """A change within the timestamp's tick of a folder's stat could leave its stamp as it was: a folder changed
    less than 2 s before it is read is not stamped, so it is read again whatever its stamp says."""
    folder = tree(tmp_path)
    _, _, just_made = walk_stamped(str(folder))
    assert just_made["at"] == []
    later = time.time_ns() + 3_000_000_000
    monkeypatch.setattr(spare_module.time, "time_ns", lambda: later)
    _, _, seconds_later = walk_stamped(str(folder))
    assert sorted(seconds_later["at"]) == ["", "a/", "a/deep/", "b/", "b/page/", "b/page/2/"]
    (folder / "a" / "deep" / "extra.html").write_text("added")
    changed = os.lstat(folder / "a" / "deep").st_ctime_ns
    for seconds, kept in ((1, False), (3, True)):  # read 1 s after the change, then 3 s after
        monkeypatch.setattr(spare_module.time, "time_ns", lambda seconds=seconds: changed + seconds * 1_000_000_000)
        paths, _, after = walk_stamped(str(folder), seconds_later)
        assert "a/deep/extra.html" in paths and ("a/deep/" in after["at"]) == kept


def test_a_folder_that_became_a_file_or_a_link_is_never_followed(tmp_path: Path, trusted_at_once: None, past_tick: Tick,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    folder, elsewhere = tree(tmp_path), tmp_path / "elsewhere"
    (elsewhere / "page" / "2").mkdir(parents=True)  # the subfolders the list gives for b/: no other rule stops it
    (elsewhere / "page" / "secret.html").write_text("outside the project")
    past_tick()
    _, _, before = walk_stamped(str(folder))
    shutil.rmtree(folder / "b")
    (folder / "b").symlink_to(elsewhere)
    read, scandir = [], os.scandir
    monkeypatch.setattr(os, "scandir", lambda path: read.append(os.path.realpath(path)) or scandir(path))
    assert walked(folder, before) == walked(folder)
    assert "b" in walked(folder) and not any(path.startswith("b/") for path in walked(folder))
    assert read and not [path for path in read if path.startswith(str(elsewhere))]  # not even listed


# ---------------------------------------------------------------- the spare, by its folders' stamps

def tamper_in_a_folder_that_looks_unchanged(spare: Path, how: str) -> None:
    page = spare / "b" / "index.html"
    if how == "add":
        (spare / "b" / "extra.html").write_text("<script>evil()</script>")
    elif how == "remove":
        page.unlink()
    elif how == "replace":
        (spare / "b" / "new").write_bytes(page.read_bytes())  # the same bytes, another file
        os.replace(spare / "b" / "new", page)
    else:  # the folder replaced by a copy of itself: the same names and bytes, other inodes
        shutil.copytree(spare / "b", spare / "b-copy")
        shutil.rmtree(spare / "b")
        (spare / "b-copy").rename(spare / "b")


@pytest.mark.parametrize("how", ["add", "remove", "replace", "folder"])
def test_a_spare_touched_in_a_folder_its_list_stamped_is_discarded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trusted_at_once: None, past_tick: Tick, how: str) -> None:
    out, spare = three_builds(tmp_path)
    listed = _read_whole(spare)
    assert listed is not None and "b/" in listed["folders"]["at"]  # b/ is taken by its stamp
    past_tick()
    tamper_in_a_folder_that_looks_unchanged(spare, how)
    taken: list[object] = []
    monkeypatch.setattr(builder.write, "take_spare",
                        lambda path, *rest, **named: taken.append(take_spare(path, *rest, **named)))
    swap(THREE, out)
    assert taken == [None]
    assert {path: data for path, data in files_of(out).items() if path != MARKER} == THREE


def test_an_untouched_spare_is_trusted_by_its_folders_stamps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             trusted_at_once: None, past_tick: Tick) -> None:
    out, spare = three_builds(tmp_path)
    past_tick()
    read = reads(monkeypatch)
    found = take_spare(spare)
    assert found is not None and sorted(found) == sorted([*ONE, MARKER])
    assert read == [str(spare)]  # only the top, where the list was written last


def test_the_users_files_added_to_folders_that_look_unchanged_stay(tmp_path: Path, trusted_at_once: None,
                                                                   past_tick: Tick) -> None:
    """The folder's listing (its files and the user's) comes from its folders' stamps too: a user's file put in a
    folder of the site, or in a folder put in the place of one of the site's, is seen, kept in the site and never
    moved into the spare."""
    out, spare = three_builds(tmp_path)
    swap(THREE, out)  # through the spare: the folder's stamps as the spare's check found them are listed
    listed = _read_whole(spare)
    assert listed is not None and "b/" in listed["out"]["at"]
    past_tick()
    (out / "b" / "notes.txt").write_text("mine")
    shutil.copytree(out / "data", out / "data-copy")
    shutil.rmtree(out / "data")
    (out / "data-copy").rename(out / "data")
    (out / "data" / "mine.csv").write_text("my data")
    swap(TWO, out)
    past_tick()
    swap(THREE, out)
    assert (out / "b" / "notes.txt").read_text() == "mine" and (out / "data" / "mine.csv").read_text() == "my data"
    assert not (spare / "b" / "notes.txt").exists() and not (spare / "data" / "mine.csv").exists()
    assert {path: data for path, data in files_of(out).items() if path not in (MARKER, "b/notes.txt",
                                                                                "data/mine.csv")} == THREE


@pytest.mark.parametrize("tamper", ["add", "remove", "replace", "folder"])
def test_cached_builds_by_stamps_equal_a_fresh_build_after_a_spare_was_touched(
        tmp_path: Path, trusted_at_once: None, past_tick: Tick, tamper: str) -> None:
    """The command line's builds, every folder the spare's list keeps taken by its stamp: a file added, removed or
    replaced in a folder of the spare that looks unchanged, or the folder replaced, and the next build still gives
    the site's own pages."""
    site = copy_site(tmp_path / "site")
    set_edition(site, "b")
    assert main(["--root", str(site), "build", "--out", str(tmp_path / "fresh"), "--no-cache"]) == 0
    for edition in "abc":
        set_edition(site, edition)
        past_tick()
        assert main(["--root", str(site), "build"]) == 0
    spare = site / ".build-spare-public"
    listed = _read_whole(spare)
    page = min(path for path in spare.rglob("*.html") if path.parent != spare and path.stat().st_ino == (
        site / "public" / path.relative_to(spare)).stat().st_ino)  # a page the site's folder shares, in a folder
    assert listed is not None and page.parent.relative_to(spare).as_posix() + "/" in listed["folders"]["at"]
    past_tick()
    if tamper == "add":
        (page.parent / "extra.html").write_bytes(page.read_bytes().replace(b"<", b"[", 1))
    elif tamper == "remove":
        page.unlink()
    elif tamper == "replace":
        page.with_name("new").write_bytes(page.read_bytes().replace(b"<", b"[", 1))
        os.replace(page.with_name("new"), page)
    else:
        shutil.copytree(page.parent, page.parent.with_name("copy"))
        (page.parent.with_name("copy") / page.name).write_bytes(page.read_bytes().replace(b"<", b"[", 1))
        shutil.rmtree(page.parent)
        page.parent.with_name("copy").rename(page.parent)
    set_edition(site, "b")
    assert main(["--root", str(site), "build"]) == 0
    assert snapshot(site / "public") == snapshot(tmp_path / "fresh")
    assert (spare / SPARE_LIST).is_file()


def test_a_file_replaced_in_the_folder_during_a_build_is_listed_by_the_inode_its_folder_names(tmp_path: Path
                                                                                             ) -> None:
    """The new spare's list takes the stats the cache's check found only for a file its folder's listing still
    names by that inode: one replaced (renamed over) after the check is listed by its own stat, its bytes unknown,
    and the spare stays usable."""
    out, spare = three_builds(tmp_path)
    known = {path: digest(data) for path, data in files_of(out).items() if path != MARKER}

    def replace() -> None:
        (out / "b" / "mine").write_bytes(b"replaced by hand")
        os.replace(out / "b" / "mine", out / "b" / "index.html")

    build_output(THREE, Output(out, known, stamps={path: stat_of(out / path) for path in known}), replace)
    found = take_spare(spare)
    assert found is not None and found["b/index.html"] == b""
    assert (spare / "b" / "index.html").read_bytes() == b"replaced by hand"
    swap(TWO, out)
    assert {path: data for path, data in files_of(out).items() if path != MARKER} == TWO


@pytest.mark.parametrize("folders", [[], ["a"], ["a", "a/b"]])
def test_a_spare_list_of_stamped_folders_reads_back_as_written(tmp_path: Path, trusted_at_once: None, past_tick: Tick,
                                                               folders: list[str]) -> None:
    """The list keeps the stamps of any number of folders, the top one alone (a flat site) among them: a name list
    of one empty name, the top's, is not read back as none."""
    spare = tmp_path / "spare"
    spare.mkdir()
    for folder in folders:
        (spare / folder).mkdir()
    paths = ["index.html", *(f"{folder}/index.html" for folder in folders)]
    for path in paths:
        (spare / path).write_text(path)
    past_tick()
    walked_paths, _, stamped = walk_stamped(str(spare))
    assert sorted(stamped["at"]) == ["", *(f"{folder}/" for folder in folders)]  # every folder stamped
    stats = [stat_of(spare / path) for path in walked_paths]
    spare_module.write_list(spare, walked_paths, stats, [digest(path.encode()) for path in walked_paths],
                            stamped, stamped)
    whole = _read_whole(spare)
    assert whole is not None and whole["folders"] == whole["out"] == stamped and whole["paths"] == walked_paths


# ---------------------------------------------------------------- the walk by columns (spare._walk_known)

def add_folder(folder: Path) -> None:
    (folder / "a" / "new").mkdir()
    (folder / "a" / "new" / "index.html").write_text("new")


def remove_folder(folder: Path) -> None:
    shutil.rmtree(folder / "b" / "page")


def folder_by_folder(folder: Path, before: spare_module.Folders, monkeypatch: pytest.MonkeyPatch
                     ) -> tuple[dict[str, int], dict[str, tuple[Any, ...]]]:
    """walk_stamped without its shortcut, as it walked before it: each file, and what it keeps of each folder."""
    with monkeypatch.context() as patched:
        patched.setattr(spare_module, "_walk_known", lambda *args: None)
        paths, inodes, after = walk_stamped(str(folder), before)
    return dict(zip(paths, inodes, strict=True)), kept_folders(after)


def kept_folders(after: spare_module.Folders) -> dict[str, tuple[Any, ...]]:
    """Each folder's stamp, files (with their inodes) and subfolders, whatever the order they were walked in."""
    kept, names, folders = {}, iter(zip(after["names"], after["inodes"], strict=True)), iter(after["folders"])
    for i, rel in enumerate(after["at"]):
        files = sorted(itertools.islice(names, after["counts"][2 * i]))
        kept[rel] = (tuple(after["stamps"][3 * i:3 * i + 3]), files,
                     sorted(itertools.islice(folders, after["counts"][2 * i + 1])))
    return kept


def without(before: spare_module.Folders, rel: str) -> spare_module.Folders:
    """`before` as a walk keeps it when a folder changed within the racy window (the top, just renamed, say):
    every folder but that one."""
    i = before["at"].index(rel)
    files, folders = before["counts"][2 * i], before["counts"][2 * i + 1]
    names_at, folders_at = sum(before["counts"][0:2 * i:2]), sum(before["counts"][1:2 * i:2])
    return {"at": before["at"][:i] + before["at"][i + 1:],
            "stamps": before["stamps"][:3 * i] + before["stamps"][3 * i + 3:],
            "counts": before["counts"][:2 * i] + before["counts"][2 * i + 2:],
            "names": before["names"][:names_at] + before["names"][names_at + files:],
            "inodes": before["inodes"][:names_at] + before["inodes"][names_at + files:],
            "folders": before["folders"][:folders_at] + before["folders"][folders_at + folders:]}


@pytest.mark.parametrize(("change", "not_given"), [
    *((change, ()) for change in (None, add_file, remove_file, replace_file, replace_folder,
                                  replace_folder_keeping_its_parent, add_folder, remove_folder)),
    *((change, ("",)) for change in (None, add_file, replace_folder, add_folder)),
    (None, ("", "a/")), (replace_folder_keeping_its_parent, ("", "a/"))])
def test_the_walk_by_columns_finds_and_keeps_what_the_walk_folder_by_folder_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trusted_at_once: None, past_tick: Tick, change,  # type: ignore[no-untyped-def]
        not_given: tuple[str, ...]) -> None:
    """The shortcut's files and kept folders are the folder-by-folder walk's, after any change, with the top folder
    given or not, or with a folder below it not given too; it reads only the folders that changed, and goes
    folder by folder where the tree may not be the one it was given (a folder below one not given is unknown)."""
    folder = tree(tmp_path)
    past_tick()
    _, _, before = walk_stamped(str(folder))
    for rel in not_given:
        before = without(before, rel)
    past_tick()
    if change is not None:
        change(folder)
    shortcut: list[object] = []
    real = spare_module._walk_known
    monkeypatch.setattr(spare_module, "_walk_known", lambda *args: shortcut.append(real(*args)) or shortcut[-1])
    read = reads(monkeypatch)
    paths, inodes, after = walk_stamped(str(folder), before)
    read_by_it = list(read)
    files, kept = folder_by_folder(folder, before, monkeypatch)
    assert dict(zip(paths, inodes, strict=True)) == files == walked(folder)
    assert kept_folders(after) == kept
    taken = shortcut[0] is not None
    assert taken == (change not in (add_folder, remove_folder) and len(not_given) < 2)
    if taken and change is None:
        assert read_by_it == ([str(folder)] if not_given else [])
