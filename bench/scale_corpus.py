"""A deterministic, cached synthetic corpus for the scale benchmark (bench/scale.py).

    python -m bench.scale_corpus 10000 [--seed N]     # generate (or find cached) and print the folder

Each page is one of bench/corpus.py's layouts (ndsoft, wordpress, portal, cityhall, amp, legacy in EUC-KR,
nodate) or a not-article page (list, error, login), rendered from bench/corpus.py's vocabulary, so the
Korean money / date / organisation sentences give the extractor real work. Pages are padded to a target
size drawn from a log-normal (median 30 KB, clipped to 5-150 KB; mean about 40 KB) with realistic
boilerplate: an inline analytics/ad script in <head>, a mega-menu, comment threads, related / popular lists
with dates, a site-map footer. Every page has a listing day spread over one year (`day_offset` 0..364)
and a minute of that day; the article's own publish date (in the HTML) is 2025-01-01 + day_offset.
The server (bench/scale_server.py) maps day_offset onto the year of news days ending yesterday, so the
cached bytes stay valid from one day to the next.

Cache: bench/.cache/scale-<pages>-s<seed>-g<GENERATOR_VERSION>/ (git-ignored; `BENCH_CACHE` moves it):
pages/<i // 1000>/<i>.html, manifest.json (one entry per page), and COMPLETE written last, so a cut-off
generation is redone. Page i depends only on (seed, i): generation runs on every core in chunks.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta
from html import escape
from pathlib import Path

from bench.corpus import (AGENCIES, CITIES, COMPANIES, EVENTS, LAYOUTS, NOT_ARTICLE_LAYOUTS, OTHER_TITLES,
                          PROJECTS, REPORTERS, _sentence, make_spec)
from pipelines.basics import SEOUL

GENERATOR_VERSION = 1
DEFAULT_SEED = 20261206
CACHE_ROOT = Path(os.environ.get("BENCH_CACHE") or Path(__file__).resolve().parent / ".cache")
CONTENT_BASE = datetime(2025, 1, 1, tzinfo=SEOUL)  # the publish date in the HTML is this + day_offset
MIN_BYTES, MAX_BYTES, MEDIAN_BYTES, SIGMA = 5 * 1024, 150 * 1024, 30 * 1024, 0.75
# layout weights: articles 94 %, of which legacy (EUC-KR) 10 %; not-article pages 6 %
WEIGHTS = {"ndsoft": 26, "wordpress": 15, "portal": 14, "cityhall": 10, "amp": 9, "legacy": 10, "nodate": 4,
           "list": 2, "error": 2, "login": 2}
NOT_ARTICLE = set(NOT_ARTICLE_LAYOUTS)

SECTIONS = ["정치", "경제", "사회", "지역", "국제", "문화", "스포츠", "오피니언", "IT·과학", "부동산", "교육", "환경",
            "스마트시티", "모빌리티", "에너지", "헬스", "포토", "영상", "기획·연재", "인물"]
COMMENTS = ["좋은 기사 감사합니다", "우리 동네에도 빨리 도입됐으면 좋겠네요", "예산 낭비 아닌가요?", "결과가 기대됩니다",
            "실제로 효과가 있을지 지켜봐야겠네요", "주민 의견도 충분히 들어주세요", "기자님 후속 보도 부탁드립니다",
            "세금이 제대로 쓰이길 바랍니다", "이런 사업은 계속 확대돼야 합니다", "교통 문제부터 해결해 주세요"]
JS_WORDS = ["function", "var", "return", "window", "document", "push", "dataLayer", "gtag", "config", "adsbygoogle",
            "createElement", "script", "async", "src", "appendChild", "getElementById", "addEventListener", "load",
            "setTimeout", "typeof", "undefined", "null", "true", "false", "JSON", "parse", "stringify", "length"]


def _e(s: str) -> str:
    return escape(s, quote=True)


def target_size(rng: random.Random) -> int:
    return int(min(MAX_BYTES, max(MIN_BYTES, rng.lognormvariate(math.log(MEDIAN_BYTES), SIGMA))))


def _script(rng: random.Random) -> str:
    words = [rng.choice(JS_WORDS) + (f"_{rng.randrange(1 << 16):x}" if rng.random() < 0.3 else "")
             for _ in range(rng.randint(60, 220))]
    seps = "();.,={}[]+:"
    return "<script>" + "".join(w + rng.choice(seps) for w in words) + "</script>\n"


def _title(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return rng.choice(OTHER_TITLES)
    return f"{rng.choice(CITIES)}, {rng.choice(PROJECTS)} {rng.choice(EVENTS)}"


def _date(rng: random.Random) -> str:
    d = CONTENT_BASE + timedelta(minutes=rng.randint(0, 365 * 24 * 60))
    return f"{d:%Y-%m-%d %H:%M}"


def _block(rng: random.Random, k: int) -> str:
    kind = rng.choice(("comments", "related", "related", "menu", "script", "footer"))
    if kind == "comments":
        items = "".join(
            f'<li class="cmt-item"><span class="nick">{rng.choice("abcdefghij")}***{rng.randint(10, 999)}</span>'
            f'<span class="cmt-date">{_date(rng)}</span><p class="cmt-text">'
            f'{_e(rng.choice(COMMENTS) if rng.random() < 0.7 else _sentence(rng, rng.choice(CITIES), rng.choice(PROJECTS)))}'
            f'</p><button class="like">추천 {rng.randint(0, 99)}</button><button class="hate">비추천 {rng.randint(0, 20)}</button></li>'
            for _ in range(rng.randint(5, 20)))
        return f'<section class="comment-wrap" id="cmt{k}"><h3>댓글 <em>{rng.randint(5, 300)}</em></h3><ul class="cmt-list">{items}</ul></section>\n'
    if kind == "related":
        items = "".join(f'<li><a href="/news/articleView.html?idxno={rng.randint(1, 999999)}">{_e(_title(rng))}</a>'
                        f'<span class="date">{_date(rng)}</span></li>' for _ in range(rng.randint(8, 25)))
        name = rng.choice(["많이 본 뉴스", "최신기사", "관련기사", "포토뉴스", "오늘의 이슈"])
        return f'<div class="side-box list-{k}"><h3>{name}</h3><ul class="auto-list">{items}</ul></div>\n'
    if kind == "menu":
        cols = "".join(f'<li class="depth1"><a href="/news/articleList.html?sc_section_code=S1N{j}">{s}</a><ul class="depth2">'
                       + "".join(f'<li><a href="/news/articleList.html?sc_sub_section_code=S2N{j}{m}">{_e(rng.choice(SECTIONS))}</a></li>'
                                 for m in range(rng.randint(3, 8))) + "</ul></li>"
                       for j, s in enumerate(rng.sample(SECTIONS, 10)))
        return f'<nav class="allmenu" id="menu{k}"><ul>{cols}</ul></nav>\n'
    if kind == "script":
        return _script(rng)
    links = "".join(f'<a href="/{rng.randint(1, 99)}">{_e(rng.choice(AGENCIES + COMPANIES))}</a>' for _ in range(rng.randint(10, 30)))
    return (f'<div class="footer-sitemap f{k}">{links}<p>제보 및 보도자료 news@example.org · 기사 문의 '
            f'{rng.choice(REPORTERS)} 기자</p></div>\n')


def _pad(html_text: str, target: int, rng: random.Random, encoding: str) -> str:
    """Boilerplate added in <head> (one script) and before </body> until the page reaches `target` bytes."""
    head_js = _script(rng)
    have = len(html_text.encode(encoding, errors="xmlcharrefreplace")) + len(head_js)
    blocks: list[str] = []
    k = 0
    while have < target:
        b = _block(rng, k)
        size = len(b.encode(encoding, errors="xmlcharrefreplace"))
        k += 1
        if have + size > MAX_BYTES:
            if k > 50:
                break
            continue  # too big a block for the cap: draw another
        blocks.append(b)
        have += size
    lower = html_text.lower()
    h, b = lower.rfind("</head>"), lower.rfind("</body>")
    if h < 0 or b < 0:
        return html_text + head_js + "".join(blocks)
    return html_text[:h] + head_js + html_text[h:b] + "".join(blocks) + html_text[b:]


def _layout_for(rng: random.Random) -> str:
    return rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]


def render_page(seed: int, i: int) -> tuple[bytes, dict]:
    """Page i of the corpus (bytes, manifest entry); depends only on (seed, i)."""
    rng = random.Random(f"{seed}:{i}")
    layout = _layout_for(rng)
    day_offset, minute = rng.randint(0, 364), rng.randint(0, 24 * 60 - 1)
    target = target_size(rng)
    content_type = "text/html; charset=utf-8"
    encoding = "utf-8"
    if layout in NOT_ARTICLE:
        html_text, _ = NOT_ARTICLE_LAYOUTS[layout](rng, i)
        kind = "not_article"
    else:
        kind = "article"
        spec = make_spec(rng, i, with_date=layout != "nodate" and rng.random() > 0.06)
        if spec.published is not None:
            spec.published = CONTENT_BASE + timedelta(days=day_offset, minutes=minute)
        html_text = LAYOUTS[layout](spec, rng)
        if layout == "legacy":
            encoding = "cp949"
            content_type = ("text/html; charset=utf-8", "text/html", "text/html; charset=euc-kr")[i % 3]  # 1/3 lie
    html_text = _pad(html_text, target, rng, encoding)
    content = html_text.encode(encoding, errors="xmlcharrefreplace")
    return content, {"i": i, "layout": layout, "kind": kind, "content_type": content_type,
                     "bytes": len(content), "day_offset": day_offset, "minute": minute}


def page_path(folder: Path, i: int) -> Path:
    return folder / "pages" / f"{i // 1000:03d}" / f"{i}.html"


def _render_chunk(args: tuple[int, int, int, str]) -> list[dict]:
    seed, start, stop, folder = args
    out = []
    root = Path(folder)
    for i in range(start, stop):
        content, entry = render_page(seed, i)
        path = page_path(root, i)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        out.append(entry)
    return out


def corpus_dir(pages: int, seed: int = DEFAULT_SEED) -> Path:
    return CACHE_ROOT / f"scale-{pages}-s{seed}-g{GENERATOR_VERSION}"


def ensure_corpus(pages: int, seed: int = DEFAULT_SEED, workers: int | None = None,
                  log=print) -> tuple[Path, list[dict], dict]:
    """The corpus folder and its manifest, generated unless a complete cached copy exists.
    Returns (folder, manifest entries, info {cached, seconds, bytes})."""
    folder = corpus_dir(pages, seed)
    manifest_path = folder / "manifest.json"
    if (folder / "COMPLETE").exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        return folder, manifest, {"cached": True, "seconds": 0.0, "bytes": sum(e["bytes"] for e in manifest)}
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    started = time.monotonic()
    workers = workers or max(1, os.cpu_count() or 1)
    step = 500
    jobs = [(seed, s, min(s + step, pages), str(folder)) for s in range(0, pages, step)]
    manifest: list[dict] = []
    if workers == 1 or len(jobs) == 1:
        for job in jobs:
            manifest += _render_chunk(job)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for part in pool.map(_render_chunk, jobs):
                manifest += part
    manifest_path.write_text(json.dumps(manifest, separators=(",", ":")), encoding="utf-8")
    (folder / "COMPLETE").write_text(f"{pages} pages, seed {seed}, generator {GENERATOR_VERSION}\n", encoding="utf-8")
    secs = time.monotonic() - started
    total = sum(e["bytes"] for e in manifest)
    log(f"generated {pages} pages ({total / 1e6:.0f} MB) in {secs:.1f} s with {workers} processes → {folder}")
    return folder, manifest, {"cached": False, "seconds": round(secs, 2), "bytes": total}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pages", type=int)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    a = ap.parse_args(argv)
    folder, manifest, info = ensure_corpus(a.pages, a.seed)
    sizes = sorted(e["bytes"] for e in manifest)
    print(f"{folder}: {len(manifest)} pages, {info['bytes'] / 1e6:.0f} MB, min {sizes[0] / 1024:.1f} KB, "
          f"median {sizes[len(sizes) // 2] / 1024:.1f} KB, max {sizes[-1] / 1024:.1f} KB"
          f"{' (cached)' if info['cached'] else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
