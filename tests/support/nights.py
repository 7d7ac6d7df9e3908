"""Nights over the test server: a `urls` sources file listing its pages, and the nightly job reading it."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pipelines.definitions import build_definitions
from pipelines.settings import Settings

TEST_DEFAULTS = {"allow_private_hosts": True, "min_delay_s": 0, "timeout_s": 5}


def urls_sources(path: Path, urls: Iterable[str], *, name: str = "picked", **defaults: object) -> Path:
    """Write a sources file with one `urls` source (loopback allowed, no politeness delay) and return its path."""
    lines = ["defaults:"]
    for key, value in {**TEST_DEFAULTS, **defaults}.items():
        lines.append(f"  {key}: {str(value).lower() if isinstance(value, bool) else value}")
    lines += ["sources:", f"  - name: {name}", "    kind: urls", "    urls:", *(f"      - {u}" for u in urls)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def nightly_job(sources: Path, warehouse: Path):
    """The project's `nightly_refresh` job over this sources file and warehouse file."""
    return build_definitions(Settings(sources_path=sources, warehouse_path=warehouse)).resolve_job_def(
        "nightly_refresh")
