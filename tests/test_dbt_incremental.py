"""The dbt step rebuilds only what changed: over HTTP (real server, DuckDB file, dbt, Dagster), a first night
builds everything, a quiet night (all 304s) rebuilds only the fetch-log lineage, runs only the fetch log's checks
and replays the other checks' last evaluations (their models read nothing that moved), a night
where one page changed rebuilds the article lineage, and `full_build: true` rebuilds everything. Every night
every check has a result and no "emitted no result" warning is logged. Every dbt invocation re-uses dbt's saved
parse (the one `prepare` made, then the previous invocation's) instead of parsing the whole project again."""
from __future__ import annotations

import json
import logging
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.cli import prepare
from pipelines.partitions import newest_news_day
from tests.support.http_server import Response, conditional, serve
from tests.support.materializations import materialization_metadata
from tests.support.nights import nightly_job, urls_sources
from tests.support.paths import SEED_CORPUS, needs_shared
from tests.support.processes import started_processes
from tests.test_incremental import _page_routes

pytestmark = [pytest.mark.e2e, needs_shared]


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dbt-nights")
    routes = {"/robots.txt": Response(200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n"),
              **_page_routes()}
    records = _Records()
    logging.getLogger().addHandler(records)
    try:
        with serve(routes) as srv:
            sources = urls_sources(tmp / "sources.yaml",
                                   [srv.url(p) for p in sorted(routes) if p.startswith("/news/")])
            warehouse = tmp / "news.duckdb"
            # as `make run` does: dbt parse with the warehouse path the nights use (what the dbt step re-uses)
            prepare(force=True, warehouse=warehouse)
            job = nightly_job(sources, warehouse)
            instance = dg.DagsterInstance.ephemeral()
            day = newest_news_day()
            out = {"warehouse": warehouse, "processes": {}}

            def night(name, **kwargs):
                # the argv of every process the night starts (the dbt invocations among them)
                with started_processes() as argvs:
                    out[name] = job.execute_in_process(instance=instance, partition_key=day, **kwargs)
                out["processes"][name] = argvs

            night("first")
            night("quiet")
            # one page changes: new bytes under a new ETag (a sentence more in its body)
            entry = json.loads((SEED_CORPUS / "index.json").read_text(encoding="utf-8"))[0]
            text = (SEED_CORPUS / entry["file"]).read_bytes().decode(entry["encoding"])
            text = text.replace("</p>", " 세종시는 스마트도시 사업에 5억 원을 투입한다.</p>", 1)
            srv.routes[f"/news/{entry['file']}"] = conditional(
                Response(200, {"Content-Type": f"text/html; charset={entry['encoding']}"},
                         text.encode(entry["encoding"])), etag='"v2"')
            night("changed")
            # a mark on an old fct_fetches row: incremental builds keep it, the full build's --full-refresh drops it
            con = duckdb.connect(str(warehouse))
            con.execute("update marts.fct_fetches set error = 'mark' where run_id = ?", [out["first"].run_id])
            con.close()
            night("full", run_config={"ops": {"news_dbt_models": {"config": {"full_build": True}}}})
            out["warnings"] = list(records.messages)
            yield out
    finally:
        logging.getLogger().removeHandler(records)


def _dbt(result) -> dict[str, dict]:
    return {k: v for k, v in materialization_metadata(result).items() if "rebuilt_tables" in v}


def _dbt_processes(nights, name: str) -> list[list[str]]:
    """The dbt commands a night started (argv after the executable), in order."""
    return [argv[1:] for argv in nights["processes"][name] if Path(argv[0]).name == "dbt"]


def test_every_night_succeeds(nights):
    for name in ("first", "quiet", "changed", "full"):
        assert nights[name].success, name


def test_the_first_night_builds_everything(nights):
    dbt = _dbt(nights["first"])
    assert dbt and {v["rebuilt_tables"] for v in dbt.values()} == {"all"}
    assert not any(v.get("status") == "reused" for v in dbt.values())


def test_a_quiet_night_rebuilds_only_the_fetch_log_lineage(nights):
    dbt = _dbt(nights["quiet"])
    assert {v["rebuilt_tables"] for v in dbt.values()} == {"fetch_log"}
    rebuilt = {k for k, v in dbt.items() if v.get("status") != "reused"}
    assert rebuilt == {"stg_raw__fetch_log", "fct_fetches"}
    assert dbt["dim_articles"]["status"] == "reused" and dbt["dim_articles"]["rebuilt"] is False
    snapshot = materialization_metadata(nights["quiet"])
    assert "warehouse_snapshot" in snapshot, "the published snapshot still runs after a quiet night"


def test_a_quiet_night_runs_only_the_fetch_log_checks_and_replays_the_checks_of_the_reused_models(nights):
    dbt = _dbt(nights["quiet"])
    # the build of the fetch log's lineage runs the fetch log's tests, those that also read a reused model
    # (relationships from fct_fetches to dim_articles) included: no `dbt test` after it
    assert {v["dbt_invocations"] for v in dbt.values()} == {"build"}
    first = {(c.asset_key, c.check_name): c.passed for c in nights["first"].get_asset_check_evaluations()}
    # the dbt tests' checks (the Python checks on the raw and mart assets run with their assets every night)
    evaluations = [c for c in nights["quiet"].get_asset_check_evaluations() if "unique_id" in c.metadata]
    replayed = [c for c in evaluations if "replayed_from_run" in c.metadata]
    run = [c for c in evaluations if "replayed_from_run" not in c.metadata]
    # only the fetch log's dbt tests ran tonight; every other is the first night's evaluation, outcome unchanged
    assert run and {c.asset_key.path[-1] for c in run} <= {"stg_raw__fetch_log", "fct_fetches"}
    assert [c for c in run if c.check_name.startswith("relationships_fct_fetches_")], \
        "the tests from the rebuilt fct_fetches to a reused model ran tonight (they read what moved)"
    assert len(replayed) > 5 * len(run)
    assert replayed and {c.metadata["replayed_from_run"].value for c in replayed} == {nights["first"].run_id}
    assert all(first[(c.asset_key, c.check_name)] == c.passed for c in replayed)


def test_a_changed_page_reruns_the_checks_of_what_it_rebuilt(nights):
    evaluations = nights["changed"].get_asset_check_evaluations()
    assert not [c for c in evaluations if c.asset_key.path[-1] == "dim_articles" and "replayed_from_run" in c.metadata]
    assert {v["dbt_invocations"] for v in _dbt(nights["changed"]).values()} == {"build"}


def test_each_night_starts_one_dbt_process_its_build(nights):
    # issue 18: a quiet night's dbt step was three dbt processes (`dbt --version` that dagster-dbt ran to learn the
    # version, asking pypi.org on the way; the build; `dbt test` of the tests between a rebuilt and a reused model)
    commands = {name: _dbt_processes(nights, name) for name in ("first", "quiet", "changed", "full")}
    for name in ("first", "full"):
        assert [(c[0], "--full-refresh" in c) for c in commands[name]] == [("build", True)], commands[name]
    for name in ("quiet", "changed"):
        assert [(c[0], "--exclude" in c) for c in commands[name]] == [("build", True)], commands[name]
    assert not [c for cs in commands.values() for c in cs if "--version" in c]


def test_a_changed_page_rebuilds_the_article_lineage(nights):
    dbt = _dbt(nights["changed"])
    changed = {t for v in dbt.values() for t in v["rebuilt_tables"].split(", ")}
    assert {"articles", "page_parses", "fetch_log"} <= changed
    assert dbt["dim_articles"].get("status") != "reused"
    assert dbt["fct_budgets"].get("status") != "reused"


def test_the_full_build_switch_rebuilds_everything(nights):
    dbt = _dbt(nights["full"])
    assert {v["rebuilt_tables"] for v in dbt.values()} == {"all"}
    assert not any(v.get("status") == "reused" for v in dbt.values())
    con = duckdb.connect(str(nights["warehouse"]), read_only=True)
    try:
        marked = con.execute("select count(*) from marts.fct_fetches where error = 'mark'").fetchone()[0]
    finally:
        con.close()
    assert marked == 0, "the incremental fct_fetches was not re-created (--full-refresh)"


def test_every_check_has_a_result_every_night_and_no_missing_result_warning(nights):
    expected = {(c.asset_key, c.check_name) for c in nights["first"].get_asset_check_evaluations()}
    assert expected
    for name in ("quiet", "changed", "full"):
        got = {(c.asset_key, c.check_name) for c in nights[name].get_asset_check_evaluations()}
        assert got == expected, (name, expected ^ got)
    assert not [m for m in nights["warnings"] if "emitted no result" in m]


def test_the_build_state_is_kept_in_the_warehouse(nights):
    con = duckdb.connect(str(nights["warehouse"]), read_only=True)
    try:
        tables = {r[0] for r in con.execute("select source_table from raw.dbt_builds").fetchall()}
    finally:
        con.close()
    assert {"fetch_log", "articles", "page_parses", "money_mentions", "(dbt project)"} <= tables


def test_every_dbt_invocation_of_every_night_reuses_the_saved_parse(nights):
    # prepare's `dbt parse` and the dbt step's invocations agree on what dbt hashes into its parse state (--target,
    # the warehouse path): the first night's build starts from prepare's parse, each later invocation from the
    # previous one's; a full parse is tens of seconds of a quiet night (issue 18)
    parses = {name: {v["dbt_parse"] for v in _dbt(nights[name]).values()}
              for name in ("first", "quiet", "changed", "full")}
    assert parses == {"first": {"build: partial"}, "quiet": {"build: partial"},
                      "changed": {"build: partial"}, "full": {"build: partial"}}
