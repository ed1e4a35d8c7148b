"""Atomic, deterministic output: a fresh folder replaces the old one only when every file is written."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from .errors import ContentError, ContentErrors

STAGING_PREFIX = ".build-"
RETIRED_SUFFIX = ".previous"


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
