"""One project, many articles (issue 15): projects across outlets and years, facts counted once, places coded.

The fixture pages are this project's own sentences (no third-party text), served over HTTP on 127.0.0.1 and run
through the nightly job into a real DuckDB warehouse:

* story A -- one project (전주시, 거점형 스마트시티) reported by three outlets in different words on three days,
  one copy with a wrong 국비 amount (150억 instead of 160억);
* story B -- one project (천안시, 국가AI컴퓨팅센터) followed over three articles a year apart;
* story C -- two different projects of one city (순천시) in one article;
* story D -- a grant that names no programme, reprinted by two outlets: placed and counted once by its recipient.
"""
from __future__ import annotations

import dagster as dg
import duckdb
import pytest

from pipelines.partitions import newest_news_day
from tests.support.http_server import html, serve
from tests.support.nights import nightly_job, urls_sources

pytestmark = pytest.mark.e2e


def page(outlet: str, published: str, title: str, *paragraphs: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<html><head><meta charset="utf-8"><title>{title} - {outlet}</title>'
            f'<meta property="og:site_name" content="{outlet}">'
            f'<meta property="article:published_time" content="{published}"></head>'
            f"<body><article><h1>{title}</h1>{body}</article></body></html>").encode()


PAGES = {
    # story A: three outlets, three wordings, three days; the third copy says 150억 where the others say 160억
    "/a1": page("한빛뉴스", "2025-04-02T10:00:00+09:00", "전주시, 거점형 스마트시티 공모 선정",
                "전주시는 국토교통부의 거점형 스마트시티 조성사업 공모에 최종 선정돼 국비 160억 원을 확보했다고 2일 밝혔다.",
                "시는 시비 160억 원을 더해 모두 320억 원을 들여 교통과 안전 서비스를 만든다.",
                "이번 사업은 2027년 말까지 이어진다."),
    "/a2": page("새벽일보", "2025-04-03T08:30:00+09:00", "전주, 스마트시티 거점형 사업 따내",
                "전주시가 정부의 스마트시티 거점형 사업 대상지로 뽑혀 국비 160억 원을 받는다.",
                "해당 사업에는 시비 160억 원도 함께 들어간다."),
    "/a3": page("들녘타임스", "2025-04-05T15:00:00+09:00", "전주시 거점형 스마트도시 사업 국비 확보",
                "전주시는 거점형 스마트도시 사업으로 국비 150억 원을 지원받게 됐다.",
                "시는 도시 곳곳에 데이터 기반 서비스를 들일 계획이다."),
    # story B: the same project a year apart, three times
    "/b1": page("한빛뉴스", "2024-03-15T09:00:00+09:00", "천안시, 국가AI컴퓨팅센터 유치 도전",
                "천안시는 국가AI컴퓨팅센터 유치를 위해 과학기술정보통신부 공모에 신청했다고 15일 밝혔다.",
                "시는 부지와 전력 공급 계획을 함께 냈다."),
    "/b2": page("새벽일보", "2025-03-20T11:00:00+09:00", "천안시 국가AI컴퓨팅센터 유치 확정",
                "과학기술정보통신부는 20일 국가AI컴퓨팅센터 유치 공모에서 천안시를 최종 선정했다고 발표했다.",
                "천안시는 국비 2000억 원을 지원받아 센터를 짓는다."),
    "/b3": page("들녘타임스", "2026-03-25T14:00:00+09:00", "천안 국가AI컴퓨팅센터 문 열어",
                "천안시는 국가AI컴퓨팅센터 조성사업의 첫 시설을 25일 개소했다고 밝혔다.",
                "이번 사업에는 그동안 국비 2000억 원이 들어갔다."),
    # story C: two projects of one city in one article
    "/c1": page("한빛뉴스", "2025-09-10T10:00:00+09:00", "순천시, 두 공모사업 동시 선정",
                "순천시는 스마트 그린도시 조성사업과 디지털트윈 국토 시범사업에 나란히 선정됐다고 10일 밝혔다.",
                "스마트 그린도시 조성사업에는 국비 50억 원이 투입된다.",
                "디지털트윈 국토 시범사업에는 국비 12억 원이 지원된다."),
    # story D: no programme named, the same grant in two outlets
    "/d1": page("한빛뉴스", "2025-11-06T10:00:00+09:00", "제주, 국비 30억 원 확보",
                "제주특별자치도는 국비 30억 원을 확보했다고 6일 밝혔다.",
                "도는 이 돈으로 관광지 교통 정보를 한데 모은다."),
    "/d2": page("새벽일보", "2025-11-06T16:00:00+09:00", "제주도 국비 30억 원 받아",
                "제주특별자치도가 국비 30억 원을 지원받는다.",
                "도는 관광지 교통 정보를 한데 모을 계획이다."),
}


@pytest.fixture(scope="module")
def night(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("projects")
    with serve({path: html(body) for path, body in PAGES.items()}) as srv:
        sources = urls_sources(tmp / "sources.yaml", [srv.url(p) for p in PAGES])
        warehouse = tmp / "news.duckdb"
        result = nightly_job(sources, warehouse).execute_in_process(
            instance=dg.DagsterInstance.ephemeral(), partition_key=newest_news_day(), raise_on_error=False)
        con = duckdb.connect(str(warehouse), read_only=True)
        urls = {path: srv.url(path) for path in PAGES}
        yield {"result": result, "con": con, "urls": urls, "warehouse": warehouse}
        con.close()


def article_id(night, path: str) -> str:
    return night["con"].execute("select article_id from marts.dim_articles where url = ?",
                                [night["urls"][path]]).fetchone()[0]


def project_of(night, path: str, amount_krw: int) -> str | None:
    row = night["con"].execute(
        "select project_id from marts.fct_budgets where article_id = ? and amount_krw = ? and funding_source = 'national'",
        [article_id(night, path), amount_krw]).fetchone()
    assert row is not None, f"no 국비 {amount_krw} in {path}"
    return row[0]


def test_the_night_succeeds_with_every_page(night):
    assert night["result"].success
    assert night["con"].execute("select count(*) from marts.dim_articles").fetchone()[0] == len(PAGES)


def test_three_outlets_in_three_wordings_are_one_project(night):
    con = night["con"]
    ids = {project_of(night, "/a1", 16_000_000_000), project_of(night, "/a2", 16_000_000_000),
           project_of(night, "/a3", 15_000_000_000)}
    assert len(ids) == 1 and None not in ids
    (pid,) = ids
    name_key, sido, sigungu, n_articles, first = con.execute(
        "select name_key, sido_code, sigungu_code, n_articles, first_article_id from marts.dim_projects "
        "where project_id = ?", [pid]).fetchone()
    assert name_key == "거점형 스마트시티"
    assert (sido, sigungu) == ("52", "52110")  # 전주시, 전북특별자치도 (52 since 2024-01-18)
    assert n_articles == 3
    assert first == article_id(night, "/a1")


def test_the_same_fact_from_two_outlets_is_one_row_and_the_wrong_copy_keeps_its_own(night):
    con = night["con"]
    pid = project_of(night, "/a1", 16_000_000_000)
    rows = con.execute("select amount_krw, n_articles, first_article_id, len(article_ids) from marts.fct_project_budgets "
                       "where project_id = ? and funding_source = 'national' order by amount_krw", [pid]).fetchall()
    assert rows == [(15_000_000_000, 1, article_id(night, "/a3"), 1),
                    (16_000_000_000, 2, article_id(night, "/a1"), 2)]


def test_the_disagreement_check_warns_and_lists_the_project(night):
    checks = [c for c in night["result"].get_asset_check_evaluations() if "project_budgets_agree" in c.check_name]
    assert checks, "the project_budgets_agree check did not run"
    assert not checks[0].passed
    assert getattr(checks[0].severity, "value", checks[0].severity) == "WARN"


def test_a_pronoun_phrase_inherits_the_articles_project(night):
    con = night["con"]
    pid = project_of(night, "/a2", 16_000_000_000)
    municipal = con.execute("select project_id from marts.fct_budgets where article_id = ? and funding_source = 'municipal'",
                            [article_id(night, "/a2")]).fetchall()
    assert municipal == [(pid,)]  # '해당 사업에는 시비 160억 원' names no project of its own


def test_a_project_followed_over_three_years_is_one_project_with_its_timeline(night):
    con = night["con"]
    ids = {project_of(night, "/b2", 200_000_000_000), project_of(night, "/b3", 200_000_000_000)}
    assert len(ids) == 1 and None not in ids
    (pid,) = ids
    sigungu, n_articles, first_reported = con.execute(
        "select sigungu_code, n_articles, first_reported_at::date::varchar from marts.dim_projects where project_id = ?",
        [pid]).fetchone()
    assert sigungu == "44130"  # 천안시
    assert n_articles == 3
    assert first_reported == "2024-03-15"
    steps = con.execute("select step_no, happened_on, entry_type from marts.fct_project_timeline where project_id = ? "
                        "order by step_no", [pid]).fetchall()
    assert [s[0] for s in steps] == list(range(1, len(steps) + 1))
    dates = [s[1] for s in steps if s[1] is not None]
    assert dates == sorted(dates) and dates[0].year == 2024 and dates[-1].year == 2026
    budget = con.execute("select n_articles from marts.fct_project_budgets where project_id = ? and "
                         "funding_source = 'national' and amount_krw = 200000000000", [pid]).fetchone()
    assert budget == (2,)


def test_two_projects_of_one_city_in_one_article_stay_two(night):
    con = night["con"]
    green, twin = project_of(night, "/c1", 5_000_000_000), project_of(night, "/c1", 1_200_000_000)
    assert green and twin and green != twin
    rows = con.execute("select name_key, sigungu_code from marts.dim_projects where project_id in (?, ?) order by 1",
                       [green, twin]).fetchall()
    assert rows == [("국토 디지털트윈", "46150"), ("그린도시 스마트", "46150")]  # both 순천시


def test_local_governments_carry_their_current_codes(night):
    con = night["con"]
    codes = dict((name, (sido, sigungu)) for name, sido, sigungu in con.execute(
        "select name, sido_code, sigungu_code from marts.dim_organizations where org_type = 'local_government'"
    ).fetchall())
    assert codes["전주시"] == ("52", "52110")
    assert codes["천안시"] == ("44", "44130")
    assert codes["순천시"] == ("46", "46150")


def test_every_project_fact_links_to_an_article_and_counts_its_evidence(night):
    con = night["con"]
    for table in ("fct_project_budgets", "fct_project_events", "fct_project_partnerships"):
        bad = con.execute(f"select count(*) from marts.{table} where n_articles < 1 or len(article_ids) <> n_articles "
                          f"or first_article_id is null").fetchone()[0]
        assert bad == 0, table
    orphans = con.execute("select count(*) from marts.fct_budgets b where b.project_id is not null and not exists "
                          "(select 1 from marts.dim_projects p where p.project_id = b.project_id)").fetchone()[0]
    assert orphans == 0


def test_money_per_sido_counts_each_project_fact_once(night):
    con = night["con"]
    rows = {sido: (once, per_article) for sido, once, per_article in con.execute(
        "select sido_code, amount_krw_once, amount_krw_per_article from marts.sido_budget_summary "
        "where funding_source = 'national'").fetchall()}
    assert rows["52"] == (16_000_000_000, 47_000_000_000)   # 160억 once (the 150억 copy is outvoted) vs 160+160+150
    assert rows["44"] == (200_000_000_000, 400_000_000_000)  # the same 2000억 in two articles a year apart
    assert rows["46"] == (6_200_000_000, 6_200_000_000)      # two projects of 순천시, each stated once
    assert rows["50"] == (3_000_000_000, 6_000_000_000)      # no project: placed by its recipient, counted once


def test_the_report_shows_money_per_sido_and_project_timelines(night, tmp_path):
    from pipelines.report import report_data, write_report

    data = report_data(night["warehouse"])
    jeonbuk = [r for r in data["sidos"] if r["sido_code"] == "52"]
    assert jeonbuk and jeonbuk[0]["sido_name"] == "전북특별자치도" and jeonbuk[0]["once"] == 16_000_000_000
    names = {r["project_name"] for r in data["timelines"]}
    assert any("거점형" in n for n in names) and any("국가AI컴퓨팅센터" in n for n in names), names
    page = write_report(night["warehouse"], tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'id="sidos"' in page and 'id="timelines"' in page
    # the night's disagreement warning, in words (the test's own description), with its row count
    problems = {p["test"]: p for p in data["dbt"]["problems"]}
    assert problems["project_budgets_agree"]["words"] == "a project whose articles disagree on an amount"
    assert problems["project_budgets_agree"]["status"] == "warn" and problems["project_budgets_agree"]["failures"] >= 1
