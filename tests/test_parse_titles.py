"""Headline choice: og:title first, outlet suffixes and site-wide prefixes dropped, entities unescaped."""
from __future__ import annotations

from pipelines.parse import parse_page
from pipelines.parse.titles import clean_title
from tests.support.pages import news_page

URL = "https://www.hanbit.example/news/articleView.html?idxno=7"
HEADLINE = "부산시, 자율주행 셔틀 실증 착수"


def _parse(html: str):
    return parse_page(html.encode("utf-8"), URL)


def test_dash_outlet_suffix_is_dropped_using_og_site_name() -> None:
    head = '<meta property="og:site_name" content="한빛뉴스">'
    page = _parse(news_page(title="다른 제목", head=head, html_title=f"{HEADLINE} - 한빛뉴스").replace("<h1>다른 제목</h1>", ""))
    assert page.title == HEADLINE


def test_pipe_suffix_that_is_part_of_the_outlet_name_is_dropped() -> None:
    head = f'<meta property="og:site_name" content="동해경제신문"><meta property="og:title" content="{HEADLINE} | 동해경제">'
    assert _parse(news_page(title=HEADLINE, head=head)).title == HEADLINE


def test_og_title_is_preferred_over_h1_and_title() -> None:
    head = f'<meta property="og:title" content="{HEADLINE}">'
    page = _parse(news_page(title="화면용 짧은 제목", head=head, html_title="전혀 다른 문서 제목"))
    assert page.title == HEADLINE


def test_board_title_with_site_wide_prefixes_and_suffixes() -> None:
    html = news_page(title=HEADLINE, html_title=f"열린시정 > 보도자료 > {HEADLINE} > 부산광역시청")
    html = html.replace(f"<h1>{HEADLINE}</h1>", f'<table class="board_view"><tr><th>제목</th><td>{HEADLINE}</td></tr></table>')
    assert _parse(html).title == HEADLINE


def test_visible_heading_selects_the_segment_of_an_unknown_suffix() -> None:
    html = news_page(title=HEADLINE, html_title=f"{HEADLINE} :: 새도시타임스")
    assert _parse(html).title == HEADLINE


def test_entities_are_unescaped_and_whitespace_collapsed() -> None:
    head = '<meta property="og:title" content="“AI 도시로”   세종시,&nbsp;&amp;quot;데이터&amp;quot; 전략 발표">'
    assert _parse(news_page(head=head)).title == '“AI 도시로” 세종시, "데이터" 전략 발표'


def test_bracketed_outlet_prefix_is_dropped() -> None:
    assert clean_title("[한빛뉴스] 대구시, 스마트 가로등 확대", ["한빛뉴스"], []) == "대구시, 스마트 가로등 확대"


def test_hyphen_inside_a_headline_is_kept_when_not_a_site_name() -> None:
    assert clean_title("AI 반도체 - 지역 기업의 새 기회", ["한빛뉴스"], []) == "AI 반도체 - 지역 기업의 새 기회"


def test_title_that_is_only_the_site_name_falls_through_to_the_heading() -> None:
    head = '<meta property="og:title" content="한빛뉴스"><meta property="og:site_name" content="한빛뉴스">'
    assert _parse(news_page(title=HEADLINE, head=head, html_title="한빛뉴스")).title == HEADLINE
