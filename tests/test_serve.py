"""The preview server: it answers nothing outside its folder, shows errors escaped, and is never left stale."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import http.client
import ipaddress
import json
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from livereload.handlers import LiveReloadHandler

from builder.errors import ContentError
from builder.serve import RELOAD, BuildResult, Preview, render_error_page, resolve_url_path
from tests.conftest import REPO, copy_site, tree_digest

COUNTRY = "content/countries/pl.yaml"


class PreviewProcess:
    """`python -m builder serve --port 0` in a subprocess; its output is collected for the test to read."""

    def __init__(self, root: Path, cwd: Path = REPO, args: tuple[str, ...] = ()) -> None:
        self.root, self.lines, self.url = root, [], ""
        self._ready = threading.Event()
        self._printed = threading.Condition()  # notified with each line the preview prints
        self.proc = subprocess.Popen([sys.executable, "-m", "builder", "serve", "--root", str(root), "--port", "0",
                                      *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        if not self._ready.wait(30) or not self.url:
            self.stop()
            pytest.fail("the preview did not start:\n" + "".join(self.lines))

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._printed:
                self.lines.append(line)
                self._printed.notify_all()
            if found := re.search(r" at (http://\S+/) ", line):
                self.url = found.group(1)
                self._ready.set()
        with self._printed:
            self._printed.notify_all()
        self._ready.set()

    def wait_for_lines(self, check: Callable[[list[str]], bool], timeout: float = 60) -> None:
        """Wait until the lines printed so far satisfy `check`, woken by each line as it is read, not by a clock
        (the timeout only bounds a failure)."""
        with self._printed:
            if not self._printed.wait_for(lambda: check(self.lines) or self.proc.poll() is not None, timeout) \
                    or not check(self.lines):
                pytest.fail("the preview never printed what the test waits for:\n" + "".join(self.lines))

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1].strip("/"))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(5)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


@contextlib.contextmanager
def running_preview(root: Path, cwd: Path = REPO, args: tuple[str, ...] = ()) -> Iterator[PreviewProcess]:
    """Serve `root` with live reload on a free port for the block, with the builder found in `cwd`."""
    preview = PreviewProcess(root, cwd, args)
    try:
        yield preview
    finally:
        preview.stop()


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_for_page(url: str, check: Callable[[int, str], bool], timeout: float = 15) -> str:
    """Fetch `url` until `check(status, body)` holds; fail with the last answer after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        status, body = fetch(url)
        if check(status, body):
            return body
        if time.monotonic() > deadline:
            pytest.fail(f"{url} never satisfied the check; last answer {status}:\n{body[:2000]}")
        time.sleep(0.02)


def raw_get(port: int, target: str, host: str = "", headers: str = "", address: str = "127.0.0.1"
            ) -> tuple[int, bytes]:
    """Send `target` byte for byte, so no client library normalises the path first (with a Host header, by default
    the preview's own, and any other `headers`)."""
    with socket.create_connection((address, port), timeout=5) as conn:
        conn.sendall(f"GET {target} HTTP/1.1\r\nHost: {host or f'127.0.0.1:{port}'}\r\n{headers}"
                     "Connection: close\r\n\r\n".encode())
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    status_line = data.split(b"\r\n", 1)[0].split()
    return int(status_line[1]), data


# Unit tests: the path rule and the error page on their own.

def test_resolve_url_path_stays_inside(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "index.html").write_text("ok")
    (tmp_path / "secret.txt").write_text("secret")
    (folder / "inside-link.html").symlink_to(folder / "a" / "index.html")
    (folder / "out-link.txt").symlink_to(tmp_path / "secret.txt")
    (folder / "out-dir").symlink_to(tmp_path, target_is_directory=True)
    assert resolve_url_path(folder, "a/index.html") == (folder / "a" / "index.html").resolve()
    assert resolve_url_path(folder, "") == folder.resolve()
    assert resolve_url_path(folder, "inside-link.html") == (folder / "a" / "index.html").resolve()
    for bad in ["../secret.txt", "a/../../secret.txt", "..", "/etc/passwd", str(tmp_path / "secret.txt"),
                "..\\secret.txt", "a\\..\\..\\secret.txt", "out-link.txt", "out-dir/secret.txt", "a/\0"]:
        assert resolve_url_path(folder, bad) is None, bad


def test_error_page_escapes_everything() -> None:
    error = ContentError("content/<b>.yaml", 3, 7, "unknown source '<script>alert(1)</script>'",
                         'did you mean "x&y"?')
    page = render_error_page(BuildResult(errors=(error,))).decode()
    assert "<script>alert" not in page and "<b>" not in page
    assert "content/&lt;b&gt;.yaml:3:7" in page
    assert "unknown source &#x27;&lt;script&gt;alert(1)&lt;/script&gt;&#x27;" in page
    assert "hint: did you mean &quot;x&amp;y&quot;?" in page
    bug = render_error_page(BuildResult(bug="Traceback...\nValueError: <img src=x onerror=alert(1)>")).decode()
    assert "<img" not in bug and "ValueError: &lt;img src=x onerror=alert(1)&gt;" in bug


# Integration tests: the real command, on a copy of the small valid site.

@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PreviewProcess]:
    root = copy_site(tmp_path_factory.mktemp("preview") / "site")
    (root / "secret.txt").write_text("TOP-SECRET")
    with running_preview(root) as running:
        wait_for_page(running.url + "countries/pl/", lambda status, body: status == 200)
        (root / ".preview" / "leak.txt").symlink_to(root / "secret.txt")
        (root / ".preview" / "leakdir").symlink_to(root, target_is_directory=True)
        yield running


@pytest.mark.parametrize("target", [
    "/../secret.txt", "/../../../../etc/passwd", "/countries/../../secret.txt", "/%2e%2e/secret.txt",
    "/%2e%2e%2fsecret.txt", "/%2E%2E%2Fsecret.txt", "/%252e%252e%252fsecret.txt", "/..%5csecret.txt",
    "/%5c..%5csecret.txt", "/..\\secret.txt", "//etc/passwd", "/%2fetc%2fpasswd", "/%2Fetc/passwd",
    "/.preview/../secret.txt", "/leak.txt", "/leakdir/secret.txt", "/leakdir/site.yaml", "/%00/secret.txt",
    "/..", "/%2e%2e", "http://127.0.0.1/../secret.txt", "../secret.txt", "/%c0%ae%c0%ae/secret.txt",
    "/" + "a" * 5000, "/%ff",
])
def test_refuses_everything_outside_the_folder(preview: PreviewProcess, target: str) -> None:
    status, data = raw_get(preview.port, target)
    assert status in (400, 403, 404), data[:300]
    assert b"TOP-SECRET" not in data and b"root:x:" not in data and b"as_of:" not in data


def test_serves_pages_at_the_root_with_the_preview_address(preview: PreviewProcess) -> None:
    status, body = fetch(preview.url)
    assert status == 200 and "/livereload.js?port=" in body
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=5)
    connection.request("GET", "/countries/pl")
    response = connection.getresponse()
    assert response.status in (301, 302) and response.getheader("Location") == "/countries/pl/"
    assert fetch(preview.url + "no-such-page/")[0] == 404


def test_listens_on_loopback_only(preview: PreviewProcess) -> None:
    if not Path("/proc/net/tcp").exists():
        pytest.skip("needs Linux's /proc/net/tcp")
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as rows:
            for row in list(rows)[1:]:
                local, state = row.split()[1], row.split()[3]
                if state == "0A" and int(local.rsplit(":", 1)[1], 16) == preview.port:
                    listening.append((table, local.rsplit(":", 1)[0]))
    assert listening == [("/proc/net/tcp", "0100007F")]  # 127.0.0.1, IPv4 only
    with pytest.raises(OSError), socket.create_connection(("127.0.0.2", preview.port), timeout=2):
        pass


def test_error_page_replaces_every_page_until_fixed(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "site")
    country = root / COUNTRY
    good = country.read_text()
    content_before = tree_digest(root / "content")
    with running_preview(root) as running:
        page = running.url + "countries/pl/"
        wait_for_page(page, lambda status, body: status == 200 and "Poland" in body)
        country.write_text(good.replace('iso2: "PL"', 'iso2: "<script>alert(1)</script>"'))
        body = wait_for_page(page, lambda status, body: status == 500)
        assert 'id="preview-errors"' in body and "content/countries/pl.yaml:2:7" in body
        assert "<script>alert(1)" not in body and "&#x27;&lt;script&gt;alert(1)&lt;/script&gt;&#x27;" in body
        assert wait_for_page(running.url, lambda status, body: status == 500)
        assert fetch(running.url + "livereload.js")[0] == 200
        country.write_text(good.replace('"Poland"', '"Poland, fixed"'))
        wait_for_page(page, lambda status, body: status == 200 and "Poland, fixed" in body)
    assert not (root / "public").exists()
    country.write_text(good)
    assert tree_digest(root / "content") == content_before


def test_hundred_rapid_saves_end_in_the_final_content(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "site")
    country = root / COUNTRY
    good = country.read_text()
    with running_preview(root) as running:
        page = running.url + "countries/pl/"
        wait_for_page(page, lambda status, body: status == 200)
        builds_before = sum("built " in line for line in running.lines)
        for n in range(100):
            country.write_text(good.replace('"Poland"', f'"Poland {n:03}"'))
        wait_for_page(page, lambda status, body: status == 200 and "Poland 099" in body)
        # The page is in place just before the build's line is printed.
        running.wait_for_lines(lambda lines: sum("built " in line for line in lines) > builds_before)
        builds = sum("built " in line for line in running.lines) - builds_before
        assert 1 <= builds < 100, "rebuilds are debounced"
        assert running.proc.poll() is None


@pytest.fixture(scope="module")
def edit_preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PreviewProcess]:
    """One server for the edits below; each edit is undone, and seen undone, before the next."""
    with running_preview(copy_site(tmp_path_factory.mktemp("edits") / "site")) as running:
        yield running


@pytest.mark.parametrize(("src", "old", "new", "page", "shows"), [
    ("content/claims/wire.yaml", "Poland will leave the Convention.", "Poland quits the Convention.",
     "sources/wire/", "Poland quits the Convention."),
    ("content/sources/wire.md", "to our newsroom today", "to our news desk today", "sources/wire/", "news desk"),
    ("content/questions.yaml", "Which countries are leaving?", "Which states are leaving?", "compare/",
     "Which states are leaving?"),
    (COUNTRY, 'name: "Poland"', 'name: "Polska"', "countries/pl/", "Polska"),
    ("templates/country.html", "<h1>{{ country.name }}</h1>", "<h1>{{ country.name }} (edited)</h1>",
     "countries/pl/", "Poland (edited)"),
    ("templates/assets/style.css", "", "\n.preview-test-rule { color: red; }\n", "assets/style.css",
     ".preview-test-rule"),
    ("site.yaml", 'title: "Test explainer"', 'title: "Test explainer, renamed"', "", "Test explainer, renamed"),
])
def test_every_kind_of_edit_shows(edit_preview: PreviewProcess, src: str, old: str, new: str, page: str,
                                  shows: str) -> None:
    path, url = edit_preview.root / src, edit_preview.url + page
    text = path.read_text(encoding="utf-8")
    assert old in text
    wait_for_page(url, lambda status, body: status == 200 and shows not in body)
    path.write_text(text.replace(old, new, 1) if old else text + new, encoding="utf-8")
    wait_for_page(url, lambda status, body: status == 200 and shows in body)
    path.write_text(text, encoding="utf-8")
    wait_for_page(url, lambda status, body: status == 200 and shows not in body)


def test_builder_code_changes_are_picked_up(tmp_path: Path) -> None:
    """A copy of the builder is edited, twice with same-length text: each build uses the code just saved."""
    code = tmp_path / "code"
    shutil.copytree(REPO / "builder", code / "builder", ignore=shutil.ignore_patterns("__pycache__"))
    root = copy_site(tmp_path / "site")
    render = code / "builder" / "render.py"
    original = render.read_text(encoding="utf-8")
    marked = original + textwrap.dedent("""
        _render_extras_unmarked = render_extras

        def render_extras(*args, **kwargs):
            return {**_render_extras_unmarked(*args, **kwargs), "code-marker.txt": b"version 1"}
        """)
    with running_preview(root, cwd=code) as running:
        assert fetch(running.url + "code-marker.txt")[0] == 404
        render.write_text(marked, encoding="utf-8")
        wait_for_page(running.url + "code-marker.txt", lambda status, body: body == "version 1")
        render.write_text(marked.replace("version 1", "version 2"), encoding="utf-8")
        wait_for_page(running.url + "code-marker.txt", lambda status, body: body == "version 2")
        assert running.proc.poll() is None


# Its own host names only: a page elsewhere, whose name was pointed at 127.0.0.1 (DNS rebinding), reads nothing.

def websocket_upgrade(port: int, host: str, origin: str) -> int:
    """The status of a WebSocket handshake for the live-reload socket, with these Host and Origin headers."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(f"GET /livereload HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     f"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                     f"Origin: {origin}\r\n\r\n".encode())
        data = b""
        while b"\r\n" not in data and (chunk := conn.recv(65536)):
            data += chunk
    return int(data.split(b"\r\n", 1)[0].split()[1])


@pytest.mark.parametrize("host", ["evil.example:{port}", "evil.example", "127.0.0.1.evil.example:{port}",
                                  "localhost.evil.example:{port}", "127.0.0.1:1{port}", "127.0.0.2:{port}",
                                  "127.0.0.1", "[::2]:{port}", "0.0.0.0:{port}"])
def test_other_host_names_get_421(preview: PreviewProcess, host: str) -> None:
    for target in ("/", "/countries/pl/", "/livereload.js", "/no-such-page/"):
        status, data = raw_get(preview.port, target, host.format(port=preview.port))
        assert status == 421, data[:300]
        body = data.split(b"\r\n\r\n", 1)[1]
        assert body == f"421 Misdirected Request: this preview answers only its own addresses, such as " \
                       f"{preview.url}\n".encode()


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}", "[::1]:{port}"])
def test_its_own_host_names_are_answered(preview: PreviewProcess, host: str) -> None:
    status, data = raw_get(preview.port, "/countries/pl/", host.format(port=preview.port))
    assert status == 200 and b"Poland" in data


def test_websockets_from_other_origins_are_refused(preview: PreviewProcess) -> None:
    port = preview.port
    own, evil = f"127.0.0.1:{port}", f"evil.example:{port}"
    assert websocket_upgrade(port, own, f"http://{own}") == 101
    assert websocket_upgrade(port, f"localhost:{port}", f"http://localhost:{port}") == 101
    assert websocket_upgrade(port, evil, f"http://{evil}") == 421  # the rebinding page: Host and Origin its own
    assert websocket_upgrade(port, own, f"http://{evil}") == 403
    assert websocket_upgrade(port, own, "null") == 403
    assert websocket_upgrade(port, own, f"http://127.0.0.1:{port}.evil.example") == 403


def test_the_error_page_may_run_only_the_live_reload_script(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "site")
    (root / COUNTRY).write_text((root / COUNTRY).read_text().replace('iso2: "PL"', 'iso2: "XX"'))
    with running_preview(root) as running:
        connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=5)
        connection.request("GET", "/countries/pl/")
        response = connection.getresponse()
        body = response.read().decode()
        assert response.status == 500 and 'id="preview-errors"' in body
        style = re.search(r"<style>(.*?)</style>", body).group(1)
        digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        assert response.getheader("Content-Security-Policy") == (
            f"default-src 'none'; style-src 'sha256-{digest}'; script-src 'self'; "
            f"connect-src 'self' ws://127.0.0.1:{running.port}; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'")
        assert '<script async src="/livereload.js?port=' in body
        connection.close()
        # A page that built keeps working as before, with no policy of the preview's.
        (root / COUNTRY).write_text((root / COUNTRY).read_text().replace('iso2: "XX"', 'iso2: "PL"'))
        wait_for_page(running.url + "countries/pl/", lambda status, body: status == 200)
        with urllib.request.urlopen(running.url + "countries/pl/", timeout=5) as response:
            assert response.headers.get("Content-Security-Policy") is None


def test_a_client_slow_to_send_its_headers_is_cut_off(tmp_path: Path) -> None:
    with running_preview(copy_site(tmp_path / "site"), args=("--header-timeout", "1")) as running:
        with socket.create_connection(("127.0.0.1", running.port), timeout=10) as conn:
            conn.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and nothing more
            started = time.monotonic()
            assert conn.recv(1024) == b""  # closed by the server, not by our own 10-second timeout
            assert time.monotonic() - started < 8
        assert fetch(running.url)[0] == 200


def test_listening_beyond_loopback_warns_and_prints_the_real_address(tmp_path: Path) -> None:
    with running_preview(copy_site(tmp_path / "site"), args=("--host", "0.0.0.0")) as running:
        output = "".join(running.lines)
        assert ("warning: the preview listens on every address of this machine: anyone who can reach it can read "
                "the site, its error pages and the paths in them; use --host 127.0.0.1 to keep it to this "
                "machine\n") in output
        address = urlsplit(running.url).hostname
        assert address and not ipaddress.ip_address(address).is_loopback and address != "0.0.0.0"
        status, data = raw_get(running.port, "/countries/pl/", f"{address}:{running.port}", address=address)
        assert status == 200 and b"Poland" in data
        assert raw_get(running.port, "/", f"evil.example:{running.port}", address=address)[0] == 421


def test_listening_on_loopback_does_not_warn(preview: PreviewProcess) -> None:
    assert not any("warning" in line for line in preview.lines)
    assert preview.url == f"http://127.0.0.1:{preview.port}/"


# The build worker's wait for the reloaded pages, and the watcher's for a file saved in place.

class Worker:
    """`python -m builder.serve ROOT OUT URL`, the preview's build worker, spoken to line by line."""

    def __init__(self, root: Path, stderr: int | None = None) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "builder.serve", str(root), str(root / ".preview"),
                                      "http://127.0.0.1:1/"], cwd=REPO, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=stderr, text=True)
        self.answers: queue.Queue[dict] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.answers.put(json.loads(line))

    def send(self, message: dict) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(message) + "\n")
        self.proc.stdin.flush()

    def answer(self) -> dict:
        return self.answers.get(timeout=60)  # bounds a failure only

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()


def test_the_worker_builds_the_whole_site_once_told_or_by_itself(tmp_path: Path) -> None:
    """After writing the open page made first, the worker goes on when the server says the page is loaded again;
    when no word comes (the page was closed), it goes on by itself."""
    root = copy_site(tmp_path / "site")
    claims, page = root / "content/claims/wire.yaml", "sources/wire/index.html"
    text = claims.read_text(encoding="utf-8")
    worker = Worker(root)
    try:
        worker.send({"changed": [], "open": []})
        assert worker.answer()["count"] > 0
        for n, told in ((1, True), (2, False)):
            claims.write_text(text.replace("Poland will leave", f"Poland (edit {n}) will leave"), encoding="utf-8")
            worker.send({"changed": ["content/claims/wire.yaml"], "open": [page]})
            assert worker.answer()["hot"] == [page]
            assert f"(edit {n})" in (root / ".preview" / page).read_text(encoding="utf-8")
            if told:
                worker.send({"go": True})
            assert worker.answer()["kept_hot"] == [page]
        worker.send({"go": True})  # a word that came too late is passed over
        worker.send({"changed": [], "open": []})
        assert "count" in worker.answer()
    finally:
        worker.stop()


def test_the_worker_tells_what_an_edit_leaves_out(tmp_path: Path) -> None:
    """A summary sentence dated after the site's date is left out: the preview's terminal says so, as `build` does."""
    root = copy_site(tmp_path / "site", templates=False)
    summary = root / "content/summary.yaml"
    worker = Worker(root, stderr=subprocess.PIPE)
    try:
        worker.send({"changed": [], "open": []})
        assert worker.answer()["count"] > 0
        summary.write_text(summary.read_text(encoding="utf-8").replace("date: 2025-03-18", "date: 2026-03", 1),
                           encoding="utf-8")
        worker.send({"changed": ["content/summary.yaml"], "open": []})
        assert "count" in worker.answer()
    finally:
        worker.proc.stdin.close()  # type: ignore[union-attr]
        worker.proc.wait(timeout=60)
    told = worker.proc.stderr.read()  # type: ignore[union-attr]
    assert "content/summary.yaml:3:9: note: the summary sentence is dated March 2026, after the site's date" in told
    assert told.count("note:") == 1


class FakeWorker:
    """A build worker that records what it is asked and answers at once."""

    def __init__(self) -> None:
        self.builds: list[list[str]] = []
        self.gone = 0
        self.done: asyncio.Queue[None] | None = None

    def build(self, changed: list[str], open_pages: list[str], on_hot: Callable[[list[str], float], None]
              ) -> BuildResult:
        self.builds.append(changed)
        return BuildResult(count=1)

    def go(self) -> None:
        self.gone += 1


class FakePage:
    """An open page's socket, as the Preview sees it."""

    def __init__(self, page: str) -> None:
        self.page, self.build, self.sent = page, "", []

    def send_message(self, message: dict) -> None:
        self.sent.append(message)


def fake_preview(root: Path) -> tuple[Preview, FakeWorker]:
    preview = Preview(root, "http://127.0.0.1:1/", frozenset({"127.0.0.1:1"}))
    worker = FakeWorker()
    preview.worker = worker  # type: ignore[assignment]
    return preview, worker


def test_the_whole_build_goes_on_once_every_page_made_first_is_loaded_again(tmp_path: Path) -> None:
    preview, worker = fake_preview(copy_site(tmp_path / "site"))
    pages = [FakePage("sources/wire/index.html"), FakePage("countries/pl/index.html"), FakePage("compare/index.html")]
    LiveReloadHandler.waiters.update(pages)
    try:
        preview.publish_hot(frozenset({"sources/wire/index.html", "countries/pl/index.html"}), 0.01)
        assert [page.sent for page in pages] == [[RELOAD], [RELOAD], []] and worker.gone == 0
        preview.loaded("an older build", "sources/wire/index.html")
        preview.loaded(preview.hot_id, "compare/index.html")
        preview.loaded(preview.hot_id, "sources/wire/index.html")
        assert worker.gone == 0  # the country page is still loading
        preview.loaded(preview.hot_id, "countries/pl/index.html")
        assert worker.gone == 1
        preview.loaded(preview.hot_id, "countries/pl/index.html")  # a second tab: nothing more
        preview.publish_hot(frozenset({"sources/other/index.html"}), 0.01)  # made first, but not open
        assert worker.gone == 2
        preview.result = BuildResult(errors=(ContentError("content/claims/wire.yaml", 1, 1, "wrong"),))
        preview.publish_hot(frozenset({"sources/wire/index.html"}), 0.01)  # every page shows the errors
        assert worker.gone == 3 and pages[0].sent == [RELOAD]
    finally:
        LiveReloadHandler.waiters.difference_update(pages)


def preview_telling_when_built(root: Path) -> tuple[Preview, FakeWorker, asyncio.Event]:
    """A preview with a fake worker, and an event set each time a build it started has ended."""
    preview, worker = fake_preview(root)
    ended = asyncio.Event()
    preview.finish = lambda future: (Preview.finish(preview, future), ended.set())  # type: ignore[method-assign]
    return preview, worker, ended


def test_a_file_seen_emptied_is_built_once_written_or_after_a_moment(tmp_path: Path) -> None:
    """An editor saving in place empties the file first: that state is built only if it lasts."""
    root = copy_site(tmp_path / "site")
    claims = root / "content/claims/wire.yaml"
    text = claims.read_text(encoding="utf-8")

    async def edits() -> None:
        preview, worker, ended = preview_telling_when_built(root)
        claims.write_text("", encoding="utf-8")
        preview.changed({str(claims)})
        assert not preview.building and worker.builds == []
        claims.write_text(text.replace("Poland will", "Poland still will"), encoding="utf-8")
        preview.changed({str(claims)})  # the rest of the save: built at once
        assert preview.building
        await asyncio.wait_for(ended.wait(), 60)
        assert worker.builds == [["content/claims/wire.yaml"]]
        ended.clear()
        claims.write_text("", encoding="utf-8")  # emptied for good
        preview.changed({str(claims)})
        assert not preview.building
        await asyncio.wait_for(ended.wait(), 60)
        assert worker.builds == [["content/claims/wire.yaml"]] * 2

    asyncio.run(edits())


def test_a_file_seen_emptied_holds_the_build_while_other_files_of_the_save_come(tmp_path: Path) -> None:
    """A save of several files: one emptied, then another written in a later batch; the build still waits for the
    emptied one to be written (or to stay empty), rather than building it empty."""
    root = copy_site(tmp_path / "site")
    claims, settings = root / "content/claims/wire.yaml", root / "site.yaml"
    text = claims.read_text(encoding="utf-8")

    async def edits() -> None:
        preview, worker, ended = preview_telling_when_built(root)
        claims.write_text("", encoding="utf-8")
        preview.changed({str(claims)})
        settings.write_text(settings.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        preview.changed({str(settings)})  # the same save's next file, in a batch of its own
        assert not preview.building and worker.builds == []
        claims.write_text(text.replace("Poland will", "Poland still will"), encoding="utf-8")
        preview.changed({str(claims)})
        assert preview.building
        await asyncio.wait_for(ended.wait(), 60)
        assert [sorted(changed) for changed in worker.builds] == [["content/claims/wire.yaml", "site.yaml"]]

    asyncio.run(edits())
