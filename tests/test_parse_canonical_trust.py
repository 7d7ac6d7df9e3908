"""A page's rel=canonical keys its article only within the fetched URL's registrable domain (or the source's own
domains): a page on another host that claims a victim article's canonical URL becomes its own article, keyed by
the URL it was fetched from, with the claim in `claimed_canonical_url`; the victim's article is unchanged.

The hijack is played over real HTTP: public-looking names (www./m.victim-news.co.kr, www.attacker-news.co.kr)
resolve to the 127.0.0.1 test server (the crawler's one DNS entry point, `safety.resolve_host`, is replaced:
the only mock, for the internet), and the whole nightly job (Dagster, DuckDB, dbt) runs twice."""
from __future__ import annotations

import dagster as dg
import duckdb
import pytest

from pipelines import warehouse as wh
from pipelines.fetch import canonicalize_url, safety
from pipelines.parse import canonical
from pipelines.parse.canonical import canonical_is_trusted, registrable_domain
from pipelines.partitions import newest_news_day
from tests.support.http_server import html, serve
from tests.support.nights import nightly_job, urls_sources
from tests.support.pages import news_page

VICTIM_URL = "https://www.victim-news.co.kr/news/articleView.html?idxno=101"
CANONICAL_LINK = f'<link rel="canonical" href="{VICTIM_URL}">'
VICTIM_TITLE = "청주시, 스마트 횡단보도 40곳 설치"
VICTIM = [
    "청주시는 보행자 안전을 높이기 위해 올해 스마트 횡단보도 40곳을 새로 설치한다고 3일 밝혔다.",
    "사업에는 국비 12억 원과 시비 8억 원 등 모두 20억 원이 들어간다.",
    "스마트 횡단보도는 보행자를 감지해 바닥 신호등과 음성 안내를 자동으로 켜는 장치다.",
    "시는 설치를 마친 뒤 교통사고 자료를 분석해 효과를 점검할 계획이다.",
]
ATTACKER_TITLE = "청주시, 스마트 횡단보도 사업 전면 취소"
ATTACKER = [
    "청주시는 스마트 횡단보도 사업을 전면 취소하고 예산을 다른 곳에 쓰기로 했다고 3일 밝혔다.",
    "시는 국비 9,000억 원을 가상자산 업체와 함께 새 사업에 투입한다고 설명했다.",
    "이 업체는 시와 업무협약을 맺고 모든 교차로에 광고판을 세우기로 했다.",
    "시민단체는 이번 결정에 대해 충분한 설명이 없었다며 반발하고 있다.",
]
HOSTS = ("www.victim-news.co.kr", "m.victim-news.co.kr", "www.attacker-news.co.kr")


# ---------------------------------------------------------------- the rule

@pytest.mark.parametrize(("canonical_url", "fetched", "trusted"), [
    ("https://www.outlet.co.kr/news/1", "http://www.outlet.co.kr:8123/news/1", True),  # scheme and port do not matter
    ("https://www.outlet.co.kr/news/1", "https://m.outlet.co.kr/amp/1", True),  # an AMP / mobile twin folds
    ("https://outlet.co.kr/news/1", "https://print.outlet.co.kr/1", True),
    ("https://news.seoul.go.kr/a", "https://www.seoul.go.kr/b", True),  # go.kr is a public suffix
    ("https://www.busan.go.kr/a", "https://www.seoul.go.kr/b", False),  # …so two cities are two domains
    ("https://victim.co.kr/a", "https://attacker.co.kr/a", False),
    ("https://a.blogspot.com/p", "https://b.blogspot.com/p", False),  # private suffixes count too
    ("https://www.same-host.example/a", "http://www.same-host.example:9000/a", True),  # not in the list: last two labels
    ("https://victim.example/a", "http://attacker.example/a", False),
    ("javascript:alert(1)", "https://www.outlet.co.kr/1", False),
    ("https://victim.co.kr/a", None, True),  # an html_dir file: no fetched host
    ("https://victim.co.kr/a", "file:///srv/pages/a.html", True),
    ("https://victim.co.kr/a", "http://127.0.0.1:8000/a", True),  # this machine (a local mirror)
    ("https://victim.co.kr/a", "http://10.1.2.3/a", False),  # a private address is not this machine
])
def test_a_canonical_url_is_trusted_only_within_the_fetched_registrable_domain(canonical_url, fetched, trusted):
    assert canonical_is_trusted(canonical_url, fetched) is trusted


def test_a_source_s_own_domains_are_trusted_too():
    claim, fetched = "https://www.outlet.co.kr/news/7", "https://cdn.outlet-media.net/news/7"
    assert not canonical_is_trusted(claim, fetched)
    assert canonical_is_trusted(claim, fetched, source_domains=["outlet.co.kr"])
    assert not canonical_is_trusted("https://victim.co.kr/a", fetched, source_domains=["outlet.co.kr"])


def test_the_public_suffix_list_is_read_offline(monkeypatch):
    import tld.base

    def no_network(*args, **kwargs):
        raise AssertionError("the suffix list must not be downloaded")

    monkeypatch.setattr(tld.base, "urlopen", no_network)
    registrable_domain.cache_clear()
    assert registrable_domain("www.chungbuk.go.kr") == "chungbuk.go.kr"
    assert registrable_domain("m.news.co.kr") == "news.co.kr"
    assert registrable_domain("a.b.jeonbuk.kr") == "b.jeonbuk.kr"  # a province's own suffix
    registrable_domain.cache_clear()


def test_the_fallback_without_a_suffix_list(monkeypatch):
    monkeypatch.setattr(canonical, "_get_fld", None)
    registrable_domain.cache_clear()
    try:
        assert registrable_domain("www.outlet.co.kr") == "outlet.co.kr"
        assert registrable_domain("news.seoul.go.kr") == "seoul.go.kr"
        assert registrable_domain("a.b.jeonbuk.kr") == "jeonbuk.kr"  # coarser than the list: trusts more, never less
        assert registrable_domain("www.attacker.com") == "attacker.com"
        assert registrable_domain("localhost") == "localhost"
        assert registrable_domain("192.0.2.7") == "192.0.2.7"
    finally:
        registrable_domain.cache_clear()


# ---------------------------------------------------------------- the hijack, over HTTP

def _page(title: str, paragraphs: list[str]) -> str:
    return news_page(title, paragraphs, head=CANONICAL_LINK)


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hijack")
    mp = pytest.MonkeyPatch()

    async def fake_dns(host: str, port: int) -> list[str]:
        assert host in HOSTS, host
        return ["127.0.0.1"]

    mp.setattr(safety, "resolve_host", fake_dns)
    routes = {"/news/articleView.html?idxno=101": html(_page(VICTIM_TITLE, VICTIM)),
              "/amp/101": html(_page(VICTIM_TITLE, VICTIM).replace("<div id=\"header\">", "<div id=\"amp-header\">")),
              "/hijack/1": html(_page(ATTACKER_TITLE, ATTACKER))}
    try:
        with serve(routes) as srv:
            victim = f"http://www.victim-news.co.kr:{srv.port}/news/articleView.html?idxno=101"
            amp = f"http://m.victim-news.co.kr:{srv.port}/amp/101"
            attacker = f"http://www.attacker-news.co.kr:{srv.port}/hijack/1"
            sources, warehouse = tmp / "sources.yaml", tmp / "news.duckdb"
            instance = dg.DagsterInstance.ephemeral()
            out = {"attacker": attacker, "warehouse": warehouse}
            urls_sources(sources, [victim])
            job = nightly_job(sources, warehouse)
            out["night1"] = job.execute_in_process(instance=instance, partition_key=newest_news_day())
            out["before"] = _victim_rows(warehouse)
            urls_sources(sources, [victim, amp, attacker])  # the attacker's page is listed (and fetched) later
            out["night2"] = job.execute_in_process(instance=instance, partition_key=newest_news_day())
            out["after"] = _victim_rows(warehouse)
            yield out
    finally:
        mp.undo()


def _victim_rows(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        key = wh.article_key(VICTIM_URL)
        article = con.execute("select url, title, body, claimed_canonical_url from raw.articles where article_key = ?",
                              [key]).fetchall()
        mart = con.execute("select article_id, url, title, body, claimed_canonical_url from marts.dim_articles "
                           "where url = ?", [VICTIM_URL]).fetchall()
        budgets = con.execute("select amount_krw, funding_source from marts.fct_budgets b join marts.dim_articles a "
                              "using (article_id) where a.url = ? order by all", [VICTIM_URL]).fetchall()
    finally:
        con.close()
    return {"article": article, "mart": mart, "budgets": budgets}


@pytest.mark.e2e
def test_both_nights_succeed(nights):
    assert nights["night1"].success and nights["night2"].success


@pytest.mark.e2e
def test_the_victim_s_article_is_unchanged_by_the_hijacking_page(nights):
    before, after = nights["before"], nights["after"]
    assert len(after["article"]) == 1 and after["article"][0][1] == VICTIM_TITLE
    assert after["article"][0][3] is None
    assert after["mart"] == before["mart"] and after["mart"][0][2] == VICTIM_TITLE
    assert "9,000억" not in after["mart"][0][3]
    assert after["budgets"] == before["budgets"]
    assert (1_200_000_000, "national") in after["budgets"] and all(a < 10**11 for a, _ in after["budgets"])


@pytest.mark.e2e
def test_the_hijacking_page_is_its_own_article_keyed_by_its_fetched_url(nights):
    con = duckdb.connect(str(nights["warehouse"]), read_only=True)
    try:
        rows = con.execute("select url, title, claimed_canonical_url from marts.dim_articles "
                           "where claimed_canonical_url is not null").fetchall()
        amounts = con.execute("select amount_krw from marts.fct_budgets b join marts.dim_articles a using (article_id) "
                              "where a.claimed_canonical_url is not null").fetchall()
    finally:
        con.close()
    assert rows == [(canonicalize_url(nights["attacker"]), ATTACKER_TITLE, VICTIM_URL)]
    assert (900_000_000_000,) in amounts  # its facts stay with it


@pytest.mark.e2e
def test_an_amp_twin_on_the_same_registrable_domain_still_folds_into_the_article(nights):
    con = duckdb.connect(str(nights["warehouse"]), read_only=True)
    try:
        parses = con.execute("select p.url, pp.article_key from raw.page_parses pp join raw.pages p using (page_key) "
                             "order by p.url").fetchall()
        n_articles = con.execute("select count(*) from marts.dim_articles").fetchone()[0]
    finally:
        con.close()
    keys = {url.split(":")[1].lstrip("/"): key for url, key in parses}
    assert keys["m.victim-news.co.kr"] == keys["www.victim-news.co.kr"] == wh.article_key(VICTIM_URL)
    assert keys["www.attacker-news.co.kr"] != wh.article_key(VICTIM_URL)
    assert n_articles == 2
