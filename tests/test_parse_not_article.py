"""Pages that are not articles are recorded as such; a short real article is still an article."""
from __future__ import annotations

from pipelines.parse import parse_page
from tests.support.pages import news_page

URL = "https://www.doshi.example/news/articleList.html"


def _parse(html: str):
    return parse_page(html.encode("utf-8"), URL)


def test_list_page_of_headlines_is_not_an_article() -> None:
    items = "".join(f'<li><a href="/news/{k}">{t} 관련 소식 {k}</a><span>2025-12-{k + 1:02d}</span></li>'
                    for k, t in enumerate(["교통", "환경", "복지", "안전", "문화", "교육", "관광", "청년"] * 2))
    page = _parse(news_page(title="전체기사", paragraph_html=f"<ul>{items}</ul>"))
    assert page.kind == "not_article" and page.reason == "list_page"


def test_list_page_with_summaries_is_not_an_article() -> None:
    items = "".join(f'<li><a href="/news/{k}"><strong>시정 소식 제목 {k}번째 기사</strong></a>'
                    f'<p>시는 {k}일 시민 의견을 모아 새 정책을 마련했다고 밝혔다. 세부 내용은 다음 달 공개된다.</p></li>'
                    for k in range(10))
    page = _parse(news_page(title="시정뉴스", paragraph_html=f'<ul class="list">{items}</ul>'))
    assert page.kind == "not_article" and page.reason == "list_page"


def test_error_page_is_not_an_article() -> None:
    page = _parse(news_page(title="알림", paragraphs=["요청하신 페이지를 찾을 수 없습니다."]))
    assert page.kind == "not_article" and page.reason == "error_page"


def test_deleted_article_notice_is_not_an_article() -> None:
    page = _parse(news_page(title="도시경제신문", paragraphs=["삭제된 기사입니다."]))
    assert page.kind == "not_article" and page.reason == "error_page"


def test_login_page_is_not_an_article() -> None:
    form = '<form><input type="text" name="id"><input type="password" name="pw"></form><p>회원 로그인 후 이용하세요.</p>'
    page = _parse(news_page(title="로그인", paragraph_html=form))
    assert page.kind == "not_article" and page.reason == "login_page"


def test_empty_page_is_not_an_article() -> None:
    page = _parse(news_page(title="도시경제신문", paragraphs=[]))
    assert page.kind == "not_article" and page.reason == "empty_body"


def test_short_real_article_of_three_sentences_is_an_article() -> None:
    paras = ["춘천시는 3일 공공자전거 대여소 20곳을 새로 열었다. 대여는 모바일 앱으로 한다. 요금은 한 시간 1천 원이다."]
    page = _parse(news_page(title="춘천시, 공공자전거 대여소 20곳 추가", paragraphs=paras))
    assert page.kind == "article" and page.body == paras[0]
