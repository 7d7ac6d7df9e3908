"""The organisation dictionaries and closed word classes the org/partnership grammar uses.

Curated dictionaries are dbt seeds (one source of truth, also loaded into the warehouse), read once at import:

* ``org_aliases.csv`` (alias, canonical_name) and ``org_types.csv`` (name, org_type): known names — a word
  that equals one of them is an organisation without further evidence;
* ``org_suffix_rules.csv`` (suffix, org_type, priority): name endings (…진흥원, …대학교, …협회, …은행);
* ``local_governments.csv`` (name, short_name, level, parent): all 광역/기초 local governments; the only way
  a word ending in 시/군/구/도 becomes an organisation, and the source of bare short names (전주는 → 전주시);
* ``generic_org_nouns.csv`` (term): generic nouns that are never an organisation (글로벌 기업, 지자체, AI).

Closed grammatical classes (person titles, surnames, particles) are small and stable; they live here.
"""
from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ...settings import SEEDS_DIR


def _rows(name: str) -> list[dict[str, str]]:
    with open(SEEDS_DIR / name, encoding="utf-8", newline="") as f:
        return [{k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(f)]


@lru_cache(maxsize=16384)  # the same words come back in every article (a pure function of the text)
def squash(s: str) -> str:
    """Matching key used inside the extractor: NFKC, no spaces or middle dots, lower-case Latin."""
    s = unicodedata.normalize("NFKC", s).lower()
    for ch in " \t·ㆍ‧.":
        s = s.replace(ch, "")
    return s


@dataclass(frozen=True)
class LocalGovernment:
    name: str
    short_name: str
    level: str
    parent: str

    @property
    def kind(self) -> str:
        """The anaphor that refers back to it: 시 / 군 / 구 / 도."""
        return self.name[-1]


_LEGAL_MARKERS = ("(주)", "㈜", "주식회사")  # suffix rules that match anywhere in the word


@dataclass(frozen=True)
class SuffixRule:
    suffix: str
    org_type: str
    priority: int


class OrgLexicon:
    def __init__(self) -> None:
        self.aliases: dict[str, str] = {r["alias"]: r["canonical_name"] for r in _rows("org_aliases.csv")}
        self.types: dict[str, str] = {r["name"]: r["org_type"] for r in _rows("org_types.csv")}
        self.suffix_rules: list[SuffixRule] = sorted(
            (SuffixRule(r["suffix"], r["org_type"], int(r["priority"] or 9)) for r in _rows("org_suffix_rules.csv")),
            key=lambda r: (r.priority, -len(r.suffix)),
        )
        self.local_governments: list[LocalGovernment] = [
            LocalGovernment(r["name"], r["short_name"], r["level"], r["parent"]) for r in _rows("local_governments.csv")
        ]
        self.generic: set[str] = {squash(r["term"]) for r in _rows("generic_org_nouns.csv")}
        known = set(self.aliases) | set(self.aliases.values()) | set(self.types)
        self.known: set[str] = {squash(n) for n in known}
        self.lg_by_name: dict[str, LocalGovernment] = {}
        self.lg_by_short: dict[str, list[LocalGovernment]] = {}
        for lg in self.local_governments:
            self.lg_by_name.setdefault(lg.name, lg)
            self.lg_by_short.setdefault(lg.short_name, []).append(lg)

    def is_generic(self, name: str) -> bool:
        return squash(name) in self.generic

    def is_known(self, name: str) -> bool:
        return squash(name) in self.known

    def local_government(self, name: str) -> LocalGovernment | None:
        return self.lg_by_name.get(name)

    def suffix_rule(self, word: str) -> SuffixRule | None:
        """The first rule in `suffix_rules` order that the word ends with (a legal-form marker: contains) and is
        longer than. Looked up by the word's endings, not by trying every rule."""
        best: int | None = None
        for k in range(1, min(len(word), self._longest_suffix + 1)):
            i = self._rule_by_ending.get(word[-k:])
            if i is not None and (best is None or i < best):
                best = i
        for i, marker in self._marker_rules:
            if (best is None or i < best) and marker in word and len(word) > len(marker):
                best = i
        return None if best is None else self.suffix_rules[best]

    @cached_property
    def _rule_by_ending(self) -> dict[str, int]:
        """Suffix → the position of its first rule in `suffix_rules` (the legal-form markers aside)."""
        out: dict[str, int] = {}
        for i, rule in enumerate(self.suffix_rules):
            if rule.suffix not in _LEGAL_MARKERS:
                out.setdefault(rule.suffix, i)
        return out

    @cached_property
    def _longest_suffix(self) -> int:
        return max((len(s) for s in self._rule_by_ending), default=0)

    @cached_property
    def _marker_rules(self) -> list[tuple[int, str]]:
        return [(i, r.suffix) for i, r in enumerate(self.suffix_rules) if r.suffix in _LEGAL_MARKERS]


@lru_cache(maxsize=1)
def lexicon() -> OrgLexicon:
    return OrgLexicon()


# --- closed classes -------------------------------------------------------------------------------------

# words that make the noun before them a person (or a person's affiliation): '지기성 사장', '블루바이저 대표'
PERSON_TITLES: frozenset[str] = frozenset(
    "사장 부사장 대표 대표이사 공동대표 회장 부회장 의장 이사장 이사 전무 상무 본부장 센터장 원장 부원장 총장 "
    "교수 박사 위원장 부위원장 위원 장관 차관 청장 처장 실장 국장 과장 팀장 단장 지원단장 소장 관장 시장 부시장 "
    "군수 구청장 도지사 지사 부지사 교육감 의원 국회의원 시의원 도의원 기자 씨 관계자 담당자 대변인 고문 CEO CTO "
    "매니저 디렉터 총괄 책임연구원 선임연구원 연구원 주무관 사무관 서기관 상임위원 비서관 수석 특보".split()
)
# titles that name a company's head: the NNP right before them is that company ('황용국 블루바이저 대표')
COMPANY_HEAD_TITLES: frozenset[str] = frozenset(
    "사장 부사장 대표 대표이사 공동대표 회장 부회장 CEO CTO 지사장 총괄 전무 상무 이사장 원장 총장 센터장".split()
)
# a local-government head written in one word with the place: 천안시장, 충남지사, 전주시장 → a person
HEAD_OF_LG_ENDINGS: tuple[str, ...] = ("부구청장", "구청장", "부시장", "시장", "부군수", "군수", "도지사", "부지사", "지사", "교육감")

SURNAMES: frozenset[str] = frozenset(
    "김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 유 전 홍 고 문 양 손 배 백 허 남 심 노 하 곽 성 차 주 "
    "우 구 민 진 지 엄 채 원 천 방 공 현 함 변 염 여 추 도 소 석 선 설 마 길 연 위 표 명 기 반 라 왕 금 옥 육 인 "
    "맹 제 모 탁 국 어 은 편 용 예 경 봉 사 부 가 복 태 목 형 피 두 감 음 빈 동 온 호 범 좌 팽 승 간 상 갈 단 견 당 "
    "화 창 옹 순 빙 종 풍 판 필".split()
)
COMPOUND_SURNAMES: tuple[str, ...] = ("남궁", "제갈", "선우", "황보", "독고", "사공", "서문")

# count words after a list of organisations: 'MTS 6개사와', '3개 기관이'
COUNT_WORD_RE = (r"(?:\d+\s?여?\s?(?:개\s?(?:사|社|기관|기업|업체|회사|대학|단체|곳)?|곳|자)"
                 r"|(?:두|세|네|다섯|여섯|일곱|여덟|아홉|열)\s(?:개\s?(?:사|기관|기업|업체|회사|대학|단체|곳)|기관|기업|곳|회사|단체))")
# a kind of organisation named after a list ('등 40개 기업·기관과', '등 자치단체와 유관기관, 민간기업이')
KIND_NOUN_RE = (r"[가-힣]{0,6}(?:기관|기업|업체|회사|대학|단체|병원|지자체|자치단체|부처|회원사|개사|스타트업|연구소|"
                r"공기업|대기업|중소기업|벤처기업|협회|조합|지방정부|정부기관)(?:들)?")

# anaphors: a bare 시/군/구/도 with a particle refers to the most recent local government of that kind
ANAPHOR_KINDS: frozenset[str] = frozenset("시군구도")
