"""Shared test helpers: small sites written inline, so each test shows its input."""

from __future__ import annotations

import contextlib
import fcntl
import gc
import hashlib
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from jinja2 import Environment

import builder.cards
import builder.parallel as parallel
from builder.build import check_site, publish
from builder.model import Site
from builder.themes import THEME_DIR
from tests.support.cards import FOLDER_VARIABLE, drawn_once
from tests.support.templates import compiled_once

REPO = Path(__file__).resolve().parent.parent
BASE_SITE = REPO / "tests" / "errors" / "_base"
MINI = REPO / "tests" / "fixtures" / "mini"


def pytest_configure(config: pytest.Config) -> None:
    """The cyclic collector run less often in the tests' processes: a young pass after 2,000 new objects rather than
    700, a full pass after 100 of the middle generation's rather than 10. A worker keeps what it built and parsed
    for its modules (hundreds of thousands of objects), and each full pass walked all of it again: 15-25 % of the
    CPU of the modules that parse most (docs/performance.md, The test suite, a sixth time). The builds the tests
    run turn the collector off and on again themselves (build.collect_after)."""
    gc.set_threshold(2000, 10, 100)


def write_tree(root: Path, files: dict[str, str | bytes]) -> None:
    """Write files given as {relative path: text or bytes} under root."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def tree_digest(root: Path) -> str:
    """One hash of every file's path and bytes, to prove a folder was left untouched."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def copy_site(target: Path, *, base: Path = BASE_SITE, templates: bool = True, theme: bool = True) -> Path:
    """A copy of a small valid site, with the project's real templates, to change in one test: every file of the
    theme, with the shipped site's own over it, so that a test can edit any of them. Without `theme`, the site's
    templates/ holds only the shipped site's own files, as the project's does, and the builder takes the rest
    from the theme: for a test that edits no theme file (a copy of the theme is 30 files to write, five times
    the cost of the rest of the copy)."""
    shutil.copytree(base, target)
    if templates:
        if theme:
            shutil.copytree(THEME_DIR, target / "templates", dirs_exist_ok=True)
        if (REPO / "templates").is_dir():
            shutil.copytree(REPO / "templates", target / "templates", dirs_exist_ok=True)
    return target


@pytest.fixture
def small_site(tmp_path: Path) -> Path:
    return copy_site(tmp_path / "site")


# Checked once per session and shared by every module: a test that needs a different site makes one with
# dataclasses.replace, never changes these.

@pytest.fixture(scope="session")
def mini_site() -> Site:
    """The small fixture site (tests/fixtures/mini), checked."""
    return check_site(MINI)


@pytest.fixture(scope="session")
def shipped_site() -> Site:
    """The shipped site (site.yaml and content/), checked."""
    return check_site(REPO)


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test run's own temporary folder: the one the xdist workers' folders are in, else the session's."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def made_once(folder: Path, make: Callable[[Path], object]) -> Path:
    """`folder`, made by the first process of the run to ask for it and shared, read-only, with the others (the
    xdist workers), which wait for it: `make` writes it in a folder beside it, renamed once whole. A lock file
    beside it orders them; a process that failed to make it leaves it for the next to try."""
    if not folder.is_dir():
        folder.parent.mkdir(parents=True, exist_ok=True)
        with open(folder.with_name(folder.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not folder.is_dir():
                part = folder.with_name(folder.name + ".part")
                shutil.rmtree(part, ignore_errors=True)
                part.mkdir()
                make(part)
                part.rename(folder)
    return folder


@pytest.fixture(scope="session")
def build_once(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path, str | None], tuple[Site, Path]]:
    """Build a site at a base URL (None: its own) once per test run, for the tests that only read what was built
    (test_site.py, test_scale.py, the browser tests): the checked site and its output folder, which no test may
    change. Each process checks the site for itself; the output is made by the first to ask and shared by the
    xdist workers (made_once): under worksteal, a module that reads it and a browser test that serves it often run
    on different workers, and each built it before (docs/performance.md, The test suite, a seventh time)."""
    built: dict[tuple[Path, str | None], tuple[Site, Path]] = {}
    shared = run_folder(tmp_path_factory) / "built"

    def build(root: Path, base_url: str | None) -> tuple[Site, Path]:
        if (root, base_url) not in built:
            site = check_site(root, base_url=base_url)
            name = hashlib.sha256(f"{root}\0{base_url}".encode()).hexdigest()[:16]
            folder = made_once(shared / name, lambda part: publish(site, REPO / "templates", part / "public"))
            built[root, base_url] = site, folder / "public"
        return built[root, base_url]

    return build


@pytest.fixture(scope="session")
def synthetic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The golden test's synthetic site (600 pages, bench/make_synthetic.py), written once per test run and shared
    by every process: read it, build it elsewhere (build_once), or copy it to change it or build into it."""
    from tests.test_golden import make_synthetic

    return made_once(run_folder(tmp_path_factory) / "synthetic", make_synthetic) / "synthetic"


Tick = Callable[[], None]


@pytest.fixture(scope="session")
def past_tick(tmp_path_factory: pytest.TempPathFactory) -> Tick:
    """Wait until the file system's clock has moved on: a change made next is stamped later than every change made
    before. File times move by the kernel's ticks (4 ms here, a second on some file systems), so two changes a
    moment apart may share a time; a probe file is touched until its time moves. A fixed sleep guessed: 50 ms,
    where one tick does, and too short on a coarser clock."""
    probe = tmp_path_factory.mktemp("tick") / "probe"
    probe.touch()

    def wait() -> None:
        os.utime(probe)
        before = probe.stat().st_mtime_ns
        while True:
            time.sleep(0.001)
            os.utime(probe)
            if probe.stat().st_mtime_ns > before:
                return

    return wait


@pytest.fixture(scope="session", autouse=True)
def cards_drawn_once(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Each distinct share card drawn once per test run, not at every build that makes it (tests/support/cards.py):
    in this process and the ones it forks, and, through the environment, in the builds a test starts as scripts
    that call `draw_once_in_this_process`."""
    folder = run_folder(tmp_path_factory) / "cards-drawn"
    folder.mkdir(exist_ok=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(builder.cards, "render_card", drawn_once(builder.cards.render_card, folder))
        patch.setenv(FOLDER_VARIABLE, str(folder))
        yield


@pytest.fixture(scope="session", autouse=True)
def templates_compiled_once() -> Iterator[None]:
    """Each template compiled once per test process, whichever copy of the templates a build reads: Jinja's
    bytecode cache keys them by their path too, and most tests build a copy of their own (tests/support/templates.py).
    The builds a test starts as processes compile as the builder does."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Environment, "compile", compiled_once(Environment.compile))
        yield


# The modules that test the forked child of parallel.meanwhile itself, or a whole build with every child it forks.
MEANWHILE_FORKED = ("test_parallel.py", "test_golden.py")
_CPU_COUNT = os.cpu_count


@pytest.fixture(autouse=True)
def meanwhile_here(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """parallel.meanwhile's work done in the test's process, when it is asked for, as the builder does on one
    core, rather than by a forked child: each build in a test process forked two (the templates compiled ahead,
    the first share cards), which cost more CPU than the work they took over (docs/performance.md, The test suite,
    a fifth time). The forked child stays tested where it is the subject (MEANWHILE_FORKED), by every build a test
    starts as a process, and wherever a test sets the number of cores itself (os.cpu_count patched)."""
    if request.path.name in MEANWHILE_FORKED:
        return
    forked = parallel.meanwhile

    @contextlib.contextmanager
    def meanwhile(work: Callable[[Sequence[object]], list[object]], items: Sequence[object],
                  beside: int = 0) -> Iterator[Callable[[], list[object]]]:
        if os.cpu_count is not _CPU_COUNT:  # the test chose the cores: the builder's own choice
            with forked(work, items, beside) as done:
                yield done
            return
        yield parallel._once(lambda: work(items))  # as the builder does on one core

    monkeypatch.setattr(parallel, "meanwhile", meanwhile)


# The longest tests first. Under --dist worksteal (pyproject.toml), pytest-xdist gives the first worker the first
# half of the tests in the order collected and the second the other half; a worker left with one test takes half
# of what the other has not started, from its end. So the longest are started first (on the first worker, while
# the second works through the other half), and the run ends on the short tests where the two met, not on a long
# one. The rest keep their order, a module's tests together on one worker (its fixtures made once). Which they
# are: `pytest --durations=30`.
LONGEST_FIRST = (
    "tests/test_output_safety.py::test_a_build_killed_at_any_moment_leaves_public_one_whole_site",
    "tests/test_output_safety.py::test_two_builds_at_once_never_mix_or_crash",
    "tests/test_new_explainer.py::",  # a fresh virtual environment with the generator installed in it
    "tests/test_template_errors.py::test_damaged_templates_build_or_are_reported",
    "tests/test_fuzz.py::",
    "tests/test_disk_cache.py::test_after_random_edits_the_cached_build_equals_a_build_without_cache",
    "tests/browser/test_pages_browser.py::test_page_in_every_viewport_and_scheme",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        return next((n for n, prefix in enumerate(LONGEST_FIRST) if item.nodeid.startswith(prefix)),
                    len(LONGEST_FIRST))

    items.sort(key=rank)  # stable: within a rank, as collected


@pytest.hookimpl(tryfirst=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """An xdist worker ends its process here, without the interpreter's teardown nor pytest's own (its collector
    passes, which look for errors no worker reports once it has finished): its fixtures are torn down, its last
    result is sent (`workerfinished`, before this hook), and the controller waits for the process to end before
    it prints the run's time. Freeing what the worker built over the run (parsed pages, sites) took 2-7 s of that
    time (docs/performance.md, The test suite, a sixth time)."""
    if hasattr(config, "workerinput"):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
