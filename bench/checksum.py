"""Checksums of the built marts and reporting relations: proof that a change to the dbt models (or to the stages)
left every row as it was.

    python -m bench.checksum path/to/news.duckdb            # one line per relation, then the facts checksum
    python -m bench.checksum a.duckdb b.duckdb              # the relations whose rows differ (exit 1 if any)

A relation's checksum is the md5 of its rows' md5s in sorted order (each row cast to text as a struct, so every
column and NULL counts; the order dbt wrote the rows in does not). `facts_checksum` combines the relations that
hold facts, leaving out what differs from run to run by design: marts.fct_fetches (one row per URL per run) and
the columns that are times or ids of a run (fetched_at, parsed_at, run_id ...). Two runs over the same corpus have
the same facts checksum; the per-relation checksums compare two builds over the same raw tables.
"""
from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

SCHEMAS = ("marts", "reporting")
TIMEZONE = "Asia/Seoul"  # dbt/profiles.yml and pipelines/warehouse/connection.py
# differ between two runs over the same corpus by design
RUN_RELATIONS = frozenset({"marts.fct_fetches"})
RUN_COLUMNS = frozenset({"fetched_at", "parsed_at", "run_id", "loaded_at", "extracted_at", "built_at"})


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


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
    cols = ", ".join(_quote(c) for c in columns)
    n, digest = con.execute(f"""
        select count(*), md5(coalesce(string_agg(h, '' order by h), ''))
        from (select md5(t::varchar) as h from (select {cols} from {_quote(schema)}.{_quote(name)}) t)""").fetchone()
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


def warehouse_checksums(path: Path | str, *, skip_run_columns: bool = False) -> dict[str, tuple[int, str]]:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        return relation_checksums(con, skip_run_columns=skip_run_columns)
    finally:
        con.close()


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2):
        print(__doc__)
        return 2
    sums = [warehouse_checksums(p) for p in argv]
    if len(sums) == 1:
        for rel, (n, digest) in sums[0].items():
            print(f"{rel}\t{n}\t{digest}")
        print(f"all relations\t{sum(n for n, _ in sums[0].values())}\t{combined(sums[0])}")
        return 0
    a, b = sums
    differ = sorted(rel for rel in set(a) | set(b) if a.get(rel) != b.get(rel))
    for rel in differ:
        print(f"differs: {rel}\t{a.get(rel)}\t{b.get(rel)}")
    print(f"{len(set(a) | set(b)) - len(differ)} relations equal, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
