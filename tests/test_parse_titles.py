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


# ---- press-release boards: the <title> and the first heading name the board, the post's headline comes later

def _board(html_title: str, headline_html: str, head: str = "", section: str = "보도자료") -> str:
    paras = "".join(f"<p>{p}</p>" for p in (
        "□ 도는 올해 하반기부터 읍면 지역 어르신 돌봄에 인공지능 스피커를 보급한다고 3일 밝혔다.",
        "○ 스피커는 말벗 기능과 함께 위급 상황에서 119로 바로 연결되는 기능을 갖췄다.",
        "○ 도는 1차로 500가구를 선정하고 내년까지 2천 가구로 늘릴 계획이다.",
        "□ 담당 과장은 혼자 사는 어르신의 안전망을 촘촘히 하겠다고 말했다."))
    return f"""<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>{html_title}</title>{head}</head><body>
<header><h1 class="logo"><a href="/"><img src="/logo.png" alt="한울도"></a></h1></header>
<div class="lnb"><h2>알림·소식</h2><ul><li><a href="/b/1">보도자료</a></li><li><a href="/b/2">공지사항</a></li></ul></div>
<div class="content"><h3 class="sub_title">{section}</h3>
<div class="board_view">{headline_html}
<ul class="info"><li>작성자 복지정책과</li><li>작성일 2024.07.03 10:00</li></ul>
<div class="view_cont">{paras}</div></div></div>
<footer><p>ⓒ 한울도. All rights reserved.</p></footer></body></html>"""


BOARD_HEADLINE = "한울도, 홀몸 어르신 댁에 AI 돌봄 스피커 2천대 보급"


def test_board_title_tag_and_section_heading_give_way_to_the_post_headline() -> None:
    for html_title, headline_html in [
        ("한울도 &gt; 알림·소식 &gt; 보도자료", f'<div class="b_title"><p class="subject">{BOARD_HEADLINE}</p></div>'),
        ("보도자료 - 한울도", f'<h4 class="bbs_title">{BOARD_HEADLINE}</h4>'),
        ("한울도 | 소식 | 보도자료", f'<h3 class="headline">{BOARD_HEADLINE}</h3>'),
    ]:
        assert _parse(_board(html_title, headline_html)).title == BOARD_HEADLINE, html_title


def test_a_meta_title_that_is_only_the_site_and_board_name_is_no_headline() -> None:
    for meta in ("한울도 뉴스 - 보도자료", "한울도청 | 새소식", "보도자료 > 한울도"):
        head = f'<meta name="title" content="{meta}"><meta property="og:site_name" content="한울도">'
        html = _board("한울도", f'<h3 class="headline">{BOARD_HEADLINE}</h3>', head=head)
        assert _parse(html).title == BOARD_HEADLINE, meta


def test_a_headline_that_starts_with_the_site_name_is_still_a_headline() -> None:
    for headline in ("한울도 스마트 버스정류장 확대", "한울도 뉴스 브리핑 시작", "한울도, 보도자료 공개 범위 넓혀"):
        head = f'<meta property="og:title" content="{headline}"><meta property="og:site_name" content="한울도">'
        assert _parse(_board("한울도", f"<h4>{headline}</h4>", head=head)).title == headline, headline


# ---- a meta title cut short: the visible heading goes on

def test_a_cut_short_og_title_gives_way_to_the_visible_heading_that_continues_it() -> None:
    for short, full in [
        ("새빛시, 스마트 가로등 3천개 교체", "새빛시, 스마트 가로등 3천개 교체…전기요금 연 4억 절감"),
        ("초록군 농촌 드론 방제 사업 선정…", "초록군 농촌 드론 방제 사업 선정…국비 12억 확보"),
        ("바다시 해상풍력 주민설명회 열어", "바다시 해상풍력 주민설명회 열어 다음 달까지 의견 받는다"),
    ]:
        head = f'<meta property="og:title" content="{short}">'
        assert _parse(news_page(title=full, head=head)).title == full, short


def test_a_heading_box_with_a_subtitle_does_not_extend_the_og_title() -> None:
    for sub in ("- 1단계 1,200곳, 내년 2단계 착수 -", "주민 의견 반영해 노선 조정", "<span>▶</span> 시범 운행 3개월"):
        head = f'<meta property="og:title" content="{HEADLINE}">'
        html = news_page(title="x", head=head).replace(
            "<h1>x</h1>", f'<div class="article-title"><h2>{HEADLINE}</h2><p class="sub">{sub}</p></div>')
        assert _parse(html).title == HEADLINE, sub


def test_an_og_title_equal_to_the_heading_is_kept() -> None:
    head = f'<meta property="og:title" content="{HEADLINE}">'
    assert _parse(news_page(title=HEADLINE, head=head)).title == HEADLINE


# ---- a board or category name the site uses in its own menus is no headline

def test_a_heading_that_names_a_board_of_the_sites_menu_gives_way_to_the_post_headline() -> None:
    for board in ("시정홍보", "도정 브리핑", "언론보도 자료실"):
        html = _board(f"{board} | 한울도", f'<h4 class="bbs_title">{BOARD_HEADLINE}</h4>', section=board)
        html = html.replace('<li><a href="/b/2">공지사항</a></li>', f'<li><a href="/b/2">공지사항</a></li><li><a href="/b/3">{board}</a></li>')
        assert _parse(html).title == BOARD_HEADLINE, board


def test_a_breadcrumb_category_in_the_title_tag_is_no_headline() -> None:
    for crumb in ("지역경제", "사회·복지", "부산·울산·경남"):
        html = news_page(title="x", html_title=crumb).replace("<h1>x</h1>", f"<h3>{crumb}</h3><h2>{HEADLINE}</h2>")
        html = html.replace('<ul class="gnb">', f'<div class="location"><a href="/">홈</a> &gt; <a href="/s">{crumb}</a></div><ul class="gnb">')
        assert _parse(html).title == HEADLINE, crumb


def test_a_short_headline_that_is_no_menu_link_is_kept() -> None:
    for headline in ("새 시장 취임", "한파 경보 발령", "버스 파업 철회"):
        assert _parse(news_page(title=headline)).title == headline, headline


def test_a_board_subject_cell_is_the_headline_whatever_cell_labels_it() -> None:
    for row in (f'<tr><td class="label">제목</td><td class="val">{BOARD_HEADLINE}</td></tr>',
                f'<tr><th scope="row">제목</th><td colspan="3">{BOARD_HEADLINE}</td></tr>',
                f'<tr><td><b>제 목</b></td><td>{BOARD_HEADLINE}</td></tr>'):
        html = _board("한울도 &gt; 보도자료", f'<table class="view">{row}</table>')
        assert _parse(html).title == BOARD_HEADLINE, row


# ---- no meta title: a headline box that also holds the subtitle or the byline gives way to the heading in it

def test_a_headline_box_with_subtitle_or_byline_gives_way_to_the_heading_inside() -> None:
    boxes = [
        f'<div class="article-title"><h2>{HEADLINE}</h2><h3>- 시범 구간 4㎞, 내년 정식 운행 -</h3></div>',
        f'<div class="view_tit"><div class="crumb_path">전국 &gt; 영남</div><h3 class="h_tit">{HEADLINE}</h3>'
        '<p>시범 구간 4㎞…내년 정식 운행</p><div class="byl">정다운 기자 송고시간 2025-03-02 10:00</div></div>',
        f'<header class="entry-title-wrap"><div class="subject-line"><span>{HEADLINE}</span></div>'
        '<div class="sub-title">내년 정식 운행 목표</div></header>',
    ]
    for box in boxes:
        html = news_page(title="x", html_title="한빛뉴스").replace('<div class="article-head"><h1>x</h1>', f'<div class="article-head">{box}')
        assert _parse(html).title == HEADLINE, box
