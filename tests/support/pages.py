"""Builders of small synthetic Korean news pages for the parser tests (our own sentences, no copied text)."""
from __future__ import annotations

from html import escape

PARAGRAPHS = [
    "세종시는 12일 도시데이터 통합플랫폼 구축을 위해 민간 통신사와 업무협약을 맺었다고 밝혔다.",
    "플랫폼은 교통, 환경, 안전 분야의 센서 자료를 한곳에 모아 실시간으로 분석하는 것이 핵심이다.",
    "시는 내년까지 국비 40억 원과 시비 20억 원을 들여 1단계 사업을 마무리할 계획이다.",
    "담당 국장은 “시민이 체감하는 변화를 가장 먼저 만들겠다”고 강조했다.",
    "협약에 따라 양 기관은 데이터 표준을 함께 정하고 분기마다 성과를 점검하기로 했다.",
]


def news_page(title: str = "세종시, 도시데이터 통합플랫폼 구축 협약", paragraphs: list[str] | None = None, *,
              head: str = "", header: str = "", after: str = "", aside: str = "", charset: str = "utf-8",
              body_attrs: str = 'class="article-body" itemprop="articleBody"', html_title: str | None = None,
              paragraph_html: str | None = None) -> str:
    """A plain article page: <head> extras, a header block (title + byline), the body, then extras."""
    paras = PARAGRAPHS if paragraphs is None else paragraphs
    inner = paragraph_html if paragraph_html is not None else "\n".join(f"<p>{escape(p)}</p>" for p in paras)
    return f"""<!doctype html><html lang="ko"><head><meta charset="{charset}">
<title>{escape(html_title if html_title is not None else title)}</title>{head}</head><body>
<div id="header"><ul class="gnb"><li><a href="/a">정치</a></li><li><a href="/b">경제</a></li></ul></div>
<div id="container"><div class="article-head"><h1>{escape(title)}</h1>{header}</div>
<div {body_attrs}>
{inner}
</div>{after}
<aside class="sidebar">{aside}</aside></div>
<div id="footer"><p>Copyright ⓒ 테스트일보. All rights reserved.</p></div></body></html>"""


def related_list(items: list[tuple[str, str]]) -> str:
    """A related-news list whose entries carry dates (the classic date trap)."""
    lis = "".join(f'<li><a href="/news/{k}">{escape(t)}</a><span class="date">{d}</span></li>' for k, (t, d) in enumerate(items))
    return f'<div class="related-news"><h3>관련기사</h3><ul>{lis}</ul></div>'


def body_text(paragraphs: list[str] | None = None) -> str:
    return "\n\n".join(PARAGRAPHS if paragraphs is None else paragraphs)
