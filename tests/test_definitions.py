"""The code location loads, and its asset graph is the pipeline's true lineage."""
from __future__ import annotations

import dagster as dg
import pytest

from pipelines.assets.dbt import dbt_layer
from pipelines.definitions import defs
from pipelines.tables import MARTS

FETCH = dg.AssetKey(["raw", "pages"])


@pytest.fixture(scope="module")
def graph():
    return defs.resolve_asset_graph()


def _upstream_closure(graph, key: dg.AssetKey) -> set[dg.AssetKey]:
    seen, todo = set(), [key]
    while todo:
        k = todo.pop()
        for parent in graph.get(k).parent_keys:
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def test_definitions_validate():
    dg.Definitions.validate_loadable(defs)


def test_nightly_schedule_runs_the_job_at_two_seoul_time():
    schedule = defs.resolve_schedule_def("nightly_refresh_schedule")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "Asia/Seoul"
    assert schedule.job_name == "nightly_refresh"
    job = defs.resolve_job_def("nightly_refresh")
    assert job.name == "nightly_refresh"


@pytest.mark.parametrize("mart", MARTS)
def test_every_mart_traces_back_to_the_fetch_asset(graph, mart):
    key = dg.AssetKey(["marts", mart])
    assert graph.has(key), f"{key} missing from the asset graph"
    upstream = _upstream_closure(graph, key)
    assert FETCH in upstream
    assert dg.AssetKey(["raw", "discovered_urls"]) in upstream


def test_dbt_sources_are_the_raw_python_assets(graph):
    # every raw/* key the dbt models depend on is materialised by a Python asset, not a stub
    raw_keys = {k for k in graph.get_all_asset_keys() if k.path[0] == "raw"}
    assert {dg.AssetKey(["raw", t]) for t in ("articles", "money_mentions", "fetch_log", "page_parses")} <= raw_keys
    for k in raw_keys:
        assert graph.get(k).is_materializable, f"{k} is an external stub: the lineage would be broken"


def test_dbt_tests_are_asset_checks_on_the_marts(graph):
    check_keys = graph.asset_check_keys
    on_budgets = {c.name for c in check_keys if c.asset_key == dg.AssetKey(["marts", "fct_budgets"])}
    assert any(name.startswith("accepted_values") and "funding_source" in name for name in on_budgets)
    assert any(name.startswith("unique") and "budget_id" in name for name in on_budgets)
    for mart in MARTS:
        assert any(c.asset_key == dg.AssetKey(["marts", mart]) for c in check_keys), mart


def test_layers_group_the_graph(graph):
    assert graph.get(dg.AssetKey(["staging", "stg_raw__articles"])).group_name == "staging"
    assert graph.get(dg.AssetKey(["marts", "fct_events"])).group_name == "marts"
    assert graph.get(dg.AssetKey(["raw", "articles"])).group_name == "raw"
    # the readable views sit downstream of the marts, and the published copy waits for them
    budgets = graph.get(dg.AssetKey(["reporting", "budgets"]))
    assert budgets.group_name == "reporting" and dg.AssetKey(["marts", "fct_budgets"]) in budgets.parent_keys
    snapshot = graph.get(dg.AssetKey(["published", "warehouse_snapshot"]))
    assert {dg.AssetKey(["reporting", "search_index"]), dg.AssetKey(["reporting", "events"])} <= snapshot.parent_keys


def test_dbt_layer_from_folder_and_seed():
    assert dbt_layer({"resource_type": "model", "fqn": ["kr_smartcity_news", "marts", "fct_budgets"]}) == "marts"
    assert dbt_layer({"resource_type": "seed", "fqn": ["kr_smartcity_news", "org_aliases"]}) == "reference"
    assert dbt_layer({"resource_type": "model", "fqn": ["kr_smartcity_news", "fct_x"]}) is None


