"""Run inside a spawned pool worker: import what a parse/extract worker imports, say which Dagster modules came
along; or do a worker's real work and say which heavy libraries the worker process holds afterwards."""
from __future__ import annotations

import sys
from datetime import datetime, timezone

# libraries a worker must not pay for: Dagster (~2.6 s), httpx and pydantic (the fetch side, ~1.5 s together)
NOT_FOR_WORKERS = ("dagster", "httpx", "pydantic")


def loaded(names: tuple[str, ...] = NOT_FOR_WORKERS) -> list[str]:
    """Which of the top-level packages `names` (or their `<name>_*` companions, e.g. dagster_dbt, pydantic_core)
    this process has imported."""
    return sorted({m.split(".")[0] for m in sys.modules if m.split(".")[0].split("_")[0] in names})


def dagster_modules_after_worker_imports(chunk: list[str]) -> list[str]:
    import importlib

    for name in chunk:
        importlib.import_module(name)
    return sorted(m for m in sys.modules if m == "dagster" or m.startswith(("dagster.", "dagster_")))


def heavy_modules_after_parsing_and_extracting(chunk: list[str]) -> list[tuple[str, list[str]]]:
    """Each body of `chunk` parsed as a page (stages._parse_chunk) and extracted (stages._extract_chunk) in this
    process, then the heavy libraries loaded at start-up (before the work) and after it."""
    at_start = loaded()
    from pipelines import stages

    recs = [{"page_key": f"k{i}", "content_hash": "h", "compression": "none", "url": f"https://x.example/{i}",
             "final_url": None, "content_type": "text/html; charset=utf-8", "source_name": "s",
             "fetched_at": datetime(2025, 1, 1, tzinfo=timezone.utc), "http_status": 200, "source_domains": (),
             "content": f"<html><body><article><p>{body}</p></article></body></html>".encode()}
            for i, body in enumerate(chunk)]
    stages._parse_chunk(recs)
    stages._extract_chunk([{"article_key": f"a{i}", "body": body, "published_at": None, "body_hash": "h"}
                           for i, body in enumerate(chunk)])
    return [("at start", at_start), ("after the work", loaded())]
