"""The output folder is ours or untouched, one build at a time writes into it, and it is always one whole site.

Each test here failed before write.py held and marked its output folders: a build deleted what it had not made,
two builds mixed their files or crashed, and a killed build could leave a mixture of two sites.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import errno
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import builder.parallel as parallel
import builder.write
from builder.__main__ import main
from builder.build import Builder
from builder.errors import ContentErrors
from builder.write import MARKER, hold_out_dir
from tests.conftest import REPO, copy_site, tree_digest
from tests.support.writing import update_site, write_site
from tests.test_warm import Site

ANY_FOLDER = "  hint: build into a new or empty folder (--out), or into one an earlier build made\n"
NOT_OURS = (": this folder was not made by the builder (it is not empty and has no .sitebuilder-output file); "
            "nothing in it was changed\n"
            "  hint: build into a new or empty folder (--out), or into one an earlier build made. If it holds only "
            "an earlier build, delete it (make clean) or add --take-over, which makes it the builder's: its files "
            "are replaced by the site's, and those the site does not make are deleted\n")
LOCKED = (": another build (process {pid}) is writing into this folder\n"
          "  hint: wait for it to end (one build at a time per folder), or build into another folder (--out)\n")


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` with a digest of its bytes: a site, compared file set and bytes at once."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def build(site: Path, *args: str) -> int:
    return main(["--root", str(site), "build", *args])


def beside(site: Path) -> list[str]:
    """What a build left beside its folder, public/ aside: staging folders, lock files, kept folders; not the
    spare, which stays there by design (tests/test_spare.py)."""
    return sorted(p.name for p in site.iterdir() if p.name.startswith((".build-", "public."))
                  and p.name != ".build-spare-public")


# ---------------------------------------------------------------- places no build may write into

@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small site in tmp/home/work/site, with a home folder (HOME) that holds it, and a user's notes."""
    home = tmp_path / "home"
    site = copy_site(home / "work" / "site")
    (home / ".bashrc").write_text("export EDITOR=vi\n")
    (site / "NOTES.md").write_text("my notes\n")
    monkeypatch.setenv("HOME", str(home))
    return site


@pytest.mark.parametrize(("out", "shown", "message"), [
    (".", ".", "the output folder cannot be the project folder or a folder that holds it"),
    ("..", "{work}", "the output folder cannot be the project folder or a folder that holds it"),
    ("{home}", "{home}", "the output folder cannot be your home folder or a folder that holds it"),
    ("/", "/", "the file system's root cannot be the output folder"),
    ("NOTES.md", "NOTES.md", "this is a file; the output must be a folder"),
    ("content", "content", "the output folder cannot be inside content/, which the build reads"),
    ("templates/x", "templates/x", "the output folder cannot be inside templates/, which the build reads"),
])
def test_a_build_never_writes_into_the_project_home_or_root(project: Path, out: str, shown: str, message: str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    home, work = project.parent.parent, project.parent
    before = tree_digest(home)
    target = out.format(home=home) if out.startswith("{") or out == "/" else str(project / out)
    assert build(project, "--out", target) == 1
    assert capsys.readouterr().err == f"{shown.format(work=work, home=home)}: {message}\n{ANY_FOLDER}"
    assert tree_digest(home) == before


def test_a_folder_that_is_not_ours_is_refused_until_taken_over(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    site = copy_site(tmp_path / "site")
    www = tmp_path / "www"
    www.mkdir()
    (www / "notes.txt").write_text("mine")
    assert build(site, "--out", str(www)) == 1
    assert capsys.readouterr().err == f"{www}{NOT_OURS}"
    assert snapshot(www) == {"notes.txt": hashlib.sha256(b"mine").hexdigest()}
    # Taking it over is the user's explicit say-so: the folder becomes the builder's.
    assert build(site, "--out", str(www), "--take-over") == 0
    assert (www / MARKER).is_file() and (www / "index.html").is_file() and not (www / "notes.txt").exists()
    assert build(site, "--out", str(www)) == 0


def test_public_built_by_the_previous_version_is_taken_over_once(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    site = copy_site(tmp_path / "site")
    assert build(site) == 0
    public = site / "public"
    expected = snapshot(public)
    (public / MARKER).unlink()  # as the builder before the marker left it, with a page no longer made
    (public / "countries" / "old").mkdir()
    (public / "countries" / "old" / "index.html").write_text("a page of an earlier build")
    before = tree_digest(public)
    assert build(site) == 1
    assert capsys.readouterr().err == f"public{NOT_OURS}"
    assert tree_digest(public) == before
    assert build(site, "--take-over") == 0
    assert snapshot(public) == expected
    assert build(site) == 0 and beside(site) == []


def test_a_public_link_to_a_folder_that_is_not_ours_is_refused(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    site = copy_site(tmp_path / "site")
    www = tmp_path / "www"
    www.mkdir()
    (www / "index.php").write_text("<?php // another site")
    (site / "public").symlink_to("../www")
    assert build(site) == 1
    assert capsys.readouterr().err == f"public (a link to {www}){NOT_OURS}"
    assert snapshot(www) == {"index.php": hashlib.sha256(b"<?php // another site").hexdigest()}


def test_a_public_link_to_our_folder_is_built_through(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    assert build(site, "--out", str(tmp_path / "www")) == 0
    reference = snapshot(tmp_path / "www")
    (tmp_path / "www" / "notes.txt").write_text("mine")
    (site / "public").symlink_to("../www")
    assert build(site) == 0
    assert (site / "public").is_symlink() and snapshot(site / "public") == reference | {
        "notes.txt": hashlib.sha256(b"mine").hexdigest()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "www"]


# ---------------------------------------------------------------- only what our build wrote is deleted

@pytest.mark.parametrize("write", [write_site, update_site], ids=["swapped whole", "updated in place"])
def test_only_files_our_build_wrote_are_deleted(tmp_path: Path, write) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "public"
    write({"a.html": b"one", "gone/index.html": b"stale"}, out)
    (out / "notes.txt").write_text("mine")
    (out / "drafts").mkdir()
    (out / "drafts" / "plan.md").write_text("my plan")
    write({"a.html": b"two", "b.html": b"new"}, out)
    assert snapshot(out) == {
        MARKER: snapshot(out)[MARKER], "a.html": hashlib.sha256(b"two").hexdigest(),
        "b.html": hashlib.sha256(b"new").hexdigest(), "notes.txt": hashlib.sha256(b"mine").hexdigest(),
        "drafts/plan.md": hashlib.sha256(b"my plan").hexdigest()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


@pytest.mark.parametrize("write", [write_site, update_site], ids=["swapped whole", "updated in place"])
def test_a_file_the_builder_did_not_write_is_never_replaced(tmp_path: Path, write) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "public"
    write({"a.html": b"one"}, out)
    (out / "b.html").write_text("mine")
    (out / "c").write_text("mine too")
    with pytest.raises(ContentErrors) as caught:
        write({"a.html": b"one", "b.html": b"the site's", "c/index.html": b"the site's"}, out)
    assert caught.value.report() == (
        f"{out}: the site would replace files the builder did not write: 'b.html', 'c'\n"
        "  hint: move them out of the folder, then build again; a build never replaces or deletes a file it did "
        "not write")
    assert (out / "b.html").read_text() == "mine" and (out / "c").read_text() == "mine too"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_the_preview_keeps_the_users_files_and_refuses_a_folder_not_its_own(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    preview = site.root / ".preview"
    preview.mkdir()
    (preview / "notes.txt").write_text("mine")
    with pytest.raises(ContentErrors) as caught:
        Builder(site.root, preview).build()
    assert caught.value.report() + "\n" == f".preview{NOT_OURS}"
    (preview / "notes.txt").unlink()
    warm = Builder(site.root, preview)
    warm.build()
    (preview / "notes.txt").write_text("mine")
    site.edit("content/claims/wire.yaml", 'says: "Poland, Estonia', 'says: "Now: Poland, Estonia')
    warm.build()
    assert (preview / "notes.txt").read_text() == "mine"
    assert "Now: Poland, Estonia" in (preview / "sources/wire/index.html").read_text()


# ---------------------------------------------------------------- one build at a time

def test_a_second_build_into_a_held_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = copy_site(tmp_path / "site")
    with hold_out_dir(site / "public") as folder:
        live = site / f".build-public-{os.getpid()}"  # the holder's staging folder
        live.mkdir()
        (live / "index.html").write_text("being built")
        assert build(site) == 1
        assert capsys.readouterr().err == "public" + LOCKED.format(pid=os.getpid())
        assert (live / "index.html").read_text() == "being built"
        assert not (site / "public").exists()
        shutil.rmtree(live)
    assert folder.fd == -1 and build(site) == 0 and beside(site) == []


WAIT = 1.0  # builder.write.LEFTOVER_WAIT_S in the test below (2 s in a build)
HOLD_LOCK = ("import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR); fcntl.flock(fd, fcntl.LOCK_EX); "
             "print('held', flush=True); time.sleep(float(sys.argv[2]))")


@pytest.mark.parametrize(("named", "lingers"), [("killed", 0.2), ("killed", 30), ("no process's", 30)])
def test_a_folder_held_by_a_killed_build_s_last_workers_is_taken_once_they_end(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, named: str,
        lingers: float) -> None:
    """A build killed with its workers leaves them holding the folder's lock for a moment, until the kernel has
    ended them: the next build waits for them (a while) rather than being refused by a build that is gone."""
    site = copy_site(tmp_path / "site")
    monkeypatch.setattr(builder.write, "LEFTOVER_WAIT_S", WAIT, raising=False)
    killed = subprocess.Popen([sys.executable, "-c", "pass"])
    killed.wait()
    number = killed.pid if named == "killed" else 99999999999  # as the killed build wrote it; or no pid at all
    lock = site / ".build-public.lock"
    lock.write_text(f"{number}\n")
    worker = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(lock), str(lingers)], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert worker.stdout is not None and worker.stdout.readline() == "held\n"
        if lingers < WAIT:
            assert build(site) == 0
            assert worker.poll() is not None, "taken once the worker ended"
        else:  # a process that holds it for longer is a build, whatever the file says: refused, as ever
            assert build(site) == 1
            assert capsys.readouterr().err == "public" + LOCKED.format(pid=number)
            assert worker.poll() is None
    finally:
        worker.kill()
        worker.wait()


def test_the_preview_holds_its_folder_while_it_lives(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = Site(tmp_path / "site")
    warm = Builder(site.root, site.root / "public")
    warm.build()
    assert build(site.root) == 1
    assert capsys.readouterr().err == "public" + LOCKED.format(pid=os.getpid())
    assert warm.folder is not None
    warm.folder.release()
    assert build(site.root) == 0


def test_recovery_never_touches_the_staging_folder_of_another_live_build(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    with hold_out_dir(site / "public-x"):  # a live build of another folder, whose name starts the same
        live = site / ".build-public-x-4242"
        live.mkdir()
        (live / "index.html").write_text("being built")
        (site / ".build-public-4242").mkdir()  # a dead build's staging folder of public/
        assert build(site) == 0
        assert (live / "index.html").read_text() == "being built"
        assert not (site / ".build-public-4242").exists()


# A child build whose file system calls each take up to 4 ms more, so that kills land in every phase, the
# staging of files, the swap and the deletion of the old folder (the build's own kernel calls are as they are).
SLOW_CALLS = r"""
import os, random, sys, time

def slowed(call):
    def slow(*args, **kwargs):
        time.sleep(random.uniform(0, 0.004))
        return call(*args, **kwargs)
    return slow

def slow_down():
    for name in ("open", "mkdir", "replace", "rename", "link", "unlink", "rmdir"):
        setattr(os, name, slowed(getattr(os, name)))

from tests.support.cards import draw_once_in_this_process
draw_once_in_this_process()
"""
SLOW_BUILD = SLOW_CALLS + r"""
slow_down()
from builder.__main__ import main
sys.exit(main(sys.argv[1:]))
"""
# The same builds forked, one per line of arguments read, from a process that has imported the builder once: the
# kills spread over the build itself, not over the interpreter's start (a third of a fresh process's time, and of
# the CPU time of the test). It prints each build's process id; told "wait", how the last one ended. Until then the
# build is not reaped, so its id stays its own and a kill after it ended finds it still there.
BUILD_FORKER = SLOW_CALLS + r"""
from builder.__main__ import main
for line in sys.stdin:
    if line == "wait\n":
        print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), flush=True)
        continue
    pid = os.fork()
    if pid == 0:
        random.seed()  # each build its own delays, as in a process of its own
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        slow_down()
        os._exit(main(line.rstrip("\n").split("\0")))
    print(pid, flush=True)
"""


def slow_build(site: Path, **kwargs: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", SLOW_BUILD, "--root", str(site), "build"],
                            env={**os.environ, "PYTHONPATH": str(REPO)}, **kwargs)  # type: ignore[call-overload]


class BuildForker:
    """BUILD_FORKER, running: start a slowed build of a site, kill it, learn how it ended."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", BUILD_FORKER], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})

    def start(self, site: Path) -> int:
        """Start a build of `site`; its process id."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("\0".join(["--root", str(site), "build"]) + "\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def ended(self) -> int:
        """Wait for the build started last to end; its exit code (minus the signal that killed it)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("wait\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


def retitle(site: Path, title: str) -> None:
    """Give the site another title: every page changes."""
    config = (site / "site.yaml").read_text()
    (site / "site.yaml").write_text("\n".join(f'title: "{title}"' if line.startswith("title:") else line
                                              for line in config.splitlines()) + "\n")


def set_version(site: Path, version: str) -> None:
    """Version 'a' is the base site; 'b' renames it and adds a country (a page more)."""
    retitle(site, "Test explainer" if version == "a" else "Test explainer, second edition")
    estonia = site / "content/countries/ee.yaml"
    if version == "b":
        estonia.write_text('name: "Estonia"\niso2: "EE"\nevents: []\n')
    else:
        estonia.unlink(missing_ok=True)


@pytest.fixture
def two_versions(tmp_path: Path) -> tuple[Path, dict[str, dict[str, str]]]:
    """A site, and the file set and digests of a build of each version."""
    site = copy_site(tmp_path / "site")
    versions = {}
    for version in ("a", "b"):
        set_version(site, version)
        assert build(site, "--out", str(tmp_path / version)) == 0
        versions[version] = snapshot(tmp_path / version)
    assert versions["a"].keys() != versions["b"].keys()
    assert versions["a"]["index.html"] != versions["b"]["index.html"]
    return site, versions


def test_two_builds_at_once_never_mix_or_crash(two_versions: tuple[Path, dict[str, dict[str, str]]]) -> None:
    site, versions = two_versions
    for round_ in range(4):
        set_version(site, "ab"[round_ % 2])
        builds = [slow_build(site, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(2)]
        for this, other in (builds, builds[::-1]):
            err = this.communicate()[1].decode()
            assert this.returncode == 0 or err in (
                "public" + LOCKED.format(pid=other.pid), "public" + LOCKED.replace(" (process {pid})", "")), err
        assert snapshot(site / "public") == versions["ab"[round_ % 2]]
        assert beside(site) == []


KILLS = 36
STREAMS = 2  # copies of the site, each killed KILLS // STREAMS times, at once: a slowed build half waits


def kill_builds(site: Path, versions: dict[str, dict[str, str]], stream: int) -> None:
    """Kill slowed builds of `site` at random moments; after each kill, public/ is one of the two sites whole."""
    set_version(site, "a")
    assert build(site) == 0
    forker = BuildForker()
    try:
        times = []
        for version in "bab":  # how long a whole build takes, at its quickest: kills spread over that time
            set_version(site, version)
            started = time.perf_counter()
            forker.start(site)
            assert forker.ended() == 0
            times.append(time.perf_counter() - started)
        randomly = random.Random(17 + stream)
        for kill in range(KILLS // STREAMS):
            version = "ab"[kill % 2]
            set_version(site, version)
            pid = forker.start(site)
            time.sleep(randomly.uniform(0.05, 1.0) * min(times))
            os.kill(pid, signal.SIGKILL)
            assert forker.ended() in (0, -signal.SIGKILL)
            found = snapshot(site / "public")
            assert found in (versions["a"], versions["b"]), f"stream {stream}, kill {kill}: a mixture of two sites"
    finally:
        forker.close()
    assert build(site) == 0 and snapshot(site / "public") == versions[version]
    assert beside(site) == []


def test_a_build_killed_at_any_moment_leaves_public_one_whole_site(
        two_versions: tuple[Path, dict[str, dict[str, str]]]) -> None:
    site, versions = two_versions
    sites = [site] + [shutil.copytree(site, site.with_name(f"site-{n}")) for n in range(1, STREAMS)]
    with concurrent.futures.ThreadPoolExecutor(STREAMS) as pool:
        for done in [pool.submit(kill_builds, copy, versions, n) for n, copy in enumerate(sites)]:
            done.result()


# ---------------------------------------------------------------- a folder that cannot be written

@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """The folder made read-only: by its mode, or for root (whom modes do not stop) immutable."""
    if os.geteuid() != 0:
        mode = folder.stat().st_mode
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(mode)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder)]).returncode != 0:
        pytest.skip("running as root where chattr cannot make a folder immutable")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_a_read_only_public_is_reported_and_left_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = copy_site(tmp_path / "site")
    assert build(site) == 0
    before = tree_digest(site / "public")
    set_version(site, "b")
    with read_only(site / "public"):
        assert build(site) == 1
    assert capsys.readouterr().err == (
        "public: the folder is read-only\n"
        "  hint: make it writable, or build into another folder (--out); it was left as it was\n")
    assert tree_digest(site / "public") == before and beside(site) == []


def test_a_full_disk_is_reported_and_public_left_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    site = copy_site(tmp_path / "site")
    assert build(site) == 0
    before = tree_digest(site / "public")
    set_version(site, "b")
    written = []

    def full(fd: int, data: bytes) -> int:
        written.append(fd)
        if len(written) > 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)

    real = os.write
    monkeypatch.setattr(builder.write.os, "write", full)
    assert build(site) == 1
    monkeypatch.undo()
    assert capsys.readouterr().err == (
        "public: the disk is full\n  hint: free some space and build again; public was left as it was\n")
    assert tree_digest(site / "public") == before and beside(site) == []


def test_the_workers_of_a_large_build_keep_the_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    site = copy_site(tmp_path / "site", base=REPO / "tests" / "fixtures" / "mini")
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)  # forked workers make the pages, as at 500 sources
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    assert build(site) == 0
    (site / "public" / "notes.txt").write_text("mine")
    retitle(site, "Second edition")
    assert build(site) == 0
    assert (site / "public" / "notes.txt").read_text() == "mine"
    before = tree_digest(site / "public")
    retitle(site, "Third edition")
    parent, real = os.getpid(), os.write

    def full_in_workers(fd: int, data: bytes) -> int:
        if os.getpid() != parent:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)

    monkeypatch.setattr(builder.write.os, "write", full_in_workers)  # the workers inherit it
    assert build(site) == 1
    monkeypatch.setattr(builder.write.os, "write", real)
    assert capsys.readouterr().err.endswith(
        "public: the disk is full\n  hint: free some space and build again; public was left as it was\n")
    assert tree_digest(site / "public") == before and beside(site) == []


def test_without_an_atomic_exchange_the_old_folder_is_renamed_away_and_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "public"
    monkeypatch.setattr(builder.write, "_exchange", lambda a, b: False)
    write_site({"a.html": b"one", "gone.html": b"g"}, out)
    (out / "notes.txt").write_text("mine")
    write_site({"a.html": b"two"}, out)
    assert sorted(snapshot(out)) == [MARKER, "a.html", "notes.txt"] and (out / "a.html").read_bytes() == b"two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]
