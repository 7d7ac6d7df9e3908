"""Partnership mentions (raw.partnership_mentions): who signed, formed or joined what, in which role.

A sentence is read only outside quotes (speech and programme names are not where parties are stated).
Organisation mentions (orgs/) are grouped into coordinated *groups* ('A, B, C와', 'A와 B는', 'A(대표 X)와
B(대표 Y)가'); the particle on a group's last name gives its function (subject 은/는/이/가, partner 와/과/등과(도)).

Sentence type (first that applies; cues in orgs/cues.py):
* **consortium** — 컨소시엄 is written: `A 컨소시엄` → lead A and the name 'A 컨소시엄'; `컨소시엄(B, C)` → members;
  role cues (주관기관/주관사/대표기관 → lead, 참여기관 → member); otherwise the subject is the lead and the
  partner groups are members (`시는 B, C와 컨소시엄을 구성했다`); a subject that *joins* (`A, B가 컨소시엄에
  참여`) are members. No subject → the lead is the article's main actor (the most recent organisation subject
  of the preceding sentences, e.g. the city that was selected).
* **joint_venture** — SPC/특수목적법인/합작법인/공동 출자 with 설립/출자: parties as for an agreement.
* **alliance** — 얼라이언스/협의체/연합체/포럼/협의회 with 출범/발족/창립/결성/구성/가입/참여: the name is the noun
  phrase ending in that word ('스마트시티 융합 얼라이언스'); groups after a role cue get that role; a subject or
  partner group that *joins* (참여/가입) are members.
* **agreement** — an agreement noun + signing verb (협약을 체결했다, MOU를 맺었다): subject = lead, partner
  groups = members; a subject group alone ('A와 B는 …', 'A, B, C 3개 기관이 …') are the parties (lead = the main
  actor if among them, else the first); no subject → the main actor leads.
* **role sentence** — no type word but a role cue (공동의장사로/공동감사는/지원을 전담하는/협력 기관인/참여기관은)
  binds to the most recent alliance or consortium of the article.

* **introduced list** — a relative clause or a party noun as topic introduces the parties: `협약을 맺은 기관은 A, B, C다`,
  `협약 참여 기관은 A, B 등 3곳이다`, `협약에는 A, B가 참여했다`, `협약기관 : A, B, C`.
* **follow-up** — a sentence without a type word whose subject list joins (참여했다, 이름을 올렸다, 함께했다) adds members
  to the partnership opened up to five sentences before; the lone subject of the opening sentence (`도는 … 협약식을
  열었다`) then leads.
Agreements are also stated by the ceremony (협약식을 가졌다/열었다, 협약식이 … 열렸다, 협약서에 서명했다) and by verbs of
working together (손잡고, 맞손, 힘을 모은다); an SPC's shareholders are the names with a share (`A가 50%, B가 30%를
출자했다`); a seat taken in an alliance (`협의체의 회장사를 맡아`) gives its role to the subject or the main actor.

One partnership per (type, name) per article: sentences about one consortium add to the same partnership; a
member appears once with its strongest role (co_chair/auditor > lead > supporter > member). Agreements and joint
ventures need two named parties, alliances and consortia one; generic nouns (글로벌 기업, 외국계 투자사) and
people never become members, so 'SPC … 글로벌 기업, 외국계 투자사 등과 출자 협의' yields nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .orgs import lexicon, squash
from .orgs.cues import (
    AGREEMENT_RE,
    ALLIANCE_RE,
    ALLIANCE_VERB_RE,
    ALLIANCE_WORD,
    CONSORTIUM_RE,
    JV_NOUN_RE,
    JV_VERB_RE,
    ROLE_CUES,
    ROLE_TAKEN_RE,
    REL_SIGNING_VERB,
    ROLE_STRENGTH,
    role_cue_after,
    role_cue_before,
)
from .orgs.phrases import (
    COMITATIVE_PARTICLES,
    SUBJECT_PARTICLES,
    inside,
    is_credit_paren,
    link_groups,
    speech_spans,
)
from .analysis import analysis_of
from .types import OrgMention, PartnershipMention, Sentence

_PARTNER_PARTICLES = COMITATIVE_PARTICLES | {"등과", "등과도"}
# the subject of a selection verb picks the partnership, it is not in it
_SELECTOR_RE = re.compile(r"(?:선정|선발|지정|낙점|채택|발표)(?:했|하였|한다|하고|해|한|하며|하기로)|뽑(?:았|은|고)|골랐")
_REL_VERB_RE = re.compile(REL_SIGNING_VERB)
_JV_AGREEMENT_RE = re.compile("(?:" + JV_NOUN_RE.pattern + r")\s?(?:설립|출자|공동\s?설립)\s?(?:을\s?위한\s?)?(?:업무\s?)?(?:협약|MOU|양해각서)")
_MADE_OF_RE = re.compile(r"\s?(?:기관|기업|업체|대학|곳|개사)?\s?(?:으로|로)\s?(?:구성|이뤄|이루어|꾸려|짜여)")
_JOIN_RE = re.compile(r"참여|합류|가입|참가|이름을\s?올|동참|함께(?:했|한다|하며|하고)")
_NAME_STOP_WORDS = frozenset("이날 오늘 특히 또 또한 지난 새로 공식 이번 올해 향후 초대 이후 해당 관련 가칭 신규".split())
_ALLIANCE_NAME_RE = re.compile(
    r"((?:[0-9A-Za-z가-힣·&\-]+\s){0,3}[0-9A-Za-z가-힣·&\-]*" + ALLIANCE_WORD + r")(?=(?:은|는|이|가|을|를|의|에|에서|에는|로|으로|와|과|도|측|이다|인)?(?:[\s,.)(’'\"”]|$))"
)
_CONSORTIUM_NAME_RE = re.compile(r"((?:[0-9A-Za-z가-힣·&\-]+\s){0,2}[0-9A-Za-z가-힣·&\-]*)\s?컨소시엄")
_ABBREV_RE = re.compile(r"\(\s*이하\s*[‘'\"“]?([^)’'\"”]+)[’'\"”]?\s*\)")


@dataclass
class _Party:
    mention: OrgMention
    start: int
    end: int
    group: int
    particle: str
    after: int
    has_deung: bool
    has_count: bool = False


@dataclass
class _Frame:
    ptype: str
    name: str | None
    members: dict[str, tuple[str, str, int]] = field(default_factory=dict)  # key -> (member, role, sentence_no)
    # the lone subject of the sentence that opened it ('도는 … 협약식을 열었다'), who leads once members are named
    pending_lead: tuple[str, int] | None = None
    opened_at: int = -1

    def add(self, member: str, role: str, sentence_no: int) -> None:
        key = re.sub(r"주식회사|\(주\)|㈜", "", squash(member))
        old = self.members.get(key)
        if old is None or ROLE_STRENGTH[role] > ROLE_STRENGTH[old[1]]:
            self.members[key] = (member, role, old[2] if old and old[1] == role else sentence_no)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    for s, e in spans:
        text = text[:s] + " " * (e - s) + text[e:]
    return text


def _locate(text: str, mentions: list[OrgMention]) -> list[tuple[int, int]]:
    """Offsets of mentions (start/end when set, else the n-th occurrence of the surface)."""
    spans, pos = [], 0
    for m in mentions:
        if m.end > m.start:
            spans.append((m.start, m.end))
            pos = m.end
            continue
        i = text.find(m.surface, pos)
        i = text.find(m.surface) if i < 0 else i
        spans.append((i, i + len(m.surface)) if i >= 0 else (0, 0))
        pos = i + len(m.surface) if i >= 0 else pos
    return spans


def _parties(s: Sentence, mentions: list[OrgMention], quotes: list[tuple[int, int]]) -> list[_Party]:
    ms = sorted(mentions, key=lambda m: (m.start, m.mention_no))
    spans = _locate(s.text, ms)
    keep = []
    for m, (a, b) in zip(ms, spans):
        if b <= a or inside(quotes, a, b) or lexicon().is_generic(m.resolved):
            continue
        par = analysis_of(s.text).brackets.enclosing(a, b)
        if par is not None:
            continue  # aliases '(LH)', affiliations '(… 부원장)', credits; consortium lists are read separately
        keep.append((m, a, b))
    trails, gids = link_groups(s.text, [(a, b) for _, a, b in keep])
    return [_Party(m, a, b, g, t.particle, t.end, t.has_deung, t.has_count)
            for (m, a, b), t, g in zip(keep, trails, gids)]


def _groups(parties: list[_Party]) -> list[list[_Party]]:
    out: dict[int, list[_Party]] = {}
    for p in parties:
        out.setdefault(p.group, []).append(p)
    return list(out.values())


def _sentence_type(unq: str) -> str | None:
    if CONSORTIUM_RE.search(unq):
        return "consortium"
    if JV_NOUN_RE.search(unq) and JV_VERB_RE.search(unq) and (not AGREEMENT_RE.search(unq)
                                                           or _JV_AGREEMENT_RE.search(unq)):
        return "joint_venture"  # '합작법인 설립 협약을 체결했다' founds the company: the parties are its owners
    if ALLIANCE_RE.search(unq) and ALLIANCE_VERB_RE.search(unq):
        return "alliance"
    if AGREEMENT_RE.search(unq):
        return "agreement"
    if any(rx.search(unq) for _, rx in ROLE_CUES):
        return "role"
    return None


# a word that ends a clause inside the words before an alliance noun ('발기인대회 등이 개최돼 얼라이언스'): the name
# can only start after it ('… 등이', '… 등과'; verb forms '개최돼', '구성됐고', '참여하고', '발족하며', '추진하는')
_NAME_CLAUSE_END_RE = re.compile(r"(?:등(?:이|은|는|을|를|과|와|의|도|에)"
                            r"|돼|됐|됐고|되어|되며|되고|되는|했|했고|하고|하며|하여|해서|이며|으며|하는|한다|된다)$")


def _clean_name(words: list[str]) -> str | None:
    cut = max((k + 1 for k, w in enumerate(words[:-1]) if _NAME_CLAUSE_END_RE.search(w)), default=0)
    words = words[cut:]
    while words and (words[0] in _NAME_STOP_WORDS or re.search(r"(?:은|는|을|를|의|에|에서|로|으로|와|과|한|된|인|하는|적)$",
                                                                  words[0]) and len(words) > 1):
        words = words[1:]
    return " ".join(words) if words else None


def _alliance_name(text: str) -> str | None:
    plain = re.sub(r"[‘’'\"“”]", "", text)
    best = None
    for m in _ALLIANCE_NAME_RE.finditer(plain):
        name = _clean_name(m.group(1).split())
        if name and " " in name or (name and len(name) > 6):
            best = best or name
    return best


def _consortium_name(text: str, parties: list[_Party]) -> tuple[str | None, _Party | None]:
    """'A 컨소시엄' with A an organisation → ('A 컨소시엄', A); '‘스마트 전주’ 컨소시엄' → (that name, None)."""
    for p in parties:
        if re.match(r"\s?컨소시엄", text[p.end:]):
            return f"{p.mention.surface} 컨소시엄", p
    m = re.search(r"[‘'\"“]([^’'\"”]{2,30})[’'\"”]\s?컨소시엄", text)
    if m:
        return f"{m.group(1)} 컨소시엄", None
    return None, None


def _paren_members(text: str, mentions: list[OrgMention]) -> list[OrgMention]:
    """Members listed in '컨소시엄(B, C, D)'."""
    m = re.search(r"컨소시엄\s?\(([^)]+)\)", text)
    if not m:
        return []
    return [x for x, (a, b) in zip(mentions, _locate(text, mentions)) if m.start(1) <= a and b <= m.end(1)]


def _group_role(text: str, group: list[_Party]) -> str | None:
    return role_cue_before(text, group[0].start) or role_cue_after(text, group[-1].after)


def _cue_pos(unq: str, ptype: str) -> int:
    rx = {"consortium": CONSORTIUM_RE, "joint_venture": JV_NOUN_RE, "alliance": ALLIANCE_RE,
          "agreement": AGREEMENT_RE}.get(ptype)
    m = rx.search(unq) if rx else None
    if m and ptype in ("consortium", "alliance", "joint_venture") and any(
            _TOPIC_AFTER_RE.match(unq, x.end()) for x in rx.finditer(unq)):
        # '컨소시엄에는 A, B가 참여한다' / 'SPC에는 A가 50%를 출자했다': the word is the topic, the verb decides
        return len(unq)
    return m.start() if m else len(unq)


_OWNED_RE = re.compile(r"\s?(?:공동\s?)?(?:출자|설립|투자)(?:한|했던|해 만든|해 세운)")
_TOPIC_AFTER_RE = re.compile(r"[가-힣]{0,4}?(?:에는|에|은|는|의)\s")
_SHARE_RE = re.compile(r"\s?(?:가|이|는|은)?\s?\d+(?:\.\d+)?\s?%")


def _parties_roles(ptype: str, s: Sentence, unq: str, parties: list[_Party], main_actor: str | None,
                   ) -> list[tuple[str, str]]:
    """(member, role) pairs a typed sentence states."""
    groups = _groups(parties)
    cue = _cue_pos(unq, ptype)
    out: list[tuple[str, str]] = []
    roled: set[int] = set()
    for g in groups:
        role = _group_role(s.text, g)
        if role:
            out += [(p.mention.resolved, role) for p in g]
            roled.add(id(g))
    if ptype == "role":
        return out
    if ptype == "agreement" and not any(id(g) not in roled and g[0].start < cue for g in groups):
        # '‘…’ 업무협약식이 16일 열려 A와 B, C가 협약서에 서명했다': the ceremony comes first, the signing after
        later = [m.start() for m in AGREEMENT_RE.finditer(unq) if m.start() > cue]
        cue = later[-1] if later else cue
    free = [g for g in groups if id(g) not in roled and g[0].start < cue + 40]
    subj = next((g for g in free if g[-1].particle in SUBJECT_PARTICLES and g[0].start < cue), None)
    if ptype == "agreement" and _REL_VERB_RE.match(unq, cue):
        # 'X는 A와 B가 지난해 맺은 협약에 따라 …': the parties are the subject of the relative clause
        subj = next((g for g in reversed(free) if g[-1].particle in SUBJECT_PARTICLES and g[0].start < cue), None)
    if subj is not None and _SELECTOR_RE.search(unq[subj[-1].after:]):
        # '국토부는 … 공모에서 A 컨소시엄을 최종 선정했다': the one who selects is not a party
        free = [g for g in free if g is not subj]
        subj = None
    partners = [p for g in free if g[-1].particle in _PARTNER_PARTICLES for p in g]
    if ptype == "consortium":
        # 'B, C, D 등 6개 기관으로 구성됐다' / 'B·C·D 등이 참여한다': a counted list names the members
        listed = [p for g in free if g is not subj and g[-1].particle not in _PARTNER_PARTICLES
                  and (g[-1].has_deung or g[-1].has_count or _MADE_OF_RE.match(unq, g[-1].after)) for p in g]
        out += [(p.mention.resolved, "member") for p in listed]
    if ptype == "joint_venture":
        # 'SPC에는 A가 50%, B가 30%를 출자했다': every name with a share owns part of it
        shares = [p for g in free for p in g if _SHARE_RE.match(unq, g[-1].after if p is g[-1] else p.end)
                  or _SHARE_RE.match(unq, p.end)]
        if len(shares) >= 2:
            return out + [(p.mention.resolved, "member") for p in shares]
        # 'X는 A, B, C 등이 출자한 특수목적법인이다': the owners are the subject of the relative clause, X is the SPC
        owners = [p for g in free if g is not subj and g[-1].particle in SUBJECT_PARTICLES
                  and _OWNED_RE.match(unq, g[-1].after) for p in g]
        if owners:
            # the subject is the company itself only when the sentence says so ('X는 … 출자한 특수목적법인이다')
            itself = subj if subj and re.search(r"(?:법인|SPC|회사)(?:이다|이며|이고|으로)", unq) else []
            return out + [(p.mention.resolved, "member") for p in owners + itself]
    joins = _JOIN_RE.search(unq[subj[-1].after:] if subj else "") is not None
    if ptype in ("alliance",):
        taken = ROLE_TAKEN_RE.search(unq)
        if taken and not out and not partners:
            # '(NHN은) 지난 5월부터 광주 AI산업발전협의체의 회장사를 맡아': the subject, or the article's main actor
            role = next((r for r, rx in ROLE_CUES if rx.match(taken.group(1))), "member")
            who = [p.mention.resolved for p in subj] if subj else ([main_actor] if main_actor else [])
            return out + [(w, role) for w in who]
        if subj and joins:
            out += [(p.mention.resolved, "member") for p in subj]
        elif subj and partners:
            # 'A는 B, C 등과 함께 ‘… 협의체’를 출범했다': the one who founds it with partners leads
            out += [(p.mention.resolved, "lead") for p in subj]
        if partners and (joins or subj):
            out += [(p.mention.resolved, "member") for p in partners]
        return out
    if ptype == "consortium" and subj and joins and not partners:
        return out + [(p.mention.resolved, "member") for p in subj]
    if subj and partners:
        lead_group = subj
    elif subj and len(subj) >= 2:
        names = [p.mention.resolved for p in subj]
        lead = main_actor if main_actor in names else names[0]
        return out + [(n, "lead" if n == lead else "member") for n in names]
    elif partners and main_actor:
        out.append((main_actor, "lead"))
        return out + [(p.mention.resolved, "member") for p in partners]
    elif subj and ptype == "consortium":
        lead_group = subj
    elif partners:
        # no subject and no main actor ('A, B와 협약' in a subtitle): the first named leads
        return out + [(p.mention.resolved, "lead" if i == 0 and len(partners) >= 2 else "member")
                      for i, p in enumerate(partners)]
    else:
        # headline style 'A·B·C, … MOU 체결': a bare list of two or more before the cue word
        bare = next((g for g in free if len(g) >= 2 and g[-1].particle == "" and g[-1].end < cue), None)
        if bare is None or ptype not in ("agreement", "joint_venture"):
            return out
        names = [p.mention.resolved for p in bare]
        lead = main_actor if main_actor in names else names[0]
        return out + [(n, "lead" if n == lead else "member") for n in names]
    out += [(p.mention.resolved, "lead") for p in lead_group]
    return out + [(p.mention.resolved, "member") for p in partners]


def _frame_for(frames: list[_Frame], ptype: str, name: str | None) -> _Frame:
    for f in frames:
        if f.ptype == ptype and f.name == name:
            return f
    f = _Frame(ptype, name)
    frames.append(f)
    return f


def find_partnerships(sentences: list[Sentence], org_mentions: list[OrgMention]) -> list[PartnershipMention]:
    by_sentence: dict[int, list[OrgMention]] = {}
    for m in org_mentions:
        by_sentence.setdefault(m.sentence_no, []).append(m)
    frames: list[_Frame] = []
    last_group_frame: _Frame | None = None  # most recent alliance/consortium, for role sentences
    abbrev: dict[str, str] = {}
    main_actor: str | None = None
    last_frame: _Frame | None = None
    last_frame_sno = -1
    for s in sentences:
        mentions = by_sentence.get(s.sentence_no, [])
        analysis = analysis_of(s.text)
        single, double = analysis.single_quotes, analysis.double_quotes
        double = speech_spans(s.text, double)
        unq = _blank(s.text, double)  # speech is not where parties are stated; ‘names’ keep their cue words
        ptype = _sentence_type(unq)
        intro = _LIST_INTRO_RE.search(unq)
        listed_frame = _introduced_list(s, unq, intro, mentions, single + double, frames) if intro else None
        if listed_frame is not None:
            last_frame, last_frame_sno = listed_frame, s.sentence_no
        elif ptype is not None:
            for cs, cunq, cmentions, ctype in _clauses(s, unq, mentions, ptype):
                parties = [p for p in _parties(cs, cmentions, single + double) if not _in_credit(cs.text, p)]
                frame = _frame_of(ctype, cs.text, cunq, parties, frames, last_group_frame, abbrev)
                if frame is None:
                    continue
                pairs = _parties_roles(ctype, cs, cunq, parties, main_actor)
                if frame.ptype == "consortium":
                    pairs += _consortium_extras(cs.text, cmentions, parties)
                if not pairs and frame.ptype != "role":
                    lone = _lone_subject(parties, cunq)
                    if lone is not None and frame.pending_lead is None:
                        frame.pending_lead = (lone, s.sentence_no)
                _add_pairs(frame, pairs, s.sentence_no)
                if frame.ptype in ("alliance", "consortium"):
                    last_group_frame = frame
                last_frame = frame
                frame.opened_at = s.sentence_no if frame.opened_at < 0 else frame.opened_at
                last_frame_sno = s.sentence_no
        elif last_frame is not None and s.sentence_no - last_frame_sno <= _FOLLOW_UP_SENTENCES and _JOINED_RE.search(unq):
            # 'X에는 A, B, C 등 …이 참여했다' after the sentence that opened the partnership: its members
            parties = [p for p in _parties(s, mentions, single + double) if not _in_credit(s.text, p)]
            joined = _joined_group(unq, parties)
            if joined:
                _add_pairs(last_frame, [(p.mention.resolved, "member") for p in joined], s.sentence_no)
        subjects = [m for m in mentions if m.is_subject and not inside(double + single, m.start, m.end)]
        if subjects:
            main_actor = subjects[0].resolved
    return _rows(frames)


# a clause ends at a connective ending and a comma: '…양해각서를 맺었고, 삼성SDS 컨소시엄이 …'
_CLAUSE_END_RE = re.compile(r"(?:었고|였고|했고|하고|으며|했으며|였으며|었으며|며),\s")


def _clauses(s: Sentence, unq: str, mentions: list[OrgMention], ptype: str):
    """The sentence, or its clauses when they state different kinds of partnership (an MOU in one clause, a
    consortium in the next): each clause is read alone, the text outside it blanked so offsets stay."""
    cuts = [m.end() for m in _CLAUSE_END_RE.finditer(unq)]
    spans = list(zip([0] + cuts, cuts + [len(unq)]))
    types = [_sentence_type(unq[a:b]) for a, b in spans]
    if len(spans) < 2 or len({t for t in types if t is not None}) < 2:
        return [(s, unq, mentions, ptype)]
    out = []
    for (a, b), t in zip(spans, types):
        if t is None:
            continue
        blank = (lambda x: " " * a + x[a:b] + " " * (len(x) - b))
        out.append((Sentence(s.sentence_no, s.paragraph_no, blank(s.text)), blank(unq),
                    [m for m in mentions if a <= m.start and m.end <= b], t))
    return out


_FOLLOW_UP_SENTENCES = 5
# a phrase that introduces the parties as a list: a relative clause or a role noun as the topic
_LIST_INTRO_RE = re.compile(
    r"(?:(?:협약|MOU|양해각서|컨소시엄|얼라이언스|협의체)(?:식)?(?:을|를|에)?\s?(?:맺은|체결한|참여한|참여하는|함께한|구성한|꾸린)\s?"
    r"|(?:협약|MOU|양해각서|컨소시엄|얼라이언스|협의체)\s?참여\s?)"
    r"(?:기관|기업|업체|곳|회원사|사|기관·기업|기업·기관|사업자|기관들|기업들)(?:은|는|으로는|로는|에는)\s"
    r"|(?:협약|MOU|양해각서)(?:식)?에는\s(?=[^.]*(?:참여|참가|함께|이름을\s?올|서명))"
    r"|(?:협약|참여|참가|구성|회원)\s?(?:기관|기업|업체|사|기관·기업|기업·기관)(?:\s?명단)?\s?:\s?")
_INTRO_TYPES = {"협약|MOU|양해각서": "agreement", "컨소시엄": "consortium", "얼라이언스|협의체": "alliance", "": ""}
_JOINED_RE = re.compile(r"(?:참여|참가|합류|동참)(?:했|하였|한다|하며|하고|해|하기로|한|할)|이름을\s?올렸|함께(?:했|한다|하며|하고)")


def _introduced_list(s: Sentence, unq: str, intro: re.Match, mentions: list[OrgMention],
                     quotes: list[tuple[int, int]], frames: list[_Frame]) -> _Frame | None:
    """'협약을 맺은 기관은 A, B, C다', '이번 협약 참여 기관은 A, B 등 3곳이다', '협약에는 A, B가 참여했다': the list
    after the phrase are members; a 와/과 group before a relative clause ('시와 협약을 맺은 기관은') leads."""
    parties = [p for p in _parties(s, mentions, quotes) if not _in_credit(s.text, p)]
    listed = next((g for g in _groups(parties) if g[0].start >= intro.end()), [])
    if not listed or not (len(listed) >= 2 or listed[-1].has_deung or listed[-1].has_count):
        return None
    kind = next(t for k, t in _INTRO_TYPES.items() if re.search(k, intro.group(0)))
    if not kind:  # '참여기관 : A, B': the partnership the article is about
        kind = frames[-1].ptype if frames else "agreement"
    frame = next((f for f in reversed(frames) if f.ptype == kind), None) or _frame_for(frames, kind, None)
    before = [p for g in _groups(parties) if g[-1].end <= intro.start()
              and g[-1].particle in COMITATIVE_PARTICLES for p in g]
    pairs = [(p.mention.resolved, "lead") for p in before] + [(p.mention.resolved, "member") for p in listed]
    _add_pairs(frame, pairs, s.sentence_no)
    return frame


def _lone_subject(parties: list[_Party], unq: str) -> str | None:
    groups = _groups(parties)
    subj = [g for g in groups if g[-1].particle in SUBJECT_PARTICLES and not role_cue_before(unq, g[0].start)]
    if len(subj) == 1 and len(subj[0]) == 1 and len(groups) == 1:
        return subj[0][0].mention.resolved
    return None


def _joined_group(unq: str, parties: list[_Party]) -> list[_Party]:
    """The list that joins in a follow-up sentence: two or more names (or a counted list) as the subject of the
    joining verb, with no role word before it (roles are read by the role sentences)."""
    for g in _groups(parties):
        last = g[-1]
        if last.particle not in SUBJECT_PARTICLES | {"도"}:
            continue
        if len(g) < 2 and not (last.has_deung or last.has_count):
            continue
        if _JOINED_RE.search(unq, last.after) and not _SELECTOR_RE.search(unq, last.after):
            return g
    return []


def _add_pairs(frame: _Frame, pairs: list[tuple[str, str]], sentence_no: int) -> None:
    for member, role in pairs:
        frame.add(member, role, sentence_no)
    if frame.pending_lead and frame.members and len(frame.members) >= 1:
        lead, sno = frame.pending_lead
        frame.pending_lead = None
        frame.add(lead, "lead", sno)


def _in_credit(text: str, p: _Party) -> bool:
    par = analysis_of(text).brackets.enclosing(p.start, p.end)
    return par is not None and is_credit_paren(text, par)


def _frame_of(ptype: str, text: str, unq: str, parties: list[_Party], frames: list[_Frame],
              last_group_frame: _Frame | None, abbrev: dict[str, str]) -> _Frame | None:
    if ptype == "role":
        return last_group_frame
    if ptype == "alliance":
        for m in _ABBREV_RE.finditer(text):
            full = _alliance_name(text[:m.start()])
            if full:
                abbrev[m.group(1).strip()] = full
        name = _alliance_name(text)
        if name in abbrev:
            name = abbrev[name]
        if name is None or not re.search(r"\s", name) and len(name) <= 6:
            prev = next((f for f in reversed(frames) if f.ptype == "alliance"), None)
            return prev or _frame_for(frames, "alliance", None)
        return _frame_for(frames, "alliance", name)
    if ptype == "consortium":
        name, _ = _consortium_name(text, parties)
        if name is None:
            # '컨소시엄은 …', '컨소시엄 협약서': the article's consortium named earlier
            prev = next((f for f in reversed(frames) if f.ptype == "consortium"), None)
            if prev is not None:
                return prev
        return _frame_for(frames, "consortium", name)
    return _frame_for(frames, ptype, None)


def _consortium_extras(text: str, mentions: list[OrgMention], parties: list[_Party]) -> list[tuple[str, str]]:
    out = []
    _, lead = _consortium_name(text, parties)
    if lead is not None:
        out.append((lead.mention.resolved, "lead"))
    out += [(m.resolved, "member") for m in _paren_members(text, sorted(mentions, key=lambda m: m.start))]
    return out


def _rows(frames: list[_Frame]) -> list[PartnershipMention]:
    rows: list[PartnershipMention] = []
    per_sentence: dict[int, int] = {}
    for f in frames:
        minimum = 2 if f.ptype in ("agreement", "joint_venture") else 1
        if len(f.members) < minimum:
            continue
        for member, role, sno in f.members.values():
            n = per_sentence.get(sno, 0)
            per_sentence[sno] = n + 1
            rows.append(PartnershipMention(sentence_no=sno, mention_no=n, partnership_type=f.ptype,
                                           partnership_name=f.name, member=member, role=role))
    return rows
