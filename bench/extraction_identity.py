"""The extractor's output fingerprint and per-article time over the demo and dev corpora.

    python -m bench.extraction_identity [--rounds N] [--dump FILE]      (from the repo root)

Every page of demo/pages and of ../shared/corpus (seeds + every dev set) is parsed with
`pipelines.parse.parse_page`; each article body goes through `pipelines.extract.extract_article`. Printed:

* ``Kiwi calls``: how many texts (and characters) the extractor gave Kiwi in that pass (caches empty at start);
* ``facts sha256``: the sha256 of the canonical JSON (sorted keys, one list per page in a fixed page order) of
  every mention table of every article — a behaviour-preserving change to the extractor leaves it unchanged;
* per-article extraction time (process CPU time, Kiwi loaded before the clock; every per-text cache of the
  extractor cleared before each article, so each article pays its own analysis): the median over ``--rounds``
  of each article's time, then the median and p95 over articles.

``--dump FILE`` writes the canonical JSON itself (to diff two versions).
"""
from __future__ import annotations

import argparse
import dataclasses
import gc
import hashlib
import json
import statistics
import time
from pathlib import Path

from pipelines.extract import extract_article
from pipelines.parse import parse_page

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO.parent / "shared").resolve()


def corpus_pages() -> list[tuple[str, bytes, str]]:
    """(name, bytes, url) of every page, in a fixed order."""
    pages = [(f"demo/{p.name}", p.read_bytes(), f"https://demo.example/{p.stem}")
             for p in sorted((REPO / "demo" / "pages").glob("*.html"))]
    sets = [SHARED / "corpus" / "seeds"] + sorted(p for p in (SHARED / "corpus" / "dev").iterdir() if p.is_dir())
    for folder in sets:
        index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
        for entry in index:
            path = folder / entry["file"]
            pages.append((str(path.relative_to(SHARED)), path.read_bytes(), entry["url"]))
    return pages


def articles() -> list[tuple[str, str, object]]:
    """(name, body, published_at) of every page the parser reads as an article."""
    out = []
    for name, content, url in corpus_pages():
        page = parse_page(content, url)
        if page.kind == "article" and page.body:
            out.append((name, page.body, page.published_at))
    return out


def canonical_facts(name: str, mentions) -> dict:
    return {"page": name, "tables": {table: [dataclasses.asdict(r) for r in rows]
                                     for table, rows in mentions.tables().items()}}


def _clear_caches() -> None:
    import importlib

    from pipelines.extract import kiwi
    from pipelines.extract.orgs import phrases

    kiwi.clear_cache()
    phrases.analyse.cache_clear()
    phrases.brackets.cache_clear()
    try:  # the per-sentence analysis module (absent before it was written)
        importlib.import_module("pipelines.extract.analysis").clear_caches()
    except ModuleNotFoundError:
        pass


class _CountingKiwi:
    """The real Kiwi, counting the texts it tokenises."""

    def __init__(self, real) -> None:
        self.real, self.calls, self.chars = real, 0, 0

    def tokenize(self, text: str):
        self.calls += 1
        self.chars += len(text)
        return self.real.tokenize(text)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--dump", type=Path)
    args = ap.parse_args()

    arts = articles()
    from pipelines.extract.kiwi import get_kiwi

    from pipelines.extract import kiwi

    real = get_kiwi()
    real.tokenize("워밍업 문장이다.")  # the model load is not an article's cost
    kiwi._kiwi = counted = _CountingKiwi(real)  # Kiwi calls are the cost that does not depend on machine load
    try:
        facts = [canonical_facts(name, extract_article(body, published)) for name, body, published in arts]
    finally:
        kiwi._kiwi = real
    blob = json.dumps(facts, ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":"))
    if args.dump:
        args.dump.write_text(blob, encoding="utf-8")
    n_facts = sum(len(rows) for f in facts for rows in f["tables"].values())
    print(f"articles: {len(arts)}  facts: {n_facts}")
    print(f"facts sha256: {hashlib.sha256(blob.encode('utf-8')).hexdigest()}")
    print(f"Kiwi calls: {counted.calls}  characters given to Kiwi: {counted.chars}")

    per_article: list[list[float]] = [[] for _ in arts]
    for _ in range(args.rounds):
        for i, (_, body, published) in enumerate(arts):
            _clear_caches()
            gc.collect()
            t0 = time.process_time()
            extract_article(body, published)
            per_article[i].append(time.process_time() - t0)
    times = sorted(statistics.median(ts) * 1000 for ts in per_article)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"per-article extraction (CPU ms, median of {args.rounds} rounds each): median {statistics.median(times):.1f}"
          f"  p95 {p95:.1f}  total {sum(times):.0f}")


if __name__ == "__main__":
    main()
