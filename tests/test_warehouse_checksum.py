"""pipelines/warehouse/checksum.py on a small real DuckDB file: a relation's checksum moves with any row and not with the order
rows were written in; the facts checksum ignores run times and the fetch log; two files compare relation by
relation."""
from __future__ import annotations

import duckdb

from bench import checksum as checksum_cli
from pipelines.warehouse import checksum


def _warehouse(path, rows):
    con = duckdb.connect(str(path))
    con.execute("create schema marts; create schema reporting")
    con.execute("create table marts.fct_budgets(budget_id varchar, amount_krw bigint, fetched_at timestamptz)")
    con.execute("create table marts.fct_fetches(fetch_id varchar, run_id varchar)")
    con.executemany("insert into marts.fct_budgets values (?, ?, ?)", rows)
    con.execute("insert into marts.fct_fetches values ('f1', 'run-1')")
    con.execute("create view reporting.budgets as select budget_id, amount_krw / 100000000 as eok from marts.fct_budgets")
    con.close()


def test_the_order_rows_were_written_in_does_not_count_but_every_value_does(tmp_path):
    rows = [("b1", 16_000_000_000, "2025-06-01 00:00:00+00"), ("b2", None, None)]
    _warehouse(tmp_path / "a.duckdb", rows)
    _warehouse(tmp_path / "b.duckdb", rows[::-1])
    _warehouse(tmp_path / "c.duckdb", [rows[0], ("b2", 1, None)])
    a, b, c = (checksum.warehouse_checksums(tmp_path / f"{n}.duckdb") for n in "abc")
    assert a == b and set(a) == {"marts.fct_budgets", "marts.fct_fetches", "reporting.budgets"}
    assert a["marts.fct_budgets"][0] == 2
    assert c["marts.fct_budgets"] != a["marts.fct_budgets"] and c["reporting.budgets"] != a["reporting.budgets"]
    assert checksum_cli.main([str(tmp_path / "a.duckdb"), str(tmp_path / "b.duckdb")]) == 0
    assert checksum_cli.main([str(tmp_path / "a.duckdb"), str(tmp_path / "c.duckdb")]) == 1


def test_the_facts_checksum_leaves_out_run_times_and_the_fetch_log(tmp_path):
    _warehouse(tmp_path / "a.duckdb", [("b1", 5, "2025-06-01 00:00:00+00")])
    _warehouse(tmp_path / "b.duckdb", [("b1", 5, "2026-01-01 00:00:00+00")])
    con_a, con_b = duckdb.connect(str(tmp_path / "a.duckdb")), duckdb.connect(str(tmp_path / "b.duckdb"))
    con_b.execute("update marts.fct_fetches set run_id = 'run-2'")
    a, b = checksum.facts_checksum(con_a), checksum.facts_checksum(con_b)
    assert a["facts_md5"] == b["facts_md5"] and "marts.fct_fetches" not in a["per_relation"]
    con_b.execute("update marts.fct_budgets set amount_krw = 6")
    assert checksum.facts_checksum(con_b)["facts_md5"] != a["facts_md5"]
