"""One analysis per sentence, read by every grammar (money, budget tables, dates, events, organisations, partnerships).

`analysis_of(text)` returns the sentence's `SentenceAnalysis`, computed once per sentence text (cached; every
grammar of the article asks for the same object). Each part is computed on first use and kept:

* ``tokens`` — Kiwi tokens of the sentence (money: programme noun phrases). Kiwi is the expensive part (~10 µs a
  character), so it runs only when a grammar needs it and a cheap test says it can matter: ``programmes`` asks for
  tokens only when the sentence holds 사업/프로젝트 (a programme head is one of those words);
* ``names`` — the organisation noun-phrase analysis (orgs/phrases.py: name candidates, persons, its own Kiwi run
  on the sentence with legal-form markers blanked), asked for only by sentences that pass the organisation
  grammar's pre-filter (orgs/resolve.py);
* ``amounts`` — Korean money amounts as (start, end, won) (numbers.find_amounts; none without a digit);
* ``date_spans`` — date expressions (`DATE_PATTERNS`, longest match first, no overlap) as `DateSpan`s; dates.py
  turns them into mentions;
* ``quotes`` / ``name_quotes`` — spans in quotation marks and in title brackets (events: a date or a trigger
  inside a quoted name); ``single_quotes`` / ``double_quotes`` — the organisation grammar's quote spans
  (orgs/phrases.quote_spans; partnerships read the sentence outside them);
* ``brackets`` — the parenthesis structure (orgs/phrases.Brackets: which bracket encloses a span);
* ``local_governments`` — local-government names with their particle (money: the recipient);
* ``programmes`` — `… 사업`/`… 프로젝트` noun phrases (money: the programme of an amount);
* ``programme_year`` — the year of a `YYYY년 … 사업` phrase (money: the start of `3년간`).

The grammars interpret these spans; none of them re-scans the sentence for what is here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from .kiwi import tokenize
from .numbers import find_amounts
from .orgs.phrases import Brackets, SentenceAnalysis as NameAnalysis, analyse, brackets, quote_spans

# ---------------------------------------------------------------- date spans

_NB = r"(?<![\d.,:/~\-])"  # not inside another number
_YEAR_WORD = r"재작년|지난\s?해|작년|올해|금년|내후년|내년|올(?=\s+(?:\d{1,2}\s*월|상반기|하반기|연말|말|[1-4]\s*분기))"
_MONTH_WORD = r"지난\s?달|전달(?![가-힣])|이번\s?달|이달|다음\s?달|내달"
_YEAR = rf"(?:{_NB}(?P<y>\d{{4}})\s*년|[’'‘](?P<y2>\d{{2}})\s*년|(?P<yw>{_YEAR_WORD}))"
_DIR = r"(?:(?P<dir>지난|오는)\s*)?"
_DAY_TAIL = r"(?!간|째|치|\s*(?:동안|이내|만에|이상|이하|마다)|\s*(?:전|후)(?![가-힣]))"
_PERIOD_SUFFIX = r"(?:\s*(?P<part>연말|연초|말(?![씀하했레])|초(?![가-힣]{2})|상반기|하반기|[1-4]\s*분기))?"

# (kind, pattern); longer matches win when two overlap
DATE_PATTERNS: list[tuple[str, re.Pattern]] = [
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
    ("prev_day", re.compile(r"(?<![가-힣])(?P<pd>전날|전일|어제)(?!\s*(?:대비|보다|比))")),
    ("this_year", re.compile(r"(?P<t>연내|연초|연말|상반기|하반기|(?<![\d.,])[1-4]\s*분기)")),
]


@dataclass
class DateSpan:
    kind: str
    start: int
    end: int
    match: re.Match


def _date_spans(text: str) -> list[DateSpan]:
    found: list[DateSpan] = []
    for kind, pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            if m.end() > m.start():
                found.append(DateSpan(kind, m.start(), m.end(), m))
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    chosen: list[DateSpan] = []
    for f in found:
        if any(f.start < c.end and c.start < f.end for c in chosen):
            continue
        chosen.append(f)
    return sorted(chosen, key=lambda f: f.start)


# ---------------------------------------------------------------- quotes

QUOTE_PAIRS = (("‘", "’"), ("“", "”"), ("'", "'"), ('"', '"'), ("「", "」"), ("『", "』"), ("<", ">"), ("《", "》"))
NAME_QUOTE_PAIRS = (("‘", "’"), ("'", "'"), ("「", "」"), ("『", "』"), ("<", ">"), ("《", "》"))


def _quoted_spans(text: str, pairs: tuple[tuple[str, str], ...] = QUOTE_PAIRS) -> list[tuple[int, int]]:
    spans = []
    for open_q, close_q in pairs:
        if open_q not in text:
            continue
        pattern = re.escape(open_q) + r"[^" + re.escape(close_q) + r"]{1,80}" + re.escape(close_q)
        spans += [(m.start(), m.end()) for m in re.finditer(pattern, text)]
    return spans


# ---------------------------------------------------------------- local governments, programmes

_LOCAL_GOV_RE = re.compile(
    r"(?<![가-힣])(?P<name>[가-힣]{1,4}(?:특별자치도|특별자치시|광역시|특별시)|[가-힣]{2,4}[시군구]|"
    r"경기도|강원도|충청북도|충청남도|전라북도|전라남도|경상북도|경상남도|제주도)"
    r"(?P<p>는|은|가|이|에|에는|에서|의|도|와|과)?(?![가-힣])"
)
_NOT_LOCAL_GOV = (
    "도시", "개시", "표시", "당시", "게시", "제시", "감시", "동시", "즉시", "실시", "출시", "지시", "중시", "전시",
    "일시", "상시", "수시", "임시", "역시", "무시", "혹시", "연구", "요구", "도구", "기구", "출구", "인구", "입구",
    "가구", "장군", "공군", "해군", "육군", "지구", "추구", "강구", "시구", "부시", "고시", "명시", "공시", "예시",
    "착시", "재시", "응시", "중구난", "선구", "창구", "전구", "항구", "통시", "직시", "간주시", "의구", "촉구",
)


def _local_governments(text: str) -> list[tuple[int, str, str]]:
    """(offset, name, particle) of every local-government name in the text."""
    out = []
    for m in _LOCAL_GOV_RE.finditer(text):
        name = m.group("name")
        if any(name.endswith(bad) for bad in _NOT_LOCAL_GOV):
            continue
        out.append((m.start(), name, m.group("p") or ""))
    return out


PROGRAM_HEADS = ("사업", "프로젝트")
_PROGRAM_STOP_NOUNS = frozenset({"이번", "해당", "본", "이", "그", "동", "각", "모든", "전체", "관련", "신규",
                                 "다른", "여러", "총", "올해", "내년", "이들", "같은"})
_NOUNISH_TAGS = frozenset({"NNG", "NNP", "SL", "SH", "XSN", "XPN"})
# a stage of a programme ('인공지능 집적단지 2단계 사업'): part of a name after its words, never a name alone
_STAGE_NOUNS = frozenset({"단계", "차", "차년도", "년차"})
_PROGRAMME_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*년[^.。]{0,30}?(?:사업|프로젝트)")


def _programmes(text: str, tokens: tuple) -> list[tuple[int, int, str]]:
    """Named programme noun phrases of a sentence as (start, end, phrase); bare `사업` is skipped."""
    out = []
    for i, (form, tag, start, length) in enumerate(tokens):
        if tag != "NNG" or form not in PROGRAM_HEADS:
            continue
        if i + 1 < len(tokens) and tokens[i + 1][1] == "XSN" and tokens[i + 1][0] == "비":
            continue
        j = i
        while j > 0:
            pf, pt, ps, pl = tokens[j - 1]
            glued_number = pt == "SN" and ps + pl == tokens[j][2] and tokens[j][0] in _STAGE_NOUNS  # 2|단계
            if (not glued_number and pt not in _NOUNISH_TAGS and pf not in _STAGE_NOUNS) \
                    or pf in _PROGRAM_STOP_NOUNS or ps + pl < tokens[j][2] - 1:
                break
            j -= 1
        if all(tokens[k][1] == "SN" or tokens[k][0] in _STAGE_NOUNS for k in range(j, i)):
            continue  # nothing but a stage before the head ('2단계 사업', '2차 사업'): no programme is named
        phrase = text[tokens[j][2]: start + length]
        out.append((tokens[j][2], start + length, phrase))
    return out


# ---------------------------------------------------------------- the analysis


class SentenceAnalysis:
    """Everything the grammars read from one sentence; each part computed on first use (see the module doc)."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def tokens(self) -> tuple:
        return tokenize(self.text)

    @cached_property
    def names(self) -> NameAnalysis:
        return analyse(self.text)

    @cached_property
    def amounts(self) -> list[tuple[int, int, int]]:
        return find_amounts(self.text) if any(ch.isdigit() for ch in self.text) else []

    @cached_property
    def date_spans(self) -> list[DateSpan]:
        return _date_spans(self.text)

    @cached_property
    def quotes(self) -> list[tuple[int, int]]:
        return _quoted_spans(self.text, QUOTE_PAIRS)

    @cached_property
    def name_quotes(self) -> list[tuple[int, int]]:
        """Spans in single quotes or title brackets (‘…’, '…', 「…」, 《…》): names of projects and agreements;
        double quotes (“…”) are speech and stay in."""
        return _quoted_spans(self.text, NAME_QUOTE_PAIRS)

    @cached_property
    def _org_quotes(self) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        return quote_spans(self.text)

    @property
    def single_quotes(self) -> list[tuple[int, int]]:
        return self._org_quotes[0]

    @property
    def double_quotes(self) -> list[tuple[int, int]]:
        return self._org_quotes[1]

    @cached_property
    def brackets(self) -> Brackets:
        return brackets(self.text)

    @cached_property
    def local_governments(self) -> list[tuple[int, str, str]]:
        return _local_governments(self.text)

    @cached_property
    def programmes(self) -> list[tuple[int, int, str]]:
        if not any(head in self.text for head in PROGRAM_HEADS):
            return []  # no programme head word: Kiwi is not needed to know there is no programme phrase
        return _programmes(self.text, self.tokens)

    @cached_property
    def programme_year(self) -> int | None:
        m = _PROGRAMME_YEAR_RE.search(self.text)
        return int(m.group(1)) if m else None


@lru_cache(maxsize=4096)
def analysis_of(text: str) -> SentenceAnalysis:
    """The analysis of one sentence text (one object per text, shared by every grammar)."""
    return SentenceAnalysis(text)


def clear_caches() -> None:
    """Forget every cached analysis (benchmarks: each article pays for its own)."""
    analysis_of.cache_clear()
