"""Noun-phrase analysis of one sentence: where organisation-name candidates are and what follows them.

Kiwi tokens are grouped into *runs*: maximal sequences of nominal tokens (NNP, NNG, NNB except 등, NR, SN, SL,
SH, XPN, XSN, '&'/'-' inside Latin names) separated only by spaces. A run is split into space-separated *words*.
Legal-form markers ((주), ㈜) are blanked before tokenising (offsets are kept) and re-attached to the run.

Inside a run (``run_candidates``):
* trailing counts are dropped (`MTS 6개사` → MTS), a trailing person title (사장, 대표, 의원, 관계자, 천안시장…) is
  dropped together with a person name before the organisation (`황용국 블루바이저 대표` → 블루바이저, an
  *affiliation*); a leading title + name (`대표이사 김영섭`, `국회의원 정동영`) is dropped;
* a word is *strong* when it is a known name (org_types/org_aliases), a local government (full name, or 충남도/
  부산시 = short name + 도/시), or ends in a suffix rule (…진흥원, …대학교, …협회, …위원회, …은행 …; ambiguous
  endings like …공사/…전자 need a proper-noun token; …부/…처/…청 need 3+ syllables and are not 정부/신청/시청…);
  strong words are candidates anywhere in the run, extended to the left over proper-noun/Latin words
  (`英 C&P`, `LG CNS`, `구글클라우드 코리아`);
* otherwise the run's last word is a *weak* candidate when it holds a proper noun (NNP), Latin letters or hanja
  (`블루바이저`, `KT`, `영국C&P`) — resolve.py admits weak candidates only in partner slots;
* a lone 시/군/구/도 is an anaphor; a local-government short name (전주, 천안) is a short-name candidate.
Generic nouns (generic_org_nouns.csv) are never candidates.

``trailing`` reads what follows a candidate in the text: an attached parenthetical, a part of the organisation
(`KT 대구경북광역본부`, `○○도 상하수도본부`, `○○대학교 산학협력단`: the organisation is the party), a count, 등 and
what may stand between 등 and the particle (`등 정부 5개 기관과`, `등 40개 기업·기관과`, `등 자치단체와 유관기관, 민간기업이`),
`을 비롯해/비롯한` (the name opens the list that follows), the particle.

Titles: `한빛정보통신 박영수 대표` and `박영수 한빛정보통신 대표` both name 한빛정보통신 (the candidate spans the title,
so the particle after it is the organisation's; ``name_end`` ends the name); `우범기 전주시장` names 전주시.

Per-sentence analysis is computed once and cached by text (``analyse``, ``brackets``): bracket spans come from one
pass (``Brackets``), not a rescan per candidate. Budgets: at most MAX_ANALYSED_CHARS characters of a sentence are
tokenised and at most MAX_CANDIDATES_PER_SENTENCE candidates kept; the excess is counted on the SentenceAnalysis
(``truncated_chars``, ``dropped_candidates``) and logged.
"""
from __future__ import annotations

import logging
import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from ..kiwi import tokenize
from .lexicon import (
    COMPANY_HEAD_TITLES,
    COMPOUND_SURNAMES,
    COUNT_WORD_RE,
    KIND_NOUN_RE,
    HEAD_OF_LG_ENDINGS,
    PERSON_TITLES,
    SURNAMES,
    lexicon,
)

log = logging.getLogger(__name__)

_NOMINAL_TAGS = frozenset({"NNG", "NNP", "NNB", "NR", "SN", "SL", "SH", "XPN", "XSN"})
_NAME_TAGS = frozenset({"NNP", "SL", "SH"})
_LEGAL_MARKER_RE = re.compile(r"\(주\)|㈜|\(유\)|\(재\)|\(사\)")
_COUNT_RE = re.compile(rf"^{COUNT_WORD_RE}$")
_DATE_WORD_RE = re.compile(r"^\d+(?:일|월|년|시|분|차|회|명|개|억|만|원|%)$")
_AMBIGUOUS_SUFFIXES = frozenset(
    "공사 은행 전자 건설 그룹 통신 증권 보험 자동차 중공업 모빌리티 홀딩스 엔지니어링 텔레콤 연구원 연구소 조합 재단 "
    "공단 기술원 교육원 연수원 의료원 정보원 관리원".split()
)
_PROPER_PREFIXES = ("한국", "국립", "국가", "대한", "중앙", "서울", "부산", "경기", "전국")
_BAD_ENDINGS = {
    "부": ("정부", "본부", "일부", "내부", "외부", "전부", "간부", "세부", "학부", "지부", "기부", "부부", "여부", "납부",
           "교부", "배부", "첨부", "대부", "농부", "수뇌부", "지도부", "집행부", "사령부", "사업부", "지원부", "영업부",
           "기획부", "운영부", "관리부", "총무부", "편집부", "개발부", "기술부", "중심부", "도심부", "외곽부", "상층부",
           "하층부", "연결부", "핵심부"),
    "처": ("대처", "출처", "거래처", "연락처", "사용처", "수요처", "판매처", "공급처", "근무처", "문의처", "접수처", "투자처",
           "납품처", "조달처"),
    "청": ("신청", "요청", "초청", "경청", "시청", "도청", "구청", "군청", "방청", "청청", "환청", "민원청"),
}
_SINGLE_QUOTE_RE = re.compile(r"‘[^’]{1,80}’|'[^']{1,80}'|「[^」]{1,80}」|『[^』]{1,80}』|《[^》]{1,80}》|〈[^〉]{1,80}〉|<[^>]{1,80}>")
_DOUBLE_QUOTE_RE = re.compile(r"“[^”]*”?|\"[^\"]*\"")
_PARTICLES = sorted(
    "와 과 은 는 이 가 을 를 의 도 에 로 으로 에서 에서는 에는 와도 과도 와의 과의 와는 과는 으로는 로는 께서 이나 나 "
    "까지 부터 만 이며 이고 이자 인 로서 으로서 에게 이랑 랑 하고 와도 과도".split(),
    key=len,
    reverse=True,
)
_PARTICLE_RE = re.compile("(?:" + "|".join(_PARTICLES) + r")(?=[\s,.·)\]’”'\"!?…]|$)")
_COUNT_AFTER_RE = re.compile(rf"\s?{COUNT_WORD_RE}")
# what may follow '등' or a count before the list's particle: descriptors, a count, kinds of organisation
# ('등 정부 5개 기관과', '등 40개 기업·기관과', '등 자치단체와 유관기관, 지역 병원, 민간기업이', '세 기관은')
_KIND_ITEM = (r"(?:[가-힣A-Za-z]{1,8}\s){0,2}(?:(?:\d+\s?여?\s?(?:개|곳)?|두|세|네|다섯|여섯|일곱|여덟|아홉|열)\s?)?"
              rf"{KIND_NOUN_RE}(?:[·ㆍ]{KIND_NOUN_RE})*(?:\s?\d+\s?여?\s?(?:개\s?)?(?:곳|개사|사|개)?)?")
_KIND_TAIL_RE = re.compile(rf"(?!\s?(?:참여|주관|수요|협력|회원|후원|참가|지원|전담|대표|총괄|구성|창립))\s?[·ㆍ]?(?:{_KIND_ITEM}(?:\s?[,·]\s?|(?:와|과|및)\s|\s및\s))*{_KIND_ITEM}")
# a part of an organisation written right after it: its regional office, centre, division or university
# foundation ('제주특별자치도 상하수도본부는', '한국교통안전공단 시흥드론교육센터가', '건양대학교 산학협력단'); the
# organisation is the party, the particle after the part is its particle
_UNIT_RE = re.compile(
    r"\s([가-힣A-Za-z0-9]{0,12}(?:지역본부|광역본부|본부|교육센터|지원센터|센터|지회|지부|산학협력단|사업단|지사|사업소|캠퍼스|"
    r"지점|사업부문|부문))(?=[\s,.·(]|(?:은|는|이|가|와|과|의|도|을|를|에서|로|으로|와의|과의)(?:[\s,.·)]|$)|$)")
_INCLUDING_RE = re.compile(r"\s?(?:비롯해|비롯한|비롯하여|비롯, |포함해|포함한|포함하여)\s?")
_DEUNG_RE = re.compile(r"\s?등(?=[\s,.]|[과와이은을의도에]|$)")

SUBJECT_PARTICLES = frozenset({"은", "는", "이", "가", "께서"})
COMITATIVE_PARTICLES = frozenset({"와", "과", "와도", "과도", "와의", "과의", "와는", "과는", "하고", "이랑", "랑"})


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str
    tags: tuple[str, ...]


@dataclass
class Candidate:
    start: int
    end: int
    text: str
    kind: str  # strong | weak | plain | anaphor | short_lg
    affiliation: bool = False  # the organisation of a person with a company-head title
    followed_by_partner_word: bool = False  # 'KT 컨소시엄'
    persons: tuple[str, ...] = ()  # person names seen next to a title in this run
    lg_name: str | None = None  # full local-government name when the candidate is one
    # with a person and title after the name ('한빛정보통신 박영수 대표와'): the span runs to the title, so the
    # particle read after it is the organisation's; the name itself ends here
    name_end: int = 0


@dataclass
class Trailing:
    particle: str = ""
    end: int = 0  # text offset after everything read
    paren: tuple[int, int] | None = None
    has_count: bool = False
    has_deung: bool = False
    unit: tuple[int, int] | None = None  # a part of the organisation written after it ('KT 대구경북광역본부')
    opens_list: bool = False  # 'A를 비롯해 …': the names that follow are in A's list


@dataclass
class SentenceAnalysis:
    text: str
    candidates: list[Candidate] = field(default_factory=list)
    single_quotes: list[tuple[int, int]] = field(default_factory=list)
    double_quotes: list[tuple[int, int]] = field(default_factory=list)
    persons: set[str] = field(default_factory=set)
    tokens: tuple = ()
    brackets: "Brackets | None" = None
    dropped_candidates: int = 0  # candidates over MAX_CANDIDATES_PER_SENTENCE, not kept
    truncated_chars: int = 0  # characters after MAX_ANALYSED_CHARS, not analysed


# --- spans -----------------------------------------------------------------------------------------------


def quote_spans(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    single = [m.span() for m in _SINGLE_QUOTE_RE.finditer(text)]
    double = [m.span() for m in _DOUBLE_QUOTE_RE.finditer(text)]
    return single, double


_TITLE_QUOTE_AFTER_RE = re.compile(r"(?:을|를|의|에|이|가|과|와)(?:\s|$)")


def speech_spans(text: str, double: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The double-quoted spans that are speech. A double-quoted title ('“… 양해각서”를 교환했다') is not: it is
    followed by a case particle and does not end like a sentence (…다, …요, …겠다)."""
    out = []
    for s, e in double:
        inner = text[s + 1:e - 1].rstrip(" .!?")
        if _TITLE_QUOTE_AFTER_RE.match(text, e) and not re.search(r"(?:다|요|죠|까|니다)$", inner):
            continue
        out.append((s, e))
    return out


def inside(spans: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    for s, e in spans:
        if s <= start and end <= e:
            return (s, e)
    return None


class Brackets:
    """The bracket structure of one sentence, computed in one pass (``brackets(text)``, cached per text).

    ``enclosing(start, end)`` answers what the old per-candidate rescan answered (the innermost '(', '[' or '（'
    still open at `start` whose own closer, within 120 characters, lies at or after `end`), in time proportional
    to the nesting depth instead of the sentence length. A closer of any kind pops the innermost opener, as before.
    """

    __slots__ = ("_inner_at", "_parent", "_close")

    def __init__(self, text: str) -> None:
        n = len(text)
        inner_at = array("i", [-1]) * (n + 1)  # innermost unclosed opener before offset i (-1: none)
        parent: dict[int, int] = {}
        close: dict[int, int | None] = {}
        stack: list[int] = []
        for i, ch in enumerate(text):
            inner_at[i] = stack[-1] if stack else -1
            if ch in "([（":
                parent[i] = stack[-1] if stack else -1
                close[i] = matching_close(text, i)
                stack.append(i)
            elif ch in ")]）" and stack:
                stack.pop()
        inner_at[n] = stack[-1] if stack else -1
        self._inner_at, self._parent, self._close = inner_at, parent, close

    def enclosing(self, start: int, end: int) -> tuple[int, int] | None:
        if not 0 <= start < len(self._inner_at):
            return None
        op = self._inner_at[start]
        while op >= 0:
            cl = self._close[op]
            if cl is not None and cl >= end - 1:
                return (op, cl + 1)
            op = self._parent[op]
        return None


@lru_cache(maxsize=4096)
def brackets(text: str) -> Brackets:
    """The sentence's bracket spans, computed once however many grammars and candidates ask."""
    return Brackets(text)


def matching_close(text: str, pos: int) -> int | None:
    """Index of the bracket closing the one at `pos`, or None."""
    pairs = {"(": ")", "[": "]", "（": "）"}
    op = text[pos]
    cl = pairs.get(op)
    if cl is None:
        return None
    depth = 0
    for i in range(pos, min(len(text), pos + 120)):
        if text[i] == op:
            depth += 1
        elif text[i] == cl:
            depth -= 1
            if depth == 0:
                return i
    return None


def trailing(text: str, end: int) -> Trailing:
    """What follows a name: '(대표이사 김영섭)와', ' 6개사와', ' 등과도', '는'."""
    t = Trailing(end=end)
    pos = end
    for _ in range(2):  # 'A(B) 광역본부와', 'A 상하수도본부(본부장 X)는'
        if pos < len(text) and text[pos] in "([（" and t.paren is None:
            close = matching_close(text, pos)
            if close is not None:
                t.paren = (pos, close + 1)
                pos = close + 1
                continue
        u = _UNIT_RE.match(text, pos)
        if u and t.unit is None:
            t.unit = (u.start(1), u.end())
            pos = u.end()
            continue
        break
    for _ in range(2):  # 'A, B 3개 기관과', 'A, B 등 3개 기관과', 'MTS 6개사와'
        m = _COUNT_AFTER_RE.match(text, pos)
        if m and not t.has_count and (m.end() >= len(text) or not text[m.end()].isdigit()):
            t.has_count = True
            pos = m.end()
            continue
        m = _DEUNG_RE.match(text, pos)
        if m and not t.has_deung:
            t.has_deung = True
            pos = m.end()
            continue
        break
    m = _PARTICLE_RE.match(text, pos)
    if m and m.group(0) in ("을", "를") and _INCLUDING_RE.match(text, m.end()):
        # 'A를 비롯해 B, C와' / 'A를 비롯한 6개 기관과': A opens the list that follows
        pos = _INCLUDING_RE.match(text, m.end()).end()
        t.opens_list = True
        k = _KIND_TAIL_RE.match(text, pos)
        if k and _PARTICLE_RE.match(text, k.end()):
            t.has_count = True
            pos = k.end()
            m = _PARTICLE_RE.match(text, pos)
        else:
            t.end = pos
            return t
    if m is None and (t.has_deung or t.has_count):
        k = _KIND_TAIL_RE.match(text, pos)
        if k and _PARTICLE_RE.match(text, k.end()):
            pos = k.end()
            t.has_count = True  # the kind noun counts the list as a count does
            m = _PARTICLE_RE.match(text, pos)
    if m:
        t.particle = m.group(0)
        pos = m.end()
    t.end = pos
    return t


# --- runs and words ----------------------------------------------------------------------------------------


def _masked(text: str) -> str:
    return _LEGAL_MARKER_RE.sub(lambda m: " " * len(m.group(0)), text)


def _is_nominal(tok: tuple) -> bool:
    form, tag = tok[0], tok[1]
    if tag == "NNB" and form in ("등", "및", "때문", "수", "것", "데", "바", "중", "측"):
        return False
    return tag in _NOMINAL_TAGS


def _runs(text: str, toks: tuple) -> list[list[tuple]]:
    runs: list[list[tuple]] = []
    cur: list[tuple] = []
    for i, tok in enumerate(toks):
        form, tag, start, length = tok
        joiner = tag in ("SW", "SO") and form in ("&", "+", "-") and cur and cur[-1][2] + cur[-1][3] == start
        if _is_nominal(tok) or joiner:
            if cur:
                gap = text[cur[-1][2] + cur[-1][3]:start]
                if gap.strip() or (cur[-1][1] in ("SW", "SO")) and gap:
                    runs.append(cur)
                    cur = []
            cur.append(tok)
        else:
            if cur:
                runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    # a joiner must sit between two nominal tokens
    out = []
    for r in runs:
        while r and r[-1][1] in ("SW", "SO"):
            r = r[:-1]
        if r:
            out.append(r)
    return out


def _words(text: str, run: list[tuple]) -> list[Word]:
    words: list[Word] = []
    cur: list[tuple] = []
    for tok in run:
        if cur and tok[2] > cur[-1][2] + cur[-1][3]:
            words.append(_word(text, cur))
            cur = []
        cur.append(tok)
    if cur:
        words.append(_word(text, cur))
    return words


def _word(text: str, toks: list[tuple]) -> Word:
    start, end = toks[0][2], toks[-1][2] + toks[-1][3]
    # re-attach a legal-form marker written against the name: (주)진인프라, 진인프라㈜
    m = re.search(r"(?:\(주\)|㈜|\(유\)|\(재\)|\(사\))\s?$", text[max(0, start - 4):start])
    if m:
        start = start - (len(text[max(0, start - 4):start]) - m.start())
    m = re.match(r"(?:\(주\)|㈜)", text[end:end + 4])
    if m:
        end += m.end()
    return Word(start, end, text[start:end], tuple(t[1] for t in toks))


# --- word classes ----------------------------------------------------------------------------------------


# a post written in one word with its department: 스마트도시국장, 경제부시장, 디지털정책관, 교통정책과장
_COMPOUND_TITLE_RE = re.compile(
    r"^[가-힣A-Za-z]{1,8}(?:국장|부시장|부지사|부군수|부구청장|실장|과장|팀장|본부장|센터장|단장|정책관|기획관|담당관|"
    r"보좌관|협력관|위원장|이사장|부원장|부장|주무관|사무관)$"
)


def is_title(word: str) -> bool:
    w = word[:-1] if word.endswith("들") and len(word) > 2 else word
    return w in PERSON_TITLES or lg_head_title(w) or (
        _COMPOUND_TITLE_RE.match(w) is not None and not lexicon().is_known(w) and lexicon().suffix_rule(w) is None)


def lg_head_title(word: str) -> bool:
    """천안시장, 충남지사, 전주시장, 서울시교육감: the head of a local government (a person)."""
    lex = lexicon()
    for ending in HEAD_OF_LG_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending):
            place = word[: -len(ending)]
            if place in lex.lg_by_short or place in lex.lg_by_name or place[:-1] in lex.lg_by_short:
                return True
    return False


_HEAD_SEAT = {"부구청장": "구", "구청장": "구", "부시장": "시", "시장": "시", "부군수": "군", "군수": "군", "도지사": "도",
              "부지사": "도", "지사": "도"}


def _lg_of_head_title(w: Word) -> Candidate | None:
    """'김OO 천안시장', '박OO 충남지사': the person speaks or signs for the local government. The candidate spans the
    title (its particle is read after it) and names the government (천안시, 충청남도); it is not a subject."""
    lex = lexicon()
    for ending, seat in _HEAD_SEAT.items():
        if not w.text.endswith(ending) or len(w.text) <= len(ending):
            continue
        place = w.text[: -len(ending)]
        surface = place + seat if w.text.startswith(place + seat) and ending.startswith(seat) else place
        lg = lg_of_word(place + seat) or lg_of_word(place)
        if lg is None:
            options = lex.lg_by_short.get(place, []) or lex.lg_by_short.get(place[:-1], [])
            metro = [o for o in options if o.level == "metropolitan"]
            lg = (metro or options)[0].name if options else None
        if lg is None:
            return None
        return Candidate(w.start, w.end, "", "strong", lg_name=lg, name_end=w.start + len(surface))
    return None


def is_person_like(w: Word) -> bool:
    t = w.text
    if not (2 <= len(t) <= 4 and re.fullmatch(r"[가-힣]+", t)):
        return False
    if any(tag not in ("NNP", "NNG") for tag in w.tags) or "NNP" not in w.tags:
        return False
    if lexicon().is_known(t) or lexicon().local_government(t) or t in lexicon().lg_by_short:
        return False
    return t[0] in SURNAMES or t[:2] in COMPOUND_SURNAMES


def lg_of_word(word: str) -> str | None:
    """Full local-government name for 천안시 / 충청남도 / 충남도 / 부산시 (short name + 시/도)."""
    lex = lexicon()
    if word in lex.lg_by_name:
        return word
    if word.endswith("특례시") and word[:-3] + "시" in lex.lg_by_name:
        return word[:-3] + "시"  # 특례시 is a status of a 시 (창원특례시 = 창원시), not another government
    if len(word) >= 3 and word[-1] in "시도":
        for lg in lex.lg_by_short.get(word[:-1], []):
            if lg.level == "metropolitan" or lg.name.endswith(word[-1]):
                return lg.name
    return None


def suffix_strong(w: Word) -> bool:
    lex = lexicon()
    word = w.text
    rule = lex.suffix_rule(word)
    if rule is None or lex.is_generic(word):
        return False
    sfx = rule.suffix
    if sfx in ("(주)", "㈜", "주식회사"):
        return True
    if sfx in ("시", "군", "구", "도"):
        return False  # local governments come from local_governments.csv only
    proper = any(t in _NAME_TAGS for t in w.tags) or word.startswith(_PROPER_PREFIXES)
    if sfx in ("부", "처", "청"):
        # a ministry or agency not in the dictionaries (산업통상부, 기후에너지환경부, 새만금개발청); three-syllable
        # words ending in 부 are mostly parts of things (중심부, 편집부) and the real ones are known names
        shortest = 4 if sfx == "부" else 3
        return len(word) >= shortest and not word.endswith(_BAD_ENDINGS[sfx]) and not re.search(r"\d", word)
    if sfx == "사업단":
        return len(word) >= 6 and not re.search(r"\d", word)
    if sfx == "대":
        return w.tags == ("NNP",) and 2 <= len(word) <= 5
    if sfx in _AMBIGUOUS_SUFFIXES:
        return proper and len(word) > len(sfx) + 0
    return len(word) >= len(sfx) + 1


def word_kind(w: Word) -> str:
    lex = lexicon()
    t = w.text
    if lex.is_generic(t) or _DATE_WORD_RE.match(t) or _COUNT_RE.match(t) or t.startswith(_PARTNER_WORDS):
        return "generic"  # (a partnership word with a particle Kiwi kept: '얼라이언스에')
    if lg_of_word(t):
        return "strong"
    if lex.is_known(t):
        return "strong"
    if suffix_strong(w):
        return "strong"
    if t in lex.lg_by_short and "NNP" in w.tags:
        # a bare short name is a place only where Kiwi reads a proper noun: 예산 (budget), 진도 (progress),
        # 부여 (grant), 강화, 연수, 음성, 달성 are ordinary nouns far more often than 예산군, 진도군, 부여군
        return "short_lg"
    if any(tag in _NAME_TAGS for tag in w.tags):
        if all(tag in ("SN", "SW", "SO", "NNB") for tag in w.tags if tag not in _NAME_TAGS) and "SL" in w.tags:
            return "weak"  # Latin name: KT, LG, C&P, DKI
        if "NNP" in w.tags or "SH" in w.tags:
            return "weak"
        if _MIXED_NAME_RE.fullmatch(t) and (re.match(r"[가-힣]", t) or not any(
                lex.is_generic(x) for x in re.findall(r"[A-Za-z]+", t))):
            return "weak"  # Latin and Hangul as one word: iM뱅크, 삼정KPMG, 오픈AI (not AI기반, IoT센서)
    return "other"


_MIXED_NAME_RE = re.compile(r"(?:[A-Za-z]{2,}[가-힣]{2,}|[가-힣]{2,}[A-Za-z]{2,})")


def _name_like(w: Word) -> bool:
    if w.text in ("주식회사",):
        return True
    if lexicon().is_generic(w.text) or is_title(w.text):
        return False
    return any(tag in _NAME_TAGS for tag in w.tags) and not lexicon().lg_by_short.get(w.text)


# --- candidates of one run -----------------------------------------------------------------------------------


_PARTNER_WORDS = ("컨소시엄", "얼라이언스", "협의체", "연합", "포럼", "사업단", "연합체")


def run_candidates(words: list[Word]) -> list[Candidate]:
    persons: list[str] = []
    affiliation = False
    ws = list(words)
    while ws:
        if _COUNT_RE.match(ws[-1].text):
            ws = ws[:-1]
        elif len(ws) >= 2 and _COUNT_RE.match(ws[-2].text + ws[-1].text):
            ws = ws[:-2]
        else:
            break
    # leading title + person name: 대표이사 김영섭, 국회의원 정동영
    while len(ws) >= 2 and is_title(ws[0].text) and is_person_like(ws[1]):
        persons.append(ws[1].text)
        ws = ws[2:]
    title_end = 0
    if ws and is_title(ws[-1].text):
        title = ws[-1].text.rstrip("들") or ws[-1].text
        title_end = ws[-1].end
        ws = ws[:-1]
        # a surname alone before the title is the person named again ('허 시장은', '김 청장과'), not an organisation
        if ws and len(ws[-1].text) == 1 and ws[-1].text in SURNAMES:
            persons.append(ws[-1].text)
            ws = ws[:-1]
        if lg_head_title(title):
            people = tuple(persons + [w.text for w in ws if is_person_like(w)])
            seat = _lg_of_head_title(words[-1])
            if seat is None:
                return [Candidate(0, 0, "", "person", persons=people)]
            seat.persons = people
            return [seat]
        # the person is the last person-like word before the organisation: '이날 홍길동 한빛소프트 (대표)'
        cut = None
        for i, w in enumerate(ws):
            if is_person_like(w) and (i == len(ws) - 1 or word_kind(w) != "strong") and (i < len(ws) - 1 or cut is None):
                cut = i
        if cut is not None:
            persons.append(ws[cut].text)
            # '황용국 블루바이저 대표': the organisation follows the person; '한빛정보통신 박영수 대표': it precedes
            before = cut == len(ws) - 1 and cut > 0 and word_kind(ws[cut - 1]) not in ("generic",) \
                and not is_title(ws[cut - 1].text)
            ws = ws[:cut] if before else ws[cut + 1:]
        affiliation = title not in ("기자", "씨", "특파원", "기자들") and bool(ws)  # any post names its organisation
    out: list[Candidate] = []
    if not ws:
        return [Candidate(0, 0, "", "person", persons=tuple(persons))] if persons else []
    if len(ws) == 1 and ws[0].text in "시군구도" and len(ws[0].text) == 1:
        w = ws[0]
        return [Candidate(w.start, w.end, w.text, "anaphor", persons=tuple(persons))]
    kinds = [word_kind(w) for w in ws]
    if affiliation and kinds[-1] == "other" and re.fullmatch(r"[가-힣A-Za-z0-9&]{2,}", ws[-1].text):
        kinds[-1] = "weak"  # the organisation of a company head ('한빛정보통신 박영수 대표')
    if len(ws) >= 2 and kinds[-1] == "generic" and kinds[-2] == "weak" and re.fullmatch(r"[A-Za-z]+", ws[-1].text) \
            and re.fullmatch(r"[A-Za-z&]+", ws[-2].text):
        kinds[-1] = "weak"  # 'SK AX', 'LG AI': a Latin acronym after a Latin name is part of the name
    taken_until = -1
    for k, (w, kind) in enumerate(zip(ws, kinds)):
        is_head = k == len(ws) - 1
        nxt = ws[k + 1].text if k + 1 < len(ws) else ""
        partner_next = nxt.endswith(_PARTNER_WORDS) or (nxt and is_title(nxt))
        if kind == "other" and is_head and w.tags == ("NNG",) and len(w.text) >= 3:
            kind = kinds[k] = "plain"  # one unknown-looking noun ('네이버랩스'): an org only when coordinated with orgs
        if kind in ("strong", "plain") or (kind == "weak" and (is_head or partner_next)) or (kind == "short_lg" and is_head):
            a = _extend_left(ws, kinds, k, taken_until)
            # a multi-word known name ('LG CNS', '구글 클라우드 코리아')
            for b in range(max(taken_until + 1, k - 3), a):
                if lexicon().is_known("".join(x.text for x in ws[b:k + 1])):
                    a = b
                    break
            span_kind = "strong" if kind == "strong" or any(x == "strong" for x in kinds[a:k + 1]) else kind
            if span_kind == "short_lg" and a < k:
                span_kind = "weak"
            cand = Candidate(ws[a].start, w.end, "", span_kind, persons=tuple(persons))
            cand.affiliation = affiliation and is_head
            if is_head and title_end:
                cand.name_end, cand.end = cand.end, title_end
            cand.followed_by_partner_word = bool(nxt.endswith(_PARTNER_WORDS))
            cand.lg_name = lg_of_word(w.text) if a == k else None
            out.append(cand)
            taken_until = k
    if not out and persons:
        out.append(Candidate(0, 0, "", "person", persons=tuple(persons)))
    return out


def _extend_left(ws: list[Word], kinds: list[str], k: int, floor: int) -> int:
    """Leftmost word of the name ending at word k: proper-noun/Latin words before it ('LG CNS', '英 C&P'), and
    plain nouns only when a proper noun opens the name ('구글 클라우드 코리아')."""
    a = k
    while a - 1 > floor and kinds[a - 1] == "weak" and _name_like(ws[a - 1]):
        a -= 1
    b = a
    while b - 1 > floor and a - b < 2 and kinds[b - 1] == "other" and re.fullmatch(r"[가-힣]+", ws[b - 1].text) \
            and not re.search(r"(?:인|이자)$", ws[b - 1].text):  # '입주사인 누리비전': an apposition, not a name
        b -= 1
        if b - 1 > floor and kinds[b - 1] in ("weak", "strong") and _name_like(ws[b - 1]) and kinds[k] != "short_lg":
            return b - 1
    return a


# Candidates kept per sentence. A real sentence names at most a few dozen organisations (the longest in the dev
# corpus: 12); a sentence listing thousands is a hostile or broken page. The candidates after the cap are dropped
# and counted (SentenceAnalysis.dropped_candidates, logged once per sentence), so one such sentence costs
# linear time and never the article.
MAX_CANDIDATES_PER_SENTENCE = 200
# Characters of one sentence given to Kiwi (~35 µs a character). Real sentences are under 600 characters; a
# flattened table or a hostile page may run to 100,000. Names after the cut are not looked for (counted as
# SentenceAnalysis.truncated_chars).
MAX_ANALYSED_CHARS = 4000


@lru_cache(maxsize=4096)
def analyse(text: str) -> SentenceAnalysis:
    """All name candidates of one sentence (article-independent; cached per text)."""
    head = text[:MAX_ANALYSED_CHARS]
    toks = _split_glued(tokenize(_masked(head)))
    if len(text) > len(head):
        toks = tuple(t for t in toks if t[2] + t[3] < len(head))  # the word cut at the limit is not a name
    single, double = quote_spans(text)
    sa = SentenceAnalysis(text=text, single_quotes=single, double_quotes=double, tokens=toks,
                          brackets=brackets(text), truncated_chars=len(text) - len(head))
    for run in _runs(text, toks):
        for c in run_candidates(_words(text, run)):
            sa.persons.update(c.persons)
            if c.kind == "person":
                continue
            c.text = text[c.start:c.name_end or c.end]
            sa.candidates.append(c)
    legal = _legal_form_names(head, toks)
    if legal:
        starts = [c.start for c in legal]
        kept = []
        for o in sa.candidates:
            i = bisect_right(starts, o.start)  # the legal names that could overlap o: the one before and after
            near = legal[max(0, i - 1):i + 1]
            if all(o.end <= c.start or o.start >= c.end for c in near):
                kept.append(o)
        sa.candidates = kept + legal
    sa.candidates.sort(key=lambda c: c.start)
    if len(sa.candidates) > MAX_CANDIDATES_PER_SENTENCE:
        sa.dropped_candidates = len(sa.candidates) - MAX_CANDIDATES_PER_SENTENCE
        del sa.candidates[MAX_CANDIDATES_PER_SENTENCE:]
    if sa.dropped_candidates or sa.truncated_chars:
        log.warning("organisation candidates of a %d-character sentence: %d kept, %d over the cap of %d dropped, "
                    "%d characters after the first %d not analysed", len(text), len(sa.candidates),
                    sa.dropped_candidates, MAX_CANDIDATES_PER_SENTENCE, sa.truncated_chars, MAX_ANALYSED_CHARS)
    return sa


_GLUED_PARTICLES = ("와", "과", "이", "가", "은", "는", "을", "를", "의", "도", "에", "로", "으로", "에서", "와의", "과의")


def _split_glued(toks: tuple) -> tuple:
    """Kiwi sometimes reads a known name and its particle as one noun ('세종특별자치시와' NNP): split it."""
    out = []
    for tok in toks:
        form, tag, start, length = tok
        if tag in ("NNP", "NNG") and len(form) == length and len(form) >= 3:
            for p in sorted(_GLUED_PARTICLES, key=len, reverse=True):
                head = form[: -len(p)]
                if form.endswith(p) and len(head) >= 2 and (lg_of_word(head) or lexicon().is_known(head)
                                                             or _glued_suffix_name(head)):
                    out.append((head, "NNP", start, len(head)))
                    out.append((p, "JKS" if p in ("이", "가") else "JX" if p in ("은", "는", "도") else "JC"
                                if p in ("와", "과") else "JKB", start + len(head), len(p)))
                    break
            else:
                out.append(tok)
        else:
            out.append(tok)
    return _join_unspaced_coordination(tuple(out))


def _join_unspaced_coordination(toks: tuple) -> tuple:
    """'한글과컴퓨터가': Kiwi reads 과/와 between two nouns written without a space as coordination, but Korean
    writes coordination with a space ('한글과 컴퓨터'); written solid, the three are one name."""
    out: list[tuple] = []
    i = 0
    while i < len(toks):
        a = toks[i]
        if (i + 2 < len(toks) and a[1] in ("NNG", "NNP") and toks[i + 1][1] == "JC" and toks[i + 1][0] in ("과", "와")
                and toks[i + 2][1] in ("NNG", "NNP") and a[2] + a[3] == toks[i + 1][2]
                and toks[i + 1][2] + toks[i + 1][3] == toks[i + 2][2]):
            c = toks[i + 2]
            out.append((a[0] + toks[i + 1][0] + c[0], "NNP", a[2], c[2] + c[3] - a[2]))
            i += 3
            continue
        out.append(a)
        i += 1
    return tuple(out)


def _glued_suffix_name(head: str) -> bool:
    """'강원정보문화산업진흥원과' read as one noun: the head ends in an unambiguous organisation suffix (…진흥원,
    …대학교, …협회), so the last syllable is the particle."""
    rule = lexicon().suffix_rule(head)
    return (rule is not None and len(rule.suffix) >= 2 and rule.suffix not in _AMBIGUOUS_SUFFIXES
            and rule.suffix not in ("(주)", "㈜", "주식회사") and len(head) > len(rule.suffix) + 1)


# the word after a legal-form marker, with the Latin words that continue it ('㈜LG CNS', '(주)SK AX와')
_LEGAL_NAME_RE = re.compile(r"(?:주식회사|\(주\)|㈜)\s?([0-9A-Za-z가-힣&+\-]{2,30})")
_LATIN_CONTINUATION_RE = re.compile(r"(?:\s[A-Z][0-9A-Za-z&+\-]{0,12}(?=[\s,.·와과이가은는을를의도)]|$))+")
# particles safe to cut from the end of such a word when Kiwi kept them inside it ('㈜안다자산운용과')
_LEGAL_NAME_PARTICLE_RE = re.compile(r"(?:과|와|은|는|을|를|에서|으로|과의|와의)$")


def _legal_form_names(text: str, toks: tuple) -> list[Candidate]:
    """'주식회사 한빛AI랩이' / '(주)새봄로보틱스와': the word after a legal-form marker is a company name, whatever
    Kiwi made of it ('한' read as a determiner breaks the noun run); a particle at its end is cut off."""
    out = []
    ends_at: dict[int, list[tuple]] = {}
    for t in toks:
        ends_at.setdefault(t[2] + t[3], []).append(t)
    for m in _LEGAL_NAME_RE.finditer(text):
        start, end = m.start(), m.end(1)
        if re.search(r"[A-Za-z0-9]$", m.group(1)):
            more = _LATIN_CONTINUATION_RE.match(text, end)
            end = more.end() if more else end
        # cut the particle Kiwi found at the end of the word (not a letter of the name: '…페이' keeps its 이)
        ends = [t for t in ends_at.get(end, ()) if m.start(1) < t[2] and t[1].startswith("J")]
        if ends:
            end = ends[0][2]
        else:
            cut = _LEGAL_NAME_PARTICLE_RE.search(text, m.start(1), end)
            if cut and cut.start() - m.start(1) >= 2 and (end >= len(text) or not re.match(r"[0-9A-Za-z가-힣]", text[end])):
                end = cut.start()
        if end - m.start(1) < 2 or lexicon().is_generic(text[m.start(1):end]):
            continue
        out.append(Candidate(start, end, text[start:end], "strong"))
    return out


# --- coordination ----------------------------------------------------------------------------------------

_LIST_SEP_RE = re.compile(r"^\s*(?:(?:[,·ㆍ‧/、]|및|그리고|또는|혹은)\s*)+$|^[-–]$")
_ROLE_WORD_RE = re.compile(r"참여|주관|대표|협력|지원|전담|회원|후원|감사|의장|총괄")
# 'A, 태양광 전문기업 B와' / 'A, 지역 스타트업인 B가': a comma, then a short descriptor of what B is
_DESCRIBED_SEP_RE = re.compile(
    r"^\s*,\s*(?:[가-힣A-Za-z]+\s){0,2}[가-힣]*(?:기업|업체|회사|기관|스타트업|대학|공기업|공공기관|연구기관|법인|개발사)(?:인)?\s*$")
_CREDIT_RE = re.compile(r"^[(\[（]\s*(?:사진|자료|제공|출처|그래픽|사진제공|영상|이미지|캡처)")


def is_credit_paren(text: str, paren: tuple[int, int]) -> bool:
    return _CREDIT_RE.match(text[paren[0]:paren[1]]) is not None


def enclosing_paren(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The innermost (...) that contains [start, end), if any (through the sentence's cached `brackets`)."""
    return brackets(text).enclosing(start, end)


def link_groups(text: str, spans: list[tuple[int, int]]) -> tuple[list[Trailing], list[int]]:
    """Trailing context of each span and a group id per span: coordinated names share a group.

    'A, B, C와' / 'A·B·C 등과' / 'A와 B는' / 'A(대표 X)와 B(대표 Y)가' are one group each.
    """
    trails = [trailing(text, e) for _, e in spans]
    gid = list(range(len(spans)))
    for i in range(len(spans) - 1):
        t = trails[i]
        nxt_start = spans[i + 1][0]
        if t.has_deung or nxt_start < t.end:
            continue
        between = text[t.end:nxt_start]
        if t.opens_list:
            ok = between.strip() == "" or _DESCRIBED_SEP_RE.match("," + between) is not None
        elif t.particle in ("와", "과", "하고", "및"):
            # 'A와 B', 'A와 영상분석 스타트업 B': a short descriptor of what B is may stand between
            ok = between.strip() == "" or (_DESCRIBED_SEP_RE.match("," + between) is not None
                                           and not _ROLE_WORD_RE.search(between))
        elif t.particle == "":
            ok = _LIST_SEP_RE.match(between) is not None or (
                _DESCRIBED_SEP_RE.match(between) is not None and not _ROLE_WORD_RE.search(between))
        else:
            ok = False
        if ok:
            gid[i + 1] = gid[i]
    return trails, gid
