"""The fetch stage alone against the scale server: an A/B harness cheaper than `make bench-scale` (issue 18).

    python -m bench.fetch_stage [--pages 10000] [--rounds 1] [--recheck] [--profile FILE]

For the scale corpus of `--pages` pages (bench/scale_corpus.py, cached) served by bench/scale_server.py in its
own process: the bare async client (bench.scale.bare_client) over every URL, then `stages.fetch_stage` into a
fresh warehouse whose discover rows list the same URLs (no sitemap, no Dagster), then with `--recheck` the same
stage again (every URL answers 304). Prints one JSON line per round: pages/s of both, the stage's seconds and
its `write_seconds`, the bare client / fetch stage ratio, and a checksum of what the stage stored (raw.pages
keys, hashes, lengths and the decompressed bytes' sha256; raw.fetch_log outcomes), so two versions of the code
can be compared on output as well as on speed. `--profile FILE` writes a cProfile of the (first) fetch stage.

Run under `nice -n 19` on a shared machine, and compare versions alternately in the same session.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import tempfile
import time
import zlib
from pathlib import Path

from bench.scale import bare_client, sources_yaml
from bench.scale_corpus import ensure_corpus
from bench.scale_server import running, yesterday_in_seoul


def stored_checksum(con, base: str) -> str:
    """sha256 over what the fetch stage stored: pages (url, hash, length, decompressed bytes) + outcomes, with the
    server's address (its port changes from run to run; the page keys are made from it) taken out."""
    h = hashlib.sha256()
    for url, chash, length, compression, content in con.execute(
            "select url, content_hash, content_length, compression, content from raw.pages order by url").fetchall():
        body = zlib.decompress(content) if compression == "zlib" else content
        h.update(f"{url.removeprefix(base)}|{chash}|{length}|".encode())
        h.update(hashlib.sha256(body).digest())
    for url, *row in con.execute("select url, outcome, http_status, attempts, page_key is not null, content_hash "
                                 "from raw.fetch_log order by run_id, url").fetchall():
        h.update(repr((url.removeprefix(base), *row)).encode())
    return h.hexdigest()[:16]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--concurrency", type=int, default=int(os.environ.get("BENCH_CONCURRENCY", 32)))
    ap.add_argument("--recheck", action="store_true", help="run the stage a second time (all 304s)")
    ap.add_argument("--no-bare", action="store_true", help="skip the bare client")
    ap.add_argument("--profile", help="cProfile the first fetch stage into this file")
    args = ap.parse_args()

    from pipelines import stages
    from pipelines import warehouse as wh
    from pipelines.sources.config import load_sources

    folder, manifest, _ = ensure_corpus(args.pages, log=lambda *_: None)
    tmp = Path(tempfile.mkdtemp(prefix="bench-fetch-"))
    try:
        with running(folder, yesterday_in_seoul()) as server:
            urls = [server.url(f"/news/{e['i']}.html") for e in manifest]
            for rnd in range(args.rounds):
                out: dict = {"code": str(Path(stages.__file__).resolve().parent.parent), "pages": len(urls),
                             "round": rnd, "load": os.getloadavg()[0]}
                if not args.no_bare:
                    loop_cpu = time.thread_time()
                    bare = bare_client(urls, args.concurrency)
                    out["bare_pps"] = bare["pages_per_s"]
                    out["bare_cpu_ms_per_page"] = round((time.thread_time() - loop_cpu) * 1000 / len(urls), 3)
                sources = tmp / f"sources-{rnd}.yaml"
                sources.write_text(sources_yaml(server.url("/sitemap.xml"), args.concurrency), encoding="utf-8")
                config = load_sources(sources)
                con = wh.connect(tmp / f"wh-{rnd}" / "news.duckdb")
                run_id = f"bench-{rnd}"
                now = wh.utcnow()
                wh.record_discovered(con, run_id, [
                    {"run_id": run_id, "source_name": "scale-bench", "url": u, "discovered_via": None,
                     "title_hint": None, "lastmod_hint": None, "discovered_at": now} for u in urls])
                server.stats(reset=True)
                prof = None
                if args.profile and rnd == 0:
                    import cProfile
                    prof = cProfile.Profile()
                    prof.enable()
                started, cpu, loop_cpu = time.perf_counter(), time.process_time(), time.thread_time()
                report = stages.fetch_stage(con, config, run_id)
                secs = time.perf_counter() - started
                cpu, loop_cpu = time.process_time() - cpu, time.thread_time() - loop_cpu
                if prof is not None:
                    prof.disable()
                    prof.dump_stats(args.profile)
                served = server.stats()
                out.update(fetch_s=round(secs, 2), fetch_pps=round(served["pages"] / secs, 1),
                           write_s=round(report.write_seconds, 2),
                           write_share=round(report.write_seconds / secs, 3),
                           # CPU per page, less sensitive to a shared machine's load than wall time: the whole
                           # process, and the event loop's thread alone (fetch_all runs its loop in this thread)
                           cpu_ms_per_page=round(cpu * 1000 / len(urls), 3),
                           loop_cpu_ms_per_page=round(loop_cpu * 1000 / len(urls), 3),
                           outcomes={k: v for k, v in report.counts.items() if k.startswith("outcome_")})
                if out.get("bare_pps"):
                    out["bare_over_fetch"] = round(out["bare_pps"] / out["fetch_pps"], 2)
                if args.recheck:
                    started = time.perf_counter()
                    again = stages.fetch_stage(con, config, run_id + "-recheck")
                    rsecs = time.perf_counter() - started
                    out.update(recheck_s=round(rsecs, 2), recheck_write_s=round(again.write_seconds, 2),
                               recheck_304=again.counts.get("outcome_not_modified", 0))
                out["stored"] = stored_checksum(con, server.url(""))
                con.close()
                print(json.dumps(out), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
