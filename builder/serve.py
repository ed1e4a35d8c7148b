"""The live-reload preview, which survives errors and shows them in the browser.

`python -m builder serve` builds into `.preview/` (never `public/`, never `content/`), serves it at the root
of http://HOST:PORT/ (the build's base_url is overridden to that address, so every link stays on the preview),
polls site.yaml, content/, templates/ and builder/*.py, rebuilds, and tells open pages to reload.

What comes from `livereload`: its WebSocket protocol handler and its browser client. What does not, and why:
its Server polls every 800 ms, drops a reload that follows another within 3 s (a quick second save would leave
the page stale), runs watch tasks on the event loop (a build would block every request) and serves files
without an error page. So files are served by `PreviewHandler`, which resolves each path and refuses anything
outside the folder, and changes are found by `Preview.poll`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import html
import json
import mimetypes
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
PREVIEW_DIR = ".preview"
POLL_SECONDS = 0.025
RACY_NS = 2_000_000_000
RELOAD = {"command": "reload", "path": "*", "liveCSS": False, "liveImg": False}
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".json": "application/json",
         ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml", ".xml": "application/xml",
         ".webmanifest": "application/manifest+json", ".txt": "text/plain; charset=utf-8"}
# A fresh interpreter per worker; an import error in the builder is still answered, as a bug to show.
WORKER = """import json, sys, traceback
try:
    from builder.serve import run_worker
except Exception:
    print(json.dumps({"bug": traceback.format_exc()}), flush=True)
    sys.exit(1)
run_worker(*sys.argv[1:])"""
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
        if self.bug:
            return f"the builder failed (a bug, not a content error):\n{self.bug.rstrip()}"
        if self.errors:
            return ContentErrors(self.errors).report().replace("nothing was written", "the browser shows them")
        return f"built {self.count} files in {self.seconds:.2f}s"


def locate_template_error(exc: Exception, templates: Path) -> ContentError | None:
    """Report an exception raised in a template at that template's line: the mistake is the author's."""
    frames = [frame for frame in traceback.extract_tb(exc.__traceback__)
              if Path(frame.filename).is_relative_to(templates)]
    if not frames:
        return None
    src_path = Path(frames[-1].filename).relative_to(templates.parent).as_posix()
    message = f"{type(exc).__name__}: {getattr(exc, 'message', None) or exc}"
    return ContentError(src_path, frames[-1].lineno or 1, 1, message,
                        "fix the template at this line; the page comes back by itself once it renders")


def run_worker(root: str, out_dir: str, base_url: str) -> None:
    """Build once per line read from stdin; answer each with one JSON line on stdout."""
    answers, sys.stdout = sys.stdout, sys.stderr  # a print() in the builder must not corrupt the answers
    with contextlib.suppress(Exception):  # import the whole builder now, so the first edit is fast too
        from . import build, pages, render  # noqa: F401
    for _ in sys.stdin:
        started = time.perf_counter()
        try:
            from .build import build_site

            answer: dict = {"count": build_site(Path(root), Path(out_dir), base_url=base_url)}
        except ContentErrors as exc:
            answer = {"errors": [asdict(error) for error in exc.errors]}
        except Exception as exc:
            error = locate_template_error(exc, Path(root) / "templates")
            answer = {"errors": [asdict(error)]} if error else {"bug": traceback.format_exc()}
        answer["seconds"] = time.perf_counter() - started
        print(json.dumps(answer), file=answers, flush=True)


class BuildWorker:
    """A warm Python process that has imported the builder and builds on request.

    Why a process: a fresh interpreter is the only sure way to run edited builder code (importlib.reload
    leaves old classes reachable through every `from .x import y`), and it stays warm between content edits
    so Jinja, YAML and Markdown are imported once. A crash or hang in the builder cannot stop the server.
    """

    def __init__(self, root: Path, out_dir: Path, base_url: str) -> None:
        self.args = [str(root), str(out_dir), base_url]
        self._proc: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()

    def build(self) -> BuildResult | None:
        """Build once; None if `stop()` interrupted it (the caller builds again with new code)."""
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._proc = subprocess.Popen([sys.executable, "-c", WORKER, *self.args], cwd=BUILDER_DIR.parent,
                                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                              encoding="utf-8")
            proc = self._proc
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write("build\n")
            proc.stdin.flush()
            line = proc.stdout.readline()
        except (OSError, ValueError):
            line = ""
        if not line:
            if self._proc is not proc:
                return None
            return BuildResult(bug=f"the build process exited (code {proc.wait()}); see the terminal")
        answer = json.loads(line)
        errors = tuple(ContentError(**error) for error in answer.get("errors", ()))
        return BuildResult(answer.get("count", 0), errors, answer.get("bug", ""), answer.get("seconds", 0.0))

    def stop(self) -> None:
        """End the worker, e.g. because builder code changed under it."""
        with self._lock:
            proc, self._proc = self._proc, None
        if proc is not None:
            proc.kill()
            proc.wait()


class Watcher:
    """Fingerprints of the watched files: the hash of each file's bytes, read again only if it may have changed.

    A file is read again when its stat changed or when it was written in the last two seconds: the kernel
    stamps mtimes from a coarse clock, so two quick saves of the same length can share mtime and size (git's
    "racy" rule). Hashing bytes also means a save that changes nothing rebuilds nothing.
    """

    def __init__(self, patterns: list[tuple[Path, str]]) -> None:
        self.patterns = patterns
        self._known: dict[str, tuple[tuple[int, int, int], bytes]] = {}

    def snapshot(self) -> dict[str, bytes]:
        now, prints = time.time_ns(), {}
        for folder, pattern in self.patterns:
            for path in folder.glob(pattern):
                try:
                    st = path.stat()
                    if not stat.S_ISREG(st.st_mode):
                        continue
                    key, known = (st.st_mtime_ns, st.st_size, st.st_ino), self._known.get(str(path))
                    if known is None or known[0] != key or now - st.st_mtime_ns < RACY_NS:
                        known = self._known[str(path)] = (key, hashlib.blake2b(path.read_bytes()).digest())
                except OSError:
                    continue  # deleted while we looked: the next poll sees it gone
                prints[str(path)] = known[1]
        return prints


def code_of(prints: dict[str, bytes]) -> dict[str, bytes]:
    return {path: key for path, key in prints.items() if path.startswith(str(BUILDER_DIR))}


class Preview:
    """The preview's state: what was last built, its result, and the loop that rebuilds on change."""

    def __init__(self, root: Path, base_url: str) -> None:
        self.root, self.folder, self.port = root, root / PREVIEW_DIR, urlsplit(base_url).port
        self.watcher = Watcher([(root, "site.yaml"), (root / "content", "**/*"), (root / "templates", "**/*"),
                                (BUILDER_DIR, "*.py")])
        self.worker = BuildWorker(root, self.folder, base_url)
        self.built: dict[str, bytes] = {}
        self.seen: dict[str, bytes] | None = None
        self.building = False
        self.result = BuildResult()
        self.build_id = ""

    def build_now(self) -> None:
        """Build synchronously (at start-up, before anyone can ask for a page)."""
        self.built = self.watcher.snapshot()
        self.publish(self.worker.build() or BuildResult(bug="the first build was interrupted"))

    def poll(self) -> None:
        """Start a build once the watched files have stopped changing for one poll (the debounce)."""
        current = self.watcher.snapshot()
        if self.building:
            if code_of(current) != code_of(self.built):
                self.worker.stop()  # its answer would come from old code; poll() starts a new build after
            return
        if current != self.seen:
            self.seen = current
            return
        if current == self.built:
            return
        changed = sorted(p for p in current.keys() | self.built.keys() if current.get(p) != self.built.get(p))
        print(f"changed: {self.relative(changed[0])}" + (f" and {len(changed) - 1} more" if changed[1:] else ""),
              flush=True)
        if code_of(current) != code_of(self.built):
            self.worker.stop()
            for pyc in (BUILDER_DIR / "__pycache__").glob("*.pyc"):
                pyc.unlink(missing_ok=True)  # its mtime check has one-second steps; a quick edit can hide
        self.built, self.building = current, True
        IOLoop.current().add_future(IOLoop.current().run_in_executor(None, self.worker.build), self.finish)

    def finish(self, future: asyncio.Future) -> None:
        """Publish a finished build (unless it was interrupted) and reload every open page."""
        self.building = False
        if future.result() is not None:
            self.publish(future.result())
            for waiter in list(LiveReloadHandler.waiters):
                waiter.send_message(RELOAD)

    def publish(self, result: BuildResult) -> None:
        self.result, self.build_id = result, f"b{time.time_ns():x}"
        print(result.summary(), flush=True)

    def relative(self, path: str) -> str:
        for base in (self.root, BUILDER_DIR.parent):
            with contextlib.suppress(ValueError):
                return Path(path).relative_to(base).as_posix()
        return path


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
    """The page shown for every page URL while the build is broken; everything in it is escaped."""
    if result.bug:
        last = result.bug.strip().splitlines()[-1] if result.bug.strip() else ""
        body = f"<h1>The builder failed</h1><p>This is a bug in the builder, not in the content:</p>" \
               f'<p class="message">{html.escape(last)}</p><pre>{html.escape(result.bug)}</pre>'
    else:
        items = "".join(
            f'<li><code class="where">{html.escape(f"{e.src_path}:{e.line}:{e.column}")}</code> '
            f'<span class="message">{html.escape(e.message)}</span>'
            + (f'<p class="hint">hint: {html.escape(e.hint)}</p>' if e.hint else "") + "</li>"
            for e in result.errors)
        count = len(result.errors)
        body = f"<h1>The site did not build: {count} error{'s' if count != 1 else ''}</h1><ol>{items}</ol>"
    style = ("body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
             "li{margin:0 0 1rem}.where{font-weight:bold}.hint{margin:.25rem 0;color:#555}"
             "pre{white-space:pre-wrap;background:#f4f4f4;padding:1rem}")
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Build failed - preview</title>'
            f'<style>{style}</style></head><body><main id="preview-errors">{body}<p><em>This page reloads by '
            f"itself once the files are fixed.</em></p></main></body></html>").encode()


class PreviewHandler(web.RequestHandler):
    """Serve `.preview/`, or the error page for every page URL while the build is broken."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")  # a reloaded page must never come from a cache
        self.set_header("X-Content-Type-Options", "nosniff")

    def head(self, path: str) -> None:
        self.get(path)

    def get(self, path: str) -> None:
        folder, result = self.preview.folder, self.preview.result
        target = resolve_url_path(folder, path)
        if target is not None and target.is_dir():
            if path and not path.endswith("/"):
                self.redirect(self.request.path + "/")  # so that the page's relative links resolve
                return
            target = resolve_url_path(folder, path + "index.html")
        if target is None:
            raise web.HTTPError(403)
        if not result.ok and (target.suffix == ".html" or not target.is_file()):
            self.send(500, ".html", render_error_page(result))
        elif target.is_file():
            self.send(200, target.suffix, target.read_bytes())
        elif (missing := resolve_url_path(folder, "404.html")) and missing.is_file():
            self.send(404, ".html", missing.read_bytes())
        else:
            raise web.HTTPError(404)

    def send(self, status: int, suffix: str, body: bytes) -> None:
        """Send a file; an HTML page gets the livereload client, tagged with the build it came from."""
        if suffix == ".html":
            script = f'<script src="/livereload.js?port={self.preview.port}&amp;build={self.preview.build_id}">' \
                     "</script>"
            head_end = body.find(b"</head>")
            at = head_end if head_end >= 0 else 0
            body = body[:at] + script.encode() + body[at:]
        self.set_status(status)
        self.set_header("Content-Type", TYPES.get(suffix) or mimetypes.guess_type("x" + suffix)[0]
                        or "application/octet-stream")
        self.finish(body)


class ClientScript(LiveReloadJSHandler):
    """livereload.js, plus a check that the page is not older than the last build."""

    def get(self) -> None:
        super().get()
        self.set_header("Cache-Control", "no-store")
        self.write(CLIENT_CHECK)


class ReloadSocket(LiveReloadHandler):
    """livereload's WebSocket, plus an answer to the client check.

    Why: a build can finish after a page was served but before its socket subscribed, and that page would
    stay stale. So each page reports which build it came from once connected; if that is not the newest,
    it is told to reload. The page is subscribed first, so no build can slip between the two.
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
    port = sockets[0].getsockname()[1]
    url_host = "127.0.0.1" if host in ("", "0.0.0.0", "::") else f"[{host}]" if ":" in host else host
    url = f"http://{url_host}:{port}/"
    preview = Preview(root, base_url=url)
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set)
    try:
        await asyncio.get_running_loop().run_in_executor(None, preview.build_now)
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
    """Preview the site with live reload; return the exit code."""
    try:
        sockets = netutil.bind_sockets(port, address=host)  # before building, so a busy port fails fast
    except OSError as exc:
        print(f"cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    asyncio.run(run_preview(root, host, sockets))
    return 0
