"""Measurement: 국비 per 시도 on a corpus where every story appears twice (issue 15, "Facts once").

    python -m bench.duplicated_corpus [--out DIR]      (from the repo root; needs ../shared/corpus/dev and demo/)

Builds, in DIR (default bench/out/duplicated, git-ignored), two folders of pages: the dev corpus and demo pages as
they are, and a second copy of each under another outlet (og:site_name / title suffix 재게시일보), another host in
its canonical URL, and a light rewording (밝혔다 → 전했다, 말했다 → 설명했다, 계획이다 → 방침이다). Runs the nightly job
twice (html_dir sources): once over the originals, once over originals + copies. Prints, per 시도, the national
money (국비) summed from the article-level rows (fct_budgets, what an analyst summing the articles gets) and counted
once per project fact (sido_budget_summary.amount_krw_once), for both corpora. What it should be: the
duplicated corpus counted once equals the single corpus counted once, and the single corpus per article.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.support.paths import REPO, SHARED

REWORDING = [("밝혔다", "전했다"), ("말했다", "설명했다"), ("계획이다", "방침이다")]
COPY_OUTLET = "재게시일보"


def copy_page(raw: bytes) -> bytes:
    text = raw.decode("utf-8", errors="replace")
    text = re.sub(r'(property="og:site_name"\s+content=")[^"]*"', rf'\g<1>{COPY_OUTLET}"', text)
    text = re.sub(r"(<title>[^<]*?)\s[-|]\s[^<]*</title>", rf"\1 - {COPY_OUTLET}</title>", text, count=1)
    text = re.sub(r"https?://(www\.)?([^/\"'\s]+)", lambda m: f"https://repost.{m.group(2)}", text)
    for old, new in REWORDING:
        text = text.replace(old, new)
    return text.encode("utf-8")


def build(out: Path) -> list[Path]:
    originals = [p for s in ("gov", "wire", "trade", "local", "hard") for p in (SHARED / "corpus/dev" / s / "html").glob("*.html")]
    originals += sorted((REPO / "demo/pages").glob("*.html"))
    orig, dup = out / "original", out / "copies"
    for d in (orig, dup):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
    for p in originals:
        (orig / p.name).write_bytes(p.read_bytes())
        (dup / p.name).write_bytes(copy_page(p.read_bytes()))
    return [orig, dup]


def run(out: Path, folders: list[Path], name: str) -> Path:
    work = out / name
    shutil.rmtree(work, ignore_errors=True)
    (work / "dh").mkdir(parents=True)
    src = work / "sources.yaml"
    src.write_text("defaults:\n  respect_robots_txt: false\nsources:\n" + "".join(
        f"  - name: {f.name}\n    kind: html_dir\n    path: {f}\n" for f in folders), encoding="utf-8")
    wh = work / "news.duckdb"
    env = dict(os.environ, NEWS_SOURCES=str(src), NEWS_WAREHOUSE=str(wh), DAGSTER_HOME=str(work / "dh"))
    r = subprocess.run([sys.executable, "-m", "pipelines.cli", "run", "--full-build"], cwd=REPO, env=env,
                       capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(r.stdout[-3000:] + r.stderr[-3000:])
    return wh


def national_by_sido(wh: Path) -> dict[str, tuple[int, int]]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return {(s or "--"): (int(once or 0), int(per)) for s, once, per in con.execute(
            "select sido_code, amount_krw_once, amount_krw_per_article from marts.sido_budget_summary "
            "where funding_source = 'national'").fetchall()}
    finally:
        con.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=REPO / "bench/out/duplicated")
    a = ap.parse_args()
    folders = build(a.out)
    single, double = national_by_sido(run(a.out, folders[:1], "single")), national_by_sido(run(a.out, folders, "double"))
    eok = lambda v: f"{v / 1e8:,.1f}"  # noqa: E731
    print(f"{'시도':>4} | {'single: per article':>20} {'single: once':>14} | {'double: per article':>20} {'double: once':>14}  (억 원, 국비)")
    for sido in sorted(set(single) | set(double)):
        s, d = single.get(sido, (0, 0)), double.get(sido, (0, 0))
        print(f"{sido:>4} | {eok(s[1]):>20} {eok(s[0]):>14} | {eok(d[1]):>20} {eok(d[0]):>14}")


if __name__ == "__main__":
    main()
