"""cache.DiskCache: a command-line build remembers, in .cache/sitebuilder/, what the next one can reuse; a cache
that may be wrong (another version, damaged, truncated, half-written by a killed build, content edited behind
its back) is never used, and the output with the cache is byte for byte the output without it."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from builder import cache as cache_module
from builder import cards as cards_module
from builder import pagekeys, parallel
from builder.__main__ import main
from builder.pages import Planner
from builder.themes import THEME_DIR
from tests.conftest import Tick

REPO = Path(__file__).resolve().parent.parent
PAGES = 40  # the synthetic site's: 20-odd sources, each with its claims file


@functools.cache
def synthetic_corpus() -> Any:
    """The small synthetic site's content (bench/make_synthetic.py, seeded), drawn once per process: write_ours only
    reads it, and drawing it is three times the cost of writing it (16 ms against 5, for each of 85 tests)."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from make_synthetic import make_corpus
    finally:
        sys.path.remove(str(REPO / "bench"))
    return make_corpus(PAGES, 2 * PAGES, seed=3)


def write_synthetic_site(root: Path) -> Path:
    """A small synthetic site (bench/make_synthetic.py) with a copy of the project's templates, written at `root`."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from make_synthetic import write_ours
    finally:
        sys.path.remove(str(REPO / "bench"))
    write_ours(synthetic_corpus(), root)
    return root


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_synthetic_site(tmp_path / "site")


def build(root: Path, out: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[str, str]:
    """`python -m builder build` into `out`: what it printed (the time cut off) and its notices."""
    assert main(["--root", str(root), "build", "--out", str(out), *options]) == 0
    printed = capsys.readouterr()
    return printed.out.split(" in ")[0] + (" (nothing changed)" if "(nothing changed)" in printed.out else ""), \
        printed.err


def files(out: Path) -> dict[str, bytes]:
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file()}


def stats(out: Path) -> dict[str, tuple[int, int]]:
    return {path.relative_to(out).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns)
            for path in out.rglob("*") if path.is_file()}


def assert_same_as_without_cache(root: Path, out: Path, capsys: pytest.CaptureFixture[str], *options: str
                                 ) -> None:
    fresh = out.with_name(out.name + "-no-cache")
    build(root, fresh, capsys, "--no-cache", *options)
    found, expected = files(out), files(fresh)
    assert sorted(found) == sorted(expected)
    assert [path for path in expected if found[path] != expected[path]] == []


def cache_file(root: Path, name: str = "index.bin") -> Path:
    (found,) = (root / ".cache" / "sitebuilder").glob(f"out-*/{name}")
    return found


def edit_claim(root: Path, words: str) -> Path:
    path = sorted((root / "content" / "claims").iterdir())[2]
    text = path.read_text(encoding="utf-8")
    at = text.index("says: ") + len("says: ")
    path.write_text(text[:at] + f'"{words}"' + text[text.index("\n", at):], encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------- what it saves

def test_a_build_with_nothing_changed_does_nothing(site: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "public"
    first, notices = build(site, out, capsys)
    before = stats(out)
    again, _ = build(site, out, capsys)
    assert (notices, again) == ("", first + " (nothing changed)")
    assert stats(out) == before


def test_after_an_edit_only_the_changed_files_are_written(site: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "public"
    build(site, out, capsys)
    before, old = stats(out), files(out)
    edit_claim(site, "Words changed by the test.")
    build(site, out, capsys)
    new, after = files(out), stats(out)
    changed = sorted(path for path in new if new[path] != old.get(path))
    assert changed, "the edit shows somewhere"
    assert [path for path in new if path not in changed and path in before and after[path] != before[path]] == []
    assert_same_as_without_cache(site, out, capsys)


def test_a_one_claim_edit_makes_again_only_the_pages_that_show_it(site: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages that show a claim of its file: its source's page, the pages of the countries and questions they
    name, the page of the sources list that holds its source; and the pages made from the whole site. Nothing else
    (the references page is always made)."""
    use_small_limits(monkeypatch)
    planned: list[tuple[str, str | None]] = []
    real = Planner.plan
    monkeypatch.setattr(Planner, "plan", lambda self, job: planned.append(job) or real(self, job))
    out = tmp_path / "public"
    build(site, out, capsys)
    path = edit_claim(site, "Words changed by the test.")
    planned.clear()
    build(site, out, capsys)
    lines = path.read_text(encoding="utf-8").split("\n")  # a page shows the edited file's claims, or none of them
    countries = {c.strip(' "[]') for line in lines if line.startswith("  countries: ")
                 for c in line.removeprefix("  countries: ").split(",")} - {""}
    questions = {line.split("question: ")[1] for line in lines if "question: " in line}
    assert {job for job in planned if job[0] == "source"} == {("source", path.stem)}
    assert {str(i).split("/")[0] for m, i in planned if m in ("country", "country_more")} == countries
    assert {str(i).split("/")[0] for m, i in planned if m == "question"} == questions
    assert len([job for job in planned if job[0] in ("sources", "sources_more")]) == 1
    assert {m for m, _ in planned} <= {"source", "country", "country_more", "question", "sources", "sources_more",
                                       "home", "compare", "methodology"}
    assert_same_as_without_cache(site, out, capsys)


def test_after_a_template_edit_every_page_is_made_without_looking_for_it_in_the_cache(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Once a template changed, no page the cache holds can be kept (pagekeys.may_keep_pages), so none is looked
    for (its key is then made only to keep it, beside the page workers, as on a cold cache); a template edited
    back to what the cache's pages were made with is no different."""
    planned: list[tuple[str, str | None]] = []
    looked: list[bool] = []
    plan, reusable_pages = Planner.plan, cache_module.DiskCache.reusable_pages
    monkeypatch.setattr(Planner, "plan", lambda self, job: planned.append(job) or plan(self, job))
    monkeypatch.setattr(cache_module.DiskCache, "reusable_pages",
                        lambda self, *args: looked.append(True) or reusable_pages(self, *args))
    out, template = tmp_path / "public", site / "templates" / "base.html"
    original = (template if template.exists() else THEME_DIR / "base.html").read_text(encoding="utf-8")
    build(site, out, capsys)
    every_page = set(planned)
    for text in (original.replace("</body>", "<!-- edited -->\n</body>", 1), original):
        template.write_text(text, encoding="utf-8")
        planned.clear()
        build(site, out, capsys)
        assert (looked, set(planned)) == ([], every_page)
        assert_same_as_without_cache(site, out, capsys)
    edit_claim(site, "Words changed by the test.")
    planned.clear()
    build(site, out, capsys)
    assert looked == [True] and set(planned) < every_page  # a claim's edit: the pages that do not show it are kept


@pytest.mark.parametrize("edited, other", [("s00004", "s00001"), ("s00001", "s00004")])
def test_an_id_defined_again_in_another_source_is_reported_as_without_the_cache(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], edited: str, other: str) -> None:
    """A claim renamed to another source's claim's id, that source's records taken from the cache: the same
    errors, at the same file, line and column, as a build without the cache (the later source's is reported,
    wherever the edit was)."""
    out = tmp_path / "public"
    build(site, out, capsys)
    path = site / "content" / "claims" / f"{edited}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"- id: {edited}-c0\n", f"- id: {other}-c0\n", 1), encoding="utf-8")
    found = []
    for options in ((), ("--no-cache",)):
        assert main(["--root", str(site), "build", "--out", str(out), *options]) == 1
        found.append(capsys.readouterr().err)
    later, earlier = sorted((edited, other), reverse=True)
    line = next(n for n, text in enumerate((site / "content" / "claims" / f"{later}.yaml").read_text(
        encoding="utf-8").split("\n"), 1) if text == f"- id: {other}-c0")
    assert f"content/claims/{later}.yaml:{line}:3: claim '{other}-c0' is defined twice" in found[0]
    assert f"first defined at content/claims/{earlier}.yaml:1" in found[0]
    assert found[0] == found[1]
    path.write_text(text, encoding="utf-8")
    assert build(site, out, capsys)[1] == ""
    assert_same_as_without_cache(site, out, capsys)


def test_a_shards_groups_of_edited_sources_are_made_one(site: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit keeps its source's new records in a group of their own, beside the group that held them with the
    other sources of its shard; once a shard has more than SMALL_GROUPS small groups, they are made one."""
    monkeypatch.setattr(cache_module, "SMALL_GROUPS", 1)
    monkeypatch.setattr(cache_module, "SHARDS", 2)  # several sources in a shard, at this size
    out = tmp_path / "public"
    build(site, out, capsys)
    stems = sorted(path.stem for path in (site / "content" / "claims").iterdir())
    shards: dict[int, list[str]] = {}
    for stem in stems:
        shards.setdefault(cache_module.shard_of(stem), []).append(stem)
    edited, other = shards[cache_module.shard_of(stems[0])][:2]
    path = site / "content" / "claims" / f"{edited}.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.index("says: ") + len("says: ")
    path.write_text(text[:at] + '"Words changed by the test."' + text[text.index("\n", at):], encoding="utf-8")
    assert build(site, out, capsys)[1] == ""
    disk = cache_module.DiskCache(site, out, (None, None))
    disk.start({stem: (f"content/sources/{stem}.md", f"content/claims/{stem}.yaml") for stem in stems})
    assert len({id(pickled) for _, pickled in disk._shard(edited).values()}) == 1
    records = disk.unit(edited)
    assert records is not None and disk.unit(other) is not None
    assert "Words changed by the test." in [claim.says for claim in records.claims.values()]
    assert_same_as_without_cache(site, out, capsys)


def test_a_share_card_is_drawn_again_only_when_what_it_shows_changes(site: Path, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 1)  # every card drawn here, where it is counted
    drawn: list[str] = []
    real = cards_module.render_card
    monkeypatch.setattr(cards_module, "render_card", lambda card: drawn.append(card.out_path) or real(card))
    out = tmp_path / "public"
    build(site, out, capsys)
    assert "cards/home.png" in drawn and len(drawn) == len(set(drawn))
    drawn.clear()
    edit_claim(site, "Words changed by the test.")
    build(site, out, capsys)
    assert drawn == []
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("tagline: ", "tagline: Edited. "), encoding="utf-8")
    build(site, out, capsys)
    assert drawn == ["cards/home.png"], "the tagline is the home card's title, and on no other card"
    assert_same_as_without_cache(site, out, capsys)


def test_no_cache_neither_reads_nor_writes_one(site: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    build(site, tmp_path / "public", capsys, "--no-cache")
    assert not (site / ".cache").exists()
    build(site, tmp_path / "public", capsys)
    again, _ = build(site, tmp_path / "public", capsys, "--no-cache")
    assert "(nothing changed)" not in again


def test_other_settings_or_a_changed_output_file_are_built_again(site: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "public"
    build(site, out, capsys)
    other, _ = build(site, out, capsys, "--base-url", "https://other.example/x/")
    assert "(nothing changed)" not in other
    assert_same_as_without_cache(site, out, capsys, "--base-url", "https://other.example/x/")
    (out / "index.html").write_text("changed by hand")
    again, _ = build(site, out, capsys)  # settings as the last build's but one file is not what it wrote
    assert "(nothing changed)" not in again
    assert (out / "index.html").read_text() != "changed by hand"


def test_a_cache_folder_that_leads_out_of_the_project_is_not_used(site: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (site / ".cache").symlink_to(elsewhere)
    _, notices = build(site, tmp_path / "public", capsys)
    assert notices == "note: .cache/sitebuilder leads out of the project; building without a cache\n"
    assert list(elsewhere.iterdir()) == []


# ------------------------------------------------------------------------------------ a cache that may be wrong

def test_a_cache_from_another_version_is_ignored(site: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "public"
    build(site, out, capsys)
    index = cache_file(site)
    header, _, payload = index.read_bytes().partition(b"\n")
    fields = header.split(b" ")
    fields[2] = b"0" * len(fields[2])
    index.write_bytes(b" ".join(fields) + b"\n" + payload)
    edit_claim(site, "Edited after the other version's build.")
    printed, notices = build(site, out, capsys)
    shown = index.relative_to(site).as_posix()
    assert notices == f"note: {shown} was written by another version of the builder; building without it\n"
    assert "(nothing changed)" not in printed
    assert_same_as_without_cache(site, out, capsys)


@pytest.mark.parametrize("name", ["index.bin", "units"])
def test_a_damaged_cache_is_ignored(site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    name: str) -> None:
    out = tmp_path / "public"
    build(site, out, capsys)
    path = cache_file(site) if name == "index.bin" else sorted(cache_file(site).parent.glob("units-*.bin"))[0]
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x20  # one bit, in the middle of the records
    path.write_bytes(bytes(data))
    (out / "index.html").unlink()  # so the build does not stop at "nothing changed"
    edit_claim(site, "Edited after the damage.")
    _, notices = build(site, out, capsys)
    assert notices == f"note: {path.relative_to(site).as_posix()} is damaged; building without it\n"
    assert_same_as_without_cache(site, out, capsys)


def test_a_truncated_cache_is_ignored(site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "public"
    build(site, out, capsys)
    index = cache_file(site)
    index.write_bytes(index.read_bytes()[: index.stat().st_size * 2 // 3])
    printed, notices = build(site, out, capsys)
    assert notices == f"note: {index.relative_to(site).as_posix()} is truncated; building without it\n"
    assert "(nothing changed)" not in printed
    assert_same_as_without_cache(site, out, capsys)


def test_a_file_that_is_not_a_cache_is_ignored(site: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "public"
    build(site, out, capsys)
    index = cache_file(site)
    index.write_text("not a cache\n")
    _, notices = build(site, out, capsys)
    assert notices == f"note: {index.relative_to(site).as_posix()} is not a cache this builder wrote; " \
                      "building without it\n"


KILLED_WHILE_SAVING = r"""
import os, sys
import builder.cache as cache
real = os.replace
def replace(source, target):
    if str(target).endswith("index.bin"):
        os._exit(137)  # as if killed: the new index written under its temporary name, never renamed
    real(source, target)
cache.os.replace = replace
from builder.__main__ import main
from tests.support.cards import draw_once_in_this_process
draw_once_in_this_process()
from builder.pages import Planner
from builder.themes import THEME_DIR
main(["--root", sys.argv[1], "build", "--out", sys.argv[2]])
"""


def test_a_build_killed_while_saving_the_cache_leaves_a_usable_one(site: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "public"
    build(site, out, capsys)
    edit_claim(site, "Edited before the build that is killed.")
    killed = subprocess.run([sys.executable, "-c", KILLED_WHILE_SAVING, str(site), str(out)], cwd=REPO,
                            capture_output=True)
    assert killed.returncode == 137
    assert list(cache_file(site).parent.glob(".index.bin.*")), "killed after writing its temporary file"
    edit_claim(site, "Edited again after the killed build.")
    _, notices = build(site, out, capsys)
    assert notices == ""
    assert temporaries(site) == [], "the killed build's temporary file deleted"
    assert_same_as_without_cache(site, out, capsys)


def temporaries(root: Path) -> list[str]:
    """The cache's files under a temporary name (written, not yet renamed into place)."""
    return sorted(path.name for path in (root / ".cache" / "sitebuilder").glob("out-*/.*.bin.*"))


def with_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The small site built as a large one is: its sources checked and its pages rendered by forked workers, each
    source with its own downloads; the cache's sources' files written ahead while the pages are rendered."""
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    use_small_limits(monkeypatch)


def test_with_workers_every_page_is_kept_as_in_one_process_and_their_pool_ends_with_every_result_read(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """With workers, the disk cache keeps every page one process keeps (render._take_pages); the pages' pool is
    closed, not terminated (every result read: its workers exit on their own); an edit then builds as without
    the cache."""
    use_small_limits(monkeypatch)
    build(site, tmp_path / "alone", capsys)
    expected = cache_module.DiskCache(site, tmp_path / "alone", (None, None)).pages
    with_workers(monkeypatch)
    ended: list[tuple[str, bool]] = []
    map_chunks = parallel.map_chunks

    @contextlib.contextmanager
    def watched(work: Any, items: Any, before_fork: Any = None) -> Iterator[Any]:
        with map_chunks(work, items, before_fork) as results:
            closed_before = len(parallel._ENDING)
            yield results
        ended.append((getattr(work, "__name__", ""), len(parallel._ENDING) > closed_before))

    monkeypatch.setattr(parallel, "map_chunks", watched)
    out = tmp_path / "public"
    build(site, out, capsys)
    assert ("render", True) in ended, "the pages' workers exit on their own once every result is read"
    found = cache_module.DiskCache(site, out, (None, None)).pages
    assert len(expected) > parallel.PARALLEL_FROM and set(found) == set(expected)
    edit_claim(site, "Words changed by the test.")
    build(site, out, capsys)
    assert_same_as_without_cache(site, out, capsys)


def test_the_sources_part_of_the_cache_is_written_ahead_and_renamed_at_the_save(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    with_workers(monkeypatch)
    seen: list[str] = []
    save = cache_module.DiskCache.save

    def saving(self: cache_module.DiskCache, *args: object, **kwargs: object) -> None:
        seen.extend(temporaries(site))
        save(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cache_module.DiskCache, "save", saving)
    out = tmp_path / "public"
    build(site, out, capsys)
    assert {name.split(".")[1].split("-")[0] for name in seen} == {"units"}
    assert temporaries(site) == []
    printed, notices = build(site, out, capsys)
    assert "(nothing changed)" in printed and notices == ""
    edit_claim(site, "Edited after the first build.")
    build(site, out, capsys)
    assert_same_as_without_cache(site, out, capsys)


def test_no_source_s_share_of_the_downloads_is_kept_and_a_former_builder_s_shares_are_deleted(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The layout of the whole downloads is enough for an edit (spliced); a folder whose whole files are not as it
    says makes every share again (test_a_previous_download_that_is_not_as_the_cache_kept_it_is_not_spliced)."""
    with_workers(monkeypatch)
    out = tmp_path / "public"
    build(site, out, capsys)
    folder = next((site / ".cache" / "sitebuilder").glob("out-*"))
    kept = sorted(path.name for path in folder.iterdir())
    assert not [name for name in kept if name.startswith("exports")]
    assert {"index.bin", "pages.bin", "downloads.bin"} <= set(kept)
    former = folder / "exports-07.bin"  # as an earlier builder left it
    former.write_bytes(b"sitebuilder-cache 1 0 0 00000000\n")
    edit_claim(site, "Edited after a former builder's build.")
    made = spy_splices(monkeypatch)
    build(site, out, capsys)
    assert made == ["spliced", "spliced"]
    assert not former.exists()
    assert sorted(path.name for path in folder.iterdir() if path.name != "journal.bin") == kept
    assert_same_as_without_cache(site, out, capsys)


def test_an_edit_keeps_the_pages_changes_beside_pages_bin_until_they_grow(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit writes only the pages and memos it changed (journal.bin), not pages.bin whole; each edit's journal
    holds all changes since pages.bin, and once it outgrows its part pages.bin is written whole again, alone."""
    out = tmp_path / "public"
    build(site, out, capsys)
    folder = next((site / ".cache" / "sitebuilder").glob("out-*"))
    whole = (folder / "pages.bin").read_bytes()
    monkeypatch.setattr(cache_module, "JOURNAL_PART", 1)
    for step in range(2):
        edit_claim(site, f"Edited in step {step}.")
        build(site, out, capsys)
        assert (folder / "pages.bin").read_bytes() == whole and (folder / "journal.bin").exists()
        disk = cache_module.DiskCache(site, out, (None, None))  # what the next build reads: the journal's pages
        base = disk._read("pages")["pages"]
        assert sorted(disk.pages) == sorted(base) and [job for job in base if disk.pages[job] != base[job]]
        assert_same_as_without_cache(site, out, capsys)
    page = next(out.rglob("*.html"))
    page.write_text("edited by hand")  # made again: a journal's page is checked against its output file too
    build(site, out, capsys)
    assert_same_as_without_cache(site, out, capsys)
    monkeypatch.setattr(cache_module, "JOURNAL_PART", 10 ** 9)
    edit_claim(site, "Edited once the journal has grown.")
    build(site, out, capsys)
    assert not (folder / "journal.bin").exists() and (folder / "pages.bin").read_bytes() != whole
    assert_same_as_without_cache(site, out, capsys)
    assert temporaries(site) == []


@pytest.mark.parametrize("failing", ["planning", "the last check of the pages"])
def test_what_was_written_ahead_is_deleted_when_the_build_fails(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        failing: str) -> None:
    """Failing before the pages are made or after, the sources' records written ahead."""
    from builder import build as build_module
    from builder import render
    from builder.errors import ContentError, ContentErrors

    refused = [ContentError("templates/x.html", 1, 1, "refused by the test", "none")]
    with_workers(monkeypatch)
    written: list[str] = []
    write_ahead = cache_module.DiskCache.write_ahead

    def writing_ahead(self: cache_module.DiskCache) -> None:
        write_ahead(self)
        written.extend(temporaries(site))

    monkeypatch.setattr(cache_module.DiskCache, "write_ahead", writing_ahead)
    if failing == "planning":
        monkeypatch.setattr(build_module, "plan_site", lambda *args: (_ for _ in ()).throw(ContentErrors(refused)))
    else:
        monkeypatch.setattr(render, "check_out_paths", lambda paths: refused)
    assert main(["--root", str(site), "build", "--out", str(tmp_path / "public")]) == 1
    assert "refused by the test" in capsys.readouterr().err
    assert written, "written ahead"
    assert [path.name for path in (site / ".cache" / "sitebuilder").glob("out-*/*")] == []


def test_a_shard_is_written_ahead_while_the_check_goes_on_and_deleted_if_the_check_then_fails(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from builder import build as build_module
    from builder.errors import ContentError, ContentErrors

    with_workers(monkeypatch)
    monkeypatch.setattr(parallel, "CHUNK", 2)  # the sources' records come back in several groups
    written: list[str] = []
    real = cache_module.DiskCache._write_temporary

    def write_temporary(self: cache_module.DiskCache, name: str, value: Any, payload: bytes | None = None) -> Path:
        written.append(name)
        return real(self, name, value, payload)

    def refuse(*args: object) -> None:
        assert written, "shards written ahead during the check"
        raise ContentErrors([ContentError("content/x.yaml", 1, 1, "refused by the test", "none")])

    monkeypatch.setattr(cache_module.DiskCache, "_write_temporary", write_temporary)
    monkeypatch.setattr(build_module, "assemble_site", refuse)
    assert main(["--root", str(site), "build", "--out", str(tmp_path / "public")]) == 1
    assert "refused by the test" in capsys.readouterr().err
    assert [path.name for path in (site / ".cache" / "sitebuilder").glob("out-*/*")] == []
    monkeypatch.undo()
    build(site, tmp_path / "public", capsys)
    assert_same_as_without_cache(site, tmp_path / "public", capsys)


def test_what_was_written_ahead_is_not_kept_if_an_input_changed_while_the_build_ran(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    with_workers(monkeypatch)
    path = sorted((site / "content" / "claims").iterdir())[3]
    write_ahead = cache_module.DiskCache.write_ahead

    def writing_ahead(self: cache_module.DiskCache) -> None:
        write_ahead(self)
        says(path, "Edited while the build ran.")

    monkeypatch.setattr(cache_module.DiskCache, "write_ahead", writing_ahead)
    out = tmp_path / "public"
    build(site, out, capsys)
    assert [path.name for path in (site / ".cache" / "sitebuilder").glob("out-*/*")] == []
    monkeypatch.setattr(cache_module.DiskCache, "write_ahead", write_ahead)
    printed, notices = build(site, out, capsys)
    assert "(nothing changed)" not in printed and notices == ""
    assert "Edited while the build ran." in "".join(data.decode("utf-8", "replace") for data in files(out).values())
    assert_same_as_without_cache(site, out, capsys)


def test_an_input_edited_after_the_inputs_were_checked_is_seen_by_the_next_build(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A large build finds its inputs unchanged as the main process's part of the page phase ends, before the last
    page (check_inputs); what it keeps is right whatever changes after: the next build sees the new stat."""
    with_workers(monkeypatch)
    path = sorted((site / "content" / "claims").iterdir())[3]
    check_inputs, saved = cache_module.DiskCache.check_inputs, []

    def checking(self: cache_module.DiskCache) -> None:
        check_inputs(self)
        if not saved:  # the first call: before the save's
            assert self.whole_now, "found unchanged"
            says(path, "Edited after the inputs were checked.")
        saved.append(True)

    monkeypatch.setattr(cache_module.DiskCache, "check_inputs", checking)
    out = tmp_path / "public"
    build(site, out, capsys)
    assert len(saved) == 2 and cache_file(site).exists(), "checked beside the workers, and kept"
    assert "Edited after the inputs were checked." not in "".join(
        data.decode("utf-8", "replace") for data in files(out).values())
    monkeypatch.setattr(cache_module.DiskCache, "check_inputs", check_inputs)
    printed, notices = build(site, out, capsys)
    assert "(nothing changed)" not in printed and notices == ""
    assert "Edited after the inputs were checked." in "".join(
        data.decode("utf-8", "replace") for data in files(out).values())
    assert_same_as_without_cache(site, out, capsys)


def test_a_template_that_did_not_compile_before_the_fork_is_checked_by_the_save(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A template that does not compile is read again by the page workers that use it, after the check beside them
    would have run: its bytes then may not be those hashed (an edit during the build, undone after). So the inputs
    are checked by the save, after the last page, as in a small build."""
    with_workers(monkeypatch)
    (site / "templates" / "unused.html").write_text("{% if %}never compiles{% endif %}\n")
    check_inputs, calls = cache_module.DiskCache.check_inputs, []

    def checking(self: cache_module.DiskCache) -> None:
        calls.append(True)
        check_inputs(self)

    monkeypatch.setattr(cache_module.DiskCache, "check_inputs", checking)
    build(site, tmp_path / "public", capsys)
    assert len(calls) == 1 and cache_file(site).exists(), "checked once, by the save, and kept"


def test_content_edited_with_the_same_size_and_mtime_is_seen(site: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch, past_tick: Tick) -> None:
    monkeypatch.setattr(cache_module, "RACY_NS", 0)  # trust every stat at once, not only those 2 s old
    out = tmp_path / "public"
    path = edit_claim(site, "Words of one length.")
    build(site, out, capsys)
    before = path.stat()
    past_tick()
    edit_claim(site, "Words of 1 length!!!")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    printed, _ = build(site, out, capsys)
    assert "(nothing changed)" not in printed
    assert "Words of 1 length!!!" in "".join(data.decode("utf-8", "replace") for data in files(out).values())
    assert_same_as_without_cache(site, out, capsys)



def says(path: Path, words: str) -> None:
    """Give the first claim of a claims file these words."""
    text = path.read_text(encoding="utf-8")
    at = text.index("says: ") + len("says: ")
    path.write_text(text[:at] + f'"{words}"' + text[text.index("\n", at):], encoding="utf-8")


@pytest.mark.parametrize("read", [True, False])
def test_a_claims_file_edited_while_the_build_runs_is_seen_by_the_next_build(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        read: bool) -> None:
    """Edited after the build hashed it: a file the build read (its source checked again) may have been read as
    the new text, so nothing this build made is kept; one it did not read (its source's records from the cache)
    was only hashed, and what is kept is that hash's. Either way the next build shows the new words."""
    from builder import build as build_module

    out = tmp_path / "public"
    build(site, out, capsys)
    claims_files = sorted((site / "content" / "claims").iterdir())
    path = claims_files[4]
    says(path if read else claims_files[5], "Edited before the build.")  # else this file's records are the cache's
    publish = build_module.publish

    def edit_then_publish(*args: object, **kwargs: object) -> object:
        says(path, "Edited while the build ran.")
        return publish(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "publish", edit_then_publish)
    saved = cache_file(site).read_bytes()
    build(site, out, capsys)
    monkeypatch.undo()
    assert (cache_file(site).read_bytes() == saved) is read  # kept only when the file was not read
    printed, notices = build(site, out, capsys)
    assert "(nothing changed)" not in printed and notices == ""
    assert "Edited while the build ran." in "".join(data.decode("utf-8", "replace") for data in files(out).values())
    assert_same_as_without_cache(site, out, capsys)



def unit_files(root: Path) -> set[str]:
    """Every source's file and claims file, by path from the root."""
    return {path.relative_to(root).as_posix() for folder in ("sources", "claims")
            for path in (root / "content" / folder).iterdir()}


@pytest.mark.parametrize("workers", [False, True])
def test_a_cold_caches_sources_are_hashed_by_their_check_and_keyed_as_if_hashed_first(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        workers: bool) -> None:
    """A source the cache holds nothing of is not hashed before it is checked: the check hashes the bytes it
    read, and what the cache keeps (each file's stamp, each source's key) is what hashing first would have made.
    With a cache, only the sources it holds nothing of (a new one) may be left to the check."""
    from builder.build import check_site

    if workers:
        with_workers(monkeypatch)
    monkeypatch.setattr(cache_module, "RACY_NS", 0)  # every stat trusted, so that the stamps keep them
    left: list[set[str]] = []
    start = cache_module.DiskCache.start

    def starting(self: cache_module.DiskCache, *args: Any) -> None:
        start(self, *args)
        left.append(set(self.later))

    monkeypatch.setattr(cache_module.DiskCache, "start", starting)
    out = tmp_path / "public"
    build(site, out, capsys)
    assert left == [unit_files(site)]
    saved = cache_module.DiskCache(site, out, (None, None)).stamps
    hashed_first = cache_module.DiskCache(site, out, (None, None))
    hashed_first.stamps = {}
    hashed_first.input_digests()  # every file, in this process, as before a build that reuses records
    assert {rel: stamp[4] for rel, stamp in saved.items()} == hashed_first.digests
    assert {rel: stamp[:4] for rel, stamp in saved.items()} == hashed_first.read_now  # trusted: RACY_NS is 0
    with parallel.one_process():
        check_site(site, disk=hashed_first)
    assert hashed_first.later == set() and hashed_first.taken == set(hashed_first.unit_keys) != set()
    source = sorted((site / "content" / "sources").iterdir())[1]
    copied = source.with_name("added-source.md")
    shutil.copy(source, copied)
    says(sorted((site / "content" / "claims").iterdir())[2], "Edited after the first build.")
    build(site, out, capsys)
    assert left[1:3] == [set(), set()]  # this check, then a build that hashes all first (DiskCache.unchanged)
    shutil.copy(source, copied.with_name("added-again.md"))
    build(site, out, capsys, "--take-over")  # which does not ask
    assert left[3] == {"content/sources/added-again.md"}
    printed, notices = build(site, out, capsys)
    assert "(nothing changed)" in printed and notices == ""
    assert_same_as_without_cache(site, out, capsys)


@pytest.mark.parametrize("when", ["between the stat and the read", "just after the read", "after the check"])
def test_a_file_edited_while_a_cold_build_checks_it_is_seen_by_the_next_build(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        when: str) -> None:
    """A cold build hashes a source's files from the bytes its check read, with the stat taken on the open file
    before the read: an edit at any moment after that stat leaves the file with another stat when the cache is
    saved, and nothing is kept; the next build checks the file again."""
    import types

    from builder import build as build_module
    from builder import load as load_module

    path = sorted((site / "content" / "claims").iterdir())[4]
    done: list[bool] = []

    def edit() -> None:
        if not done:
            done.append(True)
            says(path, "Edited while the build ran.")

    def ours(fd: int) -> bool:
        return os.fstat(fd).st_ino == path.stat().st_ino

    if when == "between the stat and the read":
        def fstat(fd: int) -> os.stat_result:
            found = os.fstat(fd)
            if ours(fd):
                edit()  # in place: the same inode, read after its stat
            return found

        monkeypatch.setattr(load_module, "os", types.SimpleNamespace(**{**vars(os), "fstat": fstat}))
    elif when == "just after the read":
        def read(fd: int, size: int) -> bytes:
            piece = os.read(fd, size)
            if not piece and ours(fd):
                edit()  # the whole file read: before anything else is done with it
            return piece

        monkeypatch.setattr(load_module, "os", types.SimpleNamespace(**{**vars(os), "read": read}))
    else:
        publish = build_module.publish

        def edit_then_publish(*args: object, **kwargs: object) -> object:
            edit()
            return publish(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(build_module, "publish", edit_then_publish)
    out = tmp_path / "public"
    build(site, out, capsys)
    monkeypatch.undo()
    assert done and [path.name for path in (site / ".cache" / "sitebuilder").glob("out-*/*")] == []
    printed, notices = build(site, out, capsys)
    assert "(nothing changed)" not in printed and notices == ""
    assert "Edited while the build ran." in "".join(data.decode("utf-8", "replace") for data in files(out).values())
    assert_same_as_without_cache(site, out, capsys)
    assert "(nothing changed)" in build(site, out, capsys)[0]


def test_a_pages_key_is_its_sources_keys_and_its_values(site: Path, tmp_path: Path) -> None:
    """pagekeys.keys_and_units tells a page's records (the site's own, by identity) from its values: a claim stands
    for its source's files, a record that is not the site's is keyed by all it holds, a source without a key leaves
    its page without one."""
    import dataclasses

    from builder.build import check_site

    disk = cache_module.DiskCache(site, tmp_path / "public", (None, None))
    with parallel.one_process():
        built = check_site(site, disk=disk)
    claim = next(iter(built.claims.values()))
    source = built.sources[claim.source_id]
    other = next(s for s in built.sources.values() if s.id != source.id)
    job = ("page", None)

    def key(*records: object) -> bytes | None:
        return pagekeys.keys_and_units(disk, built, {job: records})[0][job]

    assert key(claim) == key(source) == key(source, claim) != key(other)
    copy = dataclasses.replace(claim)  # equal, but not the site's record: keyed by what it holds
    assert key(copy) == key(dataclasses.replace(claim)) not in (key(claim), None)
    assert key(dataclasses.replace(claim, says="Other words.")) != key(copy)
    assert key(claim, "a value") != key(claim, "another value")
    was = key(claim)
    disk.unit_keys[source.id] = bytes(16)  # its files changed
    assert key(claim) != was
    del disk.unit_keys[source.id]
    assert key(claim) is None and key(other) is not None


# ---------------------------------------------------------------------------------------------- random edits

CLAIM_EDITS = ["says", "quote", "answers", "countries", "add claim", "remove claim"]
SOURCE_EDITS = ["source text", "add source", "remove source"]
# The limits of a large site, made small so that the synthetic site has every kind of page a large one has: a
# page per question and further pages of its answers, further pages of a country's claims and of the sources
# list, each source's own downloads, share cards shared by a kind's pages.
SMALL_LIMITS = {"builder.paging.COMPARE_CLAIMS_ON_ONE_PAGE": 5, "builder.paging.SOURCE_DOWNLOADS_FROM": 5,
                "builder.pages.CLAIMS_PER_PAGE": 3, "builder.comparisons.CLAIMS_PER_PAGE": 3,
                "builder.pages.SOURCES_PER_PAGE": 7, "builder.views.CARDS_PER_KIND": 5}


def use_small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """SMALL_LIMITS for this test: a small site then has every kind of page a large one has."""
    for name, value in SMALL_LIMITS.items():
        monkeypatch.setattr(name, value)


def claim_blocks(text: str) -> list[str]:
    """A claims file's claims, each as its lines."""
    return ["- id:" + block.rstrip("\n") for block in text.split("- id:")[1:]]


def cited_in_site_files(root: Path) -> str:
    """The site's own files, where a claim may be cited (a cited claim or its source is not removed)."""
    return "".join(path.read_text(encoding="utf-8") for path in sorted((root / "content").glob("*.*")))


def edit_claims(text: str, kind: str, rng: random.Random, root: Path, step: int, stem: str) -> str | None:
    """A claims file's text after one edit of `kind` that keeps the site valid; None if it cannot be made."""
    blocks = claim_blocks(text)
    if not blocks:
        return None
    at = rng.randrange(len(blocks))
    lines = blocks[at].split("\n")
    others = [line for path in sorted((root / "content" / "claims").iterdir())
              for block in claim_blocks(path.read_text(encoding="utf-8")) for line in block.split("\n")]
    if kind == "says":
        lines = [f'  says: "Edit {step} of the test."' if line.startswith("  says: ") else line for line in lines]
    elif kind == "quote":  # its first words: still the source's words, at the same place
        quoted = next(line for line in lines if line.startswith("  quote: "))
        words = quoted.removeprefix('  quote: "').removesuffix('"').split(" ")
        if len(words) < 12:
            return None
        lines[lines.index(quoted)] = '  quote: "' + " ".join(words[:8]) + '"'
    elif kind == "answers":  # removed, or another claim's given
        if "  answers:" in lines:
            start = lines.index("  answers:")
            end = next((n for n in range(start + 1, len(lines)) if not lines[n].startswith("    ")), len(lines))
            lines = lines[:start] + lines[end:]
        else:
            given = [n for n, line in enumerate(others) if line == "  answers:"]
            if not given:
                return None
            start = rng.choice(given)
            end = next((n for n in range(start + 1, len(others)) if not others[n].startswith("    ")), len(others))
            lines += others[start:end]
    elif kind == "countries":
        lines = [rng.choice([o for o in others if o.startswith("  countries: ")]) if line.startswith("  countries: ")
                 else line for line in lines]
    elif kind == "add claim":  # another claim on the same words
        lines = [f"- id: {stem}-added-{step}-{rng.randrange(1000)}", *lines[1:]]
        return text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"
    elif kind == "remove claim":
        if len(blocks) < 2 or lines[0].removeprefix("- id: ") in cited_in_site_files(root):
            return None
        return "\n\n".join(blocks[:at] + blocks[at + 1:]) + "\n"
    return "\n\n".join(blocks[:at] + ["\n".join(lines)] + blocks[at + 1:]) + "\n"


def random_edit(root: Path, rng: random.Random, originals: dict[Path, str | None], step: int) -> None:
    """One edit that keeps the site valid: a claim's words, quote, answers or countries, a claim or a source added
    or removed, a source's text, a template, the tagline, or an earlier edit undone (`originals`: each edited
    file's text before, None for a file the test added)."""
    kind = rng.choice([*CLAIM_EDITS, *SOURCE_EDITS, "template", "site", "revert"])
    if kind == "revert" and originals:
        path = rng.choice(sorted(originals))
        text = originals.pop(path)
        if text is None:
            path.unlink()
        else:
            path.write_text(text, encoding="utf-8")
        return
    sources, claims = root / "content" / "sources", root / "content" / "claims"
    if kind in (*CLAIM_EDITS, "revert"):
        path = rng.choice(sorted(claims.iterdir()))
        text = path.read_text(encoding="utf-8")
        edited = edit_claims(text, "says" if kind == "revert" else kind, rng, root, step, path.stem)
        if edited is not None:
            originals.setdefault(path, text)
            path.write_text(edited, encoding="utf-8")
        return
    if kind in ("add source", "remove source"):
        source = rng.choice(sorted(sources.iterdir()))
        pair = [source, claims / (source.stem + ".yaml")]
        if kind == "remove source":
            if source.stem in cited_in_site_files(root):
                return
            for path in pair:
                if path.exists():
                    originals.setdefault(path, path.read_text(encoding="utf-8"))
                    path.unlink()
            return
        stem = f"{source.stem}-copy-{step}-{rng.randrange(1000)}"  # beside it in the list: later pages shift
        for path in pair:
            if path.exists():
                copied = path.with_name(stem + path.suffix)
                originals.setdefault(copied, None)
                copied.write_text(path.read_text(encoding="utf-8").replace(f"- id: {source.stem}-", f"- id: {stem}-"),
                                  encoding="utf-8")
        return
    if kind == "source text":
        path = rng.choice(sorted(sources.iterdir()))
    elif kind == "template":  # the site's own copy of a theme's template, made if it has none
        path = root / "templates" / rng.choice(["base.html", "source.html", "country.html", "index.html"])
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text((THEME_DIR / path.name).read_text(encoding="utf-8"), encoding="utf-8")
    else:
        path = root / "site.yaml"
    text = path.read_text(encoding="utf-8")
    originals.setdefault(path, text)
    if kind == "source text":
        text = text.rstrip("\n") + f"\n\nA sentence added by edit {step}.\n"
    elif kind == "template":
        text = text + f"{{# edit {step} #}}<!-- edit {step} -->\n"
    else:
        text = text.replace("tagline: ", f"tagline: Edit {step}. ", 1) if "tagline: " in text else text
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_after_random_edits_the_cached_build_equals_a_build_without_cache(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        seed: int) -> None:
    if seed == 4:
        monkeypatch.setattr(parallel, "PARALLEL_FROM", 10)  # the sources not in the cache checked by workers
    if seed >= 3:  # every kind of page a large site has
        use_small_limits(monkeypatch)
    rng, originals, out = random.Random(seed), {}, tmp_path / "public"
    build(site, out, capsys)
    for step in range(5):
        for _ in range(rng.randint(1, 4)):
            random_edit(site, rng, originals, step)
        _, notices = build(site, out, capsys)
        assert notices == ""
        assert_same_as_without_cache(site, out, capsys)


def test_a_checkout_and_output_restored_elsewhere_are_recognised_by_their_bytes(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """As in CI: a fresh checkout, and public/ restored with the cache, every file with a new inode and times."""
    out = tmp_path / "public"
    first, _ = build(site, out, capsys)
    for folder in (out, site / "content", site / "templates"):
        copied = folder.with_name(folder.name + "-copy")
        shutil.copytree(folder, copied, symlinks=True)
        shutil.rmtree(folder)
        copied.rename(folder)
    again, notices = build(site, out, capsys)
    assert (again, notices) == (first + " (nothing changed)", "")
    edit_claim(site, "Edited after the restore.")
    build(site, out, capsys)
    assert_same_as_without_cache(site, out, capsys)


def test_nothing_changed_is_not_said_of_a_folder_a_build_must_see_to(site: Path, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """A killed build's staging folder beside it, or its marker gone: the build holds the folder and sees to it."""
    out = tmp_path / "public"
    build(site, out, capsys)
    (tmp_path / ".build-public-4242").mkdir()  # what a killed build leaves
    again, _ = build(site, out, capsys)
    assert "(nothing changed)" not in again and not (tmp_path / ".build-public-4242").exists()
    (out / ".sitebuilder-output").unlink()
    assert main(["--root", str(site), "build", "--out", str(out)]) == 1, "not ours until taken over"


def test_nothing_changed_is_not_said_of_a_linked_folder_a_build_must_see_to(site: Path, tmp_path: Path,
                                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """public/ a link to the folder builds write (www/): what builds leave is beside www/, and is seen there."""
    out = tmp_path / "public"
    out.symlink_to(tmp_path / "www")
    build(site, out, capsys)
    (tmp_path / ".build-www-4242").mkdir()  # what a killed build leaves, beside the folder the link leads to
    again, _ = build(site, out, capsys)
    assert "(nothing changed)" not in again and not (tmp_path / ".build-www-4242").exists()
    (tmp_path / ".build-www.lock").touch()  # the folder's own lock: a build may be holding it
    assert "(nothing changed)" not in build(site, out, capsys)[0]


def test_another_folders_build_beside_it_does_not_stop_nothing_changed(site: Path, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """public-warm's lock and staging folder start with '.build-public-' too: they are not this folder's."""
    out = tmp_path / "public"
    first, _ = build(site, out, capsys)
    (tmp_path / ".build-public-warm.lock").touch()
    (tmp_path / ".build-public-warm-4242").mkdir()
    again, _ = build(site, out, capsys)
    assert again == first + " (nothing changed)"
    (tmp_path / ".build-public.lock").touch()  # this folder's own lock: a build may be holding it
    assert "(nothing changed)" not in build(site, out, capsys)[0]


def test_the_stats_kept_after_builds_through_the_spare_are_the_files_own(site: Path, tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """The output files' stats the cache keeps, and the spare's list, may come from the checks that trusted them
    (write.Output's stamps) rather than a stat after the build: they are still the files' stats."""
    from builder.spare import read_list

    out = tmp_path / "public"
    build(site, out, capsys)
    for words in ("First words.", "Second words.", "Third words."):  # the third and on go through the spare
        edit_claim(site, words)
        build(site, out, capsys)
        index = cache_module.DiskCache(site, out, (None, None))
        assert index.outputs and {path: list(stamp[:4]) for path, stamp in index.outputs.items()} == {
            path: list(cache_module.file_stat_key(os.lstat(out / path))) for path in index.outputs}
        listed = read_list(out.with_name(".build-spare-public"))
        assert listed and {path: entry[:4] for path, entry in listed.items()} == {
            path: list(cache_module.file_stat_key(os.lstat(out.with_name(".build-spare-public") / path)))
            for path in listed}
    assert_same_as_without_cache(site, out, capsys)


def test_a_new_folders_files_are_stamped_by_their_writers_and_the_save_stats_only_the_rest(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Into a new folder (renamed whole, its files never), each file is stamped by the process that writes it, a
    page worker's sent back with its page: the save stats none of them (only the marker and a file written in
    pieces), and what it keeps is each file's own stat, which the next build trusts."""
    with_workers(monkeypatch)
    out, seen, real = tmp_path / "public", [], os.lstat
    monkeypatch.setattr(cache_module.os, "lstat", lambda path, *args, **kw: seen.append(str(path)) or real(path))
    build(site, out, capsys)
    monkeypatch.setattr(cache_module.os, "lstat", real)
    index = cache_module.DiskCache(site, out, (None, None))
    assert len(index.outputs) > 50 and {path: list(stamp[:4]) for path, stamp in index.outputs.items()} == {
        path: list(cache_module.file_stat_key(os.lstat(out / path))) for path in index.outputs}
    assert [path for path in seen if path.startswith(f"{out}/")] == [f"{out}/.sitebuilder-output"]
    assert build(site, out, capsys)[0].endswith("(nothing changed)")
    edit_claim(site, "Edited after the first build.")  # into the folder: a new staging folder, then swapped
    build(site, out, capsys)
    index = cache_module.DiskCache(site, out, (None, None))
    assert {path: list(stamp[:4]) for path, stamp in index.outputs.items()} == {
        path: list(cache_module.file_stat_key(os.lstat(out / path))) for path in index.outputs}
    assert build(site, out, capsys)[0].endswith("(nothing changed)")
    assert_same_as_without_cache(site, out, capsys)


# ---------------------------------------------------------------------------------------------- the whole downloads

def spy_splices(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """How each whole download is made: "spliced" from the folder's, or "made" from every source's share."""
    from builder import splice

    made: list[str] = []
    real = splice.spliced

    def spliced(parts: Any, old: int | None = None, stamp: Any = None) -> Iterator[bytes]:
        yield from real(parts, old, stamp)
        made.append("spliced" if old is not None else "made")

    monkeypatch.setattr(splice, "spliced", spliced)
    return made


def edit_one(root: Path, kind: str, step: int) -> None:
    """One edit of `kind` (edit_claims' kinds, or a source added or removed), made where it keeps the site valid."""
    rng, claims, sources = random.Random(step), root / "content" / "claims", root / "content" / "sources"
    if kind == "add source":
        source = sorted(sources.iterdir())[step]
        stem = f"{source.stem}-copy"  # beside it: the records after it move
        for path in (source, claims / f"{source.stem}.yaml"):
            path.with_name(stem + path.suffix).write_text(
                path.read_text(encoding="utf-8").replace(f"- id: {source.stem}-", f"- id: {stem}-"), encoding="utf-8")
    elif kind == "remove source":
        source = next(path for path in sorted(sources.iterdir())[step:]
                      if path.stem not in cited_in_site_files(root))
        source.unlink()
        (claims / f"{source.stem}.yaml").unlink(missing_ok=True)
    else:
        for path in sorted(claims.iterdir())[step:]:
            edited = edit_claims(path.read_text(encoding="utf-8"), kind, rng, root, step, path.stem)
            if edited is not None:
                path.write_text(edited, encoding="utf-8")
                return
        raise AssertionError(f"no claims file takes the edit {kind!r}")


def test_the_whole_downloads_are_spliced_after_edits_and_equal_those_made_without_cache(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """site.json and claims.csv after an edit are the folder's, the changed sources' records put in place of
    theirs (an answer changes a comparison too); byte for byte the files made whole without the cache."""
    use_small_limits(monkeypatch)  # each source's own downloads too
    out = tmp_path / "public"
    build(site, out, capsys)
    made = spy_splices(monkeypatch)
    for step, kind in enumerate(["says", "add claim", "answers", "remove claim", "add source", "remove source",
                                 "quote", "add source"]):
        edit_one(site, kind, step)
        build(site, out, capsys)
        assert (kind, made) == (kind, ["spliced", "spliced"])
        assert_same_as_without_cache(site, out, capsys)
        made.clear()
    build(site, out, capsys)
    assert made == []  # nothing changed: neither made nor read


def test_a_spliced_download_is_known_by_its_groups_digest_made_from_the_last_files_groups(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """With small limits (a file over 2,048 bytes known by its groups of 256), each edit's site.json and claims.csv
    are spliced, hashed only around their changes, and kept by the digest of their bytes (digests.digest, what a
    folder restored from elsewhere is checked by); a copy of the folder, with new stats, is spliced too."""
    from builder import digests, write

    use_small_limits(monkeypatch)
    for module in (digests, write):
        monkeypatch.setattr(module, "SMALL", 2048)
    monkeypatch.setattr(digests, "GROUP", 256)
    out = tmp_path / "public"
    build(site, out, capsys)
    made, hashed = spy_splices(monkeypatch), []
    real_hash = digests.Groups._hash
    monkeypatch.setattr(digests.Groups, "_hash", lambda self, data, done=0, upto=None: hashed.append(
        (len(data) if upto is None else upto) - done if self.last else 0) or real_hash(self, data, done, upto))
    for step, kind in enumerate(["says", "add source", "remove claim", "restored"]):
        if kind == "restored":  # as CI's cache restores public/: the same bytes, every file's stat new (each hashed)
            shutil.copytree(out, tmp_path / "copy")
            shutil.rmtree(out)
            (tmp_path / "copy").rename(out)
        edit_one(site, "says" if kind == "restored" else kind, step)
        made.clear()
        hashed.clear()
        build(site, out, capsys)
        whole = [(out / "data" / name).read_bytes() for name in ("site.json", "claims.csv")]
        assert made == ["spliced", "spliced"] and (kind == "restored" or sum(hashed) < sum(map(len, whole)) // 2)
        kept = cache_module.DiskCache(site, out, (None, None)).outputs
        for name, data in zip(("site.json", "claims.csv"), whole, strict=True):
            assert len(data) > 2048 and kept[f"data/{name}"][4] == digests.digest(data) != hashlib.sha256(
                data).digest()[:16]
        assert_same_as_without_cache(site, out, capsys)


@pytest.mark.parametrize("damage", ["edited in place", "truncated", "replaced by another build's",
                                    "its layout shifted"])
def test_a_previous_download_that_is_not_as_the_cache_kept_it_is_not_spliced(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        damage: str) -> None:
    out = tmp_path / "public"
    build(site, out, capsys)
    whole = out / "data" / "site.json"
    if damage == "replaced by another build's":  # a whole site.json, but not the one kept
        edit_claim(site, "Other words.")
        other = tmp_path / "other"
        build(site, other, capsys, "--no-cache")
    made = spy_splices(monkeypatch)
    data = whole.read_bytes()
    if damage == "edited in place":
        at = data.index(b'"says":"') + len(b'"says":"')
        whole.write_bytes(data[:at] + bytes([data[at] ^ 1]) + data[at + 1:])
    elif damage == "truncated":
        whole.write_bytes(data[:len(data) // 2])
    elif damage == "replaced by another build's":
        whole.write_bytes((other / "data" / "site.json").read_bytes())
    else:  # a layout that does not describe the file: every record one byte further on
        disk = cache_module.DiskCache(site, out, (None, None))
        layout = disk._read("downloads")
        start, keys, owners, lengths = layout["sections"]["claims"]
        layout["sections"]["claims"] = (start + 1, keys, owners, lengths)
        disk._write("downloads", layout)
    edit_claim(site, "Words after the damage.")
    build(site, out, capsys)
    assert made[:1] == ["made"]  # site.json: made from every source's share
    assert_same_as_without_cache(site, out, capsys)


KILLED_WHILE_WRITING_AHEAD = r"""
import os, sys
import builder.cache as cache
real = cache.DiskCache._write_temporary
def write_temporary(self, name, value, payload=None):
    real(self, name, value, payload)
    os._exit(137)  # as if killed: one file of the cache written ahead under its temporary name
cache.DiskCache._write_temporary = write_temporary
from builder.__main__ import main
from tests.support.cards import draw_once_in_this_process
draw_once_in_this_process()
main(["--root", sys.argv[1], "build", "--out", sys.argv[2]])
"""


def test_what_a_build_killed_while_writing_ahead_left_is_deleted_by_the_next_even_if_it_fails(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "public"
    killed = subprocess.run([sys.executable, "-c", KILLED_WHILE_WRITING_AHEAD, str(site), str(out)], cwd=REPO,
                            capture_output=True)
    assert killed.returncode == 137
    assert temporaries(site), "killed after writing a file ahead"
    path = edit_claim(site, "A claim with a quote that is not in its source.")
    path.write_text(path.read_text(encoding="utf-8").replace("quote: ", "quote: Words no source has. ", 1),
                    encoding="utf-8")
    assert main(["--root", str(site), "build", "--out", str(out)]) == 1
    assert capsys.readouterr().err
    assert temporaries(site) == [], "the killed build's files deleted by a build that then failed"


def test_what_was_written_ahead_is_deleted_when_the_build_is_interrupted_while_writing_it(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = cache_module.DiskCache._write_temporary
    written: list[str] = []

    def write_temporary(self: cache_module.DiskCache, name: str, value: Any, payload: bytes | None = None) -> Path:
        if len(written) == 2:
            raise KeyboardInterrupt  # Ctrl-C while the third file is written ahead
        written.append(name)
        return real(self, name, value, payload)

    monkeypatch.setattr(cache_module.DiskCache, "_write_temporary", write_temporary)
    with pytest.raises(KeyboardInterrupt):
        main(["--root", str(site), "build", "--out", str(tmp_path / "public")])
    assert len(written) == 2
    assert temporaries(site) == []


def test_a_file_name_that_is_not_utf8_among_the_inputs_builds_and_is_cached(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file the build does not read (a note, an image), named in Latin-1, under content/: it is among the inputs
    of the whole key, which must neither raise nor lose it."""
    (site / "content" / os.fsdecode(b"notes-caf\xe9.txt")).write_text("x")
    out = tmp_path / "public"
    build(site, out, capsys)
    printed, _ = build(site, out, capsys)
    assert "(nothing changed)" in printed
    edit_claim(site, "Edited beside a Latin-1 name.")
    build(site, out, capsys)
    assert_same_as_without_cache(site, out, capsys)


def test_the_whole_key_tells_apart_paths_that_differ_only_in_undecodable_bytes(tmp_path: Path) -> None:
    """Two names whose bytes differ where they are not UTF-8 are two inputs, not one."""
    disk = cache_module.DiskCache(tmp_path, tmp_path / "public", ("settings",), version=b"v" * 16)
    a, b = os.fsdecode(b"content/a\xe9"), os.fsdecode(b"content/a\xe8")
    assert disk._whole_key({a: b"\0" * 16}) != disk._whole_key({b: b"\0" * 16})


def test_a_source_renamed_with_the_same_bytes_is_built_again(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The whole key must hold the paths, not only the digests in the paths' order: a source and its claims file
    renamed to an id that sorts in the same place change the site (its page's URL) with the same digests."""
    out = tmp_path / "public"
    build(site, out, capsys)
    for folder, suffix in (("sources", ".md"), ("claims", ".yaml")):
        old = sorted((site / "content" / folder).glob(f"*{suffix}"))[3]
        old.rename(old.with_name(old.stem + "a" + suffix))
    printed, _ = build(site, out, capsys)
    assert "(nothing changed)" not in printed
    assert_same_as_without_cache(site, out, capsys)


@pytest.mark.parametrize("stage", ["check_site", "render_site"])
def test_a_public_file_edited_by_hand_while_a_build_runs_is_made_again_by_the_next(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        past_tick: Tick, stage: str) -> None:
    """A file of public/ the build found holding its bytes, then written to by hand (the same file) while the
    build checks the site or makes the pages, is made again by that build or, at the latest, the next: its new
    stat is never kept with the build's digest, which would leave the next build finding nothing changed.
    (Found by rev-guards; the check's case was already right.)"""
    from builder import build as build_module

    out, reference = tmp_path / "public", tmp_path / "reference"
    build(site, out, capsys)
    past_tick()
    edit_claim(site, "An edit, so that the next build has work to do.")
    build(site, reference, capsys, "--no-cache")
    before, expected = files(out), files(reference)
    victim = next(path for path in sorted(before) if path.endswith(".html") and before[path] == expected[path])
    real = getattr(build_module, stage)

    def edit_by_hand(*args: Any, **kwargs: Any) -> Any:
        with (out / victim).open("ab") as file:  # the same file, written to
            file.write(b"<!-- edited by hand during the build -->")
        monkeypatch.setattr(build_module, stage, real)
        return real(*args, **kwargs)

    monkeypatch.setattr(build_module, stage, edit_by_hand)
    build(site, out, capsys)
    build(site, out, capsys)
    assert files(out) == expected


def test_the_site_s_own_files_are_read_and_validated_again_only_when_one_changed_even_to_the_same_size_and_mtime(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        past_tick: Tick) -> None:
    """An edit of a claim changes none of the site's own files: their validated records come from the cache
    (kept by the edit's build after a cold one), unread. An edit of one of them, even to the same size and
    modification time, has them read and validated again, and the output is a build's without the cache."""
    from builder import build as build_module

    monkeypatch.setattr(cache_module, "RACY_NS", 0)  # trust every stat at once, not only those 2 s old
    validated: list[object] = []
    real = build_module.validate_shared

    def counting(*args: Any, **kwargs: Any) -> Any:
        validated.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(build_module, "validate_shared", counting)
    out = tmp_path / "public"
    build(site, out, capsys)
    edit_claim(site, "Words of the first edit.")
    build(site, out, capsys)  # a cold cache's build kept none; this one keeps them
    validated.clear()
    edit_claim(site, "Words of the second edit.")
    build(site, out, capsys)
    assert validated == [], "the site's own files were validated again, though none changed"
    assert "Words of the second edit." in files(out)[f"sources/{edit_claim_source(site)}/index.html"].decode()
    assert_same_as_without_cache(site, out, capsys)

    country = sorted((site / "content" / "countries").iterdir())[0]
    before = country.stat()
    text = country.read_text(encoding="utf-8")
    name = text.split('"')[1]
    past_tick()
    country.write_text(text.replace(f'"{name}"', f'"{name[::-1]}"', 1), encoding="utf-8")
    os.utime(country, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (country.stat().st_size, country.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    validated.clear()
    build(site, out, capsys)
    assert len(validated) == 1
    assert name[::-1] in "".join(data.decode("utf-8", "replace") for data in files(out).values())
    assert_same_as_without_cache(site, out, capsys)


def edit_claim_source(root: Path) -> str:
    """The source whose claims file edit_claim edits."""
    return sorted((root / "content" / "claims").iterdir())[2].stem


@pytest.mark.parametrize("kept", [b"not a pickle", b"\x80\x05\x95\x06\x00\x00\x00\x00\x00\x00\x00\x8c\x02ok\x94."])
def test_the_site_s_own_files_kept_damaged_are_validated_again(site: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch, kept: bytes) -> None:
    """What the cache kept of them does not unpickle, or is not what validate_shared gives (its file's checksum
    matching): they are read and validated again, with no traceback."""
    out = tmp_path / "public"
    build(site, out, capsys)
    edit_claim(site, "Words of the first edit.")
    build(site, out, capsys)
    real = cache_module.DiskCache.memo

    def damaged(self: Any, name: str, key: bytes, make: Any) -> Any:
        found = real(self, name, key, make)
        return kept if name == "shared" else found

    monkeypatch.setattr(cache_module.DiskCache, "memo", damaged)
    edit_claim(site, "Words of the second edit.")
    build(site, out, capsys)
    assert_same_as_without_cache(site, out, capsys)


def test_the_output_files_whose_stat_changed_are_found_by_a_child_and_only_they_are_stat_ed_again(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        past_tick: Tick) -> None:
    """A child forked as the process starts finds the output files whose stat is not the one the cache kept
    (stamps.outputs_changed): one edited in place to the same size and mtime, one replaced by a copy of itself, one
    removed. The build's verified_outputs stats those alone, and finds what a stat of every file finds."""
    from builder.stamps import outputs_changed

    out, real, real_verify = tmp_path / "public", os.lstat, cache_module.DiskCache.verified_outputs
    build(site, out, capsys)
    edited, replaced, removed = [path for path in sorted(cache_module.DiskCache(site, out, ()).outputs)
                                 if path.endswith(".html")][:3]
    before = os.lstat(out / edited)
    past_tick()
    data = (out / edited).read_bytes()
    (out / edited).write_bytes(data.replace(b"<", b"&", 1))
    os.utime(out / edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    shutil.copy2(out / replaced, tmp_path / "copy")
    os.replace(tmp_path / "copy", out / replaced)
    (out / removed).unlink()
    index, whole = cache_module.DiskCache(site, out, ()), cache_module.DiskCache(site, out, ())
    changed, trusted, _ = outputs_changed(str(out), index.outputs)  # those folders changed within the racy window:
    racy = {path.rpartition("/")[0] for path in (edited, replaced, removed)}  # each of their files named
    assert racy.isdisjoint(trusted) and set(changed) >= {path for path in index.outputs
                                                         if path.rpartition("/")[0] in racy}
    monkeypatch.setattr(cache_module, "RACY_NS", -1)  # the folders just changed are trusted: their files not named
    answer = outputs_changed(str(out), index.outputs)
    assert set(answer[0]) == {edited, replaced, removed} and "" in answer[1]
    index.meanwhile = parallel.Answers([lambda: None, lambda: answer], lambda number: None, True)
    calls: list[list[str]] = []

    def verified(self: cache_module.DiskCache) -> dict[str, bytes]:
        seen: list[str] = []
        monkeypatch.setattr(cache_module.os, "lstat", lambda path, *args, **kw: seen.append(str(path)) or real(path))
        try:
            return real_verify(self)
        finally:
            monkeypatch.setattr(cache_module.os, "lstat", real)
            calls.append(sorted(seen))

    monkeypatch.setattr(cache_module.DiskCache, "verified_outputs", verified)
    found = index.verified_outputs()
    assert found == whole.verified_outputs() and index.stamps_found == whole.stamps_found
    assert replaced in found and edited not in found and removed not in found
    stat_ed = sorted(f"{out}/{path}" for path in (edited, replaced, removed))
    assert calls[0] == stat_ed and len(calls[1]) > 50
    calls.clear()
    edit_claim(site, "Edited with public/ changed behind the cache's back.")
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)  # the child forked as the build starts
    build(site, out, capsys)
    assert calls == [stat_ed]  # (the folders' stamps by os.stat, through a link)
    assert_same_as_without_cache(site, out, capsys)


def test_the_input_files_whose_stat_changed_are_found_by_a_child_and_only_they_are_stat_ed_again(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        past_tick: Tick) -> None:
    """A child forked as the process starts stats the inputs (stamps.inputs_changed) and names those whose stat is
    not their stamp's (an edited claims file, a file added) and the stamped ones gone: the digests made from its
    answer are those of a stat of every file, and the build's process stats only the files it named."""
    from builder.stamps import inputs_changed, stamp_inputs

    out = tmp_path / "public"
    monkeypatch.setattr(cache_module, "RACY_NS", -1)  # every stat trusted, so that the stamps keep them
    (site / "templates" / "gone.txt").write_text("to be removed")
    build(site, out, capsys)
    past_tick()
    edited = edit_claim(site, "Edited with the inputs stat'ed by a child.").relative_to(site).as_posix()
    (site / "templates" / "added.txt").write_text("new")
    (site / "templates" / "gone.txt").unlink()
    disk = cache_module.DiskCache(site, out, ())
    ((differ, gone, _),) = inputs_changed([(str(site), disk.stamps)])
    assert (differ, gone) == ([edited, "templates/added.txt"], ["templates/gone.txt"])
    every = stamp_inputs(site, dict(disk.stamps), ())
    assert stamp_inputs(site, dict(disk.stamps), (), (set(differ), set(gone))) == every
    assert every[0][edited] != disk.stamps[edited][4] and "templates/gone.txt" not in every[0]
    stat_ed: list[str] = []
    real_stat, real_digests = os.stat, cache_module.DiskCache.input_digests

    def input_digests(self: cache_module.DiskCache, *args: Any) -> dict[str, bytes]:
        monkeypatch.setattr(cache_module.os, "stat", lambda path, *a, **kw: stat_ed.append(str(path)) or
                            real_stat(path, *a, **kw))
        try:
            return real_digests(self, *args)
        finally:
            monkeypatch.setattr(cache_module.os, "stat", real_stat)

    monkeypatch.setattr(cache_module.DiskCache, "input_digests", input_digests)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)  # the child forked as the build starts
    build(site, out, capsys)
    assert stat_ed == [f"{site}/{edited}", f"{site}/templates/added.txt"]
    assert_same_as_without_cache(site, out, capsys)


def test_the_index_is_kept_by_marshal_and_read_back_as_it_was_saved(site: Path, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """index.bin's stamps and outputs (50,000 entries at 10,000 pages) are written by marshal, which makes them
    in C without pickle's memo of each tuple: what the next build reads is what this one kept."""
    import marshal

    out = tmp_path / "public"
    build(site, out, capsys)
    header, _, payload = cache_file(site).read_bytes().partition(b"\n")
    kept, disk = marshal.loads(payload), cache_module.DiskCache(site, out, ())
    assert disk.usable and kept["stamps"] == disk.stamps and kept["outputs"] == disk.outputs
    assert len(disk.outputs) == len(files(out)) and kept["count"] == disk.count == len(files(out)) - 1


@pytest.mark.parametrize("linked", [False, True])
def test_a_folder_swapped_in_by_another_build_after_the_child_s_stats_has_each_of_its_files_stat_ed(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        past_tick: Tick, linked: bool) -> None:
    """The early child stats the output files before the build holds the folder: a build that ends in between
    swaps another folder in, whose files the child never saw. The folder's stamp, taken before the child's stats,
    differs then, and verified_outputs stats every file, as without the child; also with public/ a link to the
    folder (a supported layout: the stamp is the folder's, not the link's)."""
    from builder.stamps import stats_meanwhile

    out = tmp_path / "public"
    if linked:
        out.symlink_to(tmp_path / "www")
    build(site, out, capsys)
    disk, whole = cache_module.DiskCache(site, out, ()), cache_module.DiskCache(site, out, ())
    monkeypatch.setattr(cache_module, "RACY_NS", -1)  # the folders' stamps trusted at once: the child names no file
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    with stats_meanwhile(disk):
        assert disk.meanwhile is not None and disk.meanwhile[1]()  # found before the other build
        past_tick()
        edit_claim(site, "Edited by a build that ends between the child's stats and the build that forked it.")
        build(site, out, capsys)
        found = disk.verified_outputs()
    assert disk.meanwhile is None
    assert found == whole.verified_outputs() and disk.stamps_found == whole.stamps_found
    assert 0 < len(found) < len(disk.outputs)


def test_a_card_with_no_png_kept_is_drawn_without_making_its_svg_to_compare(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # the SVG (the map's, tens of KB a card) is only what a kept PNG is compared by: a cold build keeps none
    from builder.cards import Card

    disk = cache_module.DiskCache(tmp_path, tmp_path / "public", (None, None))
    kept, edited, new = (Card(f"cards/{name}.png", "Site", "Country", name, "Withdrawn") for name in "abc")
    real = cache_module._card_key
    disk.memos.update({f"card {kept.out_path}": (real(kept), b"kept"),
                       f"card {edited.out_path}": (real(Card("cards/b.png", "Site", "Country", "b", "")), b"old")})
    made: list[str] = []
    monkeypatch.setattr(cache_module, "_card_key", lambda card: made.append(card.out_path) or real(card))
    assert disk.cards_to_draw([kept, edited, new]) == [edited, new]
    assert made == ["cards/a.png", "cards/b.png"]
