"""Date mentions: the date words of a sentence as components; dbt resolves them against published_at.

What is read (see docs/extraction-rules.md, "Dates"):

* explicit dates: `2025년 6월 19일`, `2025.6.19`, `2025-06-19`, `2025/06/20`, `’19년`, `2027년`;
  `2021년 말` → month 12; half-years (contract): `상반기` → month 1, `하반기` → month 7, with a year
  (`내년 하반기`) or alone (`하반기 중` = this year's); quarters likewise (`3분기` → month 7); `초` keeps year
  precision;
* month/day without a year: `6월 19일`, `2월15일`, `19일`, `오는 11월`;
  `지난` → direction 'past', `오는` → direction 'future';
* relative years and months: 지난해/작년 -1, 재작년 -2, 올해/금년/올 0, 내년 +1, 내후년 +2 (year_offset);
  지난달 -1, 이달/이번 달 0, 다음 달/내달 +1 (month_offset); 연내 / 연초 / 연말 → year_offset 0
  (연말 month 12, 연내 direction 'future');
* `이날`/`오늘`/`당일`/`금일`: the day last mentioned in the article — the components of the preceding
  day-precision mention are copied and day_ref = 'anchor'; with none before it day_ref = 'publication'
  and the components stay NULL;
* `전날`/`전일`/`어제`: the day before the reference day — a day-level date in the same sentence (the
  reporting frame: `전날 … 체결했다고 9일 밝혔다` → 8일), else the last day-level mention before it, its
  components copied with one day less (day_ref = 'anchor'); with none, or when the day before crosses a month
  that cannot be computed, day_ref = 'previous_day' (dbt: the publish date minus one day);
* year ranges `’19~’21년`, `2024~2026년`: the start year is emitted.

direction from the predicate governing the date (`governing_direction`): 'future' (예정, 목표, -ㄹ 방침, -ㄹ 계획,
-ㄹ 것, -ㄹ 전망, -겠-), 'past' (a finite past …했다/…됐으며/밝혔…, or a past adnominal 체결한 협약/맺은/
시행된 조례), NULL for a present form (시행된다, 연다 — Korean present often means scheduled); dbt resolves a
yearless date past → latest not after publication, future → next, NULL → nearest to publication.

Not dates: counters and durations (`22대`, `3일간`, `30일 이내`, `1초`), `5-1 생활권`, amounts.

The date expressions of a sentence (spans, longest first, no overlap) come from its analysis
(analysis.py: `DATE_PATTERNS`, `SentenceAnalysis.date_spans`); this module turns them into mentions.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from .analysis import DateSpan, analysis_of
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
# a period word as a month (contract: 상반기 → 1 January, 하반기 → 1 July, 연말 / 'N년 말' → 1 December)
_PERIOD_MONTH = {"말": 12, "연말": 12, "상반기": 1, "하반기": 7}


def _period_month(part: str | None) -> int | None:
    """The first month of a period word: 하반기 → 7, 3분기 → 7 (a quarter is its first month), 연말 → 12."""
    if part and part.endswith("분기"):
        return 3 * int(part[0]) - 2
    return _PERIOD_MONTH.get(part or "")


# 목표 as the predicate ('…을 목표로', '…는 목표다', '목표는 2023년'), not a noun modifier ('목표 유수율을 달성했다')
_FUTURE_RE = re.compile(
    r"예정(?!지)|목표(?=\s*(?:로|다|이다|이며|이고|를|는|가|에|였|도|역시|시점|연도|시기|[.,]|$))|겠|(?P<l>[가-힣])\s?(?:계획|것|전망|방침)")
# every syllable with the past final ㅆ (했, 됐, 났, 렸, 봤 …) except 있 (present 있다) and 겠 (future)
_PAST_SYLLABLES = "".join(chr(0xAC00 + i) for i in range(11172) if i % 28 == 20 and chr(0xAC00 + i) not in "있겠")
_PAST_RE = re.compile(rf"[{_PAST_SYLLABLES}](?:다|으며|고|던|지만|는데|으나|습니다)|밝혔|된 바|한 바")


# a past adnominal before its noun: 체결한 협약, 시행된 조례, 맺은 협약, 열린 회의 (stem of two syllables or more,
# so 위한/대한/관한/통한 are not read); present adjectives in -한 are excluded
_PAST_ADNOMINAL_RE = re.compile(
    r"(?<=[가-힣]{2})(?<!필요|중요|다양|가능|충분|적합|유일|동일|특별|풍부|원활|편리|안전|확실|우수|유사|상당|막대|"
    r"불과|해당|적절|유용|유효|활발|시급|치열|엄격|완벽|간편|투명|공정|정확|신속|독특|저렴|부족|취약|무관)"
    r"(?:한|된)(?=\s)"
    r"|(?<![가-힣])(?:맺은|열린|가진|밝힌|세운|거둔|받은|마친|끝난|이룬|만든|들어간|나선|펼친|치른|얻은|내놓은|"
    r"문을\s?연|손잡은|뛰어든)(?=\s)"
    r"|(?:었|았|였|했|됐)던"
)
# a present finite verb (Korean present often means scheduled): 시행된다, 연다, 한다고, 들어간다며, 받는다
_PRESENT_CANDIDATE_RE = re.compile(r"([가-힣])다(?=[\s,.?!]|고|며|$)")


def _first_present(span: str) -> int | None:
    for m in _PRESENT_CANDIDATE_RE.finditer(span):
        syllable = m.group(1)
        if syllable == "는" or (ord(syllable) - 0xAC00) % 28 == 4:  # final ㄴ: 한다, 된다, 연다
            return m.start()
    return None


def _first_past(span: str) -> int | None:
    hits = [m.start() for m in (_PAST_RE.search(span), _PAST_ADNOMINAL_RE.search(span)) if m]
    return min(hits) if hits else None


def governing_direction(text: str, pos: int, window: int = 90) -> str | None:
    """The tense of the predicate governing a date that ends at `pos`: 'future' (is_future_governed),
    'past' when a finite past form (…했다, …됐으며, 밝혔…) or a past adnominal (체결한 협약, 맺은, 시행된
    조례) comes first, None for a present form (시행된다, 연다 — Korean present is often a schedule) or no verb.
    The clause ends at a comma or sentence end."""
    if is_future_governed(text, pos, window):
        return "future"
    span = text[pos: pos + window]
    cut = re.search(r"[,.?!]", span)
    if cut:
        span = span[: cut.start()]
    past = _first_past(span)
    if past is None:
        return None
    present = _first_present(span)
    if present is not None and present < past:
        return None
    return "past"




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


def _build(f: DateSpan, text: str, sentence_no: int, mention_no: int) -> DateMention | None:
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
    if mention.month is None and f.kind == "year":
        mention.month = _period_month(part)
    if f.kind == "this_year":
        mention.year_offset = 0
        mention.month = _period_month(g["t"])
        if g["t"] == "연내":
            mention.direction = "future"
    if f.kind == "anchor":
        mention.day_ref = "anchor"
        return mention
    if f.kind == "prev_day":
        mention.day_ref = "previous_day"
        return mention
    if g.get("dir") == "지난" or (g.get("mw") or "").startswith("지난"):
        mention.direction = "past"
    elif g.get("dir") == "오는":
        mention.direction = "future"
    elif mention.direction is None:
        mention.direction = governing_direction(text, f.end)
    return mention


def find_dates_in_sentence(sentence: Sentence) -> list[DateMention]:
    """Date mentions of one sentence (anchors not yet resolved: day_ref='anchor', components NULL)."""
    out: list[DateMention] = []
    for f in analysis_of(sentence.text).date_spans:
        mention = _build(f, sentence.text, sentence.sentence_no, len(out))
        if mention is not None:
            out.append(mention)
    return out


def _is_day_level(m: DateMention) -> bool:
    return m.day is not None


_COPIED = ("year", "month", "day", "year_offset", "month_offset", "direction")


def _day_before(mention: DateMention, ref: DateMention) -> None:
    """`전날` against a day-level reference: its components with one day less; when the day before falls in
    the previous month of an unknown year (or month), the publish date minus one day instead."""
    if ref.day is None or (ref.day == 1 and (ref.month is None or ref.year is None)):
        return
    if ref.day > 1:
        for attr in _COPIED:
            setattr(mention, attr, getattr(ref, attr))
        mention.day = ref.day - 1
    else:
        prev = date(ref.year, ref.month, 1) - timedelta(days=1)
        mention.year, mention.month, mention.day = prev.year, prev.month, prev.day
        mention.direction = ref.direction
    mention.day_ref = "anchor"


def find_date_mentions(sentences: list[Sentence]) -> list[DateMention]:
    """All date mentions of an article, in order, with `이날`/`오늘` tied to the last day-level mention and
    `전날` to the day before the sentence's own day (or the last one before it, or publication)."""
    out: list[DateMention] = []
    last_day: DateMention | None = None
    for sentence in sentences:
        found = find_dates_in_sentence(sentence)
        for mention in found:
            if mention.day_ref == "previous_day":
                own = [m for m in found if m is not mention and m.day_ref is None and _is_day_level(m)]
                ref = min(own, key=lambda m: abs(m.start - mention.start)) if own else last_day
                if ref is not None:
                    _day_before(mention, ref)
            elif mention.day_ref == "anchor":
                if last_day is None:
                    mention.day_ref = "publication"
                else:
                    for attr in _COPIED:
                        setattr(mention, attr, getattr(last_day, attr))
            if _is_day_level(mention):
                last_day = mention
            out.append(mention)
    return out
