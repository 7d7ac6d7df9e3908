"""The pipeline's stages as plain functions over a DuckDB connection (the Dagster assets are thin wrappers).

discover → fetch → parse → extract. Each stage reads what the previous one stored, does only the work
that is new (unchanged pages are not re-parsed, unchanged bodies not re-extracted), and writes in
batches, one transaction each.
"""
from __future__ import annotations

import functools

import logging
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import duckdb

from . import parallel, progress
from . import warehouse as wh
from .days import DayWindow
from .fetch.types import Discovered, FetchResult

if TYPE_CHECKING:  # the fetch side (httpx, pydantic) is imported where a stage needs it: a worker process
    # (pipelines.parallel) imports this module and pays only for what parsing and extracting use
    from .fetch.robots import RobotsCache
    from .sources.config import SourcesConfig

log = logging.getLogger(__name__)
BATCH = 1000  # fetch results per write
WRITE_BATCH = 2000  # pages / articles per read + write of the parse and extract stages


def _robots_or_new(robots: RobotsCache | None) -> RobotsCache:
    """The run's robots.txt cache as the caller passed it (the Dagster assets pass the `robots` resource,
    pipelines.resources.run_robots: one per run, shared by the discover and fetch stages, so a host's robots.txt
    is fetched once per run), else a cache for this call alone."""
    if robots is not None:
        return robots
    from .fetch.robots import RobotsCache

    return RobotsCache()


class AllSourcesFailed(RuntimeError):
    """Every source of the sources file failed: the run must fail, saying so."""


# A source *delivered* in a run when at least one of its URLs was fetched (`ok`: new, changed or the same bytes)
# or confirmed unchanged (`not_modified`, a 304). A source that delivered nothing while something of it failed
# (its feed, or every URL it listed: DNS, refused address, connection, HTTP errors …) is a *failed source*.
DELIVERED = ("ok", "not_modified")


@dataclass
class StageReport:
    counts: dict[str, int] = field(default_factory=dict)
    by_source: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    failed_sources: dict[str, str] = field(default_factory=dict)  # name -> why (see DELIVERED)
    write_seconds: float = 0.0  # the part of the stage spent writing the warehouse (its own wh.WriteTimer)


def failed_sources_of(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, str]:
    """The sources that failed in run `run_id` (see DELIVERED), each with its reason on one line, from the
    run's raw.fetch_log rows (feed failures of the discover stage and the fetches of the fetch stage)."""
    rows = con.execute("""
        select source_name, outcome, count(*) as n, arg_min(url || ': ' || coalesce(error, outcome), url) as first
        from raw.fetch_log where run_id = ? group by source_name, outcome order by source_name, n desc, outcome
    """, [run_id]).fetchall()
    by_source: dict[str, list[tuple[str, int, str]]] = {}
    for name, outcome, n, first in rows:
        by_source.setdefault(name, []).append((outcome, n, first))
    out = {}
    for name, outcomes in by_source.items():
        if any(o in DELIVERED for o, _, _ in outcomes):
            continue
        total = sum(n for _, n, _ in outcomes)
        what = ", ".join(f"{n} {o}" for o, n, _ in outcomes)
        example = " ".join(outcomes[0][2].split())[:200]
        out[name] = f"nothing delivered, {progress.plural(total, 'request')} failed ({what}; e.g. {example})"
    return out


def raise_if_every_source_failed(config: SourcesConfig, failed: dict[str, str]) -> None:
    if config.sources and all(s.name in failed for s in config.sources):
        raise AllSourcesFailed("every source failed: " + "; ".join(f"{k}: {v}" for k, v in sorted(failed.items())))


# ---------------------------------------------------------------- discover

def discover_stage(con: duckdb.DuckDBPyConnection, config: SourcesConfig, run_id: str,
                   now: datetime | None = None, window: DayWindow | None = None, *,
                   robots: RobotsCache | None = None) -> StageReport:
    """Discover every source; with a `window` (the run's news days) keep only the entries listed in it.
    `robots`: the run's robots.txt cache (see _robots_or_new)."""
    from .fetch import discover

    now = now or wh.utcnow()
    timer = wh.WriteTimer()
    bar = progress.current()
    bar.start("discover", total=len(config.sources))
    items, failures = discover(config, now=now, robots=_robots_or_new(robots))
    outside = Counter()
    if window is not None:
        kept = [i for i in items if window.admits(i.lastmod_hint)]
        outside.update(i.source_name for i in items if not window.admits(i.lastmod_hint))
        items = kept
    rows = wh.discovered_rows(run_id, items, now)
    wh.record_discovered(con, run_id, rows, timer=timer)
    if failures:
        wh.record_fetches(con, run_id, failures, timer=timer)
    report = StageReport()
    per_source = Counter(r["source_name"] for r in rows)
    failed_sources = {f.source_name for f in failures}
    for src in config.sources:
        report.by_source[src.name] = {"urls": per_source.get(src.name, 0),
                                      "listed_on_other_days": outside.get(src.name, 0),
                                      "source_errors": sum(1 for f in failures if f.source_name == src.name)}
    stored = con.execute("select count(*) from raw.discovered_urls d where d.run_id = ? and exists "
                         "(select 1 from raw.pages p where p.url = d.url)", [run_id]).fetchone()[0]
    report.counts = {"urls": len(rows), "urls_new": len(rows) - stored, "urls_known": stored,
                     "sources": len(config.sources), "sources_failed": len(failed_sources),
                     "listed_on_other_days": sum(outside.values())}
    report.errors = [f"{f.source_name}: {f.url}: {f.outcome}: {f.error}" for f in failures]
    dead = {s.name for s in config.sources if s.name in failed_sources and per_source.get(s.name, 0) == 0}
    report.failed_sources = {k: v for k, v in failed_sources_of(con, run_id).items() if k in dead}
    bar.finish("discover", f"{progress.plural(len(config.sources), 'source')} read, "
                           f"{progress.plural(len(rows), 'URL')} ({report.counts['urls_new']} new, {stored} stored "
                           f"before)" + (f", {len(dead)} failed: {', '.join(sorted(dead))}" if dead else ""))
    if config.sources and len(dead) == len(config.sources):
        raise AllSourcesFailed("every source failed: " + "; ".join(report.errors))
    report.write_seconds = timer.seconds
    return report


# ---------------------------------------------------------------- fetch

def _discovered(row: dict[str, Any]) -> Discovered:
    """A stored discovery row back to a `Discovered`, without bytes.

    An html_dir page's file is read once, here in the fetch stage: `fetch_all` reads each file as its turn comes
    (`fetch.discovery.read_html_page`, under the html_dir rules: inside the folder, a regular file, at most
    `max_bytes`), one file at a time, and the writer drops the bytes once a batch is stored, so at most the
    batch waiting to be written and the one being written (2 x BATCH pages, as for pages fetched over HTTP) are
    in memory, never a whole large folder.
    Discovery reads only each file's first 64 KB (its canonical link); discovery and fetch are separate steps
    (maybe processes), so holding whole files from one to the other would be unbounded."""
    return Discovered(source_name=row["source_name"], url=row["url"], discovered_via=row.get("discovered_via"),
                      title_hint=row.get("title_hint"), lastmod_hint=row.get("lastmod_hint"))


def fetch_stage(con: duckdb.DuckDBPyConnection, config: SourcesConfig, run_id: str, *,
                robots: RobotsCache | None = None) -> StageReport:
    """Fetch what the run's discover stage listed (or the latest discovery). `robots`: see _robots_or_new."""
    from .fetch import fetch_all

    disc_run = run_id if con.execute("select 1 from raw.discovered_urls where run_id = ? limit 1",
                                     [run_id]).fetchone() else wh.latest_discovery_run(con)
    rows = wh.discovered_for_run(con, disc_run) if disc_run else []
    html_dirs = {s.name for s in config.sources if s.kind == "html_dir"}
    items = [_discovered(r) for r in rows]
    validators = wh.validators_for(con, [i.url for i in items if i.source_name not in html_dirs])
    report = StageReport()
    timer = wh.WriteTimer()
    pending: list[FetchResult] = []
    totals: Counter[str] = Counter()
    bar = progress.current()
    bar.start("fetch", total=len(items))
    # the writes run on one writer thread while the event loop keeps fetching (one batch in flight at a time)
    writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fetch-writer")
    in_flight: list[Future] = []

    def write(batch: list[FetchResult]) -> None:
        for k, v in wh.record_fetches(con, run_id, batch, timer=timer).items():
            totals[k] += v
        for r in batch:  # the bytes are stored: the run does not keep 100k pages in memory
            r.content = None

    def wait() -> None:
        while in_flight:
            in_flight.pop().result()

    def flush() -> None:
        if pending:
            wait()
            in_flight.append(writer.submit(write, list(pending)))
            pending.clear()

    def on_result(r: FetchResult) -> None:
        pending.append(r)
        bar.advance("fetch", outcome=r.outcome)
        if len(pending) >= BATCH:
            flush()

    try:
        results = fetch_all(items, config, validators=validators, on_result=on_result,
                            robots=_robots_or_new(robots))
        if not pending and results and not totals and not in_flight:
            pending.extend(results)  # a fetcher that does not call on_result
        flush()
        wait()
    finally:
        writer.shutdown(wait=True)
    outcomes = Counter(r.outcome for r in results)
    for r in results:
        report.by_source.setdefault(r.source_name, Counter())[r.outcome] += 1
    report.by_source = {k: dict(v) for k, v in report.by_source.items()}
    report.counts = {"requested": len(results), **{f"outcome_{k}": v for k, v in outcomes.items()}, **totals}
    report.errors = [f"{r.url}: {r.outcome}: {r.error}" for r in results if r.outcome not in DELIVERED]
    # a source whose every URL failed delivered nothing: a failed source, like one whose feed failed
    report.failed_sources = failed_sources_of(con, run_id)
    report.counts["sources_failed"] = len(report.failed_sources)
    said = " · ".join(f"{k} {v}" for k, v in outcomes.most_common())
    bar.finish("fetch", f"{len(results)}/{len(items)} fetched" + (f": {said}" if said else "")
               + (f"; failed: {', '.join(sorted(report.failed_sources))}" if report.failed_sources else ""))
    report.write_seconds = timer.seconds
    raise_if_every_source_failed(config, report.failed_sources)
    return report


# ---------------------------------------------------------------- parse

def parse_one(rec: dict[str, Any], parse_page: Callable[..., Any], parser_version: str) -> tuple[dict, dict | None]:
    """Parse one stored page into (page_parses row, articles row or None). Never raises.

    The article is keyed by the page's canonical URL when it is trusted (pipelines/parse/canonical.py: on the
    fetched URL's registrable domain or one of `rec["source_domains"]`, or the page did not come over HTTP (an
    html_dir file: no `http_status`) or came from a loopback host), else by the URL the bytes came from, with
    the claim kept in `claimed_canonical_url`."""
    from .fetch import canonicalize_url
    from .parse.canonical import canonical_is_trusted
    from .parse.types import ParseError

    now = wh.utcnow()
    base = {"page_key": rec["page_key"], "content_hash": rec["content_hash"], "parser_version": parser_version,
            "parsed_at": now, "error": None, "article_key": None}
    try:
        page = parse_page(rec["content"], rec.get("final_url") or rec["url"], rec.get("content_type"))
    except ParseError as exc:
        return {**base, "outcome": exc.kind, "error": str(exc)}, None
    except Exception as exc:  # noqa: BLE001 - a parser bug on one page must not stop the run
        return {**base, "outcome": "parse_error", "error": f"{type(exc).__name__}: {exc}"}, None
    if page.kind != "article":
        return {**base, "outcome": "not_article", "error": page.reason or "not an article"}, None
    fetched = rec.get("final_url") or rec["url"]
    claimed = page.canonical_url
    over_http = rec.get("http_status") is not None
    trusted = not claimed or canonical_is_trusted(claimed, fetched if over_http else None,
                                                  rec.get("source_domains") or ())
    url = canonicalize_url(claimed if claimed and trusted else fetched)
    key = wh.article_key(url)
    body = page.body or ""
    article = {
        "article_key": key, "url": url, "page_key": rec["page_key"], "source_name": rec["source_name"],
        "fetched_url": rec["url"], "outlet": page.outlet, "title": page.title, "published_at": page.published_at,
        "published_at_source": page.published_at_source, "body": body, "body_hash": wh.sha256_hex(body),
        "encoding": page.encoding, "fetched_at": rec["fetched_at"], "parser_version": parser_version,
        "parsed_at": now, "claimed_canonical_url": None if trusted else claimed,
    }
    return {**base, "outcome": "article", "article_key": key}, article


def _source_domains(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, ...]]:
    """Per source, the registrable domains of its own feeds / sitemaps (trusted canonical domains)."""
    from .parse.canonical import url_domain

    return {name: tuple(sorted({d for d in map(url_domain, urls) if d}))
            for name, urls in wh.source_feed_urls(con).items()}


def _parse_chunk(recs: list[dict[str, Any]]) -> list[tuple[str, dict, dict | None]]:
    """Worker side of the parse stage: stored (compressed) pages → (url, page_parses row, articles row).

    Each page has `parallel.item_seconds("parse")` (20 s); a page over it is a parse_error 'time_limit: ...'
    and the chunk goes on."""
    from .fetch import canonicalize_url  # noqa: F401 - warm up: imports are not paid inside a page's budget
    from .parse import PARSER_VERSION, parse_page
    from .parse.canonical import registrable_domain

    registrable_domain("warm-up.example.co.kr")  # loads the suffix list once per process

    def one(rec: dict[str, Any]) -> tuple[str, dict, dict | None]:
        rec = wh.decompress_page(rec)
        parsed, article = parse_one(rec, parse_page, PARSER_VERSION)
        return rec["url"], parsed, article

    def over_budget(rec: dict[str, Any], exc: BaseException) -> tuple[str, dict, dict | None]:
        return rec["url"], {"page_key": rec["page_key"], "content_hash": rec["content_hash"],
                            "parser_version": PARSER_VERSION, "parsed_at": wh.utcnow(), "article_key": None,
                            "outcome": "parse_error", "error": str(exc)}, None

    return parallel.each_within(one, recs, parallel.item_seconds("parse"), over_budget)


def parse_stage(con: duckdb.DuckDBPyConnection, *, reparse_all: bool = False) -> StageReport:
    """Parse stored pages not yet parsed by this parser version (or every kept page with reparse_all).

    Pages are read and written in batches of WRITE_BATCH; the parsing itself runs on every core (see
    pipelines.parallel) and the results come back in page order, so the output does not depend on it."""
    from .parse import PARSER_VERSION

    report = StageReport()
    timer = wh.WriteTimer()
    outcomes: Counter[str] = Counter()
    parses: list[dict] = []
    articles: dict[str, dict] = {}
    written: set[str] = set()  # article keys written by this run: the newest fetch of a canonical URL wins
    landed: Counter[str] = Counter()

    def flush() -> None:
        if parses:
            landed.update(wh.record_parses(con, parses, list(articles.values()), timer=timer))
            written.update(articles)
            parses.clear()
            articles.clear()

    keys = wh.page_keys_to_parse(con, PARSER_VERSION, all_pages=reparse_all)
    domains = _source_domains(con)
    pages = ({**rec, "source_domains": domains.get(rec["source_name"], ())}
             for rec in wh.iter_pages(con, keys, WRITE_BATCH))
    pool = parallel.pool_for(len(keys))
    bar = progress.current()
    bar.start("parse", total=len(keys))
    try:
        results = parallel.flatten(parallel.map_chunks(_parse_chunk, pages, pool))
        for url, parsed, article in results:
            outcomes[parsed["outcome"]] += 1
            bar.advance("parse", outcome=parsed["outcome"])
            parses.append(parsed)
            if article and article["article_key"] not in written:
                # two URLs with one canonical URL: the newest fetch wins (pages come newest first)
                articles.setdefault(article["article_key"], article)
            if parsed["error"]:
                report.errors.append(f"{url}: {parsed['outcome']}: {parsed['error']}")
            if len(parses) >= WRITE_BATCH:
                flush()
        flush()
    finally:
        if pool is not None:
            pool.close()
    # an article whose only page stopped being an article is removed with its mentions
    with timer.measure(), wh.transaction(con):
        con.execute("""
            delete from raw.articles a where not exists (
                select 1 from raw.page_parses pp where pp.article_key = a.article_key and pp.outcome = 'article')
        """)
    with timer.measure():
        wh.drop_orphan_mentions(con)
    report.write_seconds = timer.seconds
    report.counts = {"parsed": sum(outcomes.values()), **{f"outcome_{k}": v for k, v in outcomes.items()},
                     **{k: landed.get(k, 0) for k in ("articles_new", "articles_updated", "articles_same_body")}}
    bar.finish("parse", f"{progress.plural(report.counts['parsed'], 'page')} parsed: "
                        f"{report.counts['articles_new']} new articles, {report.counts['articles_updated']} updated"
                        + "".join(f", {v} {k}" for k, v in sorted(outcomes.items()) if k != "article"))
    return report


# ---------------------------------------------------------------- extract

@functools.lru_cache(maxsize=1)
def _warm_up_extractor() -> None:
    from .extract import extract_article

    extract_article("가나시와 다라전자는 지난 3일 업무협약을 체결하고 국비 1억 원을 확보했다고 밝혔다.")


def _extract_chunk(arts: list[dict[str, Any]]) -> list[tuple[dict, dict | None, str | None]]:
    """Worker side of the extract stage: articles → (article without body, mention rows per table, error).

    Each article has `parallel.item_seconds("extract")` (60 s); one over it, or one whose extraction raises, is
    an error for that article alone (raw.extract_errors) and the chunk goes on."""
    from .extract import EXTRACTOR_VERSION, extract_article

    _warm_up_extractor()  # the analyser model and dictionaries load once per process, outside any article's budget

    def one(art: dict[str, Any]) -> tuple[dict, dict | None, str | None]:
        meta = {k: v for k, v in art.items() if k != "body"}
        try:
            mentions = extract_article(art["body"], art["published_at"])
        except Exception as exc:  # noqa: BLE001 - one bad body must not stop the run
            return meta, None, f"{type(exc).__name__}: {exc}"
        return meta, wh.mention_rows(art["article_key"], mentions, EXTRACTOR_VERSION), None

    def over_budget(art: dict[str, Any], exc: BaseException) -> tuple[dict, dict | None, str | None]:
        return {k: v for k, v in art.items() if k != "body"}, None, str(exc)

    return parallel.each_within(one, arts, parallel.item_seconds("extract"), over_budget)


def extract_stage(con: duckdb.DuckDBPyConnection, batch_size: int | None = None, *,
                  reextract_all: bool = False) -> StageReport:
    """Extract mentions from articles whose body or extractor changed (or all of them with reextract_all).

    Bodies are read and mentions written in batches; extraction runs on every core (pipelines.parallel)."""
    from .extract import EXTRACTOR_VERSION

    batch_size = batch_size or WRITE_BATCH
    report = StageReport()
    timer = wh.WriteTimer()
    totals: Counter[str] = Counter()
    batch: list[tuple[dict, Any]] = []
    n = 0
    todo = wh.article_keys_to_extract(con, EXTRACTOR_VERSION, all_articles=reextract_all)
    had_rows = {k for k, prev in todo if prev}
    keys = [k for k, _ in todo]
    extracted: set[str] = set()

    failed: list[tuple[dict, str]] = []

    def flush() -> None:
        unstored: list[tuple[dict, str]] = []
        totals.update(wh.record_mentions(con, EXTRACTOR_VERSION, batch,
                                         replacing=[a["article_key"] for a, _ in batch if a["article_key"] in had_rows],
                                         failures=unstored, timer=timer))
        for art, reason in unstored:
            extracted.discard(art["article_key"])
            report.errors.append(f"{art['article_key']}: {reason}")
        failed.extend(unstored)
        batch.clear()

    pool = parallel.pool_for(len(keys))
    bar = progress.current()
    bar.start("extract", total=len(keys))
    try:
        results = parallel.flatten(parallel.map_chunks(_extract_chunk, wh.iter_articles(con, keys, batch_size), pool))
        for meta, rows, error in results:
            bar.advance("extract", outcome="error" if error else "ok")
            if error:
                report.errors.append(f"{meta['article_key']}: {error}")
                wh.record_extract_errors(con, EXTRACTOR_VERSION, [(meta, error)], timer=timer)
                failed.append((meta, error))
                continue
            batch.append((meta, rows))
            extracted.add(meta["article_key"])
            n += 1
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
    finally:
        if pool is not None:
            pool.close()
    n = len(extracted)
    report.counts = {"articles_extracted": n, "articles_failed": len(failed),
                     "articles_first_extracted": n - len(had_rows & extracted),
                     "articles_re_extracted": len(had_rows & extracted),
                     **{f"rows_{k}": v for k, v in totals.items()}}
    report.write_seconds = timer.seconds
    bar.finish("extract", f"{progress.plural(n, 'article')} extracted ({len(had_rows & extracted)} again)"
                          + (f", {len(failed)} failed" if failed else ""))
    return report
