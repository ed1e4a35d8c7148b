"""Chromium (via Playwright's sync API) and a local static server for browser tests.

Typical use::

    from tests.support.browser import chromium_browser, serve_directory

    def test_home(tmp_path):
        with serve_directory(site_dir, "/ottawa-exit/") as base, chromium_browser() as browser:
            page = browser.new_page()
            page.goto(base)

The browser is Debian's /usr/bin/chromium (scripts/install-test-deps.sh installs it); Playwright's own
browser downloads are never used.
"""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tests.support import skip_or_fail

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright, Response

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_available() -> bool:
    return CHROMIUM.is_file()


def require_chromium() -> None:
    """Skip the calling test if /usr/bin/chromium is missing; under CI (CI=true) fail instead."""
    if not chromium_available():
        skip_or_fail(f"{CHROMIUM} is missing (Debian package chromium)")


def launch_chromium(playwright: Playwright | None = None, **kwargs) -> Browser:
    """Launch headless Debian Chromium with the flags this machine needs.

    With no `playwright`, one is started and stopped again when the browser is closed.
    Extra keyword arguments go to `chromium.launch` (e.g. slow_mo=...).
    """
    require_chromium()
    owned = None
    if playwright is None:
        from playwright.sync_api import sync_playwright

        owned = sync_playwright().start()
        playwright = owned
    options = {"executable_path": str(CHROMIUM), "headless": True, "args": list(CHROMIUM_ARGS)}
    options.update(kwargs)
    try:
        browser = playwright.chromium.launch(**options)
    except BaseException:
        if owned is not None:
            owned.stop()
        raise
    if owned is not None:
        close = browser.close

        def close_and_stop(*args, **kw) -> None:
            try:
                close(*args, **kw)
            finally:
                owned.stop()

        browser.close = close_and_stop  # type: ignore[method-assign]
    return browser


@contextlib.contextmanager
def chromium_browser(**kwargs) -> Iterator[Browser]:
    """Context manager around launch_chromium(): yields a Browser, closes it (and Playwright) after."""
    from playwright.sync_api import sync_playwright

    require_chromium()
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, **kwargs)
        try:
            yield browser
        finally:
            browser.close()


class Tab:
    """A tab that a test loads its pages in afresh, with what each load logged: its console errors and the requests
    that left the local server. A context costs Chromium a renderer process, as much CPU as a load
    (docs/performance.md, The test suite); a tab loaded afresh is as clean as a new context for this site's pages,
    which keep nothing between loads (no cookie, no storage; the test server says no-store)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.foreign.append(r.url) if urlsplit(r.url).hostname not in ("127.0.0.1", None)
                and not r.url.startswith("data:") else None)

    def load(self, url: str, width: int = 1280, height: int = 720) -> Response | None:
        """Load `url` at this size, in the screen's light scheme (a new context's), with nothing logged yet; the
        response."""
        self.page.set_viewport_size({"width": width, "height": height})
        self.page.emulate_media(media="null", color_scheme="light")
        self.page.goto("about:blank")  # the last test's page gone before anything is logged for this one
        self.errors.clear()
        self.foreign.clear()
        return self.page.goto(url)


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serve `directory` under `subpath`, like GitHub Pages serves a project site.

    Anything outside the subpath is a 404; a directory without index.html is a 404 (no listings);
    a 404 uses the site's 404.html when there is one. "/sub" redirects to "/sub/".
    """

    subpath = "/"
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".webmanifest": "application/manifest+json",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".xml": "application/xml",
    }

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def _inside_subpath(self) -> bool:
        path = urlsplit(self.path).path
        if self.subpath != "/" and path == self.subpath.rstrip("/"):
            query = urlsplit(self.path).query
            self.send_response(301)
            self.send_header("Location", self.subpath + (f"?{query}" if query else ""))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return False
        if not path.startswith(self.subpath):
            self.send_error(404)
            return False
        return True

    def do_GET(self) -> None:
        if self._inside_subpath():
            super().do_GET()

    def do_HEAD(self) -> None:
        if self._inside_subpath():
            super().do_HEAD()

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        return super().translate_path("/" + path[len(self.subpath) :])

    def list_directory(self, path):
        self.send_error(404)
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextlib.contextmanager
def serve_directory(root: Path, subpath: str = "/") -> Iterator[str]:
    """Serve `root` at http://127.0.0.1:PORT`subpath` (a free port) in a thread; yield that base URL.

    `subpath` is normalised to start and end with "/", e.g. "/ottawa-exit/".
    """
    root = Path(root).resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"not a directory: {root}")
    subpath = "/" + subpath.strip("/") + "/" if subpath.strip("/") else "/"
    handler = type("SiteHandler", (_SiteHandler,), {"subpath": subpath})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"serve {root}", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}{subpath}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
