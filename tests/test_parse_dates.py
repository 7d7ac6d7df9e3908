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
    ("기사전송 2024-08-02 07:45", datetime(2024, 8, 2, 7, 45, tzinfo=SEOUL)),
    ("전송시간 : 2023/12/01 18:30", datetime(2023, 12, 1, 18, 30, tzinfo=SEOUL)),
    ("[입력] 2025-01-09 11:11", datetime(2025, 1, 9, 11, 11, tzinfo=SEOUL)),
    ("(등록) 2022.02.22 22:02", datetime(2022, 2, 22, 22, 2, tzinfo=SEOUL)),
    ("Posted : 2021-07-07T07:07:00", datetime(2021, 7, 7, 7, 7, tzinfo=SEOUL)),
    ("기사입력 : 2020년 05월 04일 13시 20분", datetime(2020, 5, 4, 13, 20, tzinfo=SEOUL)),
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


# ---- bylines that share their block with linked buttons, a linked name or e-mail (dev corpus class)

@pytest.mark.parametrize("header,want", [
    ('<div class="info">김하늘 기자 | 기사입력 : 2024년 02월 07일 09시 15분 | 최종수정 : 2024년 02월 07일 11시 02분 '
     '<a href="javascript:fontPlus()">[+]</a> <a href="javascript:fontMinus()">[-]</a> <a href="#">[인쇄]</a></div>',
     datetime(2024, 2, 7, 9, 15, tzinfo=SEOUL)),
    ('<p class="writer">이바다 기자 <a href="mailto:bada@doshi.example">bada@doshi.example</a><br>'
     '기사입력 2023-10-30 오전 8:40:12 | 최종수정 2023-10-30 오후 1:05:00</p>',
     datetime(2023, 10, 30, 8, 40, 12, tzinfo=SEOUL)),
    ('<div class="art_info"><a href="/reporter/77">정우람 기자</a> | <span class="regdate">승인 2022.05.16 18:27</span> '
     '<a href="#">크게</a> <a href="#">작게</a></div>', datetime(2022, 5, 16, 18, 27, tzinfo=SEOUL)),
    ('<div class="meta">글 <a href="/author/sy">서연우 기자</a> 2021.09.08 읽는 시간 4분</div>',
     datetime(2021, 9, 8, tzinfo=SEOUL)),
])
def test_a_byline_with_a_few_links_still_gives_the_date(header: str, want: datetime) -> None:
    assert _published(news_page(header=header)) == want


@pytest.mark.parametrize("related", [
    '<div class="box"><p>· <a href="/n/1">다른 동네 축제 소식 2025-12-27</a> · <a href="/n/2">겨울철 안전 점검 2025-12-26</a></p></div>',
    '<table><tr><td>· <a href="/n/3">교통 신호 개선 2025.12.20 발표</a></td></tr></table>',
    '<div><a href="/n/4">한파 대비 쉼터 2025년 12월 19일 운영</a> 더보기</div>',
])
def test_a_dated_link_is_never_the_publish_date(related: str) -> None:
    assert _published(news_page(header=related)) is None


# ---- a bare label cell, then its value cell (press-release boards)

@pytest.mark.parametrize("header,want", [
    ('<table class="view_info"><tr><th>담당부서</th><td>도시정책과</td><th>작성일</th><td>2020-11-24 10:20</td></tr></table>',
     datetime(2020, 11, 24, 10, 20, tzinfo=SEOUL)),
    ('<dl class="info"><dt>등록일</dt><dd>2023.03.02</dd><dt>조회</dt><dd>88</dd></dl>', datetime(2023, 3, 2, tzinfo=SEOUL)),
    ('<ul class="bbs_info"><li><span>등록일시 :</span></li><li>2019. 7. 1. 14:00</li></ul>',
     datetime(2019, 7, 1, 14, 0, tzinfo=SEOUL)),
])
def test_a_label_cell_followed_by_a_date_cell_is_a_labelled_byline(header: str, want: datetime) -> None:
    page = parse_page(news_page(header=header).encode("utf-8"), URL)
    assert page.published_at == want and page.published_at_source == "byline"


@pytest.mark.parametrize("rows,want", [
    ("<tr><th>배포일시</th><td>2022. 3. 7.(월) 15:00</td><th>보도일시</th><td>2022. 3. 8.(화) 06:00</td></tr>",
     datetime(2022, 3, 8, 6, 0, tzinfo=SEOUL)),
    ("<tr><th>배포</th><td>2021-06-01 10:00</td></tr><tr><th>등록일</th><td>2021-06-02 09:00</td></tr>",
     datetime(2021, 6, 2, 9, 0, tzinfo=SEOUL)),
    ("<tr><th>배포일시</th><td>2024.01.15 14:00</td></tr>", datetime(2024, 1, 15, 14, 0, tzinfo=SEOUL)),
])
def test_a_press_release_distribution_time_gives_way_to_its_release_time(rows: str, want: datetime) -> None:
    assert _published(news_page(header=f'<table class="press_info">{rows}</table>')) == want
