"""Markdown to HTML for the pages (the methodology, the site's own prose): raw HTML shown as text, the result
sanitised. Its own module, imported when a page first renders Markdown: a build that renders none (a one-claim
edit's few pages) does not import Markdown at all."""

from __future__ import annotations

from typing import Any

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

# What the methodology's Markdown may produce once sanitised: text structure and links, nothing active.
ALLOWED_TAGS = {"a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p",
                "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}


class _NoRawHtml(Extension):
    """Markdown without its raw-HTML passthrough: tags typed in the text are shown as text, never run."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (the Markdown API's name)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_DemoteHeadings(md), "demote_headings", 5)


class _DemoteHeadings(Treeprocessor):
    """The page has its own h1: a leading '# Title' becomes the page's title and is dropped, other h1 become h2."""

    def run(self, root: Any) -> None:
        children = list(root)
        if children and children[0].tag == "h1":
            root.remove(children[0])
        for element in root.iter():
            if element.tag == "h1":
                element.tag = "h2"


def markdown_html(text: str) -> Markup:
    """Markdown to HTML with raw HTML escaped, then sanitised: the content is data, not markup."""
    # the extensions as objects: named, Markdown looks each name up among the installed packages' entry points
    html = markdown.markdown(text, extensions=[_NoRawHtml(), TableExtension(use_align_attribute=True),
                                                 SaneListExtension()],
                             output_format="html")
    return Markup(nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel=None,
                            url_schemes={"http", "https", "mailto"}))
