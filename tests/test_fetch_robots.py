"""robots.txt: what RFC 9309 says a crawler must honour, as `pipelines.fetch.robots` (protego) answers it,
and the fetch rules around the file (4xx, 5xx, unreachable, size cap, one fetch per origin) against a real
server on 127.0.0.1.

The matching tests ask `parse_robots(...).refusal(...)` directly (the same call the crawler makes before
every request); the fetch tests go through `fetch_all` and check what the server was (not) asked for.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.fetch import Discovered, FetchResult, fetch_all
from pipelines.fetch import crawler as crawler_mod
from pipelines.fetch.robots import MAX_CRAWL_DELAY_S, MAX_ROBOTS_BYTES, RobotsCache, parse_robots, product_token
from pipelines.sources.config import CrawlPolicy, Source, SourcesConfig
from tests.support.http_server import (
    fail_then, html, redirect, robots_txt, serve, text, unused_port,
)

UA = CrawlPolicy.user_agent  # the crawler's real User-Agent: "kr-smartcity-news/0.1 (+<project URL>)"
ORIGIN = "https://news.example.kr"
PAGE = "<!doctype html><html><head><title>스마트시티</title></head><body><p>본문</p></body></html>"


def allowed(rules: str | bytes, path: str, user_agent: str = UA) -> bool:
    body = rules.encode("utf-8") if isinstance(rules, str) else rules
    return parse_robots(ORIGIN, body, user_agent).refusal(ORIGIN + path, user_agent) is None


# ---------------------------------------------------------------- the issue's two rules

def test_star_and_dollar_patterns_from_the_issue() -> None:
    rules = "User-agent: *\nDisallow: /*?sort=\nDisallow: /news/*/print$\n"
    assert not allowed(rules, "/list?sort=date")
    assert not allowed(rules, "/news/123/print")
    assert allowed(rules, "/list?page=2")
    assert allowed(rules, "/list")
    assert allowed(rules, "/news/123/print/2")  # `$`: the URL must end right there
    assert allowed(rules, "/news/123/printable")
    assert allowed(rules, "/news/123")


def test_star_matches_any_run_of_characters_including_none_and_slashes() -> None:
    rules = "User-agent: *\nDisallow: /a*z\nDisallow: /*.pdf$\n"
    assert not allowed(rules, "/az")
    assert not allowed(rules, "/a/b/c/z")
    assert not allowed(rules, "/docs/2024/plan.pdf")
    assert allowed(rules, "/docs/2024/plan.pdf?download=1")  # the query is part of what `$` anchors
    assert allowed(rules, "/b/az")  # a pattern still matches from the start of the path


def test_rules_match_the_path_and_query_from_their_start_only() -> None:
    rules = "User-agent: *\nDisallow: /private\n"
    assert not allowed(rules, "/private")
    assert not allowed(rules, "/private-notes/1")  # a prefix, not a path segment
    assert allowed(rules, "/news/private")


# ---------------------------------------------------------------- precedence

@pytest.mark.parametrize("order", ["allow first", "disallow first"])
def test_the_longest_matching_rule_wins_whatever_its_place_in_the_file(order: str) -> None:
    lines = ["Allow: /news/public/", "Disallow: /news/"]
    if order == "disallow first":
        lines.reverse()
    rules = "User-agent: *\n" + "\n".join(lines) + "\n"
    assert allowed(rules, "/news/public/1")
    assert not allowed(rules, "/news/other/1")

    narrower = "User-agent: *\nDisallow: /news/private/\nAllow: /news/\n"
    assert allowed(narrower, "/news/1")
    assert not allowed(narrower, "/news/private/1")


@pytest.mark.parametrize("rules", [
    "User-agent: *\nAllow: /page\nDisallow: /page\n",
    "User-agent: *\nDisallow: /page\nAllow: /page\n",
    "User-agent: *\nDisallow: /*.html\nAllow: /news/*\n",  # two patterns of 7 octets both match
])
def test_an_equal_length_tie_between_allow_and_disallow_allows(rules: str) -> None:
    path = "/news/a.html" if "*" in rules else "/page"
    assert allowed(rules, path)


def test_an_empty_disallow_allows_everything_and_no_rule_matching_allows() -> None:
    assert allowed("User-agent: *\nDisallow:\n", "/anything")
    assert allowed("User-agent: *\nDisallow: /admin/\n", "/news/1")


def test_robots_txt_itself_is_always_allowed() -> None:
    assert allowed("User-agent: *\nDisallow: /\n", "/robots.txt")
    assert not allowed("User-agent: *\nDisallow: /\n", "/robots.txt.bak")


# ---------------------------------------------------------------- user-agent groups

def test_our_group_replaces_the_star_group_rather_than_adding_to_it() -> None:
    rules = ("User-agent: *\nDisallow: /private/\n\n"
             "User-agent: kr-smartcity-news\nDisallow: /members/\n")
    assert allowed(rules, "/private/1")
    assert not allowed(rules, "/members/1")
    # a crawler with another name gets the star group
    assert not allowed(rules, "/private/1", "otherbot/2.0")
    assert allowed(rules, "/members/1", "otherbot/2.0")


def test_group_names_match_our_product_token_case_insensitively() -> None:
    assert not allowed("User-agent: KR-SmartCity-News\nDisallow: /x\n", "/x")


def test_groups_naming_us_twice_are_combined_and_a_group_may_name_several_agents() -> None:
    rules = ("User-agent: kr-smartcity-news\nDisallow: /a\n\n"
             "User-agent: *\nDisallow: /b\n\n"
             "User-agent: somebot\nUser-agent: kr-smartcity-news\nDisallow: /c\n")
    assert not allowed(rules, "/a") and not allowed(rules, "/c")
    assert allowed(rules, "/b")


def test_only_another_crawlers_group_means_no_rules_for_us() -> None:
    assert allowed("User-agent: googlebot\nDisallow: /\n", "/news/1")


def test_groups_are_matched_against_the_product_token_not_the_rest_of_the_user_agent() -> None:
    user_agent = "kr-smartcity-news/0.1 (+https://example.org/about-our-crawler)"
    assert product_token(user_agent) == "kr-smartcity-news"
    # "example" appears in the User-Agent's comment: that group is not ours
    assert allowed("User-agent: example\nDisallow: /\n", "/news/1", user_agent)
    assert allowed("User-agent: 0.1\nDisallow: /\n", "/news/1", user_agent)
    assert not allowed("User-agent: kr-smartcity-news\nDisallow: /\n", "/news/1", user_agent)


def test_pinned_a_group_named_by_a_prefix_of_our_token_applies_to_us() -> None:
    """RFC 9309 matches the whole product token; protego 0.7.0 also takes a group whose name is a prefix
    of it ("kr-smartcity" for "kr-smartcity-news") when no group names us exactly. Kept: it can only
    make us obey a group the site wrote for a name like ours, and an exact group still wins."""
    assert not allowed("User-agent: *\nAllow: /\n\nUser-agent: kr-smartcity\nDisallow: /\n", "/x")
    assert allowed("User-agent: kr-smartcity\nDisallow: /\n\nUser-agent: kr-smartcity-news\nAllow: /\n", "/x")
    assert allowed("User-agent: smartcity-news\nDisallow: /\n", "/x")  # not at the token's start


def test_pinned_a_user_agent_line_with_a_version_is_not_our_group() -> None:
    """`User-agent: kr-smartcity-news/1.0` is not a product token (RFC 9309 2.2.1 allows letters, "-" and
    "_"); protego does not match it and we keep that: the star group applies."""
    rules = "User-agent: *\nDisallow: /star/\n\nUser-agent: kr-smartcity-news/1.0\nDisallow: /ours/\n"
    assert allowed(rules, "/ours/1")
    assert not allowed(rules, "/star/1")


# ---------------------------------------------------------------- paths: case and percent-encoding

def test_paths_are_case_sensitive() -> None:
    rules = "User-agent: *\nDisallow: /Private/\n"
    assert not allowed(rules, "/Private/1")
    assert allowed(rules, "/private/1")
    assert allowed(rules, "/PRIVATE/1")


@pytest.mark.parametrize("rule,path", [
    ("/~foo", "/%7Efoo"),
    ("/%7Efoo", "/~foo"),
    ("/%7efoo", "/~foo"),  # hex digits in either case
    ("/~foo", "/%7efoo"),
])
def test_an_encoded_unreserved_character_equals_the_character(rule: str, path: str) -> None:
    assert not allowed(f"User-agent: *\nDisallow: {rule}\n", path)


@pytest.mark.parametrize("rule,path", [
    ("/뉴스/", "/%EB%89%B4%EC%8A%A4/1"),
    ("/뉴스/", "/%eb%89%b4%ec%8a%a4/1"),
    ("/%EB%89%B4%EC%8A%A4/", "/뉴스/1"),
    ("/뉴스/", "/뉴스/1"),
])
def test_non_ascii_paths_compare_as_their_utf8_percent_encoding(rule: str, path: str) -> None:
    rules = f"User-agent: *\nDisallow: {rule}\n"
    assert not allowed(rules, path)
    assert allowed(rules, "/%EB%89%B4%EC%8A%A4")  # without the trailing slash the rule does not match


def test_an_encoded_slash_is_not_a_slash() -> None:
    rules = "User-agent: *\nDisallow: /a/b\n"
    assert not allowed(rules, "/a/b")
    assert allowed(rules, "/a%2Fb")


def test_pinned_other_encoded_reserved_characters_compare_equal_to_the_character() -> None:
    """RFC 9309 2.2.2 keeps reserved characters percent-encoded when comparing; protego 0.7.0 keeps only
    "/" so: `%3F` and `?`, `%3D` and `=` compare equal. Kept: a rule written for the query also covers
    a path that spells the same characters encoded, which only ever matches more, not less."""
    assert not allowed("User-agent: *\nDisallow: /list?sort=\n", "/list%3Fsort=date")
    assert not allowed("User-agent: *\nDisallow: /a=b\n", "/a%3Db")


# ---------------------------------------------------------------- the file's text

def test_bom_crlf_comments_and_unknown_lines_are_read_as_the_rfc_says() -> None:
    rules = ("\ufeffUser-agent: *   # everyone\r\n"
             "Disallow: /tmp/ # scratch\r\n"
             "Noindex: /whatever\r\n"
             "Disallow: /cgi-bin/\r\n").encode("utf-8")
    assert not allowed(rules, "/tmp/1")  # the BOM does not hide the first group line
    assert not allowed(rules, "/cgi-bin/x")
    assert allowed(rules, "/whatever")


def test_invalid_utf8_does_not_break_the_other_lines() -> None:
    rules = b"User-agent: *\nDisallow: /\xff\xfe/\nDisallow: /admin/\n"
    assert not allowed(rules, "/admin/1")
    assert allowed(rules, "/news/1")


def test_crawl_delay_is_read_for_our_group_and_capped() -> None:
    assert parse_robots(ORIGIN, b"User-agent: *\nCrawl-delay: 2.5\n", UA).crawl_delay_s == 2.5
    assert parse_robots(ORIGIN, b"User-agent: *\nCrawl-delay: 600\n", UA).crawl_delay_s == MAX_CRAWL_DELAY_S
    assert parse_robots(ORIGIN, b"User-agent: otherbot\nCrawl-delay: 5\n", UA).crawl_delay_s is None
    assert parse_robots(ORIGIN, b"User-agent: *\nCrawl-delay: soon\n", UA).crawl_delay_s is None


# ---------------------------------------------------------------- fetch rules, against a real server

FAST = dict(allow_private_hosts=True, min_delay_s=0.0, timeout_s=2.0, max_retries=0,
            respect_robots_txt=True, max_bytes=1_000_000)


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crawler_mod, "BACKOFF_BASE_S", 0.05)


def fetch(urls: list[str], robots: RobotsCache | None = None, **overrides: object) -> list[FetchResult]:
    policy = CrawlPolicy(**{**FAST, **overrides})  # type: ignore[arg-type]
    source = Source(name="web", kind="urls", policy=policy, urls=("http://placeholder.invalid/",))
    config = SourcesConfig(path=Path(__file__), defaults=policy, sources=(source,))
    return fetch_all([Discovered("web", u) for u in urls], config, robots=robots)


def pages(*paths: str) -> dict:
    return {p: html(PAGE) for p in paths}


def test_the_crawler_obeys_wildcard_rules_and_never_requests_what_they_refuse() -> None:
    routes = {"/robots.txt": robots_txt("User-agent: *\nDisallow: /*?sort=\nDisallow: /news/*/print$\n"),
              **pages("/list", "/news/123/print", "/news/123")}
    with serve(routes) as srv:
        paths = ["/list?sort=date", "/news/123/print", "/news/123", "/list?page=2"]
        out = fetch([srv.url(p) for p in paths])
        assert srv.count("/news/123/print") == 0
        assert [r.path for r in srv.requests_for("/list")] == ["/list?page=2"]
    assert [r.outcome for r in out] == ["robots_disallowed", "robots_disallowed", "ok", "ok"]
    assert out[0].error == f"robots.txt disallows {srv.url('/list?sort=date')} for kr-smartcity-news"


def test_the_crawler_picks_the_group_by_its_product_token() -> None:
    rules = ("User-agent: *\nDisallow: /\n\n"
             "User-agent: kr-smartcity-news\nDisallow: /members/\n\n"
             "User-agent: example\nDisallow: /news/\n")
    with serve({"/robots.txt": robots_txt(rules), **pages("/news/1", "/members/1")}) as srv:
        news, members = fetch([srv.url("/news/1"), srv.url("/members/1")],
                              user_agent="kr-smartcity-news/0.1 (+https://example.org/bot)")
        assert srv.requests_for("/news/1")[0].headers["user-agent"].startswith("kr-smartcity-news/0.1")
    assert news.outcome == "ok" and members.outcome == "robots_disallowed"


@pytest.mark.parametrize("status", [401, 403, 404, 410])
def test_a_robots_txt_client_error_allows_everything(status: int) -> None:
    routes = {"/robots.txt": robots_txt("User-agent: *\nDisallow: /\n", status=status), **pages("/news/1")}
    with serve(routes) as srv:
        res = fetch([srv.url("/news/1")])[0]
        assert srv.count("/robots.txt") == 1 and srv.count("/news/1") == 1
    assert res.outcome == "ok"


@pytest.mark.parametrize("status", [500, 503, 429])
def test_a_robots_txt_server_error_disallows_the_whole_origin_for_the_run(status: int) -> None:
    routes = {"/robots.txt": text("busy", "text/plain", status=status), **pages("/news/1", "/news/2")}
    with serve(routes) as srv:
        out = fetch([srv.url("/news/1"), srv.url("/news/2")])
        assert srv.count("/news/1") == srv.count("/news/2") == 0
        assert srv.count("/robots.txt") == 1
    assert [r.outcome for r in out] == ["robots_disallowed"] * 2
    assert out[0].error == f"robots.txt unreachable (HTTP {status}); RFC 9309: treated as disallow all"


def test_a_robots_txt_server_error_is_retried_like_a_page_before_it_counts() -> None:
    routes = {"/robots.txt": fail_then(1, status=503, then=robots_txt("User-agent: *\nDisallow: /x/\n")),
              **pages("/news/1")}
    with serve(routes) as srv:
        res = fetch([srv.url("/news/1")], max_retries=1)[0]
        assert srv.count("/robots.txt") == 2
    assert res.outcome == "ok"


def test_an_unreachable_host_gives_the_page_the_network_outcome_of_the_robots_fetch() -> None:
    url = f"http://127.0.0.1:{unused_port()}/news/1"
    res = fetch([url])[0]
    assert res.outcome == "connection_error"
    assert (res.error or "").startswith("robots.txt: ")


def test_a_robots_txt_within_the_size_cap_is_read_to_its_last_line() -> None:
    head = "User-agent: *\n"
    tail = "Disallow: /news/\n"
    filler = "# padding\n" * ((MAX_ROBOTS_BYTES - len(head) - len(tail) - 100) // 10)
    body = head + filler + tail
    assert MAX_ROBOTS_BYTES - 200 < len(body) <= MAX_ROBOTS_BYTES
    with serve({"/robots.txt": robots_txt(body), **pages("/news/1")}) as srv:
        res = fetch([srv.url("/news/1")])[0]
        assert srv.count("/news/1") == 0
    assert res.outcome == "robots_disallowed"


def test_a_robots_txt_over_the_size_cap_is_treated_as_unavailable_and_allows_everything() -> None:
    body = "User-agent: *\nDisallow: /\n" + "# padding\n" * (MAX_ROBOTS_BYTES // 10 + 10)
    assert len(body) > MAX_ROBOTS_BYTES
    with serve({"/robots.txt": robots_txt(body), **pages("/news/1")}) as srv:
        res = fetch([srv.url("/news/1")])[0]
        assert srv.count("/news/1") == 1
    assert res.outcome == "ok"


def test_a_redirected_robots_txt_is_followed() -> None:
    routes = {"/robots.txt": redirect("/files/robots.txt", 301),
              "/files/robots.txt": robots_txt("User-agent: *\nDisallow: /news/\n"), **pages("/news/1")}
    with serve(routes) as srv:
        res = fetch([srv.url("/news/1")])[0]
        assert srv.count("/files/robots.txt") == 1 and srv.count("/news/1") == 0
    assert res.outcome == "robots_disallowed"


def test_one_cache_fetches_each_origins_robots_txt_once_across_calls() -> None:
    routes = {"/robots.txt": robots_txt("User-agent: *\nDisallow: /private/\n"),
              **pages("/news/1", "/news/2", "/news/3", "/private/1")}
    with serve(routes) as srv, serve({"/robots.txt": robots_txt("User-agent: *\nAllow: /\n"),
                                      **pages("/private/1")}) as other:
        cache = RobotsCache()
        first = fetch([srv.url("/news/1"), srv.url("/private/1"), other.url("/private/1")], robots=cache,
                      per_host_concurrency=4)
        second = fetch([srv.url("/news/2"), srv.url("/news/3")], robots=cache)
        assert srv.count("/robots.txt") == 1 and other.count("/robots.txt") == 1 and cache.fetches == 2
        fetch([srv.url("/news/1")])  # without the shared cache, a call fetches the file again
        assert srv.count("/robots.txt") == 2
    assert [r.outcome for r in first] == ["ok", "robots_disallowed", "ok"]
    assert [r.outcome for r in second] == ["ok", "ok"]


def test_pinned_protego_extensions_index_html_and_misspelled_directives() -> None:
    """Not in RFC 9309, kept from protego 0.7.0: `Allow: /dir/index.html` also allows `/dir/` itself, and
    a misspelled `Dissallow` is read as `Disallow`."""
    rules = "User-agent: *\nDisallow: /dir/\nAllow: /dir/index.html\nDissallow: /old/\n"
    assert allowed(rules, "/dir/")
    assert allowed(rules, "/dir/index.html")
    assert not allowed(rules, "/dir/other.html")
    assert not allowed(rules, "/old/1")
