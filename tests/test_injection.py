"""Hostile text in every free-text field comes out as text: escaped in HTML, inert in JSON-LD, data in the downloads.

The site is tests/errors/_base with the real templates, every field a person types holding markup, an attribute
break-out, a javascript: URL and Jinja syntax. tests/browser/test_injection_browser.py opens the same build in
Chromium.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from builder.__main__ import main
from tests.conftest import copy_site, write_tree

# Each payload ends with a marker, so a test can tell its own text from the templates'.
TAG = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
SINGLE = "'><svg onload=alert(1)>"
END_SCRIPT = "</script><script>alert(1)</script>"
URL = "javascript:alert(1)"
JINJA = "{{ 7*7 }}"
HOSTILE = f"{TAG} {ATTRIBUTE} {SINGLE} {END_SCRIPT} {URL} {JINJA} &amp; &lt;b&gt;"


def hostile(label: str) -> str:
    """A field's text: what it is, then every payload."""
    return f"{label} {HOSTILE}"


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's)."""
    return json.dumps(text, ensure_ascii=False)


BODY_SENTENCE = hostile("Poland said on Tuesday it would leave the Ottawa Convention.")
ARTICLE_TEXT = hostile("1. This Convention shall be of unlimited duration.")
# Cells a spreadsheet would run as formulas.
FORMULAS = {"says": '=HYPERLINK("https://evil.example/","click")', "speaker": "@SUM(1+1)*cmd|' /C calc'!A0",
            "organisation": "+1+1", "person": "-2+3"}

METHODOLOGY = f"""# Method

We check every quote. {JINJA}

<script>alert(1)</script>

<img src=x onerror=alert(1)>

<a href="javascript:alert(1)">raw link</a> <iframe src="javascript:alert(1)"></iframe>

[script link](javascript:alert(1)) [upper](JAVASCRIPT:alert(1)) [spaced]( javascript:alert(1)) \
[entity](java&#x09;script:alert(1)) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) \
[vb](vbscript:msgbox(1)) [titled](https://example.org/ "{ATTRIBUTE}")

![image](javascript:alert(1))

[safe](https://example.org/a) [relative](../sources/) [mail](mailto:desk@example.org)

| {TAG} | {ATTRIBUTE} |
|---|---|
| {JINJA} | {URL} |
"""


def hostile_files() -> dict[str, str]:
    """The small site's files with every free-text field hostile (ids, dates and URLs are validated formats)."""
    return {
        "site.yaml": f"""title: {q(hostile("Site"))}
tagline: {q(hostile("Tagline"))}
description: {q(hostile("Description"))}
language: en
base_url: "https://example.org/sub/"
as_of: 2026-01-01
publisher: {q(hostile("Publisher"))}
""",
        "content/sources/wire.md": f"""---
outlet: {q(hostile("Wire"))}
outlet_url: "https://example.org/"
section: {q(hostile("Section"))}
title: {q(hostile("Poland to leave mine ban"))}
url: "https://example.org/wire"
byline: {q(hostile("Byline"))}
byline_note: {q(hostile("Byline note"))}
language: en
published:
  date: 2025-03-18
  how: {q(hostile("Dated in the article."))}
retrieved:
  date: null
  how: {q(hostile("Not recorded."))}
captured_as: {q(hostile("capture"))}
passages:
  - id: appeal
    kind: donation-appeal
    from: "Please donate"
    to: "today."
    note: {q(hostile("Fundraising box."))}
  - id: post
    kind: social-post
    from: "Mines are back."
    to: "March 18, 2025"
    note: {q(hostile("Embedded post."))}
    author: {q(hostile("A Person"))}
    handle: {q(hostile("@person"))}
    posted: 2025-03-18
---
{BODY_SENTENCE} “We must defend our border,” the minister said.
Please donate to our newsroom today.
Mines are back. — A Person (@person) March 18, 2025
""",
        "content/claims/wire.yaml": f"""- id: wire-leave
  quote: {q(BODY_SENTENCE)}
  says: {q(hostile("Poland will leave the Convention."))}
  kind: reporting
  countries: [pl]
  organisations: [{q(hostile("NATO"))}, {q(FORMULAS["organisation"])}]
  people: [{q(hostile("A minister"))}, {q(FORMULAS["person"])}]
  when: 2025-03-18
  answers:
    - question: which-countries
      value: [pl]
      note: {q(hostile("Read from the quote."))}
    - question: why-leaving
      value: [threat]
      note: {q(hostile("The threat."))}
    - question: what-said
      value: {q(hostile("An answer in words"))}
  review:
    rating: accurate
    says: {q(hostile("The reference confirms it."))}
    cite: [ref:r1]
- id: wire-minister
  quote: "\\"We must defend our border,\\" the minister said."
  says: {q(FORMULAS["says"])}
  kind: quote
  speaker: {q(FORMULAS["speaker"])}
  countries: [pl]
- id: wire-post
  quote: "Mines are back."
  says: {q(hostile("A post says mines are back."))}
  kind: social-post
  speaker: {q(hostile("A Person"))}
""",
        "content/countries/pl.yaml": f"""name: {q(hostile("Poland"))}
iso2: "PL"
nato: {{value: true, cite: [ref:r1]}}
borders:
  russia: {{value: true, cite: [ref:r1]}}
armed_conflict: {{value: false, cite: [ref:r1], note: {q(hostile("No armed conflict."))}}}
events:
  - kind: in-force
    date: 2013-06-01
    note: {q(hostile("In force."))}
    cite: [ref:r1]
  - kind: withdrawal-announced
    date: 2025-03-18
    note: {q(hostile("Announced."))}
    cite: [claim:wire-leave]
  - kind: instrument-deposited
    date: 2025-08-20
    cite: [ref:r1]
  - kind: withdrawal-effective
    date: 2026-02-20
    cite: [ref:r1]
unconfirmed: [r2]
""",
        "content/questions.yaml": f"""- id: which-countries
  text: {q(hostile("Which countries are leaving?"))}
  type: countries
  reference:
    value: [pl]
    cite: [ref:r1]
    note: {q(hostile("Reference note."))}
- id: why-leaving
  text: {q(hostile("Why are they leaving?"))}
  type: points
  options:
    threat: {q(hostile("The threat"))}
    other: {q(hostile("Something else"))}
- id: what-said
  text: {q(hostile("What did they say?"))}
  type: text
""",
        "content/references/facts.yaml": f"""- id: r1
  subject: {q(hostile("poland"))}
  statement: {q(hostile("Poland joined in 2013 and left in 2026."))}
  value: {q(hostile("2026-02-20"))}
  url: "https://example.org/r1"
  title: {q(hostile("Reference one"))}
  outlet: {q(hostile("Outlet one"))}
  published: "2025-12"
  language: en
  excerpt: {q(hostile("Poland's withdrawal takes legal effect today."))}
  confidence: confirmed
- id: r2
  subject: poland
  statement: {q(hostile("The Senate vote date was not found."))}
  value: ""
  url: ""
  title: ""
  excerpt: ""
  confidence: unconfirmed
""",
        "content/references/treaty-text.md": f"""# Treaty text {JINJA}

## Article 20

{ARTICLE_TEXT}

3. Such withdrawal shall only take effect six months after the receipt of the instrument of withdrawal by the \
Depositary.
""",
        "content/summary.yaml": f"""- text: {q(hostile("Poland left the Convention."))}
  cite: [ref:r1, claim:wire-leave]
  date: 2025-03-18
""",
        "content/treaty.yaml": f"""name: {{value: {q(hostile("The Convention"))}, cite: [ref:r1]}}
short_names: [{q(hostile("Ottawa Convention"))}]
short_names_cite: [ref:r1]
facts:
  - id: in-force
    label: {q(hostile("Entry into force"))}
    value: {q(hostile("1 March 1999"))}
    date: 1999-03-01
    cite: [ref:r1]
articles:
  - number: "20"
    title: {q(hostile("Duration and withdrawal"))}
    text: |
      {ARTICLE_TEXT}

      3. Such withdrawal shall only take effect six months after the receipt of the instrument of withdrawal \
by the Depositary.
    summary: {q(hostile("Withdrawal takes six months."))}
    cite: [ref:r1]
unconfirmed: [r2]
""",
        "content/methodology.md": METHODOLOGY,
        "content/rules.yaml": f"""agreement:
  nav: {q(hostile("Nav label"))}
  title: {q(hostile("Agreement title"))}
  name: {q(hostile("the agreement's name"))}
  short: {q(hostile("the agreement"))}
  about: {q(hostile("About the agreement."))}
  description: {q(hostile("The agreement's description."))}
background:
  - {{id: nato, label: {q(hostile("Alliance member"))}}}
  - {{id: borders, label: {q(hostile("Borders {name}"))}, names: [russia]}}
  - {{id: armed_conflict, label: {q(hostile("At war"))}}}
notice: {{months: 6, rule: {q(hostile("The rule"))}, blocked_by: armed_conflict, blocked_while: {q(hostile("at war"))}}}
events:
  in-force: {{label: {q(hostile("Joined"))}, role: in-force}}
  withdrawal-announced: {{label: {q(hostile("Announced"))}, role: intent, announces: {q(hostile("{subject} said so"))}}}
  instrument-deposited: {{label: {q(hostile("Notice"))}, role: notice}}
  withdrawal-effective: {{label: {q(hostile("Left"))}, role: effective}}
""",
    }


def build_hostile(root: Path) -> Path:
    """Write the hostile site under root and build it; return its public/ folder."""
    site = copy_site(root / "site")
    write_tree(site, hostile_files())
    assert main(["--root", str(site), "build"]) == 0, "the hostile site must build: it is valid content"
    return site / "public"


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_hostile(tmp_path_factory.mktemp("hostile"))


def html_files(public: Path) -> list[Path]:
    return sorted(public.rglob("*.html"))


# ---------------------------------------------------------------- HTML

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "cite", "data", "poster", "background", "xlink:href",
                  "srcset", "ping"}
ACTIVE_TAGS = {"iframe", "frame", "object", "embed", "applet", "base", "form", "img", "link", "meta", "style"}


def _scheme(url: str) -> str:
    """The scheme a browser would read: control characters and white space dropped, lower case."""
    cleaned = re.sub(r"[\x00-\x20]", "", url).lower()
    return cleaned.split(":", 1)[0] if re.match(r"^[a-z][a-z0-9+.-]*:", cleaned) else ""


def test_every_page_is_built(public: Path) -> None:
    kinds = {p.relative_to(public).parts[0] for p in html_files(public)}
    assert {"index.html", "404.html", "treaty", "countries", "compare", "sources", "references",
            "methodology"} <= kinds


def test_no_page_runs_or_loads_anything_from_its_content(public: Path) -> None:
    for path in html_files(public):
        name = path.relative_to(public).as_posix()
        html = path.read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        for element in soup.find_all(True):
            for attribute, value in element.attrs.items():
                assert not attribute.lower().startswith("on"), f"{name}: <{element.name} {attribute}=...>"
                if attribute.lower() in URL_ATTRIBUTES:
                    scheme = _scheme(" ".join(value) if isinstance(value, list) else value)
                    assert scheme in ("", "http", "https", "mailto"), f"{name}: {attribute}={value!r}"
            # None is expected on any page; a template that adds one on purpose must say so here: the search page's
            # and the map's date control's forms, which send nothing anywhere (search stays on its page).
            forms = {"search/index.html": "search-form", "map/index.html": "map-date-form"}
            if element.name == "form" and forms.get(name) in element.get("class", []):
                assert element.get("action", "") == "" and element.get("method", "get") == "get", name
                continue
            assert element.name not in ACTIVE_TAGS - {"link", "meta"}, f"{name}: a <{element.name}> element"
        # The only scripts: structured data, and on the search and map pages the site's own file for each.
        own = {"search/index.html": "/assets/search.js", "map/index.html": "/assets/map-date.js"}
        for script in soup.find_all("script"):
            if script.get("src"):
                assert script["src"].endswith(own[name]) and not script.string, f"{name}: {script}"
            else:
                assert script.get("type") == "application/ld+json", f"{name}: {script}"
        links = {(e.get("rel") or [""])[0] for e in soup.find_all("link")}
        assert links <= {"stylesheet", "icon", "canonical", "alternate"}, f"{name}: {links}"
        assert all(e.get("href", "").startswith(("/", "https://example.org/")) for e in soup.find_all("link"))
        metas = [m.get("http-equiv") for m in soup.find_all("meta") if m.get("http-equiv")]
        assert metas == ["Content-Security-Policy"], f"{name}: {metas}"


def test_every_page_has_a_strict_content_security_policy(public: Path) -> None:
    for path in html_files(public):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert policy is not None and policy is soup.head.find("meta", attrs={"http-equiv": True}), path
        directives = dict((d.split() + [""])[:2] for d in policy["content"].split(";") if d.strip())
        assert directives["default-src"] in ("'self'", "'none'")
        # Every page alike, the search page too: its index is plain JSON read by a script of the site's own.
        script_src = policy["content"].split("script-src", 1)[1].split(";", 1)[0].split()
        assert script_src == ["'self'"], path
        assert directives["object-src"] == "'none'"
        assert directives["base-uri"] in ("'self'", "'none'")
        assert "unsafe" not in policy["content"] and "wasm" not in policy["content"], path


def test_payloads_show_as_text_and_template_syntax_is_not_run(public: Path) -> None:
    for path in html_files(public):
        html = path.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "alert(1)</script>" not in html, path
        assert "<img" not in html and "<svg onload" not in html and "<iframe" not in html, path
        text = BeautifulSoup(html, "html.parser").get_text()
        # In HOSTILE the URL comes just before the Jinja syntax: "49" after it would mean a template ran it.
        assert f"{URL} 49" not in html and f"{URL} {JINJA}" in text, path
        assert f"{TAG} {ATTRIBUTE} {SINGLE} {END_SCRIPT}" in text, f"{path}: the site title, escaped, not dropped"
    home = BeautifulSoup((public / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert hostile("Poland left the Convention.") in home.find("main").get_text(), "the summary, whole, as text"
    assert home.title.get_text().startswith(hostile("Site"))


# The label each field's text starts with; shown on the pages, or kept only in the data downloads.
SHOWN = ("Site", "Tagline", "Description", "Publisher", "Wire", "Section", "Poland to leave mine ban", "Byline",
         "Byline note", "Dated in the article.", "Not recorded.", "capture", "Fundraising box.", "Embedded post.",
         "A Person", "@person", "Poland said on Tuesday it would leave the Ottawa Convention.",
         "Poland will leave the Convention.", "A post says mines are back.", "The reference confirms it.", "Poland",
         "In force.", "Announced.", "No armed conflict.", "Which countries are leaving?", "Why are they leaving?",
         "The threat", "What did they say?", "An answer in words", "Reference note.",
         "Poland joined in 2013 and left in 2026.", "Reference one", "Poland's withdrawal takes legal effect today.",
         "The Senate vote date was not found.", "Poland left the Convention.", "The Convention", "Ottawa Convention",
         "Entry into force", "1 March 1999", "Duration and withdrawal",
         "1. This Convention shall be of unlimited duration.", "Withdrawal takes six months.")
# The topic's rules (content/rules.yaml) are shown on the pages and kept out of site.json.
RULES_SHOWN = ("Nav label", "Agreement title", "About the agreement.", "Alliance member",
               "Joined", "Notice")
DATA_ONLY = ("NATO", "A minister", "Read from the quote.", "The threat.", "Something else", "poland", "2026-02-20")


def test_every_field_reaches_the_pages_as_text(public: Path) -> None:
    """The payloads are escaped, not dropped: each field's label is followed by the whole payload somewhere."""
    text = "\n".join(BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").get_text()
                     for p in html_files(public))
    text = re.sub(r"\s+", " ", text)
    for label in SHOWN + RULES_SHOWN:
        assert hostile(label) in text, f"{label!r} is not shown whole"
    data = (public / "data/site.json").read_text(encoding="utf-8")
    for label in SHOWN + DATA_ONLY:
        assert q(hostile(label))[1:-1] in data, f"{label!r} is not in site.json"


def test_json_ld_cannot_end_its_block_and_parses(public: Path) -> None:
    found = 0
    for path in html_files(public):
        html = path.read_text(encoding="utf-8")
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
        assert len(blocks) == html.count("<script") - html.count("<script src="), path
        for block in blocks:
            found += 1
            assert "<" not in block and ">" not in block and "&" not in block, path
            data = json.loads(block)
            assert isinstance(data, dict) and data["@context"] == "https://schema.org"
    assert found >= 5
    home = (public / "index.html").read_text(encoding="utf-8")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', home, flags=re.S)
    assert block and json.loads(block[1])["name"] == hostile("Site"), "the payload is data inside JSON-LD"


def test_methodology_markdown_keeps_no_markup_and_no_unsafe_link(public: Path) -> None:
    soup = BeautifulSoup((public / "methodology/index.html").read_text(encoding="utf-8"), "html.parser")
    prose = soup.find("div", class_="prose")
    hrefs = [a.get("href") for a in prose.find_all("a")]
    assert "https://example.org/a" in hrefs and "../sources/" in hrefs and "mailto:desk@example.org" in hrefs
    assert all(h is None or _scheme(h) in ("", "http", "https", "mailto") for h in hrefs), hrefs
    assert not prose.find_all(["script", "img", "iframe"])
    text = prose.get_text()
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(1)>" in text, "shown as text"
    assert JINJA in text and "We check every quote. 49" not in text


def test_links_to_the_original_are_percent_encoded(public: Path) -> None:
    soup = BeautifulSoup((public / "sources/wire/index.html").read_text(encoding="utf-8"), "html.parser")
    fragments = [a["href"] for a in soup.find_all("a", href=True) if ":~:text=" in a["href"]]
    assert fragments
    for href in fragments:
        directive = href.split(":~:text=", 1)[1]
        assert re.fullmatch(r"[A-Za-z0-9%._~,]+", directive), href


# ---------------------------------------------------------------- downloads

def test_site_json_holds_the_payloads_as_data(public: Path) -> None:
    data = json.loads((public / "data/site.json").read_text(encoding="utf-8"))
    assert data["claims"]["wire-leave"]["says"] == hostile("Poland will leave the Convention.")
    assert data["countries"]["pl"]["name"] == hostile("Poland")
    assert data["config"]["title"] == hostile("Site")
    assert JINJA in data["methodology"] and "<script>" in data["methodology"]


def test_claims_csv_holds_the_payloads_and_no_formula(public: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((public / "data/claims.csv").read_text(encoding="utf-8"))))
    by_id = {row["id"]: row for row in rows}
    assert by_id["wire-leave"]["says"] == hostile("Poland will leave the Convention.")
    assert by_id["wire-leave"]["quote"] == BODY_SENTENCE
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), f"{row['id']}.{column}: {cell!r}"
    assert by_id["wire-minister"]["says"] == "'" + FORMULAS["says"]
    assert by_id["wire-minister"]["speaker"] == "'" + FORMULAS["speaker"]
    assert by_id["wire-leave"]["organisations"].endswith(";" + FORMULAS["organisation"]), "only a cell's start"
    assert by_id["wire-leave"]["people"].startswith(hostile("A minister"))


def test_sitemap_is_well_formed_xml(public: Path) -> None:
    import xml.etree.ElementTree as ElementTree

    root = ElementTree.fromstring((public / "sitemap.xml").read_bytes())
    assert all(loc.text and loc.text.startswith("https://example.org/sub/") for loc in root.iter(
        "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"))


# ---------------------------------------------------------------- URL fields refuse other schemes

BAD_URLS = ["javascript:alert(1)", "JavaScript:alert(1)", " https://example.org/", "data:text/html,<b>x</b>",
            'https://example.org/"onmouseover="alert(1)', "https://example.org/\n", "//example.org/",
            "https://exa mple.org/"]
URL_FIELDS = [
    ("content/sources/wire.md", 'url: "https://example.org/wire"', "url: {}"),
    ("content/sources/wire.md", 'language: en', "outlet_url: {}\nlanguage: en"),
    ("content/references/facts.yaml", 'url: "https://example.org/r1"', "url: {}"),
    ("site.yaml", 'base_url: "https://example.org/sub/"', "base_url: {}"),
]


@pytest.mark.parametrize("bad", BAD_URLS)
@pytest.mark.parametrize(("rel", "old", "new"), URL_FIELDS, ids=["source-url", "outlet-url", "reference-url",
                                                                  "base-url"])
def test_url_fields_take_only_http_and_https(tmp_path: Path, capsys, rel: str, old: str, new: str,
                                             bad: str) -> None:
    site = copy_site(tmp_path / "site", theme=False)  # checked only: no template is read
    path = site / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new.format(q(bad)), 1), encoding="utf-8")
    assert main(["--root", str(site), "check"]) == 1
    err = capsys.readouterr().err
    assert "must be an http(s) URL" in err or "must be a base URL" in err, err
    assert "Traceback" not in err


@pytest.mark.parametrize("bad", ["javascript:alert(1)//", "https://example.org/a/\nDisallow: /", "example.org/a/",
                                 'https://example.org/"><script>/', "https://example.org/?q=1"])
def test_the_base_url_option_takes_only_an_http_base_url(tmp_path: Path, capsys, bad: str) -> None:
    site = copy_site(tmp_path / "site", theme=False)  # refused before a template is read
    with pytest.raises(SystemExit) as stopped:
        main(["--root", str(site), "build", "--base-url", bad])
    assert stopped.value.code == 2 and "is not an http(s) base URL" in capsys.readouterr().err
    assert not (site / "public").exists()
