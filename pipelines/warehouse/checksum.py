"""Checksums of a built warehouse: do two warehouses hold the same facts? One definition for the scale bench
(`bench/checksum.py`, `bench/scale.py`), the fan-out bench and tests (Celery backfill vs in-process run) and the
shared-store test (Parquet commits vs one file).

A relation's checksum is the md5 of its rows' md5s in sorted order (each row cast to text as a struct, so every
column and NULL counts; the order the rows were written in does not). `facts_checksum` combines the relations that
hold facts, leaving out what differs from run to run by design: marts.fct_fetches (one row per URL per run) and
the columns that are times or ids of a run (RUN_COLUMNS). Two runs over the same corpus have the same facts
checksum; the per-relation checksums (all columns) compare two builds over the same raw tables.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from .connection import ident

SCHEMAS = ("marts", "reporting")
TIMEZONE = "Asia/Seoul"  # dbt/profiles.yml and pipelines/warehouse/connection.py
# differ between two runs over the same corpus by design
RUN_RELATIONS = frozenset({"marts.fct_fetches"})
RUN_COLUMNS = frozenset({
    "run_id", "fetch_id", "fetch_key", "fetched_at", "parsed_at", "loaded_at", "extracted_at", "built_at",
    "discovered_at", "first_fetched_at", "last_fetched_at", "first_seen_at", "last_seen_at"})


def relation_columns(con, schemas: Iterable[str] = SCHEMAS) -> dict[str, list[str]]:
    """{'schema.relation': [column, ...]} of every table and view in `schemas`, in column order."""
    schemas = tuple(schemas)
    rows = con.execute(f"""
        select table_schema, table_name, column_name from information_schema.columns
        where table_schema in ({", ".join("?" for _ in schemas)})
        order by table_schema, table_name, ordinal_position""", list(schemas)).fetchall()
    out: dict[str, list[str]] = {}
    for schema, table, column in rows:
        out.setdefault(f"{schema}.{table}", []).append(column)
    return out


def relation_checksum(con, relation: str, columns: list[str]) -> tuple[int, str]:
    """(row count, md5 of the sorted row md5s) of `columns` of relation 'schema.name'."""
    schema, name = relation.split(".", 1)
    cols = ", ".join(ident(c) for c in columns)
    n, digest = con.execute(f"""
        select count(*), md5(coalesce(string_agg(h, '' order by h), ''))
        from (select md5(t::varchar) as h from (select {cols} from {ident(schema)}.{ident(name)}) t)""").fetchone()
    return int(n), digest


def relation_checksums(con, schemas: Iterable[str] = SCHEMAS, *, skip_run_columns: bool = False) -> dict[str, tuple[int, str]]:
    """{'schema.relation': (rows, checksum)} of every relation in `schemas` (with skip_run_columns: without the
    run-specific relations and columns, see RUN_RELATIONS / RUN_COLUMNS). Sets the connection's TimeZone to
    Asia/Seoul, as dbt and the pipeline's connections have it: a view's `timestamptz::date` depends on it."""
    con.execute(f"SET TimeZone = '{TIMEZONE}'")
    out = {}
    for relation, columns in relation_columns(con, schemas).items():
        if skip_run_columns:
            if relation in RUN_RELATIONS:
                continue
            columns = [c for c in columns if c not in RUN_COLUMNS]
        out[relation] = relation_checksum(con, relation, columns)
    return out


def combined(checksums: Mapping[str, tuple[int, str]]) -> str:
    """One md5 over the relations' names, row counts and checksums."""
    text = "\n".join(f"{rel}|{n}|{digest}" for rel, (n, digest) in sorted(checksums.items()))
    return hashlib.md5(text.encode()).hexdigest()


def facts_checksum(con) -> dict[str, object]:
    """The marts' and reporting relations' facts (run-specific relations and columns left out): one combined
    checksum, the per-relation ones and the total rows; what the scale bench prints."""
    per = relation_checksums(con, skip_run_columns=True)
    return {"facts_md5": combined(per), "relations": len(per), "rows": sum(n for n, _ in per.values()),
            "per_relation": {rel: f"{n}|{digest}" for rel, (n, digest) in per.items()}}


def warehouse_checksums(path: Path | str, schemas: Iterable[str] = SCHEMAS, *,
                        skip_run_columns: bool = False) -> dict[str, tuple[int, str]]:
    """relation_checksums of the warehouse file at `path`, opened read-only."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        return relation_checksums(con, schemas, skip_run_columns=skip_run_columns)
    finally:
        con.close()




def marts_checksums(path: Path | str) -> dict[str, tuple[int, str]]:
    """{'marts.<table>': (rows, checksum)} of the marts of the warehouse file at `path`, without the run-specific
    relations and columns: equal for two runs (or two ways of running) over the same news days."""
    return warehouse_checksums(path, ("marts",), skip_run_columns=True)
