"""The spare: the site before last, kept beside the output folder so that a build can bring it up to date
and swap it in, writing only what changed (write.Output), rather than make a whole folder and delete the old one.

It is `.build-spare-NAME` beside the folder NAME (not `.build-NAME-...`, which names what a killed or live build
left, and which the disk cache's nothing-changed check must not meet), ours by that name: git ignores `.build-*`
and `make clean` deletes it. It holds only our files, and is trusted only with its list, `.spare-list`: each file's
stat and digest, written last, after the swap that made the folder the spare, and taken away by a build before it
changes anything in it. A spare without its list (a build died while updating it), with a list that is not whole,
or with a file added, missing or changed since, is deleted and the build stages a whole new folder instead.

A file is trusted by its stat, as the disk cache trusts an output file (cache.file_stat_key): size, modification time,
change time and inode. No program can set a change time, and any write, rename, link or unlink of a file changes
it, so a file edited by hand, replaced, or unlinked from the output folder that shares its inode is seen; a file
rewritten with the same bytes is seen too (and costs a whole staging, rarely). What is not seen: a change within
the timestamp's tick of the list's writing, or, without the disk cache, an edit while the build that lists the
files runs (as for the output folder itself); with it, a file whose size, mtime or inode changed since the cache's
check is listed with its digest unknown (retire).

A folder is trusted by its own stamp (walk_stamped): a name added, removed or replaced in it changes its mtime and
change time, so a folder with the stamp it had when it was read holds what it held then, and the walks of the
spare and the output folder read only the folders that changed: one stat a folder, not a listing. The list keeps
the spare's folders so, and the output folder's as the spare's check found them (it is the output folder after
the swap).
"""

from __future__ import annotations

import array
import contextlib
import errno
import itertools
import marshal
import operator
import os
import shutil
import stat
import time
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .cache import RACY_NS, file_stat_key
from .digests import DIGEST  # bytes of a file's digest (write.digest)

SPARE = "spare-"  # after STAGING_PREFIX, before the folder's name
SPARE_LIST = ".spare-list"  # in the spare: each of its files, with its stat and digest; without it, no spare
SPARE_FORMAT = b"sitebuilder-spare 3 marshal %d" % marshal.version  # read by this Python's marshal only
# The list's lists, each kept as one string or bytes, which marshal writes and reads at once (30,000 objects each, as
# themselves, took longer than the rest of the list's work): names each ended by NUL (which no file name holds),
# integers packed as 64 bits, digests of DIGEST bytes joined, NONE where unknown.
INTEGERS = ("stamps", "counts", "inodes")
NONE = bytes(DIGEST)
# The folders whose stamps can be trusted, in lists (quick to read and write): each folder's out path and "/" ("" for
# the top), its inode, mtime and ctime (three a folder), its count of files and of folders (two a folder), the names
# and inodes of their files, the names of their folders.
FOLDERS = ("at", "stamps", "counts", "names", "inodes", "folders")
Folders = dict[str, list[Any]]


def same_device(a: Path, b: Path) -> bool:
    """Whether two folders are on one file system, where an inode number names one file."""
    try:
        return os.stat(a).st_dev == os.stat(b).st_dev
    except OSError:
        return False


def take_spare(spare_dir: Path, stamps: dict[str, tuple[int, int, int, int]] | None = None,
               seen: Mapping[str, tuple[int, int, int, int]] | None = None, *,
               folders: dict[str, Folders] | None = None) -> dict[str, bytes] | None:
    """The spare's files' digests (b"" where unknown), if its list is there, whole, and says what the folder
    holds, by each file's stat (the disk cache's rule: size, mtime, ctime, inode); else None, and a spare that
    cannot be trusted is deleted: it is ours, and what a killed build left. `stamps`, if given, gets each file's
    stat as found: with its digest, a record that can go stale but never be wrong (see Output.stamps).
    `folders`, if given, gets the spare's folders as found ("spare") and the output folder's as the list keeps
    them ("out"), for the walks that follow (walk_stamped).

    `seen`: the stats just taken of the output folder's files (on the same file system), which share most of
    their inodes with the spare's. A spare's file whose listing names the inode that the list gives, where the
    output folder's file of that name was just found with that inode and the list's stat, is that very inode
    with that stat: it is not stat'ed again (a file replaced in the spare has another inode, one edited in place
    another change time, seen through either name)."""
    if not os.path.lexists(spare_dir):
        return None
    whole = _read_whole(spare_dir) if spare_dir.is_dir() and not spare_dir.is_symlink() else None
    if whole is not None:
        top = f"{spare_dir}/"
        try:
            paths, inodes, checked = walk_stamped(str(spare_dir), whole["folders"])
            if SPARE_LIST in paths:
                at = paths.index(SPARE_LIST)
                del paths[at], inodes[at]
            stats, digests = _in_order(paths, whole)
            # Each file checked against its list entry by the inode its folder names and the stat the output
            # folder's file of that name was just found with (the same inode: one file), the lists compared in C;
            # only those that differ are stat'ed, one by one.
            was = list(map(seen.get, paths)) if seen else [None] * len(paths)
            if was != stats or inodes != [stat_key[3] for stat_key in stats]:
                for at in itertools.compress(range(len(paths)), map(_differs, inodes, was, stats)):
                    if file_stat_key(os.lstat(top + paths[at])) != stats[at]:
                        raise ValueError(paths[at])  # changed since
            if stamps is not None:
                stamps.update(zip(paths, stats, strict=True))
            if folders is not None:
                folders.update(spare=checked, out=whole["out"])
            return dict(zip(paths, digests, strict=True))
        except (OSError, ValueError, TypeError, IndexError):  # gone meanwhile, or a list that is not as written
            pass
    delete_folder(spare_dir)
    return None


def _in_order(paths: list[str], whole: dict[str, Any]) -> tuple[list[tuple[int, int, int, int]], list[bytes]]:
    """The list's stats and digests in the order of the walk's `paths` (the list's own, unless a folder was read
    again); ValueError if a file was added or is missing."""
    listed, stats, digests = whole["paths"], whole["stats"], whole["digests"]
    if paths == listed:
        return stats, digests
    at = dict(zip(listed, range(len(listed)), strict=True))
    order = [at.get(path) for path in paths]
    if len(paths) != len(listed) or None in order:
        raise ValueError("a file added or missing")
    return [stats[i] for i in order], [digests[i] for i in order]  # type: ignore[index]


def _differs(inode: int, was: tuple[int, int, int, int] | None, stat_key: tuple[int, int, int, int]) -> bool:
    return inode != stat_key[3] or was != stat_key


def list_files(folder: Path) -> set[str]:
    """Every file under `folder` as an out path; a symlink is a file (never followed)."""
    return set(walk_stamped(str(folder), stamping=False)[0])


def walk_stamped(folder: str, before: Folders | None = None, stamping: bool = True
                 ) -> tuple[list[str], list[int], Folders]:
    """Every file under `folder` as its out path and inode, as a walk's listings give them, and its folders as
    found, for the next walk (its `before`). A folder whose stamp (inode, mtime, ctime) is the one `before` gives
    holds what `before` says: a name added, removed or replaced in it changes its times, and no program can set a
    change time; one stat, not a listing. A stamp is taken before its folder is read, and kept only when the folder
    was last changed before the racy window: a change within the timestamp's tick of the stat could leave it as it
    was. A symlink is a file, never followed; a folder that is no longer one raises NotADirectoryError. Not
    `stamping`: every folder is read, none stat'ed nor recorded (a walk whose stamps nobody keeps: the preview's)."""
    now, top = time.time_ns(), f"{folder}/"
    before = before or _no_folders()
    if stamping and before["at"]:
        known = _walk_known(folder, before, now - RACY_NS)
        if known is not None:
            return known
    index = dict(zip(before["at"], itertools.count()))
    flat, counts, known_names, known_inodes, known_folders = (before[key] for key in FOLDERS[1:])
    stamps = list(zip(flat[0::3], flat[1::3], flat[2::3], strict=True))
    names_at = [0, *itertools.accumulate(counts[0::2])]
    folders_at = [0, *itertools.accumulate(counts[1::2])]
    paths: list[str] = []
    inodes: list[int] = []
    after = _no_folders()
    at, stamped, counted, named, numbered, foldered = (after[key] for key in FOLDERS)
    trusted_before = now - RACY_NS
    pending = [""]
    while pending:
        rel = pending.pop()
        path = top + rel[:-1] if rel else folder
        stamp, i = (0, 0, 0), None
        if stamping:
            st = os.lstat(path)
            if st.st_mode & 0o170000 != stat.S_IFDIR:
                raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), path)
            stamp, i = (st.st_ino, st.st_mtime_ns, st.st_ctime_ns), index.get(rel)
        if i is not None and stamps[i] == stamp:
            names = known_names[names_at[i]:names_at[i + 1]]
            found = known_inodes[names_at[i]:names_at[i + 1]]
            folders = known_folders[folders_at[i]:folders_at[i + 1]]
        else:
            names, found, folders = _listing(path)
        if stamping and stamp[1] < trusted_before and stamp[2] < trusted_before:
            at.append(rel)
            stamped += stamp
            counted += (len(names), len(folders))
            named += names
            numbered += found
            foldered += folders
        if names:
            paths += [rel + name for name in names]
            inodes += found
        if folders:
            pending += [f"{rel}{name}/" for name in folders]
    return paths, inodes, after


def _walk_known(folder: str, before: Folders, trusted_before: int) -> tuple[list[str], list[int], Folders] | None:
    """walk_stamped where `before` gives the tree's folders (the usual case): each folder stat'ed in the list's
    order before any is read, the stamps compared as whole columns, the paths made in C, and only the folders
    whose stamp changed read, with those `before` names but does not give (not stamped: the top, just renamed or
    listed into). None (the walk goes folder by folder) where the tree may not be `before`'s: a folder gone or no
    longer a folder, one whose subfolders changed, or one not given whose subfolders `before` does not give."""
    at, flat, counts, names, inodes, subfolders = (before[key] for key in FOLDERS)
    top, given = f"{folder}/", set(at)
    refs = list(map(_subfolder, itertools.chain.from_iterable(map(itertools.repeat, at, counts[1::2])), subfolders))
    missing = sorted({"", *refs} - given)  # named by their parent (or the top) but not given: read whole
    if len(given) != len(at) or len(missing) > len(at) // 8 + 1:
        return None
    try:
        found = [os.lstat(top + rel[:-1] if rel else folder) for rel in itertools.chain(at, missing)]
    except OSError:
        return None
    if not all(map(stat.S_ISDIR, map(_MODE, found))):
        return None
    stamps = list(map(_STAMP, found))
    old = list(zip(flat[0::3], flat[1::3], flat[2::3], strict=True))
    changed = [*itertools.compress(itertools.count(), map(operator.ne, stamps, old)), *range(len(at), len(stamps))]
    paths = list(map(operator.add, itertools.chain.from_iterable(map(itertools.repeat, at, counts[0::2])), names))
    inodes, after = list(inodes), {key: list(value) for key, value in before.items()}
    names_at = [0, *itertools.accumulate(counts[0::2])]
    folders_at = [0, *itertools.accumulate(counts[1::2])]
    for i in reversed(changed):  # from the last, so that the slices before it stay where they are
        rel, stamp = (at[i] if i < len(at) else missing[i - len(at)]), stamps[i]
        listed, numbers, within = _listing(top + rel[:-1] if rel else folder)
        trusted = stamp[1] < trusted_before and stamp[2] < trusted_before
        if i >= len(at):  # a folder not given: its files are added at the end
            refs += [f"{rel}{name}/" for name in within]
            paths += [rel + name for name in listed]
            inodes += numbers
            if trusted:
                after["at"].append(rel)
                after["stamps"] += stamp
                after["counts"] += (len(listed), len(within))
                after["names"] += listed
                after["inodes"] += numbers
                after["folders"] += within
            continue
        if sorted(within) != sorted(subfolders[folders_at[i]:folders_at[i + 1]]):
            return None
        files = slice(names_at[i], names_at[i + 1])
        paths[files], inodes[files] = [rel + name for name in listed], numbers
        if trusted:
            after["stamps"][3 * i:3 * i + 3], after["counts"][2 * i] = stamp, len(listed)
            after["names"][files], after["inodes"][files] = listed, numbers
            after["folders"][folders_at[i]:folders_at[i + 1]] = within
        else:  # not trusted: not kept
            del after["at"][i], after["stamps"][3 * i:3 * i + 3], after["counts"][2 * i:2 * i + 2]
            del after["names"][files], after["inodes"][files], after["folders"][folders_at[i]:folders_at[i + 1]]
    # The tree is the one walked: each folder named once by its parent, the top by none, and no other.
    if len(refs) + 1 != len(at) + len(missing) or {"", *refs} != given.union(missing):
        return None
    return paths, inodes, after


def _listing(path: str) -> tuple[list[str], list[int], list[str]]:
    """A folder's files' names and inodes, and its folders' names (a symlink is a file)."""
    names: list[str] = []
    inodes: list[int] = []
    folders: list[str] = []
    with os.scandir(path) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.append(entry.name)
            else:
                names.append(entry.name)
                inodes.append(entry.inode())
    return names, inodes, folders


_MODE = operator.attrgetter("st_mode")
_STAMP = operator.attrgetter("st_ino", "st_mtime_ns", "st_ctime_ns")


def _subfolder(rel: str, name: str) -> str:
    return f"{rel}{name}/"


def _no_folders() -> Folders:
    return {key: [] for key in FOLDERS}


def _whole_folders(folders: Any) -> bool:
    """Whether a list's folders are as walk_stamped makes them."""
    if not isinstance(folders, dict) or sorted(folders) != sorted(FOLDERS) or not all(
            isinstance(value, list) for value in folders.values()):
        return False
    counts = folders["counts"]
    return len(folders["stamps"]) == 3 * len(folders["at"]) and len(counts) == 2 * len(folders["at"]) \
        and sum(counts[0::2]) == len(folders["names"]) == len(folders["inodes"]) \
        and sum(counts[1::2]) == len(folders["folders"])


def read_list(spare_dir: Path) -> dict[str, list[Any]] | None:
    """The spare's list: each file's size, mtime, ctime, inode and digest (hex); None if it is missing or not
    whole (a header with its length and checksum, as the disk cache's files have)."""
    whole = _read_whole(spare_dir)
    if whole is None:
        return None
    return {path: [*stat_key, found.hex()]
            for path, stat_key, found in zip(whole["paths"], whole["stats"], whole["digests"], strict=True)}


def _read_whole(spare_dir: Path) -> dict[str, Any] | None:
    """The list's file: the spare's files ("paths", with their "stats" and "digests" in the same order), its
    folders ("folders") and the output folder's ("out")."""
    try:
        fd = os.open(spare_dir / SPARE_LIST, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as file:
            data = file.read()
        header, _, payload = data.partition(b"\n")
        fields = header.rsplit(b" ", 2)
        if fields[0] != SPARE_FORMAT or fields[1] != b"%d" % len(payload) or fields[2] != b"%08x" % zlib.crc32(
                payload):
            return None
        paths, packed, joined, spare_folders, out = marshal.loads(payload)
        paths = _split(paths)
        flat = _integers(packed)
        stats = list(zip(flat[0::4], flat[1::4], flat[2::4], flat[3::4], strict=True))  # ValueError if cut
        digests = [joined[at:at + DIGEST] for at in range(0, len(joined), DIGEST)]
        if len(paths) == len(stats) == len(digests) and len(joined) == DIGEST * len(paths) \
                and _whole_folders(spare_folders := _unpacked(spare_folders)) and _whole_folders(out := _unpacked(out)):
            return {"paths": paths, "stats": stats, "digests": list(map({NONE: b""}.get, digests, digests)),
                    "folders": spare_folders, "out": out}
    except (OSError, ValueError, IndexError, KeyError, TypeError, EOFError, AttributeError):
        pass
    return None


def _joined(names: list[str]) -> str:
    """The names, each ended by NUL (so that a list of one empty name, the top folder's, is not an empty list)."""
    joined = "\0".join(names) + "\0" if names else ""
    if joined.count("\0") != len(names):
        raise ValueError("a name with a NUL")  # no file system allows one
    return joined


def _split(joined: str) -> list[str]:
    if joined and not joined.endswith("\0"):
        raise ValueError("a list of names cut short")
    return joined.split("\0")[:-1]


def _integers(packed: bytes) -> list[int]:
    return array.array("q", packed).tolist()


def _packed(folders: Folders) -> dict[str, Any]:
    return {key: array.array("q", value).tobytes() if key in INTEGERS else _joined(value)
            for key, value in folders.items()}


def _unpacked(packed: dict[str, Any]) -> Folders:
    return {key: _integers(value) if key in INTEGERS else _split(value) for key, value in packed.items()}


def make_way(folder: Path, out_path: str) -> None:
    """Clear the way for a file at `out_path` in a folder of ours (the spare): a file where one of its folders
    must be, or a folder where it must be, is deleted; its folders are made."""
    parts = out_path.split("/")
    for end in range(1, len(parts)):
        path = os.path.join(folder, *parts[:end])
        if os.path.lexists(path) and not os.path.isdir(path) or os.path.islink(path):
            os.unlink(path)
    target = os.path.join(folder, out_path)
    if os.path.isdir(target) and not os.path.islink(target):
        shutil.rmtree(target)
    os.makedirs(os.path.dirname(target), exist_ok=True)


def unlink_file(folder: Path, out_path: str) -> None:
    """Delete a file of a folder of ours, and the folders it leaves empty."""
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):  # gone, with its folder, to make way
        os.unlink(os.path.join(folder, out_path))
    parent = os.path.dirname(out_path)
    while parent:
        try:
            os.rmdir(os.path.join(folder, parent))
        except OSError:  # not empty
            return
        parent = os.path.dirname(parent)


def delete_folder(path: Path) -> None:
    """Delete a folder of ours (a link in its place is deleted, never followed)."""
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def write_list(spare_dir: Path, paths: list[str], stats: list[tuple[int, int, int, int]], digests: list[bytes],
               folders: Folders | None = None, out: Folders | None = None) -> None:
    """Write the spare's list, last: under a temporary name, then renamed into place. Each file's out path, stat
    and digest (b"" where unknown), in three lists of one order; with them, the spare's folders as its files were
    listed from, and the output folder's (walk_stamped). What cannot be kept so (an inode number past 2**63, as a
    network file system may give) is not listed at all: the next build stages a whole folder, as without a spare."""
    try:
        if not set(map(len, digests)) <= {0, DIGEST}:
            raise ValueError("a digest of another length")
        payload = marshal.dumps((_joined(paths), array.array("q", itertools.chain.from_iterable(stats)).tobytes(),
                                 b"".join(map({b"": NONE}.get, digests, digests)),  # NONE where unknown
                                 _packed(folders or _no_folders()), _packed(out or _no_folders())))
    except (ValueError, OverflowError):
        return
    temporary = spare_dir / (SPARE_LIST + ".new")
    temporary.write_bytes(b"%s %d %08x\n%s" % (SPARE_FORMAT, len(payload), zlib.crc32(payload), payload))
    temporary.rename(spare_dir / SPARE_LIST)


def retire(old: Path, new: Path, held: Mapping[str, bytes], carried: dict[str, int], spare_dir: Path,
            stamped: Mapping[str, tuple[int, int, int, int]], before: Mapping[str, tuple[int, int, int, int]],
            folders: Mapping[str, Folders]) -> None:
    """Make the folder that was swapped out the spare: it keeps our files, with a list of them written last (by
    the stats `stamped` gives, taken with their digests, where the listing names that inode, and a stat of each
    other file; one whose size, mtime or inode is no longer the cache's check's, `before`, was edited while the
    build ran: its digest is unknown). A user's file linked into the new folder is unlinked from it; one saved
    anew since, or one the build did not know of (put there while it ran), is moved into the new folder; with
    anything left that could not be moved, the folder is discarded (discard). `folders`: this one's as the
    commit's walk found them ("listed"), the new one's as the spare's check did ("spare"; walk_stamped)."""
    if old != spare_dir:
        os.rename(old, spare_dir)
    listed: list[str] = []  # the list's columns: each file's out path, stat and digest
    stats: list[tuple[int, int, int, int]] = []
    digests: list[bytes] = []
    top, (paths, inodes, found) = f"{spare_dir}/", walk_stamped(str(spare_dir), folders["listed"])  # all first
    for out_path, inode, digest, stamp in zip(paths, inodes, map(held.get, paths), map(stamped.get, paths),
                                              strict=True):
        path = top + out_path
        if carried and out_path in carried:
            if os.lstat(path).st_ino == carried[out_path]:
                unlink_file(spare_dir, out_path)
                continue
        elif digest is not None:
            if stamp is None or stamp[3] != inode:
                st, was = os.lstat(path), before.get(out_path)
                stamp = file_stat_key(st)
                if was is not None and (st.st_size, st.st_mtime_ns, st.st_ino) != (was[0], was[1], was[3]):
                    digest = None  # edited since: its bytes unknown
            listed.append(out_path)
            stats.append(stamp)
            digests.append(digest or b"")
            continue
        elif os.path.lexists(os.path.join(new, out_path)):
            discard(spare_dir, new, set(held), carried)
            return
        target = os.path.join(new, out_path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.replace(path, target)
    write_list(spare_dir, listed, stats, digests, found, folders.get("spare"))


def discard(old: Path, new: Path, known: set[str], carried: dict[str, int]) -> None:
    """Delete the folder that was swapped out. A file in it that the build did not know of (put there while it
    ran), or a user's file saved anew since it was linked into the new folder, is moved into the new one."""
    left = False
    for out_path in list_files(old):
        path, target = os.path.join(old, out_path), os.path.join(new, out_path)
        try:
            if out_path in known and (out_path not in carried or os.lstat(path).st_ino == carried[out_path]):
                os.unlink(path)
            elif out_path in carried or not os.path.lexists(target):
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.replace(path, target)
            else:
                left = True
        except OSError:
            left = True
    if not left:
        shutil.rmtree(old, ignore_errors=True)
        return
    with contextlib.suppress(OSError):  # what could not be moved is never deleted
        old.rename(new.with_name(f"{new.name}.kept-{time.time_ns()}"))
