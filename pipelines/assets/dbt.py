"""dbt models, seeds and tests as Dagster assets and asset checks (dagster-dbt).

Asset keys: dbt sources keep dagster-dbt's default [source, table] = ["raw", <table>], which are exactly the
raw Python assets' keys; models and seeds are keyed [<layer>, <name>] (staging / intermediate / marts /
reference) and grouped by layer, so the UI shows raw → staging → intermediate → marts as one lineage.
"""

import os
from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets

from ..resources import WAREHOUSE_POOL, WarehouseResource
from ..settings import DBT_PROJECT_DIR

LAYERS = ("staging", "intermediate", "marts")

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


translator = NewsDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


def dbt_build_args(full_refresh: bool = False) -> list[str]:
    args = ["build"]
    if full_refresh:
        args.append("--full-refresh")
    return args


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=translator,
    pool=WAREHOUSE_POOL,
)
def news_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    # dbt reads the warehouse path from NEWS_WAREHOUSE (dbt/profiles.yml); point it at this run's file
    os.environ["NEWS_WAREHOUSE"] = warehouse.path
    # dbt holds the file's write lock while it builds: its events are kept until it is done, then each
    # model's materialisation gets its row count from a short read of the warehouse.
    events = list(dbt.cli(dbt_build_args(), context=context).stream())
    yield from with_row_counts(events, warehouse)


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
