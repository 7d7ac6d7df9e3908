"""Dagster's bookkeeping of a backfill (issue 18): the instance's SQLite event log with Dagster's own connection
handling (one per statement) against the project's (pipelines/event_log.py: one open connection per shard file),
on a stand-in job.

    python -m bench.event_log            # BENCH_EVENT_DAYS (365), BENCH_EVENT_ROUNDS (2)

The stand-in: the project's raw side in miniature -- three raw assets (one asset, one two-asset step) on the news-day
partitions with the project's backfill policy (the whole range in one run), steps that do no work -- run in
process over the last BENCH_EVENT_DAYS news days, on a default SQLite instance, so every second is Dagster's: one ASSET_MATERIALIZATION_PLANNED
per asset per day when the run is created, one ASSET_MATERIALIZATION per asset per day when the steps end. Both
variants commit with synchronous=NORMAL (pipelines/event_log.py, as every process loading the code). Each
measurement is its own subprocess with a fresh DAGSTER_HOME; the variants take turns, BENCH_EVENT_ROUNDS rounds,
so both see the same machine load. Printed per run: wall s of the run, planning s (first event to RUN_START: the
planned events), steps s (RUN_START to RUN_SUCCESS), events, SQLite connections opened; then the ratio of the
medians.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ("dagster", "pooled")


def stand_in_job(fail: bool = False):
    """Three raw assets on the news days, the project's fetch-side backfill policy; `fail`: the first step raises."""
    import dagster as dg

    from pipelines.assets.raw import fetch_side_backfill_policy
    from pipelines.partitions import NEWS_DAYS

    policy = fetch_side_backfill_policy(None)

    @dg.asset(key=["raw", "days"], partitions_def=NEWS_DAYS, backfill_policy=policy)
    def days(context):
        if fail:
            raise RuntimeError("the stage failed")
        return dg.MaterializeResult(metadata={"news_days": len(context.partition_keys)})

    @dg.multi_asset(specs=[dg.AssetSpec(["raw", "left"], deps=[["raw", "days"]]),
                           dg.AssetSpec(["raw", "right"], deps=[["raw", "days"]])],
                    partitions_def=NEWS_DAYS, backfill_policy=policy)
    def pair(context):  # noqa: ARG001
        yield dg.MaterializeResult(asset_key=["raw", "left"])
        yield dg.MaterializeResult(asset_key=["raw", "right"])

    return dg.Definitions(assets=[days, pair]).resolve_implicit_global_asset_job_def()


def measure_one(variant: str, days: int) -> dict[str, float | int]:
    """One stand-in run in this process, on the instance of $DAGSTER_HOME."""
    import logging

    import dagster as dg
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from pipelines.event_log import use_normal_sqlite_sync, use_pooled_event_log_connections
    from pipelines.partitions import NEWS_DAYS, range_tags

    use_normal_sqlite_sync()
    if variant == "pooled":
        use_pooled_event_log_connections()
    keys = NEWS_DAYS.get_partition_keys()[-days:]
    opened = [0]
    event.listen(Engine, "connect", lambda *_: opened.__setitem__(0, opened[0] + 1))
    logging.getLogger("dagster").setLevel(logging.WARNING)  # the console lines are not the storage's cost
    job = stand_in_job()
    with dg.DagsterInstance.get() as instance:
        started = time.perf_counter()
        result = job.execute_in_process(instance=instance, tags=range_tags(keys[0], keys[-1]))
        wall = time.perf_counter() - started
        assert result.success
        records = instance.get_records_for_run(result.run_id, limit=1_000_000).records
        stamps = {r.event_log_entry.dagster_event.event_type: r.event_log_entry.timestamp
                  for r in records if r.event_log_entry.is_dagster_event}
        run_start, run_end = stamps[dg.DagsterEventType.RUN_START], stamps[dg.DagsterEventType.RUN_SUCCESS]
        return {"wall_s": round(wall, 2), "planning_s": round(run_start - records[0].timestamp, 2),
                "steps_s": round(run_end - run_start, 2), "events": len(records),
                "connections": opened[0]}


def run_variant(variant: str, days: int) -> dict[str, float | int]:
    with tempfile.TemporaryDirectory(prefix="bench_event_log_") as home:
        Path(home, "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
        out = subprocess.run([sys.executable, "-m", "bench.event_log", "--one", variant, str(days)], cwd=ROOT, check=True,
                             capture_output=True, text=True, env=dict(os.environ, DAGSTER_HOME=home))
        return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure_one(sys.argv[2], int(sys.argv[3]))))
        return
    days = int(os.environ.get("BENCH_EVENT_DAYS", "365"))
    rounds = int(os.environ.get("BENCH_EVENT_ROUNDS", "2"))
    print(f"stand-in backfill of {days} news days, {rounds} rounds; load average {os.getloadavg()}")
    walls: dict[str, list[float]] = {v: [] for v in VARIANTS}
    for i in range(rounds):
        order = list(VARIANTS) if i % 2 == 0 else list(reversed(VARIANTS))
        for variant in order:
            r = run_variant(variant, days)
            walls[variant].append(r["wall_s"])
            print(f"round {i + 1} {variant:8s} " + "  ".join(f"{k} {v}" for k, v in r.items()), flush=True)
    before, after = statistics.median(walls["dagster"]), statistics.median(walls["pooled"])
    print(f"median wall: dagster {before:.2f} s, pooled {after:.2f} s: {before / after:.2f}x; "
          f"load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
