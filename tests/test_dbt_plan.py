"""dbt build planning (pipelines/dbt_plan.py) on a small manifest of our own: what a night rebuilds, reuses and runs.

raw.pages ─► stg_pages ─► int_articles ─► fct_articles ◄─ seed local_governments
raw.fetches ─► stg_fetches ─────────────────┘
raw.unused (read by no model)
"""
from __future__ import annotations

import copy

from pipelines import dbt_plan
from pipelines.dbt_plan import PROJECT_KEY, SKIPPED

P = "kr_smartcity_news"


def node(kind: str, name: str, folder: str | None, checksum: str = "c0") -> dict:
    fqn = [P, folder, name] if folder else [P, name]
    return {"resource_type": kind, "name": name, "fqn": fqn, "checksum": {"checksum": checksum}}


def manifest() -> dict:
    m = {
        "sources": {f"source.{P}.raw.{t}": {"source_name": "raw", "name": t} for t in ("pages", "fetches", "unused")},
        "nodes": {
            f"model.{P}.stg_pages": node("model", "stg_pages", "staging"),
            f"model.{P}.stg_fetches": node("model", "stg_fetches", "staging"),
            f"model.{P}.int_articles": node("model", "int_articles", "intermediate"),
            f"model.{P}.fct_articles": node("model", "fct_articles", "marts"),
            f"seed.{P}.local_governments": node("seed", "local_governments", None),
            f"test.{P}.not_null_fct_articles_id": node("test", "not_null_fct_articles_id", None),
        },
        "macros": {f"macro.{P}.project_name_tokens": {"checksum": {"checksum": "m0"}}},
    }
    parents = {
        f"model.{P}.stg_pages": [f"source.{P}.raw.pages"],
        f"model.{P}.stg_fetches": [f"source.{P}.raw.fetches"],
        f"model.{P}.int_articles": [f"model.{P}.stg_pages"],
        f"model.{P}.fct_articles": [f"model.{P}.int_articles", f"model.{P}.stg_fetches",
                                    f"seed.{P}.local_governments"],
        f"test.{P}.not_null_fct_articles_id": [f"model.{P}.fct_articles"],
    }
    children: dict[str, list[str]] = {}
    for child, ps in parents.items():
        for parent in ps:
            children.setdefault(parent, []).append(child)
    m["parent_map"], m["child_map"] = parents, children
    return m


def ids(*names: str) -> set[str]:
    return {f"model.{P}.{n}" for n in names}


def built_after(m: dict, **signatures: str) -> dict[str, str]:
    return {**signatures, PROJECT_KEY: dbt_plan.project_signature(m)}


SIGS = {"pages": "p1", "fetches": "f1", "unused": "u1"}


def test_layers_come_from_the_folder_and_seeds_are_reference():
    m = manifest()
    assert dbt_plan.layer(m["nodes"][f"model.{P}.int_articles"]) == "intermediate"
    assert dbt_plan.layer(m["nodes"][f"seed.{P}.local_governments"]) == "reference"
    assert dbt_plan.layer({"resource_type": "model", "fqn": [P, "scratch", "x"]}) is None


def test_the_first_night_builds_everything_with_full_refresh():
    m = manifest()
    plan = dbt_plan.plan(m, SIGS, built={})
    assert plan.full and plan.reused == ()
    assert plan.rebuilt == set(dbt_plan.nodes(m))
    assert plan.build_args(m) == ["build", "--full-refresh"]
    assert plan.indirect_selection is None  # everything is selected: dbt's default
    assert plan.signatures == built_after(m, **SIGS)


def test_a_quiet_night_rebuilds_nothing_and_reuses_every_model_parents_first():
    m = manifest()
    plan = dbt_plan.plan(m, SIGS, built=built_after(m, **SIGS))
    assert plan.changed == [] and plan.rebuilt == set()
    assert plan.build_args(m) is None
    order = list(plan.reused)
    assert set(order) == set(dbt_plan.nodes(m))
    assert order.index(f"model.{P}.stg_pages") < order.index(f"model.{P}.int_articles") < order.index(
        f"model.{P}.fct_articles")
    assert order.index(f"seed.{P}.local_governments") < order.index(f"model.{P}.fct_articles")


def test_a_moved_raw_table_rebuilds_what_is_downstream_of_it_and_excludes_the_rest():
    m = manifest()
    plan = dbt_plan.plan(m, {**SIGS, "pages": "p2"}, built=built_after(m, **SIGS))
    assert plan.changed == ["pages"]
    assert plan.rebuilt == ids("stg_pages", "int_articles", "fct_articles")
    assert plan.build_args(m) == ["build", "--exclude", "stg_fetches local_governments"]  # parents first
    # the excluded models take along only the tests that read nothing but excluded models
    assert plan.indirect_selection == "cautious"


def test_a_raw_table_no_model_reads_rebuilds_nothing():
    m = manifest()
    plan = dbt_plan.plan(m, {**SIGS, "unused": "u2"}, built=built_after(m, **SIGS))
    assert plan.changed == ["unused"] and plan.rebuilt == set() and plan.build_args(m) is None


def test_a_changed_model_or_macro_or_full_build_rebuilds_everything():
    m = manifest()
    built = built_after(m, **SIGS)
    edited = copy.deepcopy(m)
    edited["nodes"][f"model.{P}.int_articles"]["checksum"]["checksum"] = "c1"
    assert dbt_plan.plan(edited, SIGS, built).full
    edited = copy.deepcopy(m)
    edited["macros"][f"macro.{P}.project_name_tokens"]["checksum"]["checksum"] = "m1"
    assert dbt_plan.plan(edited, SIGS, built).full
    assert dbt_plan.plan(m, SIGS, built, full_build=True).full
    assert not dbt_plan.plan(m, SIGS, built).full


def test_source_tables_are_the_raw_sources():
    assert dbt_plan.source_tables(manifest()) == ["fetches", "pages", "unused"]


def test_reused_models_have_their_tests_run_except_those_the_build_ran():
    assert dbt_plan.test_args([]) == ["test"]
    assert dbt_plan.test_args(["b_test", "a_test", "b_test"]) == ["test", "--exclude", "a_test b_test"]


def test_a_quiet_night_replays_the_recorded_checks_and_runs_no_test():
    expected = {"a_test", "b_test", "c_test"}
    replayed, to_run = dbt_plan.checks_to_replay(expected, ran={"a_test"}, recorded={"a_test", "b_test", "c_test"})
    assert replayed == {"b_test", "c_test"} and to_run == set()
    assert dbt_plan.rerun_test_args(not_to_run={"a_test"} | replayed, to_run=to_run) is None


def test_a_check_without_a_recorded_evaluation_is_run_alone():
    replayed, to_run = dbt_plan.checks_to_replay({"a_test", "b_test", "c_test"}, ran={"a_test"}, recorded={"b_test"})
    assert replayed == {"b_test"} and to_run == {"c_test"}
    assert dbt_plan.rerun_test_args(not_to_run={"a_test"} | replayed, to_run=to_run) == [
        "test", "--exclude", "a_test b_test", "--exclude-resource-type", "unit_test"]
    # nothing on record (a new DAGSTER_HOME): every check the build did not run is run
    assert dbt_plan.checks_to_replay({"a_test", "b_test"}, ran=set(), recorded=set()) == (set(), {"a_test", "b_test"})


def test_a_check_that_reads_a_rebuilt_model_is_run_not_replayed():
    m = manifest()
    m["nodes"][f"test.{P}.relationships_fct_to_stg"] = node("test", "relationships_fct_to_stg", None)
    m["parent_map"][f"test.{P}.not_null_fct_articles_id"] = [f"model.{P}.fct_articles"]
    m["parent_map"][f"test.{P}.relationships_fct_to_stg"] = [f"model.{P}.fct_articles", f"model.{P}.stg_fetches"]
    # raw.fetches moved: stg_fetches and fct_articles are rebuilt; a test of either is stale
    plan = dbt_plan.plan(m, {**SIGS, "fetches": "f2"}, built=built_after(m, **SIGS))
    assert dbt_plan.tests_reading(m, plan.rebuilt) == {"not_null_fct_articles_id", "relationships_fct_to_stg"}
    # raw.pages moved: stg_pages, int_articles and fct_articles rebuilt (stg_fetches reused): still stale
    plan = dbt_plan.plan(m, {**SIGS, "pages": "p2"}, built=built_after(m, **SIGS))
    assert "relationships_fct_to_stg" in dbt_plan.tests_reading(m, plan.rebuilt)
    stale = dbt_plan.tests_reading(m, plan.rebuilt)
    replayed, to_run = dbt_plan.checks_to_replay({"not_null_fct_articles_id", "relationships_fct_to_stg", "x_test"},
                                                 ran={"not_null_fct_articles_id"}, stale=stale,
                                                 recorded={"not_null_fct_articles_id", "relationships_fct_to_stg",
                                                           "x_test"})
    assert replayed == {"x_test"} and to_run == {"relationships_fct_to_stg"}


def test_a_check_the_build_ran_is_neither_replayed_nor_run_again():
    replayed, to_run = dbt_plan.checks_to_replay({"a_test", "b_test"}, ran={"a_test", "b_test"},
                                                 recorded={"a_test", "b_test"})
    assert replayed == set() and to_run == set()


def test_failures_are_models_and_seeds_in_error_or_skipped_never_tests():
    results = {"results": [
        {"unique_id": f"model.{P}.int_articles", "status": "error", "message": "Binder Error:\n  no column x"},
        {"unique_id": f"model.{P}.fct_articles", "status": "skipped", "message": None},
        {"unique_id": f"test.{P}.not_null_fct_articles_id", "status": "fail", "message": "Got 3 results"},
        {"unique_id": f"model.{P}.stg_pages", "status": "success", "message": "OK"},
    ]}
    assert dbt_plan.failures_in(results) == [
        (f"model.{P}.int_articles", "model int_articles: Binder Error: no column x"),
        (f"model.{P}.fct_articles", f"model fct_articles: {SKIPPED}"),
    ]
