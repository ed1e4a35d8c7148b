"""Whole sites written from a mapping of files, through write.Output as a build writes them: what the writer's
tests give it, without a site to render."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from builder.errors import ContentErrors
from builder.write import Output, check_out_paths


def write_site(files: Mapping[str, bytes], out_dir: Path) -> int:
    """Write every file into a staging folder, then swap it in for `out_dir`; return the file count."""
    return _write_files(files, out_dir, None, fresh=True)


def update_site(files: Mapping[str, bytes], out_dir: Path, known: dict[str, bytes] | None = None) -> int:
    """Bring `out_dir` up to date in place, as the preview does: write the files whose bytes changed, delete
    those no longer built.

    `known` holds a digest of each file as last written (a warm builder keeps it between builds), so that
    files are compared without reading them back; it is updated. Without an existing `out_dir` this is a
    cold build, an atomic swap. Returns the file count.
    """
    return _write_files(files, out_dir, known, fresh=False)


def _write_files(files: Mapping[str, bytes], out_dir: Path, known: dict[str, bytes] | None, *, fresh: bool) -> int:
    problems = check_out_paths(files)
    if problems:
        raise ContentErrors(problems)
    digests = build_output(files, Output(out_dir, known, fresh=fresh, update=not fresh))[2]
    if known is not None:
        known.clear()
        known.update(digests)
    return len(files)


def build_output(files: Mapping[str, bytes], output: Output, before_commit: Callable[[], None] = lambda: None
                 ) -> tuple[list[str], Output, dict[str, bytes]]:
    """Put `files` through `output` and commit them; the files put() wrote, the output, and every file's digest."""
    try:
        digests, staged = {}, []
        for out_path in sorted(files):
            digests[out_path], written = output.put(out_path, files[out_path])
            if written:
                staged.append(out_path)
        before_commit()
        output.commit(digests, staged)
    finally:
        output.abandon()
    return staged, output, digests
