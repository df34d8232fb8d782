"""The shared Markdown renderer (ccm/core/markdown.py): what people write renders harmless and fast."""

from __future__ import annotations

import time
from html.parser import HTMLParser

import pytest

from ccm.core.markdown import MAX_LENGTH, plain, render

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "[x](https://ok.example/ 'a\" onmouseover=\"alert(1)')",
    "<iframe src=https://evil.example></iframe>",
    "<style>body{display:none}</style>",
    "<div onclick=alert(1)>raw</div>",
    "> <details open ontoggle=alert(1)>",
    "- <svg><script>alert(1)</script></svg>",
    "**<b onmouseover=alert(1)>bold</b>**",
    "[![img](javascript:alert(1))](javascript:alert(2))",
    "![tracker](https://evil.example/pixel.png)",
    "<!-- comment --><p style='x'>styled</p>",
    "`<script>` in code and ```\n<script>alert(1)</script>\n```",
    "[a]: javascript:alert(1)\n\n[ref][a]",
    "<https://ok.example/> <javascript:alert(1)>",
]


ALLOWED = {"a": {"href", "title", "rel"}, "ol": {"start"}, "th": {"scope"}}
HARMLESS_TAGS = {"p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "s", "code", "pre", "blockquote"}
HARMLESS_TAGS |= {"ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td"}


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.comments = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))

    def handle_comment(self, data: str) -> None:
        self.comments += 1


def _elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_renders_harmless(text):
    html = str(render(text))
    parsed = _elements(html)
    assert not parsed.comments
    for tag, attrs in parsed.found:
        assert tag in HARMLESS_TAGS, (tag, html)
        for name, value in attrs:
            assert name in ALLOWED.get(tag, set()), (tag, name, html)
            if name == "href":
                assert (value or "").lower().startswith(("http://", "https://", "mailto:")), html
        if tag == "a":
            assert ("rel", "noopener nofollow") in attrs


def test_plain_markdown_keeps_its_structure_and_good_links():
    html = str(render("# Title\n\n**bold** and *it*\n\n- one\n- two\n\n[site](https://example.org) <a@b.org>"))
    assert "<h2>Title</h2>" in html  # a page has one h1: its own title
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html
    assert "<li>one</li>" in html
    assert '<a href="https://example.org" rel="noopener nofollow">site</a>' in html


def test_an_image_shows_its_description_and_is_never_fetched():
    html = str(render("![a map of the area](https://evil.example/pixel.png)"))
    assert "[a map of the area]" in html
    assert "evil.example" not in html


def test_raw_html_is_shown_as_text():
    assert "&lt;b&gt;" in str(render("<b>x</b>"))


def test_plain_text_has_no_markup():
    assert plain("# Hi & <b>you</b>\n\n- **x**") == "Hi & <b>you</b> x"
    assert len(plain("word " * 1000, limit=50)) == 50


@pytest.mark.parametrize(
    "text",
    [
        "> " * 25_000,
        "".join("  " * i + "- a\n" for i in range(3_000))[:MAX_LENGTH],
        "[" * 25_000 + "]" * 25_000,
        "[a](" * 12_500,
        "*a " * 16_000,
        "`" * MAX_LENGTH,
        "<" * MAX_LENGTH,
        "|a" * 25_000 + "\n|-|\n" + "|b" * 5_000,
        "x" * (MAX_LENGTH * 4),  # longer than the models allow: cut off, never slow
    ],
    ids=["quotes", "lists", "brackets", "links", "emphasis", "backticks", "angles", "table", "huge"],
)
def test_pathological_input_of_bounded_size_renders_quickly(text):
    started = time.perf_counter()
    html = str(render(text))
    elapsed = time.perf_counter() - started
    assert elapsed < 5, elapsed
    assert "<script" not in html


def test_deep_nesting_is_bounded():
    html = str(render("> " * 1000 + "deep"))
    assert html.count("<blockquote>") <= 25  # deeper than that is left out, never recursed into
