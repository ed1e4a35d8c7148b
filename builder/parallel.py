"""The one place where work runs in several processes: a large site's sources are loaded and validated, and its
pages rendered, by forked workers that take a chunk of items at a time; a small site does the same in this process.
One forked child compiles the templates while the site is checked, and the share cards, few but each costly, are
drawn by another while a small site's pages are made (meanwhile).

The stages pass a function and its items (map_chunks) and do not know where it runs. The workers are forked at
each call, so they inherit everything this process holds (the model, the planner, the compiled templates) without
it being sent; only the items' results come back, pickled. A worker whose build is killed stops too.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 500  # items; below it, forking workers costs more than they save
CHUNK = 50  # items a worker takes at a time: small enough that the workers end about together
MAX_WORKERS = 8

# What the workers run, set before they are forked: the function and its items (inherited, never sent).
_WORK: tuple[Callable[[Sequence[Any]], list[Any]], Sequence[Any]] | None = None
_IN_PROCESS = [False]  # set by one_process()


@contextlib.contextmanager
def one_process() -> Iterator[None]:
    """Everything in this process while the block runs: a warm builder keeps what it learns here (cache.py)."""
    was, _IN_PROCESS[0] = _IN_PROCESS[0], True
    try:
        yield
    finally:
        _IN_PROCESS[0] = was


def worker_count(items: int) -> int:
    """How many workers `items` items are worth: 0 for this process alone."""
    cores = min(os.cpu_count() or 1, MAX_WORKERS)
    return 0 if _IN_PROCESS[0] or cores < 2 or items < PARALLEL_FROM else cores


@contextlib.contextmanager
def map_chunks(work: Callable[[Sequence[T]], list[R]], items: Sequence[T],
               before_fork: Callable[[], None] | None = None) -> Iterator[Iterator[R]]:
    """work(chunk) for consecutive chunks of `items`: the results, in the items' order.

    With workers, the chunks are under way as the block starts, and the caller may do other work before it reads
    the results; the workers end with the block (once every result is read, they exit on their own, not waited
    for: _ENDING). Without, each chunk is done as its results are read.
    `before_fork` is called just before workers are forked, if they are: to make what they all need once.
    """
    chunks = [(start, min(start + CHUNK, len(items))) for start in range(0, len(items), CHUNK)]
    workers = worker_count(len(items))
    if not workers:
        yield (result for start, end in chunks for result in work(items[start:end]))
        return
    import multiprocessing  # here: a small site never forks, and need not import it

    if before_fork is not None:
        before_fork()
    global _WORK
    _WORK = (work, items)
    try:
        reap_workers()
        pool = multiprocessing.get_context("fork").Pool(workers, _start_worker)
    finally:
        _WORK = None  # the workers have their copy
    pending = pool.imap(_run_chunk, chunks)  # under way now, read in order
    every_chunk_read = False

    def results() -> Iterator[Any]:
        nonlocal every_chunk_read
        for chunk in pending:
            yield from chunk
        every_chunk_read = True

    try:
        yield results()
    finally:
        if every_chunk_read:  # every chunk done: the workers exit on their own, not waited for (see _ENDING)
            pool.close()
            _ENDING.append(pool)
        else:
            pool.terminate()


# Pools whose every chunk was done, closed: their workers exit by themselves while this process goes on (a page
# worker's exit frees hundreds of MB, which took a tenth of a second of the build's serial end when waited for).
# Joined before the next fork and as the build ends, by then gone: a fork must not copy their pools' threads midway.
_ENDING: list[Any] = []


def reap_workers() -> None:
    """Wait for the workers of the maps that ended (build.build_site does as it ends: their CPU time is then its
    process's, as a build's should be)."""
    while _ENDING:
        _ENDING[-1].join()  # taken off once joined: an interrupted join is joined again
        _ENDING.pop()


def keep_from_workers(fd: int) -> None:
    """A descriptor that a forked worker closes at once: an output folder's lock (write.py), which a worker still
    alive for a moment after its build was killed would otherwise hold against the next build."""
    _PRIVATE.add(fd)


def give_to_workers(fd: int) -> None:
    """No longer kept from the workers: this process is closing it."""
    _PRIVATE.discard(fd)


_PRIVATE: set[int] = set()


def _start_worker() -> None:
    """A worker of a build that is killed must not write on: the kernel kills it with its parent (Linux). It
    holds none of the descriptors kept from it (an flock stays with the other descriptors of its file)."""
    import ctypes

    for fd in _PRIVATE:
        with contextlib.suppress(OSError):
            os.close(fd)
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _run_chunk(bounds: tuple[int, int]) -> list[Any]:
    assert _WORK is not None, "set before the workers were forked"
    work, items = _WORK
    return work(items[bounds[0]:bounds[1]])


@contextlib.contextmanager
def meanwhile(work: Callable[[Sequence[T]], list[R]], items: Sequence[T], beside: int = 0
              ) -> Iterator[Callable[[], list[R]]]:
    """work(items) started now by a forked child, when there are two cores, while the block goes on; the block
    gets a function that waits for the results (pickled through a pipe). Lighter than a pool (no import, no
    threads) for a few costly items. Should the child fail, the items are done here when asked for, so that an
    error is raised here, as without a child; a child whose results were not asked for is stopped with the block.

    `beside`: how many items the block maps (map_chunks). If those have workers, they keep the cores busy and a
    further process would only add its memory (a hundred MB at 10,000 pages): the work is done here, when asked for.
    """
    if _IN_PROCESS[0] or (os.cpu_count() or 1) < 2 or not items or beside >= PARALLEL_FROM:  # as worker_count
        yield _once(lambda: work(items))
        return
    import pickle

    reap_workers()
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its results down the pipe, and out without running the parent's exit handlers
        code = 1
        try:
            os.close(reading)
            _start_worker()
            with os.fdopen(writing, "wb") as pipe:
                pipe.write(pickle.dumps(work(items)))
            code = 0
        finally:
            os._exit(code)
    os.close(writing)
    pipe = os.fdopen(reading, "rb")
    waited: list[int] = []

    def results() -> list[R]:
        data = pipe.read()
        waited.append(os.waitpid(pid, 0)[1])
        return pickle.loads(data) if waited[0] == 0 else work(items)  # type: ignore[no-any-return]

    try:
        yield _once(results)
    finally:
        pipe.close()
        if not waited:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _once(make: Callable[[], list[R]]) -> Callable[[], list[R]]:
    """make(), called the first time the function is, its results kept for the calls after."""
    kept: list[list[R]] = []

    def get() -> list[R]:
        if not kept:
            kept.append(make())
        return kept[0]

    return get
