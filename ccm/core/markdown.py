"""Markdown written by people (a practice's text), rendered to HTML that is safe to show.

Two maintained libraries, each doing what it is built for:

- ``markdown-it-py`` parses CommonMark with raw HTML turned off (``<script>`` typed into the text is shown
  as text, never passed through), with tables and strikethrough; nesting is bounded by the parser
  (``maxNesting``), so deeply nested lists or quotes cannot recurse without end;
- ``nh3`` (the Rust ``ammonia`` sanitiser) then keeps only a small allow-list of tags and attributes, links
  only to ``http``, ``https`` and ``mailto`` (with ``rel="noopener nofollow"``), and no images: a picture
  fetched from elsewhere would tell its server who reads the page.

``render`` returns a ``SafeString`` for templates (``{{ practice.body|markdown }}``); the input is bounded
(``MAX_LENGTH``), so rendering time is bounded too.
"""

from __future__ import annotations

from functools import cache
from html import unescape
from typing import Any

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

from ccm.core.text import clean_text

# The longest text rendered (the models that store Markdown allow at most this much).
MAX_LENGTH = 50_000
# Deeper nesting than this is rendered as plain text by the parser.
MAX_NESTING = 20

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "strong",
        "em",
        "s",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href", "title"}, "ol": {"start"}, "th": {"scope"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def _image_as_text(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """An image is shown as its description, never fetched."""
    alt = self.renderInlineAsText(tokens[idx].children or [], options, env)
    return escapeHtml(f"[{alt}]") if alt else ""


@cache
def _parser() -> MarkdownIt:
    # "js-default": CommonMark without raw HTML (html=False) and with safe link validation; plus tables and
    # strikethrough. No typographer or linkify (fewer surprises, less work).
    parser = MarkdownIt("js-default", {"maxNesting": MAX_NESTING})
    parser.enable(["table", "strikethrough"])
    parser.add_render_rule("image", _image_as_text)
    return parser


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    """Links only to absolute ``http``, ``https`` and ``mailto`` addresses (nh3 lets relative ones through)."""
    if element == "a" and attribute == "href":
        scheme = value.split(":", 1)[0].lower() if ":" in value else ""
        return value if scheme in URL_SCHEMES else None
    return value


def _demote_headings(html: str) -> str:
    """A page has one ``<h1>`` (its title): headings in the text start at ``<h2>``."""
    return html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")


def render(text: str) -> SafeString:
    """``text`` (Markdown) as sanitised HTML. Text beyond ``MAX_LENGTH`` characters is cut off."""
    source = clean_text(str(text or ""), multiline=True)[:MAX_LENGTH]
    html = _demote_headings(_parser().render(source))
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener nofollow",
        strip_comments=True,
        attribute_filter=_keep_attribute,
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above


def plain(text: str, *, limit: int = 300) -> str:
    """The words of ``text`` without any markup, at most ``limit`` characters (for lists and exports)."""
    html = _parser().render(clean_text(str(text or ""), multiline=True)[:MAX_LENGTH])
    words = " ".join(unescape(nh3.clean(html, tags=set())).split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"
