"""One absurd value never fails the night (issue "Nothing stops the night", items 1 and 2).

* Extraction decides plausibility (pipelines/extract/plausibility.py): absurd amounts and years are kept in raw
  with their reason and never become facts.
* The loader stores any HUGEINT amount (it used to overflow Arrow's int64 and kill the whole batch).
* An article whose mentions cannot be stored costs only itself: the rest of its batch lands, the reason is in
  raw.extract_errors.
* Content-plausibility dbt tests warn; a failing key/vocabulary test (severity error) is reported as failed, the
  marts are still built and published, and the console summary counts it.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import dagster as dg
import duckdb
import pytest

from pipelines import warehouse as wh
from pipelines.extract import EXTRACTOR_VERSION, extract_article
from pipelines.extract.plausibility import MAX_PROJECT_KRW
from pipelines.partitions import newest_news_day
from tests.support.http_server import html, serve
from tests.support.nights import nightly_job, urls_sources
from tests.support.paths import REPO

SEOUL = timezone(timedelta(hours=9))
PUB = datetime(2026, 3, 10, 9, 0, tzinfo=SEOUL)


# ---------------------------------------------------------------- extraction decides


@pytest.mark.parametrize("sentence", [
    "국비 9,999조 원, 시비 99,999,999조 원 등 총 1경 원이 투입된다.",
    "이 사업에는 정부 예산 5000조원이 들어간다.",
    "도비 12,345조 원을 확보했다고 밝혔다.",
])
def test_absurd_amounts_are_kept_with_their_reason_and_are_never_budgets(sentence):
    money = extract_article(sentence, PUB).money
    assert money
    for m in money:
        assert m.amount_krw is None or m.amount_krw > MAX_PROJECT_KRW
        assert m.is_budget is False
        assert m.reject_reason.startswith("implausible_amount")


def test_an_amount_too_large_for_any_number_column_keeps_only_its_text():
    m = extract_article("시비 99,999,999조 원을 편성했다.", PUB).money[0]
    assert m.amount_krw is None and "99,999,999조" in m.surface and "too large" in m.reject_reason


@pytest.mark.parametrize("sentence", [
    "1900년 3월 협약을 체결했다.",
    "양 기관은 2090년 개소를 목표로 한다.",
    "시는 1950년 5월 10일 업무협약을 맺었다.",
])
def test_years_far_from_publication_do_not_date_events(sentence):
    dates = extract_article(sentence, PUB).dates
    assert dates and all(d.reject_reason and d.reject_reason.startswith("implausible_year") for d in dates)


@pytest.mark.parametrize("sentence", [
    "국비 160억 원을 확보했다.",
    "2027년 6월 개소를 목표로 한다.",
    "지난해 3월 협약을 체결했다.",
])
def test_ordinary_values_pass_untouched(sentence):
    mentions = extract_article(sentence, PUB)
    assert all(m.reject_reason is None for m in mentions.money)
    assert all(d.reject_reason is None for d in mentions.dates)


# ---------------------------------------------------------------- the loader and per-article isolation


def _article(con, key: str, body: str) -> dict:
    row = {"article_key": key, "body_hash": wh.sha256_hex(body), "published_at": PUB}
    return row


def test_hugeint_amounts_load_without_overflow(tmp_path):
    con = wh.connect(tmp_path / "news.duckdb")
    art = _article(con, "a1", "x")
    mentions = extract_article("국비 9,999조 원, 시비 99,999,999조 원 등 총 1경 원이 투입된다.", PUB)
    mentions.money[0].amount_krw = 10**30  # beyond int64: the loader must keep it exactly
    wh.record_mentions(con, EXTRACTOR_VERSION, [(art, mentions)])
    got = con.execute("select amount_krw from raw.money_mentions where article_key='a1' order by mention_no").fetchall()
    assert got[0][0] == 10**30
    con.close()


def test_an_article_whose_mentions_cannot_be_stored_costs_only_itself(tmp_path):
    con = wh.connect(tmp_path / "news.duckdb")
    good = [(_article(con, f"good{i}", f"b{i}"), extract_article("국비 160억 원을 확보했다.", PUB)) for i in range(3)]
    bad_mentions = extract_article("국비 160억 원을 확보했다.", PUB)
    bad_mentions.money[0].amount_krw = 10**40  # more digits than HUGEINT holds
    bad = (_article(con, "bad", "bad body"), bad_mentions)
    failures: list = []
    counts = wh.record_mentions(con, EXTRACTOR_VERSION, [good[0], bad, good[1], good[2]], failures=failures)
    assert counts["money_mentions"] == 3
    assert [a["article_key"] for a, _ in failures] == ["bad"]
    assert con.execute("select count(distinct article_key) from raw.money_mentions").fetchone()[0] == 3
    err = con.execute("select article_key, error from raw.extract_errors").fetchall()
    assert err[0][0] == "bad" and "could not be stored" in err[0][1]
    con.close()


# ---------------------------------------------------------------- whole nights


def page(title: str, body: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n"))
    return (f'<html><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="article:published_time" content="2026-03-10T09:00:00+09:00"></head>'
            f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>").encode()


HOSTILE = page("스마트시티 예산 폭탄 기사", "\n".join([
    "가상시는 스마트시티 조성사업에 국비 9,999조 원, 시비 99,999,999조 원 등 총 1경 원을 투입한다고 밝혔다.",
    "시는 1900년 3월 정부와 업무협약을 체결했다고 설명했다.",
    "사업은 2027년 완료를 목표로 추진된다.",
]))
NORMAL = page("나라시 스마트도시 국비 확보", "\n".join([
    "나라시는 거점형 스마트도시 조성사업에 선정돼 국비 160억 원을 확보했다고 10일 밝혔다.",
    "시는 시비 160억 원을 더해 총 320억 원을 투입한다.",
    "나라시와 한빛통신은 이날 업무협약을 체결했다.",
]))


@pytest.fixture(scope="module")
def hostile_night(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    with serve({"/hostile": html(HOSTILE), "/normal": html(NORMAL)}) as srv:
        sources = urls_sources(tmp / "sources.yaml", [srv.url("/hostile"), srv.url("/normal")])
        warehouse = tmp / "news.duckdb"
        result = nightly_job(sources, warehouse).execute_in_process(
            instance=dg.DagsterInstance.ephemeral(), partition_key=newest_news_day(), raise_on_error=False)
        yield {"tmp": tmp, "warehouse": warehouse, "sources": sources, "result": result}


@pytest.mark.e2e
def test_a_night_with_absurd_values_succeeds_and_keeps_every_other_fact(hostile_night):
    result, warehouse = hostile_night["result"], hostile_night["warehouse"]
    assert result.success
    failed = [c for c in result.get_asset_check_evaluations() if not c.passed
              and getattr(c.severity, "value", c.severity) == "ERROR"]
    assert failed == []
    con = duckdb.connect(str(warehouse), read_only=True)
    budgets = con.execute("select b.amount_krw, b.funding_source from marts.fct_budgets b join marts.dim_articles a "
                          "using (article_id) where a.url like '%/normal'").fetchall()
    assert (16_000_000_000, "national") in budgets
    assert con.execute("select max(amount_krw) from marts.fct_budgets").fetchone()[0] <= MAX_PROJECT_KRW
    rejected = con.execute("select count(*) from raw.money_mentions where reject_reason like 'implausible_amount%'"
                           ).fetchone()[0]
    assert rejected == 3
    assert con.execute("select count(*) from raw.date_mentions where reject_reason like 'implausible_year%'"
                       ).fetchone()[0] == 1
    assert con.execute("select count(*) from marts.fct_events where year(event_date) < 1990").fetchone()[0] == 0
    con.close()
    assert (warehouse.parent / "published" / "news.duckdb").exists()


@pytest.mark.e2e
def test_a_failing_error_test_is_counted_and_the_marts_are_still_published(hostile_night, tmp_path):
    """Rows an older extractor left behind (no plausibility, a role outside the vocabulary) reach dbt: the
    content check warns, the vocabulary check (severity error) fails, the night reports both honestly and the
    marts are built and published all the same."""
    warehouse = tmp_path / "news.duckdb"
    shutil.copy(hostile_night["warehouse"], warehouse)
    con = duckdb.connect(str(warehouse))
    key = con.execute("select article_key from raw.articles limit 1").fetchone()[0]
    con.execute("insert into raw.date_mentions (article_key, sentence_no, mention_no, date_text, year, month) "
                "values (?, 0, 99, '1899년 1월', 1899, 1)", [key])
    con.execute("insert into raw.event_mentions (article_key, sentence_no, mention_no, event_type, trigger, "
                "date_mention_no) values (?, 0, 99, 'agreement_signed', '협약을 체결', 99)", [key])
    con.execute("insert into raw.partnership_mentions values (?, 0, 99, 'agreement', null, '나라시', 'bogus_role')",
                [key])
    con.close()
    published = warehouse.parent / "published" / "news.duckdb"
    assert not published.exists()
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")
    env = dict(os.environ, NEWS_SOURCES=str(hostile_night["sources"]), NEWS_WAREHOUSE=str(warehouse),
               DAGSTER_HOME=str(home))
    proc = subprocess.run([sys.executable, "-m", "pipelines.cli", "run"], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out[-3000:]
    assert "check(s) of severity error failed; the marts were built and published" in out
    assert "1 failed" in out and "accepted_values_fct_partnerships_role" in out
    assert "assert_event_dates_near_publication (WARN)" in out
    assert published.exists()
    con = duckdb.connect(str(published), read_only=True)
    assert con.execute("select count(*) from marts.fct_partnerships where role = 'bogus_role'").fetchone()[0] == 1
    con.close()


# ---------------------------------------------------------------- a time budget per article


def _land_article(con, key: str, body: str) -> None:
    now = datetime.now(timezone.utc)
    wh.insert_rows(con, "articles", [{
        "article_key": key, "url": f"https://news.example/{key}", "page_key": key, "source_name": "t",
        "fetched_url": f"https://news.example/{key}", "title": key, "published_at": PUB, "body": body,
        "body_hash": wh.sha256_hex(body), "fetched_at": now, "parser_version": "t", "parsed_at": now}])


def test_an_article_over_its_time_budget_costs_only_itself(tmp_path, monkeypatch):
    from pipelines import stages

    monkeypatch.setenv("NEWS_EXTRACT_ITEM_SECONDS", "1")
    con = wh.connect(tmp_path / "news.duckdb")
    _land_article(con, "short", "가나시는 국비 160억 원을 확보했다고 밝혔다.")
    # thousands of money sentences, each different: seconds of work, far over a one-second budget
    _land_article(con, "huge", "\n".join(f"{i}번째 사업에 국비 {i}억 원과 시비 {i + 1}억 원을 투입한다." for i in range(1, 6000)))
    _land_article(con, "short2", "다라군은 도비 20억 원을 지원받는다.")
    report = stages.extract_stage(con)
    assert report.counts["articles_extracted"] == 2 and report.counts["articles_failed"] == 1
    errors = con.execute("select article_key, error from raw.extract_errors").fetchall()
    assert errors[0][0] == "huge" and errors[0][1].startswith("time_limit")
    assert {r[0] for r in con.execute("select distinct article_key from raw.money_mentions").fetchall()} == {
        "short", "short2"}
    # the next night does not pay for the same body again (same body, same extractor version)
    again = stages.extract_stage(con)
    assert again.counts["articles_extracted"] == 0 and again.counts["articles_failed"] == 0
    con.close()
