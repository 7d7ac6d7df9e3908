"""Command line behind the Makefile: `python -m pipelines.cli {prepare,run,dbt-build-check}`.

prepare          dbt parse when the dbt project changed (the dbt assets load from its manifest), with the dbt
                 step's --target and warehouse path (its saved parse is what the night's dbt re-uses)
run              run the `nightly_refresh` job once (--full-build: dbt rebuilds everything), in process, on NEWS_SOURCES into NEWS_WAREHOUSE,
                 showing each stage's progress (bars on a terminal, one plain line per stage otherwise), then a summary:
                 what this run did, the totals with what it added (+N), failed sources, checks; after a failed run the
                 cause on one line and the last good (published) totals, labelled as such
dbt-build-check  land the demo corpus in a temporary warehouse and run `dbt build` (models + data tests)
export           write the marts as Parquet and as CSV with a UTF-8 BOM (Excel) to --out
report           write a self-contained static HTML report (charts, latest articles, data quality)
check-sources    validate a sources file (default: NEWS_SOURCES): every problem on one line, exit 2 if any
"""
from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from .dbt_parse import target_args
from .settings import DBT_PROJECT_DIR, PROJECT_DIR, dbt_executable, dbt_target, executor_name, load_settings

MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"
# the console shows warnings and errors; every event is still in the Dagster instance (make ui)
QUIET_RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def _dbt_env(warehouse: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["DBT_PROFILES_DIR"] = str(DBT_PROJECT_DIR)
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    env["DO_NOT_TRACK"] = "1"
    # the resolved path, as the dbt step sets it (settings.dbt_warehouse_env): dbt keeps its parse only for the
    # profile values it was made with (pipelines/dbt_parse.py)
    env["NEWS_WAREHOUSE"] = str(warehouse if warehouse is not None else load_settings().warehouse_path)
    return env


def readable_warehouse(warehouse: Path) -> Path:
    """The published read-only snapshot when there is one (never blocks the writer), else the warehouse."""
    from .publish import published_path

    snapshot = published_path(warehouse)
    return snapshot if snapshot.exists() else warehouse


def manifest_is_stale() -> bool:
    if not MANIFEST.exists():
        return True
    built = MANIFEST.stat().st_mtime
    watched = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in ("models", "seeds", "macros", "tests", "analyses"):
        watched += [p for p in (DBT_PROJECT_DIR / folder).rglob("*") if p.is_file()]
    return any(p.stat().st_mtime > built for p in watched if p.exists())


def prepare(force: bool = False, warehouse: Path | None = None) -> None:
    """dbt parse (the manifest the dbt assets load from) when the dbt project changed, with the target and warehouse
    path the nightly dbt step uses (NEWS_WAREHOUSE, else `warehouse`, else the default): its saved parse is then
    the one the night's dbt invocations start from (pipelines/dbt_parse.py)."""
    if force or manifest_is_stale():
        subprocess.run([dbt_executable(), "parse", "--quiet", "--project-dir", str(DBT_PROJECT_DIR),
                        *target_args(dbt_target())],
                       env=_dbt_env(warehouse), check=True, cwd=DBT_PROJECT_DIR)


TOTALS = {
    "articles": "select count(*) from marts.dim_articles",
    "budgets": "select count(*) from marts.fct_budgets",
    "events": "select count(*) from marts.fct_events",
    "partnerships": "select count(distinct partnership_id) from marts.fct_partnerships",
    "partnership_members": "select count(*) from marts.fct_partnerships",
    "organizations": "select count(*) from marts.dim_organizations",
}


def summarize(warehouse: Path, run_id: str | None = None) -> dict[str, int]:
    """The marts' totals, and pages_read: the fetches of run `run_id` (default: the newest run)."""
    import duckdb

    from .warehouse import LATEST_RUN_ID_SQL

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        run = "?" if run_id else f"({LATEST_RUN_ID_SQL})"
        out = {"pages_read": con.execute(f"select count(*) from raw.fetch_log where run_id = {run} and outcome "
                                         f"<> 'feed_error'", [run_id] if run_id else []).fetchone()[0]}
        return out | {k: con.execute(v).fetchone()[0] for k, v in TOTALS.items()}
    finally:
        con.close()


def totals_or_none(warehouse: Path) -> dict[str, int] | None:
    """The marts' totals of a warehouse file, None when it has none (no file, no marts yet, locked)."""
    if not warehouse.exists():
        return None
    try:
        return summarize(warehouse)
    except Exception:  # noqa: BLE001 - no marts yet (first run), or another process holds the file
        return None


def _signed(n: int) -> str:
    return f"+{n}" if n >= 0 else str(n)


def run_facts(result: object) -> dict[str, int]:
    """What the run did, from its raw assets' materialisation metadata (absent: the step did not get there)."""
    wanted = {
        "raw/discovered_urls": {"dagster/row_count": "urls", "new_urls": "urls_new"},
        "raw/pages": {"new_pages": "pages_new", "updated_pages": "pages_changed", "not_modified": "not_modified"},
        "raw/fetch_log": {"requests_this_run": "requests"},
        "raw/articles": {"new_articles": "articles_new", "updated_articles": "articles_updated"},
        "raw/sentences": {"articles_extracted_this_run": "articles_extracted"},
    }
    out: dict[str, int] = {}
    for ev in result.get_asset_materialization_events():  # type: ignore[attr-defined]
        mat = ev.event_specific_data.materialization
        for meta_key, name in wanted.get(mat.asset_key.to_user_string(), {}).items():
            value = mat.metadata.get(meta_key)
            if value is not None:
                out[name] = int(getattr(value, "value", value))
    return out


def describe_run(facts: dict[str, int]) -> str:
    """One line: what this run did (as far as it got)."""
    parts = []
    if "urls" in facts:
        parts.append(f"{facts['urls']} URLs listed ({facts.get('urls_new', 0)} new)")
    if "requests" in facts:
        parts.append(f"{facts['requests']} fetched ({facts.get('pages_new', 0)} new pages, "
                     f"{facts.get('pages_changed', 0)} changed, {facts.get('not_modified', 0)} not modified)")
    if "articles_new" in facts:
        parts.append(f"{facts['articles_new']} new articles, {facts.get('articles_updated', 0)} updated")
    if "articles_extracted" in facts:
        parts.append(f"{facts['articles_extracted']} articles extracted")
    return "; ".join(parts) or "nothing landed"


def root_cause(err: object) -> str:
    """The innermost cause of a Dagster SerializableErrorInfo, as one line ('Type: message')."""
    if err is None:
        return "unknown error"
    while getattr(err, "cause", None) is not None:
        err = err.cause
    message = " ".join(str(getattr(err, "message", err)).split())
    return message[:500] or getattr(err, "cls_name", "error")


def run_nightly(first_day: str | None = None, last_day: str | None = None, full_build: bool = False) -> int:
    """Run nightly_refresh in process: by default for the newest news day (what the schedule does at 02:00);
    with first_day..last_day, one run over that range of days (a backfill). full_build: dbt rebuilds every
    model and runs every test (default: only what is downstream of the raw tables that changed)."""
    import dagster as dg

    from .definitions import defs
    from .partitions import newest_news_day, range_tags, window_for

    settings = load_settings()
    started = time.monotonic()
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()
    job = defs.resolve_job_def("nightly_refresh")
    # dbt's own progress lines go to a log file beside the warehouse; the console gets the summary
    log_path = settings.warehouse_path.parent / "logs" / "last_run.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    last_day = last_day or newest_news_day()
    first_day = first_day or last_day
    try:
        window = window_for(first_day, last_day)
    except ValueError as exc:
        print(f"nightly_refresh not started: {exc}", file=sys.stderr)
        return 2
    if first_day == last_day:
        partition = {"partition_key": first_day}
    else:
        partition = {"tags": range_tags(first_day, last_day)}
    from .runs import PoolWaitTimeout, StopGuard, process_tags, reap_dead_runs, wait_for_pools

    # a run that died (SIGKILL, OOM, reboot) must not block this one: fail it and free its pool slots, then wait
    # (with a deadline, saying for what) while a live run holds the warehouse
    for line in reap_dead_runs(instance):
        print(f"  reaped: {line}", flush=True)
    try:
        wait_for_pools(instance, say=lambda m: print(f"  {m}", flush=True))
    except PoolWaitTimeout as exc:
        print(f"nightly_refresh not started: {exc}", file=sys.stderr)
        return 75  # EX_TEMPFAIL: try again later
    run_id = str(uuid.uuid4())
    tags = {**partition.pop("tags", {}), **process_tags()}
    console = sys.stderr
    before = totals_or_none(settings.warehouse_path)  # for "what this run added" (no writer runs: pools waited)
    print(f"nightly_refresh: news days {window.describe()} (run {run_id})", flush=True)
    if executor_name() != "in_process":
        print("  (steps run in their own processes: no progress per stage, the summary follows the run)", flush=True)
    from . import progress
    from .console import console_progress

    out = sys.stdout
    # Dagster's and dbt's own lines (tracebacks included) go to the log file; the console gets the live progress
    # of each stage (pipelines/progress.py) and the summary
    with open(log_path, "w", encoding="utf-8") as log, console_progress(out) as sink, \
            progress.listening(sink), contextlib.redirect_stdout(log), contextlib.redirect_stderr(log), \
            StopGuard(instance, run_id, say=lambda m: print(m, file=console, flush=True)) as guard:
        run_config = dict(QUIET_RUN_CONFIG)
        if full_build:
            run_config["ops"] = {"news_dbt_models": {"config": {"full_build": True}}}
        try:
            result = job.execute_in_process(instance=instance, raise_on_error=False, run_config=run_config,
                                            run_id=run_id, tags=tags, **partition)
        except KeyboardInterrupt:
            result = None
    if result is None or guard.stopped_by is not None:
        from .runs import fail_run

        sig = guard.stopped_by or signal.SIGINT
        fail_run(instance, run_id, f"stopped by {signal.Signals(sig).name}")
        print(f"nightly_refresh stopped by {signal.Signals(sig).name} after {time.monotonic() - started:.1f} s "
              f"(run {run_id}); every batch committed before the stop is kept", file=sys.stderr)
        return 128 + sig
    wall = time.monotonic() - started
    checks = result.get_asset_check_evaluations()
    passed = sum(1 for c in checks if c.passed)
    failed = [c for c in checks if not c.passed]
    warned = sum(1 for c in failed if getattr(c.severity, "value", c.severity) == "WARN")
    check_errors = len(failed) - warned
    ok = result.success and check_errors == 0
    print()
    verdict = "succeeded" if ok else "FAILED"
    if result.success and check_errors:
        verdict += f" ({check_errors} check(s) of severity error failed; the marts were built and published)"
    print(f"nightly_refresh {verdict} in {wall:.1f} s  (run {result.run_id})")
    if not result.success:  # the cause first, one line per failed step (tracebacks in the log file)
        for ev in result.all_events:
            if ev.is_step_failure:
                print(f"  cause        : step {ev.step_key} failed: {root_cause(ev.step_failure_data.error)}")
    print(f"  news days    : {window.describe()}")
    print(f"  sources file : {settings.sources_path}")
    print(f"  warehouse    : {settings.warehouse_path}")
    print(f"  dbt log      : {log_path}")
    try:
        print(f"  this run     : {describe_run(run_facts(result))}")
        for name, why in failed_sources_of_run(settings.warehouse_path, result.run_id).items():
            print(f"  failed source: {name}: {why}")
    except Exception as exc:  # noqa: BLE001 - the summary must not hide the run's own outcome
        print(f"  (no account of this run: {exc})")
    if result.success:
        print_totals(settings.warehouse_path, result.run_id, before, run_facts(result))
    else:
        print_last_good(settings.warehouse_path)
    print(f"  checks       : {passed} passed, {warned} warned, {check_errors} failed")
    for c in failed:
        sev = getattr(c.severity, "value", c.severity)
        print(f"    - {c.asset_key.to_user_string()} {c.check_name} ({sev})")
    if not result.success:
        print(f"  (tracebacks: {log_path})")
    return 0 if ok else 1


def failed_sources_of_run(warehouse: Path, run_id: str) -> dict[str, str]:
    """The sources that failed in this run, with the reason (pipelines/stages.py: DELIVERED)."""
    import duckdb

    from .stages import failed_sources_of

    if not warehouse.exists():
        return {}
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return failed_sources_of(con, run_id)
    finally:
        con.close()


def print_totals(warehouse: Path, run_id: str, before: dict[str, int] | None, facts: dict[str, int]) -> None:
    """The marts' totals after a run that built them, each with what this run changed (+N / -N)."""
    try:
        s = summarize(warehouse, run_id)
    except Exception as exc:  # noqa: BLE001 - the summary must not hide the run's own outcome
        print(f"  (no summary: {exc})")
        return
    base = before or {k: 0 for k in s}

    def delta(key: str) -> str:
        return _signed(s[key] - base.get(key, 0))

    print(f"  pages read   : {s['pages_read']}")
    print(f"  articles     : {s['articles']}  ({delta('articles')}, {facts.get('articles_updated', 0)} updated)")
    print(f"  budgets      : {s['budgets']}  ({delta('budgets')})")
    print(f"  events       : {s['events']}  ({delta('events')})")
    print(f"  partnerships : {s['partnerships']} ({s['partnership_members']} members, "
          f"{s['organizations']} organisations)  ({delta('partnerships')})")


def print_last_good(warehouse: Path) -> None:
    """After a failed run: not the warehouse's totals as if fresh, but the last published (good) state, labelled."""
    from datetime import datetime, timezone

    from .publish import published_path

    snapshot = published_path(warehouse)
    good = totals_or_none(snapshot)
    if good is None:
        print("  marts        : not refreshed by this run; no run has published them yet")
        return
    at = datetime.fromtimestamp(snapshot.stat().st_mtime, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"  marts        : not refreshed by this run; last good totals (published {at}): "
          f"{good['articles']} articles, {good['budgets']} budgets, {good['events']} events, "
          f"{good['partnerships']} partnerships")


def dbt_build_check() -> int:
    """Land the demo corpus into a throwaway warehouse (raw stages), then run `dbt build` on it."""
    import dagster as dg

    from .assets.raw import discovered_urls, fetched_pages, parsed_articles, text_mentions
    from .definitions import build_definitions
    from .partitions import newest_news_day
    from .settings import DEFAULT_SOURCES, Settings

    with tempfile.TemporaryDirectory(prefix="news-dbt-") as tmp:
        warehouse = Path(tmp) / "news.duckdb"
        defs = build_definitions(Settings(sources_path=DEFAULT_SOURCES, warehouse_path=warehouse))
        result = dg.materialize([discovered_urls, fetched_pages, parsed_articles, text_mentions],
                                resources=defs.resources, instance=dg.DagsterInstance.ephemeral(),
                                partition_key=newest_news_day())
        if not result.success:
            print("raw stages failed; dbt build not run", file=sys.stderr)
            return 1
        print(f"dbt build on the demo corpus ({warehouse})", flush=True)
        # its artifacts in the temporary folder: the project's target/ (the manifest the assets load, the parse the
        # nightly dbt step starts from) is left as `prepare` made it
        proc = subprocess.run([dbt_executable(), "build", "--project-dir", str(DBT_PROJECT_DIR),
                               *target_args(dbt_target()), "--target-path", str(Path(tmp) / "target")],
                              env=_dbt_env(warehouse), cwd=DBT_PROJECT_DIR)
        return proc.returncode


def check_sources(path: str | None = None, *, before_run: bool = False) -> int:
    """Validate the sources file (`path`, else NEWS_SOURCES / the demo sources): every problem on stderr,
    one line each; 0 when the file can be used, 2 when not. `run` calls it before anything starts."""
    from .sources.config import load_sources, validate_sources_file

    target = Path(path).expanduser().resolve() if path else load_settings().sources_path
    problems = validate_sources_file(target)
    for line in problems:
        print(line, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem{'s' * (len(problems) > 1)} in {target}"
              + ("; nightly_refresh not started" if before_run else ""), file=sys.stderr)
        return 2
    if not before_run:
        n = len(load_sources(target).sources)
        print(f"{target}: ok ({n} source{'s' * (n != 1)})")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="pipelines.cli", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["prepare", "run", "dbt-build-check", "export", "report", "check-sources"])
    ap.add_argument("file", nargs="?", help="check-sources: the sources file (default: NEWS_SOURCES)")
    ap.add_argument("--out", help="export: the folder (default export/); report: the file (default report/index.html)")
    ap.add_argument("--force", action="store_true", help="prepare: parse even when nothing changed")
    ap.add_argument("--from", dest="first_day", metavar="YYYY-MM-DD",
                    help="run: first news day of a backfill (default: the newest complete day, Asia/Seoul)")
    ap.add_argument("--to", dest="last_day", metavar="YYYY-MM-DD",
                    help="run: last news day of a backfill (default: the newest complete day)")
    ap.add_argument("--full-build", action="store_true",
                    help="run: dbt rebuilds every model and runs every test (default: only the models downstream "
                         "of the raw tables that changed since the last build)")
    a = ap.parse_args(argv)
    if a.file and a.command != "check-sources":
        ap.error(f"{a.command} takes no file (the sources file comes from NEWS_SOURCES)")
    if a.command == "check-sources":
        return check_sources(a.file)
    from .runs import LAST_SIGNAL, raise_keyboard_interrupt

    # SIGTERM (systemd, a deploy, `kill`) ends any command like Ctrl-C does: promptly, exit status 128 + signal
    signal.signal(signal.SIGTERM, raise_keyboard_interrupt)
    try:
        return _main(a)
    except KeyboardInterrupt:
        sig = LAST_SIGNAL.get("signum", signal.SIGINT)
        print(f"stopped by {signal.Signals(sig).name}", file=sys.stderr)
        return 128 + sig


def _main(a: argparse.Namespace) -> int:
    os.chdir(PROJECT_DIR)
    if a.command == "run" and check_sources(before_run=True):  # the file run reads; nothing starts if bad
        return 2
    if a.command == "prepare":
        prepare(force=a.force)
        return 0
    if a.command == "export":
        from .export import export_marts

        warehouse = load_settings().warehouse_path
        out = Path(a.out or "export").resolve()
        counts = export_marts(readable_warehouse(warehouse), out)
        for table, n in counts.items():
            print(f"  {table:<18} {n:>7} rows → {out / table}.parquet / .csv")
        return 0
    if a.command == "report":
        from .report import write_report

        out = write_report(readable_warehouse(load_settings().warehouse_path),
                           Path(a.out or "report/index.html").resolve())
        print(f"report written: {out}")
        return 0
    prepare()
    if a.command == "run":
        return run_nightly(a.first_day, a.last_day, full_build=a.full_build)
    return dbt_build_check()


if __name__ == "__main__":
    sys.exit(main())
