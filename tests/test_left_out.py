"""Nothing the site's own build leaves out goes unsaid: a source published after the site's date is an error; an
event, summary sentence, treaty fact or change-log entry dated after it, and a country whose status nothing
establishes, are notes that `check` and `build` print (and a build with nothing to do). A build as of an earlier day
leaves later things out on purpose, and says nothing of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.__main__ import main
from tests.conftest import copy_site

WIRE = "content/sources/wire.md"
POLAND = "content/countries/pl.yaml"
LATER_EVENT = ("content/countries/pl.yaml:8:11: note: the 'withdrawal-announced' event is dated 18 March 2027, "
               "after the site's date (1 January 2026), so no page shows it\n"
               "  hint: if the date is a typo, correct it; if it is still to come, the site shows it once 'as_of' "
               "in site.yaml reaches it\n")


def edited(site: Path, rel: str, old: str, new: str) -> None:
    path = site / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_site(tmp_path / "site", templates=False)


def test_the_small_site_has_nothing_to_note(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Its withdrawal takes effect after its date (an 'effective' event, scheduled by the notice): no note."""
    assert main(["--root", str(site), "check"]) == 0
    assert capsys.readouterr().err == ""


def test_an_event_after_the_sites_date_is_noted_by_check_and_build(site: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    edited(site, POLAND, "date: 2025-03-18", "date: 2027-03-18")
    assert main(["--root", str(site), "check"]) == 0
    checked = capsys.readouterr()
    assert checked.err == LATER_EVENT and checked.out.startswith("ok: ")
    assert main(["--root", str(site), "build"]) == 0
    assert capsys.readouterr().err == LATER_EVENT
    # Builds after edits of a source say it again: the first validates the site's own files afresh and keeps them,
    # the next takes them as kept (unitfiles.kept_shared), with their notes.
    for n in (1, 2):
        (site / WIRE).write_text((site / WIRE).read_text(encoding="utf-8") + "\n" * n, encoding="utf-8")
        assert main(["--root", str(site), "build"]) == 0
        assert capsys.readouterr().err == LATER_EVENT
    # A build with nothing to do (the disk cache's check) says what the build that made the output said.
    assert main(["--root", str(site), "build"]) == 0
    again = capsys.readouterr()
    assert again.err == LATER_EVENT and again.out.endswith("(nothing changed)\n")
    # As of an earlier day, later events are left out on purpose: nothing said.
    assert main(["--root", str(site), "check", "--as-of", "2025-06-01"]) == 0
    assert capsys.readouterr().err == ""


def test_later_summary_treaty_fact_and_change_are_noted(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edited(site, "content/summary.yaml", "date: 2025-03-18", "date: 2026-03")
    # a treaty whose every dated fact is later is refused (dated.refuse_day): one stays before the site's date
    edited(site, "content/treaty.yaml", "facts:\n", 'facts:\n  - id: adopted\n    label: "Adopted"\n    value: '
           '"18 September 1997"\n    date: 1997-09-18\n    cite: [ref:r1]\n')
    edited(site, "content/treaty.yaml", "date: 1999-03-01", "date: 2026")
    (site / "content/changes.yaml").write_text("- date: 2026-01-02\n  id: a-fix\n  kind: correction\n  text: \"A "
                                               "fix.\"\n", encoding="utf-8")
    assert main(["--root", str(site), "check"]) == 0
    hint = ("  hint: if the date is a typo, correct it; if it is still to come, the site shows it once 'as_of' in "
            "site.yaml reaches it\n")
    assert capsys.readouterr().err == (
        "content/changes.yaml:1:9: note: the change-log entry is dated 2 January 2026, after the site's date "
        f"(1 January 2026), so no page shows it\n{hint}"
        "content/summary.yaml:3:9: note: the summary sentence is dated March 2026, after the site's date "
        f"(1 January 2026), so no page shows it\n{hint}"
        "content/treaty.yaml:13:11: note: the treaty fact 'in-force' is dated 2026, possibly after the site's date "
        f"(1 January 2026), so no page shows it\n{hint}")


def test_a_source_after_the_sites_date_is_left_out_quietly_as_of_an_earlier_day(
        site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The error is tests/errors/source-published-after-as-of; as of a day before the site's, the source is one
    the day had not seen."""
    edited(site, WIRE, "date: 2025-03-18", "date: 2026-03-18")
    assert main(["--root", str(site), "check"]) == 1
    assert "source 'wire' was published on 18 March 2026, after the site's date" in capsys.readouterr().err
    assert main(["--root", str(site), "check", "--as-of", "2025-12-01"]) == 0
    shown = capsys.readouterr()
    assert shown.out.startswith("ok: 0 sources, 0 claims") and shown.err == ""
    assert main(["--root", str(site), "check", "--as-of", "2026-03-18"]) == 0
    assert capsys.readouterr().out.startswith("ok: 1 sources, ")


def test_a_country_with_steps_out_but_no_way_in_is_noted(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edited(site, POLAND, "  - kind: in-force\n    date: 2013-06-01\n    cite: [ref:r1]\n", "")
    assert main(["--root", str(site), "check"]) == 0
    assert capsys.readouterr().err == (
        "content/countries/pl.yaml:4:3: note: Poland has events ('withdrawal-announced', 'instrument-deposited', "
        "'withdrawal-effective') but none by which the Convention came into force for it, so the site cannot "
        "establish its status on any date\n"
        "  hint: add that event, with its date and citation (its kind in content/rules.yaml: 'in-force'), or "
        "'never_joined' if it never joined\n")


def test_home_gives_no_since_to_a_status_nothing_dates(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """"Not established since 1 January 2026" would date it by the site's own date; the map's table says "not
    dated"."""
    edited(site, POLAND, "  - kind: in-force\n    date: 2013-06-01\n    cite: [ref:r1]\n", "")
    assert main(["--root", str(site), "build"]) == 0
    home = (site / "public/index.html").read_text(encoding="utf-8")
    assert ('<a href="/sub/countries/pl/">Poland</a>: <span class="badge status status-unknown">Not established'
            '</span> <') in home
    assert "Not established</span> since" not in home


def test_a_reference_page_or_an_answer_dated_later_is_noted(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A reference whose page is dated after the site's date is left out, with what it supported (later_references),
    and an answer of the references from a later day is in no page or download: said, as for any later record."""
    facts = "content/references/facts.yaml"
    edited(site, facts, "  language: en\n  excerpt: \"Poland's", "  published: 2026-03-01\n  language: en\n"
           "  excerpt: \"Poland's")
    edited(site, facts, "  confidence: confirmed\n", "  confidence: confirmed\n  also:\n    - url: https://example.org/r1b\n"
           "      title: \"Reference one again\"\n      outlet: \"Example outlet\"\n      published: 2026-04-01\n"
           "      language: en\n      excerpt: \"Poland left.\"\n")
    edited(site, "content/questions.yaml", "  reference:\n    value: [pl]\n    cite: [ref:r1]\n",
           "  reference:\n    - value: [pl]\n      cite: [ref:r1]\n    - since: 2026-06-01\n      value: []\n"
           "      cite: [ref:r1]\n")
    assert main(["--root", str(site), "check"]) == 0
    told = capsys.readouterr().err
    assert ("content/references/facts.yaml:8:14: note: the page of reference 'r1' is dated 1 March 2026, after the "
            "site's date (1 January 2026), so the site leaves the reference out, and with it the words that cite it "
            "(an event stays, dated, on its other pages)\n") in told
    assert ("content/references/facts.yaml:16:18: note: the supporting page of reference 'r1' is dated 1 April 2026, "
            "after the site's date (1 January 2026), so the site leaves the reference out, and with it the words that "
            "cite it (an event stays, dated, on its other pages)\n") in told
    assert ("content/questions.yaml:7:14: note: an entry of the reference answer of question 'which-countries' is "
            "dated 1 June 2026, after the site's date (1 January 2026), so no page or download gives it\n") in told
    assert main(["--root", str(site), "check", "--as-of", "2025-12-01"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("retrieved", ['date: 2025-12-01\n  how: "Fetched."',
                                       'date: null\n  how: "Added to the site\'s sources on 6 December 2025."'])
def test_a_build_as_of_a_day_before_the_copy_was_made_shows_no_retrieval(site: Path, retrieved: str) -> None:
    """The copy's retrieval, by its date or by the date its note names, is later than the day: not shown that day
    (page and download); the site's own build shows what the editor wrote."""
    edited(site, WIRE, 'date: null\n  how: "Not recorded."', retrieved)
    for day, out in (("2025-06-01", "then"), (None, "now")):
        assert main(["--root", str(site), "build", "--out", str(site / out), *(["--as-of", day] if day else [])]) == 0
    for name in ("sources/wire/index.html", "data/site.json"):
        assert "December 2025" not in (then := (site / "then" / name).read_text(encoding="utf-8")) and \
            "2025-12-01" not in then, name
    page = (site / "now" / "sources/wire/index.html").read_text(encoding="utf-8")
    assert "1 December 2025" in page or "6 December 2025" in page


def test_a_retrieval_given_as_a_window_ending_after_the_day_is_not_shown_that_day(site: Path) -> None:
    """The copy may have been made after the day: neither end of the window is told."""
    edited(site, WIRE, 'date: null\n  how: "Not recorded."', 'not_before: 2025-05-01\n  not_after: 2025-12-01\n'
           '  how: "Fetched."')
    assert main(["--root", str(site), "build", "--out", str(site / "then"), "--as-of", "2025-06-01"]) == 0
    page = (site / "then" / "sources/wire/index.html").read_text(encoding="utf-8")
    assert "May 2025" not in page and "December 2025" not in page


def test_a_retrieval_after_the_sites_date_is_shown_with_a_note(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edited(site, WIRE, 'date: null\n  how: "Not recorded."', 'date: 2026-03-01\n  how: "Fetched."')
    assert main(["--root", str(site), "check"]) == 0
    assert capsys.readouterr().err == (
        "content/sources/wire.md:10:9: note: source 'wire' was retrieved 1 March 2026, after the site's date "
        "(1 January 2026)\n  hint: correct the date if it is a typo: a copy cannot be retrieved after the day the "
        "site tells\n")
