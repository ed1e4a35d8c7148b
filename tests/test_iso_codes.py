"""The build's ISO tables are pycountry's, as scripts/make_iso_codes.py writes them."""

from __future__ import annotations

import sys
from pathlib import Path

import pycountry

from builder.iso_codes import COUNTRY_CODES, LANGUAGE_NAMES
from builder.views import language_name

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from make_iso_codes import OUT, module_text  # noqa: E402


def test_the_table_is_what_the_script_writes_from_the_installed_pycountry() -> None:
    assert OUT.read_text(encoding="utf-8") == module_text(), "run scripts/make_iso_codes.py"
    assert "PL" in COUNTRY_CODES and "XX" not in COUNTRY_CODES and len(COUNTRY_CODES) == len(pycountry.countries)
    assert LANGUAGE_NAMES["pl"] == "Polish"


def test_language_names_for_two_and_three_letter_tags() -> None:
    assert language_name("en") == "English (en)"
    assert language_name("en-GB") == "English (en-GB)"
    assert language_name("fil") == "Filipino (fil)"  # no two-letter code: looked up in pycountry itself
    assert language_name("qq") == "qq"
