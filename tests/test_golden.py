"""Every build, byte for byte, against the digests in tests/golden/: the shipped site and a synthetic one.

The synthetic site is bench/make_synthetic.py's at a small scale, above the size from which a build forks
workers; it is built both in one process and with workers. An intended change of the output refreshes the
digests with `make golden` (python -m tests.test_golden), committed on its own.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder import parallel
from builder.build import build_site

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "golden"
SYNTHETIC_PAGES = 600  # 580 sources: more than parallel.PARALLEL_FROM
SHOWN = 40  # lines of the listing's diff shown when a build differs


def listing(out_dir: Path) -> str:
    """One line per file of a built site: its digest, size and out path, sorted by path."""
    lines = []
    for folder, _, names in os.walk(out_dir):
        for name in names:
            path = Path(folder, name)
            data = path.read_bytes()
            lines.append(f"{hashlib.blake2b(data, digest_size=16).hexdigest()} {len(data):>8} "
                         f"{path.relative_to(out_dir).as_posix()}")
    return "\n".join(sorted(lines, key=lambda line: line.split(" ")[-1])) + "\n"


def make_synthetic(root: Path) -> Path:
    """The synthetic site (its content and a copy of the project's templates) under `root`; its folder."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from make_synthetic import make_corpus, write_ours
    finally:
        sys.path.remove(str(REPO / "bench"))
    write_ours(make_corpus(SYNTHETIC_PAGES, 2 * SYNTHETIC_PAGES), root / "synthetic")
    return root / "synthetic"


def built(root: Path, out_dir: Path) -> str:
    build_site(root, out_dir)
    return listing(out_dir)


def differences(name: str, found: str) -> str:
    """What differs from the golden listing, as a diff of the two listings."""
    expected = (GOLDEN / f"{name}.txt").read_text(encoding="utf-8")
    diff = list(difflib.unified_diff(expected.splitlines(), found.splitlines(), f"tests/golden/{name}.txt",
                                     "this build", n=0, lineterm=""))
    if not diff:
        return ""
    changed = sum(1 for line in diff if line.startswith("+") and not line.startswith("+++"))
    shown = "\n".join(diff[:SHOWN]) + (f"\n... {len(diff) - SHOWN} more lines" if len(diff) > SHOWN else "")
    return (f"{name}: {changed} files differ from tests/golden/{name}.txt (digest, size, path):\n{shown}\n"
            "If the change is intended: make golden, and commit tests/golden/ on its own.")


@pytest.fixture(scope="module")
def synthetic(synthetic_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the run's synthetic site (tests/conftest.py): a build with the cache writes into its root."""
    return Path(shutil.copytree(synthetic_site, tmp_path_factory.mktemp("golden") / "synthetic"))


def test_the_shipped_site_is_as_golden(tmp_path: Path) -> None:
    assert differences("shipped", built(REPO, tmp_path / "public")) == ""


@pytest.mark.parametrize("workers", [True, False], ids=["with workers", "in one process"])
def test_the_synthetic_site_is_as_golden(synthetic: Path, tmp_path: Path, workers: bool,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    if not workers:
        monkeypatch.setattr(parallel, "PARALLEL_FROM", 10**9)
    else:
        monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    assert differences("synthetic", built(synthetic, tmp_path / "public")) == ""


def write_golden(root: Path) -> Iterator[str]:
    """Build both sites (in one process) and write their listings into tests/golden/; the name of each."""
    GOLDEN.mkdir(exist_ok=True)
    parallel.PARALLEL_FROM = 10**9
    for name, site in (("shipped", REPO), ("synthetic", make_synthetic(root))):
        (GOLDEN / f"{name}.txt").write_text(built(site, root / f"{name}-public"), encoding="utf-8")
        yield name


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        for written in write_golden(Path(folder)):
            print(f"wrote tests/golden/{written}.txt")
