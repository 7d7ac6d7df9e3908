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


# ---- a real article under a site header that carries a login box

_LOGIN_BOXES = [
    '<div class="top_login"><form action="/member/login_ok"><input type="text" name="uid" title="아이디">'
    '<input type="password" name="upw" title="비밀번호"><button>로그인</button></form></div>',
    '<div id="member"><input type="password" name="pass"> <a href="/join">회원가입</a></div>',
    '<form class="sidelogin"><label>아이디 <input name="i"></label><label>비밀번호 <input type="password" name="p"></label>'
    '<label><input type="checkbox"> 로그인 상태 유지</label></form>',
]
_SHORT_STORY = [
    "달빛군은 5일 읍내 전통시장 두 곳에 무료 와이파이를 설치했다고 밝혔다.",
    "군은 상인회와 함께 결제 단말기도 새것으로 바꿨다. 설치비는 모두 군비로 충당했다.",
]


def test_a_dated_short_article_with_a_login_box_in_the_header_is_an_article() -> None:
    for box in _LOGIN_BOXES:
        html = news_page(title="달빛군 전통시장 두 곳에 무료 와이파이", paragraphs=_SHORT_STORY,
                         header='<div class="byline">입력 2025.04.05 10:20</div>').replace('<div id="header">', f'<div id="header">{box}')
        page = _parse(html)
        assert page.kind == "article", (box, page.reason)


def test_a_login_page_stays_a_login_page_even_with_a_few_sentences() -> None:
    for text in ("회원으로 로그인하시면 댓글과 스크랩을 이용하실 수 있습니다. 공용 PC에서는 자동 로그인을 선택하지 마세요.",
                 "로그인이 필요한 서비스입니다. 아이디와 비밀번호를 입력해 주세요. 비밀번호는 90일마다 바꾸세요.",
                 "유료 회원 전용 기사입니다. 로그인 후 이용해 주십시오."):
        form = f'<form><input name="id"><input type="password" name="pw"></form><p>{text}</p>'
        page = _parse(news_page(title="회원 로그인", paragraph_html=form))
        assert page.kind == "not_article" and page.reason == "login_page", text


# ---- a photo story: one picture, its caption is the whole text

def _photo_page(caption_html: str, byline: str = '<div class="photo-meta">윤슬 기자 · 등록 2025.12.02 오후 2:10</div>') -> str:
    return f"""<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>[포토] 첫눈 내린 호수공원</title></head><body>
<div class="gnb"><a href="/">홈</a> <a href="/photo">포토</a></div>
<main><h1 class="photo-title">[포토] 첫눈 내린 호수공원</h1>{byline}
{caption_html}
<section class="photo-more"><h2>포토뉴스 더보기</h2><ul>
<li><a href="/p/1"><img src="/t1.jpg" alt=""><span>[포토] 가을 억새 축제 마지막 날 풍경</span></a></li>
<li><a href="/p/2"><img src="/t2.jpg" alt=""><span>시립도서관 야간 개관 시범 운영 시작</span></a></li></ul></section></main>
<footer><p>ⓒ 호수일보 무단 전재 및 재배포 금지</p></footer></body></html>"""


def test_a_photo_story_keeps_its_caption_as_the_body() -> None:
    cases = [
        ('<figure><img src="/a.jpg" alt=""><figcaption>첫눈이 내린 2일 오후 호수공원 산책로에서 시민들이 눈길을 걷고 있다. '
         '이날 도심 적설량은 3㎝를 기록했다. /사진=윤슬 기자</figcaption></figure>',
         "첫눈이 내린 2일 오후 호수공원 산책로에서 시민들이 눈길을 걷고 있다. 이날 도심 적설량은 3㎝를 기록했다."),
        ('<table class="photo"><tr><td><img src="/b.jpg"></td></tr><tr><td>▲ 2일 오후 호수공원 스마트 벤치에서 한 어르신이 '
         '휴대전화를 충전하고 있다. (사진=호수일보 DB)</td></tr></table>',
         "2일 오후 호수공원 스마트 벤치에서 한 어르신이 휴대전화를 충전하고 있다."),
        ('<div class="pic"><img src="/c.jpg"><p class="caption">2일 눈 덮인 호수공원 음악분수대 앞 광장에서 유치원 어린이들이 눈사람을 만들며 '
         '놀고 있다.</p></div>', "2일 눈 덮인 호수공원 음악분수대 앞 광장에서 유치원 어린이들이 눈사람을 만들며 놀고 있다."),
    ]
    for caption_html, want in cases:
        page = _parse(_photo_page(caption_html))
        assert page.kind == "article" and page.body == want, (page.reason, page.body)


def test_an_undated_page_with_only_a_picture_caption_is_not_an_article() -> None:
    html = _photo_page('<figure><img src="/a.jpg"><figcaption>호수공원 산책로에 눈이 쌓여 있다. 시민들이 걷고 있다.</figcaption></figure>',
                       byline="")
    assert _parse(html).kind == "not_article"
