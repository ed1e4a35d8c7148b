"""Measure page heights (and take full-page screenshots) of a built site in Chromium, for the readers' notes.

Usage: python scripts/measure_pages.py PUBLIC_DIR OUT_DIR [WIDTH ...]
Prints one line per page and width: its path, the width and the page's height in CSS pixels.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.browser import chromium_browser, serve_directory  # noqa: E402

PAGES = {"home": "", "poland": "countries/pl/", "compare": "compare/", "references": "references/",
         "map": "map/"}


def main(public: Path, out: Path, widths: list[int]) -> None:
    """Print each page's height at each width and save a screenshot of it."""
    out.mkdir(parents=True, exist_ok=True)
    with serve_directory(public, "/ottawa-exit/") as base, chromium_browser() as browser:
        for width in widths:
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            for name, path in PAGES.items():
                page.goto(base + path)
                height = page.evaluate("document.documentElement.scrollHeight")
                page.screenshot(path=str(out / f"{name}-{width}.png"), full_page=True)
                print(f"{name:<11} {width:>5} px wide: {height:>6} px tall")
            context.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), [int(w) for w in sys.argv[3:]] or [1280, 390])
