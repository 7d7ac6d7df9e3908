"""Organisation mentions: recognition, particles, counts, persons, generic nouns, anaphora, spacing repair.

All sentences are written for these tests (no article text is copied).
"""
from __future__ import annotations

import pytest

from pipelines.extract.orgs import find_org_mentions, lexicon
from pipelines.extract.sentences import split_sentences


def _orgs(body: str) -> list[tuple[int, str, str, bool]]:
    return [(m.sentence_no, m.surface, m.resolved, m.is_subject) for m in find_org_mentions(split_sentences(body))]


def _surfaces(body: str) -> list[str]:
    return [m[1] for m in _orgs(body)]


def test_suffix_names_are_found_and_particles_stripped() -> None:
    got = _surfaces("경기도는 한국전자통신연구원과 스마트도시 실증을 함께 추진하고, 성균관대학교에도 연구를 맡긴다.")
    assert got == ["경기도", "한국전자통신연구원", "성균관대학교"]


def test_list_particles_and_counts_are_stripped() -> None:
    got = _surfaces("네이버, 카카오, NHN 3개사가 데이터 협약을 체결했다.")
    assert got == ["네이버", "카카오", "NHN"]
    got = _surfaces("시는 한밭소프트, 누리온랩스 등과도 업무협약을 맺었다.")
    assert "한밭소프트" in got and "누리온랩스" in got


def test_person_with_title_is_not_an_organisation_but_the_affiliation_is() -> None:
    got = _orgs("김철수 수원시장은 이날 홍길동 한빛소프트 대표와 만났다.")
    # the mayor's government is his affiliation (issue 14: a titled person stands for the organisation), never
    # the subject; the person names are not organisations
    assert [(s, r, subj) for _, s, r, subj in got] == [("수원시", "수원시", False), ("한빛소프트", "한빛소프트", False)]
    assert {s for _, s, _, _ in _orgs("박영수 충남지사와 김민지 진천군수가 참석했다.")} == {"충남", "진천군"}
    assert {r for _, _, r, _ in _orgs("박영수 충남지사와 김민지 진천군수가 참석했다.")} == {"충청남도", "진천군"}
    assert _surfaces("최민호 사장은 계획을 설명했다.") == []


def test_ceo_parenthetical_makes_a_latin_name_an_organisation() -> None:
    got = _orgs("LG CNS(대표이사 김영수)와 누리온랩스(대표 박지훈)가 공동의장사로 선임됐다.")
    assert [(s, subj) for _, s, _, subj in got] == [("LG CNS", True), ("누리온랩스", True)]


def test_generic_nouns_and_back_references_are_not_organisations() -> None:
    assert _surfaces("시는 글로벌 기업, 외국계 투자사 등과 특수목적법인 출자를 협의하고 있다.") == []
    assert _surfaces("양 기관은 앞으로 협력을 강화하기로 했다.") == []
    assert _surfaces("국내 대기업과도 사업 참여를 논의했다.") == []


def test_city_anaphora_resolves_to_the_subject_city() -> None:
    got = _orgs("수원시가 스마트시티 사업에 선정됐다. 시는 내년부터 사업을 시작한다. 수원은 교통 인프라가 우수하다.")
    assert got == [(0, "수원시", "수원시", True), (1, "시", "수원시", True), (2, "수원", "수원시", True)]


def test_province_anaphora_and_unresolvable_anaphor() -> None:
    got = _orgs("충청북도는 예산을 확정했다. 도는 이를 위해 노력했다.")
    assert got[-1] == (1, "도", "충청북도", True)
    assert _orgs("군은 이를 위해 노력했다.") == []


def test_short_city_name_only_as_subject() -> None:
    got = _orgs("전주는 경쟁하던 수원과 화성을 앞서며 최종 선정됐다.")
    assert got == [(0, "전주", "전주시", True)]


@pytest.mark.parametrize("sentence", [
    "막대한 예산이 드는 만큼 효과를 따져야 한다.",   # 예산 (budget), not 예산군
    "공사 진도가 늦어지고 있다.",                 # 진도 (progress), not 진도군
    "음성이 또렷하게 들렸다.",                    # 음성 (voice), not 음성군
])
def test_a_short_name_that_is_an_ordinary_noun_is_no_place(sentence: str) -> None:
    assert _orgs(sentence) == []


def test_spacing_repair_when_the_joined_name_appears_elsewhere() -> None:
    got = _surfaces("해양수산과 학기술진흥원과 부산시는 협약을 체결했다. 해양수산과학기술진흥원은 예산을 지원한다.")
    assert got == ["해양수산과 학기술진흥원", "부산시", "해양수산과학기술진흥원"]


def test_spacing_repair_when_the_split_reads_as_one_noun() -> None:
    got = _surfaces("광주시는 해양수산과 학기술진흥원과 협약을 체결했다.")
    assert got == ["광주시", "해양수산과 학기술진흥원"]


def test_two_real_organisations_joined_by_gwa_are_not_merged() -> None:
    got = _surfaces("행정안전부와 한국지역정보개발원은 협약을 체결했다.")
    assert got == ["행정안전부", "한국지역정보개발원"]


def test_country_prefix_stays_in_the_surface() -> None:
    got = _surfaces("시는 진성테크, 英 C&P, MTS 3개사와 컨소시엄을 구성했다.")
    assert got == ["진성테크", "英 C&P", "MTS"]


def test_names_inside_a_quoted_programme_title_are_skipped() -> None:
    got = _surfaces("시는 ‘국토교통부 스마트 챌린지’ 사업에 참여한다. 더불어민주당 ‘AI강국위원회’가 출범했다.")
    assert "국토교통부" not in got
    assert "AI강국위원회" in got


def test_legal_form_markers_are_kept_in_the_surface() -> None:
    got = _surfaces("(주)세진이노텍과 ㈜누리온랩스는 MOU를 체결했다.")
    assert got == ["(주)세진이노텍", "㈜누리온랩스"]


def test_alias_in_parentheses_resolves_to_the_name_before_it() -> None:
    got = _orgs("포스코이앤씨와 한국토지주택공사(LH)는 협약을 맺었다.")
    assert (0, "LH", "한국토지주택공사", False) in got


def test_weak_name_admitted_once_is_an_organisation_in_the_whole_article() -> None:
    body = "개발업체인 누리온랩스는 로봇을 시연했다.\n\n누리온랩스의 로봇은 시청에 배치된다."
    assert [m[1] for m in _orgs(body)] == ["누리온랩스", "누리온랩스"]


def test_local_government_seed_is_complete() -> None:
    lgs = lexicon().local_governments
    assert sum(lg.level == "metropolitan" for lg in lgs) == 17
    assert sum(lg.level == "basic" for lg in lgs) == 226
    assert lexicon().lg_by_name["천안시"].short_name == "천안"
    assert lexicon().lg_by_name["천안시"].parent == "충청남도"


# --- generalisation ----------------------------------------------------------------------------------------


def test_a_person_before_a_local_government_and_a_department_title_is_not_glued_to_it() -> None:
    assert _surfaces("김하늘 세종시 경제부시장은 “기대가 크다”고 말했다.") == ["세종시"]
    assert _surfaces("박민준 인천시 교통국장은 계획을 설명했다.") == ["인천시"]
    assert _surfaces("오세린 부산광역시 디지털정책관이 발표를 맡았다.") == ["부산광역시"]
    assert _surfaces("정우성 강남구 스마트도시과장은 현장을 점검했다.") == ["강남구"]


def test_a_name_after_a_legal_form_word_is_one_company() -> None:
    assert "주식회사 한밭AI솔루션" in _surfaces("대전광역시와 주식회사 한밭AI솔루션이 공동의장으로 선임됐다.")
    assert "주식회사 한결모빌리티" in _surfaces("참여기관은 김해시와 주식회사 한결모빌리티 등이다.")
    got = _surfaces("(주)새봄로보틱스와 주식회사 카카오페이가 협약을 맺었다.")
    assert got == ["(주)새봄로보틱스", "주식회사 카카오페이"]


def test_a_local_government_glued_to_its_particle_is_split() -> None:
    got = _orgs("총회에서는 세종특별자치시와 누리온랩스가 공동의장으로 선임됐다.")
    assert [s for _, s, _, _ in got][:1] == ["세종특별자치시"]
    assert "부산광역시" in _surfaces("총회에서는 부산광역시와 한국해양대학교가 공동의장으로 뽑혔다.")
    assert "경상남도" in _surfaces("협의체에는 경상남도와 창원대학교가 참여한다.")


def test_unknown_names_in_a_quoted_agreement_or_a_headline_list_are_admitted() -> None:
    assert "세진이노텍" in _surfaces("광명시는 세진이노텍과 ‘디지털트윈 협약’을 체결했다.")
    assert "한빛데이터" in _surfaces("광명시는 지난 3일 한빛데이터와 ‘디지털트윈 협약’을 체결했다.")
    assert "누리온랩스" in _surfaces("목포시·한국전력공사·누리온랩스, 해상풍력 데이터 MOU")
    assert "세진이노텍" in _surfaces("안양시, 세진이노텍과 “스마트 주차 업무협약” 체결")


# --- issue 14: names found by the structure of the sentence (each rule, three phrasings written for it) ---------


def _resolved(body: str) -> set[str]:
    return {m[2] for m in _orgs(body)}


def test_unknown_ministries_and_agencies_by_their_ending() -> None:
    assert {"산업통상부", "기후에너지환경부"} <= _resolved("국토교통부·산업통상부·기후에너지환경부 등 정부 3개 기관과 협약을 맺었다.")
    assert "고용노동부" in _resolved("시는 고용노동부, 한국산업인력공단과 일자리 협약을 체결했다.")
    assert "행정안전부" in _resolved("행정안전부와 김해시는 디지털 행정 MOU를 맺었다.")
    # parts of things ending in 부 are not ministries
    assert not {"중심부", "도심부", "편집부"} & _resolved("도심부와 중심부, 편집부가 협약을 맺었다.")


def test_a_particle_kiwi_glues_to_a_suffix_name_is_split_off() -> None:
    assert "강원정보문화산업진흥원" in _resolved("도는 춘천시, 강원정보문화산업진흥원과 AI 협약을 맺었다.")
    assert "전남정보문화산업진흥원" in _resolved("군은 전남정보문화산업진흥원과 업무협약을 체결했다.")
    assert "충북과학기술혁신원" in _resolved("청주시와 충북과학기술혁신원은 데이터 협약을 맺었다.")


def test_legal_form_names_keep_their_latin_words_and_lose_a_glued_particle() -> None:
    assert "㈜LG CNS" in _surfaces("시는 ㈜한빛건설, ㈜LG CNS와 협약을 맺었다.")
    assert "(주)SK AX" in _surfaces("(주)SK AX와 대구시는 협약을 체결했다.")
    assert "㈜누리자산운용" in _surfaces("창원시는 ㈜가온건설, ㈜누리자산운용과 상생협약을 맺었다.")


def test_local_government_short_forms_resolve_to_the_full_name() -> None:
    assert "강원특별자치도" in _resolved("강원도는 춘천시와 협약을 맺었다.")
    assert "세종특별자치시" in _resolved("세종시는 카카오모빌리티와 협약을 체결했다.")
    assert "창원시" in _resolved("창원특례시는 한국전기연구원과 협약을 맺었다.")


def test_a_part_written_after_an_organisation_is_that_organisation() -> None:
    got = _orgs("제주특별자치도 상하수도본부(본부장 홍길동)는 한국수자원공사와 위탁협약을 체결했다.")
    assert (0, "제주특별자치도", "제주특별자치도", True) in got
    got = _orgs("케이티(KT) 대구경북광역본부와 NHN클라우드가 회원사로 참여했다.")
    assert "대구경북광역본부" not in {m[2] for m in got} and "케이티" in {m[2] for m in got}
    assert "건양대학교" in _resolved("시는 건양대학교 산학협력단, 대한노인회와 업무협약을 맺었다.")


def test_latin_hangul_names_and_latin_acronyms_after_a_latin_name() -> None:
    assert {"iM뱅크", "삼정KPMG"} <= _resolved("감사는 iM뱅크와 삼정KPMG가 맡았으며, 대구광역시가 후원한다.")
    assert "SK AX" in _resolved("SK AX와 한빛소프트가 공동의장사로 선임됐다. 얼라이언스가 출범했다.")
    assert "한글과컴퓨터" in _resolved("컨소시엄에는 한글과컴퓨터와 네이버클라우드가 참여했다.")
    assert not {"AI기반", "IoT센서"} & _resolved("AI기반 IoT센서와 협약을 맺었다.")


def test_the_organisation_of_a_titled_person_is_the_party() -> None:
    assert "한빛정보통신" in _resolved("광주시는 한빛정보통신 박영수 대표, 누리ICT 이민지 대표와 협약을 맺었다.")
    assert "가온로보틱스" in _resolved("전주시와 가온로보틱스 김도윤 대표는 로봇 협약을 맺었다.")
    # the person's organisation is not the subject of the sentence
    got = _orgs("강원도가 협약을 맺었다. 박성진 강원도 디지털산업과장은 기대가 크다고 말했다.")
    assert all(not subj for sno, _, _, subj in got if sno == 1)


def test_short_forms_and_abbreviations_fold_into_the_full_name_of_the_article() -> None:
    body = "인천경제자유구역청은 네이버클라우드, 송도국제도시개발유한회사(NSIC)와 MOU를 체결했다. NSIC는 인천경제청과 합의했다."
    got = {(m[1], m[2]) for m in _orgs(body)}
    assert ("NSIC", "송도국제도시개발유한회사") in got and ("인천경제청", "인천경제자유구역청") in got
    assert ("수자원공사", "한국수자원공사") in {(m[1], m[2]) for m in _orgs(
        "도는 한국수자원공사와 협약을 맺었다. 수자원공사는 설비를 맡는다.")}
    assert ("마이크로소프트", "한국마이크로소프트") in {(m[1], m[2]) for m in _orgs(
        "강원도는 마이크로소프트와 손잡았다. 도는 한국마이크로소프트와 협약을 맺었다.")}


def test_a_lone_anaphor_is_the_article_s_most_frequent_subject() -> None:
    body = ("충주시는 공모에서 탈락했다. 충주시는 결과를 받아들였다. 순천시와 구미시 두 곳이 선정됐다. "
            "시는 한국교통대학교와 컨소시엄을 꾸렸다.")
    assert [m[2] for m in _orgs(body) if m[1] == "시"] == ["충주시"]
    body = "김해시가 협약을 맺었다. 김해시는 계획을 밝혔다. 창원시가 참석했다. 시는 예산을 편성했다."
    assert [m[2] for m in _orgs(body) if m[1] == "시"] == ["김해시"]
    body = "전주시는 공모에 선정됐다. 익산시는 탈락했다. 시는 내년에 다시 도전한다."
    assert [m[2] for m in _orgs(body) if m[1] == "시"] == ["익산시"]  # a tie: the most recent


def test_a_surname_alone_before_a_title_is_the_person_not_an_organisation() -> None:
    assert _surfaces("허 시장은 이날 “시민이 체감하는 결과를 내겠다”고 말했다.") == []
    assert _surfaces("행사에는 김 청장과 함께 박준호 남원시 부시장이 참석했다.") == ["남원시"]


def test_a_technopark_is_named_by_its_suffix() -> None:
    assert "전남테크노파크" in _surfaces("전남테크노파크는 기업 지원 사업을 운영한다.")
