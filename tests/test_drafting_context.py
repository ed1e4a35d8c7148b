"""drafting/context.py: what earlier sentences named, and whom 'he', 'they' and 'the minister' then mean."""

from __future__ import annotations

from builder.drafting.context import Context


def test_he_is_the_speaker_unless_a_person_was_named_since() -> None:
    context = Context(speaker="Hanno Pevkur", speaker_at=3, last_person="Hanno Pevkur", person_at=3)
    assert context.pronoun() == "Hanno Pevkur"
    context.last_person, context.person_at = "Andrus Merilo", 4
    assert context.pronoun() == "Andrus Merilo"


def test_they_is_a_speaker_of_many_or_the_group_the_sentence_before_made_its_subject() -> None:
    assert Context(speaker="the defence ministers of Estonia and Latvia").plural() == (
        "the defence ministers of Estonia and Latvia")
    before = "Earlier, the defense ministers of Latvia, Lithuania, Poland and Estonia jointly recommended it."
    assert Context(speaker="Hanno Pevkur", previous_text=before).plural() == (
        "the defense ministers of Latvia, Lithuania, Poland and Estonia")
    assert Context(speaker="Hanno Pevkur", previous_text="Pevkur spoke in Tallinn.").plural() is None


def test_an_office_is_the_last_person_named_with_it_else_the_last_person_named() -> None:
    context = Context()
    context.remember(("Donald Tusk (Polish Prime Minister)", "Hanno Pevkur (head of the Estonian Defence Ministry)"))
    assert context.titled("the prime minister") == "Donald Tusk"
    assert context.titled("the minister") == "Hanno Pevkur"  # 'Ministry' names a minister's office too
    context.last_person, context.person_at = "Dovile Sakaliene", 1
    assert context.titled("the Seimas speaker") == "Dovile Sakaliene"
