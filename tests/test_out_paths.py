"""What write.check_out_paths refuses: a page path outside the folder, the builder's own files, and two pages
written to one file (as a case-insensitive file system would); and that it refuses nothing else."""

from __future__ import annotations

import random

import pytest

from builder.spare import SPARE_LIST
from builder.write import JOURNAL, MARKER, check_out_paths

SITE = ["index.html", "countries/pl/index.html", "sources/a..b/index.html", "search/chunk-1.json", "sitemap.xml",
        "a/.../index.html", "dl/claims.csv", ".nojekyll", "x/..y/index.html", "x/y../index.html"]


def verdicts(paths: list[str]) -> list[tuple[str, str]]:
    return [(problem.src_path, problem.message) for problem in check_out_paths(paths)]


def test_a_site_of_plain_paths_is_accepted() -> None:
    assert check_out_paths(SITE) == []
    assert check_out_paths([]) == []
    assert check_out_paths(iter(SITE)) == []  # any iterable, read once


@pytest.mark.parametrize("bad", ["/etc/passwd", "..", "../index.html", "a/../../index.html", "a/..", "",
                                 "countries/", "/", "a//..//b"])
def test_a_path_outside_the_folder_is_refused(bad: str) -> None:
    assert verdicts([*SITE[:2], bad, *SITE[2:]]) == [(bad, f"page path '{bad}' is not a file inside the site")]


@pytest.mark.parametrize("own", [MARKER, JOURNAL, SPARE_LIST])
def test_the_builders_own_files_are_refused(own: str) -> None:
    assert verdicts([*SITE, own]) == [(own, f"page path '{own}' is the builder's own file")]
    assert check_out_paths([f"sub/{own}", f"{own}.html"]) == []  # only at the folder's top, and only the name


def test_two_pages_to_one_file_are_refused_also_when_they_differ_in_case() -> None:
    assert verdicts([*SITE, "countries/pl/index.html"]) == [
        ("countries/pl/index.html", "two pages would be written to 'countries/pl/index.html'")]
    assert verdicts(["Countries/PL/index.html", *SITE, "straße.html", "STRASSE.HTML"]) == [
        ("countries/pl/index.html", "two pages would be written to 'countries/pl/index.html'"),
        ("STRASSE.HTML", "two pages would be written to 'STRASSE.HTML'")]


def test_every_problem_is_reported_in_the_paths_order() -> None:
    paths = ["a.html", "/b.html", MARKER, "A.HTML", "c/", "a.html"]
    assert verdicts(paths) == [("/b.html", "page path '/b.html' is not a file inside the site"),
                               (MARKER, f"page path '{MARKER}' is the builder's own file"),
                               ("A.HTML", "two pages would be written to 'A.HTML'"),
                               ("c/", "page path 'c/' is not a file inside the site"),
                               ("a.html", "two pages would be written to 'a.html'")]


def test_separators_inside_a_path_do_not_hide_a_problem() -> None:
    """Whatever a quick look at all the paths at once joins them with, a path holding it is judged alone."""
    for sep in ("\0", "\n", "\x1f"):
        assert check_out_paths([f"a{sep}b.html", "a.html", "b.html", f"c{sep}", f"{sep}d"]) == []
        assert verdicts([f"a.html{sep}", f"A.HTML{sep}"]) == [
            (f"A.HTML{sep}", f"two pages would be written to 'A.HTML{sep}'")]
        assert verdicts([f"a{sep}/b", f"a/{sep}", f"b/{sep}/"]) == [
            (f"b/{sep}/", f"page path 'b/{sep}/' is not a file inside the site")]
        assert verdicts([f"a{sep}..", f"..{sep}a", f"a/..{sep}", f"a/{sep}../b"]) == []


def test_random_paths_get_the_verdict_of_a_path_by_path_check() -> None:
    """Against the rule written plainly, on paths made of the pieces that matter."""
    rng = random.Random(22)
    pieces = ["a", "A", "b", "..", ".", "", "/", "\0", "\n", "ß", "SS", "ss", MARKER, "x.html"]
    for _ in range(3000):
        paths = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 4))) for _ in range(rng.randint(0, 6))]
        expected, seen = [], set()
        for path in paths:
            if path.startswith("/") or path.endswith("/") or not path or ".." in path.split("/"):
                expected.append((path, f"page path '{path}' is not a file inside the site"))
            elif path in (MARKER, JOURNAL, SPARE_LIST):
                expected.append((path, f"page path '{path}' is the builder's own file"))
            elif path.casefold() in seen:
                expected.append((path, f"two pages would be written to '{path}'"))
            seen.add(path.casefold())
        assert verdicts(paths) == expected, paths
