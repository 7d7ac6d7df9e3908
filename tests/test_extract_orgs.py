"""Organisation mentions: recognition, particles, counts, persons, generic nouns, anaphora, spacing repair.

All sentences are written for these tests (no article text is copied).
"""
from __future__ import annotations

from pipelines.extract.org_lexicon import lexicon
from pipelines.extract.orgs import find_org_mentions
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
    got = _surfaces("김철수 수원시장은 이날 홍길동 한빛소프트 대표와 만났다.")
    assert got == ["한빛소프트"]
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
