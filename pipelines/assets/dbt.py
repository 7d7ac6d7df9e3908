"""dbt models, seeds and tests as Dagster assets and asset checks (dagster-dbt).

Asset keys: dbt sources keep dagster-dbt's default [source, table] = ["raw", <table>], which are exactly the
raw Python assets' keys; models and seeds are keyed [<layer>, <name>] (staging / intermediate / marts /
reference / reporting) and grouped by layer, so the UI shows raw → staging → intermediate → marts → reporting as one
lineage.
"""

import hashlib
import json
import os
import time
from pathlib import Path
from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets

from .. import warehouse as wh
from ..resources import WAREHOUSE_POOL, WarehouseResource
from ..settings import DBT_PROJECT_DIR

LAYERS = ("staging", "intermediate", "marts", "reporting")

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, target=os.environ.get("NEWS_DBT_TARGET", "local"))


def dbt_layer(props: Mapping[str, Any]) -> str | None:
    """The layer of a dbt node from its folder (models/<layer>/...) or 'reference' for seeds."""
    if props["resource_type"] == "seed":
        return "reference"
    fqn = props.get("fqn") or []
    for part in fqn[1:-1]:
        if part in LAYERS:
            return part
    return None


class NewsDbtTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        layer = dbt_layer(dbt_resource_props) if dbt_resource_props["resource_type"] != "source" else None
        if layer:
            return dg.AssetKey([layer, dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "source":
            return "raw"
        return dbt_layer(dbt_resource_props) or super().get_group_name(dbt_resource_props)

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


def dbt_build_args(full_refresh: bool = False) -> list[str]:
    args = ["build"]
    if full_refresh:
        args.append("--full-refresh")
    return args


class DbtBuildConfig(dg.Config):
    """Launchpad switch: `full_build: true` rebuilds every model and runs every test, whatever changed."""

    full_build: bool = False


def _manifest() -> dict[str, Any]:
    return json.loads(Path(dbt_project.manifest_path).read_text(encoding="utf-8"))


def source_tables(manifest: Mapping[str, Any]) -> list[str]:
    """The raw tables the dbt project reads (its `raw` sources)."""
    return sorted({s["name"] for s in manifest["sources"].values() if s["source_name"] == "raw"})


def project_signature(manifest: Mapping[str, Any]) -> str:
    """Moves when any model, seed, test or macro of the dbt project changes (then everything is rebuilt)."""
    parts = sorted(f"{k}:{(v.get('checksum') or {}).get('checksum', '')}"
                   for section in ("nodes", "macros") for k, v in manifest.get(section, {}).items())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


PROJECT_KEY = "(dbt project)"


def plan_build(current: Mapping[str, str], built: Mapping[str, str], full_build: bool = False) -> list[str] | None:
    """None: build everything; else the raw tables whose signature moved since the last successful build
    (an empty list: nothing changed). The first build, a changed dbt project and full_build build everything."""
    if full_build or not built or built.get(PROJECT_KEY) != current.get(PROJECT_KEY):
        return None
    return sorted(t for t, sig in current.items() if t != PROJECT_KEY and built.get(t) != sig)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=translator,
    pool=WAREHOUSE_POOL,
)
def news_dbt_models(context: dg.AssetExecutionContext, config: DbtBuildConfig, dbt: DbtCliResource,
                    warehouse: WarehouseResource):
    """dbt build of what changed: the models downstream of the raw tables whose signature moved since the
    last successful build (what `dbt build --select source:raw.<table>+` selects), then `dbt test` of the models that were
    not rebuilt, so every check gets a fresh evaluation on the current data. A model not rebuilt still gets
    an output (metadata status=reused, as dagster-dbt reports a node dbt reused), so the snapshot and the mart
    checks downstream run. `full_build: true` (launchpad; `pipelines.cli run --full-build`) builds everything."""
    # dbt reads the warehouse path from NEWS_WAREHOUSE (dbt/profiles.yml); point it at this run's file
    os.environ["NEWS_WAREHOUSE"] = warehouse.path
    started = time.perf_counter()
    # (unique_id, reason) of models or seeds dbt could not build or skipped (failed tests are check results)
    failures: list[tuple[str, str]] = []
    manifest = _manifest()
    with warehouse.connect(read_only=True) as con:
        current = wh.source_signatures(con, source_tables(manifest))
        built = wh.built_signatures(con) if _has_build_state(con) else {}
    current[PROJECT_KEY] = project_signature(manifest)
    changed = plan_build(current, built, config.full_build)
    # dbt holds the file's write lock while it builds: its events are kept until it is done, then each
    # model's materialisation gets its row count from a short read of the warehouse.
    if changed is None:
        # a full build re-creates the incremental models too (fct_fetches): after a dbt project change or when
        # asked, nothing built from an older version of the SQL survives
        context.log.info("dbt: full build, --full-refresh" + (" (full_build)" if config.full_build else ""))
        events = _invoke(context, dbt, dbt_build_args(full_refresh=True), failures)
    else:
        context.log.info(f"dbt: raw tables changed since the last build: {', '.join(changed) or 'none'}")
        rebuilt = downstream_of(manifest, changed)
        stale = [props["name"] for uid, props in _nodes(manifest).items() if uid not in rebuilt]
        # outputs in topological order: the reused ones first (nothing reused is downstream of a rebuilt model)
        events = _reused_outputs(context, manifest, rebuilt)
        if rebuilt:
            # dagster-dbt adds the step's own selection (`--select fqn:*`) after ours, so the subset is said as
            # an --exclude of everything not downstream of the changed tables (dbt: select minus exclude)
            events += _invoke(context, dbt, ["build", "--exclude", " ".join(stale)], failures)
        if stale:
            events += _test_reused(context, dbt, events, failures)
    skipped = [(uid, f) for uid, f in failures if f.endswith(SKIPPED)]
    failures = [(uid, f) for uid, f in failures if not f.endswith(SKIPPED)]
    if not failures and not skipped:
        with warehouse.connect() as con:
            wh.record_built(con, current)
    for _uid, f in skipped:
        context.log.warning(f"dbt {f}: it keeps its last build; the next run rebuilds it")
    # a model dbt skipped keeps its last build: said as an output (status kept), like a reused one, so what depends
    # on it (the snapshot, the mart checks) still runs
    selected = set(context.selected_asset_keys)
    nodes = _nodes(manifest)
    for uid, _f in skipped:
        key = translator.get_asset_key(nodes[uid]) if uid in nodes else None
        if key is not None and key in selected:
            events.append(dg.Output(None, output_name=key.to_python_identifier(),
                                    metadata={"status": "kept: skipped by a failed severity-error test upstream",
                                              "rebuilt": False}))
    dbt_seconds = round(time.perf_counter() - started, 3)
    for e in with_row_counts(events, warehouse):
        if isinstance(e, dg.Output):
            e = e.with_metadata({**e.metadata, "stage_seconds": dbt_seconds,
                                 "rebuilt_tables": ", ".join(changed) if changed is not None else "all",
                                 "skipped_by_failed_tests": ", ".join(f.split(":")[0] for _, f in skipped) or "none"})
        yield e
    if failures:
        # the marts that depend on a model that failed were not built: fail the step (what was built is kept and
        # reported above; the snapshot is not published from a half-built set of marts)
        raise dg.Failure(description=f"dbt could not build {len(failures)} node(s): "
                                     + "; ".join(f for _, f in failures[:5]))


def _invoke(context: dg.AssetExecutionContext, dbt: DbtCliResource, args: list[str],
            failures: list[tuple[str, str]]) -> list[Any]:
    """One dbt invocation's events. A failed data test is a failed asset check (severity from the test's config)
    and never fails the step: the marts were built, so they are published with the check results beside them.
    A model, seed or snapshot dbt could not build is appended to `failures` (the caller fails the step)."""
    invocation = dbt.cli(args, context=context, raise_on_error=False)
    events = list(invocation.stream())
    failures += build_failures(invocation)
    return events


SKIPPED = "skipped: a test (severity error) or a model upstream of it failed"


def build_failures(invocation: Any) -> list[tuple[str, str]]:
    """'<resource> <name>: <message>' for every non-test node of the invocation that ended in error or was skipped
    because something upstream failed (its run_results.json); a dbt that ended without writing results at all
    (a crash, a parse error) is one failure."""
    try:
        results = invocation.get_artifact("run_results.json")
    except Exception as exc:  # noqa: BLE001 - no results: dbt itself failed
        return [] if invocation.is_successful() else [("", f"dbt: no run results ({exc})")]
    out = []
    for r in results.get("results", []):
        uid = r.get("unique_id", "")
        if uid.split(".", 1)[0] in ("test", "unit_test"):
            continue
        status = r.get("status")
        if status in ("error", "runtime error", "skipped"):
            message = " ".join(str(r.get("message") or "").split())[:300]
            if status == "skipped":
                message = SKIPPED
            out.append((uid, f"{uid.split('.', 1)[0]} {uid.rsplit('.', 1)[-1]}: {message}"))
    return out


def _has_build_state(con: Any) -> bool:
    return bool(con.execute("select count(*) from information_schema.tables where table_schema = 'raw' "
                            "and table_name = 'dbt_builds'").fetchone()[0])


def _nodes(manifest: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {uid: props for uid, props in manifest["nodes"].items() if props["resource_type"] in ("model", "seed")}


def downstream_of(manifest: Mapping[str, Any], tables: list[str]) -> set[str]:
    """The models (unique ids) downstream of the given raw source tables (`source:raw.<table>+`)."""
    todo = [uid for uid, src in manifest["sources"].items() if src["source_name"] == "raw" and src["name"] in tables]
    seen: set[str] = set()
    while todo:
        for child in manifest["child_map"].get(todo.pop(), []):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return {uid for uid in seen if uid in _nodes(manifest)}


def _topological(manifest: Mapping[str, Any]) -> list[str]:
    nodes, order, seen = _nodes(manifest), [], set()

    def visit(uid: str) -> None:
        if uid in seen:
            return
        seen.add(uid)
        for parent in manifest["parent_map"].get(uid, []):
            if parent in nodes:
                visit(parent)
        order.append(uid)

    for uid in sorted(nodes):
        visit(uid)
    return order


def _reused_outputs(context: dg.AssetExecutionContext, manifest: Mapping[str, Any], rebuilt: set[str]) -> list[Any]:
    """An output (metadata status=reused, rebuilt=False) for each selected model or seed not rebuilt."""
    nodes = _nodes(manifest)
    selected = set(context.selected_asset_keys)
    out = []
    for uid in _topological(manifest):
        key = translator.get_asset_key(nodes[uid])
        if uid not in rebuilt and key in selected:
            out.append(dg.Output(None, output_name=key.to_python_identifier(),
                                 metadata={"status": "reused", "rebuilt": False}))
    return out


def _test_reused(context: dg.AssetExecutionContext, dbt: DbtCliResource, events: list[Any],
                 failures: list[tuple[str, str]]) -> list[Any]:
    """`dbt test` of every test the build did not run (those of the models not rebuilt, and relationship tests
    between a rebuilt and a reused model): fresh check results on the current data, none reported twice."""
    checked = {(e.asset_key, e.check_name) for e in events if isinstance(e, dg.AssetCheckResult)}
    ran = sorted({name for _, name in checked})
    args = ["test", "--exclude", " ".join(ran)] if ran else ["test"]
    return [e for e in _invoke(context, dbt, args, failures)
            if not (isinstance(e, dg.AssetCheckResult) and (e.asset_key, e.check_name) in checked)]


def relation_of(event: Any) -> str | None:
    value = event.metadata.get("dagster/relation_identifier") if hasattr(event, "metadata") else None
    text = getattr(value, "value", value)
    return text if isinstance(text, str) and text.count(".") == 2 else None


def with_row_counts(events: list[Any], warehouse: WarehouseResource) -> Iterator[Any]:
    relations = {relation_of(e) for e in events if isinstance(e, dg.Output)} - {None}
    counts: dict[str, int] = {}
    if relations:
        with warehouse.connect(read_only=True) as con:
            for rel in relations:
                _db, schema, table = rel.split(".")
                try:
                    counts[rel] = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
                except Exception:  # noqa: BLE001 - a model that failed to build has no table to count
                    continue
    for e in events:
        rel = relation_of(e) if isinstance(e, dg.Output) else None
        if rel in counts:
            e = e.with_metadata({**e.metadata, "dagster/row_count": counts[rel]})
        yield e
