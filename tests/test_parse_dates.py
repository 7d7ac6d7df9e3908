"""published_at: machine fields first, then Korean bylines near the headline; never a list/footer/crawl date."""
from __future__ import annotations

import json
from datetime import datetime

import pytest

from pipelines.parse import parse_page
from pipelines.parse.dates import SEOUL, byline_dates, parse_machine_date
from tests.support.pages import news_page, related_list

URL = "https://www.doshi.example/news/articleView.html?idxno=31"
RELATED = [("다른 동네 축제 소식", "2025-12-27 10:00"), ("겨울철 안전 점검", "2025-12-26 09:30")]


def _published(html: str) -> datetime | None:
    return parse_page(html.encode("utf-8"), URL).published_at


def _byline(text: str) -> str:
    return f'<div class="byline">홍길동 기자 | {text}</div>'


@pytest.mark.parametrize("text,want", [
    ("기사승인 : 2025-03-10 10:05:27", datetime(2025, 3, 10, 10, 5, 27, tzinfo=SEOUL)),
    ("기사입력 2025/06/20 [15:09]", datetime(2025, 6, 20, 15, 9, tzinfo=SEOUL)),
    ("입력 2025.06.20 15:09", datetime(2025, 6, 20, 15, 9, tzinfo=SEOUL)),
    ("등록 2025-06-20 오후 3:09", datetime(2025, 6, 20, 15, 9, tzinfo=SEOUL)),
    ("승인 2025.06.20 15:09", datetime(2025, 6, 20, 15, 9, tzinfo=SEOUL)),
    ("등록일 2024.11.03", datetime(2024, 11, 3, tzinfo=SEOUL)),
])
def test_labelled_byline_formats(text: str, want: datetime) -> None:
    page = parse_page(news_page(header=_byline(text)).encode("utf-8"), URL)
    assert page.published_at == want and page.published_at_source == "byline"


def test_unlabelled_korean_date_right_after_the_headline() -> None:
    header = '<div class="info"><span>2024년 4월 20일</span></div>'
    assert _published(news_page(header=header)) == datetime(2024, 4, 20, tzinfo=SEOUL)


def test_related_list_dates_are_never_the_publish_date() -> None:
    assert _published(news_page(after=related_list(RELATED), aside=related_list(RELATED))) is None


def test_dated_links_in_an_unclassed_sidebar_table_are_ignored() -> None:
    side = "<table><tr><td><a href='/x'>다른 기사 제목입니다</a> 2025-12-12</td></tr></table>"
    assert _published(news_page(after=side)) is None


def test_footer_registration_date_is_ignored() -> None:
    html = news_page().replace("<p>Copyright", "<p>등록번호 : 서울 아00000 | 등록일자 : 2010.05.01 | 발행인 : 김발행</p><p>Copyright")
    assert _published(html) is None


def test_site_header_today_date_is_ignored() -> None:
    html = news_page().replace('<div id="header">', '<div id="header"><div class="today">2025년 12월 28일</div>')
    assert _published(html) is None


def test_empty_jsonld_date_means_nothing_and_byline_is_used() -> None:
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": "x", "datePublished": ""})
    html = news_page(head=f'<script type="application/ld+json">{ld}</script>', header=_byline("입력 2025.01.05 08:30"))
    assert _published(html) == datetime(2025, 1, 5, 8, 30, tzinfo=SEOUL)


def test_jsonld_and_meta_in_different_zones_give_the_same_instant() -> None:
    ld = json.dumps({"@type": "NewsArticle", "datePublished": "2024-04-20T09:00+09:00"})
    head = (f'<script type="application/ld+json">{ld}</script>'
            '<meta property="article:published_time" content="2024-04-20T00:00:00+00:00">')
    got = _published(news_page(head=head))
    assert got == datetime(2024, 4, 20, 9, 0, tzinfo=SEOUL) and got.utcoffset().total_seconds() == 9 * 3600


def test_meta_published_time_without_zone_is_seoul() -> None:
    head = '<meta property="article:published_time" content="2025-02-03 14:20:00">'
    assert _published(news_page(head=head)) == datetime(2025, 2, 3, 14, 20, tzinfo=SEOUL)


def test_first_published_is_preferred_over_modified() -> None:
    header = _byline("수정 2025.06.21 10:00 | 입력 2025.06.20 15:09")
    assert _published(news_page(header=header)) == datetime(2025, 6, 20, 15, 9, tzinfo=SEOUL)
    ld = json.dumps({"@type": "NewsArticle", "dateModified": "2025-06-21T10:00:00+09:00",
                     "datePublished": "2025-06-20T15:09:00+09:00"})
    assert _published(news_page(head=f'<script type="application/ld+json">{ld}</script>')) == \
        datetime(2025, 6, 20, 15, 9, tzinfo=SEOUL)


def test_modified_only_is_a_fallback() -> None:
    assert _published(news_page(header=_byline("최종수정 2025.06.21 10:00"))) == datetime(2025, 6, 21, 10, 0, tzinfo=SEOUL)


def test_time_element_marked_as_publication() -> None:
    header = '<time class="entry-date published" datetime="2023-09-01T07:45:00+09:00">2023년 9월 1일</time>'
    assert _published(news_page(header=header)) == datetime(2023, 9, 1, 7, 45, tzinfo=SEOUL)


def test_no_stated_date_is_none_not_crawl_time() -> None:
    page = parse_page(news_page().encode("utf-8"), URL)
    assert page.published_at is None and page.published_at_source is None


def test_machine_date_parser_edge_cases() -> None:
    assert parse_machine_date("") is None and parse_machine_date(None) is None
    assert parse_machine_date("2025-06-20T06:09:00Z") == datetime(2025, 6, 20, 15, 9, tzinfo=SEOUL)
    assert parse_machine_date("20250620150900") == datetime(2025, 6, 20, 15, 9, tzinfo=SEOUL)
    assert parse_machine_date("2999-01-01T00:00:00+09:00") is None


def test_byline_grammar_reads_two_digit_years_only_with_a_label() -> None:
    assert [d.when for d in byline_dates("입력 25.06.20 09:10")] == [datetime(2025, 6, 20, 9, 10, tzinfo=SEOUL)]
    assert byline_dates("장현준 / 25.12.28") == []
