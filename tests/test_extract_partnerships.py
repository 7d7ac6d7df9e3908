"""Partnerships: agreements, consortia, alliances, joint ventures, negatives, and the seed-corpus bar.

Rule tests use sentences written for them. The seed test reads the shared page texts in place (never copied),
cuts them with a crude cleaner, and scores like shared/eval/score.py (members matched on (type, name) after its
norm_org) with the alias seed + a country-prefix strip applied as dbt will. Bar: F1 >= 0.90.
"""
from __future__ import annotations

import csv
import json
import re
import time
import unicodedata

from pipelines.extract.orgs import find_org_mentions
from pipelines.extract.partnerships import find_partnerships
from pipelines.extract.sentences import split_sentences
from pipelines.settings import SEEDS_DIR
from tests.support.paths import SEED_GOLD, SHARED, needs_shared


def _parts(body: str) -> set[tuple[str, str | None, str, str]]:
    ss = split_sentences(body)
    return {(p.partnership_type, p.partnership_name, p.member, p.role)
            for p in find_partnerships(ss, find_org_mentions(ss))}


def test_agreement_two_parties_subject_leads() -> None:
    got = _parts("용인시는 22일 삼성SDS와 스마트시티 구축을 위한 업무협약(MOU)을 체결했다.")
    assert got == {("agreement", None, "용인시", "lead"), ("agreement", None, "삼성SDS", "member")}


def test_agreement_anaphoric_subject_resolves_to_the_city() -> None:
    got = _parts("김해시가 디지털 행정을 확대한다.\n\n시는 3일 누리온랩스와 공동사업협력을 체결했다고 밝혔다.")
    assert got == {("agreement", None, "김해시", "lead"), ("agreement", None, "누리온랩스", "member")}


def test_agreement_three_parties_with_a_count() -> None:
    got = _parts("한국수자원공사, 네이버클라우드, 카이스트 3개 기관이 디지털트윈 MOU를 체결했다.")
    assert {m for _, _, m, _ in got} == {"한국수자원공사", "네이버클라우드", "카이스트"}
    assert {t for t, *_ in got} == {"agreement"}


def test_agreement_coordinated_subjects() -> None:
    got = _parts("포스코이앤씨와 한국토지주택공사(LH)는 24일 스마트 건설 협약을 맺었다.")
    assert {m for _, _, m, _ in got} == {"포스코이앤씨", "한국토지주택공사"}


def test_agreement_with_elided_subject_uses_the_main_actor() -> None:
    got = _parts("세종시가 자율주행 특구에 지정됐다. 이를 위해 현대오토에버, 카카오모빌리티와 업무협약을 체결했다.")
    assert ("agreement", None, "세종특별자치시", "lead") in got
    assert {m for _, _, m, r in got if r == "member"} == {"현대오토에버", "카카오모빌리티"}


def test_ceremony_attendees_and_quoted_speech_are_not_parties() -> None:
    assert _parts("협약식에는 이재명 성남시장과 김영수 한화시스템 사장 등이 참석했다.") == set()
    assert _parts("김동연 지사는 “KT와 협약을 체결해 기쁘다”고 말했다.") == set()
    assert _parts("협력 체결에 따라 양 기관은 로봇 개발을 지원하기로 했다.") == set()


def test_consortium_members_across_two_sentences_are_one_partnership() -> None:
    got = _parts("대구시는 KT, 대구은행, 경북대학교와 컨소시엄을 구성했다. 또 한국교통연구원 등과도 컨소시엄을 맺었다.")
    assert ("consortium", None, "대구광역시", "lead") in got
    assert {m for _, _, m, r in got if r == "member"} == {"KT", "대구은행", "경북대학교", "한국교통연구원"}


def test_consortium_with_elided_subject_and_counted_list() -> None:
    body = "광양시가 스마트도시 공모에 최종 선정됐다.\n\n이를 위해 진성테크, 현대차, 英 C&P, 그리고, MTS 4개사와 컨소시엄을 구성했다."
    got = _parts(body)
    assert ("consortium", None, "광양시", "lead") in got
    assert {m for _, _, m, r in got if r == "member"} == {"진성테크", "현대차", "英 C&P", "MTS"}


def test_consortium_lead_marked_by_role_words() -> None:
    got = _parts("이번 사업은 주관기관 LG유플러스를 중심으로 참여기관 한국교통연구원, 아주대학교가 컨소시엄을 꾸려 수행한다.")
    assert got == {("consortium", None, "LG유플러스", "lead"), ("consortium", None, "한국교통연구원", "member"),
                   ("consortium", None, "아주대학교", "member")}


def test_named_consortium_with_members_in_parentheses() -> None:
    got = _parts("SK텔레콤 컨소시엄(SK텔레콤, 티맵모빌리티, 한국교통안전공단)이 최종 선정됐다.")
    assert got == {("consortium", "SK텔레콤 컨소시엄", "SK텔레콤", "lead"),
                   ("consortium", "SK텔레콤 컨소시엄", "티맵모빌리티", "member"),
                   ("consortium", "SK텔레콤 컨소시엄", "한국교통안전공단", "member")}


def test_alliance_roles_and_name() -> None:
    body = ("‘디지털트윈 얼라이언스’가 지난 3일 공식 출범했다. 초대 공동의장사로 네이버랩스와 한글과컴퓨터가 선임됐다. "
            "공동감사는 한국부동산원이 맡는다. 얼라이언스 지원을 전담하는 한국국토정보공사와 협력 기관인 공간정보산업협회, "
            "한국측량학회도 함께했다. 네이버랩스, 누리온랩스 등 참여기관은 협력을 약속했다.")
    got = _parts(body)
    assert {t for t, *_ in got} == {"alliance"} and {n for _, n, _, _ in got} == {"디지털트윈 얼라이언스"}
    roles = {m: r for _, _, m, r in got}
    assert roles == {"네이버랩스": "co_chair", "한글과컴퓨터": "co_chair", "한국부동산원": "auditor",
                     "한국국토정보공사": "supporter", "공간정보산업협회": "supporter", "한국측량학회": "supporter",
                     "누리온랩스": "member"}


def test_joint_venture_with_named_parties() -> None:
    got = _parts("현대건설과 포스코이앤씨가 스마트시티 운영을 위한 SPC를 설립했다.")
    assert {(t, m) for t, _, m, _ in got} == {("joint_venture", "현대건설"), ("joint_venture", "포스코이앤씨")}


def test_joint_venture_with_generic_parties_yields_nothing() -> None:
    body = "천안시가 센터 유치에 나섰다.\n\n시는 글로벌 기업, 외국계 투자사 등과 민관합동 특수목적법인 출자를 협의하고 있다."
    assert _parts(body) == set()
    assert _parts("공공과 민간이 각각 51%, 49% 비율로 출자한 특수목적법인(SPC)이 구축을 맡는다.") == set()


def test_competitors_and_connected_sectors_are_not_partners() -> None:
    assert _parts("전주는 경쟁하던 수원과 화성을 앞서며 최종 선정됐다.") == set()
    assert _parts("의원은 국회와 민간, 학계를 연결하는 간담회를 주관했다.") == set()


# --- the seed corpus bar -----------------------------------------------------------------------------------

_CUT = ("저작권자", "무단전재", "Related", "기자의 추가")


def _crude_body(text: str) -> str:
    lines = []
    for line in text.split("\n"):
        if any(c in line for c in _CUT):
            break
        lines.append(line)
    return "\n\n".join(lines)


def _norm_org(s: str | None) -> str:  # shared/eval/score.py's norm_org
    s = unicodedata.normalize("NFKC", s or "").lower()
    s = s.replace("주식회사", "").replace("(주)", "").replace("㈜", "")
    return re.sub(r"[\s·.,'\"“”‘’]", "", s)


def _forms(member: str, aliases: dict[str, str], prefixes: list[str]) -> frozenset[str]:
    """What dbt makes of a surface: the surface, its alias canonical, the country-prefix-stripped key."""
    forms = {member, aliases.get(member, member)}
    key = _norm_org(member)
    for p in sorted(prefixes, key=len, reverse=True):
        pk = _norm_org(p)
        if key.startswith(pk) and re.match(r"[a-z0-9&]", key[len(pk):] or " "):
            forms.add(key[len(pk):])
            break
    return frozenset(_norm_org(f) for f in forms)


@needs_shared
def test_seed_corpus_partnerships_f1() -> None:
    gold = {a["url_key"]: a for a in json.loads(SEED_GOLD.read_text(encoding="utf-8"))["articles"]}
    with open(SEEDS_DIR / "org_aliases.csv", encoding="utf-8") as f:
        aliases = {r["alias"]: r["canonical_name"] for r in csv.DictReader(f)}
    with open(SEEDS_DIR / "country_prefixes.csv", encoding="utf-8") as f:
        prefixes = [r["prefix"] for r in csv.DictReader(f)]
    pages = sorted((SHARED / "seeds").glob("*.txt"))
    assert len(pages) == 4
    tp = fp = fn = 0
    timings = []
    for page in pages:
        idx = page.name.split("_")[0]
        art = next(a for k, a in gold.items() if k.endswith(idx))
        ss = split_sentences(_crude_body(page.read_text(encoding="utf-8")))
        t0 = time.perf_counter()
        preds = find_partnerships(ss, find_org_mentions(ss))
        timings.append(time.perf_counter() - t0)
        pm = {(p.partnership_type, _forms(p.member, aliases, prefixes)) for p in preds}
        used: set = set()
        for p in art.get("partnerships", []):
            for m in p["members"]:
                want = {_norm_org(m["name"])} | {_norm_org(x) for x in m.get("aliases", [])}
                hits = {k for k in pm if k[0] == p["partnership_type"] and k[1] & want}
                if m.get("optional"):
                    used |= hits
                    continue
                hit = next((k for k in hits if k not in used), None)
                if hit is None:
                    fn += 1
                else:
                    tp += 1
                    used.add(hit)
        fp += len([k for k in pm if k not in used])
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"seed partnerships: tp={tp} fp={fp} fn={fn} P={precision:.2f} R={recall:.2f} F1={f1:.2f}")
    assert f1 >= 0.90


# --- generalisation: agreement phrasings -------------------------------------------------------------------


def _members(got: set) -> set[str]:
    return {m for _, _, m, _ in got}


def test_agreement_with_a_quoted_title_before_the_verb() -> None:
    got = _parts("광명시는 지난 3일 한빛데이터와 ‘도시 열섬 저감을 위한 디지털트윈 협약’을 체결했다고 밝혔다.")
    assert got == {("agreement", None, "광명시", "lead"), ("agreement", None, "한빛데이터", "member")}
    got = _parts("한국도로공사는 누리온랩스와 ‘고속도로 AI 돌발상황 감지 업무협약(MOU)’을 맺었다.")
    assert got == {("agreement", None, "한국도로공사", "lead"), ("agreement", None, "누리온랩스", "member")}
    got = _parts("청주시가 충북대학교와 “스마트 농업 실증 양해각서”를 교환했다.")
    assert ("agreement", None, "청주시", "lead") in got and "충북대학교" in _members(got)


def test_agreement_named_in_a_relative_clause() -> None:
    got = _parts("이 서비스는 춘천시와 카카오모빌리티가 지난해 맺은 ‘교통약자 이동지원 협약’에 따라 마련됐다.")
    assert _members(got) == {"춘천시", "카카오모빌리티"} and {t for t, *_ in got} == {"agreement"}
    got = _parts("관제센터는 양산시와 한국전자통신연구원이 2023년 체결한 업무협약을 바탕으로 문을 열었다.")
    assert _members(got) == {"양산시", "한국전자통신연구원"}
    got = _parts("포항시와 포스코DX가 서명했던 ‘스마트 제철도시 MOU’의 후속 조치다.")
    assert _members(got) == {"포항시", "포스코DX"}


def test_agreement_in_a_headline_style_line_without_a_verb() -> None:
    got = _parts("목포시·한국전력공사·누리온랩스, 해상풍력 데이터 MOU")
    assert got == {("agreement", None, "목포시", "lead"), ("agreement", None, "한국전력공사", "member"),
                   ("agreement", None, "누리온랩스", "member")}
    got = _parts("안산시·SK텔레콤, 스마트 안전도시 업무협약 체결…")
    assert _members(got) == {"안산시", "SK텔레콤"}
    got = _parts("경주시, 네이버클라우드와 관광 AI 협약…3년간 20억 투입")
    assert _members(got) == {"경주시", "네이버클라우드"}


def test_multi_party_agreements_in_several_word_orders() -> None:
    got = _parts("대전광역시·한국전자통신연구원·LG유플러스·누리온랩스는 16일 도심항공 실증 MOU를 체결했다.")
    assert _members(got) == {"대전광역시", "한국전자통신연구원", "LG유플러스", "누리온랩스"}
    got = _parts("창원시, 경상국립대학교, 한국전기연구원, 두산에너빌리티 등 4개 기관이 수소도시 협약을 맺었다.")
    assert _members(got) == {"창원시", "경상국립대학교", "한국전기연구원", "두산에너빌리티"}
    got = _parts("원주시는 한국관광공사와 디지털 관광 협약을 맺고 공동 마케팅에 나선다.")
    assert got == {("agreement", None, "원주시", "lead"), ("agreement", None, "한국관광공사", "member")}
    got = _parts("고양시는 11일 현대자동차, KT, 고양도시관리공사와 ‘자율주행 셔틀 실증 협약(MOU)’을 체결했다.")
    assert ("agreement", None, "고양시", "lead") in got
    assert _members(got) == {"고양시", "현대자동차", "KT", "고양도시관리공사"}


# --- generalisation: consortia -----------------------------------------------------------------------------


def test_the_ministry_that_selects_a_consortium_is_not_a_member() -> None:
    got = _parts("과학기술정보통신부는 ‘AI 도시 실증’ 공모에서 천안시 컨소시엄을 최종 선정했다고 밝혔다.")
    assert got == {("consortium", "천안시 컨소시엄", "천안시", "lead")}
    got = _parts("행정안전부가 이번 사업 수행기관으로 KT 컨소시엄을 선정했다.")
    assert got == {("consortium", "KT 컨소시엄", "KT", "lead")}
    got = _parts("국토교통부는 심사를 거쳐 ‘스마트 울산’ 컨소시엄을 사업자로 뽑았다.")
    assert {m for _, _, m, _ in got} == set()


def test_consortium_members_in_a_counted_list() -> None:
    got = _parts("여수시 컨소시엄은 주관기관인 ㈜바다정보기술을 중심으로 여수시, 전남대학교, 전남테크노파크, "
                 "주식회사 한결해양 등 5개 기관으로 구성됐다.")
    assert {m for _, _, m, r in got if r == "member"} >= {"전남대학교", "전남테크노파크", "주식회사 한결해양"}
    assert ("consortium", "여수시 컨소시엄", "㈜바다정보기술", "lead") in got
    got = _parts("컨소시엄에는 아주대학교, 한국교통연구원, 누리온랩스 등이 참여한다.")
    assert _members(got) == {"아주대학교", "한국교통연구원", "누리온랩스"}
    got = _parts("이 컨소시엄은 LG CNS, 한국자동차연구원, 한밭소프트 3개사로 꾸려졌다.")
    assert _members(got) == {"LG CNS", "한국자동차연구원", "한밭소프트"}


def test_consortium_lead_and_participants_named_by_role_words() -> None:
    got = _parts("컨소시엄은 주관기관 KT, 참여기관 한국교통연구원·아주대학교·누리온랩스로 짜였다.")
    assert ("consortium", None, "KT", "lead") in got
    assert {m for _, _, m, r in got if r == "member"} == {"한국교통연구원", "아주대학교", "누리온랩스"}
    got = _parts("주관사인 네이버클라우드와 참여사 한빛데이터, 세진이노텍이 컨소시엄을 이뤘다.")
    assert ("consortium", None, "네이버클라우드", "lead") in got
    assert {m for _, _, m, r in got if r == "member"} == {"한빛데이터", "세진이노텍"}
    got = _parts("대표기관인 부산대학교와 참여기관인 부산테크노파크가 컨소시엄을 구성했다.")
    assert ("consortium", None, "부산대학교", "lead") in got and ("consortium", None, "부산테크노파크", "member") in got


def test_a_later_unnamed_consortium_sentence_adds_to_the_named_one() -> None:
    body = ("국토부는 순천시 컨소시엄을 선정했다.\n\n컨소시엄에는 순천대학교, 누리온랩스 등이 참여한다.\n\n"
            "주관기관인 누리온랩스는 플랫폼 구축을 맡는다.")
    got = _parts(body)
    assert {n for _, n, _, _ in got} == {"순천시 컨소시엄"}
    assert _members(got) == {"순천시", "순천대학교", "누리온랩스"}


def test_co_chairs_written_with_a_legal_form_are_found() -> None:
    body = "‘영남권 AI 도시 협의체’가 출범했다. 총회에서는 대구광역시와 주식회사 한길AI랩이 공동의장으로 선임됐다."
    got = _parts(body)
    assert ("alliance", "영남권 AI 도시 협의체", "대구광역시", "co_chair") in got
    assert ("alliance", "영남권 AI 도시 협의체", "주식회사 한길AI랩", "co_chair") in got


def test_an_agreement_to_found_a_joint_venture_is_a_joint_venture() -> None:
    got = _parts("경상북도는 포스코DX, 한빛데이터와 ‘스마트 항만 합작법인 설립 협약’을 체결했다.")
    assert {t for t, *_ in got} == {"joint_venture"} and _members(got) == {"경상북도", "포스코DX", "한빛데이터"}
    got = _parts("한국수자원공사와 네이버클라우드는 물관리 SPC 설립을 위한 업무협약을 맺었다.")
    assert {t for t, *_ in got} == {"joint_venture"} and _members(got) == {"한국수자원공사", "네이버클라우드"}
    got = _parts("울산광역시가 SK텔레콤과 특수목적법인 공동 설립 MOU를 체결했다.")
    assert {t for t, *_ in got} == {"joint_venture"} and _members(got) == {"울산광역시", "SK텔레콤"}
    # an ordinary agreement stays an agreement
    got = _parts("울산광역시가 SK텔레콤과 AI 교통 MOU를 체결했다.")
    assert {t for t, *_ in got} == {"agreement"}


def test_a_descriptor_between_listed_partners_keeps_the_list() -> None:
    got = _parts("강릉시가 한국전력공사, 수소 전문기업 주식회사 하이젠과 함께 특수목적법인을 세운다.")
    assert _members(got) == {"강릉시", "한국전력공사", "주식회사 하이젠"}
    got = _parts("전주시는 전북대학교, 지역 스타트업인 누리온랩스와 데이터 협약을 체결했다.")
    assert _members(got) == {"전주시", "전북대학교", "누리온랩스"}
    got = _parts("부천시는 KT, 영상분석 업체 ㈜비전웍스와 업무협약을 맺었다.")
    assert _members(got) == {"부천시", "KT", "㈜비전웍스"}


# --- issue 14: parties found by the structure of the sentence (each rule, three phrasings written for it) -------


def _of_type(body: str, ptype: str = "agreement") -> set[str]:
    return {m for t, _, m, _ in _parts(body) if t == ptype}


def test_long_enumerations_close_with_descriptors_counts_and_kinds() -> None:
    assert {"국토교통부", "산업통상부", "기후에너지환경부", "현대차그룹", "전라북도"} <= _of_type(
        "전라북도는 현대차그룹, 국토교통부·산업통상부·기후에너지환경부 등 정부 3개 기관과 투자협약을 맺었다.")
    assert {"경상남도", "메가존클라우드", "경남대학교"} <= _of_type(
        "경상남도가 첫 협약을 알렸다. 도는 메가존클라우드, 경남대학교, 누리데이터 등 40개 기업·기관과 업무협약을 체결했다.")
    assert {"NHN", "광주시", "인공지능산업융합사업단"} <= _of_type(
        "NHN과 광주시, 인공지능산업융합사업단 세 기관은 투자협약서에 서명했다.")
    assert {"네이버", "카카오", "NHN클라우드", "행정안전부"} <= _of_type(
        "행정안전부는 네이버, 카카오, NHN클라우드 등 민간 클라우드 기업 3곳과 업무협약을 체결했다.")


def test_a_name_before_bireothae_opens_the_list() -> None:
    got = _of_type("부산시는 한국해양과학기술원을 비롯해 ㈜파도소프트와 동명대학교, 부산정보산업진흥원(BIPA) 등 "
                   "4개 기관·기업과 해양 디지털트윈 업무협약을 맺었다.")
    assert {"한국해양과학기술원", "㈜파도소프트", "동명대학교", "부산정보산업진흥원", "부산광역시"} <= got
    assert {"한국전자통신연구원", "대전광역시"} <= _of_type("대전시가 한국전자통신연구원을 비롯한 6개 기관과 스마트시티 협약을 체결했다.")
    assert {"누리비전", "한빛로보틱스", "새온모빌리티"} <= _of_type(
        "경기도는 판교 입주사인 누리비전을 비롯해 한빛로보틱스, 새온모빌리티 등과 자율주행 실증 협약을 체결했다.")


def test_working_together_without_an_agreement_noun() -> None:
    assert _of_type("청주시는 스마트도시 조성을 위해 KT와 손잡았다.") == {"청주시", "KT"}
    assert _of_type("고양시와 ㈜한빛드론은 드론 배송 서비스 상용화를 위해 맞손을 잡았다.") == {"고양시", "㈜한빛드론"}
    assert _of_type("수원시와 한국전력공사, 네이버클라우드가 에너지 데이터 플랫폼 구축에 힘을 모은다.") == {
        "수원시", "한국전력공사", "네이버클라우드"}


def test_the_ceremony_or_the_signed_document_states_the_signing() -> None:
    got = _of_type("‘AI 교차로 구축사업’ 업무협약식이 16일 구청에서 열려 광주광역시 서구와 광주시, 광주경찰청이 협약서에 서명했다.")
    assert {"광주광역시", "광주경찰청"} <= got
    body = "충청북도(도지사 김영환)는 26일 거버넌스 협약식과 발대식을 열었다. 거버넌스에는 청주시·진천군, 충북연구원 등 기관이 참여했다."
    assert _of_type(body) == {"충청북도", "청주시", "진천군", "충북연구원"}
    assert _of_type("김포시와 한국농어촌공사는 스마트팜 협약식을 가졌다.") == {"김포시", "한국농어촌공사"}


def test_members_named_in_a_sentence_after_the_signing() -> None:
    body = "전주시는 10일 데이터 허브 업무협약을 체결했다. 협약에는 한국국토정보공사, 전북대학교, ㈜가온아이티가 참여했다."
    assert _of_type(body) == {"전주시", "한국국토정보공사", "전북대학교", "㈜가온아이티"}
    body = "울산시가 수소 협약식을 열었다. 이날 행사에는 시민 100명이 모였다. SK가스와 한국동서발전, 울산대학교가 함께했다."
    assert _of_type(body) == {"울산광역시", "SK가스", "한국동서발전", "울산대학교"}
    body = "대구시는 스마트시티 협약을 체결했다. 경북대학교, 대구테크노파크, 한국교통연구원 등 3곳이 이름을 올렸다."
    assert _of_type(body) == {"대구광역시", "경북대학교", "대구테크노파크", "한국교통연구원"}


def test_lists_introduced_by_a_relative_clause_or_a_role_noun() -> None:
    assert {"한국도로공사", "한국교통안전공단"} <= _of_type("시와 협약을 맺은 기관은 한국도로공사, 한국교통안전공단, 도로교통공단이다.")
    assert _of_type("이번 협약 참여 기관은 대구시, 경북대학교, 대구테크노파크 등 3곳이다.") == {
        "대구광역시", "경북대학교", "대구테크노파크"}
    body = "전주시는 10일 업무협약을 체결했다.\n\n○ 협약기관 : 전주시, 한국국토정보공사, ㈜가온아이티"
    assert _of_type(body) == {"전주시", "한국국토정보공사", "㈜가온아이티"}


def test_consortium_roles_lead_member_and_demand_side() -> None:
    got = _parts("컨소시엄은 주관기관인 네이버클라우드를 중심으로 참여기관 한글과컴퓨터와 영상분석 스타트업 ㈜비전스퀘어, "
                 "수요기관 안양시로 짜였다.")
    assert {(m, r) for _, _, m, r in got} == {("네이버클라우드", "lead"), ("한글과컴퓨터", "member"),
                                              ("㈜비전스퀘어", "member"), ("안양시", "member")}
    got = _parts("이번 실증은 시흥시가 대표사업자를 맡고 한국무인이동체연구조합(KRAUV)과 드론 전문기업 ㈜유맥에어, "
                 "한국교통안전공단 시흥드론교육센터가 컨소시엄으로 참여한다.")
    assert {(m, r) for _, _, m, r in got} >= {("시흥시", "lead"), ("㈜유맥에어", "member"), ("한국교통안전공단", "member")}
    got = _parts("KT 컨소시엄에는 KT를 주관사로 현대건설, 삼성물산, 한국교통연구원이 참여했다.")
    assert {(m, r) for _, _, m, r in got} == {("KT", "lead"), ("현대건설", "member"), ("삼성물산", "member"),
                                              ("한국교통연구원", "member")}


def test_a_consortium_word_as_topic_and_a_list_in_its_parentheses() -> None:
    assert {"가온소프트", "한빛ENG", "강릉원주대학교", "KT"} <= _of_type(
        "이번 사업은 KT가 꾸린 ‘스마트 강릉’ 컨소시엄이 맡는다. 컨소시엄에는 가온소프트, 한빛ENG, 강릉원주대학교가 참여한다.",
        "consortium")
    assert _of_type("㈜누리소프트 컨소시엄(누리소프트·가온테크·한밭대학교)이 최종 사업자로 선정됐다.", "consortium") == {
        "㈜누리소프트", "가온테크", "한밭대학교"}
    assert {"LG CNS", "한화시스템", "포스코DX"} <= _of_type(
        "공모에는 LG CNS가 주관하는 컨소시엄이 참여했으며, 이 컨소시엄에는 한화시스템과 포스코DX가 이름을 올렸다.", "consortium")


def test_spc_shareholders_with_their_shares() -> None:
    assert _of_type("SPC에는 한국토지주택공사가 50%, 현대건설이 30%, 하나은행이 20%를 출자했다.", "joint_venture") == {
        "한국토지주택공사", "현대건설", "하나은행"}
    assert {"한국수자원공사", "부산광역시"} <= _of_type(
        "SPC 지분은 한국수자원공사 51%, 부산시 19%, 민간 사업자 30%로 구성된다.", "joint_venture")
    assert _of_type("특수목적법인(SPC)은 한국도로공사 40%, 대우건설 35%, 신한은행 25%의 출자로 설립됐다.", "joint_venture") == {
        "한국도로공사", "대우건설", "신한은행"}


def test_alliance_seats_taken_by_named_or_elided_subjects() -> None:
    body = "네이버클라우드는 광주에 사무소를 냈다. 지난 5월부터는 광주 AI산업발전협의체의 회장사를 맡아 기업 유치를 조율하고 있다."
    assert ("alliance", "네이버클라우드", "co_chair") in {(t, m, r) for t, _, m, r in _parts(body)}
    body = "대구 디지털트윈 얼라이언스가 출범했다. 이날 총회에서는 SK AX와 한빛소프트가 초대 공동의장사로 선임됐다."
    assert {(m, r) for _, _, m, r in _parts(body)} >= {("SK AX", "co_chair"), ("한빛소프트", "co_chair")}
    body = "스마트도시 얼라이언스가 출범했다. 감사는 iM뱅크와 삼정KPMG가 맡았으며, 대구광역시가 후원기관으로 힘을 보탠다."
    assert {(m, r) for _, _, m, r in _parts(body)} >= {("iM뱅크", "auditor"), ("삼정KPMG", "auditor"),
                                                         ("대구광역시", "supporter")}


def test_people_who_sign_stand_for_their_organisations() -> None:
    assert _of_type("이날 협약식에서 우범기 전주시장과 박영수 한빛소프트 대표가 협약서에 서명했다.") == {"전주시", "한빛소프트"}
    assert _of_type("김태흠 충남지사와 정의선 현대차그룹 회장은 미래차 협약을 맺었다.") == {"충청남도", "현대차그룹"}
    assert _of_type("정유나 한국마이크로소프트 공공사업본부장과 김민지 진천군수가 MOU를 교환했다.") == {
        "한국마이크로소프트", "진천군"}
    # attending is not signing
    assert _of_type("협약식에는 이재명 성남시장과 김영수 한화시스템 사장 등이 참석했다.") == set()


def test_the_founder_of_an_alliance_with_partners_leads_it() -> None:
    got = {(m, r) for t, _, m, r in _parts("경기도는 한국토지주택공사, 경기주택도시공사 등과 함께 ‘스마트시티 협의체’를 출범했다.")}
    assert got == {("경기도", "lead"), ("한국토지주택공사", "member"), ("경기주택도시공사", "member")}
    got = {(m, r) for t, _, m, r in _parts("부산시는 부산대학교, 부산테크노파크와 ‘해양 데이터 얼라이언스’를 결성했다.")}
    assert ("부산광역시", "lead") in got and ("부산대학교", "member") in got
    got = {(m, r) for t, _, m, r in _parts("대전시가 한국전자통신연구원과 함께 ‘양자 산업 협의회’를 창립했다.")}
    assert ("대전광역시", "lead") in got and ("한국전자통신연구원", "member") in got


def test_spc_owners_in_a_relative_clause() -> None:
    assert _of_type("㈜서남해안개발은 한빛그룹, 전남도, 전남개발공사 등이 출자한 특수목적법인이다.", "joint_venture") == {
        "㈜서남해안개발", "한빛그룹", "전라남도", "전남개발공사"}
    # the SPC named after the clause is not the subject's business
    got = _of_type("솔라시티는 한빛그룹과 전남도가 공동 출자한 특수목적법인 가온개발이 개발한다.", "joint_venture")
    assert {"한빛그룹", "전라남도"} <= got and "솔라시티" not in got
    assert {"한국도로공사", "대우건설"} <= _of_type(
        "이 도로는 한국도로공사와 대우건설이 설립한 SPC가 운영한다.", "joint_venture")


def test_clauses_with_different_partnerships_are_read_apart() -> None:
    body = "지난해 오픈AI와 SK그룹이 AI 데이터센터 양해각서를 맺었고, 삼성SDS 컨소시엄이 부지를 제안했다."
    got = {(t, m) for t, _, m, _ in _parts(body)}
    assert ("agreement", "오픈AI") in got and ("agreement", "SK그룹") in got
    assert ("consortium", "오픈AI") not in got and ("consortium", "SK그룹") not in got
    body = "시는 KT와 업무협약을 체결했으며, 한빛소프트 컨소시엄이 사업을 맡는다."
    assert ("consortium", "KT") not in {(t, m) for t, _, m, _ in _parts(body)}
    body = "현대건설과 KT는 합작법인을 설립했고, 네이버와 카카오는 별도로 MOU를 맺었다."
    got = {(t, m) for t, _, m, _ in _parts(body)}
    assert {("joint_venture", "현대건설"), ("joint_venture", "KT"), ("agreement", "네이버"), ("agreement", "카카오")} <= got


def test_alliance_seats_said_with_matda() -> None:
    got = {(m, r) for _, _, m, r in _parts("얼라이언스 공동의장은 네이버클라우드와 KT가, 감사는 한국정보통신기술협회(TTA)가 맡는다.")}
    assert got == {("네이버클라우드", "co_chair"), ("KT", "co_chair"), ("한국정보통신기술협회", "auditor")}
    got = {(m, r) for _, _, m, r in _parts("협의체 의장사는 LG유플러스가 맡았다.")}
    assert got == {("LG유플러스", "co_chair")}
    got = {(m, r) for _, _, m, r in _parts("포럼의 감사는 삼정KPMG가 맡기로 했다.")}
    assert got == {("삼정KPMG", "auditor")}


def test_an_alliance_name_never_starts_inside_the_clause_before_it() -> None:
    got = _parts("지난 3일 창립총회 등이 개최돼 얼라이언스가 공식 출범했고, 청주시와 충북대학교가 공동의장을 맡았다.")
    assert got == {("alliance", None, "청주시", "co_chair"), ("alliance", None, "충북대학교", "co_chair")}, got
    got = _parts("지자체와 기업 등이 참여하는 청주 모빌리티 얼라이언스가 출범했고, 청주시와 충북대학교가 공동의장을 맡았다.")
    assert {n for _, n, _, _ in got} == {"청주 모빌리티 얼라이언스"}, got
