"""pagekeys.py and jobs.jobs_showing: after an edit, the disk cache works out again only the inputs of the pages
that show a changed source (before the edit or after it); every other page keeps its key, and the output is
byte for byte a build's without the cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from builder import pagekeys, parallel
from builder.build import check_site
from builder.jobs import LISTING, WHOLE_SITE, cited_claims, jobs_showing, site_inputs
from builder.model import Claim, Site, Source
from builder.pages import Planner
from tests.test_disk_cache import assert_same_as_without_cache, build, use_small_limits, write_synthetic_site

PageJob = tuple[str, "str | None"]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The disk cache tests' synthetic site (bench/make_synthetic.py)."""
    return write_synthetic_site(tmp_path / "site")


def sources_shown(site: Site, records: tuple[Any, ...]) -> set[str]:
    """The sources whose records are among a page's inputs (a claim stands for its source), as page keys take them."""
    found = set()
    for record in records:
        if isinstance(record, Source) and site.sources.get(record.id) is record:
            found.add(record.id)
        elif isinstance(record, Claim) and site.claims.get(record.id) is record:
            found.add(record.source_id)
    return found


def assert_showing_holds_site_inputs(site: Site) -> None:
    planner = Planner(site)
    cited = cited_claims(site)
    inputs = site_inputs(planner, planner.jobs)
    for source_id in site.sources:
        expected = {job for job, records in inputs.items()
                    if job[0] not in WHOLE_SITE | LISTING and source_id in sources_shown(site, records)}
        showing = jobs_showing(planner, planner.jobs, {source_id}, cited)
        assert expected <= showing, source_id
        assert ("source", source_id) in showing


def test_the_pages_showing_a_source_are_those_whose_inputs_hold_it_in_the_mini_site(mini_site: Site) -> None:
    assert_showing_holds_site_inputs(mini_site)


def test_the_pages_showing_a_source_are_those_whose_inputs_hold_it_at_a_large_sites_limits(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every kind of page a large site has: further pages of a country's claims, a page per question, shared
    share cards. A source's date note that cites another source's claim puts that source on its page too."""
    use_small_limits(monkeypatch)
    with parallel.one_process():
        built = check_site(site)
    planner = Planner(built)
    assert {m for m, _ in planner.jobs} >= {"country_more", "question", "sources_more"}
    assert_showing_holds_site_inputs(built)
    cited = cited_claims(built)
    uncited = next(s for s in sorted(built.sources) if s not in {c.source_id for c in cited})
    showing = jobs_showing(planner, planner.jobs, {uncited}, cited)
    assert ("source", uncited) in showing and len(showing) < len(planner.jobs)
    assert len([job for job in showing if job[0] == "source"]) < len(built.sources) // 4


@pytest.fixture
def worked_out(monkeypatch: pytest.MonkeyPatch) -> list[list[PageJob]]:
    """The pages whose inputs each build works out (pagekeys.keys_and_units), one list a build."""
    found: list[list[PageJob]] = []
    real = pagekeys.keys_and_units

    def spy(disk: Any, site: Site, inputs: Any) -> Any:
        found.append(list(inputs))
        return real(disk, site, inputs)

    monkeypatch.setattr(pagekeys, "keys_and_units", spy)
    return found


def test_a_claim_naming_another_country_makes_that_countrys_pages_again(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        worked_out: list[list[PageJob]]) -> None:
    """The country a claim names after the edit, not before: none of its pages held the claim's source, so only
    jobs_showing finds them."""
    use_small_limits(monkeypatch)
    out = tmp_path / "public"
    build(site, out, capsys)
    with parallel.one_process():
        before = Planner(check_site(site))
    def named(stem: str) -> set[str]:
        return {c for claim in before.claims_of.get(stem, ()) for c in claim.countries}

    path, country = next((path, country) for path in sorted((site / "content" / "claims").iterdir())
                         for country in sorted(before.site.countries) if country not in named(path.stem))
    text = path.read_text(encoding="utf-8")
    at = text.index("  countries: ")
    path.write_text(text[:at] + f"  countries: [{country}]" + text[text.index("\n", at):], encoding="utf-8")
    worked_out.clear()
    build(site, out, capsys)
    (pages,) = worked_out
    assert ("country", country) in pages and ("source", path.stem) in pages
    # The others kept their keys: the other sources' pages, the pages made from the site's own files.
    assert [job for job in pages if job[0] == "source"] == [("source", path.stem)]
    assert ("treaty", None) not in pages and ("countries", None) not in pages
    assert_same_as_without_cache(site, out, capsys)


def test_a_global_file_or_a_value_computed_across_the_site_works_out_every_page(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        worked_out: list[list[PageJob]]) -> None:
    """A source added changes the count a shared share card shows: every page's inputs are worked out again; so
    are they when site.yaml changes."""
    use_small_limits(monkeypatch)
    out = tmp_path / "public"
    build(site, out, capsys)
    source = sorted((site / "content" / "sources").iterdir())[0]
    copy = source.with_name("zz-added.md")
    copy.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    worked_out.clear()
    build(site, out, capsys)
    assert len(worked_out[0]) == len(Planner(check_site(site)).jobs)
    assert_same_as_without_cache(site, out, capsys)
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("tagline: ", "tagline: Edited. ", 1),
                      encoding="utf-8")
    worked_out.clear()
    build(site, out, capsys)
    assert len(worked_out[0]) == len(Planner(check_site(site)).jobs)
    assert_same_as_without_cache(site, out, capsys)


def test_a_source_moved_in_the_sources_list_makes_the_pages_it_passed_again(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        worked_out: list[list[PageJob]]) -> None:
    """A source given a later id (its outlet's other sources now come first), one source a page of the list:
    the page between its old and new places lists another source than it did, though it holds neither."""
    from tests.test_disk_cache import cited_in_site_files

    use_small_limits(monkeypatch)
    monkeypatch.setattr("builder.pages.SOURCES_PER_PAGE", 1)
    out = tmp_path / "public"
    build(site, out, capsys)
    with parallel.one_process():
        before = check_site(site)
    by_outlet: dict[str, list[str]] = {}
    for source in sorted(before.sources.values(), key=lambda s: s.id):
        by_outlet.setdefault(source.outlet, []).append(source.id)
    cited = cited_in_site_files(site)
    moved = next(ids[0] for ids in by_outlet.values() if len(ids) >= 3 and ids[0] not in cited)
    stem = "s99999"
    for folder, suffix in (("sources", ".md"), ("claims", ".yaml")):
        path = site / "content" / folder / (moved + suffix)
        path.with_name(stem + suffix).write_text(
            path.read_text(encoding="utf-8").replace(f"- id: {moved}-", f"- id: {stem}-"), encoding="utf-8")
        path.unlink()
    worked_out.clear()
    build(site, out, capsys)
    (pages,) = worked_out
    listed = Planner(before).source_pages()
    place = next(n for n, page in enumerate(listed, 1) if page[0].id == moved)
    assert ("sources_more", str(place + 1)) in pages  # held the next source, now the one after
    assert len([job for job in pages if job[0] == "sources_more"]) < len(listed) - 1
    assert_same_as_without_cache(site, out, capsys)


@pytest.fixture
def planned(monkeypatch: pytest.MonkeyPatch) -> list[PageJob]:
    """The pages a build plans (renders)."""
    found: list[PageJob] = []
    real = Planner.plan
    monkeypatch.setattr(Planner, "plan", lambda self, job: found.append(job) or real(self, job))
    return found


def quote_cut(root: Path, claim_id: str) -> None:
    """A claim's quote cut by its last two words (to eight at most): still the source's words, at the same
    place."""
    path = root / "content" / "claims" / (claim_id.rsplit("-", 1)[0] + ".yaml")
    text = path.read_text(encoding="utf-8")
    start = text.index(f"- id: {claim_id}\n")
    at = text.index("  quote: ", start) + len("  quote: ")
    end = text.index("\n", at)
    words = text[at:end].strip('"').split(" ")
    assert len(words) > 4
    path.write_text(text[:at] + '"' + " ".join(words[:min(8, len(words) - 2)]) + '"' + text[end:], encoding="utf-8")


def test_the_home_page_and_the_methodology_are_made_again_only_when_what_they_show_changes(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        planned: list[PageJob]) -> None:
    """A claim that is neither a finding nor the first of its judgement: neither page, nor the comparison's index
    (split, past GRID_SOURCES sources), is made again. The quote of a claim the home page lists as a finding (so
    does the index), and of the claim the methodology shows for its judgement: each is."""
    use_small_limits(monkeypatch)
    out = tmp_path / "public"
    build(site, out, capsys)
    with parallel.one_process():
        planner = Planner(check_site(site))
    findings = planner.findings()
    on_home = {f.href.rsplit("#", 1)[-1] for f in findings[:3] if f.outlet}
    examples = {link.href.rsplit("#", 1)[-1] for *_, link in planner.judgement_examples() if link}
    shown = {c.id for c in planner.claims if any(c.id in anchor for anchor in on_home | examples)}
    findings_of = {c.id for c in planner.claims if planner.check(c).key in ("wrong", "imprecise")}
    quiet = next(c for c in planner.claims if c.id not in shown | findings_of and len(c.quote.split(" ")) > 4
                 and c.id not in cited_in(site))
    quote_cut(site, quiet.id)
    planned.clear()
    build(site, out, capsys)
    assert ("source", quiet.source_id) in planned
    assert {("home", None), ("methodology", None), ("compare", None)}.isdisjoint(planned)
    assert_same_as_without_cache(site, out, capsys)
    for anchor, pages in [(sorted(on_home)[0], {("home", None), ("compare", None)}),
                          (sorted(examples)[0], {("methodology", None)})]:
        claim = max((c for c in planner.claims if c.id in anchor), key=lambda c: len(c.id))
        quote_cut(site, claim.id)
        planned.clear()
        build(site, out, capsys)
        assert pages <= set(planned), claim.id
        assert_same_as_without_cache(site, out, capsys)


def cited_in(root: Path) -> str:
    from tests.test_disk_cache import cited_in_site_files

    return cited_in_site_files(root)


def test_draft_sources_that_did_not_change_are_not_counted_as_changed(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        worked_out: list[list[PageJob]]) -> None:
    """Sources marked draft (ingest's, until curated) have keys in the cache but are not among the site's sources:
    while they stay the same, an edit of another source works out only the pages it may show on, however many
    drafts there are (more than FOLLOWED_SHARE of the sources here)."""
    use_small_limits(monkeypatch)
    content = site / "content"
    sources = sorted((content / "sources").iterdir())

    def named_elsewhere(stem: str) -> bool:
        return any(stem in path.read_text(encoding="utf-8") for path in sorted(content.rglob("*.*"))
                   if path.stem != stem)

    alone = [path.stem for path in sources if not named_elsewhere(path.stem)]  # cited by no other file
    edited, drafted = alone[0], alone[1:1 + len(sources) // 2]
    assert len(drafted) > pagekeys.FOLLOWED_SHARE * len(sources)
    for stem in drafted:
        path = content / "sources" / f"{stem}.md"
        path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    out = tmp_path / "public"
    build(site, out, capsys)
    claims = content / "claims" / f"{edited}.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace('says: "', 'says: "Edited. ', 1), encoding="utf-8")
    worked_out.clear()
    build(site, out, capsys)
    with parallel.one_process():
        jobs = Planner(check_site(site)).jobs
    assert ("source", edited) in worked_out[0] and len(worked_out[0]) < len(jobs)
    assert ("treaty", None) not in worked_out[0] and ("countries", None) not in worked_out[0]
    assert_same_as_without_cache(site, out, capsys)


def test_pages_given_the_same_records_keep_each_its_own_key(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A country's further pages are given one tuple of records (worked out once by keys_and_units); each page's key
    is still its own, and every key is the one its page has when worked out alone."""
    from types import SimpleNamespace

    use_small_limits(monkeypatch)
    with parallel.one_process():
        built = check_site(site)
    planner = Planner(built)
    disk = SimpleNamespace(unit_keys={unit_id: unit_id.encode() * 2 for unit_id in built.sources}, reprs={},
                           page_key_base=b"base")
    inputs = site_inputs(planner, planner.jobs)
    further = [job for job in planner.jobs if job[0] == "country_more"]
    same = [job for job in further if str(job[1]).split("/")[0] == str(further[0][1]).split("/")[0]]
    assert len(same) >= 2 and all(inputs[job] is inputs[same[0]] for job in same)
    keys, units = pagekeys.keys_and_units(disk, built, inputs)  # type: ignore[arg-type]
    assert len({keys[job] for job in same}) == len(same)
    for job in planner.jobs:
        alone = pagekeys.keys_and_units(disk, built, site_inputs(planner, [job]))  # type: ignore[arg-type]
        assert (alone[0][job], alone[1][job]) == (keys[job], units[job]), job


def test_a_jinja_template_edit_keeps_every_pages_key_and_another_template_file_works_them_out(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        worked_out: list[list[PageJob]]) -> None:
    """A page's key says what it shows, not how it is drawn: after an edit to base.html every page is made again,
    but its key is the one a cold build worked out, and only the whole site's pages have their inputs worked out
    again. A template file Jinja does not render (it might be the maps' geometry) works out every page."""
    from builder import cache as cache_module
    from builder.themes import THEME_DIR

    use_small_limits(monkeypatch)
    kept: list[dict[PageJob, bytes]] = []
    keep_page = cache_module.DiskCache.keep_page

    def spy(self: Any, job: PageJob, key: bytes, *args: Any) -> None:
        kept[-1][job] = key
        keep_page(self, job, key, *args)

    monkeypatch.setattr(cache_module.DiskCache, "keep_page", spy)
    out, template = tmp_path / "public", site / "templates" / "base.html"
    original = (template if template.exists() else THEME_DIR / "base.html").read_text(encoding="utf-8")
    kept.append({})
    build(site, out, capsys)
    every_page = set(kept[0])
    template.write_text(original.replace("</body>", "<!-- edited -->\n</body>", 1), encoding="utf-8")
    kept.append({})
    worked_out.clear()
    build(site, out, capsys)
    assert kept[1] == kept[0] and len(kept[0]) == len(every_page) > 100
    assert set(worked_out[0]) <= {job for job in every_page if job[0] in WHOLE_SITE | LISTING}
    assert_same_as_without_cache(site, out, capsys)
    (site / "templates" / "notes.txt").write_text("not a Jinja template\n", encoding="utf-8")
    kept.append({})
    worked_out.clear()
    build(site, out, capsys)
    assert kept[2] == kept[0] and set(worked_out[0]) == every_page


class Sealed(dict):  # type: ignore[type-arg]
    """A site's sources or claims that may be looked up by id, never walked."""

    def values(self) -> Any:
        raise AssertionError("every record of the site walked")

    items = keys = __iter__ = values


def test_a_few_pages_keys_are_worked_out_from_their_own_records_not_every_record_of_the_site(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit works out a few pages' keys: each of their records is told from a value by looking it up by its id,
    without a map of the site's 30,000 records; the keys and sources are those worked out with every page."""
    from dataclasses import replace

    from builder.cache import DiskCache

    use_small_limits(monkeypatch)
    disk = DiskCache(site, tmp_path / "public", (None, None))
    with parallel.one_process():
        built = check_site(site, disk=disk)
    planner = Planner(built)
    inputs = site_inputs(planner, planner.jobs)
    every = pagekeys.keys_and_units(disk, built, inputs)
    few = [("home", None), ("source", next(iter(built.sources))),
           next(job for job in planner.jobs if job[0] == "question")]
    sealed = replace(built, sources=Sealed(built.sources), claims=Sealed(built.claims))
    keys, units = pagekeys.keys_and_units(disk, sealed, {job: inputs[job] for job in few})
    assert keys == {job: every[0][job] for job in few} and units == {job: every[1][job] for job in few}
    assert len(units[few[2]]) > 1 and all(keys.values())
