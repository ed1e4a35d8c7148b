"""The Planner's methods for a country's first page: the reasons each source gives for a withdrawal, and the
country's background facts (pages.py plans the pages)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from .compare import display_value
from .model import Claim, Country, Site
from .urls import question_href, source_rel, url_for
from .views import FactLine, Reason, WhyGroup, published_text, why_questions

if TYPE_CHECKING:
    from .paging import Scale
    from .rules import Rules
    from .views import Citer, ClaimView


class CountryPlanner:
    """The reasons for a withdrawal and a country's facts, as its page shows them."""

    site: Site
    claims: list[Claim]
    claims_of: dict[str, list[Claim]]
    groups: dict[str, list[Country]]
    general_reasons: dict[str, list[Claim]] | None  # each source's claims about the withdrawals in general
    rules: Rules
    scale: Scale
    citer: Citer
    view: Callable[[Claim], ClaimView]

    def reason_claims(self, country: Country, concerning: list[Claim]) -> tuple[list[Claim], list[Claim]]:
        """The claims that give a reason for a withdrawal: those naming the country (`concerning` does), and those
        of the same sources about the withdrawals in general (naming no leaving country: never one of
        `concerning` for a leaving country)."""
        if self.general_reasons is None:  # the same for every leaving country: found once, by source
            leaving_ids = {c.id for c in self.groups["leaving"]}
            general = [c for c in self.claims if not leaving_ids.intersection(c.countries)]
            self.general_reasons = {}
            for claim in self.giving_reasons(general):
                self.general_reasons.setdefault(claim.source_id, []).append(claim)
        return (self.giving_reasons(concerning), [c for source_id in sorted({c.source_id for c in concerning})
                                                  for c in self.general_reasons.get(source_id, ())])

    def giving_reasons(self, claims: Iterable[Claim]) -> list[Claim]:
        """Those of `claims` that answer a question of why a country leaves."""
        why = {q.id for q in why_questions(self.site)}
        return [c for c in claims if c.answers and any(answer.question_id in why for answer in c.answers)]

    def why_leaving(self, country: Country, concerning: list[Claim]) -> tuple[WhyGroup, ...]:
        """The reasons each source gives: claims about this country, and those about the withdrawals in general.

        A claim about 'the withdrawals' in general names no leaving country (often only Russia); it is shown for
        every leaving country that its source writes about, after the claims naming the country itself.
        """
        site = self.site
        why = {q.id: q for q in why_questions(site)}

        def reasons(claims: Iterable[Claim]) -> list[tuple[str, Reason]]:
            found = []
            for claim in claims:
                for answer in claim.answers:
                    if answer.question_id in why:
                        text = display_value(answer.value, why[answer.question_id], site.countries)
                        href = question_href(site, answer.question_id, self.scale.split_compare)
                        found.append((claim.source_id, Reason(text, href, self.view(claim))))
            return found

        specific_claims, general_claims = self.reason_claims(country, concerning)
        specific, general = reasons(specific_claims), reasons(general_claims)
        groups = []
        for source_id in sorted({s for s, _ in specific + general}, key=lambda s: (site.sources[s].outlet, s)):
            source = site.sources[source_id]
            groups.append(WhyGroup(source.outlet, url_for(site, source_rel(source_id)), published_text(source),
                                   tuple(r for s, r in specific if s == source_id),
                                   tuple(r for s, r in general if s == source_id)))
        return tuple(groups)

    def country_facts(self, country: Country) -> tuple[FactLine, ...]:
        facts = []
        for spec in self.rules.background:  # in the order content/rules.yaml lists them
            value = country.background.get(spec.id)
            named = sorted(value.items()) if isinstance(value, dict) else [("", value)] if value else []
            for name, fact in named:
                facts.append(FactLine(spec.label.replace("{name}", name.title()), "Yes" if fact.value else "No",
                                      fact.note, self.citer.links(fact.cite)))
        if country.never_joined:
            facts.append(FactLine(f"Party to {self.rules.agreement_short}", "Never joined", None,
                                  self.citer.links(country.never_joined)))
        return tuple(facts)
