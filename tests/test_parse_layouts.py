"""Whole-page layouts from bench/corpus.py: each gives back the headline, the publish time and the body."""
from __future__ import annotations

import random
from datetime import datetime

import pytest

from bench.corpus import (ArticleSpec, build_corpus, expected_body, make_spec, render_amp, render_cityhall, render_legacy,
                          render_ndsoft, render_portal, render_wordpress)
from pipelines.parse import parse_page


def _spec(seed: int, with_date: bool = True) -> ArticleSpec:
    return make_spec(random.Random(seed), seed, with_date=with_date)


def _check(html: bytes, spec: ArticleSpec, url: str, content_type: str | None = None,
           published: datetime | None = None) -> None:
    page = parse_page(html, url, content_type)
    assert page.kind == "article"
    assert page.title == spec.title
    assert page.published_at == (published if published is not None else spec.published)
    assert page.body == expected_body(spec)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_wordpress_newspaper_theme(seed: int) -> None:
    spec = _spec(seed)
    _check(render_wordpress(spec, random.Random(seed)).encode(), spec, f"https://www.{spec.host}/{spec.idx}/")


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_jsonld_portal_page_with_summary_box(seed: int) -> None:
    spec = _spec(seed)
    page = parse_page(render_portal(spec, random.Random(seed)).encode(), f"https://news.{spec.host}/article/{spec.idx}")
    assert page.outlet == spec.outlet  # JSON-LD publisher only: no og:site_name
    assert page.canonical_url == f"https://news.{spec.host}/article/{spec.idx}"
    _check(render_portal(spec, random.Random(seed)).encode(), spec, f"https://news.{spec.host}/article/{spec.idx}")


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_amp_page_canonical_points_at_the_regular_page(seed: int) -> None:
    spec = _spec(seed)
    html = render_amp(spec, random.Random(seed)).encode()
    amp_url = f"https://www.{spec.host}/news/articleViewAmp.html?idxno={spec.idx}"
    _check(html, spec, amp_url)
    assert parse_page(html, amp_url).canonical_url == f"https://www.{spec.host}/news/articleView.html?idxno={spec.idx}"


@pytest.mark.parametrize("seed", [10, 11, 12])
def test_city_hall_press_release_board(seed: int) -> None:
    spec = _spec(seed)
    html = render_cityhall(spec, random.Random(seed)).encode()
    day = spec.published.replace(hour=0, minute=0, second=0) if spec.published else None
    _check(html, spec, f"https://www.example-city.go.kr/board/view.do?id={spec.idx}", published=day)
    assert parse_page(html, "https://www.example-city.go.kr/board/view.do?id=1").outlet.endswith("청")


@pytest.mark.parametrize("seed,content_type", [(13, "text/html; charset=utf-8"), (14, None), (15, "text/html")])
def test_legacy_euc_kr_table_layout(seed: int, content_type: str | None) -> None:
    spec = _spec(seed)
    html = render_legacy(spec, random.Random(seed)).encode("cp949", errors="xmlcharrefreplace")
    _check(html, spec, f"https://www.{spec.host}/news/read.php?no={spec.idx}", content_type)


@pytest.mark.parametrize("seed", [16, 17])
def test_ndsoft_article_without_a_date_has_none_despite_dated_lists(seed: int) -> None:
    spec = _spec(seed, with_date=False)
    _check(render_ndsoft(spec, random.Random(seed)).encode(), spec, f"https://www.{spec.host}/news/articleView.html?idxno=1")


def test_corpus_is_deterministic_and_covers_the_layouts() -> None:
    a, b = build_corpus(seed=5, per_layout=2), build_corpus(seed=5, per_layout=2)
    assert [p.content for p in a] == [p.content for p in b]
    assert {p.layout for p in a} >= {"ndsoft", "wordpress", "portal", "cityhall", "amp", "legacy", "list", "error", "login"}
