"""dbt models, seeds and tests as Dagster assets and asset checks (dagster-dbt).

Asset keys: dbt sources keep dagster-dbt's default [source, table] = ["raw", <table>], which are exactly the
raw Python assets' keys; models and seeds are keyed [<layer>, <name>] (staging / intermediate / marts /
reference / reporting) and grouped by layer, so the UI shows raw → staging → intermediate → marts → reporting as one
lineage.
"""

import functools
import json
import time
from pathlib import Path
from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets

from .. import dbt_parse, dbt_plan, progress
from .. import warehouse as wh
from ..dbt_plan import LAYERS, SKIPPED
from ..resources import WAREHOUSE_POOL, WarehouseResource
from ..settings import DBT_PROJECT_DIR, dbt_saved_parse_folder, dbt_target, dbt_warehouse_env, load_settings

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, target=dbt_target())
dbt_layer = dbt_plan.layer


# ---------------------------------------------------------------- column types
# dbt's manifest has the columns' names and descriptions (the yml files) but no types (no `data_type` is declared,
# contracts are not enforced). The types come from DuckDB, where the models are built: on every materialisation
# (after dbt is done, from the warehouse) and on the asset definitions (from the published snapshot, when a run
# has published one; before that a column's type is '?', as dagster-dbt shows it).

COLUMN_SCHEMA = "dagster/column_schema"  # the key the UI's Columns tab reads (TableMetadataSet.column_schema)


def column_types(con: Any, schemas: tuple[str, ...] = (*LAYERS, "reference")) -> dict[tuple[str, str], dict[str, str]]:
    """{(schema, table): {column: DuckDB type}} of the built relations in `schemas`, in column order."""
    rows = con.execute(f"""
        select table_schema, table_name, column_name, data_type from information_schema.columns
        where table_schema in ({", ".join("?" for _ in schemas)})
        order by table_schema, table_name, ordinal_position
    """, list(schemas)).fetchall()
    out: dict[tuple[str, str], dict[str, str]] = {}
    for schema, table, column, data_type in rows:
        out.setdefault((schema, table), {})[column] = data_type
    return out


def typed_column_schema(columns: Mapping[str, Mapping[str, Any]], types: Mapping[str, str]) -> dg.TableSchema | None:
    """The documented columns (description, tags) with their type (declared `data_type`, else DuckDB's), then the
    columns DuckDB has that the yml does not document."""
    cols = [dg.TableColumn(name=name, type=info.get("data_type") or types.get(name) or "?",
                           description=info.get("description") or None,
                           tags={t: "" for t in info.get("tags", [])})
            for name, info in columns.items()]
    cols += [dg.TableColumn(name=name, type=t) for name, t in types.items() if name not in columns]
    return dg.TableSchema(columns=cols) if cols else None


@functools.lru_cache(maxsize=1)
def published_column_types() -> dict[tuple[str, str], dict[str, str]]:
    """column_types() of the published snapshot of NEWS_WAREHOUSE ({} when there is none or it cannot be read)."""
    from ..publish import published_path

    snapshot = published_path(load_settings().warehouse_path)
    if not snapshot.exists():
        return {}
    try:
        import duckdb

        con = duckdb.connect(str(snapshot), read_only=True)
        try:
            return column_types(con)
        finally:
            con.close()
    except Exception:  # noqa: BLE001 - types are a nicety: never stop the definitions from loading
        return {}


class NewsDbtTranslator(DagsterDbtTranslator):
    """Models and seeds keyed and grouped by layer ([marts, fct_budgets] in group marts), sources keep dagster-dbt's
    [raw, <table>] (the raw assets' own keys) in group raw; documented columns carry their types."""

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str,
                       project: DbtProject | None) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props["resource_type"] == "source":
            return spec.replace_attributes(group_name="raw")
        spec = spec.replace_attributes(group_name=dbt_layer(props) or spec.group_name)
        if props["resource_type"] in ("model", "seed", "snapshot"):
            relation = (props.get("schema"), props.get("alias") or props["name"])
            schema = typed_column_schema(props.get("columns") or {}, published_column_types().get(relation, {}))
            if schema is not None:
                spec = spec.merge_attributes(metadata={COLUMN_SCHEMA: dg.MetadataValue.table_schema(schema)})
        return spec

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        # the key stays here, not in get_asset_spec: dagster-dbt 0.29 still asks get_asset_key directly when it maps
        # a subset's keys to dbt nodes and a test's upstream nodes to assets
        layer = dbt_layer(dbt_resource_props) if dbt_resource_props["resource_type"] != "source" else None
        if layer:
            return dg.AssetKey([layer, dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_asset_check_spec(self, asset_spec: dg.AssetSpec, manifest: Mapping[str, Any], unique_id: str,
                             project: DbtProject | None) -> dg.AssetCheckSpec | None:
        # dagster-dbt makes every severity-error test a blocking check, which fails the dbt step and so skips
        # the published snapshot. Here a failed test is reported (with its severity) and never blocks: the
        # marts dbt built are published with the check results beside them. dbt itself still skips the models
        # downstream of a failed severity-error test inside one `dbt build`: those keep their last build, are named
        # in the step's log and metadata, and are rebuilt by the next run (the build state is not recorded).
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        return spec._replace(blocking=False) if spec is not None else None


translator = NewsDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


class DbtBuildConfig(dg.Config):
    """Launchpad switch: `full_build: true` rebuilds every model and runs every test, whatever changed."""

    full_build: bool = False


def _manifest() -> dict[str, Any]:
    return json.loads(Path(dbt_project.manifest_path).read_text(encoding="utf-8"))


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=translator,
    pool=WAREHOUSE_POOL,
)
def news_dbt_models(context: dg.AssetExecutionContext, config: DbtBuildConfig, dbt: DbtCliResource,
                    warehouse: WarehouseResource):
    """dbt build of what changed: the models downstream of the raw tables whose signature moved since the
    last successful build (what `dbt build --select source:raw.<table>+` selects), with every test that reads a
    rebuilt model; the checks of the models that were not rebuilt read nothing that moved, so their last evaluation
    is replayed (a check with none on record is run by `dbt test`): a quiet night is one dbt invocation (the fetch
    log's lineage), a night with no raw table moved none. A model not rebuilt still gets
    an output (metadata status=reused, as dagster-dbt reports a node dbt reused), so the snapshot and the mart
    checks downstream run. `full_build: true` (launchpad; `pipelines.cli run --full-build`) builds everything."""
    started = time.perf_counter()
    # (unique_id, reason) of models or seeds dbt could not build or skipped (failed tests are check results)
    failures: list[tuple[str, str]] = []
    argvs: list[list[str]] = []  # the dbt invocations tonight
    parses: list[str] = []  # how each parsed the project: partial (a saved parse re-used) or full
    manifest = _manifest()
    with warehouse.connect(read_only=True) as con:
        current = wh.source_signatures(con, dbt_plan.source_tables(manifest))
        built = wh.built_signatures(con) if _has_build_state(con) else {}
    tonight = dbt_plan.plan(manifest, current, built, config.full_build)
    changed = tonight.changed
    nodes = dbt_plan.nodes(manifest)
    selected = set(context.selected_asset_keys)
    bar = progress.current()
    to_build = [uid for uid, props in nodes.items()
                if uid in tonight.rebuilt and translator.get_asset_key(props) in selected]
    bar.start("dbt", total=len(to_build))
    # dbt holds the file's write lock while it builds: its events are kept until it is done, then each
    # model's materialisation gets its row count from a short read of the warehouse.
    # dbt reads the warehouse path from NEWS_WAREHOUSE (dbt/profiles.yml): this run's file, while dbt runs
    with dbt_warehouse_env(warehouse.path):
        if tonight.full:
            # a full build re-creates the incremental models too (fct_fetches): after a dbt project change or when
            # asked, nothing built from an older version of the SQL survives
            context.log.info("dbt: full build, --full-refresh" + (" (full_build)" if config.full_build else ""))
            events = _invoke(context, dbt, tonight.build_args(manifest), failures, argvs, parses)
        else:
            context.log.info(f"dbt: raw tables changed since the last build: {', '.join(changed) or 'none'}")
            # outputs in topological order: the reused ones first (nothing reused is downstream of a rebuilt model)
            events = _reused_outputs(context, manifest, tonight.reused)
            args = tonight.build_args(manifest)
            if args:
                # the tests that read a rebuilt model and a reused one run in this build (dbt_plan.PARTIAL_BUILD_TESTS)
                with dbt_warehouse_env(warehouse.path, indirect_selection=tonight.indirect_selection):
                    events += _invoke(context, dbt, args, failures, argvs, parses)
            if tonight.reused:
                events += _check_reused(context, dbt, manifest, tonight.rebuilt, events, failures, argvs, parses)
    skipped = [(uid, f) for uid, f in failures if f.endswith(SKIPPED)]
    failures = [(uid, f) for uid, f in failures if not f.endswith(SKIPPED)]
    if not failures and not skipped:
        with warehouse.connect() as con:
            wh.record_built(con, dict(tonight.signatures))
    for _uid, f in skipped:
        context.log.warning(f"dbt {f}: it keeps its last build; the next run rebuilds it")
    # a model dbt skipped keeps its last build: said as an output (status kept), like a reused one, so what depends
    # on it (the snapshot, the mart checks) still runs
    for uid, _f in skipped:
        key = translator.get_asset_key(nodes[uid]) if uid in nodes else None
        if key is not None and key in selected:
            events.append(dg.Output(None, output_name=key.to_python_identifier(),
                                    metadata={"status": "kept: skipped by a failed severity-error test upstream",
                                              "rebuilt": False}))
    dbt_seconds = round(time.perf_counter() - started, 3)
    checks = [e for e in events if isinstance(e, dg.AssetCheckResult)]
    warned = sum(1 for e in checks if not e.passed and e.severity == dg.AssetCheckSeverity.WARN)
    failed_checks = sum(1 for e in checks if not e.passed) - warned
    reused = sum(1 for props in nodes.values() if translator.get_asset_key(props) in selected) - len(to_build)
    bar.finish("dbt", f"{len(to_build) - len(failures) - len(skipped)}/{len(to_build)} models and seeds built"
                      + (f" ({reused} unchanged, reused)" if reused > 0 else "")
                      + f", {len(checks)} tests ({warned} warned, {failed_checks} failed)"
                      + (f", {len(failures)} failed, {len(skipped)} skipped" if failures or skipped else ""))
    for e in with_row_counts(events, warehouse, manifest):
        if isinstance(e, dg.Output):
            e = e.with_metadata({**e.metadata, "stage_seconds": dbt_seconds,
                                 "dbt_invocations": ", ".join(a[0] for a in argvs) or "none",
                                 "dbt_parse": ", ".join(f"{a[0]}: {k}" for a, k in zip(argvs, parses)) or "none",
                                 "rebuilt_tables": ", ".join(changed) if changed is not None else "all",
                                 "skipped_by_failed_tests": ", ".join(f.split(":")[0] for _, f in skipped) or "none"})
        yield e
    if failures:
        # the marts that depend on a model that failed were not built: fail the step (what was built is kept and
        # reported above; the snapshot is not published from a half-built set of marts)
        raise dg.Failure(description=f"dbt could not build {len(failures)} node(s): "
                                     + "; ".join(f for _, f in failures[:5]))


def _invoke(context: dg.AssetExecutionContext, dbt: DbtCliResource, args: list[str],
            failures: list[tuple[str, str]], argvs: list[list[str]], parses: list[str]) -> list[Any]:
    """One dbt invocation's events. A failed data test is a failed asset check (severity from the test's config)
    and never fails the step: the marts were built, so they are published with the check results beside them.
    A model, seed or snapshot dbt could not build is appended to `failures` (the caller fails the step); how dbt
    parsed the project (partial / full) to `parses`."""
    argvs.append(args)
    invocation = dbt.cli(args, context=context, raise_on_error=False)
    bar = progress.current()
    events = []
    for e in invocation.stream():
        events.append(e)
        if isinstance(e, dg.Output):  # a model or seed dbt has just built
            bar.advance("dbt")
    failures += build_failures(invocation)
    # how dbt parsed (metadata dbt_parse); its newest parse kept for the next invocation (pipelines/dbt_parse.py)
    parses.append(dbt_parse.parse_kind(invocation.target_path))
    dbt_parse.keep_parse(invocation.target_path, dbt_saved_parse_folder())
    return events


def build_failures(invocation: Any) -> list[tuple[str, str]]:
    """dbt_plan.failures_in() of the invocation's run_results.json; a dbt that ended without writing results at
    all (a crash, a parse error) is one failure."""
    try:
        results = invocation.get_artifact("run_results.json")
    except Exception as exc:  # noqa: BLE001 - no results: dbt itself failed
        return [] if invocation.is_successful() else [("", f"dbt: no run results ({exc})")]
    return dbt_plan.failures_in(results)


def _has_build_state(con: Any) -> bool:
    return bool(con.execute("select count(*) from information_schema.tables where table_schema = 'raw' "
                            "and table_name = 'dbt_builds'").fetchone()[0])


def _reused_outputs(context: dg.AssetExecutionContext, manifest: Mapping[str, Any], reused: tuple[str, ...]) -> list[Any]:
    """An output (metadata status=reused, rebuilt=False) for each selected model or seed not rebuilt."""
    nodes = dbt_plan.nodes(manifest)
    selected = set(context.selected_asset_keys)
    out = []
    for uid in reused:
        key = translator.get_asset_key(nodes[uid])
        if key in selected:
            out.append(dg.Output(None, output_name=key.to_python_identifier(),
                                 metadata={"status": "reused", "rebuilt": False}))
    return out


def _check_reused(context: dg.AssetExecutionContext, dbt: DbtCliResource, manifest: Mapping[str, Any],
                  rebuilt: frozenset[str], events: list[Any], failures: list[tuple[str, str]],
                  argvs: list[list[str]], parses: list[str]) -> list[Any]:
    """A result for every check the build did not run. One that reads only models not rebuilt reads nothing that
    moved since the last successful build: its last recorded evaluation is replayed as it is (metadata
    replayed_from_run). One with none on record (a new DAGSTER_HOME) or that also reads a rebuilt model and the build
    did not run (the build runs those: dbt_plan.PARTIAL_BUILD_TESTS; this is the fallback if dbt ever leaves one
    out) is run by `dbt test` of those alone. A quiet night so runs no dbt test at all. None is reported twice."""
    checked = {dg.AssetCheckKey(e.asset_key, e.check_name) for e in events if isinstance(e, dg.AssetCheckResult)}
    expected = set(context.selected_asset_check_keys)
    records = _recorded_evaluations(context, expected - checked)
    stale_names = dbt_plan.tests_reading(manifest, rebuilt)
    replayed, to_run = dbt_plan.checks_to_replay(expected, checked, records,
                                                 stale={k for k in expected if k.name in stale_names})
    out: list[Any] = [_replayed_result(records[key]) for key in sorted(replayed, key=lambda k: k.to_user_string())]
    args = dbt_plan.rerun_test_args({k.name for k in checked | replayed}, {k.name for k in to_run})
    if args:
        out += [e for e in _invoke(context, dbt, args, failures, argvs, parses)
                if not (isinstance(e, dg.AssetCheckResult)
                        and dg.AssetCheckKey(e.asset_key, e.check_name) in checked | replayed)]
    context.log.info(f"dbt: {len(replayed)} checks of reused models replayed from their last evaluation, "
                     f"{len(to_run)} run")
    return out


def _recorded_evaluations(context: dg.AssetExecutionContext, keys: set[dg.AssetCheckKey]) -> dict[dg.AssetCheckKey, Any]:
    """The latest completed evaluation (passed or failed) of each check on record in the Dagster instance, by check
    key. (Not the latest execution: that is this run's own, still planned.)"""
    from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus as Status

    storage = context.instance.event_log_storage
    this_run = context.run.run_id
    out = {}
    for key in keys:
        for record in storage.get_asset_check_execution_history(key, limit=1, status={Status.SUCCEEDED, Status.FAILED}):
            evaluation = getattr(getattr(record.event, "dagster_event", None), "event_specific_data", None)
            if record.run_id != this_run and isinstance(evaluation, dg.AssetCheckEvaluation):
                out[key] = (record.run_id, evaluation)
    return out


def _replayed_result(recorded: tuple[str, Any]) -> dg.AssetCheckResult:
    run_id, evaluation = recorded
    metadata = {k: v for k, v in evaluation.metadata.items() if k != "replayed_from_run"}
    return dg.AssetCheckResult(asset_key=evaluation.asset_key, check_name=evaluation.check_name,
                               passed=evaluation.passed, severity=evaluation.severity,
                               description=evaluation.description,
                               metadata={**metadata, "replayed_from_run": dg.MetadataValue.text(
                                   str(_meta_text(evaluation.metadata.get("replayed_from_run")) or run_id))})


def _meta_text(value: Any) -> Any:
    return getattr(value, "value", value)


def _meta(event: Any, key: str) -> Any:
    value = event.metadata.get(key) if hasattr(event, "metadata") else None
    return getattr(value, "value", value)


def relation_of(event: Any, manifest: Mapping[str, Any] | None = None) -> tuple[str, str] | None:
    """(schema, table) of a built model's output: from dagster-dbt's relation identifier when it sets one, else
    from the manifest node its `unique_id` names (dagster-dbt 0.29 sets only the latter on `dbt build` outputs)."""
    text = _meta(event, "dagster/relation_identifier")
    if isinstance(text, str) and text.count(".") == 2:
        _db, schema, table = text.split(".")
        return schema.strip('"'), table.strip('"')
    node = (manifest or {}).get("nodes", {}).get(_meta(event, "unique_id"))
    if node and node.get("schema"):
        return node["schema"], node.get("alias") or node["name"]
    return None


def with_row_counts(events: list[Any], warehouse: WarehouseResource,
                    manifest: Mapping[str, Any] | None = None) -> Iterator[Any]:
    """Each built model's output with its row count and its columns' types (from the warehouse, after dbt)."""
    relations = {relation_of(e, manifest) for e in events if isinstance(e, dg.Output)} - {None}
    counts: dict[tuple[str, str], int] = {}
    types: dict[tuple[str, str], dict[str, str]] = {}
    if relations:
        with warehouse.connect(read_only=True) as con:
            for schema, table in relations:
                try:
                    relation = wh.table_ref(table, schema)
                    counts[(schema, table)] = con.execute(f"select count(*) from {relation}").fetchone()[0]  # noqa: S608
                except Exception:  # noqa: BLE001 - a model that failed to build has no table to count
                    continue
            try:
                types = column_types(con)
            except Exception:  # noqa: BLE001 - types are a nicety
                types = {}
    nodes = (manifest or {}).get("nodes", {})
    for e in events:
        rel = relation_of(e, manifest) if isinstance(e, dg.Output) else None
        if rel in counts:
            extra: dict[str, Any] = {"dagster/row_count": counts[rel]}
            typed = typed_column_schema((nodes.get(_meta(e, "unique_id")) or {}).get("columns") or {},
                                        types.get(rel, {}))
            if typed is not None:
                extra[COLUMN_SCHEMA] = dg.MetadataValue.table_schema(typed)
            e = e.with_metadata({**e.metadata, **extra})
        yield e
