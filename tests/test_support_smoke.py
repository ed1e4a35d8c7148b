"""The test helpers themselves work: the subpath server, Chromium, axe-core and vnu.jar."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.browser import launch_chromium, serve_directory
from tests.support.checkers import format_axe, format_vnu, require_axe, require_vnu, run_axe, run_vnu

GOOD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Smoke test page</title>
</head>
<body>
<header><p>Smoke site</p></header>
<main>
<h1>A tiny accessible page</h1>
<p>It has a <a href="other/">link</a> and an image:
<img src="dot.svg" alt="A black dot" width="8" height="8"></p>
</main>
</body>
</html>
"""

# Line 10 is the img without alt; otherwise the same structure as GOOD.
BAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Bad page</title>
</head>
<body>
<main>
<h1>An image without a text alternative</h1>
<p><img src="dot.svg" width="8" height="8"></p>
</main>
</body>
</html>
"""

DOT = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><circle cx="4" cy="4" r="4"/></svg>\n'
NOT_FOUND = '<!DOCTYPE html><html lang="en"><head><title>Not found</title></head><body>gone</body></html>\n'


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "other").mkdir(parents=True)
    (root / "index.html").write_text(GOOD, encoding="utf-8")
    (root / "bad.html").write_text(BAD, encoding="utf-8")
    (root / "dot.svg").write_text(DOT, encoding="utf-8")
    (root / "other" / "index.html").write_text(GOOD.replace("Smoke test page", "Other"), encoding="utf-8")
    (root / "404.html").write_text(NOT_FOUND, encoding="utf-8")
    (root / "empty").mkdir()
    return root


def fetch(url: str) -> tuple[int, str, str]:
    """(status, final URL, body) for a GET, without raising on 4xx."""
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.url, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, url, err.read().decode()


def test_serve_directory_serves_under_subpath_only(site: Path) -> None:
    with serve_directory(site, "ottawa-exit") as base:
        assert base.startswith("http://127.0.0.1:")
        assert base.endswith("/ottawa-exit/")
        origin = base[: -len("ottawa-exit/")]

        status, _, body = fetch(base)
        assert (status, "Smoke test page" in body) == (200, True)

        status, _, body = fetch(base + "other/")
        assert (status, "<title>Other</title>" in body) == (200, True)

        # "/ottawa-exit" and "/ottawa-exit/other" redirect to their slash forms.
        assert fetch(origin + "ottawa-exit")[:2] == (200, base)
        assert fetch(base + "other")[:2] == (200, base + "other/")

        # Outside the subpath, missing files and directories without index.html: the site's 404 page.
        for url in (origin, origin + "index.html", base + "missing.html", base + "empty/", base + "../x"):
            status, _, body = fetch(url)
            assert status == 404, url
            assert "<title>Not found</title>" in body, url

        req = urllib.request.Request(base + "dot.svg", method="HEAD")
        with urllib.request.urlopen(req, timeout=10) as resp:
            assert resp.headers["Content-Type"] == "image/svg+xml"


def test_serve_directory_plain_404_without_404_page(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(GOOD, encoding="utf-8")
    with serve_directory(tmp_path) as base:
        assert base.endswith("/") and base.count("/") == 3
        assert fetch(base)[0] == 200
        status, _, body = fetch(base + "nope")
        assert status == 404
        assert "Smoke" not in body


def in_own_thread(run: Callable[[], None]) -> None:
    """Run a test's Playwright in a thread of its own: a sync Playwright is one per thread, and the browser tests
    keep one running in the main thread for the whole session (tests/browser/conftest.py)."""
    raised: list[BaseException] = []

    def target() -> None:
        try:
            run()
        except BaseException as exc:  # the test's failure, raised again in its own thread
            raised.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if raised:
        raise raised[0]


def test_chromium_without_playwright_instance_axe_good_and_bad_page(site: Path) -> None:
    require_axe()
    in_own_thread(lambda: check_axe_good_and_bad_page(site))


def check_axe_good_and_bad_page(site: Path) -> None:
    """One Chromium, launched with no Playwright of the caller's (launch_chromium starts one and stops it with the
    browser): a Chromium and its Playwright cost 2-3 s of CPU to start, so the launch and axe share one. The
    browser tests' session fixture launches through chromium_browser()."""
    with serve_directory(site, "/ottawa-exit/") as base:
        browser = launch_chromium()
        try:
            page = browser.new_page()
            response = page.goto(base)
            assert response is not None and response.status == 200
            assert page.title() == "Smoke test page"
            assert page.locator("h1").inner_text() == "A tiny accessible page"
            # The image loaded through the subpath (naturalWidth is 0 for a broken image).
            assert page.eval_on_selector("img", "img => img.naturalWidth") == 8
            violations = run_axe(page)
            assert violations == [], format_axe(violations)

            page.goto(base + "bad.html")
            assert page.title() == "Bad page"
            violations = run_axe(page)
            ids = {v["id"] for v in violations}
            assert "image-alt" in ids, format_axe(violations)
            image_alt = next(v for v in violations if v["id"] == "image-alt")
            assert image_alt["impact"] == "critical"
            assert image_alt["nodes"][0]["target"] == ["img"]
            # Rules can be switched off.
            assert "image-alt" not in {v["id"] for v in run_axe(page, disable_rules=["image-alt"])}

            page.goto(base + "missing/")
            assert page.title() == "Not found"
            page.goto(base + "other/")
            assert page.title() == "Other"
        finally:
            browser.close()


def test_vnu_passes_good_and_reports_bad(site: Path) -> None:
    require_vnu()
    good, bad = site / "index.html", site / "bad.html"

    errors = run_vnu([good, bad])  # one JVM for both: the good page is the one without errors
    assert errors, "vnu found no error in a page with an img without alt"
    assert {e["file"] for e in errors} == {str(bad)}, format_vnu(errors)
    assert any(e["line"] == 10 and "alt" in e["message"] for e in errors), format_vnu(errors)

    # A whole directory with non-HTML files in it: only the HTML is checked.
    errors = run_vnu([site], skip_non_html=True)
    assert {e["file"] for e in errors} == {str(bad)}, format_vnu(errors)

    with pytest.raises(FileNotFoundError):
        run_vnu([site / "does-not-exist.html"])
