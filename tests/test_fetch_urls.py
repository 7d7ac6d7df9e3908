"""URL rules: what is fetched (clean_url) and which spellings are one article (canonicalize_url)."""
from __future__ import annotations

import pytest

from pipelines.fetch import canonicalize_url, clean_url
from pipelines.fetch.urls import is_fetchable


@pytest.mark.parametrize(("variant", "expected"), [
    ("HTTPS://News.Example.KR/article/77", "https://news.example.kr/article/77"),
    ("https://news.example.kr:443/article/77#comments", "https://news.example.kr/article/77"),
    ("http://news.example.kr:80", "http://news.example.kr/"),
    ("https://news.example.kr/article/77?utm_source=naver&utm_medium=news", "https://news.example.kr/article/77"),
    ("https://news.example.kr/view?id=5&fbclid=IwAR0x&gclid=abc&page=2",
     "https://news.example.kr/view?id=5&page=2"),
])
def test_clean_url_drops_noise_but_keeps_the_request(variant: str, expected: str) -> None:
    assert clean_url(variant) == expected


def test_clean_url_keeps_parameter_order_and_escaping() -> None:
    url = "https://news.example.kr/search?q=%ED%95%9C&z=1&a=2"
    assert clean_url(url) == url


def test_canonical_form_sorts_parameters_and_normalises_escapes() -> None:
    a = canonicalize_url("https://news.example.kr/view.html?idxno=12&sc=%ed%95%9c")
    b = canonicalize_url("https://news.example.kr/view.html?sc=%ED%95%9C&idxno=12&utm_campaign=x")
    assert a == b == "https://news.example.kr/view.html?idxno=12&sc=%ED%95%9C"


@pytest.mark.parametrize("variant", [
    "https://m.news.example.kr/news/articleView.html?idxno=4021",
    "https://mobile.news.example.kr/news/articleView.html?idxno=4021",
    "https://www.news.example.kr/news/articleViewAmp.html?idxno=4021",
    "https://www.news.example.kr/news/articleView.html?idxno=4021&amp=1",
    "https://www.news.example.kr/news/articleView.html?outputType=amp&idxno=4021",
    "https://www.news.example.kr/news/articleView.html?idxno=4021#section-2",
])
def test_mobile_and_amp_variants_fold_to_one_article(variant: str) -> None:
    assert canonicalize_url(variant) == "https://www.news.example.kr/news/articleView.html?idxno=4021"


@pytest.mark.parametrize(("variant", "expected"), [
    ("https://www.city.example.com/amp/2024/05/smart-city", "https://www.city.example.com/2024/05/smart-city"),
    ("https://www.city.example.com/2024/05/smart-city/amp", "https://www.city.example.com/2024/05/smart-city"),
    ("https://www.city.example.com/2024/05/smart-city/amp/", "https://www.city.example.com/2024/05/smart-city/"),
    ("https://www.city.example.com/story/123.amp.html", "https://www.city.example.com/story/123.html"),
])
def test_amp_paths_fold(variant: str, expected: str) -> None:
    assert canonicalize_url(variant) == expected


@pytest.mark.parametrize("url", [
    "https://m.co.kr/news/1",  # folding would leave only a public suffix
    "https://www.example.kr/camp/ramp.html",  # 'amp' inside words is not an AMP marker
    "https://www.example.kr/news?amplitude=2&id=3",
])
def test_things_that_only_look_like_variants_stay(url: str) -> None:
    assert canonicalize_url(url) == url


def test_different_articles_stay_different() -> None:
    assert canonicalize_url("https://www.example.kr/v?idxno=1") != canonicalize_url("https://www.example.kr/v?idxno=2")
    assert canonicalize_url("https://www.example.kr/a") != canonicalize_url("https://www.example.kr/a/")


def test_non_http_urls_pass_through_unchanged() -> None:
    assert canonicalize_url(" file:///data/pages/a.html ") == "file:///data/pages/a.html"
    assert not is_fetchable("file:///data/pages/a.html") and not is_fetchable("javascript:alert(1)")
    assert is_fetchable("https://news.example.kr/") and not is_fetchable("https:///nohost")
