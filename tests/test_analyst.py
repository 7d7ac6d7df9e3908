"""The analyst's side after a run: the published read-only snapshot, the worked queries, `make export`
(Parquet + CSV with BOM) and `make report` (static HTML rendered in headless Chromium, article text escaped)."""
from __future__ import annotations

import csv
import io
import re
import subprocess

import dagster as dg
import duckdb
import pyarrow.parquet as pq
import pytest

from pipelines.definitions import build_definitions
from pipelines.export import BOM, MARTS, REPORTING, export_marts
from pipelines.publish import published_path
from pipelines.report import render_report, report_data, write_report
from pipelines.settings import DBT_PROJECT_DIR, Settings, dbt_executable
from pipelines.partitions import newest_news_day
from tests.support.chromium import run_chromium
from tests.support.system_packages import chromium as chromium_binary
from tests.support.paths import SEED_CORPUS, needs_shared

pytestmark = [pytest.mark.e2e, needs_shared]

HOSTILE_TITLE = "스마트시티 <script>alert('x')</script> 협약"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("analyst")
    extra = tmp / "extra"
    extra.mkdir()
    paragraphs = "".join(f"<p>수원시는 {i}일 스마트시티 데이터 플랫폼 구축을 위해 여러 기관과 긴밀히 협력하고 있다고 밝혔다.</p>"
                         for i in range(1, 7))
    (extra / "hostile.html").write_text(
        f'<html><head><meta charset="utf-8"><title>{HOSTILE_TITLE.replace("<", "&lt;").replace(">", "&gt;")}</title>'
        f'<link rel="canonical" href="https://hostile.example/news/1"></head>'
        f"<body><article><h1>{HOSTILE_TITLE.replace('<', '&lt;').replace('>', '&gt;')}</h1>{paragraphs}</article></body></html>",
        encoding="utf-8")
    sources = tmp / "sources.yaml"
    sources.write_text(f"sources:\n  - {{name: seeds, kind: html_dir, path: '{SEED_CORPUS}'}}\n"
                       f"  - {{name: extra, kind: html_dir, path: '{extra}'}}\n", encoding="utf-8")
    path = tmp / "news.duckdb"
    defs = build_definitions(Settings(sources_path=sources, warehouse_path=path))
    assert defs.resolve_job_def("nightly_refresh").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), partition_key=newest_news_day()).success
    return path


def test_the_run_publishes_a_read_only_snapshot(warehouse):
    snap = published_path(warehouse)
    assert snap.exists() and snap != warehouse
    writer = duckdb.connect(str(warehouse))  # the writer holds the original…
    try:
        reader = duckdb.connect(str(snap), read_only=True)  # …and a reader still opens the snapshot
        assert reader.execute("select count(*) from marts.dim_articles").fetchone()[0] == 5
        reader.close()
    finally:
        writer.close()


def test_worked_queries_compile_and_run(warehouse):
    env = {"NEWS_WAREHOUSE": str(warehouse), "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([dbt_executable(), "compile", "-q", "--select", "resource_type:analysis"],
                          cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    compiled = sorted((DBT_PROJECT_DIR / "target" / "compiled" / "kr_smartcity_news" / "analyses").glob("*.sql"))
    assert len(compiled) == 5
    con = duckdb.connect(str(warehouse), read_only=True)
    results = {p.stem: con.execute(p.read_text(encoding="utf-8").replace('"news".', "")).fetchall()
               for p in compiled}
    con.close()
    assert any(r[0] == "전주시" for r in results["national_budget_by_recipient_and_year"])
    assert results["programs_whose_parts_do_not_add_up"], "the 160+16+144 ≠ 325 list must be listed"
    assert results["facts_traced_to_their_sentence"] and all(r[4] for r in results["facts_traced_to_their_sentence"])


def test_export_writes_parquet_and_bom_csv(warehouse, tmp_path):
    counts = export_marts(warehouse, tmp_path / "out")
    con = duckdb.connect(str(warehouse), read_only=True)
    for schema, table in [("marts", t) for t in MARTS] + [("reporting", v) for v in REPORTING]:
        n = con.execute(f"select count(*) from {schema}.{table}").fetchone()[0]
        assert counts[table] == n
        assert pq.read_table(tmp_path / "out" / f"{table}.parquet").num_rows == n
        raw = (tmp_path / "out" / f"{table}.csv").read_bytes()
        assert raw.startswith(BOM)
        assert len(list(csv.reader(io.StringIO(raw[len(BOM):].decode("utf-8"))))) == n + 1
    con.close()
    assert "전주시" in (tmp_path / "out" / "dim_organizations.csv").read_bytes().decode("utf-8-sig")
    # the readable budgets name their recipient (no join with dim_organizations needed)
    budgets = list(csv.DictReader(io.StringIO((tmp_path / "out" / "budgets.csv").read_bytes().decode("utf-8-sig"))))
    assert any(r["recipient"] == "전주시" and r["amount_eok"] and r["article_title"] for r in budgets)


def _chromium_or_skip() -> str:
    return chromium_binary()


def _dom(chromium: str, url: str, profile) -> str:
    dom = run_chromium(chromium, url, profile, "--dump-dom", "--virtual-time-budget=5000")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert 'data-drawn="true"' in dom.stdout, "the drawing script did not finish"
    return dom.stdout


def _table_rows(dom: str, table_id: str) -> list[list[str]]:
    body = dom.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S) if "<td" in row]


def test_report_draws_its_charts_and_shows_article_html_as_text(warehouse, tmp_path):
    report = write_report(warehouse, tmp_path / "report" / "index.html")
    # markup in an article's title, outlet, evidence and organisation must show as text: add a fact that carries it
    data = report_data(warehouse)
    data["articles"].append([None, "<b>outlet</b>", HOSTILE_TITLE, "javascript:alert(1)"])
    data["evidence"].append("협약을 맺었다 <img src=x onerror=alert(2)>")
    data["orgs"].append(["<b>기관</b>", "company"])
    data["facts"].insert(0, ["e", "2099-06-01", "month", [], "agreement_signed", "", len(data["orgs"]) - 1, -1,
                             len(data["evidence"]) - 1, len(data["articles"]) - 1, None])
    report.write_text(render_report(data), encoding="utf-8")
    source = report.read_text(encoding="utf-8")
    assert "<script>alert" not in source and "<img src=x" not in source  # the text travels escaped
    chromium = _chromium_or_skip()
    html = _dom(chromium, report.as_uri(), tmp_path / "profile")
    assert len(re.findall(r"<rect[^>]*data-source=", html)) >= 3  # budget bars
    marks = re.findall(r'<(?:circle|rect)[^>]*data-type="[^"]+"[^>]*data-precision="(\w+)"', html)
    assert len(marks) >= 3 and {"day", "month"} <= set(marks)  # events drawn as wide as their date is precise
    assert re.search(r'class="tick-year"', html) and re.search(r'class="axis tick-label"[^>]*>20\d\d<', html)
    assert len(re.findall(r'<circle[^>]*class="node"', html)) >= 10  # partners
    assert re.search(r'data-side="public"', html) and re.search(r'data-side="other"', html)  # two sides
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in html  # shown as text…
    assert "<script>alert('x')</script>" not in html  # …never as an element
    assert "&lt;img src=x onerror=alert(2)&gt;" in html and "<img" not in html
    assert "&lt;b&gt;기관&lt;/b&gt;" in html and "<b>기관</b>" not in html
    assert 'href="javascript:' not in html  # a non-http link is not made clickable
    first = _table_rows(html, "facts")[0]
    assert first[1] == "2099-06 (month)"  # a month-only date says so
    shot = tmp_path / "report.png"
    run_chromium(chromium, report.as_uri(), tmp_path / "profile2", f"--screenshot={shot}",
                 "--window-size=1200,1800", "--virtual-time-budget=5000")
    assert shot.exists() and shot.stat().st_size > 20_000


def test_report_filters_by_sido_year_and_search_in_the_page(warehouse, tmp_path):
    report = write_report(warehouse, tmp_path / "index.html")
    data = report_data(warehouse)
    chromium = _chromium_or_skip()
    everything = _table_rows(_dom(chromium, report.as_uri(), tmp_path / "p0"), "facts")
    assert len(everything) == min(25, len(data["facts"]))
    # search: every fact shown names 전주시 in its title, evidence or organisations, and facts without it are gone
    hits = _table_rows(_dom(chromium, report.as_uri() + "#q=전주시", tmp_path / "p1"), "facts")
    def words(f):  # what the search reads of a fact: title, evidence, organisations, project, what
        org_ids = [m[0] for m in f[10]] if f[0] == "p" else [f[6]]
        return " ".join([data["articles"][f[9]][2] or "", data["evidence"][f[8]], f[5], f[4],
                         data["projects"][f[7]] if f[7] >= 0 else "", *(data["orgs"][i][0] for i in org_ids if i >= 0)])
    expected = sum("전주시" in words(f) for f in data["facts"])
    assert 0 < len(hits) == min(25, expected) < len(data["facts"])
    assert all("전주시" in " ".join(r) for r in hits)
    # 시도 + year: 전북 (52) in the year of its first fact there
    year = next(f[1][:4] for f in data["facts"] if "52" in f[3] and f[1])
    dom = _dom(chromium, report.as_uri() + f"#sido=52&year={year}", tmp_path / "p2")
    rows = _table_rows(dom, "facts")
    assert rows and all("전북" in r[2] and r[1].startswith(year) for r in rows)
    assert re.search(r'id="f-status">\d[\d,]* of [\d,]+ facts', dom)


def test_dbt_docs_describe_every_marts_column(warehouse, tmp_path):
    import json

    env = {"NEWS_WAREHOUSE": str(warehouse), "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR), "PATH": "/usr/bin:/bin"}
    target = tmp_path / "docs-target"
    proc = subprocess.run([dbt_executable(), "docs", "generate", "-q", "--target-path", str(target)],
                          cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (target / "index.html").exists()
    catalog = json.loads((target / "catalog.json").read_text(encoding="utf-8"))
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    for table in (*MARTS, *REPORTING, "search_index"):  # the marts and the reporting views alike
        node = manifest["nodes"][f"model.kr_smartcity_news.{table}"]
        cat = catalog["nodes"][f"model.kr_smartcity_news.{table}"]
        assert node["description"], table
        for column in cat["columns"]:
            assert node["columns"].get(column, {}).get("description"), f"{node['schema']}.{table}.{column} undocumented"
