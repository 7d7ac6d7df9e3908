"""The fan-out's pieces that need no deployment: the backfill split and the marts checksum."""
from __future__ import annotations

import duckdb
import pytest

from pipelines.assets.raw import fetch_side_backfill_policy
from pipelines.settings import backfill_days_per_run
from pipelines.warehouse.checksum import marts_checksums


def test_a_backfill_is_one_run_unless_days_per_run_is_set():
    assert backfill_days_per_run({}) is None
    assert fetch_side_backfill_policy(None).max_partitions_per_run is None  # single run: the whole range
    assert backfill_days_per_run({"NEWS_BACKFILL_DAYS_PER_RUN": "3"}) == 3
    assert fetch_side_backfill_policy(3).max_partitions_per_run == 3


def test_zero_days_per_run_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        backfill_days_per_run({"NEWS_BACKFILL_DAYS_PER_RUN": "0"})


def _warehouse(path, rows):
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute("create table marts.fct_x (id integer, amount bigint, fetched_at timestamp, run_id varchar)")
    con.executemany("insert into marts.fct_x values (?, ?, ?, ?)", rows)
    con.close()
    return path


def test_the_checksum_ignores_row_order_and_when_or_in_which_run_a_page_was_read(tmp_path):
    a = _warehouse(tmp_path / "a.duckdb", [(1, 10, "2026-01-01 00:00", "r1"), (2, 20, "2026-01-01 00:00", "r1")])
    b = _warehouse(tmp_path / "b.duckdb", [(2, 20, "2026-02-02 09:00", "r7"), (1, 10, "2026-02-02 09:00", "r8")])
    assert marts_checksums(a) == marts_checksums(b)
    assert marts_checksums(a)["marts.fct_x"][0] == 2


def test_the_checksum_sees_a_changed_fact(tmp_path):
    a = _warehouse(tmp_path / "a.duckdb", [(1, 10, "2026-01-01 00:00", "r1")])
    b = _warehouse(tmp_path / "b.duckdb", [(1, 11, "2026-01-01 00:00", "r1")])
    assert marts_checksums(a) != marts_checksums(b)
