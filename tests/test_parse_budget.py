"""The parser's CPU budget (pipelines/parse/budget.py): absurd markup is refused before lexbor sees it, with the
reason, in a fraction of a second (it took 54 s and 440 s before); real pages, and moderately deep ones, parse."""
from __future__ import annotations

import time

import pytest
from selectolax.lexbor import LexborHTMLParser

from pipelines.parse import ParseError, parse_page
from pipelines.parse.budget import MAX_DEPTH, MAX_ELEMENTS, MAX_PAGE_BYTES, scan_markup
from pipelines.parse.encoding import decode_html
from tests.support.pages import PARAGRAPHS, body_text, news_page
from tests.support.paths import SHARED, needs_shared

URL = "https://www.budget-news.co.kr/news/1"
PAGE = news_page()
BODY_AT, BODY_END = PAGE.index("<body>") + len("<body>"), PAGE.index("</body>")


def wrapped(n: int, *, close: bool = True, tag: str = "div") -> str:
    """The article page with its body inside n nested elements."""
    return (PAGE[:BODY_AT] + f"<{tag}>" * n + PAGE[BODY_AT:BODY_END] + (f"</{tag}>" * n if close else "")
            + "</body></html>")


def refusal(html: str) -> tuple[str, float]:
    started = time.perf_counter()
    with pytest.raises(ParseError) as info:
        parse_page(html.encode(), URL)
    return f"{info.value.kind}: {info.value}", time.perf_counter() - started


@pytest.mark.parametrize(("name", "html"), [
    ("100k nested divs, closed (1.1 MB; 54 s before)", wrapped(100_000)),
    ("200k unclosed divs (1 MB; 440 s before)", PAGE[:BODY_AT] + "<div>" * 200_000 + PAGE[BODY_AT:]),
    ("200k self-closed divs (HTML ignores the slash)", PAGE[:BODY_AT] + "<div/>" * 200_000 + PAGE[BODY_AT:]),
    ("nested spans", wrapped(5_000, tag="span")),
    ("unclosed font tags", PAGE[:BODY_AT] + '<font size="2">글' * 10_000 + PAGE[BODY_AT:]),
    ("nested tables", PAGE[:BODY_AT] + "<table><tr><td>" * 3_000 + PAGE[BODY_AT:]),
])
def test_absurd_nesting_is_refused_before_parsing_with_its_reason(name, html):
    reason, seconds = refusal(html)
    assert reason.startswith("parse_error: too_deep: ") and f"limit {MAX_DEPTH:,}" in reason, reason
    assert seconds < 2.0, f"{name}: {seconds:.2f} s"


def test_a_page_that_makes_the_parser_reopen_formatting_is_counted_as_it_would_be_built():
    # 20 KB that would make lexbor build 3 million elements: closed <b>s re-opened before every paragraph
    opened = "".join(f'<b class="c{i}">' for i in range(1_000))
    html = PAGE[:BODY_AT] + "<p>" + opened + "</p>" + "<p>가</p>" * 3_000 + PAGE[BODY_AT:]
    assert len(html) < 60_000
    reason, seconds = refusal(html)
    assert reason.startswith("parse_error: too_many_elements: ") and seconds < 2.0, (reason, seconds)


def test_too_many_elements_and_too_many_bytes_are_refused():
    flat = PAGE[:BODY_AT] + "<span>가</span>" * (MAX_ELEMENTS + 10) + PAGE[BODY_AT:]
    reason, seconds = refusal(flat)
    assert reason.startswith("parse_error: too_many_elements: ") and seconds < 3.0, (reason, seconds)
    huge = PAGE.encode() + b" " * MAX_PAGE_BYTES
    reason, seconds = refusal(huge.decode())
    assert reason.startswith("parse_error: too_large: ") and seconds < 1.0, (reason, seconds)


@pytest.mark.parametrize("depth", [250, 300, 301, 600, 1_500, MAX_DEPTH - 20])
@pytest.mark.parametrize("close", [True, False])
def test_deep_but_possible_pages_keep_their_article(depth, close):
    """Nested deeper than the walk's 300 levels, the text is read flat: never silently lost."""
    page = parse_page(wrapped(depth, close=close).encode(), URL)
    assert page.kind == "article", page.reason
    assert page.body == body_text()
    assert page.title == "세종시, 도시데이터 통합플랫폼 구축 협약"


def test_flat_reading_keeps_paragraphs_apart_and_skips_scripts():
    inner = "".join(f"<div><p>{p}</p><script>var x = '{i}';</script></div>" for i, p in enumerate(PARAGRAPHS))
    html = PAGE[:BODY_AT] + "<section>" * 400 + f"<h1>세종시, 도시데이터 통합플랫폼 구축 협약</h1><article>{inner}</article>"
    page = parse_page(html.encode(), URL)
    assert page.kind == "article" and page.body.split("\n\n") == PARAGRAPHS


def test_the_estimate_follows_the_parsers_own_depth():
    """On shapes real pages have (unclosed p / li / td / option, formatting, nested lists and tables) the pre-scan's
    depth is the depth lexbor builds, give or take the implied html/body/tbody."""
    shapes = {
        "unclosed paragraphs": "<div>" + "<p>글" * 3_000 + "</div>",
        "unclosed list items": "<ul>" + "<li>글" * 3_000 + "</ul>",
        "unclosed cells": "<table>" + ("<tr>" + "<td>글" * 10) * 300 + "</table>",
        "unclosed options": "<select>" + "<option>글" * 3_000 + "</select>",
        "definition lists": "<dl>" + "<dt>가<dd>나" * 1_500 + "</dl>",
        "unclosed links": '<a href="/x">글' * 3_000,
        "nested lists": "<ul><li>글" * 500,
        "nested tables": "<table><tr><td>" * 300,
        "unclosed font": "<font>글" * 1_000,
    }
    for name, inner in shapes.items():
        html = f"<html><body>{inner}</body></html>"
        tree = LexborHTMLParser(html)
        real = 0
        for node in tree.root.traverse():
            d, cur = 0, node
            while cur is not None:
                d, cur = d + 1, cur.parent
            real = max(real, d)
        estimate = scan_markup(html, 10**9, 10**9).deepest
        assert estimate <= real <= estimate * 4 // 3 + 3, (name, estimate, real)


@needs_shared
def test_every_dev_seed_and_demo_page_is_far_within_the_limits():
    pages = sorted((SHARED / "corpus").glob("*/*.html")) + sorted((SHARED / "corpus" / "dev").glob("*/html/*.html"))
    assert len(pages) >= 50
    for path in pages:
        text, _ = decode_html(path.read_bytes())
        m = scan_markup(text)
        assert m.refusal is None and m.deepest <= MAX_DEPTH // 20 and m.elements <= MAX_ELEMENTS // 50, (path.name, m)
