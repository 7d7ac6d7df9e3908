"""Organisation mentions in an article's sentences (raw.org_mentions).

Candidates come from phrases.py (Kiwi runs + dictionaries + suffix rules). This module decides, per article:

* **strong** candidates (known names, local governments, suffix rules) are organisations wherever they occur,
  except inside a single-quoted programme/product name (‘스마트시티 국가 시범도시’) unless the quote is the
  whole name (‘AI강국위원회’), and except in photo credits ('(사진. 벤처기업협회)');
* **weak** candidates (proper nouns / Latin names without an org suffix: 블루바이저, KT, 영국C&P) are admitted when
  some occurrence in the article sits in a partner slot: coordinated with a strong name, followed by a count
  (`6개사와`) or '등 …기업', carrying a company-head title (`황용국 블루바이저 대표`, `LG CNS(대표이사 김영섭)`), an
  appositive (`개발업체인 블루바이저는`), a role cue right before it (`공동의장사로 …`), or a comitative/subject
  particle in a sentence with a partnership cue (`… 구글클라우드 코리아와 … 협력을 체결했다`). Once admitted, the
  name is an organisation in every sentence of the article. Names seen next to a person title are persons.
* **spacing repair**: `A과 B` where B is a suffix name and A is not an organisation is one mis-spaced name when
  `A과B` is written elsewhere in the article or B starts with a one-syllable common noun (`국토교통과 학기술진흥원`);
  the surface keeps the space.
* **anaphora**: a lone 시/군/구/도 with a particle (`시는`, `시가`, `도는`) resolves to the local government of
  that kind named in the article that has most often been a subject so far (the most recent on a tie), else the
  most recent of that kind, else the first one named later;
  unresolvable anaphors and `양 기관` are not emitted. A bare short name with a subject particle (`전주는`,
  `천안은`) is that local government (resolved = full name); with other particles it is a place.
* a candidate inside a parenthesis right after another name (`한국토지주택공사(LH)`) resolves to that name, and so
  does the same word written alone later in the article (`NSIC는 …`); such a second name is admitted as a name;
* short forms: a local government written short resolves to its full name (강원도 → 강원특별자치도, 창원특례시 →
  창원시), and a Hangul short form resolves to a longer name of the same article that contains its characters in
  order with the same first and last character, or that adds 한국/국립/대한 (인천경제청 → 인천경제자유구역청);
* a part written after an organisation (`KT 대구경북광역본부`) is not a name of its own.
* ``is_subject``: particle 은/는/이/가/께서, or coordinated with one that has it (`A와 B는`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .cues import AGREEMENT_RE, has_partner_cue, role_cue_before
from .lexicon import COMPANY_HEAD_TITLES, SEEDS_DIR, lexicon, squash
from .phrases import (
    COMITATIVE_PARTICLES,
    SUBJECT_PARTICLES,
    Candidate,
    SentenceAnalysis,
    enclosing_paren,
    inside,
    is_credit_paren,
    link_groups,
    speech_spans,
    trailing,
)
from .. import analysis as sentence_analysis  # after .phrases: analysis.py reads phrases (one import order)
from ..kiwi import tokenize
from ..types import OrgMention, Sentence

_ANAPHOR_PARTICLES = frozenset({"은", "는", "이", "가", "와", "과", "도", "의", "에서", "에서는", "와의", "과의", "로서", "으로서"})
_APPOSITIVE_RE = re.compile(r"(?:업체|기업|회사|스타트업|기관|법인|社|전문기업|개발사)(?:인|이자|로서)\s$")
_DEUNG_GENERIC_RE = re.compile(r"^\s*(?:[가-힣]+\s)?[가-힣·]*(?:기업|기관|업체|회사|투자사|스타트업|단체|대학|협력사)")
_PREFILTER_RE = re.compile(
    r"[A-Za-z]|진흥원|연구원|연구소|대학|협회|재단|조합|위원회|공사|공단|은행|전자|건설|그룹|텔레콤|부[는가와과의도를\s,]|"
    r"처[는가와과의도를\s,]|청[는가와과의도를\s,]|(?:^|\s)[시군구도](?:는|가|은|이|와|과|도|의|에서)|\(주\)|㈜|주식회사|"
    r"대표|사장|회장|의원|(?:업체|기업|회사|스타트업|기관|법인|개발사)(?:인|이자|로서)\s"
)


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    import csv

    with open(SEEDS_DIR / "country_prefixes.csv", encoding="utf-8") as f:
        return frozenset(r["prefix"].strip() for r in csv.DictReader(f))


@lru_cache(maxsize=1)
def _lg_name_re() -> re.Pattern[str]:
    names = {lg.name for lg in lexicon().local_governments} | {lg.short_name for lg in lexicon().local_governments}
    return re.compile("|".join(sorted((re.escape(n) for n in names if len(n) >= 2), key=len, reverse=True)))


def _worth_analysing(text: str, extra: re.Pattern[str] | None) -> bool:
    if has_partner_cue(text) or _PREFILTER_RE.search(text) or _lg_name_re().search(text):
        return True
    return bool(extra and extra.search(text))


@dataclass
class _Slot:
    cand: Candidate
    particle: str
    group: int
    paren: tuple[int, int] | None  # attached parenthetical after the name
    in_paren: tuple[int, int] | None  # the parenthetical the name sits in
    has_count: bool
    has_deung: bool
    after: int


def _slots(sa: SentenceAnalysis) -> list[_Slot]:
    """One slot per candidate; coordination is read over the names outside parentheses, and a part written
    after an organisation ('KT 대구경북광역본부') is that organisation's, not a name of its own."""
    cands = sorted(sa.candidates, key=lambda c: c.start)
    in_paren = [enclosing_paren(sa.text, c.start, c.end) for c in cands]
    outer = [i for i, p in enumerate(in_paren) if p is None]
    trails, gids = link_groups(sa.text, [(cands[i].start, cands[i].end) for i in outer])
    out: list[_Slot] = []
    unit_span: tuple[int, int] | None = None
    by_index = dict(zip(outer, zip(trails, gids)))
    for i, c in enumerate(cands):
        if unit_span and unit_span[0] <= c.start and c.end <= unit_span[1]:
            continue
        if i in by_index:
            t, g = by_index[i]
            unit_span = t.unit or unit_span
        else:
            t, g = trailing(sa.text, c.end), -1 - i
        out.append(_Slot(c, t.particle, g, t.paren, in_paren[i], t.has_count, t.has_deung, t.end))
    return out


def _ceo_paren(text: str, paren: tuple[int, int] | None) -> bool:
    if paren is None:
        return False
    inner = text[paren[0] + 1:paren[1] - 1].strip()
    first = inner.split(" ")[0] if inner else ""
    return first in COMPANY_HEAD_TITLES


def _admitted_weak(analyses: dict[int, SentenceAnalysis]) -> set[str]:
    """Weak names that sit in a partner slot somewhere in the article (keys: squash(name))."""
    admitted: set[str] = set()
    for sa in analyses.values():
        slots = _slots(sa)
        owners = {m.paren: m for m in slots if m.paren is not None and m.cand.kind in ("strong", "weak")}
        for m in slots:
            # '컨소시엄(누리소프트·가온테크·한밭대학교)': a list in parentheses after a partnership word
            if m.cand.kind in ("weak", "plain") and m.in_paren and _member_paren(sa.text, m.in_paren):
                admitted.add(squash(m.cand.text))
            # '송도국제도시개발유한회사(NSIC)': the other name of a known organisation is a name wherever it is written
            owner = owners.get(m.in_paren) if m.in_paren else None
            if m.cand.kind == "weak" and owner is not None \
                    and sa.text[m.in_paren[0] + 1:m.in_paren[1] - 1].strip() == m.cand.text:
                admitted.add(squash(m.cand.text))
        # a quoted agreement title still states a signing: '…와 ‘… 업무협약’을 체결했다'
        cue = has_partner_cue(_unquoted(sa)) or AGREEMENT_RE.search(_unquoted(sa, single=False)) is not None
        groups: dict[int, list[_Slot]] = {}
        for s in slots:
            groups.setdefault(s.group, []).append(s)
        for members in groups.values():
            last = members[-1]
            if any(inside(sa.single_quotes, m.cand.start, m.cand.end) for m in members):
                continue
            named = [m for m in members if m.cand.kind in ("strong", "weak")]
            plain_ok = len(named) >= 1 and len(members) >= 2 and (
                last.has_count or role_cue_before(sa.text, members[0].cand.start) is not None
                or (cue and last.particle in COMITATIVE_PARTICLES | SUBJECT_PARTICLES)
                or (cue and _headline_list(sa.text, members[0].cand.start, last.after)))
            ok = (len(members) >= 2 and any(m.cand.kind == "strong" for m in members)) or last.has_count
            ok = ok or (last.has_deung and _DEUNG_GENERIC_RE.match(sa.text[last.after:]) is not None)
            ok = ok or (cue and last.particle in COMITATIVE_PARTICLES | SUBJECT_PARTICLES | {"등과", "등과도"})
            ok = ok or (cue and len(members) >= 2 and _headline_list(sa.text, members[0].cand.start, last.after))
            ok = ok or role_cue_before(sa.text, members[0].cand.start) is not None
            ok = ok or any(m.cand.affiliation or _ceo_paren(sa.text, m.paren) or m.cand.followed_by_partner_word
                           for m in members)
            ok = ok or _APPOSITIVE_RE.search(sa.text[max(0, members[0].cand.start - 10):members[0].cand.start])
            if ok:
                for m in members:
                    if m.cand.kind == "weak" and m.in_paren is None:
                        admitted.add(squash(m.cand.text))
            if plain_ok:
                for m in members:
                    if m.cand.kind == "plain" and m.in_paren is None:
                        admitted.add(squash(m.cand.text))
    return admitted


_MEMBER_PAREN_BEFORE_RE = re.compile(r"(?:컨소시엄|얼라이언스|협의체|연합체|SPC|특수목적법인|합작법인)\s?$")


def _member_paren(text: str, paren: tuple[int, int]) -> bool:
    inner = text[paren[0] + 1:paren[1] - 1]
    return _MEMBER_PAREN_BEFORE_RE.search(text[:paren[0]]) is not None and re.search(r"[,·ㆍ]", inner) is not None


def _headline_list(text: str, start: int, after: int) -> bool:
    """'A·B·C, … MOU' / 'A·B, … 협약 체결': a bare list opening the line and closed by a comma."""
    return not text[:start].strip() and text[after:].lstrip().startswith(",")


def _unquoted(sa: SentenceAnalysis, single: bool = True) -> str:
    text = sa.text
    for s, e in (sa.single_quotes if single else []) + speech_spans(sa.text, sa.double_quotes):
        text = text[:s] + " " * (e - s) + text[e:]
    return text


def _spacing_repair(sa: SentenceAnalysis, article_text: str) -> list[Candidate]:
    """Merge 'A과 B' into one mis-spaced name (see module docstring)."""
    out: list[Candidate] = []
    cands = sorted(sa.candidates, key=lambda c: c.start)
    for c in cands:
        if c.kind != "strong":
            out.append(c)
            continue
        m = re.search(r"([가-힣]{2,})([과와]) $", sa.text[:c.start])
        if m:
            a_start = m.start(1)
            a_strong = any(o.kind == "strong" and o.end == m.end(1) for o in cands)
            joined = m.group(1) + m.group(2) + c.text
            if not a_strong and (joined in article_text or _one_noun(m.group(1) + m.group(2) + c.text)):
                out = [o for o in out if o.end <= a_start]
                out.append(Candidate(a_start, c.end, sa.text[a_start:c.end], "strong", persons=c.persons))
                continue
        out.append(c)
    return out


def _one_noun(joined: str) -> bool:
    """Kiwi reads 'A과B' without a particle (해양수산과학기술진흥원: 과 is part of 과학) — one name."""
    return all(not t[1].startswith("J") for t in tokenize(joined))


@dataclass
class _LgSeen:
    name: str
    is_subject: bool
    order: int


def _pick_short_lg(short: str, seen: list[_LgSeen]) -> str | None:
    options = lexicon().lg_by_short.get(short, [])
    for s in reversed(seen):
        if any(o.name == s.name for o in options):
            return s.name
    if not options:
        return None
    metro = [o for o in options if o.level == "metropolitan"]
    return (metro or options)[0].name


def _resolve_anaphor(kind: str, seen: list[_LgSeen], later: list[str]) -> str | None:
    match = [s for s in seen if s.name.endswith(kind)]
    subj = [s for s in match if s.is_subject]
    if subj:
        # the article's topic: the one most often the subject so far ('충주시는 … 순천시와 구미시 두 곳이 선정됐다.
        # 시는 …' is 충주시), the most recent on a tie
        counts: dict[str, int] = {}
        for s in subj:
            counts[s.name] = counts.get(s.name, 0) + 1
        return max(reversed(subj), key=lambda s: counts[s.name]).name
    if match:
        return match[-1].name
    ahead = [n for n in later if n.endswith(kind)]
    return ahead[0] if ahead else None


def find_org_mentions(sentences: list[Sentence]) -> list[OrgMention]:
    article_text = "\n".join(s.text for s in sentences)
    analyses: dict[int, SentenceAnalysis] = {}
    for s in sentences:
        if _worth_analysing(s.text, None):
            analyses[s.sentence_no] = sentence_analysis.analysis_of(s.text).names
    admitted = _admitted_weak(analyses)
    if admitted:
        weak_names = {c.text for sa in analyses.values() for c in sa.candidates if squash(c.text) in admitted}
        extra = re.compile("|".join(re.escape(n) for n in sorted(weak_names, key=len, reverse=True)))
        for s in sentences:
            if s.sentence_no not in analyses and _worth_analysing(s.text, extra):
                analyses[s.sentence_no] = sentence_analysis.analysis_of(s.text).names
    persons = {p for sa in analyses.values() for p in sa.persons}
    countries = _country_names()
    later_lgs = [c.lg_name for s in sentences if s.sentence_no in analyses
                 for c in analyses[s.sentence_no].candidates if c.lg_name]

    out: list[OrgMention] = []
    abbrevs: dict[str, str] = {}  # a name given in parentheses after another: the same organisation
    seen: list[_LgSeen] = []
    order = 0
    for s in sentences:
        sa = analyses.get(s.sentence_no)
        if sa is None:
            continue
        repaired = SentenceAnalysis(sa.text, _spacing_repair(sa, article_text), sa.single_quotes, sa.double_quotes,
                                    sa.persons, sa.tokens, sa.brackets, sa.dropped_candidates)
        slots = _slots(repaired)
        subject_groups = {sl.group for sl in slots if sl.particle in SUBJECT_PARTICLES}
        emitted: list[tuple[_Slot, str]] = []
        mention_no = 0
        for sl in slots:
            c = sl.cand
            q = inside(sa.single_quotes, c.start, c.end)
            if q and not (q[0] + 1 == c.start and q[1] - 1 == c.end):
                continue
            if sl.in_paren and is_credit_paren(sa.text, sl.in_paren):
                continue
            if c.text in persons or c.text in countries or lexicon().is_generic(c.text):
                continue
            resolved = c.lg_name or c.text  # 강원도 → 강원특별자치도, 창원특례시 → 창원시, 세종시 → 세종특별자치시
            if c.kind in ("weak", "plain"):
                if squash(c.text) not in admitted:
                    continue
            elif c.kind == "short_lg":
                if sl.particle not in SUBJECT_PARTICLES:
                    continue
                resolved = _pick_short_lg(c.text, seen) or c.text
            elif c.kind == "anaphor":
                if sl.particle not in _ANAPHOR_PARTICLES:
                    continue
                target = _resolve_anaphor(c.text, seen, later_lgs)
                if target is None:
                    continue
                resolved = target
            if sl.in_paren is not None:
                owner = next((e for e in emitted if e[0].paren == sl.in_paren), None)
                if owner and sa.text[sl.in_paren[0] + 1:sl.in_paren[1] - 1].strip() == c.text:
                    resolved = owner[1]
                    abbrevs.setdefault(c.text, resolved)
            elif c.text in abbrevs and resolved == c.text:
                resolved = abbrevs[c.text]  # 'NSIC는 …' after '송도국제도시개발유한회사(NSIC)'
            emitted.append((sl, resolved))
        for sl, resolved in emitted:
            # a titled person's organisation ('박성진 강원도 디지털산업과장은') is not the sentence's subject
            is_subj = sl.group in subject_groups and sl.in_paren is None and not sl.cand.name_end
            c = sl.cand
            out.append(OrgMention(sentence_no=s.sentence_no, mention_no=mention_no, surface=c.text, resolved=resolved,
                                  is_subject=is_subj, start=c.start, end=c.end))
            mention_no += 1
            lg = c.lg_name or (resolved if resolved in lexicon().lg_by_name else None)
            if lg:
                order += 1
                seen.append(_LgSeen(lg, is_subj, order))
    return _fold_short_forms(out)



def _is_subsequence(short: str, full: str) -> bool:
    it = iter(full)
    return all(ch in it for ch in short)


def _fold_short_forms(mentions: list[OrgMention]) -> list[OrgMention]:
    """A short form resolves to the full name written in the same article: '인천경제청' → 인천경제자유구역청,
    '마이크로소프트' → 한국마이크로소프트, '광주시' → 광주광역시. A short form is Hangul, 3+ characters, and either the
    full name without a leading 한국/국립/대한, or its characters in order with the same first and last character.
    When several full names fit, the one named most often wins; a short form that is itself the full name of a
    local government named alone stays."""
    counts: dict[str, int] = {}
    for m in mentions:
        counts[m.resolved] = counts.get(m.resolved, 0) + 1
    names = sorted(counts, key=len, reverse=True)
    fold: dict[str, str] = {}
    for short in names:
        if len(short) < 3 or not re.fullmatch(r"[가-힣]+", short):
            continue
        fits = [full for full in names if len(full) > len(short) and re.fullmatch(r"[가-힣]+", full) and (
            full in ("한국" + short, "국립" + short, "대한" + short)
            or (full[0] == short[0] and full[-1] == short[-1] and _is_subsequence(short, full)))]
        if fits:
            fold[short] = max(fits, key=lambda f: (counts[f], len(f)))
    for m in mentions:
        m.resolved = fold.get(m.resolved, m.resolved)
    return mentions
