"""countryviews: a leaving country's reasons, each source's own, those naming the country first, then those about
the withdrawals in general from the same sources; and its background facts, in the rules' order."""

from __future__ import annotations

from builder.model import Site
from builder.pages import Planner
from builder.views import why_questions


def test_each_source_s_reasons_are_its_claims_naming_the_country_then_its_general_ones(shipped_site: Site) -> None:
    planner = Planner(shipped_site)
    why = {q.id for q in why_questions(shipped_site)}
    leaving = {c.id for c in planner.groups["leaving"]}

    def reasons_given(claim_id: str) -> int:
        claim = next(c for c in planner.claims if c.id == claim_id)
        return sum(answer.question_id in why for answer in claim.answers)

    seen_general = False
    for country in planner.groups["leaving"]:
        concerning = planner.claims_about.get(country.id, [])
        groups = planner.why_leaving(country, concerning)
        assert groups, f"{country.id}: the shipped sources give reasons for every withdrawal"
        assert [(g.outlet, g.href) for g in groups] == sorted((g.outlet, g.href) for g in groups)
        sources_writing = {c.source_id for c in concerning}
        for group in groups:
            for reason in group.specific:
                claim = next(c for c in planner.claims if c.id == reason.claim.id)
                assert country.id in claim.countries and claim.source_id in sources_writing
            for reason in group.general:
                claim = next(c for c in planner.claims if c.id == reason.claim.id)
                assert not leaving & set(claim.countries) and claim.source_id in sources_writing
                seen_general = True
            assert len({r.claim.outlet for r in (*group.specific, *group.general)}) == 1
            assert group.specific or group.general
        # every reason a claim naming the country gives is shown, once for each answer to a 'why' question
        expected = sum(reasons_given(c.id) for c in concerning)
        assert sum(len(g.specific) for g in groups) == expected
    assert seen_general, "the shipped site has claims about the withdrawals in general"


def test_a_country_s_facts_follow_the_rules_and_say_where_it_never_joined(shipped_site: Site) -> None:
    planner = Planner(shipped_site)
    labels = [spec.label for spec in planner.rules.background]
    assert sum(len(planner.country_facts(c)) for c in shipped_site.countries.values()) > len(shipped_site.countries)
    for country in shipped_site.countries.values():
        facts = planner.country_facts(country)
        positions = [next(n for n, label in enumerate(labels)
                          if fact.label == label or "{name}" in label) for fact in facts
                     if not fact.label.startswith("Party to ")]
        assert positions == sorted(positions)
        never = [fact for fact in facts if fact.value == "Never joined"]
        assert bool(never) == bool(country.never_joined)
        if never:
            assert never[0] is facts[-1] and never[0].label == f"Party to {planner.rules.agreement_short}"
