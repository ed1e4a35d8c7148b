"""drafting/places.py: countries named by name, demonym, capital or group."""

from __future__ import annotations

import pytest

from builder.drafting import (
    places,
)


def codes_in(text: str) -> list[str]:
    return [code for mention in places.find_countries(text) for code in mention.codes]


@pytest.mark.parametrize(("text", "codes"), [
    ("Poland, Finland, and the Baltic states move to withdraw", ["pl", "fi", "ee", "lv", "lt"]),
    ("Polish officials described their withdrawal", ["pl"]),
    ("The Russian military, not Russia's navy", ["ru", "ru"]),
    ("the United States, China, and Russia never joined", ["us", "cn", "ru"]),
    ("Iran-backed groups in Lebanon, near Israel’s border", ["ir", "lb", "il"]),
    ("during the US unipolar moment", ["us"]),
    ("so that Moscow cannot count on our restraint", ["ru"]),
    ("Finns and Estonians", ["fi", "ee"]),
    ("the Nordic countries", ["dk", "fi", "is", "no", "se"]),
    ("ships in the Baltic Sea off New Mexico, says a Latin American diplomat", []),
    ("Georgescu spoke in Bucharest", ["ro"]),
])
def test_country_resolution(text: str, codes: list[str]) -> None:
    assert codes_in(text) == codes


def test_capitals_for_governments_and_names_in_any_case() -> None:
    assert codes_in("the Kremlin’s war on Ukraine; America, Russia and China; the russian federation") == [
        "ru", "ua", "us", "ru", "cn", "ru"]


def test_country_group_is_the_longest_list_named_together() -> None:
    text = "several NATO countries bordering Russia—Poland, Finland, and the Baltic states—move"
    assert places.country_group(text, places.find_countries(text)) == ("pl", "fi", "ee", "lv", "lt")
    text = "the United States hesitated to give mines to Ukraine"
    assert places.country_group(text, places.find_countries(text)) == ()
