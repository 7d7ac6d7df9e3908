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
from tests.support.chromium import ensure_chromium, run_chromium
from tests.support.paths import SEED_CORPUS

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


def test_report_draws_its_charts_and_shows_article_html_as_text(warehouse, tmp_path):
    report = write_report(warehouse, tmp_path / "report" / "index.html")
    # an article whose text carries markup must show it as text: put one in front of the latest articles
    data = report_data(warehouse)
    data["articles"].insert(0, {"title": HOSTILE_TITLE, "outlet": "<b>outlet</b>", "published_at": None,
                                "url": "javascript:alert(1)"})
    report.write_text(render_report(data), encoding="utf-8")
    source = report.read_text(encoding="utf-8")
    assert "<script>alert" not in source  # the title travels escaped
    chromium = ensure_chromium()
    if chromium is None:
        pytest.skip("Debian's chromium is not installed and cannot be installed here (not root or no apt-get)")
    dom = run_chromium(chromium, report.as_uri(), tmp_path / "profile", "--dump-dom", "--virtual-time-budget=5000")
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    assert 'data-drawn="true"' in html, "the drawing script did not finish"
    assert len(re.findall(r"<rect[^>]*data-source=", html)) >= 3  # budget bars
    assert len(re.findall(r'<circle[^>]*data-type=', html)) >= 3  # events on the timeline
    assert len(re.findall(r'<circle[^>]*class="node"', html)) >= 10  # partnership network nodes
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in html  # shown as text…
    assert "<script>alert('x')</script>" not in html  # …never as an element
    assert 'href="javascript:' not in html  # a non-http link is not made clickable
    shot = tmp_path / "report.png"
    run_chromium(chromium, report.as_uri(), tmp_path / "profile2", f"--screenshot={shot}",
                 "--window-size=1200,1800", "--virtual-time-budget=5000")
    assert shot.exists() and shot.stat().st_size > 20_000


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
