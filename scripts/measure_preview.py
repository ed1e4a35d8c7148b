"""Measure the live preview: the time from saving a file to the open page showing the change.

    .venv/bin/python scripts/measure_preview.py [--edits 10] [--root .]

Copies the site (site.yaml, content/, templates/) to a temporary folder, starts `python -m builder serve` on a
free port and opens a page in headless Chromium: for a claim, the page of its source; for the country template
and the stylesheet, a country page. For each kind of edit it saves a new marker `--edits` times and waits for the
page to show it. The time reported runs from just before the save to the reloaded page's load event (read from
the page's own Navigation Timing, so the polling of this script adds nothing). Headless Chromium paints after
the load event, on its own schedule, so the load event is the fairer end. Before the next save it waits for
the whole build to end, as an editor reading the page would. Each kind's row also splits its median: from the save
to the reload's start (the watcher, the page made first, the message), and the reload itself. Files are saved in
place, as many editors do. A wait that ends without what it waited for stops the run: the table of what was
measured is printed all the same, then what failed and the preview's last lines, and it exits with 1. A
measurement, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
COUNTRY = "pl"  # the country page opened, when the site has it
TEMPLATE = "templates/country.html"
STYLESHEET = "templates/assets/style.css"
LOADED = ("document.readyState === 'complete' && "
          "performance.getEntriesByType('navigation')[0].loadEventEnd > 0")


def start_preview(root: Path, cwd: Path) -> tuple[subprocess.Popen[str], str, list[str]]:
    """Start the preview (the builder found in `cwd`) on a free port; return it, its address, its output."""
    proc = subprocess.Popen([sys.executable, "-m", "builder", "serve", "--root", str(root), "--port", "0"],
                            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if " at http://" in line:
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(60) or proc.poll() is not None:
        sys.exit("the preview did not start:\n" + "".join(lines))
    url = re.search(r" at (http://\S+/) ", "".join(lines))
    assert url, lines
    return proc, url.group(1), lines


def edits(root: Path) -> tuple[dict[str, tuple[str, Callable[[int], tuple[Path, str, str]]]], dict[Path, str]]:
    """For each kind, the page to open and a function from a marker number to (file, new text, JS true once the
    page shows it); and the original text of every file edited."""
    claims = sorted((root / "content" / "claims").glob("*.yaml"))[0]
    countries = sorted(path.stem for path in (root / "content" / "countries").glob("*.yaml"))
    country_page = f"countries/{COUNTRY if COUNTRY in countries else countries[0]}/"
    template, stylesheet = root / TEMPLATE, root / STYLESHEET
    originals = {path: path.read_text(encoding="utf-8") for path in (claims, template, stylesheet)}
    assert 'says: "' in originals[claims] and "<h1>{{ country.name }}</h1>" in originals[template]
    return {
        "claim": (f"sources/{claims.stem}/", lambda n: (
            claims, originals[claims].replace('says: "', f'says: "mark{n}x ', 1),
            f"document.body.innerText.includes('mark{n}x')")),
        "template": (country_page, lambda n: (template, originals[template].replace(
            "<h1>{{ country.name }}</h1>", f"<h1>{{{{ country.name }}}} mark{n}x</h1>", 1),
            f"(document.querySelector('h1')?.textContent || '').includes('mark{n}x')")),
        "stylesheet": (country_page, lambda n: (
            stylesheet, originals[stylesheet] + f"\n:root {{ --preview-mark: {n}; }}\n",
            f"getComputedStyle(document.documentElement).getPropertyValue('--preview-mark').trim() === '{n}'")),
    }, originals


def count_builds(lines: list[str]) -> int:
    """The builds the preview has ended so far: each whole build prints one line that starts so."""
    return sum(line.startswith(("built ", "The site did not build")) for line in lines)


class Failed(Exception):
    """A wait that ended without what it waited for: the run stops, and says which."""


def wait_for_builds(lines: list[str], count: int, timeout: float = 120) -> None:
    """Wait until the preview has ended `count` builds."""
    deadline = time.monotonic() + timeout
    while count_builds(lines) < count:
        if time.monotonic() > deadline:
            raise Failed(f"the preview did not end build {count} within {timeout:.0f} s")
        time.sleep(0.05)


def figures(times: list[float]) -> str:
    return f"{statistics.median(times):>8.3f}s{max(times):>8.3f}s{min(times):>8.3f}s"


def open_page(page: Any, address: str) -> None:
    """Go to a page and wait until it is loaded and connected. A reload the preview sends it meanwhile (a build that
    ended after the page was served) may interrupt the navigation: the wait goes on in the reloaded page; or abort
    it before it commits: the page is asked for again."""
    from playwright.sync_api import Error

    for attempt in range(3):  # a reload may also abort it before it commits (net::ERR_ABORTED): go again
        try:
            page.goto(address, wait_until="commit")
            break
        except Error as exc:
            if "interrupted by another navigation" in str(exc):
                break
            if "net::ERR_ABORTED" not in str(exc) or attempt == 2:
                raise
    page.wait_for_function(f"() => location.href === {address!r} && {LOADED} && window.LiveReload "
                           "&& window.LiveReload.connector.protocol > 0", timeout=30_000)


def measure(page: Any, url: str, lines: list[str], kinds: dict, originals: dict[Path, str], edits: int,
            samples: dict[str, list[tuple[float, float, float]]]) -> None:
    """Save each kind's edits in turn, each timed into `samples[kind]` as (saved, reload's start, load event) in
    seconds since the epoch; each file is restored after its kind."""
    for kind, (opened, make) in kinds.items():
        open_page(page, url + opened)
        samples[kind] = []
        for n in range(1, edits + 1):
            path, text, shows = make(n)
            builds = count_builds(lines)
            saved = time.time()
            path.write_text(text, encoding="utf-8")  # in place, as many editors save
            wait_until(page, f"{LOADED} && {shows}", f"{kind} edit {n} shown")
            origin, loaded_ms = page.evaluate(
                "[performance.timeOrigin, performance.getEntriesByType('navigation')[0].loadEventEnd]")
            samples[kind].append((saved, origin / 1000, (origin + loaded_ms) / 1000))
            wait_for_builds(lines, builds + 1)
            time.sleep(0.3)  # let the page settle; this is a measurement, not a test
        builds = count_builds(lines)
        path.write_text(originals[path], encoding="utf-8")
        wait_until(page, f"{LOADED} && !({shows})", f"{kind} restored")
        wait_for_builds(lines, builds + 1)


def wait_until(page: Any, condition: str, what: str, timeout_ms: int = 120_000) -> None:
    from playwright.sync_api import Error

    try:
        page.wait_for_function(f"() => {condition}", timeout=timeout_ms)
    except Error as exc:
        shown = ""
        with contextlib.suppress(Error):
            shown = page.evaluate("location.href + ': ' + document.body.innerText.slice(0, 300)")
        raise Failed(f"{what}: not within {timeout_ms // 1000} s ({str(exc).splitlines()[0]}); the page: {shown}"
                     ) from None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=10, help="edits per kind (default: 10)")
    parser.add_argument("--root", type=Path, default=REPO, help="the site to copy (default: this repo)")
    parser.add_argument("--kinds", default="claim,template,stylesheet",
                        help="the kinds of edit, in turn (default: claim,template,stylesheet)")
    args = parser.parse_args()
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="measure-preview-") as tmp:
        root = Path(tmp) / "site"
        root.mkdir()
        shutil.copy2(args.root / "site.yaml", root / "site.yaml")
        for folder in ("content", "templates"):
            shutil.copytree(args.root / folder, root / folder, dirs_exist_ok=True)
        for name in (TEMPLATE, STYLESHEET):  # edited as a site's override of the default theme's file
            if not (root / name).exists():
                (root / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(REPO / "builder" / "theme" / Path(name).relative_to("templates"), root / name)
        # The builder too, so that edits to the repo's builder/*.py meanwhile restart nothing here.
        shutil.copytree(REPO / "builder", Path(tmp) / "builder", ignore=shutil.ignore_patterns("__pycache__"))
        kinds, originals = edits(root)
        opened_by_kind = {kind: opened for kind, (opened, _) in kinds.items()}
        kinds = {kind: kinds[kind] for kind in args.kinds.split(",")}
        proc, url, lines = start_preview(root, cwd=Path(tmp))
        samples: dict[str, list[tuple[float, float, float]]] = {}
        failure = ""
        playwright = sync_playwright().start()
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                measure(browser.new_page(), url, lines, kinds, originals, args.edits, samples)
            except (Failed, PlaywrightError) as exc:
                failure = str(exc)
            browser.close()
        finally:
            playwright.stop()
            proc.terminate()
            proc.wait(10)
    output = "".join(lines)
    builds = [float(m) for m in re.findall(r"built \d+ files in ([\d.]+)s", output)[1:]]
    hot = [float(m) for m in re.findall(r"made first: .* in ([\d.]+)s", output)]
    print(f"save -> reloaded page loaded, {args.edits} edits per kind, {opened_by_kind['claim']} for the claim and "
          f"{opened_by_kind['template']} for the others, load average {os.getloadavg()[0]:.2f} on "
          f"{os.cpu_count()} CPUs")
    print(f"{'kind':<12}{'median':>9}{'max':>9}{'min':>9}{'to reload':>11}{'reloading':>11}   (medians)")
    for kind, timed in samples.items():
        if timed:
            print(f"{kind:<12}{figures([end - saved for saved, _, end in timed])}"
                  f"{statistics.median(start - saved for saved, start, _ in timed):>10.3f}s"
                  f"{statistics.median(end - start for _, start, end in timed):>10.3f}s")
    loading = [end - start for timed in samples.values() for _, start, end in timed]
    if loading:
        print(f"{'(reloading)':<12}{figures(loading)}   of each, the browser's reload itself, start to load event")
    for label, times in (("(open page)", hot), ("(whole site)", builds)):
        if times:
            print(f"{label:<12}{figures(times)}   over {len(times)} builds, as the worker timed them")
    if failure:
        print(f"failed: {failure}\nthe preview's last lines:\n" + "".join(lines[-30:]), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
