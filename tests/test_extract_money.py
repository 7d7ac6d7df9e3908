"""Money grammar: amounts to whole won, funding cues, lists, shares, periods, programmes, non-budgets.

All sentences are written for these tests (none is copied from the seed articles).
"""
from __future__ import annotations

import csv
from datetime import datetime

import pytest

from pipelines.extract import extract_article, parse_korean_amount
from pipelines.extract.money import FUNDING_TERMS_CSV, funding_terms
from pipelines.extract.numbers import find_amounts
from pipelines.extract.types import MoneyMention

PUB = datetime(2025, 6, 20, 9, 0)
EOK = 100_000_000


def money(text: str, published: datetime | None = PUB) -> list[MoneyMention]:
    return extract_article(text, published).money


def budgets(text: str) -> list[tuple[int, str | None]]:
    return [(m.amount_krw, m.cue) for m in money(text) if m.is_budget and not m.is_derived]


# ------------------------------------------------------------------ amounts

@pytest.mark.parametrize("text, won", [
    ("160억", 160 * EOK),
    ("160억 원", 160 * EOK),
    ("160억원", 160 * EOK),
    ("160 억 원", 160 * EOK),
    ("160億", 160 * EOK),
    ("160億원", 160 * EOK),
    ("2조 5,000억 원", 2_500_000_000_000),
    ("2조5000억원", 2_500_000_000_000),
    ("1조2천억원", 1_200_000_000_000),
    ("12억 4천만 원", 1_240_000_000),
    ("3천억 원", 300_000_000_000),
    ("5,000만원", 50_000_000),
    ("1.5조", 1_500_000_000_000),
    ("0.5억 원", 50_000_000),
    ("1억2천만원", 120_000_000),
    ("2천5백만 원", 25_000_000),
    ("약 160억", 160 * EOK),
    ("총 380억 원 규모", 380 * EOK),
    ("₩1,000,000", 1_000_000),
    ("₩ 500억", 500 * EOK),
    ("KRW 3억", 3 * EOK),
    ("7만 원", 70_000),
    ("5,000원", 5_000),
    ("3억 5,000원", 300_005_000),
    ("100억 원화", 100 * EOK),
])
def test_parse_korean_amount_every_form(text, won):
    assert parse_korean_amount(text) == won


@pytest.mark.parametrize("text", ["2026년", "113개 기업", "51%", "제1조", "수백억 원", "22대 국회", "4.0"])
def test_parse_korean_amount_none_for_non_amounts(text):
    assert parse_korean_amount(text) is None


def test_increasing_units_are_two_amounts():
    text = "지원금 5만 3억 원"
    assert [(text[a:b], won) for a, b, won in find_amounts(text)] == [("5만", 50_000), ("3억 원", 3 * EOK)]


def test_yeo_some_is_read_past():
    assert parse_korean_amount("160여억 원") == 160 * EOK
    assert parse_korean_amount("3억여 원") == 3 * EOK


def test_bare_man_amount_needs_a_cue():
    assert money("시는 30만 시민을 위해 예산을 지원한다.") == []
    assert budgets("국비 5천만 지원이 확정됐다.") == [(50_000_000, "국비")]


def test_re_exported_from_numbers_module():
    from pipelines.extract.numbers import parse_korean_amount as direct
    assert direct is parse_korean_amount


# ------------------------------------------------------------------ cues

@pytest.mark.parametrize("sentence, cue", [
    ("양평군은 올해 국비 12억 4천만 원을 확보했다.", "국비"),
    ("도는 도비 3천억 원을 편성했다.", "도비"),
    ("구비 7억 원이 추가로 들어간다.", "구비"),
    ("군비 2억원을 보탠다.", "군비"),
    ("시·도비 40억 원이 투입된다.", "시·도비"),
    ("지방비 25억 원이 매칭된다.", "지방비"),
    ("민자 300억 원을 유치해 건립한다.", "민자"),
    ("민간투자 60억 원이 더해진다.", "민간투자"),
    ("총사업비 1억2천만원 규모의 시범사업이다.", "총사업비"),
    ("총 사업비 325억이 확정됐다.", "총사업비"),
    ("이 사업에는 총 1조2천억원이 투입된다.", "총"),
    ("국비 약 160억 원이 지원된다.", "국비"),
    ("국비는 모두 90억 원이다.", "국비"),
    ("국비 총 80억 원이 배정됐다.", "국비"),
    ("사업비 160 억 원이 확정됐다.", "사업비"),
    ("이번 사업은 325억 사업비가 들어간다.", "사업비"),
    ("50억 원의 국비가 들어간다.", "국비"),
])
def test_adjacent_cue(sentence, cue):
    assert budgets(sentence)[0][1] == cue


def test_subject_actor_when_no_adjacent_cue():
    assert budgets("먼저 정부는 내년에 총 7개 과제에 120억원을 투입한다.") == [(120 * EOK, "정부")]
    assert budgets("과기정통부는 이 사업에 200억 원을 지원한다.") == [(200 * EOK, "과기정통부")]


def test_adjacent_cue_beats_subject_actor():
    assert budgets("정부는 국비 50억 원을 지원한다.") == [(50 * EOK, "국비")]


def test_actor_beats_trailing_scale_word():
    assert budgets("정부가 1,000억 원 규모의 펀드를 조성한다.") == [(1000 * EOK, "정부")]


def test_coordinated_actors_are_joint_money_and_fall_back_to_scale():
    assert budgets("정부와 민간이 지방에 3조 원 규모의 예산을 투입한다.") == [(3_000_000_000_000, "규모")]


def test_no_cue_is_null():
    assert budgets("강릉시는 5,000만원을 들여 스마트 정류장을 설치한다.") == [(50_000_000, None)]


def test_every_cue_the_extractor_can_report_is_in_the_seed():
    with FUNDING_TERMS_CSV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert set(rows[0]) == {"term", "funding_source", "note"}
    vocabulary = {"national", "provincial", "municipal", "local", "private", "public", "total"}
    assert {r["funding_source"] for r in rows} <= vocabulary
    assert len({r["term"] for r in rows}) == len(rows)
    assert {t.term for t in funding_terms()} == {r["term"] for r in rows}


# ------------------------------------------------------------------ money or not

@pytest.mark.parametrize("sentence", [
    "인구 50만 명의 도시다.",
    "전국 1만 가구에 보급한다.",
    "이 장비는 1엑사플롭스의 연산을 한다.",
    "1초에 100경 번의 연산을 처리한다.",
    "참여 기업은 113개 기업이다.",
    "행사에는 150여명이 참석했다.",
    "인구 50만 도시로 성장했다.",
    "해외 사업은 100억 달러 규모다.",
])
def test_not_money_is_not_emitted(sentence):
    assert money(sentence) == []


@pytest.mark.parametrize("sentence, reason", [
    ("이 회사의 지난해 매출은 1,200억 원이었다.", "revenue"),
    ("영업이익 300억 원을 기록했다.", "revenue"),
    ("삼성전자 주가는 7만 원을 넘었다.", "market_value"),
    ("시가총액 3조 원 규모의 기업이다.", "market_value"),
    ("신입사원 연봉은 5,000만 원 수준이다.", "salary"),
    ("이용 요금은 1회 1,000원이다.", "unit_price"),
    ("아파트 분양가는 3.3㎡당 2,000만 원이다.", "unit_price"),
    ("글로벌 AI 시장 규모는 2030년 1,000조 원에 이를 전망이다.", "market_size"),
    ("업체에 과징금 10억 원이 부과됐다.", "fine"),
    ("이 스타트업은 시리즈A 투자로 100억 원을 유치했다.", "private_round"),
])
def test_non_budgets_are_flagged(sentence, reason):
    found = money(sentence)
    assert len(found) == 1
    assert found[0].is_budget is False
    assert found[0].reject_reason == reason


def test_funding_cue_next_to_amount_keeps_it_a_budget_despite_reject_word():
    found = money("운영 수익 모델을 위해 국비 30억 원을 투입한다.")
    assert found[0].is_budget and found[0].cue == "국비"


def test_amount_without_won_needs_money_context():
    assert money("이 도시는 160억 번째 방문객을 맞았다.") == []
    assert budgets("이 사업에는 160억이 투입된다.") == [(160 * EOK, None)]


def test_same_amount_repeated_is_emitted_each_time():
    text = "국비 160억 원이 투입된다.\n\n국비 160억 원으로 센터를 짓는다."
    assert [m.amount_krw for m in money(text)] == [160 * EOK, 160 * EOK]


# ------------------------------------------------------------------ lists

def test_list_with_closing_total_after_deung():
    found = money("3년간 국비 90억, 도비 9억, 시비 81억 등 180억 사업비가 확정됐다.")
    assert [(m.amount_krw, m.cue, m.is_list_total) for m in found] == [
        (90 * EOK, "국비", False), (9 * EOK, "도비", False), (81 * EOK, "시비", False),
        (180 * EOK, "사업비", True)]
    assert len({m.list_no for m in found}) == 1 and found[0].list_no is not None


def test_list_with_won_and_chong_gyumo():
    found = money("2027년까지 국비 50억 원, 지방비 50억 원, 민간투자 20억 원 등 총 120억 원 규모의 사업을 벌인다.")
    assert [(m.amount_krw, m.cue, m.is_list_total) for m in found] == [
        (50 * EOK, "국비", False), (50 * EOK, "지방비", False), (20 * EOK, "민간투자", False),
        (120 * EOK, "총", True)]
    assert {m.period_end_year for m in found} == {2027}


def test_list_closed_by_modu():
    found = money("국비 100억 원, 도비 30억 원 등 모두 130억 원을 투입한다.")
    assert [m.is_list_total for m in found] == [False, False, True]
    assert found[2].cue is None


@pytest.mark.parametrize("text", [
    "사업비는 국비 30억 원과 지방비 30억 원, 민간부담금 8억 원을 더해 모두 70억 원 규모다.",
    "국비 30억 원, 도비 30억 원, 시비 8억 원을 합친 70억 원이 들어간다.",
    "국비 30억 원과 시비 30억 원, 민간투자 8억 원을 합하면 총 70억 원에 이른다.",
    "국비 30억 원, 도비 30억 원, 시비 8억 원, 모두 70억 원이 투입된다.",
])
def test_list_closed_without_deung(text):
    found = money(text)
    assert [m.amount_krw for m in found] == [30 * EOK, 30 * EOK, 8 * EOK, 70 * EOK]
    assert [m.is_list_total for m in found] == [False, False, False, True]
    assert len({m.list_no for m in found}) == 1 and found[0].list_no is not None


def test_adjacent_amounts_without_a_closing_word_do_not_make_a_total():
    found = money("국비 30억 원, 도비 30억 원을 확보했고 별도로 기업이 70억 원을 투자한다.")
    assert not any(m.is_list_total for m in found)


def test_total_first_with_parenthesised_parts():
    found = money("총 200억 원(국비 100억 원, 도비 30억 원, 시비 70억 원)이 투입된다.")
    assert [(m.amount_krw, m.is_list_total) for m in found] == [
        (200 * EOK, True), (100 * EOK, False), (30 * EOK, False), (70 * EOK, False)]
    assert len({m.list_no for m in found}) == 1


def test_total_first_with_gaunde():
    found = money("총사업비 500억 원 가운데 국비는 250억 원이다.")
    assert [(m.cue, m.is_list_total) for m in found] == [("총사업비", True), ("국비", False)]


def test_two_lists_in_one_article_get_different_numbers():
    text = "국비 10억 원, 시비 10억 원이 들어간다.\n\n도비 5억 원과 군비 5억 원을 보탠다."
    found = money(text)
    assert [m.list_no for m in found] == [1, 1, 2, 2]


def test_separate_amounts_are_not_a_list():
    found = money("국비 160억원이 투입되며 내년에는 도비 16억원도 더해진다.")
    assert [m.list_no for m in found] == [None, None]


# ------------------------------------------------------------------ derived rows

def test_shares_add_derived_rows():
    found = money("재단은 공공과 민간이 각각 60%, 40% 비율로 총 1,000억 원을 출자해 세운다.")
    total = [m for m in found if not m.is_derived]
    derived = [m for m in found if m.is_derived]
    assert [(m.amount_krw, m.cue, m.is_list_total) for m in total] == [(1000 * EOK, "총", True)]
    assert [(m.amount_krw, m.cue, m.share_pct) for m in derived] == [
        (600 * EOK, "공공", 60.0), (400 * EOK, "민간", 40.0)]
    assert {m.list_no for m in found} == {total[0].list_no}


def test_one_to_one_matching_adds_derived_row():
    found = money("국비 50억 원에 지방비를 1:1 매칭해 추진한다.")
    assert [(m.amount_krw, m.cue, m.is_derived) for m in found] == [
        (50 * EOK, "국비", False), (50 * EOK, "지방비", True)]


def test_one_to_one_matching_names_the_partner():
    found = money("국비 30억 원을 확보하고 시비를 1:1로 매칭할 계획이다.")
    assert found[-1].cue == "시비" and found[-1].is_derived


def test_matching_not_derived_when_the_partner_amount_is_stated():
    found = money("국비 30억 원과 시비 30억 원을 1:1 매칭으로 마련한다.")
    assert not any(m.is_derived for m in found)


# ------------------------------------------------------------------ period

@pytest.mark.parametrize("sentence, start, end", [
    ("2026년까지 국비 40억 원을 투입한다.", None, 2026),
    ("이번 사업은 2024~2026년 국비 90억 원이 지원된다.", 2024, 2026),
    ("시는 2025년부터 2027년까지 60억 원을 투입한다.", 2025, 2027),
    ("정부는 2019년에 265억원을 투자한다.", 2019, 2019),
    ("4년간 120억 원을 들여 ‘스마트 교차로 구축사업’을 추진한다.", 2025, 2028),
    ("3년 동안 국비 30억 원이 지원된다.", 2025, 2027),
    ("사업비 10억 원이 배정됐다.", None, None),
])
def test_period_years(sentence, start, end):
    m = money(sentence)[0]
    assert (m.period_start_year, m.period_end_year) == (start, end)


def test_duration_starts_at_the_programme_year_named_in_the_article():
    text = ("김포시는 '2024년 스마트도시 솔루션 확산사업'에 뽑혔다.\n\n"
            "3년간 국비 15억 원이 지원된다.")
    m = money(text)[0]
    assert (m.period_start_year, m.period_end_year) == (2024, 2026)


def test_duration_without_any_year_has_no_period():
    m = money("3년간 국비 15억 원이 지원된다.", published=None)[0]
    assert (m.period_start_year, m.period_end_year) == (None, None)


# ------------------------------------------------------------------ programme and recipient

def test_program_from_the_same_sentence():
    m = money("시는 국비 20억 원을 들여 스마트 횡단보도 구축사업을 추진한다.")[0]
    assert m.program == "스마트 횡단보도 구축사업"


def test_program_from_a_quoted_name_without_its_year():
    m = money("청주시는 ‘2025년 데이터 허브 조성사업’에 국비 8억 원을 받는다.")[0]
    assert m.program == "데이터 허브 조성사업"


def test_program_anaphor_looks_at_the_previous_sentence():
    text = ("순천시가 국토부의 스마트 그린도시 조성사업에 뽑혔다.\n\n"
            "이번 사업에는 국비 12억 원이 투입된다.")
    assert money(text)[0].program == "스마트 그린도시 조성사업"


def test_a_stage_alone_names_no_programme_and_the_earlier_name_is_used():
    text = ("목포시가 해양 데이터 플랫폼 조성사업을 마쳤다.\n\n"
            "시는 2단계 사업에 국비 40억 원을 더 받는다.")
    assert money(text)[0].program == "해양 데이터 플랫폼 조성사업"  # not '단계 사업'


def test_a_stage_after_the_programme_words_stays_in_its_name():
    m = money("여수시는 스마트 항만 물류 2단계 사업에 국비 25억 원을 받는다.")[0]
    assert m.program == "스마트 항만 물류 2단계 사업"


def test_recipient_named_in_the_sentence():
    assert money("전주시는 국비 30억 원을 확보했다.")[0].recipient == "전주시"


def test_recipient_bare_si_resolves_to_the_city_named_earlier():
    text = "익산시가 새 계획을 내놨다.\n\n시는 2026년까지 국비 20억 원을 투입한다."
    assert money(text)[0].recipient == "익산시"


def test_recipient_from_the_previous_sentence():
    text = "남원시가 공모에 뽑혔다.\n\n이에 따라 국비 10억 원이 지원된다."
    assert money(text)[0].recipient == "남원시"


def test_words_ending_in_si_are_not_local_governments():
    assert money("스마트도시는 국비 10억 원으로 조성된다.")[0].recipient is None


def test_surface_includes_the_adjacent_cue():
    assert money("총 사업비 325억 원이 확정됐다.")[0].surface == "총 사업비 325억 원"


def test_lone_chong_yields_to_the_subject_actor():
    assert budgets("한편 정부는 올해 이 분야에 총 1,200억 원 규모의 예산을 편성했다.") == [(1200 * EOK, "정부")]


def test_list_total_keeps_chong_even_with_an_actor():
    found = budgets("정부는 국비 10억 원, 지방비 10억 원 등 총 20억 원을 투입한다.")
    assert found[-1] == (20 * EOK, "총")


def test_recipient_prefers_the_subject_over_its_province():
    assert money("경상남도 김해시는 국비 24억 원을 확보했다.")[0].recipient == "김해시"


@pytest.mark.parametrize("sentence, cue", [
    ("재원은 국비 40억 원과 민간부담금 8억 원으로 마련된다.", "민간"),        # 민간 + 부담금
    ("도비 분담금 15억 원이 추가로 편성됐다.", "도비"),                       # 도비 + 분담금
    ("정부 예산 320억 원이 내년에 투입된다.", "정부"),                        # 정부 + 예산
    ("기업들의 민간 투자금 60억 원도 더해진다.", "민간"),                     # 민간 + 투자금 (spaced)
    ("시비 매칭금 9억 원을 확보했다.", "시비"),                               # 시비 + 매칭금
])
def test_funding_term_followed_by_a_money_noun_keeps_its_source(sentence, cue):
    rows = [m for m in money(sentence) if m.cue == cue]
    assert len(rows) == 1 and rows[0].is_budget, [(m.surface, m.cue) for m in money(sentence)]
    sources = {r["term"]: r["funding_source"] for r in csv.DictReader(FUNDING_TERMS_CSV.open(encoding="utf-8"))}
    assert sources[cue] != "total"


@pytest.mark.parametrize("sentence", [
    "사업 예산 50억 원이 편성됐다.",      # 사업 is no source
    "연구 지원금 3억 원을 받는다.",       # 연구 is no source
    "운영 자금 20억 원을 빌렸다.",
])
def test_money_noun_without_a_source_term_has_no_cue(sentence):
    assert [m.cue for m in money(sentence)] == [None]
