"""The analysts' read-only copy of the warehouse, published after the marts and the reporting views are built."""
import dagster as dg

from .. import progress
from ..publish import publish_snapshot
from ..resources import WAREHOUSE_POOL, WarehouseResource
from ..tables import MARTS, REPORTING


@dg.asset(
    key=["published", "warehouse_snapshot"],
    group_name="published",
    kinds={"duckdb"},
    deps=[dg.AssetKey(["marts", m]) for m in MARTS] + [dg.AssetKey(["reporting", v]) for v in REPORTING]
         + [dg.AssetKey(["reporting", "search_index"])],
    pool=WAREHOUSE_POOL,
    description="warehouse/published/news.duckdb: a consistent copy, replaced atomically each run. Open it "
                "read-only from the DuckDB CLI, Python or a notebook while the nightly run writes the original.",
)
def warehouse_snapshot(warehouse: WarehouseResource) -> dg.MaterializeResult:
    from pathlib import Path

    progress.current().start("publish")
    target = publish_snapshot(Path(warehouse.path))
    progress.current().finish("publish", str(target))
    return dg.MaterializeResult(metadata={"path": str(target), "bytes": target.stat().st_size})
