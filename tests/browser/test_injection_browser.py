"""The hostile build of tests/test_injection.py in Chromium: every page loads and nothing in it runs.

Each page is opened under its own Content-Security-Policy with alert, confirm and prompt watched (an init
script marks window.__pwned, then lets the dialog open so the dialog handler sees it too), and the DOM the browser
built is checked as well: its parser, not ours, decides what is an element, an attribute and a link.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.browser import serve_directory
from tests.test_injection import build_hostile

SUBPATH = "/sub/"  # the hostile site's base_url is https://example.org/sub/

WATCH_DIALOGS = """
(() => {
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    const original = window[name];
    window[name] = function (...args) {
      window.__pwned = (window.__pwned || []).concat([name + "(" + args.join(",") + ")"]);
      return original.apply(this, args);
    };
  }
  window.__csp = [];
  document.addEventListener("securitypolicyviolation",
    (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
})();
"""

FIRE_EVENTS = """
() => {
  for (const element of document.querySelectorAll("body *")) {
    for (const type of ["mouseover", "mouseenter", "focus", "focusin", "pointerdown"]) {
      element.dispatchEvent(new Event(type, {bubbles: false}));
    }
  }
}
"""

INSPECT_DOM = """
() => {
  const problems = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      if (attribute.name.toLowerCase().startsWith("on")) problems.push(`<${element.localName} ${attribute.name}>`);
    }
  }
  for (const link of document.querySelectorAll("a[href], area[href]")) {
    const protocol = new URL(link.href, document.baseURI).protocol;
    if (!["http:", "https:", "mailto:"].includes(protocol)) problems.push(`link to ${link.href}`);
  }
  // The site's own two scripts (the search page's and the map's date control) are the only ones allowed, each by
  // its name, with its form; nothing a hostile field writes can add another.
  const own = ["/assets/search.js", "/assets/map-date.js"];
  const ownForm = (element) => element.localName === "form" &&
    ["search-form", "map-date-form"].some((name) => element.classList.contains(name));
  const ownScript = (element) => element.localName === "script" && element.type === "module" &&
    own.some((path) => new URL(element.src).pathname.endsWith(path));
  for (const element of document.querySelectorAll("[src], iframe, object, embed, img, form, base")) {
    if (!ownForm(element) && !ownScript(element)) problems.push(`<${element.localName}> element`);
  }
  const blocks = [];
  for (const script of document.scripts) {
    if (ownScript(script)) continue;
    if (script.type !== "application/ld+json") { problems.push(`script of type '${script.type}'`); continue; }
    try { blocks.push(JSON.parse(script.textContent)); } catch (e) { problems.push(`JSON-LD: ${e}`); }
  }
  return {problems, blocks: blocks.length, text: document.body.innerText};
}
"""


@pytest.fixture(scope="module")
def hostile_public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_hostile(tmp_path_factory.mktemp("hostile-browser"))


@pytest.fixture(scope="module")
def server(hostile_public: Path) -> Iterator[str]:
    with serve_directory(hostile_public, SUBPATH) as base:
        yield base


def page_urls(public: Path) -> list[str]:
    """Every HTML file, by the URL a reader would use (a folder for index.html)."""
    rels = sorted(p.relative_to(public).as_posix() for p in public.rglob("*.html"))
    return [rel.removesuffix("index.html") for rel in rels]


def test_the_hostile_build_has_every_kind_of_page(hostile_public: Path) -> None:
    urls = page_urls(hostile_public)
    for expected in ("", "404.html", "treaty/", "countries/", "countries/pl/", "compare/", "sources/",
                     "sources/wire/", "references/", "methodology/"):
        assert expected in urls


def test_no_page_of_the_hostile_build_runs_anything(hostile_public: Path, server: str, browser) -> None:
    context = browser.new_context()
    context.add_init_script(WATCH_DIALOGS)
    page = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []

    def on_dialog(dialog) -> None:  # type: ignore[no-untyped-def]
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    checked = 0
    for url in page_urls(hostile_public):
        response = page.goto(server + url)
        assert response is not None and response.status == 200, url
        page.wait_for_load_state("load")
        # Pointing at, focusing and clicking on every element would fire any on* handler that slipped through.
        page.evaluate(FIRE_EVENTS)
        found = page.evaluate(INSPECT_DOM)
        assert found["problems"] == [], f"{url}: {found['problems']}"
        assert found["blocks"] >= 1 or url == "404.html", f"{url}: no JSON-LD"
        assert page.evaluate("window.__pwned") is None, f"{url}: {page.evaluate('window.__pwned')}"
        assert page.evaluate("window.__csp") == [], f"{url}: the policy had to block something"
        assert dialogs == [], f"{url}: {dialogs}"
        assert errors == [], f"{url}: console errors {errors}"
        assert "{{ 7*7 }}" in found["text"] or url == "404.html", f"{url}: the payload is not shown as text"
        checked += 1
    assert checked >= 10
    context.close()


def test_search_results_show_a_hostile_claim_as_text(server: str, browser) -> None:
    """The search page sets every title and excerpt from the index as text: a claim's markup is never parsed."""
    context = browser.new_context()
    context.add_init_script(WATCH_DIALOGS)
    page = context.new_page()
    errors: list[str] = []
    page.on("dialog", lambda dialog: (errors.append(f"dialog {dialog.message}"), dialog.dismiss()))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "search/")
    page.fill("#search-q", "Poland alert")
    page.press("#search-q", "Enter")
    page.wait_for_selector(".search-list")
    page.evaluate(FIRE_EVENTS)
    found = page.evaluate(INSPECT_DOM)
    assert found["problems"] == [], found["problems"]
    results = page.locator(".search-list")
    tags = page.evaluate("() => [...new Set([...document.querySelectorAll('.search-list *')].map(e => e.localName))]")
    assert set(tags) <= {"li", "a", "p", "mark"}, tags
    assert "<script>alert(1)</script>" in results.inner_text(), "the payload is shown, as text"
    assert page.locator(".search-list mark").count() > 0, "the words found are marked"
    hrefs = [results.locator("li > a").nth(i).get_attribute("href") or ""
             for i in range(results.locator("li > a").count())]
    assert hrefs and all(h.startswith(SUBPATH) for h in hrefs), hrefs
    assert page.evaluate("window.__pwned") is None and page.evaluate("window.__csp") == []
    assert errors == []
    context.close()
