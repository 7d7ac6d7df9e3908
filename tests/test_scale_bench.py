"""The scale benchmark (bench/scale.py, `make bench-scale`) end to end at a tiny size.

Everything is real: the corpus is generated into a temp cache, served by bench/scale_server.py on 127.0.0.1,
the nightly job runs as `python -m pipelines.cli run` subprocesses into a temp warehouse and DAGSTER_HOME.
The listing dates are folded onto one news day (BENCH_DAYS=1) so the backfill is one partition and the run
stays short. The test checks that the report holds every measure with sane values; it never checks a speed.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from pipelines.settings import PROJECT_DIR

pytestmark = pytest.mark.e2e

PAGES = 60
LOG_TABLES = {"raw.fetch_log", "raw.discovered_urls", "marts.fct_fetches"}  # one row per URL per run, by design


def test_the_scale_benchmark_reports_every_measure_at_a_tiny_size(tmp_path):
    with socket.socket() as probe:  # a free port for the server (BENCH_PORT)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, BENCH_SIZES=str(PAGES), BENCH_DAYS="1", BENCH_SAMPLE="20", BENCH_CONCURRENCY="8",
               BENCH_OUT=str(tmp_path / "out"), BENCH_CACHE=str(tmp_path / "cache"), BENCH_PORT=str(port))
    proc = subprocess.run([sys.executable, "-m", "bench.scale"], cwd=PROJECT_DIR, env=env, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    report = json.loads((tmp_path / "out" / "scale-latest.json").read_text(encoding="utf-8"))
    assert "| pages |" in (tmp_path / "out" / "scale-latest.md").read_text(encoding="utf-8")
    assert report["machine"]["cores"] >= 1 and report["machine"]["ram_gib"] > 0
    [size] = report["sizes"]

    # the corpus: generated, cached on disk, 5-150 KB pages, some in EUC-KR, some not articles
    corpus = size["corpus"]
    manifest = json.loads((Path(corpus["folder"]) / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest) == PAGES and str(tmp_path / "cache") in corpus["folder"]
    assert all(5 * 1024 <= e["bytes"] <= 150 * 1024 for e in manifest)
    assert corpus["euc_kr_pages"] >= 1 and corpus["not_article_pages"] >= 1

    # the server listened on the port asked for: the article URLs (and the marts checksum) compare across runs
    assert size["server_port"] == port
    from bench.scale_server import running

    with socket.socket() as taken:  # a port in use: the server takes a free one and says so
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        with running(Path(corpus["folder"]), date.today(), 1, port=busy) as server:
            assert server.port != busy and not server.port_as_asked

    # the server alone was measured
    assert size["server_alone"]["pages_per_s"] > 0

    # run 1: every page fetched once, every article page landed, memory and the stage split measured
    r1 = size["run1"]
    assert r1["succeeded"], r1
    assert r1["server"]["pages"] == PAGES
    assert r1["articles_landed"] == PAGES - corpus["not_article_pages"]
    assert r1["wall_s"] > 0 and r1["pages_per_s"] > 0
    assert r1["peak_rss_single_bytes"] > 0 and r1["peak_rss_tree_bytes"] >= r1["peak_rss_single_bytes"]
    assert set(r1["load_s_per_stage"]) == {"discover", "fetch", "parse", "extract"}, r1["load_s_per_stage"]
    assert 0 < r1["load_s"] < sum(r1["stages_s"].values())
    for stage in ("discover", "fetch", "parse", "extract", "dbt"):
        assert r1["stages_s"][stage] > 0, (stage, r1["steps_s"])

    # run 2, nothing new: every page answered 304, no data row added (the run logs still get their rows)
    r2 = size["run2_nightly"]
    assert r2["succeeded"], r2
    assert r2["server"]["not_modified"] == PAGES and r2["server"]["pages"] == 0
    assert {k: v for k, v in r2["rows_added"].items() if k not in LOG_TABLES and v} == {}
    assert r2["rows_added"]["raw.fetch_log"] == PAGES

    # the marts' checksum (pipelines/warehouse/checksum.py) is in the report, over every marts and reporting relation with rows,
    # and a night that added no fact leaves it as it was
    first, quiet = r1["marts_checksum"], r2["marts_checksum"]
    assert len(first["facts_md5"]) == 32 and first["rows"] > 0 and first["relations"] >= 10
    assert "marts.fct_fetches" not in first["per_relation"] and "marts.fct_budgets" in first["per_relation"]
    assert quiet["facts_md5"] == first["facts_md5"], set(first["per_relation"].items()) ^ set(quiet["per_relation"].items())
    assert "marts checksum" in (tmp_path / "out" / "scale-latest.md").read_text(encoding="utf-8")

    # the limit and the peer, on the same bytes, and the ratios
    alone = size["alone"]
    assert alone["selectolax_pages"] == PAGES and alone["sample_pages"] == 20
    for key in ("selectolax_pages_per_s", "trafilatura_pages_per_s", "parse_page_pages_per_s"):
        assert alone[key] > 0, key
    assert 0 < size["e2e_fraction_of_selectolax"] and size["e2e_vs_trafilatura"] > 0
    assert size["parse_page_vs_trafilatura"] > 0
