"""validate.py: the shared records, the checks across sources, the site assembled; every error collected. Whole bad
sites with their exact messages are in tests/errors/ (test_errors.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.build import check_site
from builder.errors import ContentErrors
from builder.load import load_content
from builder.validate import validate_site
from tests.conftest import REPO, copy_site


def test_validating_in_one_go_gives_the_model_the_build_gives() -> None:
    raw, log = load_content(REPO)
    assert validate_site(raw, log) == check_site(REPO)


def test_without_a_readable_site_yaml_files_are_read_but_not_validated(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    (site / "site.yaml").write_text("title: [unclosed\n")
    claims = next((site / "content/claims").glob("*.yaml"))
    claims.write_text(claims.read_text().replace("quote:", "quote: not in the text", 1))  # valid YAML, wrong
    (site / "content/claims/broken.yaml").write_text("- id: [\n")  # a read error
    with pytest.raises(ContentErrors) as caught:
        check_site(site)
    assert sorted({e.src_path for e in caught.value.errors}) == ["content/claims/broken.yaml", "site.yaml"]


def test_a_claim_id_in_two_sources_is_reported_at_the_second(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site", base=REPO / "tests/fixtures/mini")
    first, second = sorted((site / "content/claims").glob("*.yaml"))
    taken = next(line.split(":", 1)[1].strip() for line in first.read_text().splitlines() if "- id:" in line)
    text = second.read_text()
    own = next(line.split(":", 1)[1].strip() for line in text.splitlines() if "- id:" in line)
    second.write_text(text.replace(f"- id: {own}", f"- id: {taken}", 1))
    with pytest.raises(ContentErrors) as caught:
        check_site(site)
    twice = [e for e in caught.value.errors if "is defined twice" in e.message]
    assert [(e.src_path, e.message) for e in twice] == [
        (f"content/claims/{second.name}", f"claim '{taken}' is defined twice")]
    assert twice[0].hint.startswith(f"first defined at content/claims/{first.name}:")
