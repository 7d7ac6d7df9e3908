"""Text → mentions: the Korean grammar for money, dates, events, organisations and partnerships.

Pure Python (no Dagster): `extract_article(body, published_at)` returns an `ArticleMentions`.
Order: split sentences → dates (article-level, so `이날` can point at an earlier day) → money → events
(need the dates) → organisations → partnerships (need the organisations). Every grammar reads the sentence's one
analysis (analysis.py: tokens, name candidates, amounts, date/quote/bracket spans, local governments, programmes),
computed once per sentence; Kiwi runs only on sentences with a programme word or an organisation cue.
"""
from __future__ import annotations

from datetime import datetime

from .dates import find_date_mentions
from .events import find_event_mentions
from .money import find_money_mentions
from .numbers import parse_korean_amount
from .orgs import find_org_mentions
from .partnerships import find_partnerships
from .plausibility import check_dates, check_money
from .sentences import split_sentences
from .types import ArticleMentions

EXTRACTOR_VERSION = "0.5.2"  # 0.5.2: short place names only as proper nouns; stage-only programmes, alliance names after a clause ending, surname + title, suffix rules

__all__ = ["EXTRACTOR_VERSION", "extract_article", "parse_korean_amount"]


def extract_article(body: str, published_at: datetime | None = None) -> ArticleMentions:
    """Every mention in one article body. `published_at` fills the programme year for `3년간` and bounds the
    plausible years of dates (plausibility.py)."""
    sentences = split_sentences(body)
    dates = find_date_mentions(sentences)
    check_dates(dates, published_at)
    money = find_money_mentions(sentences, published_at)
    check_money(money)
    events = find_event_mentions(sentences, dates)
    orgs = find_org_mentions(sentences)
    partnerships = find_partnerships(sentences, orgs)
    return ArticleMentions(sentences=sentences, money=money, dates=dates, events=events, orgs=orgs,
                           partnerships=partnerships)
