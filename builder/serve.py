"""The live-reload preview, which survives errors and shows them in the browser.

`python -m builder serve` builds into `.preview/` (never `public/`, never `content/`) with base_url set to
http://HOST:PORT/, serves that folder at the server's root, watches site.yaml, content/, templates/ and
builder/*.py, rebuilds, and tells every open page to reload.

Each open page says which page it is: after an edit to sources, claims or templates, the build worker first makes
and writes the open source and country pages alone (hot.py), and those pages reload at once; the whole site
follows once they have loaded again (on two cores, the whole build beside the browser slowed its reload), and a
page reloads again only if the whole build changed it.

It answers only requests addressed to its own names (127.0.0.1, localhost, [::1], the address it was asked to
listen on and, when that is every address, this machine's): a web page elsewhere whose name was pointed at
127.0.0.1 (DNS rebinding) can neither read the preview nor open its WebSocket. A client gets `header_timeout`
seconds to send its request's headers, and the error page may run nothing but the live-reload script.

From `livereload` come the WebSocket handler and the browser client. Not its Server: it polls every 800 ms,
drops a reload that follows another within 3 s (a quick second save would leave the page stale), runs watch
tasks on the event loop (a build would block every request) and has no error page. From `watchfiles` come the
kernel's change events (inotify): stat-ing every file of a 10,000-page site on each poll took longer than the
edit's whole rebuild of its open page.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import html
import ipaddress
import json
import mimetypes
import os
import queue
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import watchfiles
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import httpserver, netutil, web
from tornado.ioloop import IOLoop

from .errors import ContentError, ContentErrors, collecting_notes, printable
from .themes import THEME_DIR

BUILDER_DIR = Path(__file__).resolve().parent
# How long the watcher waits for more changes once one came: a save that writes several files is one build.
STEP_MS = 2
# How long a build waits after a watched file was seen empty: an editor saving in place empties the file, then
# writes it, and on a busy machine the watcher can see the two apart. The build of the empty file would fail (or
# show a page without its claims), and the open page would wait for the whole build of the next one.
SETTLE_S = 0.25
EMPTY = hashlib.blake2b(b"").digest()
RELOAD = {"command": "reload", "path": "*", "liveCSS": False, "liveImg": False}
# Once connected, each page says which build it came from and which page it is (see ReloadSocket). The build is
# read from the script tag, so that the script's address stays the same and the browser keeps it in its cache.
# Once loaded, it says so too: the whole build waits for the pages made first to be loaded (see run_worker).
CLIENT_CHECK = b"""
(function () {
  var build = document.currentScript ? document.currentScript.getAttribute("data-build") : "";
  document.addEventListener("LiveReloadConnect", function () {
    var connector = window.LiveReload.connector;
    connector.sendCommand({command: "preview-build", build: build, page: location.pathname});
    function loaded() { connector.sendCommand({command: "preview-loaded"}); }
    if (document.readyState === "complete") loaded(); else window.addEventListener("load", loaded);
  });
})();
"""
# How long the worker waits, after writing the open pages made first, for the reloaded pages to be loaded before it
# builds the whole site: a page closed meanwhile never says so.
GO_WAIT = 0.5


@dataclass(frozen=True)
class BuildResult:
    """What one build produced: a file count, or content errors, or a bug's traceback."""

    count: int = 0
    errors: tuple[ContentError, ...] = ()
    bug: str = ""
    seconds: float = 0.0
    kept_hot: frozenset[str] = field(default_factory=frozenset)  # pages made first that the build left as they were

    @property
    def ok(self) -> bool:
        return not self.errors and not self.bug

    def summary(self) -> str:
        if self.ok:
            return f"built {self.count} files in {self.seconds:.2f}s"
        if self.bug:  # the builder's traceback: its values can come from content too
            return "\n".join(printable(line) for line in self.bug.rstrip().splitlines())
        return ContentErrors(self.errors).report()


def run_worker(root: str, out_dir: str, base_url: str) -> None:
    """Build once per request read from stdin, a JSON line {"changed": [...], "open": [...]}; answer each with one
    JSON line on stdout, after a line {"hot": [...]} when the open pages were made first.

    After that line it waits for the server's {"go": true} (the reloaded pages are loaded), at most GO_WAIT
    seconds, before building the whole site: on two cores, a whole build beside the browser's reload slowed it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group; the server stops us
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")  # the answers get a descriptor of their own, and
    os.dup2(2, 1)  # whatever else writes to stdout (a print(), a C library) goes to stderr instead
    with contextlib.suppress(Exception):  # import the whole builder now, so that the first edit is fast too
        from . import build, pages, render  # noqa: F401
    lines: queue.Queue[dict[str, Any] | None] = queue.Queue()  # read by a thread, so that a wait for "go" can time out

    def read() -> None:
        try:
            for line in sys.stdin:
                lines.put(json.loads(line))
        finally:
            lines.put(None)  # the end, or a line that is not ours: the worker stops, and the server sees it

    threading.Thread(target=read, daemon=True).start()
    builder = None  # one warm Builder for the worker's life: it re-reads only files whose stat changed
    while (request := lines.get()) is not None:
        if "go" in request:  # one that came after its wait ended
            continue
        started = time.perf_counter()

        def hot(pages: list[str], started: float = started) -> None:
            print(json.dumps({"hot": pages, "seconds": time.perf_counter() - started}), file=answers, flush=True)
            with contextlib.suppress(queue.Empty):
                if lines.get(timeout=GO_WAIT) is None:  # the server is gone: the build is pointless
                    sys.exit(0)

        try:
            from .build import Builder

            builder = builder or Builder(Path(root), Path(out_dir), base_url=base_url)
            with collecting_notes() as notes:  # what the edit leaves out, told where `serve` runs, as `build` does
                answer: dict = {"count": builder.build(request["changed"], request["open"], hot),
                                "kept_hot": builder.kept_hot}
            for found in sorted(notes):
                print(found, file=sys.stderr, flush=True)
        except ContentErrors as exc:
            answer = {"errors": [asdict(error) for error in exc.errors]}
        except Exception:
            answer = {"bug": traceback.format_exc()}
        answer["seconds"] = time.perf_counter() - started
        print(json.dumps(answer), file=answers, flush=True)


class BuildWorker:
    """A Python process that imports the builder once and then builds on request, until builder code changes.

    Why a process rather than importlib.reload: a fresh interpreter is the only sure way to run edited builder
    code (a reload leaves old classes reachable through every `from .x import y`). Between code changes it
    stays warm (imports, parsed content), and a crash or hang in it cannot stop the server.
    """

    def __init__(self, root: Path, out_dir: Path, base_url: str) -> None:
        self.command = [sys.executable, "-m", "builder.serve", str(root), str(out_dir), base_url]
        self._proc: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()
        self._sending = threading.Lock()

    def build(self, changed: list[str], open_pages: list[str],
              on_hot: Callable[[list[str], float], None] = lambda pages, seconds: None) -> BuildResult | None:
        """Build once; None if `stop()` interrupted it (the caller builds again, with the new code).

        `on_hot` is called (in this thread) with the open pages the worker made first, before the whole build,
        and the seconds that took.
        """
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._proc = subprocess.Popen(self.command, cwd=BUILDER_DIR.parent, stdin=subprocess.PIPE,
                                              stdout=subprocess.PIPE, text=True, encoding="utf-8")
            proc = self._proc
        assert proc.stdout is not None
        try:
            self._send(proc, {"changed": changed, "open": open_pages})
            while (line := proc.stdout.readline()) and "hot" in (answer := json.loads(line)):
                on_hot(answer["hot"], answer["seconds"])
        except (OSError, ValueError):
            line = ""
        if not line:
            return None if self._proc is not proc else BuildResult(
                bug=f"the build process exited with code {proc.wait()}; its traceback is in the terminal")
        errors = tuple(ContentError(**error) for error in answer.get("errors", ()))
        return BuildResult(answer.get("count", 0), errors, answer.get("bug", ""), answer["seconds"],
                           frozenset(answer.get("kept_hot", ())))

    def go(self) -> None:
        """Tell the worker to go on with the whole build: the pages it made first are loaded (run_worker)."""
        with self._lock:
            proc = self._proc
        if proc is not None:
            with contextlib.suppress(OSError, ValueError):  # gone, or stopped meanwhile
                self._send(proc, {"go": True})

    def _send(self, proc: subprocess.Popen[str], message: dict[str, Any]) -> None:
        """Write one line to the worker: a request from the build's thread, or "go" from the event loop's."""
        assert proc.stdin is not None
        with self._sending:
            proc.stdin.write(json.dumps(message) + "\n")
            proc.stdin.flush()

    def stop(self) -> None:
        with self._lock:
            proc, self._proc = self._proc, None
        if proc is not None:
            proc.kill()
            proc.wait()


class Watcher:
    """The watched files' hashes, kept current from the kernel's change events.

    Hashing the bytes means that a save which changes nothing rebuilds nothing, and that a file changed twice in
    one clock tick is still seen changed (its mtime and size could be the same).
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        # The theme too (builder/theme/): the templates a site does not override are its.
        self.trees = [folder for folder in (root / "content", root / "templates", THEME_DIR) if folder.is_dir()]
        self.files = {str(root / "site.yaml")}
        self.code = str(BUILDER_DIR)

    def watched(self, path: str) -> bool:
        return path in self.files or (is_code(path) and path.endswith(".py")) or any(
            path.startswith(str(folder) + os.sep) for folder in self.trees)

    def scan(self) -> dict[str, bytes]:
        paths = [os.path.join(parent, name) for folder in self.trees for parent, _, names in os.walk(folder)
                 for name in names]
        paths += [*self.files, *(os.path.join(self.code, name) for name in os.listdir(self.code))]
        prints: dict[str, bytes] = {}
        self.update(prints, [path for path in paths if self.watched(path)])
        return prints

    @staticmethod
    def update(prints: dict[str, bytes], paths: Iterable[str]) -> None:
        """Hash each regular file; a link is known by where it leads and that file's stat, never read (it may lead
        out of the project, which the build reports)."""
        for path in paths:
            try:
                if os.path.islink(path):
                    info = os.stat(path)
                    prints[path] = f"{os.readlink(path)}\0{info.st_ino}:{info.st_size}:{info.st_mtime_ns}".encode()
                    continue
                if stat.S_ISREG(os.lstat(path).st_mode):
                    prints[path] = hashlib.blake2b(Path(path).read_bytes()).digest()
                    continue
            except OSError:
                pass  # deleted (or renamed away) since the event
            prints.pop(path, None)

    async def changes(self, stop: asyncio.Event, report: Callable[[set[str]], None]) -> None:
        """Report each batch of changed paths until `stop` is set: the trees, and the root's and the builder's
        own files (watched without their subfolders, which hold .preview/, public/ and caches)."""

        async def watch(paths: list[Path | str], recursive: bool) -> None:
            async for batch in watchfiles.awatch(*paths, watch_filter=lambda _, path: self.watched(path),
                                                 step=STEP_MS, stop_event=stop, recursive=recursive):
                report({path for _, path in batch})

        await asyncio.gather(watch([*self.trees], True) if self.trees else asyncio.sleep(0),
                             watch([self.root, self.code], False))


def is_code(path: str) -> bool:
    return os.path.dirname(path) == str(BUILDER_DIR)


def out_path_of(url_path: str) -> str:
    """The output file a page's URL path is served from: '/countries/pl/' is 'countries/pl/index.html'."""
    from .urls import out_path_for

    return out_path_for(url_path.lstrip("/"))


class Preview:
    """What was last built and what it gave; a build whenever a watched file changes."""

    def __init__(self, root: Path, base_url: str, hosts: frozenset[str], verbose: bool = False) -> None:
        self.verbose = verbose  # print each page a browser opens
        self.root, self.folder, self.port = root, root / ".preview", urlsplit(base_url).port
        self.url, self.hosts = base_url, hosts  # the Host headers it answers (own_hosts)
        self.watcher = Watcher(root)
        self.worker = BuildWorker(root, self.folder, base_url)
        self.current = self.watcher.scan()  # each watched file's hash
        self.built = dict(self.current)  # as the last build (or the running one) began with; the first begins now
        self.dirty: set[str] = set()  # the paths whose hash is not as the last build began with
        self.building, self.result, self.build_id = False, BuildResult(), ""
        self.hot_id = ""  # the id given to the pages last made first
        self.reloading: set[str] = set()  # the pages made first, told to reload and not yet loaded again
        self.server_id = f"{time.time_ns():x}"  # new for each run of the server
        self.hold = 0.0  # no build starts before this time (time.monotonic()): a file was seen emptied

    def rescan(self) -> None:
        """Hash every watched file again: what changed before the watcher was ready."""
        self.current = self.watcher.scan()
        self.dirty = {path for path in self.current.keys() | self.built.keys()
                      if self.current.get(path) != self.built.get(path)}

    def changed(self, paths: set[str]) -> None:
        """Take a batch of changed paths from the watcher (on the event loop); its work is the batch's, not the
        site's, as each batch is on the way from a save to the reloaded page."""
        self.watcher.update(self.current, paths)
        for path in paths:
            if self.current.get(path) != self.built.get(path):
                self.dirty.add(path)
            else:
                self.dirty.discard(path)
        if self.building and any(is_code(path) for path in self.dirty):
            self.worker.stop()  # its answer would come from the old code; finish() builds again
        self.hold = 0.0
        if any(self.current.get(path) == EMPTY for path in self.dirty):  # most likely half-saved, this batch or before
            hold = self.hold = time.monotonic() + SETTLE_S
            IOLoop.current().call_later(SETTLE_S, self.release, hold)  # its next change starts the build sooner
        self.start()

    def release(self, hold: float) -> None:
        """The hold on builds is over, unless a later batch set another."""
        if self.hold == hold:
            self.hold = 0.0
            self.start()

    def start(self) -> None:
        """Start a build if a watched file differs from what the last build began with, and none is running nor
        held back (a file seen emptied)."""
        if self.building or not self.dirty or time.monotonic() < self.hold:
            return
        if any(is_code(path) for path in self.dirty):
            self.worker.stop()
            for pyc in (BUILDER_DIR / "__pycache__").glob("*.pyc"):
                pyc.unlink(missing_ok=True)  # their mtime check has one-second steps: a quick edit could hide
        changed = sorted(os.path.relpath(path, self.root).replace(os.sep, "/") for path in self.dirty)
        for path in self.dirty:
            if path in self.current:
                self.built[path] = self.current[path]
            else:
                self.built.pop(path, None)
        self.dirty.clear()
        self.reloading = set()
        open_pages = sorted({waiter.page for waiter in LiveReloadHandler.waiters if waiter.page})
        self.building = True
        loop = IOLoop.current()

        def on_hot(pages: list[str], seconds: float) -> None:  # in the executor's thread
            loop.add_callback(self.publish_hot, frozenset(pages), seconds)

        loop.add_future(loop.run_in_executor(None, self.worker.build, changed, open_pages, on_hot), self.finish)

    def publish_hot(self, pages: frozenset[str], seconds: float) -> None:
        """Reload the pages the worker made first; pages served from now on say they came from this step.

        Not while the last build failed: every page shows its errors until a whole build succeeds. The worker
        goes on with the whole build once every page told to reload has loaded again (loaded())."""
        if not self.result.ok:
            self.worker.go()
            return
        self.hot_id = f"h{time.time_ns():x}"
        print(f"made first: {', '.join(sorted(pages))} in {seconds:.3f}s", flush=True)
        self.build_id = self.hot_id
        for waiter in list(LiveReloadHandler.waiters):
            if waiter.page in pages:
                waiter.send_message(RELOAD)
                self.reloading.add(waiter.page)
        if not self.reloading:
            self.worker.go()

    def loaded(self, build: str, page: str) -> None:
        """A page has loaded (its load event): if it was the last of the pages made first, the whole build goes on."""
        if self.reloading and build == self.hot_id and page in self.reloading:
            self.reloading.discard(page)
            if not self.reloading:
                self.worker.go()

    def finish(self, future: asyncio.Future) -> None:
        """Publish a finished build, unless it was interrupted; reload every open page it changed."""
        self.building = False
        result = future.result()
        if result is not None:
            hot_id = self.build_id if self.build_id == self.hot_id else ""
            self.publish(result)
            for waiter in list(LiveReloadHandler.waiters):
                if self.is_current(waiter.build, waiter.page, hot_id):
                    waiter.build = self.build_id
                else:
                    waiter.send_message(RELOAD)
        self.start()  # what changed while it ran

    def publish(self, result: BuildResult) -> None:
        self.result, self.build_id = result, f"b{time.time_ns():x}"
        print(result.summary(), flush=True)

    def is_current(self, build: str, page: str, hot_id: str = "") -> bool:
        """Whether a page served by build `build` shows the last build: it is that build, or a page made first
        by `hot_id` that the last build left as it was."""
        if build == self.build_id:
            return True
        return bool(hot_id) and build == hot_id and self.result.ok and page in self.result.kept_hot


def resolve_url_path(folder: Path, url_path: str) -> Path | None:
    """Map a decoded URL path to a path inside `folder`, or None if it would lead anywhere else.

    Why resolve(): it follows symlinks, so a link pointing out of the folder is refused just like '..'.
    """
    if "\\" in url_path or "\0" in url_path or url_path.startswith("/") or ".." in url_path.split("/"):
        return None
    try:
        base = folder.resolve()
        target = (base / url_path).resolve()
    except (OSError, RuntimeError):  # a symlink loop, a name too long
        return None
    return target if target == base or base in target.parents else None


ERROR_STYLE = ("body{font:16px/1.5 sans-serif;max-width:60rem;margin:2rem auto}li{margin-bottom:1rem}"
               "pre{white-space:pre-wrap}")
# The error page shows content (file names, values) and the builder's tracebacks: it may run the live-reload
# script and connect its WebSocket, and nothing else (its one style block is allowed by its hash).
ERROR_PAGE_CSP = ("default-src 'none'; style-src 'sha256-{style}'; script-src 'self'; connect-src 'self' ws://{host}; "
                  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'").replace(
    "{style}", base64.b64encode(hashlib.sha256(ERROR_STYLE.encode()).digest()).decode())


def _shown(text: str) -> str:
    return html.escape(printable(text))


def render_error_page(result: BuildResult) -> bytes:
    """The page served for every page URL while the build is broken; everything in it is escaped, control
    characters too (errors.printable)."""
    if result.bug:
        last_line = result.bug.strip().splitlines()[-1:] or [""]
        trace = "\n".join(printable(line) for line in result.bug.splitlines())
        body = (f"<h1>The build raised an exception</h1><p>A mistake in a template or in the builder:</p>"
                f"<p>{_shown(last_line[0])}</p><pre>{html.escape(trace)}</pre>")
    else:
        items = "".join(f'<li><code>{_shown(f"{e.src_path}:{e.line}:{e.column}")}</code> '
                        f"{_shown(e.message)}{'<br>hint: ' + _shown(e.hint) if e.hint else ''}</li>"
                        for e in result.errors)
        body = f"<h1>The site did not build: {len(result.errors)} error(s)</h1><ol>{items}</ol>"
    return ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Build failed</title>'
            f'<style>{ERROR_STYLE}</style></head><body><main id="preview-errors">{body}'
            "<p><em>This page comes back by itself once the files are fixed.</em></p></main></body></html>"
            ).encode()


class OwnHostsOnly(web.RequestHandler):
    """A handler that answers only requests addressed to one of the preview's own names (Preview.hosts)."""

    preview: Preview

    def prepare(self) -> None:
        if self.request.host.lower() not in self.preview.hosts:
            self.clear()
            self.set_status(421)  # Misdirected Request
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish("421 Misdirected Request: this preview answers only its own addresses, such as "
                        f"{self.preview.url}\n")


class PreviewHandler(OwnHostsOnly):
    """Serve `.preview/`, or the error page for every page URL while the build is broken."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")  # a reloaded page must never come from a cache

    def head(self, path: str) -> None:
        self.get(path)

    def get(self, path: str) -> None:
        folder, result = self.preview.folder, self.preview.result
        target = resolve_url_path(folder, path)
        if target is not None and os.path.isdir(target):  # os.path's tests answer False, never raise
            if path and not path.endswith("/"):
                return self.redirect(self.request.path + "/")  # so that the page's relative links work
            target = resolve_url_path(folder, path + "index.html")
        if target is None:
            raise web.HTTPError(403)
        if not result.ok and (target.suffix == ".html" or not os.path.isfile(target)):
            self.set_header("Content-Security-Policy", ERROR_PAGE_CSP.replace("{host}", self.request.host))
            return self.send(500, ".html", render_error_page(result))
        for status, file in ((200, target), (404, resolve_url_path(folder, "404.html"))):
            with contextlib.suppress(OSError):  # missing, or gone while a build swapped the folder in
                if file is not None:
                    return self.send(status, file.suffix, file.read_bytes())
        raise web.HTTPError(404)

    def send(self, status: int, suffix: str, body: bytes) -> None:
        """Send a file; an HTML page gets the livereload client, tagged with the build it came from."""
        kind = mimetypes.guess_type("file" + suffix)[0] or "application/octet-stream"
        if suffix == ".html":
            # Last and async: the page is parsed and painted without waiting for the script.
            at = body.rfind(b"</body>")
            at = len(body) if at < 0 else at
            script = (f'<script async src="/livereload.js?port={self.preview.port}&amp;v={self.preview.server_id}" '
                      f'data-build="{self.preview.build_id}">')
            body = body[:at] + script.encode() + b"</script>" + body[at:]
        self.set_status(status)
        self.set_header("Content-Type", kind + ("; charset=utf-8" if kind.startswith("text/") else ""))
        if suffix != ".html" and status == 200:
            # The browser may keep a stylesheet or an image if it asks first: finish() answers 304 when the
            # bytes' ETag is the one it has. A page is always sent whole, as it carries the build it came from.
            self.set_header("Cache-Control", "no-cache")
        self.finish(body)


class ClientScript(OwnHostsOnly, LiveReloadJSHandler):
    """livereload.js, plus the page's report of which build it came from.

    Its address names the server's run (`v`), so the browser may keep it: fetching and running it again on every
    reload was a third of the reload's time."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def get(self) -> None:
        super().get()
        self.set_header("Cache-Control", "max-age=86400, immutable")
        self.write(CLIENT_CHECK)


class ReloadSocket(OwnHostsOnly, LiveReloadHandler):  # type: ignore[misc]
    """livereload's WebSocket, plus the answer to a page's report of its build.

    Why: a build can finish after a page was served but before its socket subscribed, which would leave that
    page stale. So the page is subscribed, then told to reload at once if its build is not the newest.
    """

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def check_origin(self, origin: str) -> bool:
        return urlsplit(origin).netloc.lower() in self.preview.hosts  # only the preview's own pages

    build = ""  # the build the page came from
    page = ""  # the output file it shows

    def on_message(self, message: str | bytes) -> None:
        super().on_message(message)
        command = json.loads(message)
        if command.get("command") == "preview-build":
            self.build, self.page = str(command.get("build")), out_path_of(str(command.get("page", "")))
            LiveReloadHandler.waiters.add(self)
            if self.preview.verbose:
                print(f"open: {self.page}", flush=True)
            if not self.preview.is_current(self.build, self.page, self.preview.hot_id):
                self.send_message(RELOAD)
        elif command.get("command") == "preview-loaded":
            self.preview.loaded(self.build, self.page)


EVERY_ADDRESS = ("", "0.0.0.0", "::")


def url_host(address: str) -> str:
    """An address as a URL writes it: an IPv6 one in brackets."""
    return f"[{address}]" if ":" in address else address


def own_hosts(addresses: Iterable[str], port: int) -> frozenset[str]:
    """The Host headers the preview answers: its loopback names and `addresses`, with the port (alone on 80)."""
    names = {"127.0.0.1", "localhost", "[::1]", *(url_host(a.lower()) for a in addresses if a)}
    return frozenset({f"{name}:{port}" for name in names} | (names if port == 80 else set()))


def is_loopback(host: str) -> bool:
    """Whether listening on `host` keeps the preview to this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: loopback only if every address it has is
        with contextlib.suppress(OSError):
            found = {info[4][0] for info in socket.getaddrinfo(host, None)}
            return bool(found) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in found)
        return False


def machine_addresses(host: str) -> list[str]:
    """The addresses others reach this machine at, for a preview listening on every one: the address of the
    route out (no packet is sent), then those of the machine's name, without loopback ones."""
    families = {"0.0.0.0": [socket.AF_INET], "::": [socket.AF_INET6]}.get(host, [socket.AF_INET, socket.AF_INET6])
    found: list[str] = []
    for family, probe in ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1")):
        if family in families:
            with contextlib.suppress(OSError), socket.socket(family, socket.SOCK_DGRAM) as udp:
                udp.connect((probe, 9))
                found.append(udp.getsockname()[0])
    with contextlib.suppress(OSError):
        found += [info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None) if info[0] in families]
    addresses = []
    for address in found:
        address = address.split("%")[0]  # an IPv6 link's zone
        if address not in addresses and not ipaddress.ip_address(address).is_loopback:
            addresses.append(address)
    return addresses


async def run_preview(root: Path, host: str, sockets: list, header_timeout: float = 10.0, verbose: bool = False
                      ) -> None:
    """Build, then serve and rebuild until SIGINT or SIGTERM."""
    port = sockets[0].getsockname()[1]
    addresses = machine_addresses(host) if host in EVERY_ADDRESS else [host]
    names = [*addresses, host]
    if not is_loopback(host):
        names.append(socket.gethostname())
        where = "every address of this machine" if host in EVERY_ADDRESS else f"{host}, not only this machine"
        print(f"warning: the preview listens on {printable(where)}: anyone who can reach it can read the site, its "
              "error pages and the paths in them; use --host 127.0.0.1 to keep it to this machine", flush=True)
    urls = [f"http://{url_host(address)}:{port}/" for address in addresses or ["127.0.0.1"]]
    url = urls[0]
    hosts = own_hosts(names, port)
    preview, stop, loop = Preview(root, url, hosts, verbose), asyncio.Event(), asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        watching = asyncio.ensure_future(preview.watcher.changes(stop, preview.changed))
        preview.building = True  # the watcher's reports wait for it
        first = await loop.run_in_executor(None, preview.worker.build, [], [])
        preview.building = False
        preview.publish(first or BuildResult(bug="interrupted"))
        app = web.Application([(r"/livereload", ReloadSocket, {"preview": preview}),
                               (r"/livereload\.js", ClientScript, {"preview": preview}),
                               (r"/(.*)", PreviewHandler, {"preview": preview})], log_function=lambda _: None)
        # The timeout is for the whole of a request's headers (and for an idle kept-alive connection): a client
        # sending them a byte at a time cannot hold a connection open.
        server = httpserver.HTTPServer(app, idle_connection_timeout=header_timeout, body_timeout=header_timeout)
        server.add_sockets(sockets)
        preview.rescan()
        preview.start()
        also = f" (also {', '.join(urls[1:])})" if urls[1:] else ""
        print(f"serving {printable(str(root))} at {url}{also} (Ctrl-C to stop)", flush=True)
        await stop.wait()
        server.stop()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(watching, 2)
    finally:
        preview.worker.stop()


def serve_site(root: Path, *, host: str = "127.0.0.1", port: int = 8000, header_timeout: float = 10.0,
               verbose: bool = False) -> int:
    """Preview the site with live reload until interrupted; return the exit code."""
    try:
        sockets = netutil.bind_sockets(port, address=host)  # before building, so that a busy port fails fast
    except (OSError, UnicodeError) as exc:
        print(f"cannot listen on {printable(host)}:{port}: {printable(str(getattr(exc, 'strerror', None) or exc))}",
              file=sys.stderr)
        return 1
    asyncio.run(run_preview(root, host, sockets, header_timeout, verbose))
    return 0


if __name__ == "__main__":  # the build worker: python -m builder.serve ROOT OUT_DIR BASE_URL
    run_worker(*sys.argv[1:])
