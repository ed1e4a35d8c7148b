"""parallel.py: a large site is loaded, validated and rendered by forked workers; the model, every page and every
error must be what one process makes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

import builder.parallel as parallel
from builder.__main__ import main
from builder.build import build_site, check_site, publish
from builder.write import MARKER
from tests.conftest import REPO, copy_site, tree_digest
from tests.test_errors import CASES, build_case


@pytest.fixture(autouse=True)
def no_workers_left() -> Iterator[None]:
    """The workers of a test's maps reaped after it, as build_site does as it ends: a test that counts this
    process's children finds none of another test's."""
    parallel.reap_workers()
    yield
    parallel.reap_workers()


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Fork workers for even the smallest site, on two cores; count the items of each call that did."""
    calls: list[int] = []
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    monkeypatch.setattr(parallel, "CHUNK", 2)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    real = parallel.worker_count

    def counting(items: int) -> int:
        workers = real(items)
        if workers:
            calls.append(items)
        return workers

    monkeypatch.setattr(parallel, "worker_count", counting)
    return calls


def squares(items: Sequence[int]) -> list[int]:
    return [item * item for item in items]


def test_chunks_come_back_in_order_from_workers_or_from_here(forking: list[int]) -> None:
    with parallel.map_chunks(squares, range(7)) as results:
        assert list(results) == [0, 1, 4, 9, 16, 25, 36]
    assert forking == [7]
    with parallel.one_process(), parallel.map_chunks(squares, range(7)) as results:
        assert list(results) == [0, 1, 4, 9, 16, 25, 36]
    assert forking == [7], "a warm builder's build stays in its process"


def test_a_small_site_or_one_core_stays_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    assert parallel.worker_count(parallel.PARALLEL_FROM - 1) == 0
    assert parallel.worker_count(parallel.PARALLEL_FROM) == 2
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 1)
    assert parallel.worker_count(10**6) == 0


def test_what_workers_share_is_made_before_they_fork_and_only_then(forking: list[int]) -> None:
    made: list[int] = []
    with parallel.map_chunks(squares, range(7), lambda: made.append(len(forking))) as results:
        assert list(results) == [0, 1, 4, 9, 16, 25, 36]
    assert made == [1], "once, as the workers were about to fork"
    with parallel.one_process(), parallel.map_chunks(squares, range(7), lambda: made.append(0)) as results:
        assert list(results) == [0, 1, 4, 9, 16, 25, 36]
    assert made == [1], "not for a build in this process"


def test_the_shipped_site_is_the_same_model_either_way(forking: list[int]) -> None:
    with parallel.one_process():
        serial = check_site(REPO)
    assert forking == []
    assert check_site(REPO) == serial
    assert forking == [len(serial.sources)]


def test_a_claim_id_defined_in_two_chunks_is_reported_once(tmp_path: Path, forking: list[int],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    site = copy_site(tmp_path / "site", base=REPO / "tests/fixtures/mini")  # two claims files
    claims = sorted((site / "content/claims").glob("*.yaml"))

    def first_id(path: Path) -> str:
        return next(line.split(":", 1)[1].strip() for line in path.read_text().splitlines()
                    if line.lstrip("- ").startswith("id:"))

    reused, replaced = first_id(claims[0]), first_id(claims[-1])
    claims[-1].write_text(claims[-1].read_text().replace(f"id: {replaced}", f"id: {reused}", 1))
    assert main(["--root", str(site), "check"]) == 1
    err = capsys.readouterr().err
    assert forking, "the workers ran"
    assert err.count("is defined twice") == 1
    assert err.startswith(f"content/claims/{claims[-1].name}:") and f"claim '{reused}' is defined twice" in err
    assert f"first defined at content/claims/{claims[0].name}:" in err


def test_workers_make_the_pages_one_process_would(tmp_path: Path, forking: list[int]) -> None:
    with parallel.one_process():
        publish(check_site(REPO), REPO / "templates", tmp_path / "serial")
    before = children()
    assert build_site(REPO, tmp_path / "forked") == sum(p.is_file() and p.name != MARKER
                                                        for p in (tmp_path / "serial").rglob("*"))
    assert len(forking) == 2, "the sources were checked, and the pages made, in workers"
    assert not children() - before, "every worker reaped as the build ends (its CPU time is the build's)"
    assert tree_digest(tmp_path / "forked") == tree_digest(tmp_path / "serial")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["forked", "serial"], "no staging folder left behind"


def test_a_template_error_is_reported_the_same_by_workers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    site = copy_site(tmp_path / "site")
    source_html = site / "templates/source.html"
    source_html.write_text(source_html.read_text().replace("{% block content %}",
                                                           "{% block content %}{{ page.no_such_field }}"))
    assert main(["--root", str(site), "build"]) == 1
    serial = capsys.readouterr().err
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    assert main(["--root", str(site), "build"]) == 1
    assert capsys.readouterr().err == serial and "templates/source.html" in serial
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"] and not (site / "public").exists()


def test_a_bug_in_a_worker_is_raised_with_its_traceback_and_nothing_is_written(
        tmp_path: Path, forking: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    import builder.render

    def broken(self: object, jobs: object) -> None:
        raise ZeroDivisionError("a bug in the page worker")

    monkeypatch.setattr(builder.render.Renderer, "render", broken)  # the forked workers inherit it
    with pytest.raises(ZeroDivisionError, match="a bug in the page worker") as raised:
        build_site(REPO, tmp_path / "out")
    assert "a bug in the page worker" in str(raised.value.__cause__), "the worker's traceback"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_bad_site_is_reported_the_same_by_workers(case: Path, tmp_path: Path, forking: list[int],
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    site = build_case(case, tmp_path)
    assert main(["--root", str(site), "build"]) == 1
    assert capsys.readouterr().err == (case / "expected.txt").read_text()


def pids(items: Sequence[int]) -> list[tuple[int, int]]:
    return [(item, os.getpid()) for item in items]


def test_meanwhile_a_child_does_the_work_while_the_block_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    with parallel.meanwhile(pids, [3, 4, 5]) as done:
        here = pids([1, 2])
        theirs = done()
        assert done() is theirs, "read once"
    assert [item for item, _ in theirs] == [3, 4, 5]
    assert len({pid for _, pid in theirs} - {os.getpid()}) == 1, "one forked child"
    assert {pid for _, pid in here} == {os.getpid()}
    with parallel.one_process(), parallel.meanwhile(pids, [1]) as done:
        assert {pid for _, pid in done()} == {os.getpid()}


def test_meanwhile_beside_a_map_with_workers_the_work_is_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """The map's workers use the cores: a further child would only add its memory."""
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    before = children()
    with parallel.meanwhile(pids, [3, 4], beside=parallel.PARALLEL_FROM) as done:
        assert children() == before, "no child forked"
        assert {pid for _, pid in done()} == {os.getpid()}
    with parallel.meanwhile(pids, [3, 4], beside=parallel.PARALLEL_FROM - 1) as done:
        assert {pid for _, pid in done()} != {os.getpid()}, "a map without workers: the child does it"


def failing_there(items: Sequence[int]) -> list[int]:
    if 3 in items and os.getpid() != PARENT[0]:
        os._exit(3)  # the child dies without a word
    if 5 in items and os.getpid() != PARENT[0]:
        os.kill(os.getpid(), signal.SIGKILL)  # killed, as by the out-of-memory killer
    if 4 in items:
        raise ValueError("item 4")
    return list(items)


PARENT = [0]


def test_meanwhile_a_failed_child_is_done_again_here_so_its_error_is_raised_here(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    PARENT[0] = os.getpid()
    with parallel.meanwhile(failing_there, [3]) as done:
        assert done() == [3], "the child died: done here"
    with parallel.meanwhile(failing_there, [5]) as done:
        assert done() == [5], "the child was killed: done here"
    with pytest.raises(ValueError, match="item 4"), parallel.meanwhile(failing_there, [4]) as done:
        done()


def test_meanwhile_a_child_not_waited_for_is_stopped_with_the_block(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    before = children()
    with pytest.raises(RuntimeError, match="the build failed"), parallel.meanwhile(slow, [1] * 100_000):
        assert len(children() - before) == 1
        raise RuntimeError("the build failed")
    assert children() == before, "stopped and reaped, not left running or a zombie"


KILLED_IN_A_MAP = r"""
import json, os, signal, sys, time
import builder.parallel as parallel
parallel.PARALLEL_FROM, parallel.CHUNK = 1, 2
parallel.os.cpu_count = lambda: 2
parent = os.getpid()

def killed_for_13(items):
    if 13 in items and os.getpid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer does, midway through the map
    time.sleep(0.01)
    return [item * item for item in items]

def children():
    found = set()
    for task in os.listdir("/proc/self/task"):
        try:
            found |= set(open(f"/proc/self/task/{task}/children").read().split())
        except FileNotFoundError:
            continue
    return sorted(found)

def killed_sending_for_5(items):
    if 5 in items and os.getpid() != parent:  # killed midway through sending its results: part of them sent
        import multiprocessing.connection as connection
        real = connection.Connection._send
        def send(self, data, write=os.write):
            if len(data) > 100_000:
                write(self._handle, bytes(data[:50_000]))
                os.kill(os.getpid(), signal.SIGKILL)
            real(self, data)
        connection.Connection._send = send
        return [b"x" * 1_000_000]
    return list(items)

def exits_for_3(items):
    if 3 in items:
        os._exit(3)
    return list(items)

def ended(work, count):
    try:
        with parallel.map_chunks(work, range(count)) as results:
            list(results)
    except parallel.WorkerEnded as error:
        return error.report()

started = time.monotonic()
killed = ended(killed_for_13, 40)
took, left = time.monotonic() - started, children()
exited = ended(exits_for_3, 8)
midway = ended(killed_sending_for_5, 20)
left_after = children()
with parallel.map_chunks(killed_for_13, range(12)) as results:
    again = list(results)
print(json.dumps({"killed": killed, "took": took, "left": left, "exited": exited, "midway": midway,
                  "left_after": left_after, "again": again}))
"""


def run_script(script: str, *args: str) -> Any:
    """What a script run in a Python process of its own printed, as JSON: a hang there fails after a minute."""
    done = subprocess.run([sys.executable, "-c", script, *args], cwd=REPO, capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_killed_worker_ends_the_map_with_a_clear_error_and_no_worker_left() -> None:
    """Pool.imap waited forever for a killed worker's chunk: run in a process of its own, so that a hang is a
    failure after a minute, not a suite that never ends."""
    found = run_script(KILLED_IN_A_MAP)
    assert found["killed"] == (
        "error: a worker process ended before its work was done (killed by signal 9, SIGKILL: perhaps the system "
        "ran out of memory)\n  hint: nothing was written: the output and the build cache are as the last good "
        "build left them; free some memory (close other programs) and run it again")
    assert found["took"] < 20, "promptly"
    assert found["left"] == [], "the other worker stopped and every worker reaped"
    assert found["exited"].startswith(
        "error: a worker process ended before its work was done (exited with status 3)\n  hint: ")
    assert found["midway"] == found["killed"], "its pipe's end seen, not waited past (ProcessPoolExecutor was)"
    assert found["left_after"] == []
    assert found["again"] == [item * item for item in range(12)], "the next map works"


SETUP_FAILS = r"""
import json, os, sys, threading
import builder.parallel as parallel
parallel.PARALLEL_FROM, parallel.CHUNK = 1, 2
parallel.os.cpu_count = lambda: 2

def children():
    return sorted(open(f"/proc/self/task/{os.getpid()}/children").read().split())

def descriptors():
    return len(os.listdir("/proc/self/fd"))

def mapped(count=8):
    with parallel.map_chunks(lambda items: list(items), range(count)) as results:
        return list(results)

before = descriptors()
real_fork, forks = os.fork, []
def second_fork_fails():
    forks.append(1)
    if len(forks) == 2:
        raise OSError(11, "Resource temporarily unavailable")
    return real_fork()
os.fork = second_fork_fails
try:
    mapped()
except parallel.WorkerEnded as error:
    fork_failed = error.report()
os.fork = real_fork
after_fork = (children(), descriptors() - before)

real_start = threading.Thread.start
def interrupted(self):
    raise KeyboardInterrupt
threading.Thread.start = interrupted
try:
    mapped()
except BaseException as error:
    stopped = type(error).__name__
threading.Thread.start = real_start
print(json.dumps({"fork_failed": fork_failed, "after_fork": after_fork, "stopped": stopped,
                  "after_stop": (children(), descriptors() - before), "again": mapped()}))
"""


def test_a_worker_that_cannot_be_started_or_a_stop_while_they_start_leaves_no_worker_and_no_descriptor() -> None:
    """A fork refused (no memory or process left) is said as a worker's death is, not as a traceback; a Ctrl-C as
    the workers start is the Ctrl-C, not an error of the cleanup; either way the workers forked are stopped and
    reaped and their pipes closed."""
    found = run_script(SETUP_FAILS)
    assert found["fork_failed"] == (
        "error: a worker process could not be started (Resource temporarily unavailable)\n  hint: nothing was "
        "written: the output and the build cache are as the last good build left them; free some memory (close "
        "other programs) and run it again")
    assert found["after_fork"] == [[], 0]
    assert found["stopped"] == "KeyboardInterrupt"
    assert found["after_stop"] == [[], 0]
    assert found["again"] == list(range(8))


# `python -m builder` with its sources checked, or its pages rendered, by forked workers as at 500 sources, one of
# which kills itself (as the out-of-memory killer would) in the stage named: argv[1] is a file that says it did.
KILLING_BUILD = r"""
import os, signal, sys
import builder.build, builder.parallel as parallel, builder.render
from tests.support.cards import draw_once_in_this_process
parallel.PARALLEL_FROM, parallel.CHUNK = 1, 2
parallel.os.cpu_count = lambda: 2
draw_once_in_this_process()
flag, stage, parent = sys.argv[1], sys.argv[2], os.getpid()

def killing(real):
    def killed_once(*args, **kwargs):
        if os.getpid() != parent:
            try:
                os.close(os.open(flag, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                pass
            else:
                os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return killed_once

if stage == "render":
    builder.render.Renderer.render = killing(builder.render.Renderer.render)
elif stage == "check":
    builder.build.check_units = killing(builder.build.check_units)
sys.argv[1:] = sys.argv[3:]
from builder.__main__ import run
run()
"""


def build_killing(site: Path, stage: str, flag: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", KILLING_BUILD, str(flag), stage, "--root", str(site), "build"],
                          cwd=REPO, capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, PYTHONPATH=str(REPO)))


@pytest.mark.parametrize("stage", ["check", "render"])
def test_a_build_whose_worker_is_killed_stops_with_a_clear_error_and_keeps_the_last_good_site(
        tmp_path: Path, stage: str) -> None:
    """It waited forever (Pool.imap); bounded by the subprocess's timeout."""
    from tests.test_output_safety import beside, retitle

    site = copy_site(tmp_path / "site", base=REPO / "tests/fixtures/mini")
    first = build_killing(site, "none", tmp_path / "unused")
    assert first.returncode == 0, first.stderr
    public, cache = tree_digest(site / "public"), tree_digest(site / ".cache")
    retitle(site, "Second edition")  # every page made again, and every source's downloads
    killed = build_killing(site, stage, tmp_path / "killed")
    assert (tmp_path / "killed").exists(), "a worker was killed"
    assert killed.returncode == 1
    assert killed.stderr == (
        "error: a worker process ended before its work was done (killed by signal 9, SIGKILL: perhaps the system "
        "ran out of memory)\n  hint: nothing was written: the output and the build cache are as the last good "
        "build left them; free some memory (close other programs) and run it again\n")
    assert tree_digest(site / "public") == public and beside(site) == [], "the last good site, whole; the lock free"
    assert tree_digest(site / ".cache") == cache, "the cache keeps nothing of the failed build"
    again = build_killing(site, "none", tmp_path / "unused")
    assert again.returncode == 0, again.stderr
    clean = subprocess.run([sys.executable, "-m", "builder", "--root", str(site), "build", "--no-cache", "--out",
                            str(tmp_path / "clean")], cwd=REPO, capture_output=True, text=True, timeout=120,
                           env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert clean.returncode == 0, clean.stderr
    assert tree_digest(site / "public") == tree_digest(tmp_path / "clean")


def test_workers_whose_every_result_was_read_exit_on_their_own_and_are_reaped_before_the_next_fork(
        forking: list[int]) -> None:
    """A build's serial end does not wait for its page workers' exit (hundreds of MB freed); a block left before
    its results were read stops and reaps its workers at once, as before."""
    before = children()
    with parallel.map_chunks(squares, range(7)) as results:
        assert list(results) == [0, 1, 4, 9, 16, 25, 36]
    ended = children() - before
    assert len(ended) == 2, "not waited for"
    deadline = time.monotonic() + 30
    for pid in ended:
        while state(pid) != "Z":  # they exit by themselves: a zombie until the next fork reaps it
            assert time.monotonic() < deadline, f"worker {pid} did not exit"
            time.sleep(0.01)
    with parallel.map_chunks(squares, range(7)) as results:
        assert not ended & children(), "reaped before the next workers were forked"
        assert len(children() - before) == 2
        assert list(results)[:2] == [0, 1]
    with pytest.raises(RuntimeError, match="the build failed"), parallel.map_chunks(squares, range(7)):
        assert len(children() - before) == 2
        raise RuntimeError("the build failed")
    assert not children() - before, "stopped and reaped with the block, not left running or a zombie"


def state(pid: str) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


def children() -> set[str]:
    found = set()
    for task in Path("/proc/self/task").iterdir():
        try:  # a pool's thread may end meanwhile
            found |= set((task / "children").read_text().split())
        except FileNotFoundError:
            continue
    return found


def slow(items: Sequence[int]) -> list[int]:
    import time

    time.sleep(30)
    return list(items)


def still_open(fds: Sequence[int]) -> list[bool]:
    found = []
    for fd in fds:
        try:
            os.fstat(fd)
        except OSError:
            found.append(False)
        else:
            found.append(True)
    return found


def test_a_forked_worker_holds_no_descriptor_kept_from_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An output folder's lock: a worker alive a moment after its build was killed must not hold it."""
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    kept, other = (os.open(tmp_path / name, os.O_RDWR | os.O_CREAT) for name in ("lock", "other"))
    parallel.keep_from_workers(kept)
    try:
        with parallel.meanwhile(still_open, [kept, other]) as done:
            assert done() == [False, True]
        assert still_open([kept, other]) == [True, True], "this process keeps it"
    finally:
        parallel.give_to_workers(kept)
        os.close(kept)
        os.close(other)


ORPHANED_BEFORE_START = r"""
import json, os, sys, time
from builder import parallel

marker = sys.argv[1]
ended, held = os.pipe()  # the worker holds `held` until it ends: then `ended` reads as closed
middle = os.fork()
if middle == 0:  # a build: it forks a worker, and is killed before the worker has asked to die with it
    parent = os.getpid()
    if os.fork() == 0:
        time.sleep(0.3)
        parallel._start_worker(parent)
        open(marker, "w").close()
        os._exit(0)
    os._exit(0)
os.close(held)
os.waitpid(middle, 0)
assert os.read(ended, 1) == b""  # the worker has ended, however long it took (it is not this process's to wait for)
print(json.dumps({"wrote_on": os.path.exists(marker)}))
"""


def test_a_worker_whose_build_was_killed_before_it_started_writes_nothing(tmp_path: Path) -> None:
    """The kernel kills a worker with its build only once the worker has asked for it: one whose build died
    between the fork and that request ends at once rather than working on, unseen, into the build's folder."""
    assert run_script(ORPHANED_BEFORE_START, str(tmp_path / "wrote-on")) == {"wrote_on": False}


def test_meanwhile_each_sends_each_result_as_it_is_made_and_makes_here_what_the_child_did_not_send(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """One child makes the works in turn, each result read as soon as it is asked for; a work that fails in the
    child is made again here when asked for, where its error is raised."""
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    here: list[int] = []

    def fail() -> int:
        here.append(os.getpid())
        raise ValueError("made here")

    with parallel.meanwhile_each([os.getpid, fail]) as found:
        assert found[0]() != os.getpid()  # the child's
        with pytest.raises(ValueError, match="made here"):
            found[1]()
        assert here == [os.getpid()]


def test_meanwhile_each_starts_a_work_after_the_first_only_when_asked_and_stops_the_child_with_the_block(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A work after the first begins only once the block starts it (or asks for its result): one the block never
    starts is never run; one started and not asked for is not waited for, the child being stopped with the block."""
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    mark = tmp_path / "ran"

    def second() -> int:
        mark.write_text("ran")
        time.sleep(60)
        return 0

    with parallel.meanwhile_each([os.getpid, second]) as found:
        assert found[0]() != os.getpid()
        time.sleep(0.2)
        assert not mark.exists()  # not started
    with parallel.meanwhile_each([os.getpid, second]) as found:
        found.start(1)
        deadline = time.monotonic() + 30
        while not mark.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert mark.exists()  # started, and sleeping
        started = time.monotonic()
    assert time.monotonic() - started < 10
