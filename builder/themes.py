"""The default theme that ships with the generator (builder/theme/: templates, partials, stylesheet, scripts, map
geometry), and a site's overrides of it, file by file, as Hugo and MkDocs allow.

A site's templates/ folder holds only the files it changes: `templates/country.html` replaces the theme's
`country.html`, and every file it does not have comes from the theme.
"""

from __future__ import annotations

from pathlib import Path

THEME_DIR = Path(__file__).resolve().parent / "theme"


def theme_file(templates_dir: Path | None, rel: str) -> Path:
    """The file a site uses at `rel` (relative to templates/): its own, if it has one, else the theme's."""
    if templates_dir is not None:
        own = templates_dir / rel
        if own.is_file() or own.is_symlink():  # a link is followed, or refused, by whoever reads it
            return own
    return THEME_DIR / rel


def search_path(templates_dir: Path) -> list[str]:
    """Where templates are looked for, in order: the site's own, then the theme's."""
    return [str(templates_dir), str(THEME_DIR)]
