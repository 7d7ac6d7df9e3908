"""Measurement: 국비 per 시도 on a corpus where every story appears twice (issue 15, "Facts once").

    python -m bench.duplicated_corpus [--out DIR]      (from the repo root; needs ../shared/corpus/dev and demo/)

Builds, in DIR (default bench/out/duplicated, git-ignored), two folders of pages: the dev corpus and demo pages as
they are, and a second copy of each under another outlet (og:site_name / title suffix 재게시일보), another host in
its canonical URL, and a light rewording (밝혔다 → 전했다, 말했다 → 설명했다, 계획이다 → 방침이다). Runs the nightly job
twice (html_dir sources): once over the originals, once over originals + copies. Prints, per 시도, the national
money (국비) summed from the article-level rows (fct_budgets, what an analyst summing the articles gets) and counted
once per fact (sido_budget_summary.amount_krw_once: per project fact, else per recipient and amount), for both corpora. What it should be: the
duplicated corpus counted once equals the single corpus counted once, and the single corpus per article.
The gold columns say what it should be from the hand-made gold (../shared/corpus/dev/*/gold.json, demo/gold.json):
national amounts whose recipient is a local government, placed by the local_governments seed (a 시군구 under its
시도), summed per article ("gold: per article") and once per distinct (recipient, amount) ("gold: once"). Gold
amounts of no local-government recipient are under "--", as the marts put budgets of no place. Then the share of
fact rows with no project_id in the duplicated run.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import csv
import json

import duckdb

from tests.support.paths import REPO, SHARED

REWORDING = [("밝혔다", "전했다"), ("말했다", "설명했다"), ("계획이다", "방침이다")]
COPY_OUTLET = "재게시일보"


def copy_page(raw: bytes, encoding: str = "utf-8") -> bytes:
    text = raw.decode(encoding, errors="replace")
    text = re.sub(r'(property="og:site_name"\s+content=")[^"]*"', rf'\g<1>{COPY_OUTLET}"', text)
    text = re.sub(r"(<title>[^<]*?)\s[-|]\s[^<]*</title>", rf"\1 - {COPY_OUTLET}</title>", text, count=1)
    text = re.sub(r"https?://(www\.)?([^/\"'\s]+)", lambda m: f"https://repost.{m.group(2)}", text)
    for old, new in REWORDING:
        text = text.replace(old, new)
    return text.encode(encoding, errors="xmlcharrefreplace")


def build(out: Path) -> list[Path]:
    encodings = {}
    for s in ("gov", "wire", "trade", "local", "hard"):
        for e in json.loads((SHARED / "corpus/dev" / s / "index.json").read_text(encoding="utf-8")):
            encodings[SHARED / "corpus/dev" / s / e["file"]] = e.get("encoding") or "utf-8"
    originals = sorted(encodings) + sorted((REPO / "demo/pages").glob("*.html"))
    orig, dup = out / "original", out / "copies"
    for d in (orig, dup):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
    for p in originals:
        (orig / p.name).write_bytes(p.read_bytes())
        (dup / p.name).write_bytes(copy_page(p.read_bytes(), encodings.get(p, "utf-8")))
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


def gold_national_by_sido() -> dict[str, tuple[int, int]]:
    """(once, per article) national money per 시도 in the gold of the pages the bench serves."""
    rows = list(csv.DictReader((REPO / "dbt/seeds/local_governments.csv").open(encoding="utf-8")))
    by_name = {}
    for r in rows:
        for n in {r["name"], r["short_name"]} - {""}:
            by_name.setdefault(n, set()).add(r["sido_code"])
    per_article: dict[str, int] = {}
    distinct: set[tuple[str, str, int]] = set()
    golds = [SHARED / "corpus/dev" / s / "gold.json" for s in ("gov", "wire", "trade", "local", "hard")]
    for g in golds + [REPO / "demo/gold.json"]:
        for art in json.loads(g.read_text(encoding="utf-8"))["articles"]:
            for b in art.get("budgets") or []:
                if b.get("funding_source") != "national":
                    continue
                recipient = (b.get("recipient") or "").split("·")[0].strip()
                codes = by_name.get(recipient) or by_name.get(re.sub(r"(특별자치시|특별자치도|광역시|특별시|시|군|구|도)$", "", recipient))
                sido = next(iter(codes)) if codes and len(codes) == 1 else "--"
                per_article[sido] = per_article.get(sido, 0) + int(b["amount_krw"])
                distinct.add((sido, recipient, int(b["amount_krw"])))
    once: dict[str, int] = {}
    for sido, _, amount in distinct:
        once[sido] = once.get(sido, 0) + amount
    return {k: (once.get(k, 0), per_article[k]) for k in per_article}


def unprojected(wh: Path) -> list[tuple[str, int, int]]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return [(t, *con.execute(f"select count(*) filter (where project_id is null), count(*) from marts.{t}").fetchone())
                for t in ("fct_budgets", "fct_events", "fct_partnerships")]
    finally:
        con.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=REPO / "bench/out/duplicated")
    a = ap.parse_args()
    folders = build(a.out)
    single_wh, double_wh = run(a.out, folders[:1], "single"), run(a.out, folders, "double")
    single, double, gold = national_by_sido(single_wh), national_by_sido(double_wh), gold_national_by_sido()
    eok = lambda v: f"{v / 1e8:,.1f}"  # noqa: E731
    print(f"{'시도':>4} | {'gold: per article':>18} {'gold: once':>11} | {'single: per article':>20} {'single: once':>13} "
          f"| {'double: per article':>20} {'double: once':>13}  (억 원, 국비)")
    for sido in sorted(set(single) | set(double) | set(gold)):
        s, d, g = single.get(sido, (0, 0)), double.get(sido, (0, 0)), gold.get(sido, (0, 0))
        print(f"{sido:>4} | {eok(g[1]):>18} {eok(g[0]):>11} | {eok(s[1]):>20} {eok(s[0]):>13} | {eok(d[1]):>20} {eok(d[0]):>13}")
    for table, none, total in unprojected(double_wh):
        print(f"{table}: {none} of {total} rows have no project_id ({none / max(total, 1):.0%})")


if __name__ == "__main__":
    main()
