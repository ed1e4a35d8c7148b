"""Hostile input too large to keep in the corpus, and builds killed part-way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder.__main__ import main
from tests.conftest import REPO, copy_site, tree_digest


def test_a_50_mb_source_body_is_refused(tmp_path: Path, capsys) -> None:
    site = copy_site(tmp_path / "site")
    source = site / "content/sources/wire.md"
    with source.open("a", encoding="utf-8") as out:
        out.write(("Poland said on Tuesday it would leave. " * 1000 + "\n") * 1300)
    assert source.stat().st_size > 50_000_000
    assert main(["--root", str(site), "check"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("content/sources/wire.md:1:1: file is too large (")
    assert "hint: content files are limited to 5,000,000 bytes; split or shorten it" in err


def test_100000_claims_are_refused_not_swallowed(tmp_path: Path, capsys) -> None:
    site = copy_site(tmp_path / "site")
    claim = ('- id: c{n}\n  quote: "Poland said on Tuesday"\n  says: "Poland said so."\n  kind: reporting\n')
    (site / "content/claims/wire.yaml").write_text("".join(claim.format(n=n) for n in range(100_000)))
    assert main(["--root", str(site), "check"]) == 1
    assert capsys.readouterr().err.startswith("content/claims/wire.yaml:1:1: file is too large (")


def _good_public(site: Path) -> str:
    assert main(["--root", str(site), "build"]) == 0
    return tree_digest(site / "public")


@pytest.mark.parametrize("delay", [0.05, 0.15, 0.3, 0.45, 0.6, 0.8])
def test_a_build_killed_at_any_moment_leaves_public_whole(tmp_path: Path, delay: float) -> None:
    site = copy_site(tmp_path / "site")
    before = _good_public(site)
    (site / "content/summary.yaml").write_text((site / "content/summary.yaml").read_text().replace(
        "Poland left the Convention.", "Poland has left the Convention."))
    expected_new = tmp_path / "expected"
    assert main(["--root", str(site), "build", "--out", str(expected_new)]) == 0
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, "-m", "builder", "--root", str(site), "build"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    public = site / "public"
    if public.exists():
        # Whole, old or new: never a mixture.
        assert tree_digest(public) in (before, tree_digest(expected_new))
    else:
        # Killed between the two renames of the swap: the last good site waits beside it.
        assert tree_digest(site / "public.previous") == before
    assert main(["--root", str(site), "build"]) == 0
    assert sorted(p.name for p in site.iterdir() if p.name.startswith((".build-", "public"))) == ["public"]
    assert tree_digest(public) == tree_digest(expected_new)
