"""The preview's warm builder reuses what did not change: its output must always be what a cold build gives."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from builder.build import Builder, build_site
from builder.errors import ContentErrors
from builder.pages import Planner
from tests.conftest import REPO, copy_site, tree_digest

MINI = REPO / "tests" / "fixtures" / "mini"


class Site:
    """A copy of the mini site whose files look old enough for the parse cache to trust their stat."""

    def __init__(self, root: Path) -> None:
        self.root = copy_site(root, base=MINI)
        self.clock = time.time_ns() - 60_000_000_000
        for path in sorted(self.root.rglob("*")):
            self.age(path)

    def age(self, path: Path) -> None:
        self.clock += 1_000_000  # a distinct mtime for every write, as an editor's save has
        os.utime(path, ns=(self.clock, self.clock))

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        self.age(path)


def cold(site: Site, out: Path) -> str:
    build_site(site.root, out)
    return tree_digest(out)


def test_a_warm_rebuild_equals_a_cold_build_after_each_edit(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    warm = Builder(site.root, tmp_path / "warm")
    edits = [
        ("content/claims/wire.yaml", 'says: "Poland, Estonia', 'says: "Now: Poland, Estonia'),  # one claim
        ("content/claims/daily.yaml", "kind: reporting", "kind: reporting\n  draft: true"),  # a claim withdrawn
        ("content/questions.yaml", "?", "? (edited)"),  # what every claim is checked against
        ("content/countries/pl.yaml", "name: \"Poland\"", "name: \"Republic of Poland\""),
        ("content/sources/wire.md", "title: \"Four", "title: \"Edited: Four"),
    ]
    assert warm.build() and tree_digest(tmp_path / "warm") == cold(site, tmp_path / "cold-0")
    for number, (rel, old, new) in enumerate(edits, start=1):
        site.edit(rel, old, new)
        warm.build()
        assert tree_digest(tmp_path / "warm") == cold(site, tmp_path / f"cold-{number}"), rel


def test_only_the_changed_source_is_validated_again(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    warm = Builder(site.root, tmp_path / "warm")
    warm.build()
    before = dict(warm.cache.units)
    site.edit("content/claims/wire.yaml", 'says: "Poland, Estonia', 'says: "Now: Poland, Estonia')
    warm.build()
    after = dict(warm.cache.units)
    assert after["daily"][1] is before["daily"][1], "the unchanged source's claims are the same objects"
    assert after["wire"][1] is not before["wire"][1]
    site.edit("content/questions.yaml", "?", "? (edited)")
    warm.build()
    assert warm.cache.units["daily"][1] is not after["daily"][1], "checked again against the new questions"


def test_a_claim_id_taken_by_an_unchanged_source_is_reported_and_then_forgotten(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    warm = Builder(site.root, tmp_path / "warm")
    warm.build()
    site.edit("content/claims/wire.yaml", "- id: wire-four", "- id: daily-finland")  # daily.yaml has it
    with pytest.raises(ContentErrors) as caught:
        warm.build()
    assert any("claim 'daily-finland' is defined twice" in e.message for e in caught.value.errors)
    site.edit("content/claims/wire.yaml", "- id: daily-finland", "- id: wire-four")
    warm.build()
    assert tree_digest(tmp_path / "warm") == cold(site, tmp_path / "cold")


def test_a_rebuild_makes_again_only_the_pages_that_show_the_changed_claims(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    site = Site(tmp_path / "site")
    warm = Builder(site.root, tmp_path / "warm")
    planned: list[tuple[str, str | None]] = []
    real = Planner.plan
    monkeypatch.setattr(Planner, "plan", lambda self, job: planned.append(job) or real(self, job))
    warm.build()
    everything = list(planned)
    assert ("source", "daily") in everything and ("source", "wire") in everything
    planned.clear()
    site.edit("content/claims/daily.yaml", "says: \"", "says: \"Edited: ")
    warm.build()
    assert ("source", "daily") in planned and ("source", "wire") not in planned, "wire's page is unchanged"
    assert set(planned) < set(everything)
    assert tree_digest(tmp_path / "warm") == cold(site, tmp_path / "cold")
    planned.clear()
    site.edit("templates/_partials/footer.html", "</footer>", "<!-- edited --></footer>")
    warm.build()
    assert set(planned) == set(everything), "a template is shared by every page"
    assert tree_digest(tmp_path / "warm") == cold(site, tmp_path / "cold-2")



@pytest.mark.parametrize("seed", [7, 8])
def test_after_random_edits_a_warm_rebuild_equals_a_cold_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              seed: int) -> None:
    """The disk cache's random edits (claims' words, quotes, answers and countries, claims and sources added and
    removed), on the synthetic site at a large site's limits, each followed by a warm rebuild."""
    import random
    import sys

    from tests.test_disk_cache import random_edit, use_small_limits

    sys.path.insert(0, str(REPO / "bench"))
    try:
        from make_synthetic import make_corpus, write_ours
    finally:
        sys.path.remove(str(REPO / "bench"))
    root = tmp_path / "site"
    write_ours(make_corpus(40, 80, seed=3), root)
    use_small_limits(monkeypatch)
    clock = time.time_ns() - 60_000_000_000
    for path in sorted(root.rglob("*")):  # old enough for the parse cache to trust their stat
        clock += 1_000_000
        os.utime(path, ns=(clock, clock))
    rng, originals, warm = random.Random(seed), {}, Builder(root, tmp_path / "warm")
    warm.build()
    for step in range(5):
        before = {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}
        for _ in range(rng.randint(1, 4)):
            random_edit(root, rng, originals, step)
        for path in sorted(root.rglob("*")):  # each changed file with a distinct, old mtime, as an editor's save
            if path.is_file() and before.get(path) != path.read_bytes():
                clock += 1_000_000
                os.utime(path, ns=(clock, clock))
        warm.build()
        assert tree_digest(tmp_path / "warm") == cold_site(root, tmp_path / f"cold-{step}"), step


def cold_site(root: Path, out: Path) -> str:
    build_site(root, out)
    return tree_digest(out)


def test_a_template_saved_while_a_build_reads_the_templates_is_made_again_by_the_next(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An editor's save that lands after the build has read a template (here: the same length, a new mtime) must
    not be taken for what that build rendered: the next build makes its pages again (the preview's error page
    never showed when a template was broken in that moment)."""
    from builder import render
    from builder.themes import THEME_DIR

    site = Site(tmp_path / "site")
    template = site.root / "templates" / "country.html"
    template.parent.mkdir(exist_ok=True)
    template.write_text((THEME_DIR / "country.html").read_text(encoding="utf-8").replace(
        "</h1>", "</h1><p>mark AAAA</p>", 1), encoding="utf-8")
    site.age(template)
    warm = Builder(site.root, tmp_path / "warm")
    warm.build()
    site.edit("templates/country.html", "mark AAAA", "mark BBBB")
    real, saved = render.compile_templates, []

    def then_saved(env: object) -> None:
        real(env)  # type: ignore[arg-type]
        if not saved:  # once: the editor saves again just after this build read its templates
            site.edit("templates/country.html", "mark BBBB", "mark CCCC")
            saved.append(True)

    monkeypatch.setattr(render, "compile_templates", then_saved)
    warm.build()
    warm.build()  # the preview's next build, which the save asked for
    shown = "".join(path.read_text(encoding="utf-8") for path in (tmp_path / "warm" / "countries").rglob("*.html"))
    assert "mark CCCC" in shown and "mark BBBB" not in shown
    assert tree_digest(tmp_path / "warm") == cold(site, tmp_path / "cold")
