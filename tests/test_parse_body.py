"""Body: article text only, paragraphs kept, boilerplate and repeats removed."""
from __future__ import annotations

from pipelines.parse import parse_page
from tests.support.pages import PARAGRAPHS, body_text, news_page

URL = "https://www.doshi.example/news/articleView.html?idxno=5"


def _body(html: str) -> str:
    page = parse_page(html.encode("utf-8"), URL)
    assert page.kind == "article", page.reason
    return page.body


def test_plain_paragraphs_are_joined_by_one_blank_line() -> None:
    assert _body(news_page()) == body_text()


def test_br_br_separates_paragraphs_and_single_br_after_sentence_too() -> None:
    inner = "<br><br>".join(PARAGRAPHS[:3]) + "<br>" + PARAGRAPHS[3] + "<br><br>" + PARAGRAPHS[4]
    assert _body(news_page(paragraph_html=inner)) == body_text()


def test_text_and_inline_elements_read_the_same_below_the_walks_depth() -> None:
    """Below WALK_DEPTH the page is read flat (walk_flat), with the walk's own text and inline handling: a single
    <br> after a sentence end, <br><br>, linked text, an image followed by its caption, a password field."""
    from pipelines.parse.body import WALK_DEPTH

    inner = ("<br><br>".join(PARAGRAPHS[:3]) + "<br>" + PARAGRAPHS[3] + "<br><br>" + PARAGRAPHS[4]
             + '<br><br><img src="/a.jpg">▲ 협약식에 참석한 관계자들')

    def deep(html: str) -> str:
        at = html.index("<body>") + len("<body>")
        return html[:at] + "<span>" * (WALK_DEPTH + 20) + html[at:]

    assert _body(deep(news_page(paragraph_html=inner))) == _body(news_page(paragraph_html=inner)) == body_text()
    login = news_page(paragraph_html=PARAGRAPHS[0] + '<form><input type="password" name="pw"></form>')
    assert parse_page(login.encode(), URL).reason == parse_page(deep(login).encode(), URL).reason == "login_page"


def test_ads_bylines_captions_copyright_widgets_are_dropped() -> None:
    noise = [
        '<div class="ad_in_article"><span>광고</span></div>',
        '<div class="td-a-rec"><span>- Advertisement -</span></div>',
        '<p>김선아 기자 | 입력 : 2025/06/20 [15:09]</p>',
        '<table class="photo"><tr><td><img src="/a.jpg"></td></tr><tr><td>▲ 협약식에 참석한 관계자들이 기념촬영을 하고 있다.</td></tr></table>',
        '<p>(사진=세종시 제공)</p>',
        '<figure><img src="/b.jpg"><figcaption>데이터 센터 전경 (사진. 세종시)</figcaption></figure>',
        '<p>[저작권자ⓒ 도시경제. 무단전재-재배포 금지]</p>',
        '<div class="captcha"><img alt="도배방지 이미지"><span>도배방지 이미지</span></div>',
        '<p>홍길동 기자 hong@doshi.example</p>',
    ]
    inner = "\n".join(f"<p>{p}</p>" + (noise[i] if i < len(noise) else "") for i, p in enumerate(PARAGRAPHS)) + "\n".join(noise[5:])
    assert _body(news_page(paragraph_html=inner)) == body_text()


def test_comments_related_author_newsletter_boxes_are_outside_the_body() -> None:
    after = ('<div class="comment_area"><p>좋은 기사 잘 읽었습니다. 앞으로도 이런 소식을 계속 전해 주세요.</p></div>'
             '<div class="author-box"><p>홍길동 기자는 도시와 기술을 취재합니다. 제보는 언제든 환영합니다.</p></div>'
             '<div class="newsletter"><h3>뉴스레터 구독</h3><p>매주 월요일 새 소식을 메일로 받아 보세요.</p></div>'
             '<div class="relation"><ul><li><a href="/n/1">다른 시의 스마트 교통 소식</a></li></ul></div>')
    body = _body(news_page(after=after))
    assert body == body_text()


def test_a_page_printed_twice_keeps_the_article_once() -> None:
    inner = "\n".join(f"<p><span>{p}</span></p>" for p in PARAGRAPHS) + "\n" + "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    assert _body(news_page(paragraph_html=inner)) == body_text()


def test_summary_repeated_inside_a_longer_paragraph_is_kept_once() -> None:
    lead = PARAGRAPHS[0] + " " + PARAGRAPHS[1]
    inner = f"<p><strong>{PARAGRAPHS[0]}</strong></p>" + f"<p>{lead}</p>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[2:])
    assert _body(news_page(paragraph_html=inner)) == "\n\n".join([lead] + PARAGRAPHS[2:])


def test_in_body_subheadings_stay_as_paragraphs() -> None:
    inner = (f"<p>{PARAGRAPHS[0]}</p><p><strong>데이터 표준 공동 개발</strong></p>"
             + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[1:]))
    assert _body(news_page(paragraph_html=inner)) == "\n\n".join([PARAGRAPHS[0], "데이터 표준 공동 개발"] + PARAGRAPHS[1:])


def test_dateline_tags_are_stripped_from_the_first_paragraph() -> None:
    for tag in ("[도시경제신문=홍길동 기자] ", "[한빛뉴스] ", "(세종=도시통신) 홍길동 기자 = "):
        paras = [tag + PARAGRAPHS[0]] + PARAGRAPHS[1:]
        assert _body(news_page(paragraphs=paras)).startswith(PARAGRAPHS[0])


def test_headline_repeated_inside_the_content_is_not_body() -> None:
    inner = "<h2>세종시, 도시데이터 통합플랫폼 구축 협약</h2>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    assert _body(news_page(paragraph_html=inner)) == body_text()


def test_body_split_by_an_ad_slot_is_joined() -> None:
    html = news_page(paragraphs=PARAGRAPHS[:3]).replace(
        '</div>\n<aside', '</div><div class="banner-slot"><a href="/ad">광고 문의</a></div>'
        '<div class="article-body">' + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[3:]) + "</div>\n<aside")
    assert _body(html) == body_text()
