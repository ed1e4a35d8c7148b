"""What helps readers find, share, search and come back, in Chromium under a project subpath: the search page
(MiniSearch over the index the builder writes), the map page's date control, every page's share card, and the
change log's feed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from builder.build import build_site
from builder.load import list_content, read_globals
from builder.maps import load_geometry
from builder.mapviews import StatusMaps
from builder.model import Site
from builder.render import human_date
from builder.search import claim_text
from builder.status import status_on
from builder.validate import validate_shared
from builder.views import rules_of
from tests.support.browser import Tab, serve_directory
from tests.support.overlaps import WORDS, overlapping_site

SUBPATH = "/ottawa-exit/"
REPO = Path(__file__).resolve().parents[2]
ATOM = "{http://www.w3.org/2005/Atom}"



# The results shown once a search for `words` has ended: the count names the words, in quotes.
SHOWN_FOR = """(words) => !document.getElementById("search-results").hasAttribute("aria-busy")
  && document.querySelector(".search-count")?.textContent.includes(`\u201c${words}\u201d`)"""


def search(page, words: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Search as a reader does, by typing and pressing Enter in the search page that is open (one search after
    another, as a reader searches again: a load of the page and its index costs Chromium 0.3 s of CPU, more than
    the search); (link text, href) of each result, once they are those of `words`."""
    assert page.locator("#search-q").count() == 1, f"not the search page: {page.url}"
    page.fill("#search-q", words)
    page.press("#search-q", "Enter")
    page.wait_for_function(SHOWN_FOR, arg=words)
    links = page.locator(".search-list li > a")
    return [(links.nth(i).inner_text(), links.nth(i).get_attribute("href") or "") for i in range(links.count())]


def test_search_finds_a_country_and_a_claim_under_the_subpath(built: tuple[Site, Path], server: str,
                                                              tabs: dict[str, Tab]) -> None:
    site, _ = built
    tab = tabs["policy"]  # the page's own policy: the search must run under it
    page, errors = tab.page, tab.errors
    tab.load(server + "search/")

    found = search(page, "Finland")
    assert found[0] == (site.countries["fi"].name, SUBPATH + "countries/fi/"), "a title's word ranks first"
    count = page.locator(".search-count").inner_text()
    assert count.startswith(f"{page.locator('.search-list li').count()} results") or "the first 20 shown" in count
    assert page.locator(".search-list li").first.locator("mark").first.inner_text() == "Finland"
    # A word mistyped, or begun, still finds it (MiniSearch's fuzzy and prefix matching).
    assert (site.countries["fi"].name, SUBPATH + "countries/fi/") in search(page, "Finlnd")
    assert (site.countries["ee"].name, SUBPATH + "countries/ee/") in search(page, "Eston")
    assert search(page, "zzqxv") == []
    assert page.locator(".search-count").inner_text() == "Nothing found for \u201czzqxv\u201d."
    # A reference, by a word of its excerpt.
    reference = next(iter(site.references.values()))
    found = search(page, max(re.findall(r"[A-Za-z]+", reference.excerpt), key=len))
    assert any(h == f"{SUBPATH}references/#ref-{reference.id}" for _, h in found), found

    claim = site.claims["ml-defence-rethink"]
    word = "reassess"
    assert word in claim.quote
    found = search(page, word)
    href = f"{SUBPATH}sources/{claim.source_id}/#claim-{claim.id}"
    assert any(h == href for _, h in found), found
    # The result opens the claim's highlight in its source's text.
    page.click(f".search-list a[href='{href}']")
    assert page.locator(f"mark#claim-{claim.id}").is_visible()
    assert errors == []
    # The address keeps the query, so a search can be shared or come back to.
    page.goto(server + "search/?q=Estonia")
    page.wait_for_selector(".search-count")
    assert "Estonia" in page.locator(".search-count").inner_text()


def test_the_date_control_shows_estonia_before_and_after_it_left(server: str, tabs: dict[str, Tab]) -> None:
    page = tabs["policy"].page
    tabs["policy"].load(server + "map/")
    row = page.locator(".map-date-table tr[data-iso=ee]")
    summary = page.locator("#map-date-summary")
    assert page.locator(".map-dated").is_visible()
    assert summary.get_attribute("aria-live") == "polite"

    page.fill("#map-day", "2025-12-26")
    page.dispatch_event("#map-day", "change")
    assert row.locator(".map-date-status").inner_text() == "State Party, withdrawal pending"
    assert "On 26 December 2025:" in summary.inner_text()
    assert "status-pending" in (page.locator(".map-dated svg .country-ee .country").get_attribute("class") or "")

    page.fill("#map-day", "2025-12-27")
    page.dispatch_event("#map-day", "change")
    assert row.locator(".map-date-status").inner_text() == "Withdrawn"
    assert re.search(r"Withdrawn: [^.]*Estonia", summary.inner_text())
    assert "status-withdrawn" in (page.locator(".map-dated svg .country-ee .country").get_attribute("class") or "")

    # By keyboard: the buttons step from one change to the one before.
    page.focus("button[data-step='-1']")
    page.keyboard.press("Enter")
    assert page.input_value("#map-day") < "2025-12-27"
    assert row.locator(".map-date-status").inner_text() == "State Party, withdrawal pending"


def site_rows(start: date, end: date) -> dict[str, dict[str, list[str]]]:
    """Each day from `start` to `end`: each country's row of the map table as the site knows its status that day (the
    status history of its page): status, since, and the name its shape says, by the builder's own model."""
    listing = list_content(REPO)
    read_globals(listing, None)
    site = validate_shared(listing.raw, listing.log).site
    assert site is not None
    rules, rows = rules_of(site), StatusMaps(site, load_geometry()).rows
    countries = {c.iso2: c for c in site.countries.values()}
    found = {}
    for n in range((end - start).days + 1):
        day = start + timedelta(days=n)
        found[day.isoformat()] = {
            row.iso2.lower(): [status.label, human_date(status.since), f"{row.name}: {status.label}"]
            for row in rows for status in [status_on(countries[row.iso2], day, rules)]}
    return found


SHOWN = """() => Object.fromEntries([...document.querySelectorAll(".map-date-table tr[data-iso]")].map((tr) => [
  tr.dataset.iso, [tr.querySelector(".map-date-status").textContent, tr.querySelector(".map-date-since").textContent,
                   document.querySelector(`.map-dated svg .country-${tr.dataset.iso}`).getAttribute("aria-label") ||
                   document.querySelector(`.map-dated svg .country-${tr.dataset.iso} > title`).textContent]]))"""


def test_the_date_control_says_each_days_status_as_the_country_pages_do(server: str, tabs: dict[str, Tab]) -> None:
    page = tabs["policy"].page
    tabs["policy"].load(server + "map/")
    start, end = (date.fromisoformat(page.get_attribute("#map-day", attr) or "") for attr in ("min", "max"))
    expected = site_rows(start, end)
    shown = page.evaluate("""(days) => {
      const input = document.getElementById("map-day");
      const shown = {};
      for (const day of days) {
        input.value = day;
        input.dispatchEvent(new Event("change"));
        shown[day] = (""" + SHOWN + """)();
      }
      return shown;
    }""", list(expected))
    wrong = {day: {iso: (shown[day][iso], row) for iso, row in rows.items() if shown[day][iso] != row}
             for day, rows in expected.items()}
    assert not {day: rows for day, rows in wrong.items() if rows}

    # "Next change" stops on each day the table changes, and on no other.
    days = list(expected)
    changed = [day for before, day in zip(days, days[1:], strict=False) if expected[day] != expected[before]]
    page.fill("#map-day", start.isoformat())
    page.dispatch_event("#map-day", "change")
    stops = [start.isoformat()]
    for _ in days:
        page.click("button[data-step='1']")
        if page.input_value("#map-day") == stops[-1]:
            break
        stops.append(page.input_value("#map-day"))
    assert stops[1:] == changed


OUTLINED = """() => {
  const outlined = (el) => getComputedStyle(el).outlineStyle !== "none";
  const text = document.querySelector(".source-text");
  return {marks: [...text.querySelectorAll("mark")].filter(outlined).map((m) => m.textContent),
          tags: [...text.querySelectorAll(".claim-ref")].filter(outlined).map((a) => a.getAttribute("href"))};
}"""


def test_a_link_to_a_claim_outlines_its_whole_quote_and_no_other_claims_tag(built: tuple[Site, Path], server: str,
                                                                           tabs: dict[str, Tab]) -> None:
    site, _ = built
    page = tabs["policy"].page
    wrong, shown_by_claim = {}, {}
    for source_id in site.sources:  # each claim's link followed in its page (a fragment's :target, as a click)
        ids = [claim.id for claim in site.claims.values() if claim.source_id == source_id]
        tabs["policy"].load(f"{server}sources/{source_id}/", 390, 844)
        shown_by_claim.update(page.evaluate(
            "(ids) => Object.fromEntries(ids.map((id) => { location.hash = 'claim-' + id; return [id, ("
            + OUTLINED + ")()]; }))", ids))
    for claim in site.claims.values():
        shown = shown_by_claim[claim.id]
        start, end = claim.span
        quote = site.sources[claim.source_id].body[start:end]
        if (" ".join("".join(shown["marks"]).split()) != " ".join(quote.split())
                or set(shown["tags"]) - {f"#about-{claim.id}"}):
            wrong[claim.id] = shown
    assert not wrong


def test_a_link_to_any_of_20_overlapping_claims_outlines_its_pieces(tmp_path: Path, tabs: dict[str, Tab]) -> None:
    """The stylesheet had outline rules for 16 claims cut into pieces: from a source's 17th, a link outlined only
    its first piece, beside another claim's tag. The build now writes as many as its sources need."""
    count = 22
    site_dir = overlapping_site(tmp_path / "site", count)
    build_site(site_dir, tmp_path / "public")
    page = tabs["policy"].page
    with serve_directory(tmp_path / "public", "/sub/") as base:
        tabs["policy"].load(base + "sources/trees/", 1280, 720)
        shown = page.evaluate("(ids) => ids.map((id) => { location.hash = 'claim-' + id; return (" + OUTLINED
                              + ")(); })", [f"tree-{n}" for n in range(count)])
    wrong = {n: found for n, found in enumerate(shown)
             if " ".join("".join(found["marks"]).split()) != " ".join(WORDS[n:n + 3])
             or found["tags"] != [f"#about-tree-{n}"]}
    assert not wrong


SMALL_TEXT = """() => [...document.querySelectorAll("body *")].filter((el) => {
  const style = getComputedStyle(el), box = el.getBoundingClientRect();
  if (!box.width || !box.height || style.visibility === "hidden" || el.closest(".visually-hidden")) return false;
  if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) return false;
  const scale = el instanceof SVGGraphicsElement ? el.getScreenCTM().a : 1;  // SVG text is drawn at the map's scale
  return parseFloat(style.fontSize) * scale < 12;
}).map((el) => el.textContent.trim().slice(0, 40))"""


def test_text_a_reader_must_read_is_at_least_12px_on_a_phone_and_a_desk(server: str, tabs: dict[str, Tab]) -> None:
    """Claim tags, rating signs, citations and the map's names (drawn at the map's scale), at 390 and 1280 px; on a
    phone the countries outside the map are listed in text, and the date control's key sits beside its map."""
    page = tabs["policy"].page
    small = {}
    for path in ("", "map/", "countries/pl/", "sources/liberty-post/", "compare/", "methodology/"):
        for width, height in ((390, 844), (1280, 900)):
            tabs["policy"].load(server + path, width, height)
            if found := page.evaluate(SMALL_TEXT):
                small[(path, width)] = found
    assert not small
    tabs["policy"].load(server + "map/", 390, 844)
    insets = page.locator(".map-dated .map-inset-list a")
    assert [" ".join(insets.nth(i).inner_text().split()) for i in range(insets.count())] == [
        "China : Never joined", "United States : Never joined"]  # the status for a screen reader
    assert all((insets.nth(i).bounding_box() or {}).get("height", 0) >= 44 for i in range(insets.count()))
    order = page.evaluate("""() => [...document.querySelector(".map-dated").children].map((el) => el.className)""")
    assert order.index("map-key") == order.index("map-frame") + 2, order  # the key after the list of the boxed


def test_a_claims_number_is_a_link_to_it_a_keyboard_follows_without_script(built: tuple[Site, Path], server: str,
                                                                           tabs: dict[str, Tab]) -> None:
    site, _ = built
    claim = next(c for c in site.claims.values() if c.id == "lp-former-soviet")
    page = tabs["no script"].page
    tabs["no script"].load(f"{server}sources/{claim.source_id}/")
    link = page.locator(f"#about-{claim.id} .claim-number a")
    assert " ".join(link.inner_text().split()).startswith("Claim 6")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**#about-{claim.id}")
    assert page.evaluate(f"document.getElementById('about-{claim.id}').matches(':target')")
    assert page.evaluate("document.querySelector(':target .claim')") is not None


def test_without_javascript_the_date_control_stays_hidden(server: str, tabs: dict[str, Tab]) -> None:
    page = tabs["no script"].page
    tabs["no script"].load(server + "map/")
    assert not page.locator(".map-dated").is_visible()
    assert page.locator(".map-series figure").count() >= 2


def test_every_page_has_a_share_card_that_is_a_png(built: tuple[Site, Path], server: str, tabs: dict[str, Tab]
                                                   ) -> None:
    """Each page as served names its card, and the server sends that card as a PNG. The pages are fetched, not
    drawn: the tags are in the HTML as sent (no script writes them), and drawing 25 pages cost 3-4 s of CPU."""
    _, out = built
    page = tabs["policy"].page
    pages = sorted(out.rglob("*.html"))
    assert len(pages) >= 20
    for path in pages:
        rel = path.relative_to(out).as_posix()
        served = page.request.get(server + (rel.removesuffix("index.html")))
        assert served.status == 200, rel
        head = BeautifulSoup(served.text(), "html.parser").head
        assert head is not None, rel
        image, alt = (head.find("meta", property=name) for name in ("og:image", "og:image:alt"))
        image, alt = (str(tag["content"]) if isinstance(tag, Tag) else None for tag in (image, alt))
        assert image and image.startswith("https://example.org" + SUBPATH + "cards/"), rel
        assert alt and len(alt) > 20, rel
        response = page.request.get(server + image.removeprefix("https://example.org" + SUBPATH))
        assert response.status == 200 and response.headers["content-type"] == "image/png", rel
        assert response.body()[:8] == b"\x89PNG\r\n\x1a\n", rel


def test_the_feed_parses_as_atom_with_dated_entries(built: tuple[Site, Path], server: str, tabs: dict[str, Tab]
                                                    ) -> None:
    site, _ = built
    page = tabs["policy"].page
    tabs["policy"].load(server + "changes/")
    href = page.locator("link[rel=alternate][type='application/atom+xml']").get_attribute("href")
    assert href == SUBPATH + "changes/feed.xml"
    response = page.request.get(server + "changes/feed.xml")
    assert response.status == 200
    feed = ET.fromstring(response.body())
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(site.changes) >= 1
    dates = [e.findtext(f"{ATOM}updated") for e in entries]
    assert all(d and re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", d) for d in dates), dates
    # newest first by their days; a reworded entry keeps its place and is dated when it was reworded
    days = [change.date.isoformat() for change in site.changes]
    assert days == sorted(days, reverse=True) and all(d[:10] >= day for d, day in zip(dates, days, strict=True))
    assert feed.findtext(f"{ATOM}updated") == max(dates)
    # Each entry links to its place on the change log's page.
    first = entries[0].find(f"{ATOM}link").get("href")  # type: ignore[union-attr]
    assert page.locator("#" + first.split("#", 1)[1]).is_visible()


def excerpt_of(page, href: str) -> str:  # type: ignore[no-untyped-def]
    """The excerpt under the result that links to `href`."""
    item = page.locator(".search-list li").filter(has=page.locator(f"a[href='{href}']"))
    return item.locator("p").inner_text()


def test_a_results_excerpt_labels_the_sites_restatement_of_a_claim(built: tuple[Site, Path], server: str,
                                                                  tabs: dict[str, Tab]) -> None:
    """A claim is found by its quote and by the site's restatement of it: the excerpt marks the quote as the
    source's and labels the restatement "In plain words:", as the claim's card does, even where the excerpt
    starts after the label ("Poland is also considering bringing back compulsory military service" had read as
    the outlet's words, run on from its quote)."""
    site, _ = built
    page = tabs["policy"].page
    tabs["policy"].load(server + "search/")
    claim = next(c for c in site.claims.values() if "compulsory" in c.quote and "compulsory" in c.says)
    href = f"{SUBPATH}sources/{claim.source_id}/#claim-{claim.id}"
    assert any(h == href for _, h in search(page, "compulsory")), href
    assert f"\u201c{claim.quote}\u201d In plain words: {claim.says}" in excerpt_of(page, href)
    # A word far into a restatement and nowhere before it: an excerpt that starts after the label says so.
    def far_words(text: str) -> list[str]:
        label = text.index("In plain words:") + len("In plain words:")
        words = {w.lower() for w in re.findall(r"[A-Za-z]{6,}", text)}
        return sorted(w for w in words if re.search(rf"(?i)\b{w}\b", text).start() > label + 90)  # type: ignore[union-attr]

    cut = []
    for claim in sorted(site.claims.values(), key=lambda c: c.id):
        href = f"{SUBPATH}sources/{claim.source_id}/#claim-{claim.id}"
        for word in far_words(claim_text(claim)):
            if any(h == href for _, h in search(page, word)):
                text = excerpt_of(page, href)
                if "In plain words:" not in text[1:]:  # the excerpt starts after the label (not a fuzzy match before)
                    assert text.startswith("In plain words: \u2026 ") and word in text.lower(), (word, text)
                    cut.append(word)
    assert cut, "no excerpt that starts after the label"
    # The change log quotes the label (entry 2026-12-06-44) far before these words: its excerpt is the log's own.
    changes = f"{SUBPATH}changes/"
    assert any(h == changes for _, h in search(page, "compulsory military service")), changes
    assert not excerpt_of(page, changes).startswith("In plain words:"), excerpt_of(page, changes)
