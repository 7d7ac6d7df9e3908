"""Mention records the extractor emits; one dataclass per raw mention table (warehouse/ddl/raw.sql).

Field names equal the raw table's column names (article_key is added by the loader).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.tables import MENTION_TABLES


@dataclass(frozen=True)
class Sentence:
    sentence_no: int
    paragraph_no: int
    text: str


@dataclass
class MoneyMention:
    sentence_no: int
    mention_no: int
    surface: str
    amount_krw: int | None
    cue: str | None = None
    share_pct: float | None = None
    list_no: int | None = None
    is_list_total: bool = False
    program: str | None = None
    recipient: str | None = None
    period_start_year: int | None = None
    period_end_year: int | None = None
    is_derived: bool = False
    is_budget: bool = True
    reject_reason: str | None = None


@dataclass
class DateMention:
    sentence_no: int
    mention_no: int
    date_text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    year_offset: int | None = None
    month_offset: int | None = None
    day_ref: str | None = None
    direction: str | None = None
    reject_reason: str | None = None  # set by plausibility.check_dates: not used to date events
    # character offsets inside the sentence (not stored; used to pick the date nearest a trigger)
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)


@dataclass
class EventMention:
    sentence_no: int
    mention_no: int
    event_type: str
    trigger: str
    date_mention_no: int | None = None
    location: str | None = None


@dataclass
class OrgMention:
    sentence_no: int
    mention_no: int
    surface: str
    resolved: str
    is_subject: bool = False
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)


@dataclass
class PartnershipMention:
    sentence_no: int
    mention_no: int
    partnership_type: str
    partnership_name: str | None
    member: str
    role: str


@dataclass
class ArticleMentions:
    """Everything extracted from one article body; keys of `tables()` are raw table names."""

    sentences: list[Sentence] = field(default_factory=list)
    money: list[MoneyMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    orgs: list[OrgMention] = field(default_factory=list)
    partnerships: list[PartnershipMention] = field(default_factory=list)

    def tables(self) -> dict[str, list]:
        return dict(zip(MENTION_TABLES, (self.sentences, self.money, self.dates, self.events, self.orgs,
                                         self.partnerships), strict=True))
