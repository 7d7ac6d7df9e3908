"""Scale benchmark (issue #7): the real nightly job over 1k / 10k / 100k synthetic Korean news pages, in one run.

    make bench-scale                                   # = python -m bench.scale
    BENCH_SIZES=1000,10000 make bench-scale            # sizes (default 1000,10000,100000)

Environment: BENCH_SIZES, BENCH_SEED, BENCH_SAMPLE (trafilatura / parse_page sample, default 2000 pages),
BENCH_CONCURRENCY (per-host and global crawler concurrency, default 32), BENCH_OUT (default bench/out/),
BENCH_CACHE (corpus cache, default bench/.cache/), BENCH_KEEP=1 keeps each size's temp warehouse,
BENCH_DAYS (news days the listing dates spread over, default 365; the test folds them onto 1), BENCH_PORT (the
server's port, default 18421, 0 = any free one: the article URLs and ids carry it, so the marts checksum of two
bench runs compares only on the same port).

For each size, in a fresh temporary warehouse and DAGSTER_HOME:
1. the corpus (bench/scale_corpus.py, cached on disk) is served by bench/scale_server.py on 127.0.0.1 (its
   own process; its maximum rate alone is measured first and printed);
2. a sources file for the run: one `sitemap` source on that server, politeness off (min_delay_s 0,
   per_host/global concurrency BENCH_CONCURRENCY, private hosts allowed) -- for the benchmark only;
3. run 1, the first load of a year of news = a backfill: `python -m pipelines.cli run --from D-364 --to D`
   (D = yesterday in Seoul; the README's backfill command, one run of the `nightly_refresh` job) as a
   subprocess. Measured: wall time (the subprocess, start-up included) and the run's own time, pages/s,
   peak RSS of the process tree (sampled from /proc every 0.2 s: largest single process and largest tree
   sum), the stage split from the Dagster event log in the temp DAGSTER_HOME (step durations; a
   materialisation's `stage_seconds` metadata is read when the assets report it);
4. run 2a, nothing new, the operating mode: `pipelines.cli run` (the nightly partition, yesterday);
   run 2b, nothing new, every URL re-checked: the same backfill again. For each: wall time, rows added per
   raw table and mart, requests and 304s counted by the server;
5. the limit: selectolax (lexbor) parse + text of every page's bytes, alone; the peer: trafilatura.extract
   alone and our parse_page alone on a uniform sample of at most BENCH_SAMPLE pages (same bytes).
Results: a markdown table and ratios on stdout, and bench/out/scale-<UTC time>.{json,md} (+ scale-latest.*).
Benchmarks report: nothing here fails on a missed target.
"""
from __future__ import annotations

import json
import logging
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from pipelines.warehouse.checksum import facts_checksum
from bench.scale_corpus import DEFAULT_SEED, ensure_corpus, page_path
from bench.scale_server import first_news_day, measure_rate, running, yesterday_in_seoul

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(os.environ.get("BENCH_OUT") or ROOT / "bench" / "out")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
DEFAULT_PORT = 18421  # see BENCH_PORT: a fixed port keeps the facts (article URLs) comparable from run to run
# issue 18's targets at 100k (docs/performance.md); the bench reports them, nothing fails on a miss
TARGETS = {"pages_per_s_100k": 330, "wall_s_100k": 300, "nochange_s_100k": 20, "recheck_s_100k": 120,
           "fetch_pages_per_s_100k": 1000, "bare_client_vs_fetch": 2, "load_fraction": 0.15,
           "rss_bytes": 2 * 1024 ** 3, "growth_100k_10k": 11}
STAGES = (("discover", "discovered_urls"), ("fetch", "fetched_pages"), ("parse", "parsed_articles"),
          ("extract", "text_mentions"), ("dbt", "dbt"))


def log(msg: str) -> None:
    print(f"[{datetime.now(timezone.utc):%H:%M:%S}] {msg}", flush=True)


# ---------------------------------------------------------------- machine

def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) * 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True).stdout.strip()
    except OSError:
        commit = ""
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gib": round(mem / 1024 ** 3, 1),
            "python": platform.python_version(), "os": platform.platform(), "commit": commit,
            "loadavg_start": os.getloadavg()}


# ---------------------------------------------------------------- memory of a process tree

class TreeSampler:
    """Samples RSS of a process and all its descendants every `every` seconds (from /proc)."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        self.pid, self.every = pid, every
        self.max_single = self.max_tree = 0
        self.max_procs = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _children() -> dict[int, list[int]]:
        kids: dict[int, list[int]] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as f:
                    stat = f.read()
            except OSError:
                continue
            ppid = int(stat[stat.rfind(b")") + 2:].split()[1])
            kids.setdefault(ppid, []).append(int(entry.name))
        return kids

    def _tree_rss(self) -> list[int]:
        kids = self._children()
        todo, rss = [self.pid], []
        while todo:
            p = todo.pop()
            try:
                with open(f"/proc/{p}/statm") as f:
                    rss.append(int(f.read().split()[1]) * PAGE_SIZE)
            except OSError:
                pass
            todo += kids.get(p, [])
        return rss

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = self._tree_rss()
            if rss:
                self.samples += 1
                self.max_single = max(self.max_single, max(rss))
                self.max_tree = max(self.max_tree, sum(rss))
                self.max_procs = max(self.max_procs, len(rss))
            self._stop.wait(self.every)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# ---------------------------------------------------------------- one pipeline run

def run_cli(args: list[str], env: dict[str, str], log_file: Path) -> dict:
    """`python -m pipelines.cli run ...` as a subprocess: wall time, peak RSS, run id, its printed summary."""
    started = time.monotonic()
    with open(log_file, "w", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "run", *args], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
        with TreeSampler(proc.pid) as sampler:
            code = proc.wait()
    wall = time.monotonic() - started
    text = log_file.read_text(encoding="utf-8", errors="replace")
    m = re.search(r"nightly_refresh (succeeded|FAILED) in ([\d.]+) s\s+\(run ([0-9a-f-]+)\)", text)
    return {"args": args, "exit_code": code, "wall_s": round(wall, 2),
            "run_s": float(m.group(2)) if m else None, "run_id": m.group(3) if m else None,
            "succeeded": bool(m and m.group(1) == "succeeded" and code == 0),
            "peak_rss_single_bytes": sampler.max_single, "peak_rss_tree_bytes": sampler.max_tree,
            "max_processes": sampler.max_procs, "rss_samples": sampler.samples, "log": str(log_file)}


def table_counts(warehouse: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = con.execute("select table_schema, table_name from information_schema.tables where table_schema in "
                             "('raw', 'marts') and table_type = 'BASE TABLE' order by 1, 2").fetchall()
        return {f"{s}.{t}": con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0] for s, t in tables}
    finally:
        con.close()


def stage_split(dagster_home: Path, run_id: str) -> dict:
    """Step durations of the run (Dagster event log) grouped into stages, plus any `stage_seconds` metadata."""
    import dagster as dg

    instance = dg.DagsterInstance.from_config(str(dagster_home))
    try:
        starts: dict[str, float] = {}
        steps: dict[str, float] = {}
        metadata: dict[str, object] = {}
        for rec in instance.all_logs(run_id):
            ev = rec.dagster_event
            if ev is None:
                continue
            if ev.event_type == dg.DagsterEventType.STEP_START:
                starts[ev.step_key] = rec.timestamp
            elif ev.event_type in (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE):
                steps[ev.step_key] = round(rec.timestamp - starts.get(ev.step_key, rec.timestamp), 2)
            elif ev.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
                m = ev.step_materialization_data.materialization
                for k, v in m.metadata.items():
                    if "seconds" in k:
                        metadata[f"{m.asset_key.to_user_string()}:{k}"] = getattr(v, "value", getattr(v, "data", str(v)))
    finally:
        instance.dispose()
    stages = dict.fromkeys([name for name, _ in STAGES] + ["other"], 0.0)
    for key, secs in steps.items():
        name = next((n for n, needle in STAGES if needle in key), "other")
        stages[name] = round(stages[name] + secs, 2)
    # the DuckDB load: each stage step reports write_seconds once per asset it materialises (the same number
    # for every asset of a multi-asset), so take one per step
    per_step = {}
    for key, value in metadata.items():
        asset, name = key.rsplit(":", 1)
        if name == "write_seconds" and isinstance(value, (int, float)):
            step = next((n for n, needle in (("discover", "discovered_urls"), ("fetch", "raw/pages"),
                                             ("parse", "raw/articles"), ("extract", "raw/sentences")) if needle in asset),
                        None)
            if step:
                per_step[step] = float(value)
    return {"stages_s": stages, "steps_s": steps, "steps_total_s": round(sum(steps.values()), 2),
            "load_s": round(sum(per_step.values()), 2) if per_step else None, "load_s_per_stage": per_step,
            "stage_seconds_metadata": metadata,
            "load_separable": bool(metadata)}


# ---------------------------------------------------------------- the limit and the peer

def limit_and_peer(folder: Path, manifest: list[dict], sample_n: int) -> dict:
    from selectolax.lexbor import LexborHTMLParser

    from pipelines.parse import parse_page

    def lexbor(content: bytes) -> int:
        tree = LexborHTMLParser(content)
        node = tree.body or tree.root
        return len(node.text(separator=" ") if node is not None else "")

    spent = 0.0
    nbytes = 0
    for e in manifest:
        content = page_path(folder, e["i"]).read_bytes()
        nbytes += len(content)
        t = time.perf_counter()
        lexbor(content)
        spent += time.perf_counter() - t
    out = {"selectolax_pages": len(manifest), "selectolax_s": round(spent, 2),
           "selectolax_pages_per_s": round(len(manifest) / spent, 1) if spent else None,
           "selectolax_mb_per_s": round(nbytes / spent / 1e6, 1) if spent else None}

    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    step = max(1, len(manifest) // max(1, sample_n))
    sample = manifest[::step][:sample_n]
    pages = [(page_path(folder, e["i"]).read_bytes(), f"http://127.0.0.1/news/{e['i']}.html", e["content_type"])
             for e in sample]
    # warm-up (untimed): imports and caches of both extractors
    for content, url, ctype in pages[:5]:
        trafilatura.extract(content, url=url)
        parse_page(content, url, ctype)
    timings = {"trafilatura": 0.0, "parse_page": 0.0, "selectolax_sample": 0.0}
    for content, url, ctype in pages:  # taking turns page by page: the same machine load for each
        t0 = time.perf_counter()
        trafilatura.extract(content, url=url)
        t1 = time.perf_counter()
        try:
            parse_page(content, url, ctype)
        except Exception:  # noqa: BLE001 - a ParseError is a verdict, timed like any other
            pass
        t2 = time.perf_counter()
        lexbor(content)
        t3 = time.perf_counter()
        timings["trafilatura"] += t1 - t0
        timings["parse_page"] += t2 - t1
        timings["selectolax_sample"] += t3 - t2
    n = len(pages)
    out.update({"sample_pages": n, "sample": f"every {step}th page (uniform), {n} pages",
                **{f"{k}_pages_per_s": round(n / v, 1) if v else None for k, v in timings.items()}})
    return out


# ---------------------------------------------------------------- the fetch stage's peer: a bare async client

def bare_client(urls: list[str], concurrency: int) -> dict:
    """The same URLs fetched by a bare httpx.AsyncClient with the crawler's concurrency (`concurrency` workers
    over one keep-alive pool of that size), every body read and dropped: what the fetch stage's pages/s is
    compared with (issue 18: within 2x). Runs in this process, with the server in its own."""
    import asyncio

    import httpx

    async def go() -> tuple[int, int, int]:
        queue = iter(urls)
        pages = nbytes = errors = 0
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        async with httpx.AsyncClient(limits=limits, trust_env=False, timeout=30.0) as client:
            async def worker() -> None:
                nonlocal pages, nbytes, errors
                for url in queue:  # one shared iterator: each URL once
                    try:
                        r = await client.get(url)
                        nbytes += len(r.content)
                        pages += r.status_code == 200
                    except httpx.HTTPError:
                        errors += 1

            await asyncio.gather(*(worker() for _ in range(concurrency)))
        return pages, nbytes, errors

    started = time.perf_counter()
    pages, nbytes, errors = asyncio.run(go())
    secs = time.perf_counter() - started
    return {"pages": pages, "errors": errors, "seconds": round(secs, 2), "concurrency": concurrency,
            "pages_per_s": round(pages / secs, 1) if secs else None, "mb_per_s": round(nbytes / secs / 1e6, 1)}


# ---------------------------------------------------------------- one size

def sources_yaml(url: str, concurrency: int) -> str:
    return f"""# written by bench/scale.py for one benchmark run: politeness OFF (benchmark only, never for real sites)
defaults:
  per_host_concurrency: {concurrency}
  global_concurrency: {concurrency}
  min_delay_s: 0
  timeout_s: 60
  max_bytes: 20_000_000
  max_urls_per_source: 1_000_000  # a backfill lists the whole corpus (the default keeps the newest 5,000)
  allow_private_hosts: true
  respect_robots_txt: true
sources:
  - name: scale-bench
    kind: sitemap
    url: {url}
"""


def added(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {k: after.get(k, 0) - before.get(k, 0) for k in sorted(set(before) | set(after))}


def bench_size(n: int, seed: int, sample_n: int, concurrency: int, stamp: str, days: int = 365) -> dict:
    log(f"--- {n} pages")
    folder, manifest, gen = ensure_corpus(n, seed, log=log)
    last_day = yesterday_in_seoul()
    first_day = first_news_day(last_day, days)
    articles_expected = sum(1 for e in manifest if e["kind"] == "article")
    res: dict = {"pages": n, "corpus": {"folder": str(folder), "bytes": gen["bytes"], "cached": gen["cached"],
                                        "generate_s": gen["seconds"], "article_pages": articles_expected,
                                        "not_article_pages": n - articles_expected,
                                        "euc_kr_pages": sum(1 for e in manifest if e["layout"] == "legacy"),
                                        "news_days": f"{first_day}..{last_day}"}}
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-scale-{n}-"))
    logs = OUT / f"scale-{stamp}-logs"
    logs.mkdir(parents=True, exist_ok=True)
    try:
        with running(folder, last_day, days, port=int(os.environ.get("BENCH_PORT", DEFAULT_PORT))) as server:
            res["server_port"] = server.port
            if not server.port_as_asked:
                log(f"port {os.environ.get('BENCH_PORT', DEFAULT_PORT)} taken: serving on {server.port}, so this "
                    f"size's marts checksum is not comparable with runs on another port")
            res["server_alone"] = measure_rate(server, [f"/news/{e['i']}.html" for e in manifest[:5000]])
            log(f"server alone: {res['server_alone']['pages_per_s']} pages/s ({res['server_alone']['mb_per_s']} MB/s)")
            res["bare_client"] = bare_client([server.url(f"/news/{e['i']}.html") for e in manifest], concurrency)
            server.stats(reset=True)
            log(f"bare async client (httpx, {concurrency} at once, the same {n} URLs): "
                f"{res['bare_client']['pages_per_s']} pages/s in {res['bare_client']['seconds']} s")
            home = tmp / "dagster_home"
            home.mkdir()
            shutil.copy(ROOT / "dagster.yaml", home / "dagster.yaml")
            warehouse = tmp / "warehouse" / "news.duckdb"
            warehouse.parent.mkdir()
            sources = tmp / "sources.yaml"
            sources.write_text(sources_yaml(server.url("/sitemap.xml"), concurrency), encoding="utf-8")
            env = dict(os.environ, NEWS_SOURCES=str(sources), NEWS_WAREHOUSE=str(warehouse), DAGSTER_HOME=str(home),
                       DBT_PROFILES_DIR=str(ROOT / "dbt"), DO_NOT_TRACK="1", DBT_SEND_ANONYMOUS_USAGE_STATS="false")
            backfill = ["--from", first_day.isoformat(), "--to", last_day.isoformat()]

            server.stats(reset=True)
            log(f"run 1 (backfill {first_day}..{last_day}) ...")
            r1 = run_cli(backfill, env, logs / f"{n}-run1.log")
            r1["server"] = server.stats(reset=True)
            r1["rows"] = table_counts(warehouse) if warehouse.exists() else {}
            if r1["run_id"]:
                r1.update(stage_split(home, r1["run_id"]))
            r1["pages_fetched"] = r1["server"]["pages"]
            r1["pages_per_s"] = round(r1["pages_fetched"] / r1["wall_s"], 1)
            r1["articles_landed"] = r1["rows"].get("raw.articles", 0)
            # the fetch stage's own time (stage_seconds of raw/pages); the step also writes one materialisation
            # event per partition and asset (730 for a year's backfill), Dagster's bookkeeping, not fetching
            fetch_s = r1.get("stage_seconds_metadata", {}).get("raw/pages:stage_seconds") or r1.get("stages_s", {}).get("fetch")
            r1["fetch_stage_s"] = fetch_s
            r1["fetch_pages_per_s"] = round(r1["pages_fetched"] / fetch_s, 1) if fetch_s else None
            bare = res["bare_client"].get("pages_per_s")
            r1["fetch_vs_bare_client"] = round(bare / r1["fetch_pages_per_s"], 2) if bare and r1["fetch_pages_per_s"] else None
            r1["marts_checksum"] = marts_checksum(warehouse)
            res["run1"] = r1
            log(f"run 1: {r1['wall_s']} s wall, {r1['pages_per_s']} pages/s, {r1['articles_landed']} articles, "
                f"peak RSS {r1['peak_rss_tree_bytes'] / 2**20:.0f} MiB (tree), ok={r1['succeeded']}")
            log(f"fetch stage: {fetch_s} s ({r1['stages_s'].get('fetch') if r1.get('stages_s') else '–'} s as a step), "
                f"{r1['fetch_pages_per_s']} pages/s; bare async client {bare} pages/s: the bare client is "
                f"{r1['fetch_vs_bare_client']}x the fetch stage")

            # with one news day the re-check is the nightly run itself: not run twice
            for label, args in (("run2_nightly", []), ("run2_recheck", backfill))[:1 if days == 1 else 2]:
                before = table_counts(warehouse)
                log(f"{label} ({'nightly partition ' + last_day.isoformat() if not args else 'backfill again'}) ...")
                r = run_cli(args, env, logs / f"{n}-{label}.log")
                r["server"] = server.stats(reset=True)
                after = table_counts(warehouse)
                r["rows_added"] = added(before, after)
                if r["run_id"]:
                    r.update(stage_split(home, r["run_id"]))
                r["marts_checksum"] = marts_checksum(warehouse)
                res[label] = r
                data_added = {k: v for k, v in r["rows_added"].items() if v and k not in LOG_TABLES}
                log(f"{label}: {r['wall_s']} s wall, {r['server']['not_modified']} x 304, "
                    f"{r['server']['pages']} x 200, data rows added: {data_added or 0}")
        log("limit and peer (selectolax alone, trafilatura, parse_page) ...")
        res["alone"] = limit_and_peer(folder, manifest, sample_n)
        log(f"selectolax alone {res['alone']['selectolax_pages_per_s']} pages/s; trafilatura "
            f"{res['alone']['trafilatura_pages_per_s']} pages/s; parse_page {res['alone']['parse_page_pages_per_s']} pages/s")
    finally:
        if os.environ.get("BENCH_KEEP") == "1":
            res["kept"] = str(tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    r1, a = res.get("run1", {}), res.get("alone", {})
    if r1.get("pages_per_s") and a.get("selectolax_pages_per_s"):
        res["e2e_fraction_of_selectolax"] = round(r1["pages_per_s"] / a["selectolax_pages_per_s"], 4)
    if r1.get("pages_per_s") and a.get("trafilatura_pages_per_s"):
        res["e2e_vs_trafilatura"] = round(r1["pages_per_s"] / a["trafilatura_pages_per_s"], 3)
    if a.get("parse_page_pages_per_s") and a.get("trafilatura_pages_per_s"):
        res["parse_page_vs_trafilatura"] = round(a["parse_page_pages_per_s"] / a["trafilatura_pages_per_s"], 2)
    return res


def marts_checksum(warehouse: Path) -> dict:
    """bench.checksum.facts_checksum of the warehouse's marts and reporting relations ({} without a warehouse)."""
    if not warehouse.exists():
        return {}
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return facts_checksum(con)
    finally:
        con.close()


# fetch_log and discovered_urls log every run (one row per URL per run) by design; every other table is data
LOG_TABLES = {"raw.fetch_log", "raw.discovered_urls", "marts.fct_fetches"}


# ---------------------------------------------------------------- report

def _mib(b: int | None) -> str:
    return f"{b / 2**20:.0f}" if b else "–"


def markdown(report: dict) -> str:
    m = report["machine"]
    lines = [f"Scale benchmark {report['started']} on {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, "
             f"Python {m['python']}, commit {m['commit']}; load average at start {m['loadavg_start'][0]:.2f}, "
             f"at end {m.get('loadavg_end', [0])[0]:.2f}.", "",
             "| pages | MB | run 1 wall s | pages/s | fetch s | fetch p/s | bare client p/s | parse s | extract s | of which DuckDB load s | dbt s | other s | "
             "peak RSS MiB (largest / tree) | no-change nightly s (304s) | no-change re-check s (304s) | data rows added | "
             "selectolax alone p/s | e2e / selectolax | trafilatura p/s | parse_page p/s | e2e / trafilatura |",
             "|" + "---|" * 21]
    for s in report["sizes"]:
        r1, a = s.get("run1", {}), s.get("alone", {})
        st = r1.get("stages_s", {})
        n2, n3 = s.get("run2_nightly", {}), s.get("run2_recheck", {})
        data = sum(v for k, v in {**n2.get("rows_added", {}), **n3.get("rows_added", {})}.items() if k not in LOG_TABLES)
        lines.append(
            f"| {s['pages']:,} | {s['corpus']['bytes'] / 1e6:.0f} | {r1.get('wall_s', '–')} | {r1.get('pages_per_s', '–')} | "
            f"{round(st.get('discover', 0) + st.get('fetch', 0), 1)} | {r1.get('fetch_pages_per_s') or '–'} | "
            f"{s.get('bare_client', {}).get('pages_per_s', '–')} | {st.get('parse', '–')} | {st.get('extract', '–')} | "
            f"{r1.get('load_s') if r1.get('load_s') is not None else '–'} | {st.get('dbt', '–')} | {st.get('other', '–')} | "
            f"{_mib(r1.get('peak_rss_single_bytes'))} / {_mib(r1.get('peak_rss_tree_bytes'))} | "
            f"{n2.get('wall_s', '–')} ({n2.get('server', {}).get('not_modified', '–')}) | "
            f"{n3.get('wall_s', '–')} ({n3.get('server', {}).get('not_modified', '–')}) | {data} | "
            f"{a.get('selectolax_pages_per_s', '–')} | {s.get('e2e_fraction_of_selectolax', '–')} | "
            f"{a.get('trafilatura_pages_per_s', '–')} | {a.get('parse_page_pages_per_s', '–')} | {s.get('e2e_vs_trafilatura', '–')} |")
    lines.append("")
    for k, v in report["ratios"].items():
        lines.append(f"- {k}: {v}")
    for s in report["sizes"]:
        r1 = s.get("run1", {})
        lines.append(f"- {s['pages']:,} pages: articles landed {r1.get('articles_landed')} of "
                     f"{s['corpus']['article_pages']} article pages ({s['corpus']['not_article_pages']} not-article pages); "
                     f"server alone {s.get('server_alone', {}).get('pages_per_s')} pages/s; run's own time "
                     f"{r1.get('run_s')} s, of which in steps {r1.get('steps_total_s')} s (the rest: Dagster run "
                     f"start, planning and event writes); stage_seconds metadata: {r1.get('stage_seconds_metadata') or 'none (load not separable)'}")
        sums = {label: s.get(label, {}).get("marts_checksum", {}).get("facts_md5")
                for label in ("run1", "run2_nightly", "run2_recheck") if s.get(label, {}).get("marts_checksum")}
        if sums:
            first = s.get("run1", {}).get("marts_checksum", {})
            lines.append(f"- {s['pages']:,} pages: marts checksum (checksum facts_md5 of "
                         f"{first.get('relations')} marts and reporting relations, {first.get('rows')} rows; server port "
                         f"{s.get('server_port')}): "
                         + ", ".join(f"{k} {v}" for k, v in sums.items())
                         + ("; unchanged by the no-change nights" if len(set(sums.values())) == 1
                            else "; CHANGED between runs"))
    return "\n".join(lines) + "\n"


def ratios(sizes: list[dict]) -> dict[str, object]:
    by = {s["pages"]: s for s in sizes if s.get("run1", {}).get("wall_s")}
    out: dict[str, object] = {}
    ns = sorted(by)
    for a, b in zip(ns, ns[1:]):
        out[f"growth wall {b}/{a} (pages x{b / a:g})"] = round(by[b]["run1"]["wall_s"] / by[a]["run1"]["wall_s"], 2)
    if 100_000 in by:
        r = by[100_000]
        out["targets at 100k"] = {
            "wall < 300 s": r["run1"]["wall_s"] < TARGETS["wall_s_100k"],
            "pages/s >= 330": r["run1"]["pages_per_s"] >= TARGETS["pages_per_s_100k"],
            "fetch stage >= 1000 pages/s": r["run1"].get("fetch_pages_per_s", 0) >= TARGETS["fetch_pages_per_s_100k"],
            "fetch stage within 2x of the bare client": (
                (r["run1"].get("fetch_vs_bare_client") or 1e9) <= TARGETS["bare_client_vs_fetch"]),
            "raw writes <= 15 % of the stages": (
                r["run1"]["load_s"] <= TARGETS["load_fraction"] * sum(
                    r["run1"]["stages_s"].get(k, 0) for k in ("fetch", "parse", "extract"))),
            "no-change nightly <= 20 s": r.get("run2_nightly", {}).get("wall_s", 1e9) <= TARGETS["nochange_s_100k"],
            "re-check of all URLs <= 120 s": r.get("run2_recheck", {}).get("wall_s", 1e9) <= TARGETS["recheck_s_100k"],
            "peak RSS tree <= 2 GiB": r["run1"]["peak_rss_tree_bytes"] <= TARGETS["rss_bytes"],
        }
        if 10_000 in by:
            out["targets at 100k"]["growth 100k/10k <= 11"] = (
                by[100_000]["run1"]["wall_s"] / by[10_000]["run1"]["wall_s"] <= TARGETS["growth_100k_10k"])
    return out


def main() -> int:
    sizes = [int(x) for x in os.environ.get("BENCH_SIZES", "1000,10000,100000").replace("_", "").split(",") if x.strip()]
    seed = int(os.environ.get("BENCH_SEED", DEFAULT_SEED))
    sample_n = int(os.environ.get("BENCH_SAMPLE", 2000))
    concurrency = int(os.environ.get("BENCH_CONCURRENCY", 32))
    days = int(os.environ.get("BENCH_DAYS", 365))
    started = datetime.now(timezone.utc)
    stamp = f"{started:%Y%m%dT%H%M%SZ}"
    OUT.mkdir(parents=True, exist_ok=True)
    report = {"started": started.isoformat(timespec="seconds"), "machine": machine(), "seed": seed, "days": days,
              "sample": sample_n, "concurrency": concurrency,
              "mode": "run 1 = backfill of the corpus's 365 news days (pipelines.cli run --from --to); "
                      "run2_nightly = pipelines.cli run (yesterday's partition); run2_recheck = the backfill again",
              "sizes": []}
    for n in sizes:
        report["sizes"].append(bench_size(n, seed, sample_n, concurrency, stamp, days))
    report["machine"]["loadavg_end"] = os.getloadavg()
    report["ratios"] = ratios(report["sizes"])
    md = markdown(report)
    for name in (f"scale-{stamp}", "scale-latest"):
        (OUT / f"{name}.json").write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
        (OUT / f"{name}.md").write_text(md, encoding="utf-8")
    print()
    print(md)
    print(f"written: {OUT / f'scale-{stamp}.json'} and .md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
