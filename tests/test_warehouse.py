"""Raw loads: bulk, idempotent, atomic per batch."""
from __future__ import annotations

from datetime import datetime, timezone

import duckdb
import pytest

from pipelines import warehouse as wh
from pipelines.fetch.types import FetchResult

NOW = datetime(2025, 6, 20, 6, 0, tzinfo=timezone.utc)


def result(url: str, content: bytes | None = b"<html>x</html>", outcome: str = "ok", **kw) -> FetchResult:
    return FetchResult(source_name="s", url=url, outcome=outcome, fetched_at=NOW, content=content,
                       content_hash=wh.sha256_hex(content) if content is not None else None, http_status=200, **kw)


@pytest.fixture()
def con(tmp_path):
    c = wh.connect(tmp_path / "news.duckdb")
    yield c
    c.close()


def test_the_ddl_is_applied_whole_or_not_at_all(tmp_path):
    ddl = tmp_path / "ddl"
    ddl.mkdir()
    (ddl / "1_first.sql").write_text("create schema if not exists raw; create table if not exists raw.first_table (x int);")
    (ddl / "2_broken.sql").write_text("create table if not exists raw.second_table (x no_such_type);")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    with pytest.raises(duckdb.Error):
        wh.apply_ddl(con, ddl)
    assert con.execute("select count(*) from information_schema.tables where table_name = 'first_table'"
                       ).fetchone()[0] == 0
    con.close()


def test_ddl_is_idempotent(tmp_path):
    c = wh.connect(tmp_path / "news.duckdb")
    wh.apply_ddl(c)
    wh.apply_ddl(c)
    tables = {r[0] for r in c.execute("select table_name from information_schema.tables where table_schema='raw'").fetchall()}
    assert set(wh.RAW_TABLES) <= tables


def test_same_batch_twice_keeps_one_row_per_url_and_run(con):
    batch = [result("https://a.example/1"), result("https://a.example/2", outcome="http_error", content=None)]
    wh.record_fetches(con, "run-1", batch)
    wh.record_fetches(con, "run-1", batch)
    assert con.execute("select count(*) from raw.fetch_log").fetchone()[0] == 2
    assert con.execute("select count(*) from raw.pages").fetchone()[0] == 1
    # a second run logs again (one row per URL per run) but stores no new page for unchanged bytes
    stats = wh.record_fetches(con, "run-2", batch)
    assert con.execute("select count(*) from raw.fetch_log").fetchone()[0] == 4
    assert stats["pages_new_or_changed"] == 0 and stats["pages_unchanged"] == 1


def test_page_bytes_round_trip_compressed(con):
    body = ("<html><body>" + "스마트시티 " * 2000 + "</body></html>").encode()
    wh.record_fetches(con, "r", [result("https://a.example/big", content=body)])
    stored = con.execute("select content_length, octet_length(content) from raw.pages").fetchone()
    assert stored[0] == len(body) and stored[1] < len(body) / 5
    (page,) = [wh.decompress_page(r) for r in wh.iter_pages(con, wh.page_keys_to_parse(con, "v1"))]
    assert page["content"] == body


def test_a_failing_batch_leaves_nothing_behind(con):
    class Boom(RuntimeError):
        pass

    rows = wh.discovered_rows("r", [], NOW)
    wh.record_discovered(con, "r", rows)
    with pytest.raises(Boom):
        with wh.transaction(con):
            wh.insert_rows(con, "fetch_log", [wh.fetch_log_row("r", result("https://a.example/x"))])
            raise Boom()
    assert con.execute("select count(*) from raw.fetch_log").fetchone()[0] == 0


def test_values_are_bound_not_spliced(con):
    nasty = "https://a.example/?q='); drop table raw.pages; --"
    wh.record_fetches(con, "r", [result(nasty)])
    assert con.execute("select url from raw.pages").fetchone()[0] == nasty


def test_identifier_quoting_names_a_table_whose_name_holds_a_double_quote(con):
    table, column = wh.table_ref('odd "name"', "main"), wh.ident('a "b')
    assert column == '"a ""b"' and table == '"main"."odd ""name"""'
    con.execute(f"create table {table} ({column} integer)")
    con.execute(f"insert into {table} values (1), (2)")
    assert wh.table_counts(con, ['odd "name"'], schema="main") == {'odd "name"': 2}
    assert [r[0] for r in con.execute(f"select {column} from {table} order by 1").fetchall()] == [1, 2]
