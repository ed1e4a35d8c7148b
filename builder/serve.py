"""The live-reload preview, which survives errors and shows them in the browser.

`python -m builder serve` builds into `.preview/` (never `public/`, never `content/`) with base_url set to
http://HOST:PORT/, serves that folder at the server's root, polls site.yaml, content/, templates/ and
builder/*.py, rebuilds, and tells every open page to reload.

From `livereload` come the WebSocket handler and the browser client. Not its Server: it polls every 800 ms,
drops a reload that follows another within 3 s (a quick second save would leave the page stale), runs watch
tasks on the event loop (a build would block every request) and has no error page.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import hashlib
import html
import json
import mimetypes
import os
import signal
import stat
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import httpserver, netutil, web
from tornado.ioloop import IOLoop, PeriodicCallback

from .errors import ContentError, ContentErrors

BUILDER_DIR = Path(__file__).resolve().parent
POLL_SECONDS = 0.03
RACY_NS = 2_000_000_000
RELOAD = {"command": "reload", "path": "*", "liveCSS": False, "liveImg": False}
# Once connected, each page says which build it came from (see ReloadSocket).
CLIENT_CHECK = b"""
document.addEventListener("LiveReloadConnect", function () {
  var lr = window.LiveReload;
  lr.connector.sendCommand({command: "preview-build", build: String(lr.options.build)});
});
"""


@dataclass(frozen=True)
class BuildResult:
    """What one build produced: a file count, or content errors, or a bug's traceback."""

    count: int = 0
    errors: tuple[ContentError, ...] = ()
    bug: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors and not self.bug

    def summary(self) -> str:
        if self.ok:
            return f"built {self.count} files in {self.seconds:.2f}s"
        return self.bug.rstrip() if self.bug else ContentErrors(self.errors).report()


def run_worker(root: str, out_dir: str, base_url: str) -> None:
    """Build once per line read from stdin; answer each with one JSON line on stdout."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group; the server stops us
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")  # the answers get a descriptor of their own, and
    os.dup2(2, 1)  # whatever else writes to stdout (a print(), a C library) goes to stderr instead
    with contextlib.suppress(Exception):  # import the whole builder now, so that the first edit is fast too
        from . import build, pages, render  # noqa: F401
    builder = None  # one warm Builder for the worker's life: it re-reads only files whose stat changed
    for _ in sys.stdin:
        started = time.perf_counter()
        try:
            from .build import Builder

            builder = builder or Builder(Path(root), Path(out_dir), base_url=base_url)
            answer: dict = {"count": builder.build()}
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

    def build(self) -> BuildResult | None:
        """Build once; None if `stop()` interrupted it (the caller builds again, with the new code)."""
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._proc = subprocess.Popen(self.command, cwd=BUILDER_DIR.parent, stdin=subprocess.PIPE,
                                              stdout=subprocess.PIPE, text=True, encoding="utf-8")
            proc = self._proc
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write("build\n")
            proc.stdin.flush()
            line = proc.stdout.readline()
        except (OSError, ValueError):
            line = ""
        if not line:
            return None if self._proc is not proc else BuildResult(
                bug=f"the build process exited with code {proc.wait()}; its traceback is in the terminal")
        answer = json.loads(line)
        errors = tuple(ContentError(**error) for error in answer.get("errors", ()))
        return BuildResult(answer.get("count", 0), errors, answer.get("bug", ""), answer["seconds"])

    def stop(self) -> None:
        with self._lock:
            proc, self._proc = self._proc, None
        if proc is not None:
            proc.kill()
            proc.wait()


class Watcher:
    """Fingerprints of the watched files: each file's hash, read again only when it may have changed.

    A file is read again when its stat changed or when it was written in the last two seconds: the kernel
    stamps mtimes from a coarse clock, so two quick saves of the same length can share mtime and size (git's
    "racy" rule). Hashing the bytes also means that a save which changes nothing rebuilds nothing.
    """

    def __init__(self, patterns: list[tuple[Path, str]]) -> None:
        self.patterns = patterns  # (folder, "**") is the whole tree; os.walk and glob are 4x faster than Path's
        self._known: dict[str, tuple[tuple[int, int, int], bytes]] = {}

    def snapshot(self) -> dict[str, bytes]:
        now, prints = time.time_ns(), {}
        for folder, pattern in self.patterns:
            paths = ([os.path.join(parent, name) for parent, _, names in os.walk(folder) for name in names]
                     if pattern == "**" else glob.glob(os.path.join(folder, pattern)))
            for path in paths:
                try:
                    st = os.stat(path)
                    key, known = (st.st_mtime_ns, st.st_size, st.st_ino), self._known.get(path)
                    if not stat.S_ISREG(st.st_mode):
                        continue
                    if known is None or known[0] != key or now - st.st_mtime_ns < RACY_NS:
                        known = self._known[path] = (key, hashlib.blake2b(Path(path).read_bytes()).digest())
                except OSError:
                    continue  # deleted while we looked: the next poll sees it gone
                prints[path] = known[1]
        return prints


def code_of(prints: dict[str, bytes]) -> dict[str, bytes]:
    return {path: key for path, key in prints.items() if path.startswith(str(BUILDER_DIR))}


class Preview:
    """What was last built and what it gave, and the poll that rebuilds when a watched file changes."""

    def __init__(self, root: Path, base_url: str) -> None:
        self.folder, self.port = root / ".preview", urlsplit(base_url).port
        self.watcher = Watcher([(root, "site.yaml"), (root / "content", "**"), (root / "templates", "**"),
                                (BUILDER_DIR, "*.py")])
        self.worker = BuildWorker(root, self.folder, base_url)
        self.built, self.seen = self.watcher.snapshot(), {}
        self.building, self.result, self.build_id = False, BuildResult(), ""

    def poll(self) -> None:
        """Start a build once the watched files have not changed for one poll (the debounce)."""
        current = self.watcher.snapshot()
        code_changed = code_of(current) != code_of(self.built)
        if self.building and code_changed:
            self.worker.stop()  # its answer would come from the old code; the next poll builds again
        if self.building or current != self.seen or current == self.built:
            self.seen = current
            return
        if code_changed:
            self.worker.stop()
            for pyc in (BUILDER_DIR / "__pycache__").glob("*.pyc"):
                pyc.unlink(missing_ok=True)  # their mtime check has one-second steps: a quick edit could hide
        self.built, self.building = current, True
        IOLoop.current().add_future(IOLoop.current().run_in_executor(None, self.worker.build), self.finish)

    def finish(self, future: asyncio.Future) -> None:
        """Publish a finished build, unless it was interrupted, and reload every open page."""
        self.building = False
        if future.result() is not None:
            self.publish(future.result())
            for waiter in list(LiveReloadHandler.waiters):
                waiter.send_message(RELOAD)

    def publish(self, result: BuildResult) -> None:
        self.result, self.build_id = result, f"b{time.time_ns():x}"
        print(result.summary(), flush=True)


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


def render_error_page(result: BuildResult) -> bytes:
    """The page served for every page URL while the build is broken; everything in it is escaped."""
    if result.bug:
        last_line = result.bug.strip().splitlines()[-1:] or [""]
        body = (f"<h1>The build raised an exception</h1><p>A mistake in a template or in the builder:</p>"
                f"<p>{html.escape(last_line[0])}</p><pre>{html.escape(result.bug)}</pre>")
    else:
        items = "".join(f'<li><code>{html.escape(f"{e.src_path}:{e.line}:{e.column}")}</code> '
                        f"{html.escape(e.message)}{'<br>hint: ' + html.escape(e.hint) if e.hint else ''}</li>"
                        for e in result.errors)
        body = f"<h1>The site did not build: {len(result.errors)} error(s)</h1><ol>{items}</ol>"
    return ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Build failed</title><style>'
            "body{font:16px/1.5 sans-serif;max-width:60rem;margin:2rem auto}li{margin-bottom:1rem}"
            f'pre{{white-space:pre-wrap}}</style></head><body><main id="preview-errors">{body}'
            "<p><em>This page comes back by itself once the files are fixed.</em></p></main></body></html>"
            ).encode()


class PreviewHandler(web.RequestHandler):
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
            at = max(body.find(b"</head>"), 0)
            script = f'<script src="/livereload.js?port={self.preview.port}&amp;build={self.preview.build_id}">'
            body = body[:at] + script.encode() + b"</script>" + body[at:]
        self.set_status(status)
        self.set_header("Content-Type", kind + ("; charset=utf-8" if kind.startswith("text/") else ""))
        self.finish(body)


class ClientScript(LiveReloadJSHandler):
    """livereload.js, plus the page's report of which build it came from."""

    def get(self) -> None:
        super().get()
        self.set_header("Cache-Control", "no-store")
        self.write(CLIENT_CHECK)


class ReloadSocket(LiveReloadHandler):
    """livereload's WebSocket, plus the answer to a page's report of its build.

    Why: a build can finish after a page was served but before its socket subscribed, which would leave that
    page stale. So the page is subscribed, then told to reload at once if its build is not the newest.
    """

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def check_origin(self, origin: str) -> bool:
        return urlsplit(origin).netloc == self.request.host  # only the preview's own pages

    def on_message(self, message: str | bytes) -> None:
        super().on_message(message)
        command = json.loads(message)
        if command.get("command") == "preview-build":
            LiveReloadHandler.waiters.add(self)
            if command.get("build") != self.preview.build_id:
                self.send_message(RELOAD)


async def run_preview(root: Path, host: str, sockets: list) -> None:
    """Build, then serve and rebuild until SIGINT or SIGTERM."""
    url_host = "127.0.0.1" if host in ("", "0.0.0.0", "::") else f"[{host}]" if ":" in host else host
    url = f"http://{url_host}:{sockets[0].getsockname()[1]}/"
    preview, stop, loop = Preview(root, base_url=url), asyncio.Event(), asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        preview.publish(await loop.run_in_executor(None, preview.worker.build) or BuildResult(bug="interrupted"))
        app = web.Application([(r"/livereload", ReloadSocket, {"preview": preview}),
                               (r"/livereload\.js", ClientScript),
                               (r"/(.*)", PreviewHandler, {"preview": preview})], log_function=lambda _: None)
        server = httpserver.HTTPServer(app)
        server.add_sockets(sockets)
        PeriodicCallback(preview.poll, POLL_SECONDS * 1000).start()
        print(f"serving {root} at {url} (Ctrl-C to stop)", flush=True)
        await stop.wait()
        server.stop()
    finally:
        preview.worker.stop()


def serve_site(root: Path, *, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Preview the site with live reload until interrupted; return the exit code."""
    try:
        sockets = netutil.bind_sockets(port, address=host)  # before building, so that a busy port fails fast
    except OSError as exc:
        print(f"cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    asyncio.run(run_preview(root, host, sockets))
    return 0


if __name__ == "__main__":  # the build worker: python -m builder.serve ROOT OUT_DIR BASE_URL
    run_worker(*sys.argv[1:])
