"""The theme that ships with the generator, and a site's overrides of it, file by file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.__main__ import main
from builder.themes import THEME_DIR, search_path, theme_file


def test_the_theme_holds_every_page_template_and_the_map() -> None:
    names = {p.name for p in THEME_DIR.glob("*.html")}
    assert {"base.html", "index.html", "country.html", "source.html", "compare.html", "404.html"} <= names
    assert (THEME_DIR / "geo" / "europe.json").is_file()
    assert (THEME_DIR / "assets" / "style.css").is_file()


def test_a_site_file_wins_over_the_theme_and_a_missing_one_falls_back(tmp_path: Path) -> None:
    own = tmp_path / "templates"
    (own / "assets").mkdir(parents=True)
    (own / "assets" / "style.css").write_text("body{}", encoding="utf-8")
    assert theme_file(own, "assets/style.css") == own / "assets" / "style.css"
    assert theme_file(own, "country.html") == THEME_DIR / "country.html"
    assert theme_file(None, "country.html") == THEME_DIR / "country.html"


def test_templates_are_looked_for_in_the_site_first() -> None:
    site = Path("/somewhere/templates")
    assert search_path(site) == [str(site), str(THEME_DIR)]


def test_a_site_overrides_one_template_and_keeps_the_rest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    assert main(["new", str(site)]) == 0
    (site / "templates").mkdir(exist_ok=True)
    theme_404 = (THEME_DIR / "404.html").read_text(encoding="utf-8")
    assert "{% block content %}" in theme_404
    shutil.copy(THEME_DIR / "404.html", site / "templates" / "404.html")
    own = (site / "templates" / "404.html")
    own.write_text(theme_404.replace("{% block content %}", "{% block content %}<p>OUR OWN 404</p>", 1),
                   encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(site), "build"]) == 0
    assert "OUR OWN 404" in (site / "public" / "404.html").read_text(encoding="utf-8")
    assert "OUR OWN 404" not in (site / "public" / "index.html").read_text(encoding="utf-8")
    own.unlink()
    assert main(["--root", str(site), "build"]) == 0
    assert "OUR OWN 404" not in (site / "public" / "404.html").read_text(encoding="utf-8")
