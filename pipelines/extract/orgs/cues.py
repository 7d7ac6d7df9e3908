"""Partnership cue words (regular expressions over sentence text) shared by resolve.py and ../partnerships.py.

* agreement: an agreement noun (협약, MOU, 양해각서, 협정, 공동사업협력, 협력, 파트너십, 제휴) followed closely by a
  signing verb (체결했다/체결하고/맺었다/서명했다/교환했다, 협약서에 서명했다, 협약식(과 발대식)을 가졌다/열었다,
  협약식이 … 열렸다), or a verb of working together without the noun (손잡고, 손을 잡았다, 맞손, 힘을 모은다). '체결식에는 … 참석', '협약에 따라',
  '협력 체결로' are not signings (no verb).
* consortium: 컨소시엄; joint venture: SPC/특수목적법인/합작법인/조인트벤처/공동 출자 + 설립/출자/출범 verbs;
  alliance: …얼라이언스/협의체/연합체/포럼/협의회 with 출범/발족/창립/결성/구성/가입/참여.
* role cues: 공동의장(사)/의장사/회장사 → co_chair, 공동감사/감사(로/는) → auditor, 지원을 전담하는/전담기관/지원기관/
  협력 기관/후원 → supporter, 참여기관/참여기업/참여사/회원사 → member, 주관기관/주관사/대표기관/주관하는 → lead.
"""
from __future__ import annotations

import re

AGREEMENT_NOUN = r"(?:업무\s?협약|협약|MOU|엠오유|양해각서|협정|공동사업협력|협력|파트너십|제휴|협정서|약정)"
SIGNING_VERB = (
    r"(?:(?:체결|서명|교환|조인)(?:했|하였|한다|하고|하며|하는|한|해|할|키로|하기로|됐|되었|된)"
    r"|맺(?:었|고|은|는|기로|어|을)|(?:협약|제휴)(?:했|하였|한다|하고|을\s?맺)"
    r"|(?:체결|협약|서명)식(?:[과와]\s?[가-힣]{1,8}식)?을\s?(?:가졌|갖|열|개최|진행)"
    r"|(?:체결|협약|서명)식이\s?[^.]{0,40}?(?:열렸|열려|열린|개최됐|개최되|진행됐|진행되))"
)
# working together said without an agreement noun: 'A와 손잡고', 'A·B 맞손', 'A와 힘을 모은다'
COLLAB_VERB = (r"(?:손(?:을)?\s?(?:맞)?잡(?:았|고|은|는|기로|아|는다)|맞손(?:을\s?잡|$|\s?…|…)"
               r"|힘을\s?(?:모은다|모으기로|모았|모아|모으고|합치기로|합쳤|합친다))")
_CLOSE_QUOTE = r"[’'\"”」』>〉》]?"
# '협약을 체결했다', '‘… 업무협약(MOU)’을 체결했다' (a quoted agreement title), '협약을 맺은 뒤'
_AGREEMENT_FWD = (AGREEMENT_NOUN + r"(?:식|서)?(?:\s?\([^)]{0,20}\))?" + _CLOSE_QUOTE
                  + r"\s?(?:을|를|도|까지|만|에)?\s?(?:공식\s?|정식\s?|각각\s?|잇따라\s?|새로\s?|다시\s?)?" + SIGNING_VERB)
REL_SIGNING_VERB = r"(?:맺은|맺었던|체결한|체결했던|체결된|서명한|서명했던|교환한|교환했던)"
# the verb in a relative clause before the agreement: 'A와 B가 지난해 맺은 ‘… 업무협약’', '체결한 협약에 따라'
_AGREEMENT_REL = (REL_SIGNING_VERB + r"\s?[‘'\"“「『<〈《]?[^’'\"”」』>〉》.]{0,40}?" + AGREEMENT_NOUN
                  + r"(?:식|서)?(?:\s?\([^)]{0,20}\))?" + _CLOSE_QUOTE)
# headline style without a verb: 'A·B·C, … MOU', 'A-B, 스마트시티 업무협약 체결…'
_AGREEMENT_HEADLINE = (r"(?:업무\s?협약|협약|MOU|양해각서|맞손|업무제휴)(?:\s?\([^)]{0,20}\))?" + _CLOSE_QUOTE
                       + r"(?:\s?체결|\s?맺어)?\s*(?:…|\.\.\.|$)")
# the ceremony said instead of the signing: '협약식을 가졌다', '협약식과 발대식을 열었다', '협약식이 … 열렸다'
_AGREEMENT_CEREMONY = (AGREEMENT_NOUN + r"\s?(?:체결|서명)?식(?:[과와]\s?[가-힣]{1,8}식)?"
                       r"(?:(?:을|를)\s?(?:가졌|갖|열|개최|진행)|이\s?[^.]{0,40}?(?:열렸|열려|개최됐|개최되|진행됐))")
AGREEMENT_RE = re.compile(f"{_AGREEMENT_FWD}|{_AGREEMENT_REL}|{_AGREEMENT_HEADLINE}|{_AGREEMENT_CEREMONY}|{COLLAB_VERB}")
CONSORTIUM_RE = re.compile(r"컨소시엄")
JV_NOUN_RE = re.compile(r"SPC|특수목적법인|합작\s?법인|합작\s?회사|합작사|조인트\s?벤처|공동\s?출자|합작")
JV_VERB_RE = re.compile(r"설립|출자|출범|세우|세운|만들|발족|지분")
ALLIANCE_WORD = r"(?:얼라이언스|협의체|연합체|포럼|협의회|동맹)"
ALLIANCE_RE = re.compile(ALLIANCE_WORD)
# taking a seat in it: '협의체의 회장사를 맡아', '의장사로 선임됐다'
ROLE_TAKEN_RE = re.compile(r"(공동\s?의장(?:사|단)?|의장사|회장사|간사|감사)(?:를|을|로|으로|에)?\s?(?:맡|선임|선출|추대|뽑)")
ALLIANCE_VERB_RE = re.compile(r"출범|발족|창립|결성|구성|가입|참여|창설|맡(?:는다|았|고|아|기로|을)|" + ROLE_TAKEN_RE.pattern)

ROLE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("co_chair", re.compile(r"(?:공동\s?)?의장(?:사|단|기관)|공동\s?의장|(?:공동\s?)?회장사")),
    ("auditor", re.compile(r"공동\s?감사|감사(?:사|기관)|감사(?=(?:로|는|에는|를\s?맡)\s)")),
    ("supporter", re.compile(
        r"지원(?:을|를)?\s?전담(?:하는|할|한)?|전담\s?(?:지원\s?)?기관|지원\s?기관|후원(?:\s?기관|사)?|협력\s?기관|사무국")),
    ("lead", re.compile(r"주관\s?기관|주관사|주관\s?기업|대표\s?기관|총괄\s?기관|주관(?:하는|하고|하며|한)|이끄는|주도하는"
                        r"|(?:대표|주관)\s?사업자|대표\s?사")),
    ("member", re.compile(r"참여\s?기관|참여\s?기업|참여사|회원사|회원\s?기관|창립\s?(?:회원|멤버|기관)|구성\s?기관"
                          r"|수요\s?기관|참여\s?사업자|공동\s?수행\s?기관|실증\s?기관")),
)
ROLE_STRENGTH = {"co_chair": 4, "auditor": 4, "lead": 3, "supporter": 2, "member": 1}

ANY_CUE_RE = re.compile(
    AGREEMENT_NOUN + r"|컨소시엄|" + ALLIANCE_WORD + r"|SPC|특수목적법인|합작|공동\s?출자|의장|감사|전담|주관|참여|회원사|"
    + COLLAB_VERB
)


def has_partner_cue(text: str) -> bool:
    return ANY_CUE_RE.search(text) is not None


_BEFORE_TAIL_RE = re.compile(r"(?:으로는|으로|로는|로|인|은|는|에는|엔|에|:|을 맡은|를 맡은|과|와)?\s*")
_AFTER_HEAD_RE = re.compile(r"\s*(?:등\s?)?(?:\d+\s?개\s?(?:사|기관|기업)?\s?)?(?:초대|신임|새|차기|각각|모두)?\s?")


def role_cue_before(text: str, start: int) -> str | None:
    """Role named right before a group: '공동의장사로 [A와 B]가', '협력 기관인 [B, C]', '지원을 전담하는 [A]'."""
    window = text[max(0, start - 18):start]
    for role, rx in ROLE_CUES:
        for m in rx.finditer(window):
            if (_BEFORE_TAIL_RE.fullmatch(window[m.end():]) and not re.search(r"[을를]\s?$", window[:m.start()])
                    and not m.group(0).endswith(("하고", "하며"))):
                return role  # not 'KT를 주관사로 A, B가' nor 'A가 주관하고 B, C가': there the role is KT's, A's
    return None


def role_cue_after(text: str, end: int) -> str | None:
    """Role named right after a group (after its particle): '[A] 등 참여기관은', '[A와 B]가 공동의장사로'."""
    m = _AFTER_HEAD_RE.match(text, end)
    pos = m.end() if m else end
    for role, rx in ROLE_CUES:
        if rx.match(text, pos):
            return role
    return None
