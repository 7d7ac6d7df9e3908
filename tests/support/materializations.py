"""Read what a Dagster run reported: each materialised asset's metadata as plain values."""
from __future__ import annotations

from typing import Any


def materialization_metadata(result) -> dict[str, dict[str, Any]]:
    """{last key part of the asset: {metadata key: value}} for every materialisation in the run."""
    out: dict[str, dict[str, Any]] = {}
    for event in result.get_asset_materialization_events():
        m = event.step_materialization_data.materialization
        out[m.asset_key.path[-1]] = {k: getattr(v, "value", v) for k, v in m.metadata.items()}
    return out
