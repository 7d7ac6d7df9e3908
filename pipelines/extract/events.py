"""Event mentions: trigger words (dbt/seeds/event_triggers.csv) in sentences that carry a date mention.

Rules (long form in docs/extraction-rules.md, "Events"):

* A trigger is literal text; spaces in it match any spacing and `…` means "the second part follows within
  20 characters of the same sentence" (`협약…체결` matches `협약을 체결`, `MOU…맺` matches `MOU를 맺`).
* A trigger followed by a negation or failure (`않`, `못`, 무산, 철회, 취소, 연기, 보류, 탈락, 불발), a
  condition (`…다면`, `…되면`) or `앞두고` (still pending) is not an event.
* Future: a trigger governed by a future predicate (목표, 예정, 방침, -ㄹ 계획, -ㄹ 것, -겠-; see
  `dates.is_future_governed`) or dated by a future word (`오는 11월`, 내년, 다음 달, 연내) becomes `planned`
  (`2027년 개소를 목표로` → planned, not launched) — not when the trigger itself is past or attributive
  (`발표한 계획`, `발족한`, `선정됐`), and never for `applied` (`유치에 도전한다`) and `took_effect`
  (`다음 달 1일부터 시행된다` is the date the rule takes effect). `MOU를 맺고 협력하기로 했다` is past.
* Triggers whose event_type is `planned` in the seed are start, completion and expansion verbs (착공, 입주, 준공,
  완성, 구축, 늘린다 …): they make an event only when future-governed (or in the present, see below).
* `announced` is never made planned either (`결과는 오는 11월 발표될 예정`); a conditional clause up to the
  trigger (`…되면`, `…으면`) cancels a planned event; `선정되는 지역에는` (hypothetical) is not selected; a trigger
  opening with a past adnominal (`맺은…협약`) is past.
* One event per (sentence, event_type, date mention): the first trigger of that type for that date. Its date is the date mention nearest
  the trigger in the same sentence; a date after the trigger counts at double distance (Korean puts the time
  before its verb). The date of a reporting frame (`…선정됐다고 1일 밝혔다` is when it was said) is used only
  when the sentence has no other date (`도전한다고 10일 밝혔다` takes 10일), and a date inside quotation marks
  (`'2025년 … 사업'` is a name) only when there is nothing else. No date mention in the sentence → no event (`강화해 나갈 계획이다`).
* Attributive triggers (`선정된 지자체는 다음 달부터 …`, `협약을 체결한 기관은 내년 …`) tell of a past happening:
  only a date before them dates them. A date after the trigger across a comma belongs to the next clause. The old
  date of a change (`2027년에서 2028년으로`) is not a date of it.
* `took_effect` needs a law word near the trigger (법, 조례, 특례, 시행령, 제도 …): `처음 시행된 이 사업` is a
  programme being run. A trigger inside a quoted name's modifier (`‘AI 센터 유치 추진을 위한 업무협약’`) is no event;
  the name's head (`‘… 출범식’`) is. A trigger that starts a longer noun (준공영제) is none.
* Start and completion verbs in the present (`연말까지 구축한다`, `2029년까지 짓고`, `올 연말 끝난다`) and dates no
  trigger took that open a future clause (`오는 26일부터 … 돌려 본다`, `하반기 분양을 목표로`, `내년 상반기까지 …
  만들 계획이다`) are emitted as `planned_if_future`: dbt (fct_events) makes them `planned` when the date lies after
  publication at its precision and drops them otherwise. Past, conditional, pending (`앞두고`), reported (`…고 21일
  밝혔다`) and quoted-name dates are no plan. dbt also makes any launch, signing, selection or demonstration dated
  after publication `planned` (contract: a future happening is planned whatever its verb).
* An event dated only by its reporting frame gives way to an event of the same type that the article dates to a
  recent day right before its trigger (`선정됐다고 11일 밝혔다` + `지난달 24일 선정 통보를 받았다` → the 24th).
* location: the `…에서` phrase (≤ 3 words, dates and particles cut off) that contains a venue word (시청,
  회의실, 벡스코, 컨벤션, 호텔 …).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ..settings import SEEDS_DIR
from .dates import governing_direction, is_future_governed
from .analysis import analysis_of
from .types import DateMention, EventMention, Sentence

EVENT_TRIGGERS_CSV = SEEDS_DIR / "event_triggers.csv"

_GAP = r"[^.!?]{0,20}?"
_NEGATED_RE = re.compile(
    r"^(?:으?면(?!서))|^[가-힣]{0,3}?(?:지\s*않|지\s*못|않|못|다면|으면(?!서)|[하되]면(?!서))"
    r"|^[^.,]{0,10}?(?:무산|철회|취소|연기|보류|탈락|실패|불발|무기한|앞두|앞둔)"
)
# a future clause without a trigger word (_future_clause): its end, and the plan words that govern it
_CLAUSE_END_RE = re.compile(r"[,.?!]")
_UNTIL_RE = re.compile(r"\s*까지")
_PENDING_RE = re.compile(r"앞두|앞둔")  # '내년 하반기 개편을 앞두고' is someone else's pending step, not a plan told
# every syllable with the final ㄹ (할, 될, 만들, 열 …): the -ㄹ of '-ㄹ 계획/예정/방침'
_RIEUL_SYLLABLES = "".join(chr(0xAC00 + i) for i in range(11172) if i % 28 == 8)
_PLAN_WORD_RE = re.compile(rf"(?:[을를]\s*목표로|목표다|목표이다|[{_RIEUL_SYLLABLES}]\s*(?:계획|예정|방침)|예정이)")
# raw event type of a start verb in the present: dbt makes it `planned` when its date is after publication,
# else drops it (never in marts)
PLANNED_IF_FUTURE = "planned_if_future"
_VERB_END_RE = re.compile(r"(?:고|다|며)$")
_TARGET_VERB_RE = re.compile(r"늘|넓|확대")
_PRESENT_VERB_AFTER_RE = re.compile(
    r"^(?:한다|된다|하고|되고|하며|되며|해\s|돼\s|에\s*들어간다|에\s*들어가고|에\s*들어가며|을\s*시작한다|를\s*시작한다)")
_NEVER_PLANNED = frozenset({"applied", "took_effect", "announced"})
# '선정되는 지역에는 …' (the region that will be selected) is hypothetical; '선정되는 쾌거를 안았다' is not
_HYPOTHETICAL_SELECTED_RE = re.compile(r"^(?:되|돼)?는\s*(?!쾌거|영예|성과|영광|기염|결실|성적|겹경사)[가-힣]")
# a conditional clause before the trigger ('공모에 선정되면 내년 착공한다', '결과가 좋으면 확대할 방침'):
# what follows is hypothetical, so no planned event
_CONDITION_BEFORE_RE = re.compile(
    r"(?:되|하|으|나|치|오|지|리|이|다|라|해)면(?![가-힣])(?!\s*[가-힣]{1,4}리(?![가-힣]))")  # not '동해면 공당리'
_CONDITION_WINDOW = 40
# a trigger whose verb comes first as a past adnominal: '맺은 … 협약', '체결한 … MOU'
_PAST_FIRST_PART_RE = re.compile(r"(?:[한된은던]|었|았|였|했|됐)$")
_REPORT_FRAME_AFTER_RE = re.compile(r"^\s*(?:밝혔|전했|말했|설명했|알렸|발표했)")
_REPORT_FRAME_BEFORE_RE = re.compile(r"(?:다|라|냐)고\s*$")
_PAST_AFTER_RE = re.compile(r"^(?:했|됐|하였|되었|한\s|된\s)")
_VENUE_WORDS = (
    "시청", "군청", "구청", "도청", "청사", "회의실", "센터", "벡스코", "코엑스", "킨텍스", "엑스코", "세텍",
    "호텔", "홀", "컨벤", "엑스포", "사옥", "강당", "회관", "컨벤션", "전시장", "본사", "본관", "캠퍼스", "광장", "타워", "빌딩",
    "의원회관", "국회", "대학교", "연구원", "진흥원", "기념관", "체육관", "공원", "스퀘어", "아트센터", "박람회장",
)
_LOCATION_RE = re.compile(r"((?:[가-힣A-Za-z0-9()·]+\s+){0,2}[가-힣A-Za-z0-9()·]+)에서(?![가-힣])")
_PARTICLE_END_RE = re.compile(r"(?:은|는|가|을|를|의|와|과|에)$")
# a date change: '2027년에서 2028년으로' — the first is the old date
_CHANGE_FROM_RE = re.compile(r"\s*에서\s")
_CHANGE_TO_RE = re.compile(r"\s*(?:으로|로)(?![가-힣])")
# a trigger used attributively ('선정된 지자체는 다음 달부터 착수하며', '협약을 체결한 기관은 내년 …'): it
# tells of a past happening; only a date before it (inside its relative clause) dates it
_ADNOMINAL_END_RE = re.compile(r"[된한은던린]$")
_ADNOMINAL_AFTER_RE = re.compile(r"^[된한은던린]\s")
# 시행 of a law, an ordinance, a special provision or a rule — not of a programme ('처음 시행된 이 사업')
_LEGAL_NOUN_RE = re.compile(
    r"(?<![방기불문마편요헌])법(?!인)|법률|법안|개정안|조례|특례|시행령|규칙|제도|규정|고시|지침|규제|협정")
# a trigger that is only the first part of a longer noun ('준공영제' is not 준공)
_LONGER_NOUNS = ("준공영",)


@dataclass(frozen=True)
class Trigger:
    trigger: str
    event_type: str
    pattern: re.Pattern

    @cached_property
    def first_word(self) -> str:
        """Text every match of `pattern` contains: the trigger's first word, written literally by `_compile` (the
        spaces of a part become \\s*, parts are joined by a gap). A sentence without it has no match."""
        return self.trigger.split("…")[0].strip().split(" ")[0]

    @property
    def past_first(self) -> bool:
        """The trigger opens with a past verb (`맺은…협약`): the event is past whatever follows."""
        parts = self.trigger.split("…")
        return len(parts) > 1 and bool(_PAST_FIRST_PART_RE.search(parts[0].strip()))


def _compile(trigger: str) -> re.Pattern:
    parts = [re.escape(p.strip()).replace(r"\ ", r"\s*") for p in trigger.split("…")]
    return re.compile(_GAP.join(parts))


@lru_cache(maxsize=1)
def event_triggers() -> tuple[Trigger, ...]:
    """The trigger dictionary (dbt seed) compiled to patterns."""
    with EVENT_TRIGGERS_CSV.open(encoding="utf-8") as fh:
        return tuple(Trigger(r["trigger"].strip(), r["event_type"].strip(), _compile(r["trigger"].strip()))
                     for r in csv.DictReader(fh))


def _is_report_date(d: DateMention, text: str) -> bool:
    """The date of the reporting frame ('…했다고 1일 밝혔다'): when the sentence was said, not the event."""
    return bool(_REPORT_FRAME_BEFORE_RE.search(text[: d.start]) and _REPORT_FRAME_AFTER_RE.match(text[d.end:]))


def _superseded(d: DateMention, dates: list[DateMention], text: str) -> bool:
    """The old date of a change ('2027년에서 2028년으로 미뤄졌다'): the date that follows with (으)로 replaces it."""
    if not _CHANGE_FROM_RE.match(text[d.end:]):
        return False
    return any(0 < o.start - d.end <= 5 and _CHANGE_TO_RE.match(text[o.end:]) for o in dates)


def _nearest_date(dates: list[DateMention], start: int, end: int, text: str,
                  before_only: bool = False) -> DateMention | None:
    dates = [d for d in dates if not _superseded(d, dates, text)]
    if before_only:
        dates = [d for d in dates if d.end <= start]
    if not dates:
        return None
    quoted = analysis_of(text).quotes
    in_quotes = [d for d in dates if any(a <= d.start and d.end <= b for a, b in quoted)]
    reported = [d for d in dates if d not in in_quotes and _is_report_date(d, text)]
    free = ([d for d in dates if d not in in_quotes and d not in reported] or reported or dates)

    def distance(d: DateMention) -> int:
        # Korean puts the time adverb before its verb: a date after the trigger counts double
        if d.end <= start:
            return start - d.end
        if d.start >= end:
            # a date after the trigger across a comma belongs to the next clause ('공고를 내고, 7월 … 열 계획')
            return 2 * (d.start - end) + 1 + (1000 if "," in text[end: d.start] else 0)
        return 0

    return min(free, key=distance)


def _is_future(text: str, end: int) -> bool:
    if re.search(r"(?:[한된했됐었았였])$", text[:end]) or _PAST_AFTER_RE.match(text[end:]):
        return False  # the trigger itself is past or attributive ('발표한 계획', '선정됐다')
    # from the trigger's last syllable: '문을 열 계획' ends the trigger with the -ㄹ of the future form
    return is_future_governed(text, max(end - 1, 0), window=31)


def _date_is_future(d: DateMention) -> bool:
    """A date that is future by its own words: 오는 …, 내년, 다음 달, 연내."""
    return (d.date_text.startswith("오는") or d.date_text == "연내" or (d.year_offset or 0) > 0
            or (d.month_offset or 0) > 0)


def _is_present_verb(trig: Trigger, m: re.Match, text: str) -> bool:
    """The trigger is a verb in the present or a connective form (구축한다, 착공하고, 짓고, 끝난다), not a noun
    inside a noun phrase (입주 기업) and not past (governing_direction)."""
    if not (_VERB_END_RE.search(m.group(0)) or _PRESENT_VERB_AFTER_RE.match(text[m.end():])):
        return False
    if _TARGET_VERB_RE.match(trig.trigger):
        return False  # an expansion told in the present ('2030년 20개로 늘린다') is a target, not a happening
    return governing_direction(text, m.end()) != "past"


def find_location(text: str) -> str | None:
    """The venue phrase before `에서` (부산 벡스코, 천안시청 대회의실), or None."""
    for m in _LOCATION_RE.finditer(text):
        words = m.group(1).split()
        kept: list[str] = []
        for w in reversed(words):
            if re.search(r"\d+\s*[일월년]$|^(?:이날|오늘|당일)$", w) or (kept and _PARTICLE_END_RE.search(w)):
                break
            kept.insert(0, w)
        phrase = " ".join(kept)
        if kept and any(v in phrase for v in _VENUE_WORDS):
            return phrase
    return None


def _future_clause(d: DateMention, dates: list[DateMention], text: str) -> str | None:
    """A date no trigger took that opens a future clause — future by its own words (오는 26일부터, 다음 달, 내년)
    or governed by a plan word (하반기 분양을 목표로, 내년 상반기까지 … 만들 계획이다) — is a planned happening
    whatever its verb (contract); dbt keeps it only when the date lies after publication. Not: a past or
    conditional clause, the reporting frame, a date inside a quoted name, the old date of a change, 이날."""
    if d.direction == "past" or d.day_ref is not None or _is_report_date(d, text) or _superseded(d, dates, text):
        return None
    clause = _CLAUSE_END_RE.split(text[d.end: d.end + 60], maxsplit=1)[0]
    if (not clause.strip() or _CONDITION_BEFORE_RE.search(clause) or _NEGATED_RE.search(clause)
            or _CONDITION_BEFORE_RE.search(text[max(d.start - _CONDITION_WINDOW, 0): d.start])):
        return None
    if not (_date_is_future(d) or _PLAN_WORD_RE.search(clause)) or _PENDING_RE.search(clause):
        return None
    if _UNTIL_RE.match(clause) and not _PLAN_WORD_RE.search(clause):
        return None  # '오는 10월까지 실증을 이어가며': the end of something under way, not a happening
    if any(a <= d.start and d.end <= b for a, b in analysis_of(text).name_quotes):
        return None
    return clause.strip()[:30]


@dataclass
class _Found:
    event: EventMention
    date: DateMention | None
    report_dated: bool  # dated by the reporting frame ('…했다고 11일 밝혔다')
    tight: bool  # its date stands right before the trigger ('지난달 24일 선정 통보')


# a date at most this many characters before its trigger is the trigger's own ('지난달 24일 선정 통보')
_TIGHT = 12


def _events_in(sentence: Sentence, dates: list[DateMention]) -> list[_Found]:
    text = sentence.text
    name_quotes = analysis_of(text).name_quotes
    # one event per (type, date mention): '3월 착공 예정이며 2027년 개소가 목표' is two planned events
    chosen: dict[tuple[str, int | None], tuple[int, int, str]] = {}
    for trig in event_triggers():
        if trig.first_word not in text:
            continue  # no match can start here (Trigger.first_word): the same as an empty finditer, cheaper
        for m in trig.pattern.finditer(text):
            after = text[m.end(): m.end() + 14]
            if _NEGATED_RE.search(after):
                continue
            event_type = trig.event_type
            if event_type == "selected" and _HYPOTHETICAL_SELECTED_RE.search(after):
                continue
            if any(text.startswith(n, m.start()) for n in _LONGER_NOUNS):
                continue
            if any(a < m.start() and m.end() < b and " " in text[m.end(): b] for a, b in name_quotes):
                continue  # a modifier inside a quoted name ('‘AI 센터 유치 추진을 위한 업무협약’'), not its head
            if event_type == "took_effect" and not _LEGAL_NOUN_RE.search(
                    text[max(m.start() - 40, 0): m.end() + 30]):
                continue
            adnominal = not trig.past_first and bool(
                _ADNOMINAL_END_RE.search(m.group(0)) and text[m.end(): m.end() + 1].isspace()
                or _ADNOMINAL_AFTER_RE.match(text[m.end():]))
            date = _nearest_date(dates, m.start(), m.end(), text, before_only=adnominal)
            if date is None and adnominal:
                continue
            past = trig.past_first or bool(re.search(r"[한된했됐었았였]$", m.group(0)))
            future = not past and (_is_future(text, m.end()) or (date is not None and _date_is_future(date)))
            if event_type == "planned" and not future:
                # a start or completion verb in the present ('연말까지 구축한다', '2029년까지 짓고'): Korean present is
                # often a schedule; dbt keeps it as planned only if its date lies after publication
                if date is None or past or not _is_present_verb(trig, m, text) or date.direction == "past":
                    continue
                event_type = PLANNED_IF_FUTURE
            if future and event_type not in _NEVER_PLANNED:
                event_type = "planned"
            if event_type == "planned" and _CONDITION_BEFORE_RE.search(
                    text[max(m.start() - _CONDITION_WINDOW, 0): m.end()]):
                continue
            key = (event_type, date.mention_no if date else None)
            if key not in chosen or m.start() < chosen[key][0]:
                chosen[key] = (m.start(), m.end(), m.group(0))
    used = {date_no for _, date_no in chosen}
    for d in dates:
        if d.mention_no not in used:
            surface = _future_clause(d, dates, text)
            if surface:
                chosen[(PLANNED_IF_FUTURE, d.mention_no)] = (d.end, d.end + len(surface), surface)
    out: list[_Found] = []
    location = find_location(text) if chosen else None
    by_no = {d.mention_no: d for d in dates}
    for (event_type, date_no), (start, _, surface) in sorted(chosen.items(), key=lambda kv: kv[1][0]):
        date = by_no.get(date_no) if date_no is not None else None
        out.append(_Found(EventMention(sentence_no=sentence.sentence_no, mention_no=len(out), event_type=event_type,
                                       trigger=surface, date_mention_no=date_no, location=location),
                          date, date is not None and _is_report_date(date, text),
                          date is not None and date.end <= start and start - date.end <= _TIGHT))
    return out


def _is_recent_day(d: DateMention) -> bool:
    """A day of this or last month told without a year ('지난 24일', '지난달 24일'): the news' own happening,
    not an older one ('2019년 3월 5일', '지난해 3월 5일')."""
    return (d.day is not None and d.day_ref is None and d.year is None and (d.year_offset or 0) == 0
            and (d.month_offset or 0) in (0, -1))


def find_event_mentions(sentences: list[Sentence], dates: list[DateMention]) -> list[EventMention]:
    """Dated events of an article; `dates` are the article's date mentions (dates.find_date_mentions).

    An event dated only by its reporting frame ('최종 선정돼 … 확보했다고 11일 밝혔다') gives way to an event of the
    same type that the article dates to a recent day standing right before its trigger ('지난달 24일 선정 통보를
    받았다'): that is when it happened."""
    by_sentence: dict[int, list[DateMention]] = {}
    for d in dates:
        by_sentence.setdefault(d.sentence_no, []).append(d)
    found: list[_Found] = []
    for sentence in sentences:
        sentence_dates = by_sentence.get(sentence.sentence_no)
        if sentence_dates:
            found.extend(_events_in(sentence, sentence_dates))
    own_day = {f.event.event_type for f in found if f.tight and not f.report_dated and _is_recent_day(f.date)}
    return [f.event for f in found if not (f.report_dated and f.event.event_type in own_day)]
