"""A large site reads and validates its sources in forked shards: the model and every error must be the same."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import builder.shards as shards
from builder.__main__ import main
from builder.build import build_site, check_site, publish
from builder.write import MARKER
from tests.conftest import REPO, copy_site, tree_digest
from tests.test_errors import CASES, build_case


@pytest.fixture
def sharded(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Shard even the smallest site on two workers; count the builds that did."""
    calls: list[int] = []
    monkeypatch.setattr(shards, "PARALLEL_FROM", 1)
    monkeypatch.setattr(shards.os, "cpu_count", lambda: 2)
    real = shards.validate_units

    def counting(units: shards.UnitPaths, pages: shards.SourcePages | None = None) -> shards.UnitValidator:
        calls.append(len(units.ids()))
        return real(units, pages)

    monkeypatch.setattr(shards, "validate_units", counting)
    return calls


def test_split_keeps_order_and_every_id() -> None:
    ids = [f"s{i:02d}" for i in range(10)]
    runs = shards.split(ids, 4)
    assert [i for run in runs for i in run] == ids and len(runs) == 4
    assert max(map(len, runs)) - min(map(len, runs)) <= 1
    assert shards.split(ids[:2], 4) == [[], ["s00"], [], ["s01"]]


def test_the_shipped_site_is_the_same_model_either_way(sharded: list[int]) -> None:
    serial = check_site(REPO, cache={})  # a warm builder's cache keeps it in one process
    assert sharded == []
    parallel = check_site(REPO)
    assert sharded == [len(serial.sources)]
    assert parallel == serial


def test_a_claim_id_defined_in_two_shards_is_reported_once(tmp_path: Path, sharded: list[int],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    site = copy_site(tmp_path / "site", base=REPO / "tests/fixtures/mini")  # two claims files
    claims = sorted((site / "content/claims").glob("*.yaml"))
    runs = shards.split([p.stem for p in claims], 2)
    assert not any(claims[0].stem in run and claims[-1].stem in run for run in runs), "two different shards"

    def first_id(path: Path) -> str:
        return next(line.split(":", 1)[1].strip() for line in path.read_text().splitlines()
                    if line.lstrip("- ").startswith("id:"))

    reused, replaced = first_id(claims[0]), first_id(claims[-1])
    claims[-1].write_text(claims[-1].read_text().replace(f"id: {replaced}", f"id: {reused}", 1))
    assert main(["--root", str(site), "check"]) == 1
    err = capsys.readouterr().err
    assert sharded, "the sharded reader ran"
    assert err.count("is defined twice") == 1
    assert err.startswith(f"content/claims/{claims[-1].name}:") and f"claim '{reused}' is defined twice" in err
    assert f"first defined at content/claims/{claims[0].name}:" in err


def test_workers_make_the_source_pages_as_one_process_would(tmp_path: Path, sharded: list[int]) -> None:
    publish(check_site(REPO, cache={}), REPO / "templates", tmp_path / "serial")  # in this process
    assert build_site(REPO, tmp_path / "sharded") == sum(p.is_file() and p.name != MARKER
                                                         for p in (tmp_path / "serial").rglob("*"))
    assert sharded, "the workers made the source pages"
    assert tree_digest(tmp_path / "sharded") == tree_digest(tmp_path / "serial")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["serial", "sharded"], "no staging folder left behind"


def test_a_run_is_taken_from_both_ends_each_id_once() -> None:
    run = shards._Run([f"s{i}" for i in range(16)])
    assert run.shared_from == 14  # the last eighth: the main process has those texts only
    assert [run.take(), run.take(last=True), run.take(), run.left()] == ["s0", "s15", "s1", 13]
    assert [run.take(last=True), run.take(last=True), run.left()] == ["s14", None, 12]
    assert [run.take() for _ in range(13)] == [f"s{i}" for i in range(2, 14)] + [None]
    assert run.take(last=True) is None


def test_the_main_process_takes_only_what_it_has_the_texts_of() -> None:
    run = shards._Run([f"s{i}" for i in range(16)])
    assert [run.take() for _ in range(15)][-1] == "s14"  # the worker reached the shared part first
    assert [run.take(last=True), run.take(last=True), run.take()] == ["s15", None, None]


def test_the_main_process_makes_the_source_pages_a_slow_worker_has_not_started(
        tmp_path: Path, sharded: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    import builder.render

    publish(check_site(REPO, cache={}), REPO / "templates", tmp_path / "serial")
    real_render, real_steal = builder.render.render_pages, shards.SourcePages.steal
    stolen: list[object] = []

    def slow(*args: object) -> object:  # in the workers, which inherit it
        time.sleep(1)
        return real_render(*args)  # type: ignore[arg-type]

    def counting(self: shards.SourcePages) -> object:
        job = real_steal(self)
        stolen.extend([job] if job else [])
        return job

    monkeypatch.setattr(builder.render, "render_pages", slow)
    monkeypatch.setattr(shards.SourcePages, "steal", counting)
    build_site(REPO, tmp_path / "sharded")
    assert sharded and stolen, "this process made source pages"
    assert all(kind == "source" for kind, _ in stolen) and len(set(stolen)) == len(stolen)  # type: ignore[misc]
    assert tree_digest(tmp_path / "sharded") == tree_digest(tmp_path / "serial")


def test_a_template_error_on_source_pages_is_reported_the_same_when_sharded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    site = copy_site(tmp_path / "site")
    source_html = site / "templates/source.html"
    source_html.write_text(source_html.read_text().replace("{% block content %}",
                                                                 "{% block content %}{{ page.no_such_field }}"))
    assert main(["--root", str(site), "build"]) == 1
    serial = capsys.readouterr().err
    monkeypatch.setattr(shards, "PARALLEL_FROM", 1)
    monkeypatch.setattr(shards.os, "cpu_count", lambda: 2)
    assert main(["--root", str(site), "build"]) == 1
    assert capsys.readouterr().err == serial and "templates/source.html" in serial
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"] and not (site / "public").exists()


def test_a_bug_in_a_worker_is_raised_with_its_traceback_and_nothing_is_written(
        tmp_path: Path, sharded: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    import builder.render

    def broken(*args: object) -> None:
        raise ZeroDivisionError("a bug in the page worker")

    monkeypatch.setattr(builder.render, "render_pages", broken)  # the forked workers inherit it
    with pytest.raises(RuntimeError, match="(?s)a build worker failed:.*ZeroDivisionError: a bug in the page worker"):
        build_site(REPO, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_bad_site_is_reported_the_same_when_sharded(case: Path, tmp_path: Path, sharded: list[int],
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    site = build_case(case, tmp_path)
    assert main(["--root", str(site), "build"]) == 1
    assert capsys.readouterr().err == (case / "expected.txt").read_text()


def test_a_shard_sent_for_pages_keeps_only_the_texts_the_main_process_may_need() -> None:
    site = check_site(REPO)
    shard = shards.Shard(dict(site.sources), {}, [], [], set(), set(), [], {})
    kept = sorted(site.sources)[-1:]
    sent = shards._texts_left_out(shard, kept)
    assert {key for key, source in sent.sources.items() if source.body is not None} == set(kept)
    assert all(source.body for source in shard.sources.values()), "the worker's own shard keeps every text"
    assert all(sent.sources[key] == replace(source, body=None) for key, source in site.sources.items()
               if key not in kept)
