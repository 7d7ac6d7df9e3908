"""The static report without a pipeline run: dbt checks in words, and the page at scale (issue 16) on a synthetic
warehouse of the marts it reads (bench/report_scale.py), rendered in headless Chromium."""
from __future__ import annotations

import json
import re
import time

import pytest

from bench.report_scale import build_synthetic_warehouse, page_numbers
from pipelines.report import describe_test, latest_dbt_results, render_report, report_data
from pipelines.settings import DBT_PROJECT_DIR
from tests.support.chromium import run_chromium
from tests.support.system_packages import chromium as chromium_binary


@pytest.fixture(scope="module")
def manifest():
    return json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text(encoding="utf-8"))


def _test_node(manifest, startswith: str) -> tuple[str, dict]:
    return next((k, v) for k, v in manifest["nodes"].items() if k.startswith(f"test.kr_smartcity_news.{startswith}"))


def test_dbt_checks_are_described_in_words(manifest):
    # a singular test: its SQL's first comment
    assert describe_test(_test_node(manifest, "project_budgets_agree")[1], manifest) == \
        "a project whose articles disagree on an amount"
    # a project generic test: its macro's comment, on the model it checks
    words = describe_test(_test_node(manifest, "totals_match_parts_")[1], manifest)
    assert words.startswith("Budget lists whose parts do not add up") and words.endswith("(int_budget_lists_checked)")
    # dbt's built-in tests, with the column and model; a generic test's arguments in place of their names
    assert describe_test(_test_node(manifest, "not_null_fct_budgets_amount_krw")[1], manifest) == \
        "amount_krw is empty in fct_budgets"
    words = describe_test(_test_node(manifest, "accepted_range_fct_budgets_share_pct")[1], manifest)
    assert "[0, 100]" in words and "share_pct" in words
    # a description written in the YAML wins
    node = dict(_test_node(manifest, "not_null_fct_budgets_amount_krw")[1], description="Budgets without an amount.")
    assert describe_test(node, manifest) == "Budgets without an amount"


def test_last_run_results_list_each_warning_in_words(manifest, tmp_path):
    uid, _ = _test_node(manifest, "project_budgets_agree")
    run = tmp_path / "target" / "invocation-1"
    run.mkdir(parents=True)
    (run / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (run / "run_results.json").write_text(json.dumps({"metadata": {"generated_at": "2026-12-07T00:00:00Z"}, "results": [
        {"unique_id": uid, "status": "warn", "failures": 2, "message": "Got 2 results"},
        {"unique_id": "model.kr_smartcity_news.fct_budgets", "status": "success"},
        {"unique_id": _test_node(manifest, "not_null_fct_budgets_amount_krw")[0], "status": "pass", "failures": 0}]}),
        encoding="utf-8")
    result = latest_dbt_results(tmp_path / "target")
    assert result["statuses"] == {"warn": 1, "pass": 1}
    assert result["problems"] == [{"test": "project_budgets_agree", "status": "warn", "failures": 2,
                                   "words": "a project whose articles disagree on an amount",
                                   "message": "Got 2 results"}]


def _chromium() -> str:
    return chromium_binary()


def _dump(chromium: str, url: str, profile) -> tuple[float, str]:
    t = time.perf_counter()
    proc = run_chromium(chromium, url, profile, "--dump-dom", "--virtual-time-budget=30000")
    wall = time.perf_counter() - t
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert 'data-drawn="true"' in proc.stdout, "the drawing script did not finish"
    return wall, proc.stdout


def test_a_small_warehouse_draws_each_event_and_pages_its_tables(tmp_path):
    warehouse = build_synthetic_warehouse(tmp_path / "news.duckdb", 60)
    data = report_data(warehouse)
    report = tmp_path / "index.html"
    report.write_text(render_report(data), encoding="utf-8")
    _, dom = _dump(_chromium(), report.as_uri(), tmp_path / "profile")
    dated = [f for f in data["facts"] if f[0] == "e" and f[1]]
    marks = re.findall(r'<(circle|rect)[^>]*data-type="[^"]+"[^>]*data-precision="(\w+)"', dom)
    assert len(marks) == len(dated)  # one mark per dated event, below the drawing limit
    assert all((shape == "circle") == (precision == "day") for shape, precision in marks)  # a day is a dot
    assert {"day", "month", "year"} <= {p for _, p in marks}
    titles = re.findall(r"<title>(\d{4}(?:-\d\d)?(?:-\d\d)? \((?:month|year)\)) · (\w+)", dom)
    assert titles  # hover text: '2025-06 (month) · selected · …'
    assert page_numbers(dom)["fact_rows"] == 25
    assert re.search(rf'id="facts-pager">rows 1–25 of {len(data["facts"])}<', dom)


def test_ten_thousand_articles_stay_small_enough_and_fast(tmp_path):
    warehouse = build_synthetic_warehouse(tmp_path / "news.duckdb", 10_000)
    t = time.perf_counter()
    data = report_data(warehouse)
    page = render_report(data)
    python_s = time.perf_counter() - t
    report = tmp_path / "index.html"
    report.write_text(page, encoding="utf-8")
    size = report.stat().st_size
    assert len(data["facts"]) > 55_000 and len(data["articles"]) == 10_000
    assert python_s < 20, python_s
    assert size < 20_000_000, size  # every fact and evidence sentence is embedded (search and filters need them)
    chromium = _chromium()
    wall, dom = _dump(chromium, report.as_uri(), tmp_path / "profile")
    numbers = page_numbers(dom)
    assert wall < 60 and numbers["parse_ms"] + numbers["draw_ms"] < 10_000, (wall, numbers)
    assert numbers["dom_elements"] < 10_000, numbers  # pages of 25 rows, top N in the pictures
    assert numbers["fact_rows"] == 25
    assert len(re.findall(r'class="node"', dom)) == 30  # 15 public bodies + 15 others
    assert 'class="event-bucket"' in dom and 'class="event"' not in dom  # too many events: months, counted
    # a filter in the address narrows every section, in the page
    wall, dom = _dump(chromium, report.as_uri() + "#sido=11&year=2025&q=협약", tmp_path / "profile2")
    shown, total = [int(x.replace(",", "")) for x in
                    re.search(r'id="f-status">([\d,]+) of ([\d,]+) facts', dom).groups()]
    assert 0 < shown < total == len(data["facts"])
    rows = re.findall(r"<tr>(.*?)</tr>", dom.split('id="facts"', 1)[1].split("</table>", 1)[0], re.S)
    assert all("서울" in r and "2025" in r and "협약" in r for r in rows if "<td" in r)
