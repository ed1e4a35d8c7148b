"""The change log's Atom feed (RFC 4287): one entry per dated change, newest first, the same bytes every build."""

from __future__ import annotations

from .model import CHANGE_KINDS, Site
from .urls import CHANGES, FEED, absolute_url
from .views import anchored_changes


def escape(text: str) -> str:
    """XML's escaping of text, as xml.sax.saxutils.escape does it (that module imports urllib.request, and with it
    http, ssl and email, on every build)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """An attribute's value escaped and quoted, as xml.sax.saxutils.quoteattr does it."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    return f"'{text}'" if "'" not in text else '"{}"'.format(text.replace('"', "&quot;"))


def render_feed(site: Site) -> bytes:
    """The Atom feed of content/changes.yaml; dated at midnight UTC of each entry's day, so builds agree."""
    config = site.config
    page = absolute_url(site, CHANGES)
    newest = max((c.date for c in site.changes), default=config.as_of)
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang=' + quoteattr(config.language) + '>',
             f"<title>{escape(config.title)}: what changed</title>",
             f"<subtitle>{escape(config.tagline)}</subtitle>",
             f"<id>{escape(absolute_url(site, FEED))}</id>",
             f'<link rel="self" type="application/atom+xml" href={quoteattr(absolute_url(site, FEED))}/>',
             f'<link rel="alternate" type="text/html" href={quoteattr(page)}/>',
             f"<updated>{newest.isoformat()}T00:00:00Z</updated>",
             f"<author><name>{escape(config.publisher or config.title)}</name></author>"]
    for anchor, change in anchored_changes(site):
        label = CHANGE_KINDS[change.kind]
        lines += ["<entry>",
                  f"<title>{escape(label)}, {change.date.day} {change.date:%B %Y}</title>",
                  f"<id>{escape(page)}#{anchor}</id>",
                  f'<link rel="alternate" type="text/html" href={quoteattr(page + "#" + anchor)}/>',
                  f"<updated>{change.date.isoformat()}T00:00:00Z</updated>",
                  f'<category term={quoteattr(change.kind)} label={quoteattr(label)}/>',
                  f'<content type="text">{escape(change.text)}</content>',
                  "</entry>"]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")
