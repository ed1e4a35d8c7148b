"""Write builder/iso_codes.py: the ISO 3166-1 country codes and ISO 639-1 language names the build checks against.

They come from pycountry (pinned in requirements.txt). The build does not import pycountry itself: importing
it reads its whole database (8,000 languages), which was a quarter of building the shipped site. Run this after
upgrading pycountry; tests/test_iso_codes.py fails while the table and pycountry disagree.

    .venv/bin/python scripts/make_iso_codes.py
"""

from __future__ import annotations

from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parent.parent / "builder" / "iso_codes.py"


def module_text() -> str:
    codes = sorted(country.alpha_2 for country in pycountry.countries)
    names = sorted((language.alpha_2, language.name) for language in pycountry.languages
                   if hasattr(language, "alpha_2"))
    header = f"ISO codes from pycountry {pycountry.__version__}, written by scripts/make_iso_codes.py: do not edit."
    lines = [f'"""{header}"""', "", "COUNTRY_CODES = frozenset({"]
    lines += [f"    {', '.join(repr(code) for code in codes[i:i + 16])}," for i in range(0, len(codes), 16)]
    lines += ["})", "", "LANGUAGE_NAMES = {"]
    lines += [f"    {code!r}: {name!r}," for code, name in names]
    lines += ["}", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    OUT.write_text(module_text(), encoding="utf-8")
    print(f"wrote {OUT}")
