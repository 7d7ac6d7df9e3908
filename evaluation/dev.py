"""`make eval`: the nightly job over the dev corpus (../shared/corpus/dev), fetched over HTTP, scored per set.

    python -m evaluation.dev [--split all|tune|holdout] [--sets gov,wire,...] [--verbose] [--json OUT]

Every dev set's pages (index.json: file, URL, encoding) are served by one HTTP server on 127.0.0.1 (a free
port) that answers by Host header + path?query, with `Content-Type: text/html; charset=<encoding>`. The
sources file lists each set's URLs as a `urls` source, rewritten to http://<original host>:<port>/<path>?<query>
(the url_key stays in the URL, so score.py matches it), with allow_private_hosts and robots.txt off. For the
duration of the run `pipelines.fetch.safety.resolve_host` (the one place host names become addresses) sends
those hosts to 127.0.0.1, so the job runs in this process: the real crawler, parser, extractor, warehouse and
dbt, into a temporary warehouse. ../shared/eval/score.py then scores every set and all of them pooled.

Split: `tune` = articles whose number is odd (dg-01, dw-03, ...), `holdout` = even numbers; `all` (default)
scores both. The misses per article (`--verbose`) are printed for the tune articles only, unless
`--show-holdout` is given: tune on the odd ones, only read the holdout's aggregate score.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from pipelines.settings import PROJECT_DIR as REPO  # the one definition of both folders
from pipelines.settings import SHARED_DIR as SHARED
from tests.support.http_server import Exchange, Response, TestHTTPServer

DEV = SHARED / "corpus" / "dev"
SCORE_PY = SHARED / "eval" / "score.py"
SETS = ("gov", "wire", "trade", "local", "hard")
SPLITS = ("all", "tune", "holdout")
FACTS = ("budgets", "events", "partnerships")
CHECKS = ("found", "title", "published_at", "body", "rejected")


# ---------------------------------------------------------------- the dev sets

@dataclass(frozen=True)
class Page:
    set_name: str
    url: str  # as in index.json
    file: Path
    encoding: str


def load_pages(sets: Sequence[str], dev: Path = DEV) -> list[Page]:
    pages = []
    for name in sets:
        for entry in json.loads((dev / name / "index.json").read_text(encoding="utf-8")):
            pages.append(Page(name, entry["url"], dev / name / entry["file"], entry.get("encoding") or "utf-8"))
    return pages


def article_number(url_key: str) -> int | None:
    m = re.match(r"[a-z]+-(\d+)", url_key)
    return int(m.group(1)) if m else None


def in_split(url_key: str, split: str) -> bool:
    """tune = odd article numbers, holdout = even ones, all = both."""
    if split == "all":
        return True
    n = article_number(url_key)
    odd = n is None or n % 2 == 1
    return odd if split == "tune" else not odd


def gold_articles(set_name: str, split: str, dev: Path = DEV) -> dict:
    gold = json.loads((dev / set_name / "gold.json").read_text(encoding="utf-8"))
    gold["articles"] = [a for a in gold["articles"] if in_split(a["url_key"], split)]
    return gold


# ---------------------------------------------------------------- the site on 127.0.0.1

def _route_key(host: str, path_query: str) -> tuple[str, str]:
    return host.lower().split(":", 1)[0], path_query or "/"


def _path_query(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


class DevSite:
    """One threaded HTTP server on 127.0.0.1 (tests/support/http_server.py) that serves every page by Host header
    + path?query."""

    def __init__(self, pages: Sequence[Page]) -> None:
        self.routes = {_route_key(urlsplit(p.url).hostname or "", _path_query(p.url)): p for p in pages}
        self.hosts = {host for host, _ in self.routes}
        self._server = TestHTTPServer(fallback=self._answer)
        self.port = self._server.port

    def _answer(self, exchange: Exchange) -> Response:
        page = self.routes.get(_route_key(exchange.request.headers.get("host", ""), exchange.request.path))
        if page is None:
            return Response(404, {"Content-Type": "text/plain; charset=utf-8"}, b"not found")
        return Response(200, {"Content-Type": f"text/html; charset={page.encoding}"}, page.file.read_bytes())

    def local_url(self, url: str) -> str:
        """http://<original host>:<port>/<path>?<query>: the name kept (Host header), the port ours."""
        return f"http://{urlsplit(url).hostname}:{self.port}{_path_query(url)}"

    def __enter__(self) -> DevSite:
        self._server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.stop()


@contextmanager
def hosts_on_loopback(hosts: set[str]) -> Iterator[None]:
    """Resolve `hosts` to 127.0.0.1 (every other name as usual) while the block runs."""
    from pipelines.fetch import safety

    real = safety.resolve_host

    async def resolve(host: str, port: int) -> list[str]:
        if host.lower() in hosts:
            return ["127.0.0.1"]
        return await real(host, port)

    safety.resolve_host = resolve
    try:
        yield
    finally:
        safety.resolve_host = real


def write_sources(path: Path, site: DevSite, pages: Sequence[Page]) -> Path:
    lines = ["defaults:", "  allow_private_hosts: true", "  respect_robots_txt: false", "  min_delay_s: 0",
             "  timeout_s: 20", "  per_host_concurrency: 4", "sources:"]
    for name in dict.fromkeys(p.set_name for p in pages):
        lines += [f"  - name: dev-{name}", "    kind: urls", "    urls:"]
        lines += [f'      - "{site.local_url(p.url)}"' for p in pages if p.set_name == name]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------- the run and the score

def run_night(pages: Sequence[Page], workdir: Path) -> tuple[Path, bool, float]:
    """The nightly job in this process over the dev pages; returns (warehouse, success, seconds)."""
    import contextlib

    import dagster as dg

    from pipelines.definitions import build_definitions
    from pipelines.partitions import newest_news_day
    from pipelines.settings import Settings

    warehouse = workdir / "wh" / "news.duckdb"  # dbt wants the file name news.duckdb
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    # dbt's progress lines go to a log file in the work folder; the console gets the table
    with DevSite(pages) as site, hosts_on_loopback(site.hosts), \
            open(workdir / "run.log", "w", encoding="utf-8") as log, contextlib.redirect_stdout(log):
        sources = write_sources(workdir / "sources.yaml", site, pages)
        job = build_definitions(Settings(sources_path=sources, warehouse_path=warehouse)).resolve_job_def(
            "nightly_refresh")
        run_config = {"loggers": {"console": {"config": {"log_level": "ERROR"}}},
                      "ops": {"news_dbt_models": {"config": {"full_build": True}}}}
        result = job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), raise_on_error=False,
                                        run_config=run_config, partition_key=newest_news_day())
    return warehouse, result.success, time.monotonic() - started


def score(warehouse: Path, golds: Sequence[Path], out: Path) -> dict:
    """../shared/eval/score.py on these gold files (pooled); its --json result."""
    proc = subprocess.run([sys.executable, str(SCORE_PY), str(warehouse), *map(str, golds), "--json", str(out)],
                          capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(f"score.py failed ({proc.returncode}): {proc.stderr.strip()}")
    return json.loads(out.read_text(encoding="utf-8"))


def evaluate(sets: Sequence[str] = SETS, split: str = "all", workdir: Path | None = None) -> dict:
    """Run the night over `sets` and score them: {"sets": {name: score}, "pooled": score, "success": bool}."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}")
    with tempfile.TemporaryDirectory(prefix="news-eval-") as tmp:
        work = Path(workdir or tmp)
        work.mkdir(parents=True, exist_ok=True)
        pages = load_pages(sets)
        warehouse, success, seconds = run_night(pages, work)
        golds = {}
        for name in sets:
            path = work / f"gold-{name}-{split}.json"
            path.write_text(json.dumps(gold_articles(name, split), ensure_ascii=False), encoding="utf-8")
            golds[name] = path
        per_set = {name: score(warehouse, [gold], work / f"score-{name}.json") for name, gold in golds.items()}
        pooled = score(warehouse, list(golds.values()), work / "score-pooled.json")
    return {"sets": per_set, "pooled": pooled, "success": success, "seconds": seconds, "split": split}


# ---------------------------------------------------------------- the table

def _check(result: dict, name: str) -> str:
    ok_n = result["checks"].get(name)
    return f"{ok_n[0]}/{ok_n[1]}" if ok_n else "-"


def table(results: dict) -> str:
    head = (f"{'set':<8}" + "".join(f"{f + ' P/R/F1':>22}" for f in FACTS)
            + "".join(f"{c:>14}" for c in CHECKS))
    rows = [head, "-" * len(head)]
    named = [*results["sets"].items(), ("pooled", results["pooled"])]
    for i, (name, r) in enumerate(named):
        if i == len(named) - 1:
            rows.append("-" * len(head))
        cells = [f"{name:<8}"]
        for f in FACTS:
            x = r["facts"][f]
            cells.append(f"{x['precision']:>10.2f}{x['recall']:>6.2f}{x['f1']:>6.2f}")
        cells += [f"{_check(r, c):>14}" for c in CHECKS]
        rows.append("".join(cells))
    return "\n".join(rows)


def misses(result: dict, show_holdout: bool) -> Iterator[str]:
    """One line per scored article that has a problem or a missed/extra fact."""
    for item in result["articles"]:
        if not show_holdout and not in_split(item["url_key"], "tune"):
            continue
        parts = list(item.get("problems", []))
        for f in FACTS:
            if item.get(f"{f}_missed"):
                parts.append(f"{f} missed {item[f'{f}_missed']}")
            if item.get(f"{f}_extra"):
                parts.append(f"{f} extra {item[f'{f}_extra']}")
        if parts:
            yield f"{item['url_key']}: " + " ; ".join(str(p) for p in parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m evaluation.dev", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=SPLITS, default="all",
                    help="tune = odd article numbers, holdout = even, all = both (default)")
    ap.add_argument("--sets", default=",".join(SETS), help=f"comma-separated, of {','.join(SETS)}")
    ap.add_argument("--verbose", action="store_true", help="the misses per article (tune articles only)")
    ap.add_argument("--show-holdout", action="store_true", help="with --verbose: the holdout's misses too")
    ap.add_argument("--json", dest="json_out", help="write every score (per set and pooled) to this file")
    ap.add_argument("--keep", help="a folder to keep the sources file, warehouse and gold splits in")
    a = ap.parse_args(argv)
    sets = [s.strip() for s in a.sets.split(",") if s.strip()]
    unknown = [s for s in sets if not (DEV / s / "index.json").exists()]
    if unknown:
        ap.error(f"no dev set {', '.join(unknown)} in {DEV}")
    results = evaluate(sets, a.split, Path(a.keep).resolve() if a.keep else None)
    print(f"dev corpus {DEV}  split={a.split}  sets={','.join(sets)}  "
          f"nightly_refresh {'succeeded' if results['success'] else 'FAILED'} in {results['seconds']:.0f} s")
    print(table(results))
    if a.verbose:
        print()
        for name in sets:
            for line in misses(results["sets"][name], a.show_holdout):
                print(line)
        if a.split != "tune" and not a.show_holdout:
            print("(the holdout articles' misses are not shown: --show-holdout prints them)")
    if a.json_out:
        Path(a.json_out).write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return 0 if results["success"] else 1


if __name__ == "__main__":
    sys.exit(main())
