"""Date mentions: the date words of a sentence as components; dbt resolves them against published_at.

What is read (see docs/extraction-rules.md, "Dates"):

* explicit dates: `2025년 6월 19일`, `2025.6.19`, `2025-06-19`, `2025/06/20`, `’19년`, `2027년`;
  `2021년 말` → month 12 (초/상반기/하반기 keep year precision);
* month/day without a year: `6월 19일`, `2월15일`, `19일`, `오는 11월`;
  `지난` → direction 'past', `오는` → direction 'future';
* relative years and months: 지난해/작년 -1, 재작년 -2, 올해/금년/올 0, 내년 +1, 내후년 +2 (year_offset);
  지난달 -1, 이달/이번 달 0, 다음 달/내달 +1 (month_offset); 연내 / 연초 / 연말 → year_offset 0
  (연말 month 12, 연내 direction 'future');
* `이날`/`오늘`/`당일`/`금일`: the day last mentioned in the article — the components of the preceding
  day-precision mention are copied and day_ref = 'anchor'; with none before it day_ref = 'publication'
  and the components stay NULL;
* year ranges `’19~’21년`, `2024~2026년`: the start year is emitted.

direction = 'future' also when the predicate governing the date is future (예정, 목표, -ㄹ 방침, -ㄹ 계획,
-ㄹ 것, -ㄹ 전망, -겠-) and comes before any finite past form (…했다, …됐으며, 밝혔…) or a comma.

Not dates: counters and durations (`22대`, `3일간`, `30일 이내`, `1초`), `5-1 생활권`, amounts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .types import DateMention, Sentence

_YEAR_WORD_OFFSET = {
    "재작년": -2, "지난해": -1, "지난 해": -1, "작년": -1, "올해": 0, "금년": 0, "올": 0,
    "내년": 1, "내후년": 2,
}
_MONTH_WORD_OFFSET = {
    "지난달": -1, "지난 달": -1, "전달": -1, "이달": 0, "이번 달": 0, "이번달": 0,
    "다음 달": 1, "다음달": 1, "내달": 1,
}
_ANCHOR_WORDS = ("이날", "오늘", "당일", "금일")

_NB = r"(?<![\d.,:/~\-])"  # not inside another number
_YEAR_WORD = r"재작년|지난\s?해|작년|올해|금년|내후년|내년|올(?=\s+(?:\d{1,2}\s*월|상반기|하반기|연말|말))"
_MONTH_WORD = r"지난\s?달|전달|이번\s?달|이달|다음\s?달|내달"
_YEAR = rf"(?:{_NB}(?P<y>\d{{4}})\s*년|[’'‘](?P<y2>\d{{2}})\s*년|(?P<yw>{_YEAR_WORD}))"
_DIR = r"(?:(?P<dir>지난|오는)\s*)?"
_DAY_TAIL = r"(?!간|째|치|\s*(?:동안|이내|만에|이상|이하|마다)|\s*(?:전|후)(?![가-힣]))"
_PERIOD_SUFFIX = r"(?:\s*(?P<part>연말|연초|말(?![씀하했레])|초(?![가-힣]{2})|상반기|하반기))?"

# (kind, pattern); longer matches win when two overlap
_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("ymd_num", re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s*[./\-]\s*(?P<m>\d{1,2})\s*[./\-]\s*(?P<d>\d{1,2})(?![\d])\.?")),
    ("ymd_num2", re.compile(r"(?<![\d.])(?P<y2>\d{2})\.(?P<m>\d{1,2})\.(?P<d>\d{1,2})(?![\d.])")),
    ("year_range", re.compile(
        rf"(?:{_NB}(?P<y>\d{{4}})\s*년?|[’'‘](?P<y2>\d{{2}}))\s*[~∼〜\-–]\s*[’'‘]?\d{{2,4}}\s*년")),
    ("ymd", re.compile(
        rf"{_YEAR}\s*{_DIR}(?P<m>\d{{1,2}})\s*월(?:\s*(?P<d>\d{{1,2}})\s*일{_DAY_TAIL})?{_PERIOD_SUFFIX}")),
    ("rel_month", re.compile(rf"(?P<mw>{_MONTH_WORD})(?:\s*(?P<d>\d{{1,2}})\s*일{_DAY_TAIL})?{_PERIOD_SUFFIX}")),
    ("md", re.compile(
        rf"{_DIR}{_NB}(?P<m>\d{{1,2}})\s*월(?:\s*(?P<d>\d{{1,2}})\s*일{_DAY_TAIL}|(?![급세드간]|요일))")),
    ("d", re.compile(rf"{_DIR}{_NB}(?P<d>\d{{1,2}})\s*일{_DAY_TAIL}")),
    ("year", re.compile(rf"{_YEAR}(?!\s*\d{{1,2}}\s*월){_PERIOD_SUFFIX}")),
    ("anchor", re.compile(r"(?P<a>이날|오늘(?!날)|당일|금일)")),
    ("this_year", re.compile(r"(?P<t>연내|연초|연말)")),
]

_FUTURE_RE = re.compile(r"예정(?!지)|목표|겠|(?P<l>[가-힣])\s?(?:계획|것|전망|방침)")
_PAST_RE = re.compile(
    r"(?:었|았|였|했|됐|혔|웠|켰|렸|겼|쳤|섰|냈|왔|갔|졌|뤘)(?:다|으며|고|던|지만|는데|으나|습니다)|밝혔|된 바|한 바"
)


@dataclass
class _Found:
    kind: str
    start: int
    end: int
    match: re.Match


def _has_rieul_final(syllable: str) -> bool:
    code = ord(syllable) - 0xAC00
    return 0 <= code < 11172 and code % 28 == 8


def is_future_governed(text: str, pos: int, window: int = 40) -> bool:
    """True when the predicate after `pos` is future (예정/목표/방침/-ㄹ 계획/-ㄹ 것/-ㄹ 전망/-겠-) and no
    finite past form (…했다, …됐으며, 밝혔…), comma or sentence end comes first. Clauses joined by -고/-며/-해
    take the tense of the final verb, so they are not a boundary ('개소하고 운영에 들어갈 예정이다').
    `-기로 했다` (decided to) is a past decision, not a future marker."""
    span = text[pos: pos + window]
    cut = re.search(r"[,.?!]", span)
    if cut:
        span = span[: cut.start()]
    past = _PAST_RE.search(span)
    for fm in _FUTURE_RE.finditer(span):
        if fm.group("l") and not _has_rieul_final(fm.group("l")):
            continue
        return past is None or fm.start() < past.start()
    return False


def _year_from(m: re.Match) -> int | None:
    y = m.groupdict().get("y")
    if y:
        value = int(y)
        return value if 1900 <= value <= 2100 else None
    y2 = m.groupdict().get("y2")
    if y2:
        return 2000 + int(y2) if int(y2) < 70 else 1900 + int(y2)
    return None


def _in_range(value: str | None, low: int, high: int) -> bool:
    return value is None or low <= int(value) <= high


def _candidates(text: str) -> list[_Found]:
    found: list[_Found] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if m.end() > m.start():
                found.append(_Found(kind, m.start(), m.end(), m))
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    chosen: list[_Found] = []
    for f in found:
        if any(f.start < c.end and c.start < f.end for c in chosen):
            continue
        chosen.append(f)
    return sorted(chosen, key=lambda f: f.start)


def _build(f: _Found, text: str, sentence_no: int, mention_no: int) -> DateMention | None:
    g = f.match.groupdict()
    mention = DateMention(sentence_no=sentence_no, mention_no=mention_no,
                          date_text=f.match.group(0).strip(), start=f.start, end=f.end)
    if not (_in_range(g.get("m"), 1, 12) and _in_range(g.get("d"), 1, 31)):
        return None
    if f.kind in ("ymd_num", "ymd_num2", "year_range", "ymd", "year"):
        mention.year = _year_from(f.match)
        if g.get("y") and mention.year is None:
            return None
    if g.get("yw"):
        mention.year_offset = _YEAR_WORD_OFFSET[re.sub(r"\s+", " ", g["yw"])]
    if g.get("mw"):
        mention.month_offset = _MONTH_WORD_OFFSET[re.sub(r"\s+", " ", g["mw"]).replace("이번달", "이번 달")
                                                  .replace("다음달", "다음 달")]
    if g.get("m"):
        mention.month = int(g["m"])
    if g.get("d"):
        mention.day = int(g["d"])
    part = g.get("part")
    if part in ("말", "연말") and mention.month is None and f.kind == "year":
        mention.month = 12
    if f.kind == "this_year":
        mention.year_offset = 0
        if g["t"] == "연말":
            mention.month = 12
        if g["t"] == "연내":
            mention.direction = "future"
    if f.kind == "anchor":
        mention.day_ref = "anchor"
        return mention
    if g.get("dir") == "지난" or (g.get("mw") or "").startswith("지난"):
        mention.direction = "past"
    elif g.get("dir") == "오는":
        mention.direction = "future"
    elif mention.direction is None and is_future_governed(text, f.end):
        mention.direction = "future"
    return mention


def find_dates_in_sentence(sentence: Sentence) -> list[DateMention]:
    """Date mentions of one sentence (anchors not yet resolved: day_ref='anchor', components NULL)."""
    out: list[DateMention] = []
    for f in _candidates(sentence.text):
        mention = _build(f, sentence.text, sentence.sentence_no, len(out))
        if mention is not None:
            out.append(mention)
    return out


def _is_day_level(m: DateMention) -> bool:
    return m.day is not None


def find_date_mentions(sentences: list[Sentence]) -> list[DateMention]:
    """All date mentions of an article, in order, with `이날`/`오늘` tied to the last day-level mention."""
    out: list[DateMention] = []
    last_day: DateMention | None = None
    for sentence in sentences:
        for mention in find_dates_in_sentence(sentence):
            if mention.day_ref == "anchor":
                if last_day is None:
                    mention.day_ref = "publication"
                else:
                    for attr in ("year", "month", "day", "year_offset", "month_offset", "direction"):
                        setattr(mention, attr, getattr(last_day, attr))
            if _is_day_level(mention):
                last_day = mention
            out.append(mention)
    return out
