"""Money mentions: Korean amounts with the funding cue, list structure, period, programme and recipient.

Rules (docs/extraction-rules.md, "Money", is the long form):

* Amounts are found and valued by `numbers.find_amounts` (`2조 5,000억 원` → 2,500,000,000,000 won).
* An amount followed by a counter (`100경 번`, `50만 명`, `1만 가구`) is not emitted; nor is a foreign-currency
  amount (`100억 달러`, `US$ 5억`, `미화 3천만 달러`): amounts are won and no rate is assumed. A won gloss of it
  (`5억 달러(약 6,500억 원)`) is kept with the foreign amount's source. An amount without 원/₩ is money only in
  a money context (a funding cue, or for 억/조 amounts a money word within 30 characters); otherwise it is not
  emitted (`인구 50만`, `30만 시민`). Parts written without a unit take the unit of the amount beside them
  (`총사업비 60억원(국비 30, 지방비 30)`).
* cue — the funding-source word that decided, spelled as in dbt/seeds/funding_source_terms.csv (dbt maps it to
  funding_source). Precedence: (1) a term right before the amount, only fillers between (`국비 160억`,
  `총 사업비 325억`, `국비 약 160억`, `국비는 160억`, `국비를 100억 원씩`, `정부로부터 50억`) or a participle
  (`국비로 지원된 15억`, `국비에서 확보한 20억`); a term followed by money nouns is that source (`국비 지원 규모는`,
  `정부 지원 예산`, `민간기업 투자`); coordinated terms with 씩/각각 give one row per term (`도비와 시비를 38억 원씩`);
  (2) a term right after (`325억 사업비`, `160억 원의 국비`), or the payer named after the amount (`800억원은 민간
  사업자가 투자한다`; two local governments together → 지방비); (3) the sentence-subject actor before the amount
  (`정부는 … 265억원을 투자한다`, `민간 사업자가 …`), not when coordinated (`정부와 민간이` is joint money);
  (4) a trailing `규모`; else NULL (dbt treats NULL as total). A lone `총`/`전체` before a single (non-list) amount
  is a quantity word and yields to a subject actor (`정부는 … 총 1,200억 원`). A term before `등` is part of a
  larger sum (`국비 등 100억` → NULL).
* Money or not (emitted with is_budget=False and reject_reason), precision first:
  - by words near the amount (`_REJECT_WORDS`, `_REJECT_AFTER`): revenue/earnings, market value (share prices,
    `…원에 거래`, land prices), salary, unit prices and fees, market size (`시장이 … 4조원 규모로 커질`), fines,
    startup rounds, investment-attraction totals (`누적 투자유치 실적`, `23개 기업과 … 투자협약`), economic
    effects, in-kind worth (`…원어치`), prizes, taxes, debts, savings, misuse (`부정수급`, `환수`), the change
    between two figures (`지난해보다 30억 원 늘어난`) — unless a funding cue sits right next to the amount (words
    read right after the amount, such as `…원의 매출`, and misuse hold even then); a word that only names a
    programme (`수출 지원 사업에`) does not reject;
  - then every amount still standing must show it is project money: a funding source, a cost word (총사업비,
    사업비), a list with a source in it, a money word within 40/30 characters (투입, 지원, 예산, 들여, 쓴다, …)
    or a sized project (`3,000억 원 규모의 … 사업`, `선도사업(2024∼2026년, 227억 원)`, `120억 원짜리 사업`); else
    `no_money_context`. Without a source, an amount under 1,000만 원 is a price or fee (`small_amount`). A
    correction that quotes a wrong figure (`…이라고 보도했습니다`) is `superseded`; a supposed amount (`만약`,
    `…한다면`, `…더라도`) is `hypothetical`.
* Budget tables (`money_tables.py`): a run of cell paragraphs is read by its headings (국비 | 도비 | 시비 | 계,
  `(단위: 억원)`), or by row for a transposed table; a row is kept only when its cells fit the headings and add up
  to its total.
* Lists: amounts joined by `,`/`와`/`및` form one list (same list_no); an amount after `등`, or with a `총`/`합계`
  cue right after a list, closes it as is_list_total; `총 325억 원(국비 160억, …)` / `… 중 국비 …` put the total
  first.
* Shares: `공공과 민간이 각각 51%, 49% 비율로 총 4,000억 원` → derived rows (is_derived, share_pct, cue per
  share). `1:1 매칭` of a stated national amount adds a derived row for the matching side (named term, else 지방비).
* Period: `2024~2026년`, `2025년부터 2027년까지`, `2026년까지` (end), `3년간`/`3년 동안` (start = programme year:
  a `YYYY년 … 사업` in the article, else the publish year; end = start + n - 1), `2019년에` (start = end).
* program: the `… 사업`/`… 프로젝트` noun phrase (Kiwi) after the amount, else before it, else in the previous
  two sentences or the next one; `이번 사업` alone is an anaphor and is looked up in the neighbours.
* recipient: a local government named in the sentence, the subject first (`경상남도 김해시는` → 김해시,
  `전주시에`), a bare `시는`/`군은`/`구는` resolved to the last such government named earlier, else one named in
  the previous two sentences.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from ..settings import SEEDS_DIR
from .analysis import PROGRAM_HEADS, analysis_of
from .money_tables import TableAmount, table_amounts
from .numbers import has_won
from .types import MoneyMention, Sentence

FUNDING_TERMS_CSV = SEEDS_DIR / "funding_source_terms.csv"

_TOTAL_WORDS = frozenset({"총", "총사업비", "사업비", "총예산", "총액", "합계", "전체", "규모"})
_LIST_CLOSERS = frozenset({"총", "합계", "총액", "전체", "총사업비"})

# fillers allowed between a cue and its amount ('국비는 약 160억', '총 사업비로 325억')
_FILLER_RE = re.compile(
    r"(?:약|총|최대|최소|모두|각각|각|무려|대략|전액|가량|은|는|이|가|을|를|으로부터|로부터|으로|로|만|도|에서|에|인|중|[:：])$")
# a participle between a source and its amount: '국비로 지원된 15억', '국비에서 확보한 20억', '정부가 교부한 10억'
_PARTICIPLE_RE = re.compile(
    r"(?:으로|로|에서|이|가|을|를)?\s*(?:전액\s*)?(?:지원|확보|투입|충당|조달|마련|편성|보조|배정|교부|부담|출연|출자|투자)"
    r"\s*(?:된|한|받은|받는|하는|되는|할|될|해\s*준|해\s*온|해온)$")
_COUNTER_RE = re.compile(
    r"^\s*(?:여\s*)?(?:(?:명|개|곳|건|대|번|회|배|톤|평|년|마리|가구|세대|시간|개월|개사|개소|그루|필지|차례|"
    r"달러|유로|엔|위안|파운드)(?:[이가의을를은는에도씩과와]|으로|로|이나)?(?![가-힣])"
    r"|%|퍼센트|㎡|m²|km|㎞|kW|MW|GW|kWh|MWh|USD|EUR|JPY|CNY)"
)
_MONEY_CONTEXT_RE = re.compile(
    r"사업비|사업\s*규모|예산|투입|투자(?!자|증권|의견|심리|업계|은행|전략|지표)|지원|출자|확보|편성|보조|기금|재원|출연|매칭|조달|집행|배정|"
    r"국비|지방비|도비|시비|군비|구비|민자|재정|융자|부담|분담|교부|들여(?!오|온|와|왔|다|놓)|들인|들어가|들어간|들어갈|들어갔|소요|마련|"
    r"[가-힣]{1,3}비(?:[는은가이를을로와과]|\s|$)|비용|책정|배분|지급|따내|따낸|따냈|"
    r"(?<![가-힣])(?:쓴다|쓰인다|쓰인|쓰여|쓰일|쓸|든다|드는|들었다|든\s)"
)
_REJECT_WORDS: dict[str, tuple[str, ...]] = {
    "investment_attraction": ("투자유치 실적", "투자 유치 실적", "투자유치액", "투자 유치액", "유치 실적", "누적 투자유치",
                              "누적 투자 유치", "투자유치 목표", "투자 유치 목표", "유치 목표", "투자유치 성과",
                              "투자 유치 성과", "유치 성과", "누적 투자"),
    "revenue": ("매출", "영업이익", "영업익", "순이익", "순익", "영업손실", "순손실", "당기순", "손익", "수익", "흑자",
                "수주잔고", "수주액", "실적"),
    "market_value": ("주가", "시가총액", "시총", "기업가치", "밸류에이션", "주당", "공모가", "목표주가", "목표가", "종가",
                     "신고가", "상한가", "하한가", "순매수", "순매도", "거래량", "감정가", "공시지가", "땅값", "집값"),
    "salary": ("연봉", "월급", "급여", "임금", "초봉", "성과급", "상여금", "연금"),
    "unit_price": ("가격", "요금", "판매가", "분양가", "이용료", "입장료", "수수료", "1인당", "개당", "건당", "원당",
                   "회비", "참가비", "수강료", "구독료", "운임", "적립", "대당", "평당", "㎡당", "시간당", "회당", "톤당"),
    "market_size": ("시장 규모", "시장규모", "수출", "거래액", "거래대금", "생산액", "판매액"),
    "fine": ("과징금", "벌금", "과태료", "손해배상", "피해액", "손실액", "체납"),
    "private_round": ("시리즈", "프리A", "시드 투자", "투자를 유치", "투자 유치에 성공"),
    "prize": ("상금", "시상금", "포상금"),
    "tax": ("세수", "세금", "법인세", "지방세", "세액", "세수입"),
    "debt": ("부채", "채무"),
    "savings": ("절감액", "절감 효과", "절감효과", "절약액"),
    "economic_effect": ("경제효과", "경제 효과", "파급효과", "파급 효과", "유발효과", "유발 효과", "생산유발", "부가가치"),
}
# read right after the amount ('2,130억원에 거래', '16조원의 경제 효과', '43억 원)어치', '4조원 규모로 커질'); these hold even
# next to a funding cue ('공공 부문에서 3,100억원의 매출을 올렸다': 공공 is where, not who pays)
_REJECT_AFTER: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("revenue", re.compile(r"^\s*(?:가량|정도|안팎|수준|내외)?\s*(?:의|에\s*달하는|에\s*이르는)?\s*"
                           r"(?:연\s*)?(?:매출|영업이익|순이익|수익|실적)")),
    ("market_value", re.compile(r"^\s*(?:에|으로|로|까지|선을|선)\s*(?:거래|마감|장을|출발|치솟|올라|뛰어|내려|밀려|떨어|하락|"
                                r"상승|급등|급락|넘어|돌파|상향|하향)")),
    ("economic_effect", re.compile(r"^\s*(?:가량|정도|안팎|이상)?\s*(?:에\s*(?:이르는|달하는)|의|가량의)?\s*"
                                   r"(?:[가-힣]{1,4}\s*)?(?:유발\s*)?(?:효과|파급)")),
    ("in_kind", re.compile(r"^\s*[)）]?\s*어치")),
    ("savings", re.compile(r"^\s*(?:가량|정도|이상)?\s*(?:의|을|를|이|가)?\s*(?:[가-힣]+\s*){0,2}?(?:절감|절약|아낄|아끼|줄일|줄이)")),
)
# the amount is the subject of a market's growth ('국내 디지털트윈 시장이 2030년 4조원 규모로 커질 전망')
_MARKET_BEFORE_RE = re.compile(r"시장(?:이|은|는|의|도)\s")
_MARKET_AFTER_RE = re.compile(r"^\s*(?:규모|대)?\s*(?:로|으로|에|까지)?\s*(?:커지|커질|커졌|성장|확대|늘어|증가|팽창|이를|달할|육박)")
# money misused, clawed back or wasted (audit findings), not a budget
_MISUSE_RE = re.compile(r"부정\s*수급|부당\s*(?:집행|지급|수령|사용)|환수|횡령|엉터리|낭비(?:됐|된|했|한)|"
                        r"부적정|목적\s*외\s*사용")
# a change between two figures: '30억 원 늘어난', '20억 원 줄어든', '10억 원 증액된'
_CHANGE_AFTER_RE = re.compile(r"^\s*(?:가량|정도)?\s*(?:이|가|을|를|이나|나)?\s*(?:더\s*)?(?:늘어|늘었|늘린|늘려|증가|증액|"
                              r"줄어|줄었|줄인|줄여|감소|삭감|감액|많은|적은|많아|적어|불어|확대된|축소된)")
_COMPARED_BEFORE_RE = re.compile(r"(?:보다|대비|비해|比|견줘|비교해)\s*(?:약\s*)?$")
_AMOUNT_SOON_RE = re.compile(r"\d\s*(?:억|조|만)?\s*원|\d\s*(?:억|조)")
# a correction notice quotes the wrong figure: '총사업비를 120억 원이라고 보도했습니다', '…로 잘못 표기했다'
_SUPERSEDED_RE = re.compile(r"(?:이?라고|으?로)\s*(?:잘못\s*)?(?:보도|기재|표기|게재|안내|발표)(?:했|됐|하였|되었|한\s)|"
                            r"잘못\s*(?:보도|기재|표기|게재|알려|전해)")
_MANY_FIRMS_RE = re.compile(r"\d+\s*(?:개\s*)?(?:기업|개사|업체|회사)")
_ATTRACTION_RE = re.compile(r"투자\s*(?:유치|협약|양해각서|MOU)|(?:유치|협약|양해각서|MOU)[^.]{0,20}투자")
# a supposed amount, not a stated one: '만약 국비 100억 원이 지원된다면', '100억 원을 받더라도'
_HYPOTHETICAL_RE = re.compile(r"만약|만일|가령|가정하면|가정할\s*때")
_HYPOTHETICAL_AFTER_RE = re.compile(r"^[^.,]{0,20}?(?:(?:는|한|된|받는|있|었|였|였|했|됐)다면|이라면|라면|더라도)(?![가-힣])")
_EVIDENCE_TOTALS = frozenset({"총사업비", "사업비", "총예산", "총액"})
_SMALL_AMOUNT = 10**7  # under 1,000만 원 without a funding source: a price, fee or allowance, not a project budget
_SHARE_RE = re.compile(
    r"(?P<terms>[가-힣·]+(?:\s*(?:과|와|,|및)\s*[가-힣·]+)+)\s*(?:이|가|은|는)?\s*(?:각각|각)\s*"
    r"(?P<pcts>\d+(?:\.\d+)?\s*%(?:\s*(?:,|와|과|및|대)\s*\d+(?:\.\d+)?\s*%)+)"
)
_MATCHING_RE = re.compile(r"1\s*[:：대]\s*1\s*(?:로\s*|의\s*|)?(?:대응\s*)?매칭")
_BARE_ANAPHOR_RE = re.compile(r"(?<![가-힣])(?P<k>시|군|구|도)(?:는|은|가|이|도)\s")


_SPACE_RE = re.compile(r"\s+")


def _squash(s: str) -> str:
    return _SPACE_RE.sub("", s)


@dataclass(frozen=True)
class FundingTerm:
    term: str
    funding_source: str
    key: str = field(init=False, repr=False, compare=False)  # the term without spaces (read per amount per term)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", _squash(self.term))


@lru_cache(maxsize=1)
def funding_terms() -> tuple[FundingTerm, ...]:
    """The funding-source dictionary (dbt seed), longest term first."""
    with FUNDING_TERMS_CSV.open(encoding="utf-8") as fh:
        rows = [FundingTerm(r["term"].strip(), r["funding_source"].strip()) for r in csv.DictReader(fh)]
    return tuple(sorted(rows, key=lambda t: -len(t.key)))


@lru_cache(maxsize=1)
def _squashed_terms() -> dict[str, str]:
    """squashed spelling → seed spelling of every funding term (`시·군비` → `시·군비`)."""
    return {t.key: t.term for t in funding_terms()}


@dataclass
class _Amount:
    start: int
    end: int
    value: int
    cue: str | None = None
    cue_start: int | None = None
    cue_rank: int = 9  # 1 before, 2 after, 3 subject actor, 4 trailing 규모
    is_budget: bool = True
    reject_reason: str | None = None
    list_no: int | None = None
    is_list_total: bool = False
    also_cues: list[str] = field(default_factory=list)  # 'A와 B를 N원씩': one written row per source

    @property
    def adjacent_start(self) -> int:
        return self.cue_start if self.cue_rank == 1 and self.cue_start is not None else self.start


# ---------------------------------------------------------------- cues

# a funding term + a money noun is still that source: 민간부담금, 국비 지원금, 시비 분담분, 정부 예산, 민간 투자금
_SOURCE_MONEY_SUFFIX_RE = re.compile(
    r"(?:부담금|부담액|부담분|부담|분담금|분담액|분담분|분담|출자금|출연금|투자금|투자액|보조금|지원금|지원액|"
    r"자금|재원|예산|매칭금|매칭액|매칭|지원규모|예산규모|투자규모|지원|지원비|교부금|교부액|보조|출연|출자액|출자|투자|투입액|투입|"
    r"확보액|확보분|배정액|편성액)$"
)


def _term_ending(ctx: str) -> tuple[FundingTerm, int] | None:
    """The funding term `ctx` ends with (spaces ignored), with its start offset in ctx; a term followed by a
    money noun (`민간부담금`, `국비 지원금`, `정부 예산`) counts as that term."""
    hit = _plain_term_ending(ctx)
    if hit is not None and hit[0].funding_source != "total":
        return hit
    sourced = _sourced_money_noun(ctx)  # '국비 지원 규모는 50억': the source before the size word decides
    return sourced if sourced is not None else hit


def _sourced_money_noun(ctx: str, depth: int = 0) -> tuple[FundingTerm, int] | None:
    squashed = _squash(ctx)
    suffix = _SOURCE_MONEY_SUFFIX_RE.search(squashed)
    if suffix is None:
        return None
    core, need, i = squashed[: suffix.start()], len(squashed) - suffix.start(), len(ctx)
    while need and i > 0:  # cut the suffix off ctx (spaces inside it ignored)
        i -= 1
        if not ctx[i].isspace():
            need -= 1
    head = ctx[:i].rstrip()
    hit = _plain_term_ending(head) if core else None
    if hit is None and core:  # '민간기업 투자 100억', '민간 사업자 부담 20억': the actor noun after the source word
        actor = _ACTOR_NOUN_END_RE.search(head)
        hit = _plain_term_ending(head[: actor.start()]) if actor and actor.start() > 0 else None
    if hit is None and core and depth == 0:  # '정부 지원 예산 100억': two money nouns after the source word
        hit = _sourced_money_noun(head, depth + 1)
    if hit is None or hit[0].funding_source == "total":
        return None  # '사업비 예산', '총 예산' are not sources
    return hit


def _plain_term_ending(ctx: str) -> tuple[FundingTerm, int] | None:
    squashed = _squash(ctx)
    for term in funding_terms():
        if not squashed.endswith(term.key):
            continue
        # map back to an offset in ctx: walk back over len(term.key) non-space characters
        need, i = len(term.key), len(ctx)
        while need and i > 0:
            i -= 1
            if not ctx[i].isspace():
                need -= 1
        before = ctx[i - 1] if i > 0 else ""
        if len(term.key) <= 2 and re.match(r"[가-힣A-Za-z0-9]", before):
            continue
        return term, i
    return None


def _cue_before(text: str, bound: int, start: int) -> tuple[str, int] | None:
    ctx = text[bound:start]
    for _ in range(6):
        ctx = ctx.rstrip()
        if not ctx:
            return None
        hit = _term_ending(ctx)
        if hit and hit[0].term in ("총", "전체"):
            # '국비 총 160억': the source word before 총 decides
            deeper = _cue_before(text, bound, bound + hit[1])
            if deeper and deeper[0] not in _TOTAL_WORDS:
                return deeper
        if hit:
            return hit[0].term, bound + hit[1]
        stripped = _FILLER_RE.sub("", ctx)
        if stripped == ctx:
            stripped = _PARTICIPLE_RE.sub("", ctx)
            if stripped == ctx:
                return None
        ctx = stripped
    return None


def _cue_after(text: str, end: int) -> str | None:
    after = text[end: end + 14]
    after = re.sub(r"^\s*(?:원)?\s*(?:의|인|을|를)?\s*", "", after)
    squashed = _squash(after)
    for term in funding_terms():
        if squashed.startswith(term.key):
            return term.term
    return None


# a source term may name its actor through a generic noun: '민간 사업자가', '민간 기업들이', '정부 부처가'
_ACTOR_NOUNS = r"(?:사업자|사업체|기업들?|업체들?|투자자들?|투자사|자본|부문|부처|쪽|측)"
_ACTOR_NOUN = rf"(?:\s*{_ACTOR_NOUNS})?"
_ACTOR_NOUN_END_RE = re.compile(rf"\s*{_ACTOR_NOUNS}$")


@lru_cache(maxsize=1)
def _actor_re() -> re.Pattern[str]:
    terms = "|".join(re.escape(t.term) for t in funding_terms() if t.term not in _TOTAL_WORDS)
    return re.compile(rf"(?<![가-힣·])({terms}){_ACTOR_NOUN}(?:은|는|이|가|에서|도)(?![가-힣])")


def _subject_actor(text: str, start: int) -> str | None:
    """The last uncoordinated source actor before the amount (`정부는 … 265억원을`, `민간 사업자가 … 800억원을`)."""
    head = text[:start]
    found: tuple[str, int] | None = None
    for m in _actor_re().finditer(head):
        if re.search(r"(?:와|과|및|,)\s*$", head[: m.start()]):
            continue  # '정부와 민간이': joint money
        if found is None or m.start() > found[1]:
            found = (m.group(1), m.start())
    return found[0] if found else None


_LOCAL_LEVEL = r"[가-힣]{0,6}(?:도|시|군|구)"
# the payer named right after the amount as its topic: '800억원은 민간 사업자가 투자한다', '나머지 12억원은 경남도와 군이
# 분담한다' (two local governments together → 지방비)
_PAYER_AFTER_RE = re.compile(r"^\s*(?:원\s*)?(?:은|는|을|를)\s*(?:전액\s*|모두\s*)?(?P<who>[가-힣·]+?)" + _ACTOR_NOUN
                             + r"(?:이|가|에서)\s")
_LOCAL_PAIR_AFTER_RE = re.compile(rf"^\s*(?:원\s*)?(?:은|는|을|를)\s*{_LOCAL_LEVEL}\s*(?:와|과|및|,)\s*{_LOCAL_LEVEL}"
                                  r"\s*(?:이|가)\s[^.]{0,20}?(?:분담|부담|나눠|나누어|매칭|마련)")


def _payer_after(text: str, end: int) -> str | None:
    after = text[end: end + 40]
    m = _PAYER_AFTER_RE.match(after)
    if m:
        known = {t.term for t in funding_terms() if t.term not in _TOTAL_WORDS}
        if m.group("who") in known:
            return m.group("who")
    if _LOCAL_PAIR_AFTER_RE.match(after):
        return "지방비"
    return None


_EACH_AFTER_RE = re.compile(r"^\s*(?:원\s*)?씩")
_EACH_BEFORE_RE = re.compile(r"(?:각각|각)\s*(?:약\s*)?$")
_COORD_SEP_RE = re.compile(r"\s*(?:와|과|,|，|및|·|그리고)\s*$")


def _coordinated_terms(text: str, bound: int, a: _Amount) -> list[str]:
    """`도비와 시비를 38억 원씩`, `국비와 지방비 각각 50억 원`: the source terms coordinated before the cue term, when
    the amount is said per source (씩 after it, 각각/각 before it); else none (`국비와 시비 100억` is joint money)."""
    if a.cue_start is None or a.cue in _TOTAL_WORDS:
        return []
    if not (_EACH_AFTER_RE.match(text[a.end:]) or _EACH_BEFORE_RE.search(text[a.cue_start: a.start])):
        return []
    out: list[str] = []
    pos = a.cue_start
    while True:
        sep = _COORD_SEP_RE.search(text[bound:pos])
        if not sep:
            break
        hit = _plain_term_ending(text[bound: bound + sep.start()])
        if hit is None or hit[0].term in _TOTAL_WORDS:
            break
        out.insert(0, hit[0].term)
        pos = bound + hit[1]
    return [t for t in out if t != a.cue]


def _assign_cue(a: _Amount, text: str, bound: int) -> None:
    before = _cue_before(text, bound, a.start)
    if before:
        a.cue, a.cue_start, a.cue_rank = before[0], before[1], 1
        a.also_cues = _coordinated_terms(text, bound, a)
        return
    after = _cue_after(text, a.end)
    if after and after != "규모":
        a.cue, a.cue_rank = after, 2
        return
    payer = _payer_after(text, a.end)
    if payer:
        a.cue, a.cue_rank = payer, 2
        return
    actor = _subject_actor(text, a.start)
    if actor:
        a.cue, a.cue_rank = actor, 3
        return
    if after == "규모":
        a.cue, a.cue_rank = after, 4


def _prefer_actor_over_bare_total(amounts: list[_Amount], text: str) -> None:
    """`정부는 올해 총 1,200억 원을 편성했다`: a lone 총/전체 is a quantity word, the spender decides.
    Amounts in a list keep 총 (`국비 …, 지방비 … 등 총 380억 원` is the list total)."""
    for a in amounts:
        if a.cue in ("총", "전체") and a.list_no is None:
            actor = _subject_actor(text, a.start)
            if actor:
                a.cue, a.cue_rank = actor, 3


# ---------------------------------------------------------------- money or not

_FOREIGN_BEFORE_RE = re.compile(r"(?:US\s?\$|\$|USD|US달러|미화|€|EUR|£|GBP|¥|JPY|CNY|RMB)\s*$")
_FOREIGN_AFTER_RE = re.compile(r"^\s*(?:여\s*)?(?:달러|유로|위안|파운드|엔화|엔(?![가-힣]))")
# a won figure glossing a foreign amount: '300만 달러(약 43억 원)', 'US$ 5억(한화 약 6,500억 원)'
_GLOSS_RE = re.compile(r"^\s*(?:여\s*)?(?:달러|유로|위안|파운드|엔화|엔)?\s*[(（]\s*(?:한화|원화)?\s*(?:로\s*)?(?:약|환산\s*)?\s*$")


def _is_counted_thing(text: str, a: _Amount) -> bool:
    return not has_won(text[a.start: a.end]) and bool(_COUNTER_RE.match(text[a.end:]))


def _is_foreign(text: str, a: _Amount) -> bool:
    """A dollar/euro/yen amount (`US$ 5억`, `5억 달러`): the contract's amounts are won, and no rate is assumed."""
    if has_won(text[a.start: a.end]):
        return False
    return bool(_FOREIGN_BEFORE_RE.search(text[max(0, a.start - 6): a.start]) or _FOREIGN_AFTER_RE.match(text[a.end:]))


def _is_source_cue(a: _Amount) -> bool:
    return a.cue is not None and a.cue not in _TOTAL_WORDS


# a non-budget word that is only the topic of a programme: '수출 지원 사업에 50억 원', '요금 감면 예산 10억 원'
_PROGRAMME_OF_RE = re.compile(r"^[가-힣]{0,2}\s*(?:[가-힣]{1,4}\s*)?(?:지원|사업|예산|보조|육성|감면|안정|활성화|보전)")


def _names_the_money(before: str, word: str) -> bool:
    i = before.find(word)
    while i >= 0:
        if not _PROGRAMME_OF_RE.match(before[i + len(word):]):
            return True
        i = before.find(word, i + 1)
    return False


def _reject_reason(text: str, a: _Amount, bound: int) -> str | None:
    after = text[a.end: a.end + 24]
    for reason, pattern in _REJECT_AFTER:
        if pattern.match(after):
            return reason
    if _MISUSE_RE.search(text[max(bound, a.start - 22): a.end + 30]):
        return "misuse"  # '200억 원이 넘는 보조금이 엉터리로 쓰였다', '국비 3억원을 목적 외 사용'
    if a.cue_rank in (1, 2) and _is_source_cue(a):
        return None
    before = text[max(bound, a.start - 22): a.start]
    near_after = text[a.end: a.end + 8]
    for reason, words in _REJECT_WORDS.items():
        if any(w in near_after or _names_the_money(before, w) for w in words):
            return reason
    if _MARKET_BEFORE_RE.search(text[max(0, a.start - 30): a.start]) and _MARKET_AFTER_RE.match(after):
        return "market_size"
    if _CHANGE_AFTER_RE.match(after) and (_COMPARED_BEFORE_RE.search(text[max(0, a.start - 25): a.start])
                                          or _AMOUNT_SOON_RE.search(text[a.end: a.end + 30])):
        return "delta"  # '지난해보다 30억 원 늘어난 150억 원': the change, not the budget
    if _MANY_FIRMS_RE.search(text[max(0, a.start - 40): a.start]) and _ATTRACTION_RE.search(text):
        return "investment_attraction"  # '23개 기업과 1조2천억원 규모의 투자협약': the sum of many firms' pledges
    return None


_PROJECT_RE = re.compile(r"사업|프로젝트|펀드")
_SIZED_AFTER_RE = re.compile(r"^\s*(?:원\s*)?(?:짜리|대의?|상당의?)\s*[^.,]{0,20}?(?:사업|프로젝트)")
_APPOSITION_RE = re.compile(r"(?:사업|프로젝트)[’'\"”」』]?\s*[(（][^()（）]{0,40}$")


def _project_sized(text: str, a: _Amount) -> bool:
    """The amount sizes a named project: `3,000억 원 규모의 예비타당성조사 사업`, `선도사업(2024∼2026년, 227억 원)`."""
    if a.cue == "규모" and _PROJECT_RE.search(text[max(0, a.start - 30): a.end + 30]):
        return True
    if _SIZED_AFTER_RE.match(text[a.end: a.end + 30]):
        return True  # '120억 원짜리 사업', '50억 원대 프로젝트'

    return bool(_APPOSITION_RE.search(text[max(0, a.start - 60): a.start]))


def _not_project_money(amounts: list[_Amount], text: str) -> None:
    """Decide for every amount still a budget whether its context says it is project money (precision first):
    a funding source (`국비`, `정부는 … 투입`), a cost word (`총사업비`), a list with a source in it, or a money word
    near it (투입, 지원, 예산, 들여, …); else it is left out as `no_money_context`. Without a source, an amount under
    1,000만 원 is a price or fee (`small_amount`); every amount of a correction that quotes a wrong figure is out, and
    so is a supposed amount (`만약 …`, `… 지원된다면`, `… 받더라도`: `hypothetical`)."""
    superseded = bool(_SUPERSEDED_RE.search(text))
    listed_with_source = {a.list_no for a in amounts if a.list_no is not None and _is_source_cue(a)}
    for a in amounts:
        if not a.is_budget:
            continue
        sourced = _is_source_cue(a) or a.also_cues
        if superseded:
            a.reject_reason = "superseded"
        elif _HYPOTHETICAL_RE.search(text[: a.start]) or _HYPOTHETICAL_AFTER_RE.match(text[a.end: a.end + 24]):
            a.reject_reason = "hypothetical"
        elif not sourced and a.value < _SMALL_AMOUNT:
            a.reject_reason = "small_amount"
        elif not (sourced or a.cue in _EVIDENCE_TOTALS or a.list_no in listed_with_source
                  or _MONEY_CONTEXT_RE.search(text[max(0, a.start - 40): a.end + 30])
                  or _project_sized(text, a)):
            a.reject_reason = "no_money_context"
        a.is_budget = a.reject_reason is None


# ---------------------------------------------------------------- lists

_SEP_RE = re.compile(r"\s*(?:,|，|·|와|과|및|에|에다|,?\s*그리고)\s*")
_CLOSE_RE = re.compile(
    r"\s*(?:원\s*)?(?:,\s*)?(?:"
    r"등\s*(?:[을를]\s*(?:합쳐|포함해|포함하여|더해)\s*)?(?:모두|총|합계|전체|합쳐서?)?"  # … 등 (총) 325억
    r"|(?:[을를]\s*)?(?:합쳐|합친|합한|합하면|포함해|포함하여|더해|더하면|더한)\s*(?:모두|총|합계|전체)?"  # … 을 더해 모두 100억
    r"|(?:모두|합계|총)(?=\s)"  # … , 모두 100억
    r")\s*"
)
_TOTAL_FIRST_RE = re.compile(r"\s*(?:[(（]|중\s|가운데\s|,\s*이\s*중\s)\s*")


def _mark_lists(amounts: list[_Amount], text: str, next_list_no: int) -> int:
    run: list[_Amount] = []

    def flush() -> None:
        nonlocal next_list_no
        if len(run) >= 2:
            for a in run:
                a.list_no = next_list_no
            next_list_no += 1
        run.clear()

    for a in amounts:
        if not run:
            run.append(a)
            continue
        prev = run[-1]
        gap = text[prev.end: a.adjacent_start]
        if len(run) == 1 and _TOTAL_FIRST_RE.fullmatch(gap) and (prev.cue in _TOTAL_WORDS or prev.cue is None):
            prev.is_list_total = True
            run.append(a)
        elif _SEP_RE.fullmatch(gap) and not (a.cue in _LIST_CLOSERS and len(run) >= 2):
            run.append(a)
        elif len(run) >= 2 and not run[0].is_list_total and (
                _CLOSE_RE.fullmatch(gap) or (_SEP_RE.fullmatch(gap) or not gap.strip()) and a.cue in _LIST_CLOSERS):
            a.is_list_total = True
            run.append(a)
            flush()
        else:
            flush()
            run.append(a)
    flush()
    return next_list_no


# ---------------------------------------------------------------- derived rows

def _split_terms(chunk: str) -> list[str]:
    words = [w for w in re.split(r"\s*(?:과|와|,|및)\s*", chunk) if w]
    known = {t.term for t in funding_terms()}
    if words and words[-1] not in known:
        words[-1] = re.sub(r"(?:이|가|은|는)$", "", words[-1])
    return [w for w in words if w in known]


def _share_rows(text: str, amounts: list[_Amount]) -> list[tuple[_Amount, str, float, int]]:
    out: list[tuple[_Amount, str, float, int]] = []
    for m in _SHARE_RE.finditer(text):
        terms = _split_terms(m.group("terms"))
        pcts = [float(p) for p in re.findall(r"(\d+(?:\.\d+)?)\s*%", m.group("pcts"))]
        if len(terms) != len(pcts) or len(terms) < 2:
            continue
        base = next((a for a in amounts if a.start >= m.end() and a.is_budget), None)
        base = base or next((a for a in reversed(amounts) if a.end <= m.start() and a.is_budget), None)
        if base is None:
            continue
        for term, pct in zip(terms, pcts):
            out.append((base, term, pct, round(base.value * pct / 100)))
    return out


def _matching_rows(text: str, amounts: list[_Amount]) -> list[tuple[_Amount, str]]:
    m = _MATCHING_RE.search(text)
    if not m:
        return []
    national = {t.term for t in funding_terms() if t.funding_source == "national"}
    base = next((a for a in amounts if a.cue in national and a.is_budget), None)
    if base is None:
        return []
    window = text[max(0, m.start() - 12): m.end() + 12]
    partner = next((t.term for t in funding_terms()
                    if t.funding_source in ("provincial", "municipal", "local") and t.term in window), "지방비")
    if any(a.cue == partner for a in amounts):
        return []  # the matching side is stated: nothing to derive
    return [(base, partner)]


# ---------------------------------------------------------------- period, programme, recipient

def _programme_year(sentences: list[Sentence], idx: int, published_at: datetime | None) -> int | None:
    """The year of a `YYYY년 … 사업` phrase: this sentence, then the ones before it (nearest first), then after."""
    order = [idx] + list(range(idx - 1, -1, -1)) + list(range(idx + 1, len(sentences)))
    for i in order:
        year = analysis_of(sentences[i].text).programme_year
        if year is not None:
            return year
    return published_at.year if published_at else None


def _period(text: str, programme_year: int | None) -> tuple[int | None, int | None]:
    m = re.search(r"(?<!\d)((?:19|20)\d{2})\s*년?\s*[~∼〜\-–]\s*((?:19|20)?\d{2})\s*년", text)
    if m:
        end = int(m.group(2))
        return int(m.group(1)), end if end > 100 else 2000 + end
    m = re.search(r"(?<!\d)((?:19|20)\d{2})\s*년\s*부터\s*((?:19|20)\d{2})\s*년\s*까지", text)
    if m:
        return int(m.group(1)), int(m.group(2))
    m = re.search(r"(?<!\d)((?:19|20)\d{2})\s*년\s*까지", text)
    if m:
        return None, int(m.group(1))
    m = re.search(r"(?<![\d.])(\d{1,2})\s*(?:년간|년\s*동안|개년)", text)
    if m:
        if programme_year is None:
            return None, None
        return programme_year, programme_year + int(m.group(1)) - 1
    m = re.search(r"(?<!\d)((?:19|20)\d{2})\s*년(?:에|도에|도\s)", text)
    if m:
        return int(m.group(1)), int(m.group(1))
    return None, None


def _program(sentences: list[Sentence], idx: int, amount_end: int) -> str | None:
    phrases = analysis_of(sentences[idx].text).programmes
    after = [p for p in phrases if p[0] >= amount_end]
    if after:
        return after[0][2]
    if phrases:
        return phrases[-1][2]
    for j in (idx - 1, idx - 2, idx + 1):
        if 0 <= j < len(sentences):
            found = analysis_of(sentences[j].text).programmes
            if found:
                return found[-1][2]
    return None


_SUBJECT_PARTICLES = frozenset({"는", "은", "가", "이"})


def _recipient(sentences: list[Sentence], idx: int) -> str | None:
    text = sentences[idx].text
    named = analysis_of(text).local_governments
    subjects = [name for _, name, particle in named if particle in _SUBJECT_PARTICLES]
    if subjects:
        return subjects[0]
    if named:
        return named[-1][1]
    m = _BARE_ANAPHOR_RE.search(text)
    if m:
        suffix = m.group("k")
        for j in range(idx - 1, -1, -1):
            for _, name, _ in reversed(analysis_of(sentences[j].text).local_governments):
                if name.endswith(suffix):
                    return name
    for j in (idx - 1, idx - 2):
        if j >= 0:
            named = analysis_of(sentences[j].text).local_governments
            subjects = [name for _, name, particle in named if particle in _SUBJECT_PARTICLES]
            if subjects or named:
                return (subjects or [named[-1][1]])[0]
    return None


# ---------------------------------------------------------------- per sentence

_BIG_UNITS = (("조", 10**12), ("억", 10**8), ("만", 10**4))
_BARE_PART_NUM = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_BARE_PART_END = r"(?=\s*(?:[,，·、)）]|(?:과|와|및|으로|로|을|를|이|가)?\s*(?:[,，)）]|$)|\s+(?:등|과|와|및)\s))"


@lru_cache(maxsize=1)
def _bare_part_re() -> re.Pattern[str]:
    terms = "|".join(re.escape(t.term) for t in funding_terms() if t.funding_source != "total")
    return re.compile(rf"(?<![가-힣·])(?:{terms})\s*(?:약\s*)?{_BARE_PART_NUM}(?![\d%]|[.,]\d|\s*[%년월일개명곳건대억조만천백원])"
                      + _BARE_PART_END)


def _with_shared_unit_parts(text: str, found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Parts written without their unit next to an amount that has it: `총사업비 60억원(국비 30, 지방비 30)`,
    `국비 30, 지방비 30억원` → the parts take the unit (억) of the nearest amount within 40 characters."""
    if not found or not any(ch.isdigit() for ch in text):
        return found
    extra: list[tuple[int, int, int]] = []
    for m in _bare_part_re().finditer(text):
        start, end = m.start(1), m.end(1)
        if any(a <= start < b for a, b, _ in found):
            continue
        near = min(found, key=lambda f: min(abs(f[0] - end), abs(start - f[1])))
        if min(abs(near[0] - end), abs(start - near[1])) > 40:
            continue
        surface = text[near[0]: near[1]]
        unit = next((v for u, v in reversed(_BIG_UNITS) if u in surface), None)
        if unit is None:
            continue
        try:
            value = int(float(m.group(1).replace(",", "")) * unit)
        except ValueError:
            continue
        if value > 0:
            extra.append((start, end, value))
    return sorted(found + extra) if extra else found


def _amounts_in(text: str) -> list[_Amount]:
    out: list[_Amount] = []
    bound = 0
    foreign: tuple[int, str | None] | None = None  # (end, cue) of the last foreign-currency amount
    for start, end, value in _with_shared_unit_parts(text, analysis_of(text).amounts):
        a = _Amount(start, end, value)
        if _is_foreign(text, a):
            before = _cue_before(text, bound, start)
            foreign = (end, before[0] if before else None)
            bound = end
            continue
        if _is_counted_thing(text, a):
            bound = end
            continue
        _assign_cue(a, text, bound)
        if foreign and a.cue_rank >= 3 and _GLOSS_RE.match(text[foreign[0]: start]) and foreign[1]:
            a.cue, a.cue_rank = foreign[1], 1  # the gloss is the same money: it keeps the foreign amount's source
        if a.cue is None and not has_won(text[start:end]) and (
                value < 10**8 or not _MONEY_CONTEXT_RE.search(text[max(0, start - 30): end + 30])):
            bound = end  # '30만 시민', '인구 50만': a bare 만-amount needs a cue, a bare 억/조 a money word
            continue
        a.reject_reason = _reject_reason(text, a, bound)
        a.is_budget = a.reject_reason is None
        out.append(a)
        bound = end
    return out


def find_money_mentions(sentences: list[Sentence], published_at: datetime | None = None) -> list[MoneyMention]:
    """Money mentions of an article (Kiwi runs only on sentences that hold an amount)."""
    out: list[MoneyMention] = []
    next_list_no = 1
    tables: dict[int, list[TableAmount]] = {}
    for t in table_amounts(sentences, _squashed_terms()):
        tables.setdefault(t.sentence_no, []).append(t)
    table_lists: dict[int, int] = {}
    for idx, sentence in enumerate(sentences):
        text = sentence.text
        if idx in tables:
            for n, t in enumerate(tables[idx]):
                if t.row not in table_lists:
                    table_lists[t.row], next_list_no = next_list_no, next_list_no + 1
                out.append(MoneyMention(
                    sentence_no=sentence.sentence_no, mention_no=n, surface=t.surface, amount_krw=t.value,
                    cue=t.cue, list_no=table_lists[t.row], is_list_total=t.is_total,
                    program=t.label if any(h in t.label for h in PROGRAM_HEADS) else None))
            continue
        amounts = _amounts_in(text)
        if not amounts:
            continue
        next_list_no = _mark_lists(amounts, text, next_list_no)
        _prefer_actor_over_bare_total(amounts, text)
        _not_project_money(amounts, text)
        start_year, end_year = _period(text, _programme_year(sentences, idx, published_at))
        recipient = _recipient(sentences, idx)
        rows: list[MoneyMention] = []

        def row(a: _Amount, **kw) -> MoneyMention:
            base = dict(sentence_no=sentence.sentence_no, mention_no=len(rows),
                        surface=text[a.adjacent_start: a.end].strip(), amount_krw=a.value, cue=a.cue,
                        list_no=a.list_no, is_list_total=a.is_list_total,
                        program=_program(sentences, idx, a.end) if a.is_budget else None,
                        recipient=recipient if a.is_budget else None,
                        period_start_year=start_year if a.is_budget else None,
                        period_end_year=end_year if a.is_budget else None,
                        is_budget=a.is_budget, reject_reason=a.reject_reason)
            base.update(kw)
            return MoneyMention(**base)

        for a in amounts:
            rows.append(row(a))
        for a in amounts:
            for cue in a.also_cues:
                rows.append(row(a, cue=cue, surface=f"{cue} {text[a.start: a.end].strip()}"))
        for base, term, pct, value in _share_rows(text, amounts):
            if base.list_no is None:
                base.list_no, next_list_no = next_list_no, next_list_no + 1
                rows[amounts.index(base)].list_no = base.list_no
            rows[amounts.index(base)].is_list_total = True
            rows.append(row(base, surface=f"{term} {pct:g}%", amount_krw=value, cue=term, share_pct=pct,
                            is_derived=True, is_list_total=False, list_no=base.list_no))
        for base, partner in _matching_rows(text, amounts):
            rows.append(row(base, surface=f"{partner} 1:1 매칭", cue=partner, is_derived=True,
                            is_list_total=False))
        out.extend(rows)
    return out
