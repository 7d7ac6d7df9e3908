"""The parser's CPU budget (pipelines/parse/budget.py): absurd markup is refused before lexbor sees it, with the
reason, in a fraction of a second (it took 54 s and 440 s before); real pages, and moderately deep ones, parse."""
from __future__ import annotations

import random
import re
import sys
import time
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from pipelines.parse import ParseError, parse_page
from pipelines.parse.budget import (MAX_DEPTH, MAX_ELEMENTS, MAX_PAGE_BYTES, closed_leaves, markup_bounds,
                                   markup_refusal, scan_markup)
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


def _shared_pages() -> list:
    """Every page of ../shared's seed corpus and dev sets."""
    pages = sorted((SHARED / "corpus").glob("*/*.html")) + sorted((SHARED / "corpus" / "dev").glob("*/html/*.html"))
    assert len(pages) >= 50
    return pages


@needs_shared
def test_every_dev_seed_and_demo_page_is_far_within_the_limits():
    pages = _shared_pages()
    for path in pages:
        text, _ = decode_html(path.read_bytes())
        m = scan_markup(text)
        assert m.refusal is None and m.deepest <= MAX_DEPTH // 20 and m.elements <= MAX_ELEMENTS // 50, (path.name, m)


# ---------------------------------------------------------------- the shortcut: bounds first, the scan when needed
# markup_refusal proves most pages within budget from tag counts (markup_bounds) and scans only the rest; it must
# refuse exactly what the scan refuses. The scan (scan_markup) is the oracle: it is unchanged and still measures.

def _soup(rng: random.Random, tags: int) -> str:
    """Random tag soup over every kind of tag the scan treats differently, with the hostile shapes mixed in."""
    names = ["div", "span", "section", "p", "li", "ul", "ol", "dl", "dt", "dd", "select", "option", "optgroup",
             "a", "nobr", "button", "form", "table", "tr", "td", "th", "tbody", "thead", "caption", "colgroup",
             "h1", "h2", "h3", "svg", "math", "b", "i", "u", "em", "strong", "font", "template", "object", "br",
             "img", "meta", "hr", "input", "script", "style", "title", "textarea", "article", "center", "marquee"]
    parts = []
    for _ in range(tags):
        r = rng.random()
        name = rng.choice(names)
        if rng.random() < 0.1:
            name = name.upper() if rng.random() < 0.5 else name.capitalize()
        if r < 0.45:
            attrs = rng.choice(["", "", f' class="c{rng.randrange(4)}"', " /", "/", ' title="x<b>"', " id=x "])
            parts.append(f"<{name}{attrs}>")
        elif r < 0.8:
            parts.append(f"</{name}>")
        elif r < 0.9:
            parts.append(rng.choice(["글", "text ", " ", "a < b ", "x"]))
        else:
            parts.append(rng.choice(["<!-- c -->", "<!-- <div> -->", "<!--", "<", "</", "<!", "<!doctype html>",
                                     "<\u0130>", "<\u212a>", "</\u212a>", "< div>", "<div", "-->", "<p/>"]))
    return "".join(parts)


def _differential(text: str, max_depth: int, max_elements: int) -> None:
    expected = scan_markup(text, max_depth, max_elements).refusal
    assert markup_refusal(text, max_depth, max_elements) == expected, (text[:300], max_depth, max_elements)
    unlimited = scan_markup(text, 10**9, 10**9)
    deepest, elements = markup_bounds(text)
    assert deepest >= unlimited.deepest and elements >= unlimited.elements, (text[:300], unlimited,
                                                                             (deepest, elements))


def test_random_tag_soup_is_refused_exactly_as_the_scan_refuses_it():
    rng = random.Random(20261207)
    refused = passed_by_bounds = 0
    for _ in range(4_000):
        text = _soup(rng, rng.randrange(1, 400))
        max_depth, max_elements = rng.randrange(1, 60), rng.randrange(1, 2_000)
        _differential(text, max_depth, max_elements)
        refused += scan_markup(text, max_depth, max_elements).refusal is not None
        bound = markup_bounds(text)
        passed_by_bounds += bound[0] <= max_depth and bound[1] <= max_elements
    # both sides of the limits were exercised, and the shortcut was taken often enough to matter
    assert 500 < refused < 3_500 and passed_by_bounds > 300, (refused, passed_by_bounds)


def _leafy_soup(rng: random.Random, tags: int) -> str:
    """Tag soup with text-only elements (``<x>text</x>``) of every kind mixed in, some where the scan cannot read
    them as elements: inside comments, raw text and attribute values, upper case, an end tag with attributes."""
    leaves = ["span", "div", "p", "li", "a", "b", "font", "td", "tr", "option", "h2", "svg", "nobr", "button",
              "form", "template", "em", "strong", "dd", "table", "title", "script", "br", "img", "i"]
    parts = []
    for _ in range(tags):
        if rng.random() < 0.5:
            parts.append(_soup(rng, 1))
            continue
        name = rng.choice(leaves)
        attrs = rng.choice(["", ' class="x"', " /", ' title="a<b>"', ' href="/n"'])
        text = rng.choice(["글", "", " ", "a -- b", "--> x", "text"])
        leaf = f"<{name}{attrs}>{text}</{rng.choice([name, name, name, name.upper()])}{rng.choice(['', ' x', '/'])}>"
        r = rng.random()
        parts.append(f"<!-- {leaf} -->" if r < 0.05 else f"<textarea>{leaf}</textarea>" if r < 0.1
                     else f'<i title="{leaf}">' if r < 0.15 else leaf)
    return "".join(parts)


def test_text_only_elements_tighten_the_depth_bound_and_the_same_pages_are_refused():
    """markup_bounds subtracts the text-only elements (never open two at a time): on random soup full of them, at
    random limits, the bound stays at or above the scan's depth and markup_refusal refuses exactly as the scan."""
    rng = random.Random(20261207_2)
    refused = passed_by_bounds = tightened = 0
    for _ in range(3_000):
        text = _leafy_soup(rng, rng.randrange(1, 300))
        max_depth, max_elements = rng.randrange(1, 60), rng.randrange(50, 5_000)
        _differential(text, max_depth, max_elements)
        refused += scan_markup(text, max_depth, max_elements).refusal is not None
        bound = markup_bounds(text)
        passed_by_bounds += bound[0] <= max_depth and bound[1] <= max_elements
        tightened += closed_leaves(text) > 1
    assert 300 < refused < 2_700 and passed_by_bounds > 300 and tightened > 1_000, (refused, passed_by_bounds,
                                                                                    tightened)


def test_closed_leaves_counts_the_elements_holding_only_text():
    assert closed_leaves('<p>가</p><span class="x">나</span><b></b><div><p>x</p></div>') == 4
    assert closed_leaves("<br>x</br><script>x</script><title>t</title><img>x</img>") == 0  # open nothing
    assert closed_leaves("<span>x</div><SPAN>x</SPAN><span>x<b></b></span><span>x</spanx>") == 1  # only <b></b>
    deep = "<div>" * 2_500 + "<span>기사</span>" * 3_000
    assert markup_bounds(deep) == (2_500 + 3_000 - 3_000 + 1, 5_500)
    assert markup_refusal(deep).startswith("too_deep")  # the bound stays over the limit: the scan decides


@pytest.mark.parametrize("delta", [-1, 0, 1])
def test_pages_at_every_limit_are_refused_exactly_as_the_scan_refuses_them(delta):
    shapes = [
        wrapped(MAX_DEPTH + delta - 3),  # html, body and the page's own div around it
        wrapped(MAX_DEPTH + delta, close=False, tag="span"),
        PAGE[:BODY_AT] + "<span>가</span>" * (MAX_ELEMENTS + delta - 20) + PAGE[BODY_AT:],
        PAGE[:BODY_AT] + "<br>" * (MAX_ELEMENTS + delta - 20) + PAGE[BODY_AT:],
        PAGE[:BODY_AT] + "<p>" + "".join(f'<b class="c{i}">' for i in range(60)) + "</p>"
        + "<p>가</p>" * (MAX_ELEMENTS // 60 + delta) + PAGE[BODY_AT:],
        PAGE[:BODY_AT] + "<table><tr><td>" * (MAX_DEPTH // 3 + delta) + PAGE[BODY_AT:],
        PAGE[:BODY_AT] + '<a href="/x">글' * (MAX_DEPTH + delta) + PAGE[BODY_AT:],
        wrapped(MAX_DEPTH + delta - 3).replace("<body>", "<body>" + "<span>가</span><b>나</b>" * 1_500),
    ]
    for text in shapes:  # one below, at and one above the limit each shape reaches
        _differential(text, MAX_DEPTH, MAX_ELEMENTS)


def _scale_pages(n: int) -> list[str]:
    from bench.scale_corpus import DEFAULT_SEED, render_page
    pages = [render_page(DEFAULT_SEED, i) for i in range(n)]
    return [decode_html(content, entry["content_type"])[0] for content, entry in pages]


def test_real_shaped_pages_are_refused_exactly_as_the_scan_refuses_them_and_most_skip_the_scan():
    demo = [decode_html(p.read_bytes())[0] for p in sorted((Path(__file__).parent.parent / "demo" / "pages").glob("*.html"))]
    scale = _scale_pages(150)
    assert len(demo) >= 10
    for text in demo + scale:
        _differential(text, MAX_DEPTH, MAX_ELEMENTS)
        m = scan_markup(text)
        _differential(text, max(m.deepest - 1, 0), max(m.elements - 1, 0))  # refused at its own numbers
    proven = sum(1 for t in scale if markup_bounds(t)[0] <= MAX_DEPTH and markup_bounds(t)[1] <= MAX_ELEMENTS)
    assert proven >= len(scale) * 3 // 4, proven


@needs_shared
def test_the_shared_corpus_is_refused_exactly_as_the_scan_refuses_it():
    pages = _shared_pages()
    for path in pages:
        text, _ = decode_html(path.read_bytes())
        _differential(text, MAX_DEPTH, MAX_ELEMENTS)  # at their own numbers: the test above


def test_the_bounds_read_start_tags_as_the_scan_does_for_every_character():
    """markup_bounds reads the original text, the scan its lowercase: that holds only while no character but '<'
    lowers to '<', the characters lowering to a-z first are A-Z, a-z, U+0130 and U+212A, and no character lowers
    into or out of the name's terminators (whitespace, '/', '>'). Checked over every code point of this Python."""
    terminator = re.compile(r"[\s/>]")
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        low = c.lower()
        assert c == "<" or "<" not in low, hex(cp)
        if terminator.match(c):
            assert low == c, hex(cp)
        else:
            assert not terminator.search(low), hex(cp)
        if low and "a" <= low[0] <= "z":
            assert c.isascii() or cp in (0x130, 0x212A), hex(cp)
