"""The analyst's SQL side on the demo warehouse (the bundled demo corpus through the whole nightly job, then its
published read-only copy): the README's SQL examples run as written, the budget example sums parts and never a
total beside them, the reporting views read without a join (names, 억 원, dates with their precision), the
search macro finds facts by words and narrows by place / year / kind, and `make export` writes the readable
views. The name-plausibility dbt tests are exercised on names written for them, in a real DuckDB."""
from __future__ import annotations

import csv
import io
import re
from datetime import date

import dagster as dg
import duckdb
import jinja2
import pyarrow.parquet as pq
import pytest

from pipelines.definitions import build_definitions
from pipelines.export import BOM, MARTS, REPORTING, export_marts
from pipelines.partitions import newest_news_day
from pipelines.publish import published_path
from pipelines.settings import DEFAULT_SOURCES, Settings
from tests.support.paths import REPO

README = REPO / "README.md"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("reporting") / "news.duckdb"
    defs = build_definitions(Settings(sources_path=DEFAULT_SOURCES, warehouse_path=warehouse))
    assert defs.resolve_job_def("nightly_refresh").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), partition_key=newest_news_day()).success
    return published_path(warehouse)


@pytest.fixture
def con(demo):
    c = duckdb.connect(str(demo), read_only=True)
    yield c
    c.close()


def readme_queries() -> list[str]:
    """Every SQL example of the README's analyst section: ```sql blocks, the SQL string of ```python blocks,
    and the query of a `duckdb -readonly <file> "<query>"` command line."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Open the warehouse read-only"):text.index("### Understand it, look at it")]
    queries = [q.strip().rstrip(";") for q in re.findall(r"```sql\n(.*?)```", section, re.S)]
    for block in re.findall(r"```python\n(.*?)```", section, re.S):
        queries += [q.strip() for q in re.findall(r'"""(.*?)"""', block, re.S)]
    queries += re.findall(r'duckdb -readonly \S+ "([^"]+)"', section)
    return queries


@pytest.mark.e2e
def test_every_readme_sql_example_runs_on_the_demo_warehouse_and_returns_rows(con):
    queries = readme_queries()
    assert len(queries) >= 6, queries  # parts sum (views + marts), events, partnerships, search, CLI line
    for q in queries:
        assert con.execute(q).fetchall(), f"no rows from the README example:\n{q}"


@pytest.mark.e2e
def test_the_readme_budget_examples_sum_the_parts_and_no_total_beside_them(con):
    views, marts = [q for q in readme_queries() if "recipient" in q and "sum(" in q]
    by_views = {(r, s): eok for r, s, eok in con.execute(views).fetchall()}
    by_marts = {(r, s): won for r, s, won in con.execute(marts).fetchall()}
    assert not [k for k in by_views if k[1] == "total"] and not [k for k in by_marts if k[1] == "total"]
    assert {k: round(float(v), 2) for k, v in by_views.items()} == {k: round(v / 1e8, 2) for k, v in by_marts.items()}
    # 춘천시: 국비 7,200억 + 지방비 1,800억 + 민자 3,000억 = the article's 총사업비 1조 2,000억, counted once
    chuncheon = sum(v for (r, _), v in by_views.items() if r == "춘천시")
    stated_total = con.execute("select amount_eok from reporting.budgets where recipient = '춘천시' "
                               "and funding_source = 'total'").fetchone()[0]
    assert chuncheon == stated_total == 12000
    # the naive sum the README used to show counts it twice
    naive = con.execute("select sum(amount_eok) from reporting.budgets where recipient = '춘천시'").fetchone()[0]
    assert naive == 2 * stated_total


@pytest.mark.e2e
def test_budgets_read_with_names_amounts_in_eok_and_the_article(con):
    rows = con.execute("""
        select recipient, recipient_type, funding_source, amount_krw, amount_eok, is_total, sido_name, sigungu_name,
               article_title, url, published_date
        from reporting.budgets where recipient = '김해시' order by amount_krw desc""").fetchall()
    assert rows
    top = rows[0]
    assert top[1] == "local_government" and top[2] == "total" and top[5] is True
    assert top[4] == top[3] / 100_000_000 == 100  # 100억 원
    assert top[6] == "경상남도" and top[7] == "김해시"
    assert "김해" in top[8] and top[9].startswith("http") and isinstance(top[10], date)
    assert all(not r[5] for r in rows[1:])  # the parts are not totals


@pytest.mark.e2e
def test_events_show_the_precision_of_their_dates(con):
    rows = con.execute("""select event_date, date_precision, event_date_label, event_date_from, event_date_to
                          from reporting.events""").fetchall()
    by_precision = {p: [r for r in rows if r[1] == p] for p in ("day", "month", "year", "unknown")}
    assert all(by_precision.values()), "the demo has events at every precision"
    for d, _, label, start, end in by_precision["month"]:
        assert d.day == 1 and label == f"{d:%Y-%m} (month)" and start == d
        assert end.month == d.month and (end.replace(day=28) == end or end.day > 28)  # the month's last day
    for d, _, label, _, end in by_precision["year"]:
        assert label == f"{d:%Y} (year)" and end == date(d.year, 12, 31)
    for d, _, label, _, end in by_precision["day"]:
        assert label == d.isoformat() and end == d
    assert {r[2] for r in by_precision["unknown"]} == {"unknown"}
    # a date filter on the period: a month-only event of June 2024 is found by a mid-June window; event_date is not
    june = con.execute("""select count(*) from reporting.events where date_precision = 'month'
                          and event_date_to >= date '2024-06-15' and event_date_from <= date '2024-06-20'""").fetchone()
    naive = con.execute("""select count(*) from reporting.events where date_precision = 'month'
                           and event_date between date '2024-06-15' and date '2024-06-20'""").fetchone()
    assert june[0] >= 1 and naive[0] == 0


@pytest.mark.e2e
def test_partnerships_list_every_member_by_name_and_type(con):
    members, n, leads = con.execute("""select members, n_members, leads from reporting.partnerships
                                       where partnership_name = '김해시 컨소시엄'""").fetchone()
    assert n == 6 and "김해시 (local_government, lead)" in members and "인제대학교 (university, member)" in members
    assert leads == "가야데이터랩; 김해시"
    assert not re.search(r"\b[0-9a-f]{32}\b", members)  # names, not hash ids
    per_member = con.execute("select count(*) from reporting.partnership_members").fetchone()[0]
    assert per_member == con.execute("select count(*) from marts.fct_partnerships").fetchone()[0]


@pytest.mark.e2e
def test_a_technopark_is_a_public_agency_not_a_company(con):
    types = dict(con.execute("select name, org_type from marts.dim_organizations "
                             "where name like '%테크노파크'").fetchall())
    assert types and set(types.values()) == {"public_agency"}, types


def search(con, q, **filters):
    args = ", ".join(["?"] + [f"{k} := ?" for k in filters])
    return con.execute(f"select kind, doc_id, title, place_codes, year, title_hits, term_hits, score "
                       f"from reporting.search_facts({args})", [q, *filters.values()]).fetchall()


@pytest.mark.e2e
def test_search_finds_the_facts_of_a_place_by_its_words(con):
    rows = search(con, "김해 컨소시엄")
    kinds = {r[0] for r in rows}
    assert {"article", "partnership", "budget"} <= kinds
    assert rows[0][0] == "article" and "김해시 컨소시엄" in rows[0][2]  # the title hit ranks first
    assert [r[7] for r in rows] == sorted((r[7] for r in rows), reverse=True)
    partnership = next(r for r in rows if r[0] == "partnership")
    assert con.execute("select partnership_name from reporting.partnerships where partnership_id = ?",
                       [partnership[1]]).fetchone()[0] == "김해시 컨소시엄"
    # every word must be found: a word no document holds empties the result
    assert search(con, "김해 컨소시엄 존재하지않는낱말") == []
    # case does not matter, nor the spaces and quotes of the text ('‘지역거점 스마트시티 챌린지’')
    assert search(con, "김해시 ai") and {r[1] for r in search(con, "김해시 ai")} == {r[1] for r in search(con, "김해시 AI")}
    assert "article" in {r[0] for r in search(con, "지역거점스마트시티챌린지")}


@pytest.mark.e2e
def test_search_filters_narrow_by_place_year_and_kind(con):
    everything = search(con, "국비")
    assert len({r[0] for r in everything}) >= 2
    gyeongnam = search(con, "국비", in_place="경남")
    assert gyeongnam and len(gyeongnam) < len(everything) and all("48" in r[3] for r in gyeongnam)
    assert {r[1] for r in search(con, "국비", in_place="48")} == {r[1] for r in gyeongnam}
    assert {r[1] for r in search(con, "국비", in_place="김해시")} <= {r[1] for r in gyeongnam}
    assert search(con, "국비", in_place="강원") and not ({r[1] for r in search(con, "국비", in_place="강원")}
                                                       & {r[1] for r in gyeongnam})
    budgets = search(con, "국비", of_kind="budget")
    assert budgets and {r[0] for r in budgets} == {"budget"} and len(budgets) < len(everything)
    years = {r[4] for r in everything if r[4] is not None}
    assert len(years) >= 2
    one = min(years)
    assert {r[4] for r in search(con, "국비", in_year=one)} == {one}
    combined = search(con, "국비", in_place="경남", in_year=2025, of_kind="budget")
    assert combined and all(r[0] == "budget" and r[4] == 2025 and "48" in r[3] for r in combined)


@pytest.mark.e2e
def test_export_writes_the_readable_views_with_names_for_excel(demo, tmp_path):
    out = tmp_path / "export"
    counts = export_marts(demo, out)
    assert set(counts) == set(MARTS) | set(REPORTING)
    con = duckdb.connect(str(demo), read_only=True)
    try:
        for view in REPORTING:
            n = con.execute(f"select count(*) from reporting.{view}").fetchone()[0]
            assert counts[view] == n > 0
            assert pq.read_table(out / f"{view}.parquet").num_rows == n
            raw = (out / f"{view}.csv").read_bytes()
            assert raw.startswith(BOM)
            assert len(list(csv.reader(io.StringIO(raw[len(BOM):].decode("utf-8"))))) == n + 1
    finally:
        con.close()
    budgets = list(csv.DictReader(io.StringIO((out / "budgets.csv").read_text(encoding="utf-8-sig"))))
    chuncheon = [r for r in budgets if r["recipient"] == "춘천시"]
    assert chuncheon and all(r["article_title"] and r["url"].startswith("http") for r in chuncheon)
    assert {r["amount_eok"] for r in chuncheon} >= {"12000.00", "7200.00"}
    events = list(csv.DictReader(io.StringIO((out / "events.csv").read_text(encoding="utf-8-sig"))))
    assert any(r["event_date_label"].endswith("(month)") for r in events)
    partnerships = (out / "partnerships.csv").read_text(encoding="utf-8-sig")
    assert "김해시 (local_government, lead)" in partnerships


# ------------------------------------------------------------------ name plausibility tests (dbt generic tests)

def _generic_test_sql(name: str, **kwargs) -> str:
    """The SQL of dbt/tests/generic/<name>.sql for the given arguments (the `{% test %}` body rendered)."""
    text = (REPO / "dbt" / "tests" / "generic" / f"{name}.sql").read_text(encoding="utf-8")
    head, body = re.search(r"\{% test (\w+\(.*?\)) %\}(.*?)\{% endtest %\}", text, re.S).groups()
    macro = "{% macro " + head + " %}" + body + "{% endmacro %}"
    env = jinja2.Environment()
    env.globals["ref"] = lambda relation: relation  # the test's tables carry the referenced names
    module = env.from_string(macro).make_module()
    return str(getattr(module, name)(**kwargs))


def test_plausible_name_flags_clause_fragments_and_stage_words():
    bad = ["발기인대회 등이 개최돼 얼라이언스", "단계 사업", "2차 사업", "이번 사업", "만큼 사업", "오르면 정부 공모사업",
           "기업과 대학이 참여하고 있는 협의체", "가", "가" * 41]
    good = ["충청권 AI 스마트시티 협의체", "거점형 스마트도시 조성사업", "인공지능 집적단지 2단계 사업", "김해시 컨소시엄",
            "KT", "경남테크노파크", "스마트 모빌리티 얼라이언스"]
    con = duckdb.connect()
    con.execute("create table names (name varchar)")
    con.executemany("insert into names values (?)", [(n,) for n in bad + good + [None]])
    flagged = {r[0] for r in con.execute(_generic_test_sql("plausible_name", model="names", column_name="name",
                                                           min_length=2, max_length=40)).fetchall()}
    assert flagged == set(bad)


def test_org_type_fits_name_flags_public_bodies_typed_company_and_bare_nouns():
    rows = [("경남테크노파크", "company"), ("전주정보문화산업진흥원", "company"), ("한국지능정보사회진흥재단", "company"),
            ("주민", "company"), ("경남테크노파크", "public_agency"), ("가야데이터랩", "company"), ("KT", "company"),
            ("네이버클라우드", "company"), ("한국전자기술연구원", "research_institute"), ("삼성", "company"), ("허", "company")]
    con = duckdb.connect()
    con.execute("create table org_types as select '삼성' as name")  # a short name the dictionary knows is fine
    con.execute("create table orgs (name varchar, org_type varchar)")
    con.executemany("insert into orgs values (?, ?)", rows)
    sql = _generic_test_sql("org_type_fits_name", model="orgs", column_name="name", type_column="org_type",
                            not_company_endings=["테크노파크", "진흥원", "재단"])
    assert set(con.execute(sql).fetchall()) == {("경남테크노파크", "company"), ("전주정보문화산업진흥원", "company"),
                                                ("한국지능정보사회진흥재단", "company"), ("주민", "company"),
                                                ("허", "company")}
