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
