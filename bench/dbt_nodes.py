"""Time every dbt node (model, seed, test) of one `dbt build` on an existing warehouse, then checksum its marts.

    python -m bench.dbt_nodes WAREHOUSE.duckdb [--project-dir DIR] [--out FILE.json] [-- dbt args ...]

Runs `dbt build --full-refresh` (or the dbt args after `--`) of the dbt project in DIR (default: this repo's
dbt/) against WAREHOUSE (NEWS_WAREHOUSE, as dbt/profiles.yml reads it; the file is changed: use a copy), with
its own --target-path. Prints each node's execution time from dbt's run_results.json (slowest first), the total,
the wall time of the invocation, and the checksum of every marts and reporting relation (pipelines/warehouse/checksum.py).
Give the same warehouse's raw tables to two project versions to compare them node by node and row by row.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipelines.warehouse.checksum import combined, warehouse_checksums

ROOT = Path(__file__).resolve().parent.parent


def node_times(run_results: dict) -> list[tuple[str, str, float]]:
    """(unique_id, status, seconds) of every node in dbt's run_results.json, slowest first."""
    rows = [(r["unique_id"], str(r.get("status")), float(r.get("execution_time") or 0.0))
            for r in run_results.get("results", [])]
    return sorted(rows, key=lambda r: (-r[2], r[0]))


def run(warehouse: Path, project_dir: Path, args: list[str]) -> dict:
    target = Path(tempfile.mkdtemp(prefix="dbt-nodes-"))
    env = dict(os.environ, NEWS_WAREHOUSE=str(warehouse), DBT_PROFILES_DIR=str(project_dir), DO_NOT_TRACK="1",
               DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    dbt = Path(sys.executable).with_name("dbt")
    started = time.perf_counter()
    proc = subprocess.run([str(dbt), *args, "--project-dir", str(project_dir), "--target-path", str(target), "-q"],
                          cwd=project_dir, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    sums = warehouse_checksums(warehouse)
    return {"args": args, "project_dir": str(project_dir), "returncode": proc.returncode, "wall_s": round(wall, 2),
            "nodes": node_times(results), "checksums": {k: list(v) for k, v in sums.items()},
            "all_relations_md5": combined(sums), "stderr_tail": proc.stderr[-2000:] + proc.stdout[-2000:]}


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print(__doc__)
        return 2
    warehouse, rest = Path(argv[0]), argv[1:]
    project_dir, out, args = ROOT / "dbt", None, ["build", "--full-refresh"]
    while rest:
        if rest[0] == "--project-dir":
            project_dir, rest = Path(rest[1]).resolve(), rest[2:]
        elif rest[0] == "--out":
            out, rest = Path(rest[1]), rest[2:]
        elif rest[0] == "--":
            args, rest = rest[1:], []
        else:
            print(__doc__)
            return 2
    report = run(warehouse, project_dir, args)
    for uid, status, seconds in report["nodes"]:
        print(f"{seconds:8.2f}  {status:8}  {uid}")
    total = sum(s for _, _, s in report["nodes"])
    print(f"sum of node times {total:.1f} s; dbt wall {report['wall_s']} s; rc {report['returncode']}; "
          f"marts+reporting md5 {report['all_relations_md5']}")
    if out:
        out.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return report["returncode"]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
