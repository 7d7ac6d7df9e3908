"""News days (Dagster-free): the window of listing dates a run takes, in Seoul calendar days.

A partition is one Seoul calendar day. A run for partition D (or for the range D1..D2, one run: the fetch
assets have a single-run backfill policy) discovers every source as usual and keeps the entries whose
listing date (RSS pubDate / Atom updated / sitemap lastmod or news:publication_date) falls on those days.

The newest partition -- the one the nightly schedule runs at 02:00 for the day that just ended -- also keeps
what no older partition can own: entries dated after its day (published since midnight) and undated entries
(html_dir files, plain URL lists, feeds without dates). So a nightly run never drops an entry; an entry dated
on a night that did not run is picked up by backfilling that day from the UI (or
`python -m pipelines.cli run --from D1 --to D2`). Pages already stored are asked for with conditional GETs,
so backfilling an overlapping range costs 304s, not new rows.

The Dagster partitions definition built on these days lives in pipelines/partitions.py; this module is what the
stages and the spawned workers import, so they never pay for importing Dagster.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .basics import SEOUL

FIRST_NEWS_DAY = "2020-01-01"


def newest_news_day(now: datetime | None = None) -> str:
    """Key of the newest complete Seoul day at `now` (at 02:00 on the 21st: the 20th)."""
    now = now or datetime.now(SEOUL)
    if now.tzinfo is None:
        raise ValueError("newest_news_day needs an aware datetime")
    return (now.astimezone(SEOUL).date() - timedelta(days=1)).isoformat()


@dataclass(frozen=True)
class DayWindow:
    """Which listing dates a run takes: [start, end) in Seoul time; `open_ended` (newest partition) also
    takes later dates and undated entries."""

    first_day: date
    last_day: date
    open_ended: bool

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first_day, time(), SEOUL)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last_day + timedelta(days=1), time(), SEOUL)

    def admits(self, listed: datetime | None) -> bool:
        if listed is None:
            return self.open_ended
        if listed.tzinfo is None:  # a naive listing date is Seoul wall time
            listed = listed.replace(tzinfo=SEOUL)
        if listed < self.start:
            return False
        return self.open_ended or listed < self.end

    def describe(self) -> str:
        days = str(self.first_day) if self.first_day == self.last_day else f"{self.first_day}..{self.last_day}"
        return days + (" (newest: also undated and later entries)" if self.open_ended else "")


def window_for(first_key: str, last_key: str, now: datetime | None = None) -> DayWindow:
    """The window of the partition range first_key..last_key (YYYY-MM-DD keys)."""
    try:
        first, last = date.fromisoformat(first_key), date.fromisoformat(last_key)
    except ValueError:
        raise ValueError(f"news days are YYYY-MM-DD: {first_key!r}..{last_key!r}") from None
    newest = date.fromisoformat(newest_news_day(now))
    if last < first:
        raise ValueError(f"the range ends before it starts: {first_key}..{last_key}")
    if first < date.fromisoformat(FIRST_NEWS_DAY) or last > newest:
        raise ValueError(f"news days run from {FIRST_NEWS_DAY} to {newest} (the newest complete day in Seoul); "
                         f"asked for {first_key}..{last_key}")
    return DayWindow(first, last, open_ended=last == newest)


def range_tags(first_key: str, last_key: str) -> dict[str, str]:
    """Run tags that make one run cover a partition range (how a single-run backfill is launched)."""
    return {"dagster/asset_partition_range_start": first_key, "dagster/asset_partition_range_end": last_key}
