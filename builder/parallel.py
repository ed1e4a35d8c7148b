"""The one place where work runs in several processes: a large site's sources are loaded and validated, and its
pages rendered, by forked workers that take a chunk of items at a time; a small site does the same in this process.
One forked child compiles the templates while the site is checked, and the share cards, few but each costly, are
drawn by another while a small site's pages are made (meanwhile).

The stages pass a function and its items (map_chunks) and do not know where it runs. The workers are forked at
each call, so they inherit everything this process holds (the model, the planner, the compiled templates) without
it being sent; only the items' results come back, pickled. A worker whose build is killed stops too; a worker
that is killed (the out-of-memory killer) stops the build with WorkerEnded, a message and no traceback, never a
wait: each worker alone writes to its pipe, whose end this process sees (not multiprocessing.Pool, which waits
forever for a dead worker's chunk, nor ProcessPoolExecutor, whose workers share one pipe that a worker killed
midway through a message leaves unfinished, and waited on, for good).
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from .errors import ContentError, ContentErrors

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 500  # items; below it, forking workers costs more than they save
CHUNK = 50  # items a worker takes at a time: small enough that the workers end about together
MAX_WORKERS = 8

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
    for: _ENDING). Without, each chunk is done as its results are read. A worker that dies (the out-of-memory
    killer) raises WorkerEnded when its results are due; one that raises sends its error, raised here.
    `before_fork` is called just before workers are forked, if they are: to make what they all need once.
    """
    chunks = [(start, min(start + CHUNK, len(items))) for start in range(0, len(items), CHUNK)]
    workers = worker_count(len(items))
    if not workers:
        yield (result for start, end in chunks for result in work(items[start:end]))
        return
    if before_fork is not None:
        before_fork()
    reap_workers()
    pool = _Workers(work, items, chunks, workers)
    try:
        yield pool.results()
    finally:
        pool.end()


class _Workers:
    """Forked workers that take the chunks' numbers from one pipe and send each chunk's results down a pipe of
    their own, read by a thread here. Nothing they share has a lock that a dead worker could hold, and a worker
    alone writes to its pipe: its death ends the pipe, which the thread sees, so no wait here outlasts it."""

    def __init__(self, work: Callable[[Sequence[Any]], list[Any]], items: Sequence[Any],
                 chunks: list[tuple[int, int]], count: int) -> None:
        import threading
        from multiprocessing.connection import Connection

        self.received: dict[int, tuple[bool, Any]] = {}
        self.count = self.due = len(chunks)  # due: results not yet received
        self.failure: BaseException | None = None
        self.lost: int | None = None  # the worker whose pipe ended before its last message
        self.reaped: dict[int, int] = {}  # by the block's thread, after the reader's last kill, never killed again
        self.finished = False  # the thread has stopped: no further result will come
        self.changed = threading.Condition()
        self.pids: list[int] = []
        self.pipes: dict[Any, int] = {}  # each worker's results, and its process id
        self.every_read = False
        self.reader: threading.Thread | None = None
        numbers, self.feed = os.pipe()
        self.unsent = [index.to_bytes(4, "little") for index in reversed(range(len(chunks)))]
        os.set_blocking(self.feed, False)
        # Ctrl-C and SIGTERM held off while the workers are forked and the thread started: an interruption between
        # a fork and its worker's record would leave a worker no one stops or reaps
        unmasked = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_OFF)
        parent = os.getpid()
        try:
            self._send_numbers()
            for _ in range(count):
                reading, writing = os.pipe()
                try:
                    pid = os.fork()
                except OSError as error:  # no memory or no process left for it: said as a worker's death is
                    os.close(reading)
                    os.close(writing)
                    raise WorkerEnded(f"could not be started ({error.strerror})") from None
                if pid == 0:
                    _serve(work, items, chunks, numbers, writing, [reading, self.feed, *self._fds()], unmasked,
                           parent)
                os.close(writing)
                self.pids.append(pid)
                self.pipes[Connection(reading, writable=False)] = pid
            reader = threading.Thread(target=self._read, name="map_chunks", daemon=True)
            reader.start()
            self.reader = reader  # only once started: end() joins it
        except BaseException:
            self.end()
            raise
        finally:
            os.close(numbers)
            signal.pthread_sigmask(signal.SIG_SETMASK, unmasked)

    def results(self) -> Iterator[Any]:
        """Each chunk's results in turn, as the thread receives them; a worker's error raised as its chunk's."""
        for index in range(self.count):
            with self.changed:
                while index not in self.received:
                    if self.finished:
                        if self.lost is not None:
                            raise WorkerEnded.from_status(self._reap(self.lost))
                        raise self.failure or RuntimeError("the workers ended before every chunk was done")
                    self.changed.wait()
                done, value = self.received.pop(index)
            if not done:
                error, trace = value
                error.__cause__ = _RemoteTraceback(trace)
                raise error
            yield from value
        self.every_read = True

    def end(self) -> None:
        """Every result read: the workers exit on their own, reaped later (_ENDING). Otherwise they are stopped
        and reaped now."""
        if not self.every_read:
            self._kill()
        if self.reader is not None:
            self.reader.join()  # it ends once every result is in, or every worker's pipe has ended
        for pipe in self.pipes:
            pipe.close()
        self.pipes = {}
        self._close_feed()
        if self.every_read:
            _ENDING.extend(self.pids)
        else:
            for pid in self.pids:
                self._reap(pid)
        self.pids = []

    def _reap(self, pid: int) -> int:
        if pid not in self.reaped:
            self.reaped[pid] = _wait(pid)
        return self.reaped[pid]

    def _fds(self) -> list[int]:
        return [pipe.fileno() for pipe in self.pipes]

    def _read(self) -> None:
        """The thread: each result as it comes, and the numbers not yet sent as the pipe for them has room."""
        import pickle
        from multiprocessing.connection import wait

        reading = dict(self.pipes)
        done: set[Any] = set()
        try:
            while reading and self.due:
                for pipe in wait(list(reading)):
                    try:
                        message = pipe.recv_bytes()
                    except (EOFError, OSError):  # the worker has ended, perhaps midway through a message
                        pid = reading.pop(pipe)
                        if pipe not in done:
                            self.lost = pid
                            self._kill()  # the others stop now, not when the results are next read
                            return
                        continue
                    if not message:  # the worker's last: every number taken
                        done.add(pipe)
                        continue
                    index, finished, value = pickle.loads(message)
                    with self.changed:
                        self.received[index] = finished, value
                        self.due -= 1
                        self.changed.notify()
                    self._send_numbers()
        except BaseException as error:
            self.failure = error
            self._kill()
        finally:
            with self.changed:
                self.finished = True
                self.changed.notify()

    def _send_numbers(self) -> None:
        """The chunks' numbers, as many as the pipe takes now: a write of up to PIPE_BUF bytes is whole or none, and
        fits once the workers have emptied the pipe, which they do before the last of their results comes in."""
        import select

        while self.unsent:
            batch = self.unsent[-(select.PIPE_BUF // 4):]
            try:
                os.write(self.feed, b"".join(reversed(batch)))
            except BlockingIOError:
                return
            except BrokenPipeError:  # every worker has ended: the thread sees their pipes end
                break
            del self.unsent[-len(batch):]
        self.unsent = []
        self._close_feed()  # a worker that finds no further number ends

    def _close_feed(self) -> None:
        if self.feed >= 0:
            os.close(self.feed)
            self.feed = -1

    def _kill(self) -> None:
        for pid in self.pids:
            if pid in self.reaped:  # its number may be another process's by now
                continue
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def _serve(work: Callable[[Sequence[Any]], list[Any]], items: Sequence[Any], chunks: list[tuple[int, int]],
           numbers: int, writing: int, others: list[int], unmasked: set[signal.Signals], parent: int) -> None:
    """A worker: each chunk whose number it reads, its results (or its error) sent as one message; then out,
    without running this process's exit handlers (signals are let through only inside the try: an interruption
    never runs the parent's code in this copy of it)."""
    import pickle
    import traceback
    from multiprocessing.connection import Connection

    code = 1
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, unmasked)
        for fd in others:
            with contextlib.suppress(OSError):
                os.close(fd)
        _start_worker(parent)
        results = Connection(writing, readable=False)
        while len(number := os.read(numbers, 4)) == 4:  # numbers are written 4 bytes at a time, and read so
            index = int.from_bytes(number, "little")
            start, end = chunks[index]
            try:
                message = pickle.dumps((index, True, work(items[start:end])))
            except Exception as error:  # a bug: raised where the results are read, with this traceback
                trace = traceback.format_exc()
                try:
                    message = pickle.dumps((index, False, (error, trace)))
                except Exception:
                    message = pickle.dumps((index, False, (RuntimeError(f"{type(error).__name__}: {error}"), trace)))
            results.send_bytes(message)
        code = 0
        with contextlib.suppress(OSError):  # every result read and the pipe closed: nothing to say
            results.send_bytes(b"")
    finally:
        os._exit(code)


class _RemoteTraceback(Exception):
    """A worker's traceback, shown as the cause of the error it raised."""

    def __str__(self) -> str:
        return f'\n"""\n{self.args[0]}"""'


class WorkerEnded(ContentErrors):
    """A worker died before it sent every result (the out-of-memory killer, a kill -9), or could not be started:
    the machine's state, not a bug, so said without a traceback; the build stops as any failed build does."""

    def __init__(self, what: str, *, memory: bool = True) -> None:
        self.message = f"a worker process {what}"
        self.hint = "nothing was written: the output and the build cache are as the last good build left them; " + (
            "free some memory (close other programs) and run it again" if memory else "run it again")
        super().__init__([ContentError("", 1, 1, self.message, self.hint)])

    @classmethod
    def from_status(cls, status: int) -> WorkerEnded:
        """For a worker that ended with this wait status."""
        killed = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        memory = killed == signal.SIGKILL  # what the out-of-memory killer sends
        how = (f"killed by signal {killed}, {_signal_name(killed)}" if killed is not None
               else f"exited with status {os.waitstatus_to_exitcode(status)}")
        why = ": perhaps the system ran out of memory" if memory else ""
        return cls(f"ended before its work was done ({how}{why})", memory=memory)

    def report(self) -> str:
        return f"error: {self.message}\n  hint: {self.hint}"


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return "unknown"


def _wait(pid: int) -> int:
    """The worker's exit status, once it has exited (a worker whose pipe ended is exiting, or is made to)."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)  # an exiting process keeps the status it exits with
    return os.waitpid(pid, 0)[1]


_HELD_OFF = {signal.SIGINT, signal.SIGTERM}  # while workers are forked (_Workers)


# The workers of maps whose every result was read: they exit by themselves while this process goes on (a page
# worker's exit frees hundreds of MB, which took a tenth of a second of the build's serial end when waited for).
# Reaped before the next fork and as the build ends, by then gone.
_ENDING: list[int] = []


def reap_workers() -> None:
    """Wait for the workers of the maps that ended (build.build_site does as it ends: their CPU time is then its
    process's, as a build's should be)."""
    while _ENDING:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(_ENDING[-1], 0)  # taken off once reaped: an interrupted wait is waited again
        _ENDING.pop()


def keep_from_workers(fd: int) -> None:
    """A descriptor that a forked worker closes at once: an output folder's lock (write.py), which a worker still
    alive for a moment after its build was killed would otherwise hold against the next build."""
    _PRIVATE.add(fd)


def give_to_workers(fd: int) -> None:
    """No longer kept from the workers: this process is closing it."""
    _PRIVATE.discard(fd)


_PRIVATE: set[int] = set()


def _start_worker(parent: int) -> None:
    """A worker of a build that is killed must not write on: the kernel kills it with its `parent` (Linux), and
    one whose parent was killed before it asked for that (between the fork and here) ends at once. It holds none
    of the descriptors kept from it (an flock stays with the other descriptors of its file)."""
    import ctypes

    for fd in _PRIVATE:
        with contextlib.suppress(OSError):
            os.close(fd)
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)


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
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: its results down the pipe, and out without running the parent's exit handlers
        code = 1
        try:
            os.close(reading)
            _start_worker(parent)
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


class Answers(list[Callable[[], R]]):
    """meanwhile_each's: a function for each result, which waits for it; start(number), which lets the child
    begin that work without waiting for it; and whether there is a child (`forked`), or each is made here."""

    def __init__(self, getters: Sequence[Callable[[], R]], start: Callable[[int], None], forked: bool) -> None:
        super().__init__(getters)
        self.start, self.forked = start, forked


@contextlib.contextmanager
def meanwhile_each(works: Sequence[Callable[[], R]]) -> Iterator[Answers[R]]:
    """Each of `works` run in turn by one forked child, when there are two cores, while the block goes on: the first
    at once, each other once the block starts it (start, or a call for its result), so that a work the block may
    not need takes no core from it. The block gets a function for each that waits for that result alone (each is
    sent, pickled, as soon as it is made). Should the child fail, a result it did not send is made here when asked
    for; the child is stopped with the block."""
    if _IN_PROCESS[0] or (os.cpu_count() or 1) < 2 or not works:
        yield Answers([_once(work) for work in works], lambda number: None, False)
        return
    import pickle

    reap_workers()
    reading, writing = os.pipe()
    go_reading, go_writing = os.pipe()  # a byte for each work the block starts after the first
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: each result down the pipe as it is made
        code = 1
        try:
            os.close(reading)
            os.close(go_writing)
            _start_worker(parent)
            with os.fdopen(writing, "wb") as pipe:
                for number, work in enumerate(works):
                    if number and not os.read(go_reading, 1):  # the block ended without starting it
                        break
                    pickle.dump(work(), pipe)
                    pipe.flush()
            code = 0
        finally:
            os._exit(code)
    os.close(writing)
    os.close(go_reading)
    pipe = os.fdopen(reading, "rb")
    sent: list[Any] = []
    ended = [False]  # the child sent all it will: a result not sent is made here
    started = [1]

    def start(number: int) -> None:
        if number >= started[0]:
            with contextlib.suppress(OSError):  # the child is gone: the result is made here when asked for
                os.write(go_writing, b"." * (number + 1 - started[0]))
            started[0] = number + 1

    def result(number: int) -> R:
        start(number)
        while len(sent) <= number and not ended[0]:
            try:
                sent.append(pickle.load(pipe))
            except Exception:  # the child ended (or was killed) before sending it
                ended[0] = True
        return sent[number] if number < len(sent) else works[number]()  # type: ignore[no-any-return]

    try:
        yield Answers([_once(functools.partial(result, number)) for number in range(len(works))], start, True)
    finally:
        pipe.close()
        os.close(go_writing)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _once(make: Callable[[], R]) -> Callable[[], R]:
    """make(), called the first time the function is, its results kept for the calls after."""
    kept: list[R] = []

    def get() -> R:
        if not kept:
            kept.append(make())
        return kept[0]

    return get
