"""drafting/names.py: people (with their roles) and organisations named in a sentence."""

from __future__ import annotations

from builder.drafting import (
    names,
)


def test_names_and_roles() -> None:
    found = names.find_names("Martin Barber, former director of the UN Mine Action Service, called them barbaric.",
                             {})
    assert found == names.Names(("Martin Barber (former director of the UN Mine Action Service)",),
                                ("UN Mine Action Service",))
    known: dict[str, str] = {"Klabin": "Nathan Klabin"}
    assert names.find_names("Klabin’s reporting underscores it.", known).people == ("Nathan Klabin",)
    assert names.find_names("NATO Nations Exit Landmine Ban Due To Russia Threat", {}) == names.Names((), ("NATO",))


def test_a_nationality_before_a_title_is_part_of_the_role() -> None:
    found = names.find_names("Polish Prime Minister Donald Tusk earlier told the Sejm that it is positive.", {})
    assert found.people == ("Donald Tusk (Polish Prime Minister)",)
    assert names.find_names("This was stated by Estonian Defense Minister Hanno Pevkur.", {}).people == (
        "Hanno Pevkur (Estonian Defense Minister)",)
    assert names.find_names("“It fractures,” said ICRC President Mirjana Spoljaric in a statement.", {}).people == (
        "Mirjana Spoljaric (ICRC President)",)
    assert names.find_names("Lieutenant Colonel Tero Luukkonen is the senior officer in charge.", {}).people == (
        "Tero Luukkonen (Lieutenant Colonel)",)


def test_a_short_sentence_of_capitalised_names_is_no_headline() -> None:
    """A headline capitalises its verbs too; a sentence with a long word in lower case is read for names."""
    assert names.find_names("Finnish Defence Minister Antti Häkkänen met reporters.", {}).people == (
        "Antti Häkkänen (Finnish Defence Minister)",)
    assert names.find_names("Finnish Defence Minister Antti Häkkänen Meets Reporters", {}).people == ()


def test_the_sites_organisation_words_are_never_a_persons_name() -> None:
    assert names.find_names("Landmine Survivors said it was wrong.", {}).people == ("Landmine Survivors",)
    assert names.find_names("Landmine Survivors said it was wrong.", {}, frozenset({"Landmine"})).people == ()
