"""Hostile input too large to keep in the corpus (or not files: links, FIFOs, odd names), and builds killed
part-way."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from jinja2 import TemplateError

from builder.__main__ import main
from builder.build import check_site
from builder.errors import ContentError
from builder.hot import Remaker
from builder.render import close_bidi, make_environment
from builder.template_errors import load_template, template_error
from builder.write import MARKER
from tests.conftest import REPO, copy_site, tree_digest


def test_a_50_mb_source_body_is_refused(tmp_path: Path, capsys) -> None:
    site = copy_site(tmp_path / "site")
    source = site / "content/sources/wire.md"
    with source.open("a", encoding="utf-8") as out:
        out.write(("Poland said on Tuesday it would leave. " * 1000 + "\n") * 1300)
    assert source.stat().st_size > 50_000_000
    assert main(["--root", str(site), "check"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("content/sources/wire.md:1:1: file is too large (")
    assert "hint: content files are limited to 5,000,000 bytes; split or shorten it" in err


def test_100000_claims_are_refused_not_swallowed(tmp_path: Path, capsys) -> None:
    site = copy_site(tmp_path / "site")
    claim = ('- id: c{n}\n  quote: "Poland said on Tuesday"\n  says: "Poland said so."\n  kind: reporting\n')
    (site / "content/claims/wire.yaml").write_text("".join(claim.format(n=n) for n in range(100_000)))
    assert main(["--root", str(site), "check"]) == 1
    assert capsys.readouterr().err.startswith("content/claims/wire.yaml:1:1: file is too large (")


# ------------------------------------------------------------------------------------------------ links

LINK_HINT = ("  hint: the builder reads nothing outside the project folder: copy the file into the project, or link "
             "to one inside it\n")


def _last_good(site: Path) -> str:
    """A public/ from an earlier build, to show a refused build leaves it as it was."""
    public = site / "public"
    public.mkdir()
    (public / "index.html").write_text("<p>the last good build</p>")
    (public / MARKER).write_text('{"files": ["index.html"]}')  # ours: the content errors come next
    return tree_digest(public)


def _outside(tmp_path: Path) -> Path:
    """A file outside the project, such as ~/.bashrc."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    (home / ".bashrc").write_text("export API_TOKEN=TOP-SECRET\n")
    return home / ".bashrc"


@pytest.mark.parametrize("link", ["content/methodology.md", "content/sources/wire.md", "content/claims/wire.yaml",
                                  "content/countries/pl.yaml", "content/questions.yaml", "site.yaml",
                                  "templates/base.html", "templates/_partials/footer.html",
                                  "templates/assets/style.css", "templates/geo/europe.json"])
def test_a_file_linked_out_of_the_project_is_refused(tmp_path: Path, capsys, link: str) -> None:
    site = copy_site(tmp_path / "site")
    outside = _outside(tmp_path)
    (site / link).unlink()
    (site / link).symlink_to(outside)
    before = _last_good(site)
    assert main(["--root", str(site), "build"]) == 1
    kind = "template file" if link.startswith("templates/") else "file"
    assert capsys.readouterr().err == (f"{link}:1:1: the {kind} is a link to '{outside}', outside the project\n"
                                       f"{LINK_HINT}1 error; nothing was written.\n")
    assert tree_digest(site / "public") == before


def test_etc_passwd_linked_as_the_methodology_is_not_published(tmp_path: Path, capsys) -> None:
    site = copy_site(tmp_path / "site")
    (site / "content/methodology.md").unlink()
    (site / "content/methodology.md").symlink_to("/etc/passwd")
    assert main(["--root", str(site), "build"]) == 1
    assert capsys.readouterr().err == ("content/methodology.md:1:1: the file is a link to '/etc/passwd', outside "
                                       f"the project\n{LINK_HINT}1 error; nothing was written.\n")
    assert not (site / "public").exists()


@pytest.mark.parametrize("folder", ["content", "content/sources", "content/claims", "content/references",
                                    "templates", "templates/_partials", "templates/geo"])
def test_a_folder_linked_out_of_the_project_is_refused(tmp_path: Path, capsys, folder: str) -> None:
    site = copy_site(tmp_path / "site")
    moved = tmp_path / "elsewhere" / folder.replace("/", "-")
    moved.parent.mkdir()
    (site / folder).rename(moved)
    (site / folder).symlink_to(moved, target_is_directory=True)
    before = _last_good(site)
    assert main(["--root", str(site), "build"]) == 1
    assert capsys.readouterr().err == (f"{folder}:1:1: the folder is a link to '{moved}', outside the project\n"
                                       f"{LINK_HINT}1 error; nothing was written.\n")
    assert tree_digest(site / "public") == before


def test_links_inside_the_project_are_followed(tmp_path: Path, capsys) -> None:
    site = copy_site(tmp_path / "site")
    shared = site / "shared"
    shared.mkdir()
    for rel in ("content/methodology.md", "templates/assets/style.css", "templates/_partials"):
        (site / rel).rename(shared / Path(rel).name)
        (site / rel).symlink_to(Path("..", "..", "shared", Path(rel).name) if rel.count("/") == 2 else
                                Path("..", "shared", Path(rel).name), target_is_directory=rel.endswith("partials"))
    assert main(["--root", str(site), "build"]) == 0, capsys.readouterr().err
    assert "We check every quote." in (site / "public/methodology/index.html").read_text()
    # the linked file, then the claim pieces' outline rules the build writes after it (render.with_part_rules)
    assert (site / "public/assets/style.css").read_bytes().startswith((shared / "style.css").read_bytes())


def test_a_link_out_inside_a_linked_folder_is_refused(tmp_path: Path, capsys) -> None:
    """A folder linked inside the project is followed, and what it holds is checked like the rest."""
    site = copy_site(tmp_path / "site")
    (site / "templates/geo").rename(site / "maps")
    (site / "templates/geo").symlink_to(Path("..", "maps"), target_is_directory=True)
    (site / "maps/europe.json").rename(tmp_path / "europe.json")
    (site / "maps/europe.json").symlink_to(tmp_path / "europe.json")
    (site / "maps/loop").symlink_to(Path("..", "maps"), target_is_directory=True)  # followed once, not forever
    assert main(["--root", str(site), "build"]) == 1
    assert capsys.readouterr().err == (f"templates/geo/europe.json:1:1: the template file is a link to "
                                       f"'{tmp_path / 'europe.json'}', outside the project\n{LINK_HINT}"
                                       "1 error; nothing was written.\n")


def test_jinja_never_loads_a_template_from_outside(tmp_path: Path) -> None:
    """The loader keeps the rule wherever pages are made (the preview's pages made first, hot.py, too)."""
    site = copy_site(tmp_path / "site")
    templates = site / "templates"
    env = make_environment(templates, check_site(site))
    outside = _outside(tmp_path)
    (templates / "country.html").unlink()
    (templates / "country.html").symlink_to(outside)
    missing = load_template(env, "country\x00.html", templates)  # a name no file can have: missing, as before
    assert isinstance(missing, ContentError) and missing.message == "template 'country\x00.html' is missing"
    error = load_template(env, "country.html", templates)
    assert error == ContentError("templates/country.html", 1, 1,
                                 f"template 'country.html' is a link to '{outside}', outside the project",
                                 LINK_HINT.removeprefix("  hint: ").rstrip("\n"))
    (templates / "probe.html").write_text('{% include "_partials/evil.html" %}\n')
    (templates / "_partials/evil.html").symlink_to(outside)
    template = load_template(env, "probe.html", templates)
    with pytest.raises(TemplateError) as caught:
        template.render()
    assert template_error(caught.value, templates) == ContentError(
        "templates/probe.html", 1, 1, f"template '_partials/evil.html' is a link to '{outside}', outside the project",
        LINK_HINT.removeprefix("  hint: ").rstrip("\n"))


def test_the_pages_made_first_never_copy_a_file_from_outside(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    remaker = Remaker(check_site(site))
    (site / "templates/assets/style.css").unlink()
    (site / "templates/assets/style.css").symlink_to(_outside(tmp_path))
    assert remaker.remake(site, ["templates/assets/style.css"], ["countries/pl/index.html"]) == {}


def test_a_fifo_in_content_is_refused_not_waited_on(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    (site / "content/sources/wire.md").unlink()
    os.mkfifo(site / "content/sources/wire.md")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "builder", "--root", str(site), "check"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr == ("content/sources/wire.md:1:1: expected a file but found a named pipe (FIFO)\n"
                           "  hint: content files must be regular files; replace it with the file itself\n"
                           "1 error; nothing was written.\n")


# ------------------------------------------------------------------------------------------------ hostile text

def test_a_file_name_with_terminal_escapes_is_printed_escaped(tmp_path: Path, capsys) -> None:
    site = copy_site(tmp_path / "site")
    (site / "content/sources/wire.md").rename(site / "content/sources/wire\x1b]0;pwned\x07\x1b[31m.md")
    assert main(["--root", str(site), "check"]) == 1
    err = capsys.readouterr().err
    assert ("content/sources/wire\\x1b]0;pwned\\x07\\x1b[31m.md:1:1: file name "
            "'wire\\x1b]0;pwned\\x07\\x1b[31m.md' is not a valid id\n") in err
    assert not any(char in err for char in "\x1b\x07")


def test_a_file_named_for_a_windows_device_is_refused(tmp_path: Path, capsys) -> None:
    site = copy_site(tmp_path / "site")
    shutil.copyfile(site / "content/sources/wire.md", site / "content/sources/aux.md")
    assert main(["--root", str(site), "check"]) == 1
    assert capsys.readouterr().err == (
        "content/sources/aux.md:1:1: file name 'aux.md' is a device name on Windows\n"
        "  hint: 'con', 'prn', 'aux', 'nul', 'com0'-'com9' and 'lpt0'-'lpt9' name devices on Windows, with any "
        "extension, and cannot be file names there; choose another id, e.g. 'aux-1'\n"
        "1 error; nothing was written.\n")


def test_a_1_mb_misquote_is_not_echoed_whole(tmp_path: Path, capsys) -> None:
    site = copy_site(tmp_path / "site")
    claims = site / "content/claims/wire.yaml"
    claims.write_text(claims.read_text().replace('quote: "Poland said on Tuesday it would leave the Ottawa '
                                                 'Convention."', f'quote: "{"mines " * 200_000}"'))
    assert main(["--root", str(site), "check"]) == 1
    err = capsys.readouterr().err
    shown = f"'{'mines ' * 33}mi…' (1,199,999 characters)"
    assert err == (f"content/claims/wire.yaml:2:10: quote not found in source 'wire': {shown}\n"
                   "  hint: copy the words exactly from content/sources/wire.md\n1 error; nothing was written.\n")
    assert len(err) < 3000


def test_a_quote_in_another_unicode_normalisation_is_found(tmp_path: Path, capsys) -> None:
    site = copy_site(tmp_path / "site")
    source, claims = site / "content/sources/wire.md", site / "content/claims/wire.yaml"
    said = "Poland said on Tuesday it would leave the Ottawa Convention."
    composed = "Poland’s défense minister said on Tuesday it would leave the Ottawa Convention."
    decomposed = unicodedata.normalize("NFD", composed)
    for body, quote in ((composed, decomposed), (decomposed, composed)):
        source.write_text(source.read_text().replace(said, body), encoding="utf-8")
        claims.write_text(claims.read_text().replace(said, quote), encoding="utf-8")
        checked = check_site(site)
        claim = checked.claims["wire-leave"]
        text = checked.sources["wire"].body
        assert text[claim.span[0]:claim.span[1]] == body  # the source's own characters, accents whole
        source.write_text(source.read_text().replace(body, said), encoding="utf-8")
        claims.write_text(claims.read_text().replace(quote, said), encoding="utf-8")
    assert main(["--root", str(site), "check"]) == 0, capsys.readouterr().err


def test_a_bidi_override_in_a_source_never_reverses_the_rest_of_its_line(tmp_path: Path) -> None:
    """Source texts are verbatim and may hold an unpaired U+202E: each piece of text on a page closes it."""
    site = copy_site(tmp_path / "site")
    source, claims = site / "content/sources/wire.md", site / "content/claims/wire.yaml"
    said = "Poland said on Tuesday it would leave the Ottawa Convention."
    hostile = "Poland said on Tuesday it would \u202eleave the Ottawa Convention."
    source.write_text(source.read_text().replace(said, hostile), encoding="utf-8")
    source.write_text(source.read_text().replace('title: "Poland to leave mine ban"',
                                                 'title: "Poland to \u2067leave mine ban"'), encoding="utf-8")
    claims.write_text(claims.read_text().replace(said, hostile), encoding="utf-8")
    assert main(["--root", str(site), "build"]) == 0
    pages = sorted((site / "public").rglob("*.html"))
    shown = [text for page in pages for text in BeautifulSoup(page.read_text(), "html.parser").find_all(string=True)
             if ("\u202e" in text or "\u2067" in text) and text.parent.name != "script"]  # JSON-LD is not shown
    assert len(shown) >= 4  # the source's text and title, the claim's quote on its cards
    for text in shown:
        assert close_bidi(text) == text, repr(text)


def _good_public(site: Path) -> str:
    assert main(["--root", str(site), "build"]) == 0
    return tree_digest(site / "public")


@pytest.mark.parametrize("delay", [0.05, 0.15, 0.3, 0.45, 0.6, 0.8])
def test_a_build_killed_at_any_moment_leaves_public_whole(tmp_path: Path, delay: float) -> None:
    site = copy_site(tmp_path / "site")
    before = _good_public(site)
    (site / "content/summary.yaml").write_text((site / "content/summary.yaml").read_text().replace(
        "Poland left the Convention.", "Poland has left the Convention."))
    expected_new = tmp_path / "expected"
    assert main(["--root", str(site), "build", "--out", str(expected_new)]) == 0
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, "-m", "builder", "--root", str(site), "build"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    public = site / "public"
    if public.exists():
        # Whole, old or new: never a mixture.
        assert tree_digest(public) in (before, tree_digest(expected_new))
    else:
        # Killed between the two renames of the swap: the last good site waits beside it.
        assert tree_digest(site / "public.previous") == before
    assert main(["--root", str(site), "build"]) == 0
    assert sorted(p.name for p in site.iterdir() if p.name.startswith((".build-", "public"))) in (
        ["public"], [".build-spare-public", "public"])  # the spare stays by design (test_spare.py)
    assert tree_digest(public) == tree_digest(expected_new)
