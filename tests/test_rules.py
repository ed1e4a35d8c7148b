"""content/rules.yaml read into Rules: the topic's words and dates come from the site, and mistakes are located."""

from __future__ import annotations

from pathlib import Path

from builder.errors import ErrorLog
from builder.load import parse_yaml
from builder.rules import Rules, read_rules

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "content" / "rules.yaml"
SECOND = ROOT / "tests" / "fixtures" / "second-site" / "content" / "rules.yaml"


def rules_from(text: str) -> tuple[Rules | None, ErrorLog]:
    log = ErrorLog()
    node = parse_yaml(text, "content/rules.yaml", log)
    assert not log, log.sorted()
    return read_rules(node, log), log


def test_the_shipped_rules_give_a_six_month_notice_stopped_by_armed_conflict() -> None:
    rules, log = rules_from(SHIPPED.read_text(encoding="utf-8"))
    assert rules is not None and not log
    assert (rules.notice_months, rules.notice_words, rules.blocked_by) == (6, "six months", "armed_conflict")
    assert rules.kinds("notice") == ("instrument-deposited",)
    assert rules.kinds("joined") == ("ratified", "acceded")
    assert rules.status_key("signed") == "signatory" and rules.status_key("party") == "party"
    assert rules.short_capitalised == "The Convention"
    assert "Landmine" in rules.ingest.organisation_words


def test_a_pact_left_at_once_has_no_notice_and_its_own_words() -> None:
    rules, log = rules_from(SECOND.read_text(encoding="utf-8"))
    assert rules is not None and not log
    assert (rules.notice_months, rules.blocked_by) == (0, None)
    assert rules.kinds("effective") == ("exit",)
    assert rules.status_label("party") == "Member"
    assert rules.status_key("signed") == "signed"  # the builder's own key where the site names none
    assert rules.agreement_nav == "The pact"


def test_a_year_of_notice_reads_as_one_year() -> None:
    text = SECOND.read_text(encoding="utf-8").replace("months: 0", "months: 12")
    rules, _ = rules_from(text)
    assert rules is not None and rules.notice_words == "one year"


def test_a_mistake_is_reported_at_its_line_and_column() -> None:
    text = SECOND.read_text(encoding="utf-8").replace("months: 0", "months: six")
    line = text.splitlines().index("  months: six") + 1
    rules, log = rules_from(text)
    assert rules is None
    [error] = log.sorted()
    assert (error.src_path, error.line, error.column) == ("content/rules.yaml", line, 11)
    assert error.message == ("field 'months' of the rules' notice must be a whole number of months from 0 to 120 "
                             "(found 'six')")
    assert error.hint == "write e.g. 6, or 12 for a year, or 0 when leaving takes effect at once"


def test_a_file_already_reported_unreadable_gives_no_rules_and_no_traceback() -> None:
    """Found by the content fuzzer: a tag in place of the first line makes the whole file a value already reported."""
    log = ErrorLog()
    node = parse_yaml("!!python/object\n" + SHIPPED.read_text(encoding="utf-8"), "content/rules.yaml", log)
    [error] = log.sorted()
    assert read_rules(node, log) is None
    assert log.sorted() == [error]


def test_a_reference_subjects_heading_is_the_sites_or_made_with_the_proper_names_the_content_gives() -> None:
    """'us-policy' read as 'Us policy' (the pronoun) and 'war-in-ukraine' as 'War in ukraine': the site names a
    subject where its id cannot, and otherwise a country keeps the name its file gives and a date is in words."""
    rules, log = rules_from(SECOND.read_text(encoding="utf-8") + '\nsubjects:\n  us-policy: "United States policy"\n')
    assert rules is not None and not log
    names = ["Ukraine", "United States", "South Sudan", "Sudan"]
    assert rules.subject_heading("us-policy", names) == "United States policy"
    assert rules.subject_heading("war-in-ukraine", names) == "War in Ukraine"
    assert rules.subject_heading("south-sudan-peace", names) == "South Sudan peace"
    assert rules.subject_heading("sudan-and-united-states", names) == "Sudan and United States"
    assert rules.subject_heading("joint-statement-2025-03-18", names) == "Joint statement 18 March 2025"
    assert rules.subject_heading("treaty-2025-13-40", names) == "Treaty 2025 13 40", "no such day: the id's words"
    assert rules.subject_heading("in-us", names) == "In us", "a country only by its name: 'in', 'us' are words"


def test_a_subjects_heading_must_be_text_under_an_id() -> None:
    text = SECOND.read_text(encoding="utf-8") + '\nsubjects:\n  Bad Subject: "Heading"\n  us-policy: [1]\n'
    rules, log = rules_from(text)
    assert rules is None
    assert [(e.line, e.message, e.hint) for e in log.sorted()] == [
        (len(text.splitlines()) - 1, "subject 'Bad Subject' of the rules' subjects must be an id",
         "use lowercase letters, digits and single hyphens, e.g. 'media-line'"),
        (len(text.splitlines()), "field 'us-policy' of the rules' subjects must be text (found a list)",
         "write it as a non-empty string (quote it if it contains ':' or '#')")]
