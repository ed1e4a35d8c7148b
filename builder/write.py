"""Atomic, deterministic output: a fresh folder replaces the old one only when every file is written.

A rebuild into an existing folder (`update_site`) writes only the files whose bytes changed and deletes the
stale ones: creating and deleting ten thousand files costs more than rendering them, and a preview or a
deploy that syncs by mtime should see only what changed. It keeps the same guarantee: nothing is touched
until every byte is computed, the changed files are first written to a staging folder, and a journal there
lets `recover_interrupted` finish the moves if the process dies among them.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from .errors import ContentError, ContentErrors

STAGING_PREFIX = ".build-"
RETIRED_SUFFIX = ".previous"
JOURNAL = ".journal.json"  # in a staging folder: its files are complete and are to replace those in out_dir


def check_out_paths(paths: Iterable[str]) -> list[ContentError]:
    """Refuse an output path that escapes the folder or that two pages share."""
    problems, seen = [], set()
    for out_path in paths:
        pure = PurePosixPath(out_path)
        if pure.is_absolute() or ".." in pure.parts or not out_path or out_path.endswith("/"):
            problems.append(ContentError(out_path, 1, 1, f"page path '{out_path}' is not a file inside the site",
                                         "page paths are relative, like 'countries/pl/index.html'"))
        elif out_path.casefold() in seen:
            problems.append(ContentError(out_path, 1, 1, f"two pages would be written to '{out_path}'",
                                         "give one of the two records another id"))
        seen.add(out_path.casefold())
    return problems


def recover_interrupted(out_dir: Path) -> None:
    """Undo what a build killed part-way left behind: stray staging folders, or a swap cut in half."""
    retired = out_dir.with_name(out_dir.name + RETIRED_SUFFIX)
    if retired.exists() and not out_dir.exists():
        retired.rename(out_dir)
    elif retired.exists():
        shutil.rmtree(retired)
    for stray in out_dir.parent.glob(f"{STAGING_PREFIX}{out_dir.name}-*"):
        if (stray / JOURNAL).exists() and out_dir.is_dir():
            _apply_journal(stray, out_dir)  # an update died among its moves: finish them
        shutil.rmtree(stray, ignore_errors=True)


def write_site(files: Mapping[str, bytes], out_dir: Path) -> int:
    """Write every file into a staging folder, then swap it in for `out_dir`; return the file count."""
    problems = check_out_paths(files)
    if problems:
        raise ContentErrors(problems)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    recover_interrupted(out_dir)
    staging = out_dir.with_name(f"{STAGING_PREFIX}{out_dir.name}-{os.getpid()}")
    try:
        made: set[Path] = set()
        for out_path in sorted(files):
            target = staging / out_path
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(files[out_path])
        retired = out_dir.with_name(out_dir.name + RETIRED_SUFFIX)
        if out_dir.exists():
            out_dir.rename(retired)
        staging.rename(out_dir)
        shutil.rmtree(retired, ignore_errors=True)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return len(files)


def update_site(files: Mapping[str, bytes], out_dir: Path, known: dict[str, bytes] | None = None) -> int:
    """Bring `out_dir` up to date in place: write the files whose bytes changed, delete those no longer built.

    `known` holds a digest of each file as last written (a warm builder keeps it between builds), so that
    files are compared without reading them back; it is updated. Without an existing `out_dir` this is a
    cold build: `write_site`. Returns the file count.
    """
    problems = check_out_paths(files)
    if problems:
        raise ContentErrors(problems)
    recover_interrupted(out_dir)
    digests = {out_path: digest(data) for out_path, data in files.items()} if known is not None else {}
    if not out_dir.is_dir():
        write_site(files, out_dir)
    else:
        _update_in_place(files, out_dir, known, digests)
    if known is not None:
        known.clear()
        known.update(digests)
    return len(files)


def _update_in_place(files: Mapping[str, bytes], out_dir: Path, known: Mapping[str, bytes] | None,
                     digests: Mapping[str, bytes]) -> None:
    existing = {os.path.relpath(os.path.join(folder, name), out_dir).replace(os.sep, "/")
                for folder, _, names in os.walk(out_dir) for name in names}
    changed = sorted(out_path for out_path, data in files.items()
                     if out_path not in existing or not _same(out_dir, out_path, data, known, digests))
    stale = sorted(existing - set(files))
    if not changed and not stale:
        return
    staging = out_dir.with_name(f"{STAGING_PREFIX}{out_dir.name}-{os.getpid()}")
    try:
        for out_path in changed:
            target = staging / out_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[out_path])
        journal = staging / JOURNAL
        journal.with_suffix(".tmp").write_text(json.dumps({"changed": changed, "stale": stale}))
        journal.with_suffix(".tmp").rename(journal)  # from here on, the update is as good as done
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        _apply_journal(staging, out_dir)
    except OSError:  # e.g. a page now needs a folder where a file was: replace the folder whole instead
        shutil.rmtree(staging, ignore_errors=True)
        write_site(files, out_dir)
    shutil.rmtree(staging, ignore_errors=True)


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _same(out_dir: Path, out_path: str, data: bytes, known: Mapping[str, bytes] | None,
          digests: Mapping[str, bytes]) -> bool:
    """Whether the file already holds these bytes: by its known digest, or else by reading it back."""
    if known is not None and out_path in known:
        return known[out_path] == digests[out_path]
    path = out_dir / out_path
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


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
