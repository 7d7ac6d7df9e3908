"""News-day partitions for Dagster: the fetch side's daily partitions (Asia/Seoul) over the days of pipelines/days.py.

The days themselves (the window a run takes, the newest complete day) are Dagster-free in pipelines/days.py;
they are re-exported here for the Dagster side's convenience.
"""
from __future__ import annotations

import dagster as dg

from .basics import SEOUL
from .days import FIRST_NEWS_DAY, DayWindow, newest_news_day, range_tags, window_for

__all__ = ["FIRST_NEWS_DAY", "NEWS_DAYS", "SEOUL", "DayWindow", "newest_news_day", "range_tags", "window_for",
           "window_of_context"]

NEWS_DAYS = dg.DailyPartitionsDefinition(start_date=FIRST_NEWS_DAY, timezone=SEOUL.tzname(None))


def window_of_context(context: dg.AssetExecutionContext) -> DayWindow:
    keys = context.partition_key_range
    return window_for(keys.start, keys.end)
