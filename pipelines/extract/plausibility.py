"""Plausibility, decided while extracting: a value no news story can mean is recorded with its reason, never
passed on as a fact (and never able to fail a night further down).

* Amounts. Korea's whole national budget is about 700조 원 a year, so no single project's money comes near
  1,000조 원: an amount above `MAX_PROJECT_KRW` stays in raw.money_mentions with is_budget = false and
  reject_reason 'implausible_amount'. An amount above `MAX_STORED_KRW` (100경 원, beyond any money in the world)
  is not even kept as a number: amount_krw is NULL, the surface text keeps what was written.
* Dates. A date whose written year lies more than `YEARS_BEFORE` years before the publication year or more than
  `YEARS_AFTER` years after it (without a publication date: outside `MIN_YEAR`..`MAX_YEAR`) is a typo or a
  historical aside, not the date of a project event: it stays in raw.date_mentions with reject_reason
  'implausible_year' and is not used to date events (int_date_mentions_resolved skips it); so is a month
  outside 1..12 or a day outside 1..31 ('implausible_month' / 'implausible_day').
* An amount of zero or less is not a budget ('implausible_amount'); a share outside 0..100 % is dropped
  ('implausible_share', the amount stays).

The bounds match the marts' content checks (fct_budgets.amount_krw accepted_range, the event-date window of
assert_event_dates_near_publication), so those checks flag only what slipped past extraction.
"""
from __future__ import annotations

from datetime import datetime

from .types import DateMention, MoneyMention

MAX_PROJECT_KRW = 10**15  # 1,000조 원
MAX_STORED_KRW = 10**18   # 100경 원; raw.money_mentions.amount_krw is HUGEINT, the marts BIGINT-safe below this
YEARS_BEFORE = 20
YEARS_AFTER = 15
MIN_YEAR, MAX_YEAR = 1945, 2100


def check_money(money: list[MoneyMention]) -> int:
    """Mark implausible amounts in place; returns how many were marked."""
    marked = 0
    for m in money:
        if m.share_pct is not None and not 0 <= m.share_pct <= 100:
            m.reject_reason = f"implausible_share: {m.share_pct:g}% dropped"
            m.share_pct = None
            marked += 1
        if m.amount_krw is not None and m.amount_krw <= 0 and m.is_budget:
            m.is_budget, m.reject_reason = False, "implausible_amount: not above zero"
            marked += 1
            continue
        if m.amount_krw is None or m.amount_krw <= MAX_PROJECT_KRW:
            continue
        marked += 1
        m.is_budget = False
        m.reject_reason = f"implausible_amount: over {MAX_PROJECT_KRW // 10**12:,}조 원"
        if m.amount_krw > MAX_STORED_KRW:
            m.amount_krw = None
            m.reject_reason += " (too large to keep as a number)"
    return marked


def year_bounds(published_at: datetime | None) -> tuple[int, int]:
    if published_at is None:
        return MIN_YEAR, MAX_YEAR
    return published_at.year - YEARS_BEFORE, published_at.year + YEARS_AFTER


def check_dates(dates: list[DateMention], published_at: datetime | None) -> int:
    """Mark dates with an implausible written year in place; returns how many were marked."""
    low, high = year_bounds(published_at)
    marked = 0
    for d in dates:
        if d.year is not None and not low <= d.year <= high:
            d.reject_reason = f"implausible_year: {d.year} outside {low}..{high}"
        elif d.month is not None and not 1 <= d.month <= 12:
            d.reject_reason = f"implausible_month: {d.month}"
        elif d.day is not None and not 1 <= d.day <= 31:
            d.reject_reason = f"implausible_day: {d.day}"
        else:
            continue
        marked += 1
    return marked
