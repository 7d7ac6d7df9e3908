"""A deterministic synthetic corpus of Korean news pages with known title, publish time and body.

``build_corpus(seed, per_layout)`` renders ArticleSpecs (random Korean paragraphs built from the
vocabulary below) through seven page layouts seen on Korean news and public-sector sites:

- ``ndsoft``    ND-soft ``articleView.html`` (itemprop=articleBody, 입력/수정 info list, photo table with
                ``▲`` caption, in-article ``광고``, copyright box, related list *with dates*, footer with a
                newspaper registration date). Some pages print the article twice (the print trap).
- ``wordpress`` WordPress / Newspaper theme (``<time class=entry-date>``, figures + figcaptions,
                ``- Advertisement -``, author box, related posts with dates, newsletter box).
- ``portal``    a portal page with JSON-LD NewsArticle only (no og:site_name), a summary box that repeats
                the first paragraph, a ``홍길동 기자 | 입력 …`` byline, ``<br><br>`` paragraphs, popular list.
- ``cityhall``  a city-hall 보도자료 board (제목/작성자/등록일 table, ``<title>`` with site-wide prefixes and
                suffixes, attachments, 이전글/다음글 with dates, outlet only in the copyright line).
- ``amp``       an AMP page (``amp-img``, ``amp-ad``, canonical pointing at the non-AMP URL).
- ``legacy``    a legacy table layout in EUC-KR (cp949 bytes), ``<font>`` text with ``<br><br>``;
                some pages are served with a lying ``charset=utf-8`` HTTP header.
- ``nodate``    an article page that states no publish time, with dated related/popular lists.
Every page carries traps: dated related lists, captions, credits, copyright lines, bylines.
Generated pages are written only to a temp dir or bench/out/ (git-ignored), never committed.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape
from pathlib import Path

from pipelines.basics import SEOUL

CITIES = ["천안시", "전주시", "세종시", "부산시", "대구시", "광주광역시", "수원시", "화성시", "청주시", "창원시", "김해시",
          "춘천시", "원주시", "포항시", "여수시", "순천시", "안양시", "고양시", "성남시", "제주도"]
AGENCIES = ["국토교통부", "과학기술정보통신부", "행정안전부", "한국토지주택공사", "국토교통과학기술진흥원",
            "정보통신산업진흥원", "한국지능정보사회진흥원", "산업통상자원부"]
COMPANIES = ["KT", "LG CNS", "네이버클라우드", "삼성SDS", "SK텔레콤", "카카오모빌리티", "현대오토에버", "한화시스템",
             "포스코DX", "LG유플러스", "이노와이어리스", "세림티에스지", "디토닉", "한컴위드"]
PROJECTS = ["스마트도시 조성사업", "디지털트윈 플랫폼 구축사업", "자율주행 실증사업", "AI 데이터센터 구축사업",
            "스마트 교통체계 고도화사업", "지능형 CCTV 통합관제 사업", "스마트 그린산단 조성사업",
            "도시데이터 허브 구축사업", "드론 실증도시 사업", "스마트 안전도시 사업", "AI 돌봄 서비스 실증사업"]
EVENTS = ["공모 선정", "업무협약 체결", "본격 추진", "착수보고회 개최", "실증 착수", "서비스 개시", "유치 도전", "협의체 출범"]
FEATURES = ["사물인터넷 센서", "빅데이터 분석", "인공지능 영상분석", "5G 통신망", "클라우드 기반 관제", "디지털트윈",
            "자율주행 셔틀", "스마트 가로등", "실시간 교통신호 제어", "에너지 관리 시스템"]
AREAS = ["원도심", "역세권 혁신지구", "산업단지", "신도시", "구도심 상가 일대", "대학가", "전통시장 주변", "관광지구"]
PEOPLE = [("김민수", "시장"), ("이영희", "국장"), ("박정호", "과장"), ("최수진", "대표"), ("정우성", "원장"), ("한지민", "본부장"),
          ("오세훈", "부시장"), ("윤서연", "센터장")]
REPORTERS = ["김선아", "최선경", "오윤경", "이도현", "박하늘", "정민재", "서지우", "강태호"]
OUTLETS = [("한빛뉴스", "hanbitnews.example"), ("미래일보", "miraeilbo.example"), ("도시경제신문", "dosieconomy.example"),
           ("스마트투데이", "smarttoday.example"), ("지역방송뉴스", "jiyeoknews.example"), ("테크저널", "techjournal.example")]
QUOTES = ["시민이 일상에서 변화를 체감할 수 있도록 사업을 차질 없이 추진하겠다",
          "이번 선정은 지역 혁신 역량을 인정받은 결과",
          "민간 기업과 긴밀히 협력해 새로운 성장 동력을 만들겠다",
          "데이터 기반 행정으로 도시 문제를 해결하는 모범 사례가 될 것",
          "안전하고 편리한 도시를 만드는 데 모든 역량을 집중하겠다"]
OTHER_TITLES = ["시립도서관, 겨울방학 독서교실 운영", "전통시장 온누리상품권 환급 행사 열려", "청년 창업지원센터 입주기업 모집",
                "어린이 교통안전 캠페인 전개", "지역 농산물 직거래 장터 개장", "노인복지관 건강체조 교실 인기",
                "하천 정화 봉사활동 실시", "문화예술회관 송년음악회 개최"]


def _sentence(rng: random.Random, city: str, project: str) -> str:
    partner = rng.choice(COMPANIES)
    agency = rng.choice(AGENCIES)
    n, m = rng.randint(3, 40) * 10, rng.randint(2, 30) * 10
    person, role = rng.choice(PEOPLE)
    templates = [
        f"{city}는 {rng.randint(1, 28)}일 {partner}와 {project} 추진을 위한 업무협약을 체결했다고 밝혔다.",
        f"이번 사업에는 국비 {n}억 원과 지방비 {m}억 원 등 총 {n + m}억 원이 투입된다.",
        f"{person} {city} {role}은 “{rng.choice(QUOTES)}”라고 말했다.",
        f"시는 {rng.randint(2026, 2030)}년까지 {project}을 단계적으로 확대할 계획이다.",
        f"사업의 핵심은 {rng.choice(FEATURES)}와 {rng.choice(FEATURES)}를 결합해 시민 체감형 서비스를 제공하는 것이다.",
        f"특히 {rng.choice(AREAS)} 일대에는 {rng.randint(10, 300)}개의 {rng.choice(FEATURES)} 장비가 설치돼 실시간으로 데이터를 수집한다.",
        f"{agency} 관계자는 “{rng.choice(QUOTES)}”라며 기대감을 나타냈다.",
        f"{city}는 지난해 {rng.randint(1, 12)}월 {agency}의 {rng.choice(PROJECTS)} 공모에 선정된 바 있다.",
        f"컨소시엄에는 {partner}, {rng.choice(COMPANIES)}, {rng.choice(COMPANIES)} 등 {rng.randint(3, 12)}개 기관이 참여한다.",
        f"시는 주민설명회를 열어 {rng.choice(AREAS)} 주민들의 의견을 수렴하고 서비스 설계에 반영하기로 했다.",
        f"{project}이 완료되면 교통 혼잡이 {rng.randint(5, 30)}% 줄고 응급 출동 시간도 단축될 것으로 예상된다.",
        f"{rng.choice(AGENCIES)}는 올해 하반기 성과 평가를 거쳐 추가 예산 지원 여부를 결정할 예정이다.",
    ]
    return rng.choice(templates)


@dataclass
class ArticleSpec:
    outlet: str
    host: str
    idx: str
    title: str
    published: datetime | None
    paragraphs: list[str]
    subheads: dict[int, str]
    reporter: str
    caption: str
    related: list[tuple[str, str]]
    dateline: bool
    duplicate: bool

    @property
    def body_parts(self) -> list[str]:
        out: list[str] = []
        for i, p in enumerate(self.paragraphs):
            if i in self.subheads:
                out.append(self.subheads[i])
            out.append(p)
        return out


@dataclass
class CorpusPage:
    name: str
    layout: str
    url: str
    content: bytes
    content_type: str | None
    title: str | None
    published: datetime | None
    body: str
    kind: str = "article"
    notes: list[str] = field(default_factory=list)


def make_spec(rng: random.Random, i: int, with_date: bool = True) -> ArticleSpec:
    outlet, host = rng.choice(OUTLETS)
    city, project = rng.choice(CITIES), rng.choice(PROJECTS)
    event = rng.choice(EVENTS)
    title = rng.choice([f"{city}, {project} {event}", f"“{rng.choice(QUOTES)[:18]}”…{city}, {project} {event}",
                        f"{city} {project}, {rng.choice(COMPANIES)}와 {event}"])
    paragraphs: list[str] = []
    used: set[str] = set()
    for _ in range(rng.randint(3, 9)):
        sentences = []
        for _ in range(rng.randint(1, 3)):
            s = _sentence(rng, city, project)
            if s not in used:
                used.add(s)
                sentences.append(s)
        if sentences:
            paragraphs.append(" ".join(sentences))
    heads = rng.sample([f"{f} 기반 {g}" for f in FEATURES for g in ("서비스 확대", "실증 본격화", "예산 확보", "협력 강화")], 2)
    slots = rng.sample(range(1, len(paragraphs)), k=min(len(paragraphs) - 1, rng.randint(0, 2))) if len(paragraphs) > 1 else []
    subheads = dict(zip(slots, heads))
    published = None
    if with_date:
        published = datetime(2023, 1, 1, 8, 0, tzinfo=SEOUL) + timedelta(minutes=rng.randint(0, 900 * 24 * 60))
    related = []
    for _ in range(rng.randint(3, 6)):
        d = datetime(2025, 12, 28, tzinfo=SEOUL) - timedelta(days=rng.randint(0, 30))
        related.append((rng.choice(OTHER_TITLES), d.strftime("%Y-%m-%d %H:%M")))
    return ArticleSpec(outlet, host, f"{i:05d}", title, published, paragraphs, subheads, rng.choice(REPORTERS),
                       f"{city} {rng.choice(AREAS)} 전경", related, rng.random() < 0.5, rng.random() < 0.3)


def _e(s: str) -> str:
    return escape(s, quote=True)


def _fmt(d: datetime, style: int) -> str:
    ampm = "오전" if d.hour < 12 else "오후"
    h12 = d.hour % 12 or 12
    return [f"입력 {d:%Y.%m.%d %H:%M}", f"기사입력 {d:%Y/%m/%d} [{d:%H:%M}]", f"기사승인 : {d:%Y-%m-%d %H:%M:%S}",
            f"등록 {d:%Y-%m-%d} {ampm} {h12}:{d:%M}", f"승인 {d:%Y.%m.%d %H:%M}"][style % 5]


def _related_html(spec: ArticleSpec, cls: str) -> str:
    items = "".join(f'<li><a href="/news/articleView.html?idxno=r{k}">{_e(t)}</a> <span class="date">{d}</span></li>'
                    for k, (t, d) in enumerate(spec.related))
    return f'<div class="{cls}"><h3>관련기사</h3><ul>{items}</ul></div>'


def _first(spec: ArticleSpec, p: str, tag: str) -> str:
    return f"[{tag}] {p}" if spec.dateline else p


def render_ndsoft(spec: ArticleSpec, rng: random.Random) -> str:
    d = spec.published
    info = ""
    if d is not None:
        info = f"<li><i class=\"icon-clock-o\"></i> {_fmt(d, rng.randint(0, 4))}</li><li>수정 {(d + timedelta(hours=5)):%Y.%m.%d %H:%M}</li>"
    parts = []
    for i, p in enumerate(spec.paragraphs):
        if i in spec.subheads:
            parts.append(f"<p><strong>{_e(spec.subheads[i])}</strong></p>")
        text = _first(spec, p, spec.outlet) if i == 0 else p
        parts.append(f'<p style="text-align: justify;"><span style="font-size:12pt;">{_e(text)}</span></p>')
        if i == 1:
            parts.append('<div class="ad-template"><span>광고</span><ins class="adsbygoogle"></ins></div>')
            parts.append(f'<table class="photo-layout"><tr><td><img src="/p/{spec.idx}.jpg"></td></tr>'
                         f'<tr><td class="photo-caption">▲ {_e(spec.caption)} /사진={_e(spec.outlet)} DB</td></tr></table>')
    body = "\n".join(parts)
    if spec.duplicate:
        body += "\n" + "\n".join(f"<p>{_e(p)}</p>" for p in spec.body_parts)
    jsonld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": spec.title,
              "datePublished": d.isoformat() if d and rng.random() < 0.4 else "", "dateModified": "",
              "publisher": {"@type": "Organization", "name": spec.outlet}}
    return f"""<!doctype html><html lang="ko"><head><meta charset="utf-8">
<title>{_e(spec.title)} - {_e(spec.outlet)}</title>
<link rel="canonical" href="https://www.{spec.host}/news/articleView.html?idxno={spec.idx}">
<meta property="og:type" content="article"><meta property="og:site_name" content="{_e(spec.outlet)}">
<meta property="og:title" content="{_e(spec.title)}">
<script type="application/ld+json">{json.dumps(jsonld, ensure_ascii=False)}</script></head>
<body><div id="user-wrap"><header id="user-header"><ul class="header-util"><li><a href="/member/login.html">로그인</a></li></ul>
<div class="today">{datetime(2025, 12, 28):%Y년 %m월 %d일}</div>
<nav id="user-nav"><ul><li><a href="/s1">정치</a></li><li><a href="/s2">경제</a></li></ul></nav></header>
<div id="user-container"><section id="article-view"><header class="article-view-header">
<h3 class="heading">{_e(spec.title)}</h3><ul class="infomation"><li>{_e(spec.reporter)} 기자</li>{info}</ul></header>
<div class="article-view-content"><article id="article-view-content-div" class="article-veiw-body view-page font-size17" itemprop="articleBody">
{body}
</article><div class="view-copyright">[저작권자ⓒ {_e(spec.outlet)}. 무단전재-재배포 금지]</div>
<div class="view-sns"><a href="#">페이스북</a><a href="#">트위터</a></div></div>
<section id="comment" class="article-comment"><h3>댓글 <span>0</span></h3></section></section>
<aside class="user-aside"><section id="skin-relation">{_related_html(spec, 'auto-list')}</section></aside></div>
<footer id="user-footer"><p>등록번호 : 서울 아00000 | 등록일자 : 2010.05.01 | 발행인 : 홍길동</p>
<p class="copyright">Copyright &copy; {_e(spec.outlet)}. All rights reserved.</p></footer></div></body></html>"""


def render_wordpress(spec: ArticleSpec, rng: random.Random) -> str:
    d = spec.published
    head_date = f'<meta property="article:published_time" content="{d.astimezone(SEOUL).isoformat()}" />' if d and rng.random() < 0.5 else ""
    time_el = f'<time class="entry-date updated td-module-date" datetime="{d.isoformat()}">{d.year}년 {d.month}월 {d.day}일</time>' if d else ""
    parts = []
    for i, p in enumerate(spec.paragraphs):
        if i in spec.subheads:
            parts.append(f"<h3>{_e(spec.subheads[i])}</h3>")
        parts.append(f"<p>{_e(_first(spec, p, spec.outlet) if i == 0 else p)}</p>")
        if i == 0:
            parts.append('<div class="td-a-rec td-a-rec-id-content_inline"><span class="td-adspot-title">- Advertisement -</span></div>')
        if i == 2:
            parts.append(f'<figure class="wp-block-image"><img src="/w/{spec.idx}.jpg"><figcaption>{_e(spec.caption)} (사진. {_e(spec.outlet)})</figcaption></figure>')
    parts.append(f"<p><strong>{_e(spec.reporter)} 기자</strong> <a href=\"mailto:news@{spec.host}\">news@{spec.host}</a></p>")
    related = "".join(f'<div class="td_module_flex"><h3 class="entry-title"><a href="/r{k}">{_e(t)}</a></h3>'
                      f'<time class="entry-date" datetime="{dd.replace(" ", "T")}:00+09:00">{dd[:10]}</time></div>'
                      for k, (t, dd) in enumerate(spec.related))
    return f"""<!doctype html><html lang="ko-KR"><head><meta charset="UTF-8" /><title>{_e(spec.title)} - {_e(spec.outlet)}</title>
<link rel="canonical" href="https://www.{spec.host}/{spec.idx}/" /><meta property="og:type" content="article" />
<meta property="og:title" content="{_e(spec.title)}" /><meta property="og:site_name" content="{_e(spec.outlet)}" />{head_date}
</head><body class="single single-post"><div id="td-outer-wrap"><div class="td-header-template-wrap"><ul class="tdb-menu"><li><a href="/c/news/">News</a></li><li><a href="/c/iiot/">IIoT</a></li></ul></div>
<article class="post type-post"><div class="td-pb-span8"><div class="tdb_single_date">{time_el}</div>
<div class="tdb_title"><h1 class="tdb-title-text">{_e(spec.title)}</h1></div>
<div class="tdb_single_post_share"><a href="#">Facebook</a><a href="#">Twitter</a></div>
<div class="tdb_single_content td-post-content"><div class="tdb-block-inner">
{chr(10).join(parts)}
</div></div>
<div class="tdb_single_author_box"><a class="tdb-author-name">{_e(spec.reporter)} 기자</a><div class="tdb-author-descr">{_e(spec.outlet)} 온라인 뉴스 에디터입니다. 보도자료는 이메일로 주세요.</div></div>
<div class="tdb_single_related"><h4>Related articles</h4>{related}</div></div>
<div class="td-pb-span4"><div class="tdm_block_newsletter"><h3>Join our Newsletter</h3><p>Get the latest news.</p></div></div></article>
<div class="td-footer-wrap"><p class="tdm-descr">Copyright &copy; {_e(spec.outlet)}. All rights reserved.</p></div></div></body></html>"""


def render_portal(spec: ArticleSpec, rng: random.Random) -> str:
    d = spec.published
    jsonld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": spec.title,
              "datePublished": d.isoformat() if d else "", "dateModified": (d + timedelta(days=1)).isoformat() if d else "",
              "publisher": {"@type": "NewsMediaOrganization", "name": spec.outlet}, "author": {"name": spec.reporter}}
    chunks = []
    for i, p in enumerate(spec.paragraphs):
        if i in spec.subheads:
            chunks.append(f"<b>{_e(spec.subheads[i])}</b>")
        chunks.append(_e(_first(spec, p, f"{spec.outlet}={spec.reporter} 기자") if i == 0 else p))
    popular = "".join(f'<li><a href="/p{k}"><span class="rank">{k + 1}</span>{_e(t)}</a><em>{dd}</em></li>'
                      for k, (t, dd) in enumerate(spec.related))
    byline = f"{_e(spec.reporter)} 기자 | 입력 {d:%Y-%m-%d %H:%M}" if d else f"{_e(spec.reporter)} 기자"
    return f"""<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>{_e(spec.title)} | {_e(spec.outlet)}</title>
<meta property="og:title" content="{_e(spec.title)} | {_e(spec.outlet)}"><meta property="og:url" content="https://news.{spec.host}/article/{spec.idx}">
<script type="application/ld+json">{json.dumps(jsonld, ensure_ascii=False)}</script></head>
<body><div id="wrap"><div id="gnb"><a href="/">홈</a><a href="/politics">정치</a><a href="/economy">경제</a></div>
<div id="container"><div class="article_head"><h2 class="title">{_e(spec.title)}</h2><p class="byline">{byline}</p></div>
<div class="summary_area"><strong>{_e(spec.paragraphs[0][:60])}</strong></div>
<div class="article_body" itemprop="articleBody">{'<br><br>'.join(chunks)}<br><br>
<div class="reporter_area">{_e(spec.reporter)} 기자 {_e(spec.reporter)}@{spec.host}</div></div>
<div class="copyright">ⓒ {_e(spec.outlet)}, 무단 전재 및 재배포 금지</div>
<div class="aside"><div class="popular_news"><h3>많이 본 뉴스</h3><ol>{popular}</ol></div></div></div>
<div id="footer"><p>Copyright © {_e(spec.outlet)} All Rights Reserved.</p></div></div></body></html>"""


def render_cityhall(spec: ArticleSpec, rng: random.Random) -> str:
    d = spec.published
    city = spec.title.split(",")[0].split(" ")[0].strip("“”")
    site = f"{rng.choice(CITIES)}청"
    rows = "".join(f"<p>{_e(p)}</p>" for p in spec.body_parts)
    prevnext = "".join(f'<li><span>{lbl}</span><a href="/board/view.do?id={k}">{_e(t)}</a><span class="date">{dd[:10]}</span></li>'
                       for k, (lbl, (t, dd)) in enumerate(zip(["이전글", "다음글"], spec.related)))
    date_row = f"<th>등록일</th><td>{d:%Y-%m-%d}</td>" if d else "<th>등록일</th><td></td>"
    return f"""<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8">
<title>{_e(spec.title)} &gt; 보도자료 &gt; 열린시정 &gt; {_e(site)}</title></head>
<body><div id="header"><div class="logo"><a href="/">{_e(site)}</a></div><ul class="gnb"><li><a href="/a">열린시정</a></li><li><a href="/b">분야별정보</a></li></ul></div>
<div id="container"><div class="lnb"><h2>열린시정</h2><ul><li><a href="/n">보도자료</a></li><li><a href="/m">공지사항</a></li></ul></div>
<div id="contents"><div class="location">홈 &gt; 열린시정 &gt; 보도자료</div><h3 class="page-title">보도자료</h3>
<table class="board_view"><caption>보도자료 상세보기</caption>
<tr><th scope="row">제목</th><td colspan="3">{_e(spec.title)}</td></tr>
<tr><th>작성자</th><td>스마트도시과</td>{date_row}</tr><tr><th>조회수</th><td>{rng.randint(10, 900)}</td><th>첨부</th><td><a href="/f/1.hwp">보도자료.hwp</a></td></tr>
<tr><td colspan="4" class="view_cont">{rows}</td></tr></table>
<ul class="board_prevnext">{prevnext}</ul>
<div class="satisfaction"><p>이 페이지에서 제공하는 정보에 대하여 만족하십니까?</p></div></div></div>
<div id="footer"><address>{_e(city)} 중앙로 100 (우) 00000 대표전화 000-000-0000</address>
<p class="copy">Copyright © {_e(site)}. All rights reserved.</p></div></body></html>"""


def render_amp(spec: ArticleSpec, rng: random.Random) -> str:
    d = spec.published
    jsonld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": spec.title,
              "datePublished": d.isoformat() if d else "", "publisher": {"@type": "Organization", "name": spec.outlet}}
    parts = []
    for i, p in enumerate(spec.paragraphs):
        if i in spec.subheads:
            parts.append(f"<h2>{_e(spec.subheads[i])}</h2>")
        parts.append(f"<p>{_e(p)}</p>")
        if i == 0:
            parts.append('<amp-ad width="300" height="250" type="adsense"></amp-ad>')
            parts.append(f'<figure><amp-img src="/a/{spec.idx}.jpg" width="600" height="400" layout="responsive"></amp-img><figcaption>{_e(spec.caption)}</figcaption></figure>')
    return f"""<!doctype html><html ⚡ lang="ko"><head><meta charset="utf-8"><title>{_e(spec.title)} : {_e(spec.outlet)}</title>
<link rel="canonical" href="https://www.{spec.host}/news/articleView.html?idxno={spec.idx}">
<meta property="og:site_name" content="{_e(spec.outlet)}"><meta property="og:title" content="{_e(spec.title)}">
<script type="application/ld+json">{json.dumps(jsonld, ensure_ascii=False)}</script><style amp-custom>body{{font-size:16px}}</style></head>
<body><header class="amp-header"><a href="/">{_e(spec.outlet)}</a></header><main><article>
<h1 class="amp-title">{_e(spec.title)}</h1><div class="amp-byline">{_e(spec.reporter)} 기자</div>
<div class="article-body">{''.join(parts)}</div>
<amp-social-share type="facebook"></amp-social-share><p class="amp-copyright">저작권자 © {_e(spec.outlet)} 무단전재 및 재배포 금지</p>
</article><section class="amp-related">{_related_html(spec, 'related-list')}</section></main></body></html>"""


def render_legacy(spec: ArticleSpec, rng: random.Random) -> str:
    d = spec.published
    date_line = _fmt(d, rng.choice([1, 3])) if d else ""
    text = "<br><br>".join(_e(_first(spec, p, spec.outlet) if i == 0 else p) if True else "" for i, p in enumerate(spec.body_parts))
    menu = "".join(f'<tr><td><a href="/list.php?code={k}">{n}</a></td></tr>' for k, n in enumerate(["정치", "경제", "사회", "지역", "오피니언"]))
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=euc-kr">
<title>{_e(spec.outlet)} :: {_e(spec.title)}</title></head><body>
<table width="980" border="0"><tr><td colspan="3"><img src="/img/top.gif"> <font size="2">{datetime(2025, 12, 28):%Y년 %m월 %d일}</font></td></tr>
<tr><td width="150" valign="top"><table>{menu}</table></td>
<td width="600" valign="top"><table width="100%"><tr><td class="news_title"><b>{_e(spec.title)}</b></td></tr>
<tr><td class="news_date"><font color="#666666">{_e(spec.reporter)} 기자 | {date_line}</font></td></tr>
<tr><td class="news_text"><font style="font-size:14px;line-height:160%">{text}</font></td></tr>
<tr><td><font size="2">ⓒ {_e(spec.outlet)} 무단전재 및 재배포금지</font></td></tr></table></td>
<td width="230" valign="top"><table class="right_news"><tr><td><b>많이 본 뉴스</b></td></tr>
{''.join(f'<tr><td><a href="/v/{k}">{_e(t)}</a> {dd[:10]}</td></tr>' for k, (t, dd) in enumerate(spec.related))}</table></td></tr>
<tr><td colspan="3" align="center"><font size="2">{_e(spec.outlet)} | 등록번호 : 경기 아00000 | 발행인 : 홍길동 | Copyright ⓒ {_e(spec.outlet)}</font></td></tr></table></body></html>"""


def render_list_page(rng: random.Random, k: int) -> tuple[str, str]:
    outlet, host = rng.choice(OUTLETS)
    items = "".join(
        f'<li><a href="/news/articleView.html?idxno=l{k}{j}"><strong>{_e(rng.choice(OTHER_TITLES))}</strong></a>'
        f'<p class="lead">{_e(_sentence(rng, rng.choice(CITIES), rng.choice(PROJECTS)))}</p><span class="byline">{rng.choice(REPORTERS)} 기자 | 2025-12-{rng.randint(1, 28):02d}</span></li>'
        for j in range(rng.randint(8, 15)))
    html_text = f"""<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>전체기사 - {_e(outlet)}</title>
<meta property="og:type" content="website"><meta property="og:site_name" content="{_e(outlet)}"></head><body>
<div id="gnb"><a href="/">홈</a></div><section class="article-list"><h2>전체기사</h2><ul class="type2">{items}</ul></section>
<div class="paging"><a href="?page=2">2</a></div><footer>Copyright © {_e(outlet)}</footer></body></html>"""
    return html_text, f"https://www.{host}/news/articleList.html?page={k}"


def render_error_page(rng: random.Random, k: int) -> tuple[str, str]:
    outlet, host = rng.choice(OUTLETS)
    msg = rng.choice(["삭제된 기사입니다.", "요청하신 페이지를 찾을 수 없습니다.", "존재하지 않는 기사입니다."])
    html_text = f"""<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>{_e(outlet)}</title></head><body>
<div id="gnb"><a href="/">홈</a><a href="/s">정치</a></div><div class="error-box"><h2>알림</h2><p>{msg}</p><a href="/">메인으로</a></div>
<footer>Copyright © {_e(outlet)}</footer></body></html>"""
    return html_text, f"https://www.{host}/news/articleView.html?idxno=gone{k}"


def render_login_page(rng: random.Random, k: int) -> tuple[str, str]:
    outlet, host = rng.choice(OUTLETS)
    html_text = f"""<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>로그인 | {_e(outlet)}</title></head><body>
<div class="member-login"><h2>회원 로그인</h2><form method="post"><input type="text" name="id"><input type="password" name="pw">
<button>로그인</button></form><p>회원이 되시면 다양한 서비스를 이용하실 수 있습니다.</p></div></body></html>"""
    return html_text, f"https://www.{host}/member/login.html?r={k}"


NOT_ARTICLE_LAYOUTS = {"list": render_list_page, "error": render_error_page, "login": render_login_page}

LAYOUTS = {"ndsoft": render_ndsoft, "wordpress": render_wordpress, "portal": render_portal,
           "cityhall": render_cityhall, "amp": render_amp, "legacy": render_legacy, "nodate": render_ndsoft}


def expected_body(spec: ArticleSpec) -> str:
    return "\n\n".join(spec.body_parts)


def build_corpus(seed: int = 20250620, per_layout: int = 32) -> list[CorpusPage]:
    """Render ``per_layout`` pages for each layout; the same seed gives the same bytes."""
    rng = random.Random(seed)
    pages: list[CorpusPage] = []
    for layout, render in LAYOUTS.items():
        for k in range(per_layout):
            spec = make_spec(rng, len(pages), with_date=layout != "nodate" and rng.random() > 0.06)
            html_text = render(spec, rng)
            url = f"https://www.{spec.host}/news/articleView.html?idxno={spec.idx}"
            content_type: str | None = "text/html; charset=utf-8"
            notes: list[str] = []
            if layout == "amp":
                url = f"https://www.{spec.host}/news/articleViewAmp.html?idxno={spec.idx}"
            if layout == "cityhall":
                url = f"https://www.example-city.go.kr/board/view.do?id={spec.idx}"
            if layout == "legacy":
                content = html_text.encode("cp949", errors="xmlcharrefreplace")
                content_type = "text/html; charset=utf-8" if k % 3 == 0 else ("text/html" if k % 3 == 1 else None)
                notes.append("lying-charset" if k % 3 == 0 else "euc-kr")
            else:
                content = html_text.encode("utf-8")
            if spec.duplicate and layout == "ndsoft":
                notes.append("printed-twice")
            published = spec.published
            if layout == "cityhall" and published is not None:
                published = published.replace(hour=0, minute=0, second=0)  # the board states the day only
            pages.append(CorpusPage(f"{layout}-{k:03d}", layout, url, content, content_type, spec.title,
                                    published, expected_body(spec), notes=notes))
    for layout, render_na in NOT_ARTICLE_LAYOUTS.items():
        for k in range(max(4, per_layout // 4)):
            html_text, url = render_na(rng, k)
            pages.append(CorpusPage(f"{layout}-{k:03d}", layout, url, html_text.encode("utf-8"), "text/html; charset=utf-8",
                                    None, None, "", kind="not_article"))
    return pages


def write_corpus(pages: list[CorpusPage], out_dir: Path) -> None:
    """Write pages and their expectations (for inspection; bench/out/ is git-ignored)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = []
    for p in pages:
        (out_dir / f"{p.name}.html").write_bytes(p.content)
        manifest.append({"name": p.name, "layout": p.layout, "url": p.url, "content_type": p.content_type,
                         "title": p.title, "published": p.published.isoformat() if p.published else None,
                         "kind": p.kind, "notes": p.notes})
    (out_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
