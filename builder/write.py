"""Atomic, deterministic output, into a folder that is ours: a fresh folder replaces the old one whole.

An output folder is ours when a build created it or it carries our marker, `.sitebuilder-output`, which lists
the files our last build wrote. A build writes into no other folder (nor the project, a folder holding it, the
home folder or `/`), and deletes only files that list names; any other file in our folder is kept. One build
at a time holds a folder (`OutputFolder`, an flock that the kernel drops when the process dies).

A build stages the files that changed in a sibling folder (from forked workers too), completes it with the
unchanged files and the user's files (hard links: the same inode and mtime, no bytes copied), then swaps the two
folders in one step (Linux renameat2 RENAME_EXCHANGE): killed at any moment, the folder is the old site or the new
one. The old folder is not deleted but kept as the spare (spare.py), `.build-spare-NAME`: the next build stages
into it, writing only the files whose bytes differ from the spare's (a new file renamed over the old, never into
its inode, which the folder may share), linking those it lacks and deleting those no longer ours, and swaps it in;
so a build's writing costs what changed, not what the site holds. Without a spare that can be trusted, a new
folder, `.build-NAME-PID`, is staged whole. Where the exchange is missing, the old folder is renamed away and the
new one in (a build killed between the two leaves no folder until the next build puts the old one back), and then
deleted: no spare.

The preview's warm builder updates its folder in place instead (`update`): only the files whose bytes changed
are staged, and a journal in the staging folder lets `recover_interrupted` finish the moves if it dies among
them; a preview may show a mixed site for a moment, never a published one.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import filecmp
import glob
import itertools
import json
import operator
import os
import re
import shutil
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePosixPath

from . import digests, parallel
from .cache import file_stat_key
from .digests import SMALL, Copied, Groups  # SMALL: a file given in pieces is held up to it
from .errors import ContentError, ContentErrors
from .spare import (
    SPARE,
    SPARE_LIST,
    Folders,
    delete_folder,
    discard,
    list_files,
    make_way,
    retire,
    same_device,
    take_spare,
    unlink_file,
    walk_stamped,
)
from .staged import Stamps

STAGING_PREFIX = ".build-"
RETIRED_SUFFIX = "-old"  # a staging folder's name plus this: the old folder, where it could not be swapped
HOT_SUFFIX = "-hot"  # a staging folder's name plus this: a page the preview made first, before it is moved in
PUT_SUFFIX = "-put"  # a staging folder's name plus this: a file being written, before it is renamed into place
JOURNAL = ".journal.json"  # in a staging folder: its files are complete and are to replace those in out_dir
LEFTOVER_WAIT_S = 2.0  # how long a folder whose holder has ended may stay locked by its dying workers
MARKER = ".sitebuilder-output"  # in an output folder: it is ours, and these are the files our last build wrote
ABOUT = ("This folder is a site builder's output. The builder deletes only files listed here (those its last "
         "build wrote) and keeps any other file in this folder.")
RESERVED = (MARKER, JOURNAL, SPARE_LIST)
ANY_FOLDER = "build into a new or empty folder (--out), or into one an earlier build made"


def check_out_paths(paths: Iterable[str]) -> list[ContentError]:
    """Refuse an output path that escapes the folder or that two pages share."""
    problems, seen = [], set()
    for out_path in paths:
        # The string's own parts, not PurePosixPath's: the same verdict at a tenth of the cost, per file written.
        if out_path.startswith("/") or ".." in out_path.split("/") or not out_path or out_path.endswith("/"):
            problems.append(ContentError(out_path, 1, 1, f"page path '{out_path}' is not a file inside the site",
                                         "page paths are relative, like 'countries/pl/index.html'"))
        elif out_path in RESERVED:
            problems.append(ContentError(out_path, 1, 1, f"page path '{out_path}' is the builder's own file",
                                         "give the page or asset another name"))
        elif out_path.casefold() in seen:
            problems.append(ContentError(out_path, 1, 1, f"two pages would be written to '{out_path}'",
                                         "give one of the two records another id"))
        seen.add(out_path.casefold())
    return problems


class OutputError(ContentErrors):
    """The output folder cannot be used or written: a person's mistake or the machine's state, never a bug."""

    def __init__(self, shown: str, message: str, hint: str) -> None:
        super().__init__([ContentError(shown, 1, 1, message, hint)])
        self.shown, self.message, self.hint = shown, message, hint

    def report(self) -> str:
        return f"{self.shown}: {self.message}\n  hint: {self.hint}"


class OutputFolder:
    """An output folder held by this process: one build at a time writes into it.

    The lock is an flock on `.build-NAME.lock` beside the folder, which the kernel releases when the process
    dies; the file holds the holder's process id, for the message a second build prints.
    """

    def __init__(self, out_dir: Path, shown: str, take_over: bool, fd: int, lock_path: Path) -> None:
        self.out_dir, self.shown, self.take_over = out_dir, shown, take_over
        self.fd, self.lock_path = fd, lock_path

    def __enter__(self) -> OutputFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def release(self) -> None:
        """Unlock, removing the lock file while it is still ours (see _lock)."""
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.unlink(self.lock_path)
            parallel.give_to_workers(self.fd)
            os.close(self.fd)
            self.fd = -1

    def ours(self) -> set[str]:
        """The files our last build wrote in the folder (those now in it, for a folder being taken over); an
        OutputError for a folder that is not ours or cannot be written."""
        out = self.out_dir
        if not os.path.lexists(out):
            return set()
        if not out.is_dir():
            raise OutputError(self.shown, "this is a file; the output must be a folder", ANY_FOLDER)
        if not os.access(out, os.W_OK | os.X_OK):
            raise OutputError(self.shown, "the folder is read-only",
                              "make it writable, or build into another folder (--out); it was left as it was")
        try:
            listed = json.loads((out / MARKER).read_bytes())["files"]
            if isinstance(listed, list) and all(isinstance(path, str) for path in listed):
                return set(listed)
            damaged = True
        except FileNotFoundError:
            damaged = False
        except (OSError, ValueError, KeyError, TypeError):
            damaged = True
        if not damaged and not any(os.scandir(out)):
            return set()
        if self.take_over:
            return list_files(out) - {MARKER}
        what = f"its {MARKER} file is damaged" if damaged else f"it is not empty and has no {MARKER} file"
        raise OutputError(
            self.shown, f"this folder was not made by the builder ({what}); nothing in it was changed",
            f"{ANY_FOLDER}. If it holds only an earlier build, delete it (make clean) or add --take-over, which "
            "makes it the builder's: its files are replaced by the site's, and those the site does not make are "
            "deleted")

    def cannot_write(self, exc: OSError) -> OutputError:
        """A clear error for a failed write into the folder or beside it."""
        kept, where = f"{self.shown} was left as it was", f" '{_shown(str(exc.filename))}'" if exc.filename else ""
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return OutputError(self.shown, "the disk is full", f"free some space and build again; {kept}")
        if exc.errno == errno.ENOENT and self.out_dir in Path(os.fsdecode(exc.filename or "/")).parents:  # by hand
            return OutputError(self.shown, f"{where[1:]} was removed while this build ran", f"build again; {kept}")
        return OutputError(self.shown, f"cannot write{where}: {exc.strerror or exc}",
                           f"make it writable, or build into another folder (--out); {kept}")

    def about(self, exc: OSError) -> bool:
        """Whether a failure is about writing this folder (or its staging folder or lock beside it)."""
        if not isinstance(exc.filename, (str, bytes, os.PathLike)):
            return False
        name, parent = Path(os.path.abspath(os.fsdecode(exc.filename))), self.out_dir.parent
        if parent not in name.parents:
            return False
        first = name.relative_to(parent).parts[0]
        return first == self.out_dir.name or first.startswith(STAGING_PREFIX + self.out_dir.name) or \
            first == f"{STAGING_PREFIX}{SPARE}{self.out_dir.name}"


def hold_out_dir(out_dir: Path, *, root: Path | None = None, take_over: bool = False) -> OutputFolder:
    """Hold `out_dir` for a build: refuse a place no build may write, a folder that is not ours (unless
    `take_over`) and one another build holds; finish or clear what a killed build left."""
    given = Path(os.path.abspath(out_dir))
    real = Path(os.path.realpath(given))
    shown = _shown(_relative(given, root)) + (f" (a link to {_shown(str(real))})" if os.path.islink(given) else "")
    refused = _refused_place(real, root)
    if refused:
        raise OutputError(shown, refused, ANY_FOLDER)
    lock_path = real.with_name(f"{STAGING_PREFIX}{real.name}.lock")
    probe = OutputFolder(real, shown, take_over, -1, lock_path)
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        folder = OutputFolder(real, shown, take_over, _lock(lock_path, shown), lock_path)
    except OSError as exc:
        raise probe.cannot_write(exc) from None
    try:
        recover_interrupted(real)
        folder.ours()
    except OSError as exc:
        folder.release()
        raise folder.cannot_write(exc) from None
    except BaseException:
        folder.release()
        raise
    return folder


def _lock(path: Path, shown: str) -> int:
    """An open descriptor of the lock file, locked; an OutputError if another process holds it.

    The holder removes the file as it lets go, so a lock taken on a file that is no longer at `path` is let go
    and taken again on the new one.
    """
    until = time.monotonic() + LEFTOVER_WAIT_S
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip()
            os.close(fd)
            if holder.isdigit() and not _running(int(holder)) and time.monotonic() < until:
                time.sleep(0.01)  # a killed build's workers, which the kernel is ending with it
                continue
            process = f" (process {holder})" if holder.isdigit() else ""
            raise OutputError(shown, f"another build{process} is writing into this folder",
                              "wait for it to end (one build at a time per folder), or build into another "
                              "folder (--out)") from None
        except BaseException:
            os.close(fd)
            raise
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
            parallel.keep_from_workers(fd)
            return fd
        os.close(fd)


def _running(pid: int) -> bool:
    """Whether a process of that number exists (it may be another user's)."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # none of that number, or a number no process can have
        return False
    except OSError:
        return True
    return True


def _refused_place(out: Path, root: Path | None) -> str:
    """Why no build may write into `out` (resolved), or ''."""
    if out == out.parent:
        return "the file system's root cannot be the output folder"
    with contextlib.suppress(RuntimeError, KeyError):  # no home folder known
        home = Path(os.path.realpath(Path.home()))
        if out == home or out in home.parents:
            return "the output folder cannot be your home folder or a folder that holds it"
    if root is not None:
        project = Path(os.path.realpath(root))
        if out == project or out in project.parents:
            return "the output folder cannot be the project folder or a folder that holds it"
        for read in ("content", "templates"):
            if out == project / read or project / read in out.parents:
                return f"the output folder cannot be inside {read}/, which the build reads"
    return ""


def _relative(path: Path, root: Path | None) -> str:
    """The path as errors show it: relative to the project when inside it."""
    if root is not None:
        with contextlib.suppress(ValueError):
            return path.relative_to(Path(os.path.abspath(root))).as_posix() or "."
    return str(path)


def _shown(text: str) -> str:
    """Text with its control characters escaped: a path reaches the terminal."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def left_beside(out_dir: Path) -> list[Path]:
    """What builds of `out_dir` leave beside it while they run or after they were killed: the lock, staging
    folders. Not another folder's (`public-warm`'s lock also starts with `.build-public-`), nor the spare."""
    mine = re.compile(re.escape(STAGING_PREFIX + out_dir.name)
                      + rf"(\.lock|-\d+({RETIRED_SUFFIX}|{HOT_SUFFIX}|{PUT_SUFFIX})?)")
    return sorted(path for path in out_dir.parent.glob(glob.escape(STAGING_PREFIX + out_dir.name) + "[-.]*")
                  if mine.fullmatch(path.name))


def recover_interrupted(out_dir: Path) -> None:
    """Undo what a build killed part-way left beside `out_dir`: its staging folder, a swap cut in half, an update
    cut among its moves. Only while holding the folder (OutputFolder): no live build has a staging folder then."""
    strays = [path for path in left_beside(out_dir) if not path.name.endswith(".lock")]
    for stray in strays:
        if stray.name.endswith(RETIRED_SUFFIX) and not os.path.lexists(out_dir):
            stray.rename(out_dir)  # killed between the two renames of a swap: the old site is put back
        elif (stray / JOURNAL).exists() and out_dir.is_dir():
            _apply_journal(stray, out_dir)  # an update died among its moves: finish them
    for stray in strays:
        if stray.is_dir():
            shutil.rmtree(stray, ignore_errors=True)
        else:
            stray.unlink(missing_ok=True)


def replace_files(folder: OutputFolder, files: Mapping[str, bytes]) -> list[str]:
    """Put each file into a held folder at once, one by one (the preview's pages made first, before its whole
    build): written beside the folder, never a stray file in it, then renamed over the old one. The out paths
    written; one that cannot be is left to the whole build, which reports it."""
    temporary = folder.out_dir.with_name(f"{STAGING_PREFIX}{folder.out_dir.name}-{os.getpid()}{HOT_SUFFIX}")
    written = []
    for out_path, data in files.items():
        if check_out_paths([out_path]):
            continue
        try:
            _write_file(str(temporary), data)
            os.replace(temporary, folder.out_dir / out_path)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink()
            continue
        written.append(out_path)
    return written


class Output:
    """An output folder in the making: files are staged as they come, then put in place all at once.

    `out` is a held OutputFolder, or a path to hold until `abandon`. Files are staged unless the folder already
    holds their bytes (`in_place`: its unchanged files are kept, with their inode and mtime); `commit`
    then swaps the completed staging folder in, or with `update` (a warm preview) moves the changed files in
    through a journal. The staging folder is the spare, when there is a trustworthy one (`spare`: its files'
    digests), else a new folder. `put` may be called from forked workers: each writes its own files into the
    same staging folder and returns what `commit` needs, so no page's bytes travel between processes.

    Stamps spare a stat a file: a file's stat taken together with its digest is a record that can only go stale
    (any later change to the file changes its ctime, and the next check fails), never wrong. `stamps` are the
    folder's files' stats from the disk cache's check (with `known`'s digests), which the spare's list reuses
    for the files this build did not touch. For the disk cache to keep: `self.fresh`, each file this process
    wrote into a new staging folder (`stamping`: its files are never renamed, only the folder), its stat as it
    was closed; after a swap, `self.stamps`, the spare's untouched files', as its check found them.
    """

    def __init__(self, out: Path | OutputFolder, known: Mapping[str, bytes] | None = None, *, fresh: bool = False,
                 update: bool = False, stamps: Mapping[str, tuple[int, int, int, int]] | None = None) -> None:
        self.own_folder = not isinstance(out, OutputFolder)
        self.folder = hold_out_dir(out) if not isinstance(out, OutputFolder) else out
        self.out_dir, self.known, self.swapped = self.folder.out_dir, known, False
        name = self.out_dir.name
        self.spare_dir = self.out_dir.with_name(f"{STAGING_PREFIX}{SPARE}{name}")
        self.spare: dict[str, bytes] | None = None
        self.opened = False  # whether this process has taken the spare's list away (it changes the spare now)
        self.known_stamps = stamps or {}
        self.spare_stamps: dict[str, tuple[int, int, int, int]] = {}
        self.stamps: dict[str, tuple[int, int, int, int]] = {}
        self.fresh = Stamps()
        self.folders: dict[str, Folders] = {}  # walk_stamped's: the spare's and the folder's, as found and as listed
        self.made: list[str] = []  # the folder this process made last (a page has its own, downloads share one)
        try:
            recover_interrupted(self.out_dir)
            self.ours = self.folder.ours()
            self.in_place = self.out_dir.is_dir() and not fresh
            self.update = update and self.in_place
            # Digests are what the spare is trusted by: a swap computes them even without a cache that keeps them.
            self.swapping = self.in_place and not self.update
            self.hashing = known is not None or self.swapping
            if self.swapping:
                self.spare = take_spare(self.spare_dir, self.spare_stamps, self.known_stamps if same_device(
                    self.spare_dir, self.out_dir) else None, folders=self.folders)
            self.stamping = stamps is not None and self.spare is None and not self.update
            if self.spare is not None:
                self.staging = self.spare_dir
            else:
                self.staging = self.out_dir.with_name(f"{STAGING_PREFIX}{name}-{os.getpid()}")
                self.staging.mkdir()
        except BaseException as exc:
            if self.own_folder:
                self.folder.release()
            if isinstance(exc, OSError):
                raise self.folder.cannot_write(exc) from None
            raise

    def put(self, out_path: str, data: bytes | Iterable[bytes | Copied], groups: Groups | None = None
            ) -> tuple[bytes, bool]:
        """Stage one file unless the folder already holds these bytes: (its digest, whether it was staged). `data`
        may come in pieces, written as they come past SMALL bytes (a large download need not be held whole), some
        copied from the last build's file, whose groups `groups` knows (digests.py). The digest is b"" where
        nothing needs it: a build into a new folder, without a cache."""
        if problems := check_out_paths([out_path]):
            raise ContentErrors(problems)
        if isinstance(data, bytes):
            return self._put_bytes(out_path, data)
        return self._put_pieces(out_path, data, groups or Groups())

    def _put_bytes(self, out_path: str, data: bytes) -> tuple[bytes, bool]:
        found = digest(data) if self.hashing else b""
        if self.in_place and self._unchanged(out_path, found, lambda path: path.stat().st_size == len(data)
                                             and path.read_bytes() == data):
            return found, False
        if self.spare is None:
            if (st := _write_file(os.path.join(self.staging, out_path), data, self.made, self.stamping)) is not None:
                self.fresh.add(out_path, file_stat_key(st))
        elif self.spare.get(out_path) != found:  # the spare may hold them already: changed back, say
            self._open_spare()
            try:
                _write_file(str(self.temporary), data, self.made)
            except BaseException:
                self.temporary.unlink(missing_ok=True)  # a worker's, which abandon() does not know
                raise
            self._place(out_path)
        return found, True

    def _put_pieces(self, out_path: str, pieces: Iterable[bytes | Copied], groups: Groups) -> tuple[bytes, bool]:
        """Hold the pieces up to SMALL bytes and put them as one; past that, write them under a temporary name
        beside the folder, then keep the file only if it differs from the folder's."""
        held, size, rest = [], 0, iter(pieces)
        for piece in rest:
            held.append(piece)
            size += len(piece)
            if size > SMALL:
                break
        else:
            return self._put_bytes(out_path, b"".join(p if isinstance(p, bytes) else p.data for p in held))
        temporary = self.temporary
        try:
            with open(temporary, "wb") as out:
                for piece in itertools.chain(held, rest):
                    out.write(piece if isinstance(piece, bytes) else piece.data)
                    if self.hashing:
                        groups.add(piece)
        except BaseException as exc:
            temporary.unlink(missing_ok=True)  # a worker's, which abandon() does not know
            if isinstance(exc, OSError):
                exc.filename = exc.filename or str(temporary)  # a full disk says only ENOSPC
            raise
        found = groups.digest() if self.hashing else b""
        same = self.in_place and self._unchanged(out_path, found, lambda path: filecmp.cmp(temporary, path, False))
        if same or (self.spare is not None and self.spare.get(out_path) == found):
            temporary.unlink()
        else:
            self._open_spare()
            self._place(out_path, freed_aside=True)
        return found, not same

    def _unchanged(self, out_path: str, found: bytes, same_bytes: Callable[[Path], bool]) -> bool:
        """Whether the folder's file holds the new bytes: by its known digest, or else by reading it back."""
        if self.known is not None and out_path in self.known:
            return self.known[out_path] == found
        try:
            return same_bytes(self.out_dir / out_path)
        except OSError:  # not there (or a folder where the file should be)
            return False

    @property
    def temporary(self) -> Path:
        """Where this process writes a file before renaming it into place: its own, a forked worker's too."""
        return self.out_dir.with_name(f"{STAGING_PREFIX}{self.out_dir.name}-{os.getpid()}{PUT_SUFFIX}")

    def _open_spare(self) -> None:
        """Take the spare's list away before its first change (in each process: a worker's own first)."""
        if self.spare is not None and not self.opened:
            (self.spare_dir / SPARE_LIST).unlink(missing_ok=True)
            self.opened = True

    def _place(self, out_path: str, freed_aside: bool = False) -> None:
        """Rename the temporary file to `out_path` in the staging folder, never into a file's inode (the spare's may
        be the folder's). `freed_aside`: the file it replaces is let go by a thread, which waits for its blocks."""
        target = os.path.join(self.staging, out_path)
        held = _hold(target) if freed_aside else None
        try:
            os.replace(self.temporary, target)
        except OSError:
            make_way(self.staging, out_path)
            os.replace(self.temporary, target)
        finally:
            if held is not None:
                import threading  # here: a build with nothing changed does not need it
                threading.Thread(target=_let_go, args=(held,), name="free", daemon=True).start()

    def commit(self, digests: Mapping[str, bytes], staged: Iterable[str]) -> None:
        """Put the staged files in place; `digests` names every file of the site (each path already checked by
        put, and by the caller for two files sharing one), `staged` those put() wrote."""
        try:
            self._commit(digests, sorted(staged))
        except OSError as exc:
            raise self.folder.cannot_write(exc) from None

    def _commit(self, digests: Mapping[str, bytes], changed: list[str]) -> None:
        manifest, site = _manifest(digests), set(digests)
        if not os.path.isdir(self.out_dir):
            if self.spare is not None:  # gone while this build ran: the spare lacks the files it did not change
                raise OutputError(self.folder.shown, "the output folder was removed while the build ran",
                                  "build again: the next build makes the whole site")
            _write_file(os.path.join(self.staging, MARKER), manifest)
            os.rename(self.staging, self.out_dir)
            self.swapped = True
            return
        listing, _, self.folders["listed"] = walk_stamped(str(self.out_dir), self.folders.get("out"), self.swapping)
        existing = set(listing) - {MARKER}
        theirs = existing - self.ours  # the user's files, which stay
        self._refuse_to_replace(theirs, site, changed)
        stale = sorted((existing & self.ours) - site)
        try:  # the same list, as an edit that adds no file and deletes none
            same_list = (self.out_dir / MARKER).read_bytes() == manifest
        except OSError:
            same_list = False
        if not changed and not stale and same_list:
            return
        if self.update and not _clashes(changed, existing, self.out_dir):
            if not same_list:
                _write_file(os.path.join(self.staging, MARKER), manifest)
            journal = self.staging / JOURNAL
            written = [*changed, *([] if same_list else [MARKER])]
            journal.with_suffix(".tmp").write_text(json.dumps({"changed": written, "stale": stale}))
            journal.with_suffix(".tmp").rename(journal)  # from here on, the update is as good as done
            _apply_journal(self.staging, self.out_dir)
            return
        # The staging folder is made whole: the unchanged files and the user's are linked from the folder, those
        # the spare holds already are left, and the spare's files that are no longer the site's are deleted.
        self._open_spare()
        spare = self.spare if self.spare is not None else {}
        for out_path in sorted(set(spare) - site - {MARKER}):
            unlink_file(self.staging, out_path)
        temporary = self.temporary
        if same_list:  # the same list: the same file, not a new one (an edit leaves every file name as it was)
            _link(self.out_dir, self.staging, MARKER, temporary)
        else:
            temporary.write_bytes(manifest)
            self._place(MARKER)
        unchanged = site - (changed_now := set(changed))
        # The files the spare holds with these bytes are left (with the stats its check found), the folder's others
        # that this build did not stage are linked (30,000 files at 10,000 pages: compared in C).
        paths, found = list(digests), list(digests.values())
        left = list(map(operator.and_, map(bool, found), map(operator.eq, map(spare.get, paths), found)))
        kept_stamps = {out_path: stamp for out_path in itertools.compress(paths, left)
                       if (stamp := self.spare_stamps.get(out_path)) is not None}
        linked = set(itertools.compress(paths, map(operator.not_, left))) - changed_now  # their stamps are stale
        for out_path in sorted(linked):
            _link(self.out_dir, self.staging, out_path, temporary)
        carried = {}  # the user's files, by the inode linked into the new folder
        for out_path in sorted(theirs):
            _link(self.out_dir, self.staging, out_path, temporary)
            carried[out_path] = os.lstat(self.staging / out_path).st_ino
        old, exchanged = self._swap()
        self.swapped = True  # what is left of the old folder is retire's
        # What the old folder holds of ours, by digest where it is known: the spare of the next build.
        known = self.known or {}
        ours_there = existing & self.ours
        same = ours_there & unchanged  # left alone by this build: the file holds this build's digest
        held = {out_path: known.get(out_path, b"") for out_path in ours_there - same}
        held.update(zip(same, map(digests.__getitem__, same), strict=True))
        self.stamps = kept_stamps  # the new folder's files the spare held untouched
        # The old folder's files this build left alone, with the stats the cache's check found. Not those linked
        # (a second name), nor those whose name in the staging folder was replaced or deleted (changed, or no
        # longer the site's): that folder's file may be the same inode, whose ctime then changed.
        kept = list(same.intersection(self.known_stamps) - linked)
        stamped = {out_path: self.known_stamps[out_path] for out_path in itertools.compress(
            kept, map(operator.eq, map(digests.__getitem__, kept), map(known.get, kept)))}
        if old == self.spare_dir or exchanged and self.swapping and not os.path.lexists(self.spare_dir):
            held[MARKER] = b""  # listed with its stat, its digest unknown
            retire(old, self.out_dir, held, carried, self.spare_dir, stamped, self.known_stamps, self.folders)
        else:
            discard(old, self.out_dir, existing | {MARKER}, carried)

    def _refuse_to_replace(self, theirs: set[str], site: set[str], changed: list[str]) -> None:
        """Refuse to replace a file the builder did not write, or to put a file where one of those is in the way."""
        if not theirs:
            return
        written = set(changed) if self.in_place else site  # the others hold the very same bytes
        folders = {str(parent) for out_path in site for parent in PurePosixPath(out_path).parents}
        blocked = sorted(path for path in theirs if path in written or path in folders
                         or any(str(parent) in site for parent in PurePosixPath(path).parents))
        if blocked:
            listed = ", ".join(f"'{_shown(path)}'" for path in blocked[:3]) + (", ..." if len(blocked) > 3 else "")
            raise OutputError(self.folder.shown, f"the site would replace files the builder did not write: {listed}",
                              "move them out of the folder, then build again; a build never replaces or deletes "
                              "a file it did not write")

    def _swap(self) -> tuple[Path, bool]:
        """Swap the staging folder in for the folder: where the old one now is, and whether it was exchanged in
        one step."""
        if _exchange(self.staging, self.out_dir):
            return self.staging, True
        retired = self.out_dir.with_name(f"{STAGING_PREFIX}{self.out_dir.name}-{os.getpid()}{RETIRED_SUFFIX}")
        os.rename(self.out_dir, retired)
        os.rename(self.staging, self.out_dir)
        return retired, False

    def abandon(self) -> None:
        """Forget whatever was staged (a failed build leaves the folder as it was), and let go of the folder if
        this Output holds it. A journal's moves, once begun, are left for recover_interrupted to finish; a spare
        left untouched is kept, one changed (its list taken away, here or in a worker) is deleted."""
        with contextlib.suppress(OSError):
            self.temporary.unlink()
        if not self.swapped and not (self.staging / JOURNAL).exists() and (
                self.spare is None or not (self.spare_dir / SPARE_LIST).exists()):
            delete_folder(self.staging)
        if self.own_folder:
            self.folder.release()


def _clashes(changed: Iterable[str], existing: set[str], out_dir: Path) -> bool:
    """Whether a changed file must go where a folder is, or inside what is now a file."""
    for out_path in changed:
        if (out_dir / out_path).is_dir():
            return True
        if any(str(parent) in existing for parent in PurePosixPath(out_path).parents if str(parent) != "."):
            return True
    return False


def _manifest(paths: Iterable[str]) -> bytes:
    """The marker's text: what it is, and every file of the site, one a line, sorted (builds are byte-identical)."""
    return (json.dumps({"about": ABOUT, "files": sorted(paths)}, indent=0, ensure_ascii=False) + "\n").encode()


def _link(source_dir: Path, folder: Path, out_path: str, temporary: Path) -> None:
    """Give a file of `source_dir` a second name in `folder` (a copy where links are not supported). A file in
    its place (the spare's) is replaced by a rename, never written into: its inode may be the folder's."""
    source, target = os.path.join(source_dir, out_path), os.path.join(folder, out_path)
    try:
        os.link(source, target, follow_symlinks=False)
        return
    except FileExistsError:  # a file there: unless it is this very file (a rename onto it would do nothing)
        with contextlib.suppress(OSError):
            if os.path.samefile(source, target):
                return
    except (FileNotFoundError, NotADirectoryError):  # no folder for it yet
        pass
    except OSError as exc:
        if exc.errno not in COPIED:
            raise
    try:
        os.link(source, temporary, follow_symlinks=False)  # a source that is missing raises here
    except OSError as exc:
        if exc.errno not in COPIED:
            raise
        shutil.copy2(source, temporary, follow_symlinks=False)
    try:
        os.replace(temporary, target)
    except OSError:
        make_way(folder, out_path)
        os.replace(temporary, target)


COPIED = (errno.EPERM, errno.EMLINK, errno.EXDEV, errno.ENOTSUP, errno.EOPNOTSUPP)  # no link there: a copy
_RENAMEAT2: list[Callable[..., int] | None] = []  # found once: the C library's renameat2, or None


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 with RENAME_EXCHANGE); False where that is not supported."""
    import ctypes  # here: only a build into an existing folder needs it

    if not _RENAMEAT2:
        _RENAMEAT2.append(getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None))
    renameat2, at_cwd, rename_exchange = _RENAMEAT2[0], -100, 2
    if renameat2 is None:
        return False
    if renameat2(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # not on this kernel or file system
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def _write_file(path: str, data: bytes, made: list[str] | None = None, stat: bool = False) -> os.stat_result | None:
    """Write a new file, making its folder unless this process made it last (`made`: 19,584 downloads share one)
    or it is gone since; with `stat`, its stat as it is closed (plain os calls: pathlib's cost Python time)."""
    folder = os.path.dirname(path)
    if made is None or folder not in made:
        with contextlib.suppress(FileExistsError):
            try:
                os.mkdir(folder)
            except FileNotFoundError:  # its parent is missing too
                os.makedirs(folder, exist_ok=True)
        if made is not None:
            made[:] = [folder]
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    except FileNotFoundError:
        if made is None:
            raise
        return _write_file(path, data, None, stat)  # its folder was removed since this process made it: made again
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        return os.fstat(fd) if stat else None
    except OSError as exc:
        exc.filename = exc.filename or path  # a full disk says only ENOSPC
        raise
    finally:
        os.close(fd)


def _hold(path: str) -> int | None:
    """A reference to the file at `path` (O_PATH: the file itself is not opened, a device or pipe neither), which
    keeps its inode while it is renamed over, kept from forked workers; None where there is none."""
    with contextlib.suppress(OSError, AttributeError):  # AttributeError: no O_PATH (not Linux)
        parallel.keep_from_workers(held := os.open(path, os.O_PATH | os.O_NOFOLLOW | os.O_CLOEXEC))
        return held
    return None


def _let_go(fd: int) -> None:
    """Close a descriptor _hold took: its file's blocks are freed here, if no other name holds them."""
    parallel.give_to_workers(fd)
    os.close(fd)


digest = digests.digest  # a file's digest, by the name the builder's stages know it


def _apply_journal(staging: Path, out_dir: Path) -> None:
    """Move a staging folder's changed files into place and delete the stale ones; safe to run twice."""
    journal = json.loads((staging / JOURNAL).read_text())
    for out_path in journal["changed"]:
        source, target = staging / out_path, out_dir / out_path
        if source.exists():  # gone if an earlier, interrupted run already moved it
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
    for out_path in journal["stale"]:
        target = out_dir / out_path
        target.unlink(missing_ok=True)
        for folder in target.parents:  # a deleted page leaves its folder empty
            if folder == out_dir or not folder.is_relative_to(out_dir) or any(folder.iterdir()):
                break
            folder.rmdir()
    (staging / JOURNAL).unlink()
