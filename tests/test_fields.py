"""fields.py: the converters records are read with; whole bad sites with their messages are in tests/errors/."""

from __future__ import annotations

import pytest

from builder.fields import weak_host


@pytest.mark.parametrize(("url", "kind", "host"), [
    ("https://stg-www.channelnewsasia.com/which-countries", "a staging server", "stg-www.channelnewsasia.com"),
    ("https://staging.particle.news/story/x", "a staging server", "staging.particle.news"),
    ("https://homsy-staging.cambridgecore.org/core/x", "a staging server", "homsy-staging.cambridgecore.org"),
    ("https://forums.sherdog.com/threads/x.1/", "a forum", "forums.sherdog.com"),
    ("https://www.reddit.com/r/x", "a forum", "www.reddit.com"),
    ("https://github.com/statengeneraal/laws-markdown/blob/x/README.md", "a mirror", "github.com"),
    ("https://estonianews.pages.dev/1609721424/x", "a mirror", "estonianews.pages.dev"),
    ("https://translation1.mil-osi.com/2025/12/28/x", "a mirror", "translation1.mil-osi.com"),
    ("https://www.gamereactor.eu/finland-informs-un", "a games site", "www.gamereactor.eu"),
])
def test_weak_hosts_are_named_with_what_they_are(url: str, kind: str, host: str) -> None:
    assert weak_host(url) == (kind, host)


@pytest.mark.parametrize("url", [
    "https://www.channelnewsasia.com/which-countries", "https://news.err.ee/1609713534/x",
    "https://www.reuters.com/world/europe/x", "https://www.hrw.org/news/2025/07/24/x",
    "https://likumi.lv/ta/id/109376", "https://www.forumnews.example/story",  # a news site named 'forum...'
])
def test_publishers_pass(url: str) -> None:
    assert weak_host(url) is None


def test_a_bracket_in_a_urls_host_is_a_content_error_not_a_traceback() -> None:
    from builder.fields import FieldError, a_url
    from builder.load import Node

    assert a_url(Node("https://example.org/a[1]", "x.yaml", 1, 1)) == "https://example.org/a[1]"
    with pytest.raises(FieldError, match="bracket in its host"):
        a_url(Node("https://ex[ample.org/", "x.yaml", 1, 1))
