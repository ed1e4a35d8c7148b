"""drafting/render.py: the drafted files' YAML strings read back exactly."""

from __future__ import annotations

import pytest
import yaml

from builder.drafting import (
    render,
)


@pytest.mark.parametrize("text", ['plain', 'a "quote" and a \\ backslash', "line\nbreak", "\u2028 and \x85",
                                  "tab\tand # hash: colon", "emoji 😂 and ‘curly’ “quotes”"])
def test_yaml_strings_read_back_exactly(text: str) -> None:
    assert yaml.safe_load(f"value: {render.yaml_string(text)}")["value"] == text
