"""Outlet name and canonical URL fallbacks."""
from __future__ import annotations

import json

from pipelines.parse import parse_page
from tests.support.pages import news_page

URL = "https://www.doshi.example/news/articleView.html?idxno=9"


def _page(html: str, url: str = URL):
    return parse_page(html.encode("utf-8"), url)


def test_outlet_from_og_site_name() -> None:
    assert _page(news_page(head='<meta property="og:site_name" content="도시경제신문">')).outlet == "도시경제신문"


def test_outlet_from_jsonld_publisher_reference() -> None:
    ld = {"@context": "https://schema.org", "@graph": [
        {"@type": "NewsArticle", "headline": "x", "publisher": {"@id": "https://www.doshi.example/#org"}},
        {"@type": "Organization", "@id": "https://www.doshi.example/#org", "name": "도시미디어"}]}
    html = news_page(head=f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>')
    assert _page(html).outlet == "도시미디어"


def test_outlet_from_copyright_line() -> None:
    assert _page(news_page()).outlet == "테스트일보"
    html = news_page().replace("Copyright ⓒ 테스트일보. All rights reserved.", "[저작권자ⓒ 새벽타임즈 무단전재-재배포 금지]")
    assert _page(html).outlet == "새벽타임즈"


def test_outlet_falls_back_to_host() -> None:
    html = news_page().replace("<p>Copyright ⓒ 테스트일보. All rights reserved.</p>", "")
    assert _page(html).outlet == "doshi.example"


def test_canonical_from_link_rel_absolutised() -> None:
    html = news_page(head='<link rel="canonical" href="/news/articleView.html?idxno=9">')
    assert _page(html, URL + "&utm_source=rss").canonical_url == URL


def test_canonical_falls_back_to_og_url_then_page_url() -> None:
    html = news_page(head='<meta property="og:url" content="https://m.doshi.example/article/9">')
    assert _page(html).canonical_url == "https://m.doshi.example/article/9"
    assert _page(news_page()).canonical_url == URL


def test_canonical_pointing_at_the_site_root_is_ignored() -> None:
    html = news_page(head='<link rel="canonical" href="https://www.doshi.example/">')
    assert _page(html).canonical_url == URL
