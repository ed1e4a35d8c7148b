"""The change log's Atom feed (RFC 4287): one entry per dated change, newest first, the same bytes every build."""

from __future__ import annotations

from .changelog import atom_time, change_anchor, entry_time, entry_titles, referred
from .model import CHANGE_KINDS, Site
from .urls import CHANGES, FEED, absolute_url


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
    """The Atom feed of content/changes.yaml, in the page's order: an entry is published when it was added (at
    midnight UTC of its day if the log gives no time on that day) and updated when last reworded, so builds agree,
    a reworded entry is fetched again, and readers that sort by either time keep the entries of a day in order."""
    config = site.config
    page = absolute_url(site, CHANGES)
    newest = max((entry_time(c, config.as_of) for c in site.changes), default=config.as_of, key=atom_time)
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang=' + quoteattr(config.language) + '>',
             f"<title>{escape(config.title)}: what changed</title>",
             f"<subtitle>{escape(config.tagline)}</subtitle>",
             f"<id>{escape(absolute_url(site, FEED))}</id>",
             f'<link rel="self" type="application/atom+xml" href={quoteattr(absolute_url(site, FEED))}/>',
             f'<link rel="alternate" type="text/html" href={quoteattr(page)}/>',
             f"<updated>{atom_time(newest)}</updated>",
             f"<author><name>{escape(config.publisher or config.title)}</name></author>"]
    titles = entry_titles(site.changes)
    for change in site.changes:
        anchor, label = change_anchor(change), CHANGE_KINDS[change.kind]
        lines += ["<entry>",
                  f"<title>{escape(titles[change.id])}</title>",
                  f"<id>{escape(page)}#{anchor}</id>",
                  f'<link rel="alternate" type="text/html" href={quoteattr(page + "#" + anchor)}/>',
                  *(f'<link rel="related" type="text/html" href={quoteattr(page + "#" + see)} '
                    f'title={quoteattr(title)}/>' for see, title in referred(change, titles)),
                  f"<published>{atom_time(change.published or change.date)}</published>",
                  f"<updated>{atom_time(entry_time(change, config.as_of))}</updated>",
                  f'<category term={quoteattr(change.kind)} label={quoteattr(label)}/>',
                  f'<content type="text">{escape(change.text)}</content>',
                  "</entry>"]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")
