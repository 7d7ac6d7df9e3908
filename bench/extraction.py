"""Benchmark: our extractor vs trafilatura on the same bytes, in one run.

    python -m bench.extraction [--seed N] [--per-layout N] [--rounds N] [--write]   (from the repo root; `make bench`)

Corpus: bench/corpus.py (deterministic; 7 article layouts + list/error/login pages) plus the four seed
pages read in place from ../shared (skipped with a message when that folder is missing). With
``--write`` the generated pages go to bench/out/corpus/ (git-ignored) for inspection.

Printed for each extractor:
- title accuracy: NFKC + collapsed-whitespace equality with the expected headline;
- date accuracy: same calendar day in Asia/Seoul (trafilatura reports days only), and for ours also to
  the minute; an article that states no date must get none;
- body token precision / recall / F1 (tokens = whitespace split after NFKC; multiset overlap), the
  mean over article pages;
- pages/second over the whole corpus (generated pages + seeds), measured fairly and stably:
  ``--rounds`` rounds (default 5); each round first clears both extractors' caches (trafilatura's
  ``reset_caches()``, our attribute-profile caches) and warms both up on a separate small corpus
  (untimed), then times one pass in chunks of 16 pages taking turns, the first turn alternating
  from chunk to chunk (same bytes, same machine load; gc run before each chunk, never on the clock).
  Time is process CPU time (``time.process_time``), so other jobs on a shared box do not bill
  either side; wall-clock pages/s are printed too. Reported: the median over rounds of each
  extractor's pages/s and of the per-round ratio ours/trafilatura, with the min-max ratio range;
- not-article pages recognised (ours: kind == 'not_article'; trafilatura: no text returned).
On the seeds, the scorer's article checks: title, published_at (to the minute) and body include/once/exclude.
"""
from __future__ import annotations

import argparse
import gc
import json
import logging
import re
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from bench.corpus import CorpusPage, build_corpus, write_corpus
from pipelines.parse import parse_page
from pipelines.basics import SEOUL
from pipelines.settings import PROJECT_DIR as REPO  # the one definition of both folders
from pipelines.settings import SHARED_DIR as SHARED


@dataclass
class Result:
    title: str | None
    date: datetime | str | None
    body: str
    is_article: bool


@dataclass
class Tally:
    n: int = 0
    title: int = 0
    day: int = 0
    minute: int = 0
    p: float = 0.0
    r: float = 0.0
    f: float = 0.0
    na_total: int = 0
    na_ok: int = 0
    seconds: float = 0.0
    pages: int = 0
    per_layout: dict[str, list[float]] = field(default_factory=dict)


def norm_text(s: str | None) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", s or "")).strip()


def tokens(s: str | None) -> Counter[str]:
    return Counter(unicodedata.normalize("NFKC", s or "").split())


def prf(pred: str, gold: str) -> tuple[float, float, float]:
    g, o = tokens(gold), tokens(pred)
    inter = sum((g & o).values())
    p = inter / sum(o.values()) if o else (1.0 if not g else 0.0)
    r = inter / sum(g.values()) if g else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def ours(page: CorpusPage) -> Result:
    parsed = parse_page(page.content, page.url, page.content_type)
    return Result(parsed.title, parsed.published_at, parsed.body, parsed.kind == "article")


def trafilatura_extract(page: CorpusPage) -> Result:
    import trafilatura

    doc = trafilatura.bare_extraction(page.content, url=page.url, with_metadata=True)
    if doc is None:
        return Result(None, None, "", False)
    get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
    text = get("text") or ""
    return Result(get("title"), get("date"), text, bool(text.strip()))


def _day(value: datetime | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(SEOUL).date().isoformat()
    return str(value)[:10]


def _minute(value: datetime | str | None) -> str | None:
    if isinstance(value, datetime):
        return value.astimezone(SEOUL).strftime("%Y-%m-%dT%H:%M")
    return None if value is None else "day-only"


def score(pages: list[CorpusPage], results: list[Result], tally: Tally) -> None:
    for page, res in zip(pages, results):
        if page.kind != "article":
            tally.na_total += 1
            tally.na_ok += not res.is_article
            continue
        tally.n += 1
        tally.title += norm_text(res.title) == norm_text(page.title)
        tally.day += _day(res.date) == _day(page.published)
        tally.minute += _minute(res.date) == _minute(page.published)
        p, r, f = prf(res.body, page.body)
        tally.p, tally.r, tally.f = tally.p + p, tally.r + r, tally.f + f
        tally.per_layout.setdefault(page.layout, []).append(f)


def interleaved(extractors: dict[str, Callable[[CorpusPage], Result]], pages: list[CorpusPage], chunk: int = 16,
                clock: Callable[[], float] = time.process_time) -> dict[str, tuple[list[Result], float]]:
    """One pass over the pages in chunks, the extractors taking turns per chunk (same machine load for both).

    The extractor that goes first alternates from chunk to chunk (no order advantage). Before each
    timed chunk the garbage collector is run and automatic collection is off while the chunk runs,
    so that one extractor's garbage is never collected on the other's clock.
    """
    out: dict[str, tuple[list[Result], float]] = {name: ([], 0.0) for name in extractors}
    order = list(extractors.items())
    for n, i in enumerate(range(0, len(pages), chunk)):
        part = pages[i:i + chunk]
        for name, fn in (order if n % 2 == 0 else order[::-1]):
            gc.collect()
            gc.disable()
            try:
                start = clock()
                results = [fn(page) for page in part]
                elapsed = clock() - start
            finally:
                gc.enable()
            done, total = out[name]
            out[name] = (done + results, total + elapsed)
    return out


def reset_caches() -> None:
    """Clear both extractors' in-process caches (called, untimed, at the start of every round)."""
    from trafilatura.meta import reset_caches as trafilatura_reset

    from pipelines.parse import zones

    trafilatura_reset()
    zones.reset_caches()


@dataclass
class Speed:
    pages_per_s: dict[str, float]  # median over rounds
    wall_pages_per_s: dict[str, float]  # median over rounds, wall clock
    ratio: float  # median over rounds of ours/trafilatura
    ratio_min: float
    ratio_max: float
    rounds: int


def _median(values: list[float]) -> float:
    v = sorted(values)
    mid = len(v) // 2
    return v[mid] if len(v) % 2 else (v[mid - 1] + v[mid]) / 2


def measure(extractors: dict[str, Callable[[CorpusPage], Result]], pages: list[CorpusPage],
            warmup: list[CorpusPage], rounds: int, chunk: int = 16) -> tuple[dict[str, list[Result]], Speed]:
    """``rounds`` cache-cleared, warmed-up, interleaved passes; results of the first pass, median speeds."""
    cpu: dict[str, list[float]] = {name: [] for name in extractors}
    wall: dict[str, list[float]] = {name: [] for name in extractors}
    ratios: list[float] = []
    first: dict[str, list[Result]] = {}
    for r in range(rounds):
        reset_caches()
        for page in warmup:
            for fn in extractors.values():
                fn(page)
        runs = interleaved(extractors, pages, chunk)
        walls = interleaved(extractors, pages[: max(chunk * 4, 1)], chunk, clock=time.perf_counter) if r == 0 else None
        if r == 0:
            first = {name: results for name, (results, _) in runs.items()}
        for name, (_, secs) in runs.items():
            cpu[name].append(len(pages) / secs)
        if walls is not None:
            for name, (done, secs) in walls.items():
                wall[name].append(len(done) / secs)
        names = list(extractors)
        ratios.append(cpu[names[0]][-1] / cpu[names[1]][-1])
    speed = Speed({n: _median(v) for n, v in cpu.items()}, {n: _median(v) for n, v in wall.items() if v},
                  _median(ratios), min(ratios), max(ratios), rounds)
    return first, speed


def seed_pages() -> tuple[list[CorpusPage], list[dict]]:
    index_path, gold_path = SHARED / "corpus" / "seeds" / "index.json", SHARED / "gold" / "seeds.json"
    if not index_path.exists() or not gold_path.exists():
        print(f"(seed pages skipped: {SHARED} not found)")
        return [], []
    gold = {g["url_key"]: g for g in json.loads(gold_path.read_text(encoding="utf-8"))["articles"]}
    pages, golds = [], []
    for entry in json.loads(index_path.read_text(encoding="utf-8")):
        g = next((v for k, v in gold.items() if k in entry["url"]), None)
        if g is None:
            continue
        pub = datetime.fromisoformat(g["published_at"]).astimezone(SEOUL) if g.get("published_at") and len(g["published_at"]) > 10 else None
        if g.get("published_at") and len(g["published_at"]) == 10:
            pub = datetime.fromisoformat(g["published_at"] + "T00:00:00+09:00")
        pages.append(CorpusPage(f"seed-{g['url_key']}", "seed", entry["url"],
                                (SHARED / "corpus" / "seeds" / entry["file"]).read_bytes(), None, g["title"], pub, ""))
        golds.append(g)
    return pages, golds


def seed_checks(pages: list[CorpusPage], golds: list[dict], results: list[Result]) -> tuple[int, int, int]:
    title = date = body = 0
    for page, g, res in zip(pages, golds, results):
        title += norm_text(res.title) == norm_text(g["title"])
        want = g.get("published_at")
        if want is None:
            date += res.date is None
        elif len(want) == 10:
            date += _day(res.date) == want
        else:
            date += _minute(res.date) == datetime.fromisoformat(want).astimezone(SEOUL).strftime("%Y-%m-%dT%H:%M")
        b = norm_text(res.body)
        body += (all(norm_text(s) in b for s in g.get("body_include", []))
                 and all(b.count(norm_text(s)) == 1 for s in g.get("body_once", []))
                 and not any(norm_text(s) in b for s in g.get("body_exclude", [])))
    return title, date, body


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=20250620)
    ap.add_argument("--per-layout", type=int, default=32)
    ap.add_argument("--rounds", type=int, default=5, help="timed rounds; medians are reported")
    ap.add_argument("--write", action="store_true", help="write the generated pages to bench/out/corpus/")
    a = ap.parse_args()
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)

    corpus = build_corpus(a.seed, a.per_layout)
    if a.write:
        write_corpus(corpus, REPO / "bench" / "out" / "corpus")
    seeds, golds = seed_pages()
    everything = corpus + seeds
    layouts = sorted({p.layout for p in corpus if p.kind == "article"})
    print(f"corpus: {len(corpus)} generated pages ({sum(p.kind == 'article' for p in corpus)} articles in "
          f"{len(layouts)} layouts, {sum(p.kind != 'article' for p in corpus)} not-article) + {len(seeds)} seed pages")

    tallies: dict[str, Tally] = {}
    outputs: dict[str, list[Result]] = {}
    warmup = build_corpus(a.seed + 1, 3)  # other pages: the warm-up gives no content-cache hits later
    outputs, speed = measure({"ours": ours, "trafilatura": trafilatura_extract}, everything, warmup, max(a.rounds, 1))
    for name, results in outputs.items():
        tally = Tally(seconds=len(everything) / speed.pages_per_s[name], pages=len(everything))
        score(corpus, results[: len(corpus)], tally)
        tallies[name] = tally

    print()
    print("| extractor | title acc | date acc (day) | date acc (minute) | body P | body R | body F1 | not-article found | pages/s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, t in tallies.items():
        minute = f"{t.minute / t.n:.3f}" if name == "ours" else "n/a (day only)"
        print(f"| {name} | {t.title / t.n:.3f} | {t.day / t.n:.3f} | {minute} | {t.p / t.n:.3f} | {t.r / t.n:.3f} | "
              f"{t.f / t.n:.3f} | {t.na_ok}/{t.na_total} | {t.pages / t.seconds:.1f} |")
    print(f"\npages/s = median of {speed.rounds} rounds over all {len(everything)} pages, process CPU time; "
          f"wall clock (first 64 pages, round 1): ours {speed.wall_pages_per_s.get('ours', 0):.1f}, "
          f"trafilatura {speed.wall_pages_per_s.get('trafilatura', 0):.1f}")
    print(f"speed ratio ours/trafilatura: {speed.ratio:.1f}x (median of {speed.rounds} rounds; "
          f"range {speed.ratio_min:.1f}-{speed.ratio_max:.1f}x)")
    print("\nbody F1 by layout:")
    print("| layout | ours | trafilatura |")
    print("|---|---|---|")
    for layout in layouts:
        o, t = tallies["ours"].per_layout[layout], tallies["trafilatura"].per_layout[layout]
        print(f"| {layout} | {sum(o) / len(o):.3f} | {sum(t) / len(t):.3f} |")
    if seeds:
        _, seed_speed = measure({"ours": ours, "trafilatura": trafilatura_extract}, seeds * 5, warmup[:8],
                                max(a.rounds, 1), chunk=len(seeds))
        print(f"\nspeed on the real-size seed pages (x5 per round, trafilatura may hit its own caches on repeats): "
              f"ours {seed_speed.pages_per_s['ours']:.1f} pages/s, trafilatura "
              f"{seed_speed.pages_per_s['trafilatura']:.1f} pages/s, ratio {seed_speed.ratio:.1f}x "
              f"(range {seed_speed.ratio_min:.1f}-{seed_speed.ratio_max:.1f}x)")
        print(f"\nseed pages ({len(seeds)}), scorer checks title / published_at / body:")
        for name in tallies:
            ti, da, bo = seed_checks(seeds, golds, outputs[name][len(corpus):])
            print(f"  {name:<12} title {ti}/{len(seeds)}  published_at {da}/{len(seeds)}  body {bo}/{len(seeds)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
