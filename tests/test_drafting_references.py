"""drafting/references.py: countries a sentence concerns through words that refer back or a count."""

from __future__ import annotations

from builder.drafting import (
    references,
)
from builder.drafting.context import Context


def test_counted_groups_refer_back_to_a_group_of_that_size_or_ahead() -> None:
    context = Context()
    references.resolve_countries("Poland and the Baltic states took a first step on Tuesday.", 0, 0, context, None)
    references.resolve_countries("The minister spoke of Russia and Belarus.", 1, 1, context, None)  # a group of two
    codes, reasons = references.resolve_countries("The four EU and NATO member states have ramped up spending.", 2, 2,
                                              context, None)
    assert codes == ("pl", "ee", "lv", "lt")
    assert reasons == ["'four EU and NATO member states': the 4 countries named together before, pl, ee, lv, lt (80%)"]
    codes, _ = references.resolve_countries("Five countries’ withdrawals take effect soon.", 0, 0, Context(),
                                        "Estonia, Latvia, and Lithuania on Dec. 27, Finland’s on Jan. 10 and "
                                        "Poland’s on Feb. 20.")
    assert codes == ("ee", "lv", "lt", "fi", "pl")


def test_back_references_and_counts_take_countries_from_neighbouring_sentences() -> None:
    context = Context()
    first = "Poland, Estonia, Latvia, and Lithuania have instructed their governments to exit the Convention."
    counted = "Four Eastern European NATO members have announced their intention to withdraw."
    assert references.resolve_countries(counted, 0, 1, context, first)[0] == ("pl", "ee", "lv", "lt")
    references.resolve_countries(first, 1, 2, context, None)
    codes, reasons = references.resolve_countries("Their decision reflects a growing belief.", 2, 2, context, None)
    assert codes == ("pl", "ee", "lv", "lt")
    assert reasons == ["'Their' refers to the previous sentence: pl, ee, lv, lt (60%)"]
    codes, reasons = references.resolve_countries("“We are ready,” the ministers wrote, citing Russia.", 3, 3, context,
                                           None)
    assert codes == ("ru", "pl", "ee", "lv", "lt")
    assert reasons[-1] == "'the ministers' refers to the countries named together before: pl, ee, lv, lt (70%)"
