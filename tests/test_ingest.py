"""builder/ingest.py: whole articles ingested into a copy of the site, then the inputs and options it must refuse
without writing anything; each drafting module's rules are tested in tests/test_drafting_<module>.py."""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from builder import ingest as ing
from builder.__main__ import main as cli_main
from builder.build import check_site
from builder.drafting import read as reading
from builder.drafting import site as site_facts
from builder.errors import ContentErrors, printable
from builder.model import PartialDate
from tests.conftest import tree_digest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "tests" / "ingest_samples"


# ------------------------------------------------------------------------------------------------ whole articles

def test_a_quotation_over_two_sentences_or_a_line_break_is_one_claim_with_its_speaker(site: Path) -> None:
    text = ("Parliament votes on the treaty\n\nPresident Alar Tamm backed the vote. He said:\n\n"
            "“The threat on our border is real and it is growing,\n\nand we must act before it is too late.”\n"
            "“We had no other option. Our neighbour is not bound by the treaty,” Tamm, chair of the "
            "committee on defence, security and borders, said on his website.\n"
            "\"We will not wait,\" he added.\n\n\"The law will pass in June.\"\n")
    article = site / "article.txt"
    article.write_text(text, encoding="utf-8")
    done = ing.ingest(site, str(article), ing.IngestOptions(id="tamm", url="https://example.org/tamm",
                                                            published="2025-05-20"))
    quoted = [(d.quote.split()[0], d.kind, d.speaker) for d in done.drafts if d.kind == "quote"]
    assert quoted == [("“The", "quote", "Alar Tamm"),
                      ("“We", "quote", "Tamm, chair of the committee on defence, security and borders"),
                      ('"We', "quote", "Tamm, chair of the committee on defence, security and borders"),
                      ('"The', "quote", "Tamm, chair of the committee on defence, security and borders")]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of the project's site to ingest into."""
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy2(REPO / "site.yaml", root / "site.yaml")
    for folder in ("content", "templates"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def build_if_available(root: Path, out: Path) -> None:
    try:
        from builder.build import build_site
        count = build_site(root, out)
    except ImportError:  # the rendering stages are not there yet
        return
    assert count > 0


def test_ingest_an_html_page_into_the_site(site: Path, tmp_path: Path) -> None:
    done = ing.ingest(site, str(SAMPLES / "ngo-press-release.html"), ing.IngestOptions(id="clear-ground"),
                      today=date(2026, 1, 2))
    assert (done.source_path, done.claims_path) == (site / "content/sources/clear-ground.md",
                                                   site / "content/claims/clear-ground.yaml")
    source, drafts = site_facts.read_draft(site, "clear-ground")
    assert (source.outlet, source.url, source.byline) == (
        "Clear Ground Alliance", "https://clearground.example.org/press/2025/stay-in-the-treaty",
        "Clear Ground Alliance press office")
    assert source.published.window.exact == date(2025, 3, 20)
    assert [p.kind for p in source.passages] == ["player-prompt", "dateline", "social-post", "donation-appeal",
                                                 "read-more", "promo"]
    assert source.passages[2].text.startswith("Today the Baltic states and Poland said")
    source_text = done.source_path.read_text(encoding="utf-8")
    # Each passage's grounds are a comment for the editor; its note, which the page shows, says what it is.
    assert source_text.count("# marked by ingest's") == len(source.passages)
    assert not any(word in p.note for p in source.passages for word in ("ingest", "rule", "%"))
    assert drafts and all(c.draft for c in drafts)
    assert "clear-ground" not in check_site(site).sources, "a draft until curated"
    tuesday = next(c for c in drafts if "on Tuesday" in c.quote)
    assert (tuesday.when, tuesday.countries) == (PartialDate(2025, 3, 18), ("ee", "lv", "lt", "pl"))
    assert "[inferred: 'on Tuesday' read as 18 March 2025" in tuesday.says
    claims_text = done.claims_path.read_text(encoding="utf-8")
    assert "# kind guessed from: said, “Anti-personnel mines do not distinguish between…” (90%)" in claims_text
    build_if_available(site, tmp_path / "public")


def test_ingest_a_text_file_and_standard_input(site: Path) -> None:
    options = ing.IngestOptions(id="nordwire", url="https://nordwire.example.org/a", outlet="Nordwire")
    ing.ingest(site, str(SAMPLES / "wire-report.txt"), options)
    piped = io.BytesIO((SAMPLES / "opinion-column.md").read_bytes())
    ing.ingest(site, "-", ing.IngestOptions(id="column", url="https://example.org/column", outlet="The Review",
                                            published=date(2025, 4, 2)), stdin=piped)
    wire, _ = site_facts.read_draft(site, "nordwire")
    assert wire.body == (SAMPLES / "wire-report.txt").read_text(encoding="utf-8")
    assert (wire.title, wire.byline, wire.published.window.exact) == (
        "Baltic states and Poland move to quit landmine treaty", "Jonas Petrauskas", date(2025, 3, 18))
    assert [p.kind for p in wire.passages] == ["byline", "dateline", "caption", "read-more", "credit"]
    column, column_claims = site_facts.read_draft(site, "column")
    assert column.captured_as is None
    assert [(p.kind, p.author) for p in column.passages if p.kind == "social-post"] == [
        ("social-post", "Tomasz Nowak"), ("social-post", "Liisa Mets")]
    posts = [c for c in column_claims if c.kind == "social-post"]
    assert {c.speaker for c in posts} == {"Tomasz Nowak (@tnowak_pl)", "Liisa Mets (@liisamets)"}


def test_the_command_line(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["--root", str(site), "ingest", str(SAMPLES / "wire-report.txt"), "--id", "wire-cli",
                     "--url", "https://nordwire.example.org/b", "--published", "2025-03-18"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("wrote content/sources/wire-cli.md (5 passage(s) marked) and content/claims/wire-cli.yaml")
    assert site_facts.read_draft(site, "wire-cli")[0].outlet == "nordwire.example.org"


@pytest.mark.parametrize(("given", "window"), [
    ("2026-01-15", (date(2026, 1, 15), date(2026, 1, 15), date(2026, 1, 15))),
    ("2026-01", (None, date(2026, 1, 1), date(2026, 1, 31))),
    ("2026", (None, date(2026, 1, 1), date(2026, 12, 31))),
    ("2025-04-01..2025-04-04", (None, date(2025, 4, 1), date(2025, 4, 4))),
    ("2025-12..", (None, date(2025, 12, 1), None)),
    ("..2026-02", (None, None, date(2026, 2, 28))),
])
def test_published_may_be_a_month_a_year_or_a_window(site: Path, given: str,
                                                     window: tuple[date | None, ...]) -> None:
    assert cli_main(["--root", str(site), "ingest", str(SAMPLES / "wire-report.txt"), "--id", "wire-when",
                     "--url", "https://nordwire.example.org/b", "--published", given]) == 0
    published = site_facts.read_draft(site, "wire-when")[0].published
    assert (published.window.exact, published.window.not_before, published.window.not_after) == window
    assert published.how.startswith("Dated by the editor when the article was ingested")
    source_text = (site / "content/sources/wire-when.md").read_text(encoding="utf-8")
    assert f"# published: given with --published {given}: say how it is known" in source_text


@pytest.mark.parametrize(("given", "problem"), [
    ("2026-13", "'2026-13' is not a real date"),
    ("15/01/2026", "'15/01/2026' is not a date"),
    ("2025-05..2025-04", "the window starts (2025-05-01) after it ends (2025-04-30)"),
    ("..", "a window needs at least one end"),
])
def test_a_published_option_that_is_no_date(site: Path, given: str, problem: str) -> None:
    report = refused(site, str(SAMPLES / "wire-report.txt"), ing.IngestOptions(
        id="new-source", url="https://nordwire.example.org/b", published=given))
    assert report == (f"--published:1:1: {problem} (found '{given}')\n"
                      "  hint: write YYYY-MM-DD, YYYY-MM or YYYY, or a window FROM..TO such as 2025-04-01..2025-04-04"
                      " (either end may be left out)\n1 error; nothing was written.")


# ------------------------------------------------------------------------------------------------ refusals

def refused(site: Path, file_arg: str, options: ing.IngestOptions, stdin: io.BytesIO | None = None) -> str:
    """The whole error report of a refused ingest, after checking that nothing under the site changed."""
    before = tree_digest(site)
    with pytest.raises(ContentErrors) as caught:
        ing.ingest(site, file_arg, options, stdin=stdin)
    assert tree_digest(site) == before
    return caught.value.report()


OPTIONS = ing.IngestOptions(id="new-source", url="https://example.org/new", outlet="Example")


def test_an_id_already_taken_is_refused_and_the_files_are_untouched(site: Path) -> None:
    report = refused(site, str(SAMPLES / "wire-report.txt"), ing.IngestOptions(id="media-line",
                                                                              url="https://example.org/x"))
    assert report == ("content/sources/media-line.md:1:1: the id 'media-line' is already taken\n"
                      "  hint: choose another with --id, e.g. 'media-line-2'; existing files are never overwritten\n"
                      "1 error; nothing was written.")


def test_a_claims_file_without_its_source_also_takes_the_id(site: Path) -> None:
    (site / "content/claims/orphan.yaml").write_text("[]\n", encoding="utf-8")
    report = refused(site, str(SAMPLES / "wire-report.txt"), ing.IngestOptions(id="orphan",
                                                                              url="https://example.org/x"))
    assert report.startswith("content/claims/orphan.yaml:1:1: the id 'orphan' is already taken\n")


@pytest.mark.parametrize(("data", "expected"), [
    (b"", "article.txt:1:1: the input is empty\n"
          "  hint: save the article's page or text into the file first"),
    (b"  \n\t\n", "article.txt:1:1: the input is empty\n"
                  "  hint: save the article's page or text into the file first"),
    (b"%PDF-1.7\n...", "article.txt:1:1: the input is binary: it looks like a PDF document\n"
                       "  hint: save the article as a web page (.html) or as text (.txt or .md) and ingest that"),
    (b"Title\nsome\x00bytes", "article.txt:2:5: the input contains NUL bytes; it looks binary\n"
                              "  hint: save the article as a web page (.html) or as text (.txt or .md)"),
    ("Title\nCaf\u00e9 in Warsaw".encode("latin-1"), "article.txt:2:4: the input is not UTF-8 text (byte 0xe9)\n"
                                                      "  hint: save it as UTF-8 (or, for a web page, keep its "
                                                      "<meta charset>)"),
])
def test_empty_binary_and_undecodable_inputs(site: Path, tmp_path: Path, data: bytes, expected: str) -> None:
    article = tmp_path / "article.txt"
    article.write_bytes(data)
    report = refused(site, str(article), OPTIONS)
    assert report == expected.replace("article.txt", str(article)) + "\n1 error; nothing was written."


def test_empty_standard_input(site: Path) -> None:
    report = refused(site, "-", OPTIONS, stdin=io.BytesIO(b""))
    assert report.startswith("<stdin>:1:1: the input is empty\n")


def test_a_page_in_its_declared_charset_is_read(site: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(("<html><head><meta charset=\"iso-8859-1\"><title>Caf\u00e9 talk</title></head><body>"
                      "<article><p>Poland said on Tuesday it would leave the Ottawa Convention, a caf\u00e9 owner "
                      "in Warsaw told reporters at length about the decision.</p></article></body></html>"
                      ).encode("latin-1"))
    ing.ingest(site, str(page), OPTIONS)
    assert "café owner" in site_facts.read_draft(site, "new-source")[0].body


def test_text_without_an_address_needs_url(site: Path, tmp_path: Path) -> None:
    report = refused(site, str(SAMPLES / "wire-report.txt"), ing.IngestOptions(id="new-source"))
    assert report == (f"{SAMPLES / 'wire-report.txt'}:1:1: the input does not say where the article was published\n"
                      "  hint: pass --url with the article's address\n1 error; nothing was written.")


def test_a_missing_file(site: Path, tmp_path: Path) -> None:
    report = refused(site, str(tmp_path / "nowhere.html"), OPTIONS)
    assert report == (f"{tmp_path / 'nowhere.html'}:1:1: no such file\n"
                      "  hint: check the path; use '-' to read standard input\n1 error; nothing was written.")


def test_files_are_placed_together_or_not_at_all(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If the second file appears between staging and placing, the first is taken back."""
    target = site / "content/claims/new-source.yaml"
    real_link = ing.os.link

    def racing_link(src: str, dst: Path) -> None:
        if Path(dst) == target:
            target.write_text("[]\n", encoding="utf-8")
        real_link(src, dst)

    monkeypatch.setattr(ing.os, "link", racing_link)
    with pytest.raises(ContentErrors, match="1 content error"):
        ing.ingest(site, str(SAMPLES / "wire-report.txt"), OPTIONS)
    assert not (site / "content/sources/new-source.md").exists()
    assert target.read_text(encoding="utf-8") == "[]\n"
    assert not [p for p in (site / "content").rglob("*.ingest")]


# ------------------------------------------------------------------------------------------------ bounded input

class EndlessStream(io.RawIOBase):
    """A pipe that never ends, counting what was read from it."""

    def __init__(self) -> None:
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.given > 64 * reading.MAX_INPUT_BYTES:
            raise AssertionError("read on and on")
        size = min(len(buffer), 1 << 20)
        buffer[:size] = b"a" * size
        self.given += size
        return size


TOO_LARGE = ("{src}:1:1: the input is too large (more than 5,000,000 bytes)\n"
             "  hint: an article is far smaller than 5,000,000 bytes; save only the page\n"
             "1 error; nothing was written.")


def test_standard_input_larger_than_a_file_may_be_is_refused(site: Path) -> None:
    report = refused(site, "-", OPTIONS, stdin=io.BytesIO(b"Poland said it would leave.\n" * 220_000))  # 6.2 MB
    assert report == TOO_LARGE.format(src="<stdin>")


def test_an_endless_pipe_is_read_no_further_than_the_limit(site: Path) -> None:
    endless = EndlessStream()
    report = refused(site, "-", OPTIONS, stdin=endless)  # type: ignore[arg-type]
    assert report == TOO_LARGE.format(src="<stdin>")
    assert endless.given <= reading.MAX_INPUT_BYTES + (1 << 20)


def test_a_device_is_read_no_further_than_the_limit(site: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("needs /dev/zero")
    assert refused(site, "/dev/zero", OPTIONS) == TOO_LARGE.format(src="/dev/zero")


def test_a_large_file_on_standard_input_is_refused_unread(site: Path, tmp_path: Path) -> None:
    large = tmp_path / "large.txt"
    with large.open("wb") as out:
        out.truncate(100_000_000)  # sparse: 100 MB that take no room
    with large.open("rb") as stdin:
        report = refused(site, "-", OPTIONS, stdin=stdin)  # type: ignore[arg-type]
        assert stdin.tell() == 0
    assert report == ("<stdin>:1:1: the input is too large (100,000,000 bytes)\n"
                      "  hint: an article is far smaller than 5,000,000 bytes; save only the page\n"
                      "1 error; nothing was written.")


# ------------------------------------------------------------------------------------------------ options

@pytest.mark.parametrize("url", ["https://example.org/new\n", "https://example.org/new\r", "https://example.org/ new",
                                 "https://example.org/new\x1b[2J", "https://example.org/\u202enew"])
def test_a_url_with_a_line_break_space_or_control_character_is_refused(site: Path, url: str) -> None:
    report = refused(site, str(SAMPLES / "wire-report.txt"), ing.IngestOptions(id="new-source", url=url))
    assert report == (f"--url:1:1: '{printable(url)}' contains a line break, a space or a control character\n"
                      "  hint: write the address alone, quoted, e.g. --url 'https://example.org/news/story'\n"
                      "1 error; nothing was written.")


def test_the_command_line_prints_a_bad_url_escaped(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["--root", str(site), "ingest", str(SAMPLES / "wire-report.txt"), "--id", "wire-cli",
                     "--url", "https://example.org/\x1b]52;c;SGVsbG8=\x07\n"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("--url:1:1: 'https://example.org/\\x1b]52;c;SGVsbG8=\\x07\\x0a' contains a line break")
    assert not any(char in err for char in "\x1b\x07")


def test_a_windows_device_name_is_refused_as_an_id(site: Path) -> None:
    report = refused(site, str(SAMPLES / "wire-report.txt"), ing.IngestOptions(id="nul", url="https://example.org/x"))
    assert report == ("--id:1:1: 'nul' is a device name on Windows\n"
                      "  hint: 'con', 'prn', 'aux', 'nul', 'com0'-'com9' and 'lpt0'-'lpt9' name devices on Windows, "
                      "with any extension, and cannot be file names there; choose another id, e.g. 'nul-1'\n"
                      "1 error; nothing was written.")


def test_an_outlet_named_like_a_device_gets_another_id(site: Path) -> None:
    done = ing.ingest(site, str(SAMPLES / "wire-report.txt"), ing.IngestOptions(url="https://example.org/x",
                                                                                 outlet="AUX"))
    assert done.source_path.name == "aux-source.md"


def test_the_command_line_names_the_command_the_user_has(site: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """A pip user has `sourcesite`, not `python -m builder` (rev-user finding 9): the next step and the drafts
    name it, with the site's folder when the user is elsewhere, quoted for the shell."""
    spaced = tmp_path / "my site"
    site.rename(spaced)
    assert cli_main(["--root", str(spaced), "ingest", str(SAMPLES / "wire-report.txt"), "--id", "wire-cli",
                     "--url", "https://nordwire.example.org/b", "--published", "2025-03-18"]) == 0
    out = capsys.readouterr().out
    assert f"next: review both files, then run `sourcesite --root '{spaced}' check`" in out
    for path in (spaced / "content/sources/wire-cli.md", spaced / "content/claims/wire-cli.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "drafted by `sourcesite ingest`" in text.lower() and "python -m builder" not in text
    assert ing.check_command(Path.cwd().resolve()) == "sourcesite check"


def test_a_page_with_no_article_is_refused_and_a_text_with_no_statement_is_warned_about(site: Path,
                                                                                       tmp_path: Path) -> None:
    """rev-user finding 8: '<nav>Home</nav>' was ingested as a source titled 'Home', with no claim and no word."""
    page = tmp_path / "home.html"
    page.write_text("<html><body><nav>Home</nav></body></html>\n", encoding="utf-8")
    report = refused(site, str(page), OPTIONS)
    assert report == (f"{page}:1:1: no article found: the text taken from it is 1 word(s) ('Home'), and not one "
                      "statement to draft a claim from\n  hint: ingest the article's own page (not a home, index or "
                      "cookie page), or copy the article's text into a .txt file and ingest that\n"
                      "1 error; nothing was written.")
    listing = tmp_path / "links.txt"
    listing.write_text("Sections\n\n" + "\n".join(f"Topic{n}" for n in range(60)) + "\n", encoding="utf-8")
    done = ing.ingest(site, str(listing), OPTIONS)
    assert done.claims == 0
    assert done.warnings == ("no candidate claim drafted: none of the text's 61 words is a statement outside the "
                             "marked passages; check that the page is the article",)
    assert "# warning: no candidate claim drafted" in done.source_path.read_text(encoding="utf-8")


# A News's page, as rev-user wrapped its text (https://www.anews.com.tr/world/2025/02/06/argentina-says-it-will-
# withdraw-from-world-health-organization), cut down: it embeds Javier Milei's post, in Spanish.
MILEI_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Argentina says it will withdraw from World Health Organization</title>
<meta property="og:site_name" content="A News">
<meta property="article:published_time" content="2025-02-06T08:12:00+03:00">
<link rel="canonical" href="https://www.anews.com.tr/world/2025/02/06/argentina-says-it-will-withdraw">
</head><body><main><article><h1>Argentina says it will withdraw from World Health Organization</h1>
<p>Argentina will pull out of the World Health Organization (WHO), the country's presidential spokesperson said on
Wednesday.</p>
<p>Manuel Adorni said Argentina's decision to leave the WHO was driven by significant disagreements over health
management, particularly during the COVID-19 pandemic.</p>
<p>In a social media post, Milei argued that the WHO's prolonged measures during the pandemic constituted a
"crime against humanity."</p>
<blockquote class="twitter-tweet"><p lang="es" dir="ltr">La OMS es una organización nefasta que fue el brazo
ejecutor del mayor experimento de control social de la historia.</p>&mdash; Javier Milei (@JMilei)
<a href="https://twitter.com/JMilei/status/1887000000000000000">February 5, 2025</a></blockquote>
<p>The move came after US President Donald Trump on Jan. 21 signed an executive order to begin Washington's exit
from the international health body.</p></article></main></body></html>
"""


def test_a_curated_draft_shows_readers_what_each_passage_is_and_nothing_of_how_ingest_found_it(
        site: Path, tmp_path: Path) -> None:
    """rev-user finding 6: once published, the source's page showed ingest's working notes ('Marked by ingest's
    'social-post signature' rule (90% sure) ...', 'Found ... by htmldate ...; check it against the page'), and
    called Milei's post, in Spanish, 'unrelated to the story' on a rule that compares English words."""
    page = tmp_path / "anews.html"
    page.write_text(MILEI_PAGE, encoding="utf-8")
    done = ing.ingest(site, str(page), ing.IngestOptions(id="anews"), today=date(2026, 1, 2))
    text = done.source_path.read_text(encoding="utf-8")
    assert "# related: not judged, as the post reads as Spanish (es)" in text
    entry = text.split("  - id: jmilei-post\n")[1].split("---")[0]
    assert "related:" not in entry  # not asserted either way: the page says nothing of it
    assert "\n    language: es\n" in entry  # so its text is marked Spanish in the page, for screen readers
    assert "# published: found in the page's metadata by htmldate (2025-02-06): check it against the page." in text
    claims = done.claims_path.read_text(encoding="utf-8")
    assert "# left out: no claims drafted from the post by Javier Milei (@JMilei): related: not judged" in claims
    # The editor curates: removes the source's draft mark (the claims stay drafts), and builds.
    done.source_path.write_text(text.replace("\ndraft: true\n", "\n"), encoding="utf-8")
    out = tmp_path / "public"
    from builder.build import build_site

    build_site(site, out)
    html = (out / "sources/anews/index.html").read_text(encoding="utf-8")
    assert "A post on X by Javier Milei (@JMilei), embedded in the article." in html
    # The post's text is marked as Spanish; its label, ours, as the article's English.
    post = html.split('id="passage-jmilei-post"')[1].split("</figure>")[0].split("</span>")[0]
    assert post.startswith(' lang="es" dir="auto">') and '<span class="passage-tag" lang="en" dir="auto">' in post \
        or post.startswith(' lang="es" dir="auto">\n<figcaption class="passage-tag" lang="en" dir="auto">'), post[:200]
    assert "La OMS es una organizaci" in html.split('lang="es"')[1]
    assert "The page&#39;s metadata gives this date as the article&#39;s original publication date" in html \
        or "The page's metadata gives this date as the article's original publication date" in html
    for working_note in ("unrelated to the story", "ingest", "% sure", "htmldate", "check it against"):
        assert working_note not in html
