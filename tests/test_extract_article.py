"""extract_article on the four seed pages, scored the way dbt + shared/eval/score.py will see it.

The seed .txt files are whole page texts (navigation, related-news lists, bylines). The real pipeline feeds the
extractor a clean body, so this test applies a crude cleaner: each text is cut at the first line containing
'저작권자', '무단전재', 'Related' or '기자의 추가', or at the first line with an e-mail address (the byline of
the icnweb page). The texts are read in place from ../shared; nothing is copied into the repo.

The helpers below mirror what dbt does downstream: resolve date components against published_at (explicit year
wins; else year_offset/month_offset from the publish date; else a month/day resolves to the most recent such date
not after publication unless direction='future'; 이날 without an anchor = publication day; unknown publish
date → unknown), map cues to funding_source through dbt/seeds/funding_source_terms.csv (NULL → total), and
de-duplicate per article.
"""
from __future__ import annotations

import csv
import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from pipelines.extract import extract_article
from pipelines.extract.types import DateMention
from tests.support.paths import REPO, SEED_GOLD, SHARED, needs_shared

SEED_TEXTS = SHARED / "seeds"
_CUT_MARKERS = ("저작권자", "무단전재", "Related", "기자의 추가")


def crude_body(text: str) -> str:
    kept = []
    for line in text.splitlines():
        if any(k in line for k in _CUT_MARKERS) or re.search(r"[\w.]+@[\w-]+\.[\w.]+", line):
            break
        kept.append(line)
    return "\n".join(kept)


def _shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + offset
    return index // 12, index % 12 + 1


def resolve(d: DateMention, published: date | None) -> date | None:
    """The documented resolution rule (what dbt applies), first day of the period."""
    if d.day_ref == "publication":
        return published
    year, month, day = d.year, d.month, d.day
    if year is None and published is None:
        return None
    if year is None and d.year_offset is not None:
        year = published.year + d.year_offset
    if d.month_offset is not None and published is not None:
        year, month = _shift_month(published.year, published.month, d.month_offset)
    if year is None:  # month/day without a year: past → latest not after publication, future → next not
        # before it, no direction (Korean present often means scheduled) → the candidate nearest publication
        if month is None:
            options = [_shift_month(published.year, published.month, k) + (day,) for k in (-1, 0, 1)]
        else:
            options = [(published.year + k, month, day or 1) for k in (-1, 0, 1)]
        candidates = []
        for y, mo, dy in options:
            try:
                candidates.append(date(y, mo, dy))
            except ValueError:  # 31일 in a 30-day month
                continue
        if d.direction == "past":
            chosen = max(c for c in candidates if c <= published)
        elif d.direction == "future":  # a month-only date counts from the start of the publish month
            start = published if day is not None else published.replace(day=1)
            chosen = min(c for c in candidates if c >= start)
        else:  # nearest; a tie goes to the earlier
            chosen = min(candidates, key=lambda c: (abs((c - published).days), c))
        year, month, day = chosen.year, chosen.month, (day and chosen.day)
    return date(year, month or 1, day or 1)


def funding_map() -> dict[str, str]:
    with (REPO / "dbt" / "seeds" / "funding_source_terms.csv").open(encoding="utf-8") as fh:
        return {r["term"]: r["funding_source"] for r in csv.DictReader(fh)}


def match(gold: list[dict], predicted: set, keys) -> tuple[int, int, int]:
    """score.py's greedy one-to-one matching; optional gold items count neither way."""
    pred = set(predicted)
    tp = fn = 0
    for g in gold:
        if g.get("optional"):
            continue
        hit = next((k for k in keys(g) if k in pred), None)
        if hit is None:
            fn += 1
        else:
            tp += 1
            pred.discard(hit)
    for g in gold:
        if g.get("optional"):
            for k in keys(g):
                pred.discard(k)
    return tp, len(pred), fn


def f1(tp: int, fp: int, fn: int) -> float:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return 2 * p * r / (p + r) if p + r else 0.0


def _seed_articles():
    for g in json.loads(SEED_GOLD.read_text(encoding="utf-8"))["articles"]:
        body = crude_body((SEED_TEXTS / g["seed"]).read_text(encoding="utf-8"))
        published = datetime.fromisoformat(g["published_at"]) if g["published_at"] else None
        yield g, body, published


def score_seeds() -> dict[str, tuple[int, int, int]]:
    sources = funding_map()
    totals = {"budgets": [0, 0, 0], "events": [0, 0, 0]}
    for g, body, published in _seed_articles():
        mentions = extract_article(body, published)
        budgets = {(m.amount_krw, sources.get(m.cue, "total") if m.cue else "total")
                   for m in mentions.money if m.is_budget and not m.is_derived}
        dates = {(d.sentence_no, d.mention_no): d for d in mentions.dates}
        pub_day = published.date() if published else None
        events = set()
        for e in mentions.events:
            resolved = resolve(dates[(e.sentence_no, e.date_mention_no)], pub_day)
            events.add((e.event_type, resolved.isoformat() if resolved else None))
        b = match(g["budgets"], budgets, lambda x: [(x["amount_krw"], x["funding_source"])])
        e = match(g["events"], events,
                  lambda x: [(x["event_type"], d) for d in [x.get("event_date")] + x.get("alt_dates", [])])
        for name, res in (("budgets", b), ("events", e)):
            totals[name] = [a + r for a, r in zip(totals[name], res)]
    return {k: tuple(v) for k, v in totals.items()}


@needs_shared
def test_seed_budgets_f1_at_least_095():
    tp, fp, fn = score_seeds()["budgets"]
    assert f1(tp, fp, fn) >= 0.95, (tp, fp, fn)


@needs_shared
def test_seed_events_f1_at_least_085():
    tp, fp, fn = score_seeds()["events"]
    assert f1(tp, fp, fn) >= 0.85, (tp, fp, fn)


@needs_shared
def test_crude_cleaner_drops_related_lists():
    for g, body, _ in _seed_articles():
        for line in g["body_exclude"]:
            if line in ("뉴로모픽", "노르딕 세미컨덕터", "그렉터", "김포교육지원청", "어르신 안전 하우징"):
                assert line not in body


def test_resolution_rule_helper():
    pub = date(2025, 6, 20)
    assert resolve(DateMention(0, 0, "21일", day=21, direction="past"), pub) == date(2025, 5, 21)
    assert resolve(DateMention(0, 0, "21일", day=21), pub) == date(2025, 6, 21)  # present: nearest
    assert resolve(DateMention(0, 0, "19일", day=19), pub) == date(2025, 6, 19)
    assert resolve(DateMention(0, 0, "오는 11월", month=11, direction="future"), pub) == date(2025, 11, 1)
    assert resolve(DateMention(0, 0, "지난해 6월", month=6, year_offset=-1), pub) == date(2024, 6, 1)
    assert resolve(DateMention(0, 0, "21일", day=21), None) is None
    assert resolve(DateMention(0, 0, "이날", day_ref="publication"), pub) == pub


@pytest.mark.parametrize("text, published, want", [
    # past → the most recent such date not after publication
    ("협의회는 25일 창립총회를 열었다.", date(2025, 3, 3), date(2025, 2, 25)),
    ("조례는 11월 공포됐다.", date(2025, 2, 10), date(2024, 11, 1)),
    ("양측은 12월 28일 체결한 협약을 이행한다.", date(2026, 1, 5), date(2025, 12, 28)),
    ("두 기관은 4일 MOU를 맺었다고 밝혔다.", date(2025, 8, 3), date(2025, 7, 4)),
    # future → the next such date not before publication
    ("센터는 2월 개소할 예정이다.", date(2025, 11, 20), date(2026, 2, 1)),
    ("시는 3일 설명회를 열 계획이다.", date(2025, 7, 28), date(2025, 8, 3)),
    ("시는 오는 1월 10일 착공한다.", date(2025, 12, 30), date(2026, 1, 10)),
    # present (often scheduled) → the candidate nearest publication, either side
    ("개정안은 3월 5일 시행된다.", date(2025, 3, 4), date(2025, 3, 5)),
    ("특례는 2월15일부터 시행된다.", date(2024, 4, 20), date(2024, 2, 15)),
    ("공모 결과는 1월 8일 나온다.", date(2025, 12, 29), date(2026, 1, 8)),
    ("새 노선은 28일 운행을 시작한다.", date(2025, 10, 2), date(2025, 9, 28)),
    ("센터는 11일 문을 연다.", date(2025, 10, 2), date(2025, 10, 11)),
])
def test_resolution_by_direction(text, published, want):
    (mention,) = extract_article(text, datetime.combine(published, datetime.min.time())).dates
    assert resolve(mention, published) == want
