"""Benchmark: one extract worker's articles of the scale corpus with the old and the new Kiwi token cache, in one run.

    python -m bench.kiwi_cache [--pages 10000] [--articles N] [--rounds 3]      (from the repo root)

The extract stage gives each of its two worker processes about every other chunk of articles, and a worker keeps
its caches for the whole stage. This bench parses the scale corpus's pages (bench/scale_corpus.py, cached), takes
every other article (one worker's share; the first ``--articles`` of them when given) and extracts them in order
in this process, from empty caches, twice per round, the order of the two alternating from round to round:

* ``old``: the token cache as it was (functools.lru_cache of 4,096 tuples of token tuples), put back into the
  modules that call ``tokenize``;
* ``new``: pipelines/extract/kiwi.py as it is (packed tokens of the last TOKEN_CACHE_TEXTS texts).

Printed per side: texts and characters given to Kiwi, process CPU seconds (median over rounds) and ms per article,
the ratio old/new of each round, and whether both sides' facts (every mention table of every article, the
canonical JSON of bench/extraction_identity.py) are identical (they must be; the bench exits 1 otherwise).
"""
from __future__ import annotations

import argparse
import gc
import hashlib
import json
import statistics
import sys
import time
from functools import lru_cache

from bench.extraction_identity import _clear_caches, _CountingKiwi, canonical_facts
from bench.scale_corpus import ensure_corpus, page_path
from pipelines.extract import analysis, extract_article, kiwi
from pipelines.extract.orgs import phrases, resolve
from pipelines.parse import parse_page

_CALLERS = (analysis, phrases, resolve)  # the modules that call kiwi.tokenize by name


def worker_articles(pages: int, limit: int | None) -> list[tuple[str, str, object]]:
    """(name, body, published_at) of every other article of the corpus, in page order."""
    folder, manifest, _ = ensure_corpus(pages)
    out = []
    for entry in manifest:
        if entry["kind"] != "article":
            continue
        page = parse_page(page_path(folder, entry["i"]).read_bytes(), f"https://scale.example/{entry['i']}")
        if page.kind == "article" and page.body:
            out.append((str(entry["i"]), page.body, page.published_at))
    share = out[::2]
    return share[:limit] if limit else share


def _old_tokenize():
    @lru_cache(maxsize=4096)
    def tokenize(text: str) -> tuple:
        return tuple((t.form, t.tag, t.start, t.len) for t in kiwi.get_kiwi().tokenize(text))
    return tokenize


def one_pass(side: str, arts) -> tuple[float, int, int, str]:
    """Extract every article from empty caches; (CPU s, Kiwi texts, Kiwi characters, facts sha256)."""
    new = {m: m.tokenize for m in _CALLERS}
    if side == "old":
        old = _old_tokenize()
        for m in _CALLERS:
            m.tokenize = old
    _clear_caches()
    real = kiwi.get_kiwi()
    kiwi._kiwi = counted = _CountingKiwi(real)
    digest = hashlib.sha256()
    try:
        gc.collect()
        t0 = time.process_time()
        facts = [extract_article(body, published) for _, body, published in arts]
        cpu = time.process_time() - t0
    finally:
        kiwi._kiwi = real
        for m, fn in new.items():
            m.tokenize = fn
        _clear_caches()
    for (name, _, _), mentions in zip(arts, facts):
        digest.update(json.dumps(canonical_facts(name, mentions), ensure_ascii=False, sort_keys=True, default=str,
                                 separators=(",", ":")).encode("utf-8"))
    return cpu, counted.calls, counted.chars, digest.hexdigest()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--articles", type=int)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    arts = worker_articles(args.pages, args.articles)
    kiwi.get_kiwi().tokenize("워밍업 문장이다.")  # the model load is not the bench's cost
    extract_article("가나시와 다라전자는 지난 3일 업무협약을 체결하고 국비 1억 원을 확보했다고 밝혔다.")
    print(f"scale corpus {args.pages} pages: {len(arts)} articles (one worker's share), {args.rounds} rounds")
    runs: dict[str, list[tuple[float, int, int, str]]] = {"old": [], "new": []}
    for r in range(args.rounds):
        for side in (("old", "new") if r % 2 == 0 else ("new", "old")):
            runs[side].append(one_pass(side, arts))
            cpu, calls, chars, _ = runs[side][-1]
            print(f"  round {r + 1} {side}: CPU {cpu:.1f} s, Kiwi {calls} texts / {chars} characters", flush=True)
    for side in ("old", "new"):
        cpus = [x[0] for x in runs[side]]
        _, calls, chars, _ = runs[side][-1]
        print(f"{side}: CPU median {statistics.median(cpus):.1f} s ({statistics.median(cpus) * 1000 / len(arts):.2f} "
              f"ms/article), Kiwi {calls} texts, {chars} characters")
    ratios = [o[0] / n[0] for o, n in zip(runs["old"], runs["new"])]
    print(f"old/new CPU: median {statistics.median(ratios):.2f} (rounds {min(ratios):.2f}-{max(ratios):.2f}); "
          f"Kiwi characters old/new {runs['old'][-1][2] / max(1, runs['new'][-1][2]):.2f}")
    shas = {x[3] for side in runs.values() for x in side}
    print(f"facts identical: {len(shas) == 1} ({sorted(shas)[0][:16]}…)")
    return 0 if len(shas) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
