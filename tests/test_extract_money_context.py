"""Money or not, and whose money, from the context of each amount (issue 14: precision first).

Every sentence here is written for these tests (none is taken from the dev corpus, the seeds or the demo pages);
each rule has at least three phrasings.
"""
from __future__ import annotations

from datetime import datetime

import pytest

from pipelines.extract import extract_article
from pipelines.extract.types import MoneyMention

PUB = datetime(2025, 6, 20, 9, 0)
EOK = 100_000_000
JO = 10**12


def money(text: str) -> list[MoneyMention]:
    return extract_article(text, PUB).money


def budgets(text: str) -> list[tuple[int, str | None]]:
    return [(m.amount_krw, m.cue) for m in money(text) if m.is_budget and not m.is_derived]


def reasons(text: str) -> list[str | None]:
    return [m.reject_reason for m in money(text)]


# ------------------------------------------------------------------ a project-money context is required

@pytest.mark.parametrize("sentence", [
    "코스닥에서 한빛전자는 전일보다 3.2% 오른 7만2,000원에 장을 마쳤다.",
    "이 회사 주식은 장 초반 1만5,400원까지 밀렸다가 반등했다.",
    "지난해 국내 드론 시장이 처음으로 1조원을 넘어섰다.",
    "두 회사의 토지 매각 차액 320억원은 아직 정산되지 않았다.",
    "외국인은 이날 한빛전자 주식 41억원, 기관은 17억원을 각각 사들였다.",
])
def test_an_amount_without_a_money_context_is_left_out(sentence):
    found = money(sentence)
    assert found and not any(m.is_budget for m in found), [(m.surface, m.reject_reason) for m in found]


@pytest.mark.parametrize("sentence, expected", [
    ("시는 5,000만원을 들여 스마트 정류장을 설치한다.", [(50_000_000, None)]),
    ("이 사업에는 총 120억 원이 투입된다.", [(120 * EOK, "총")]),
    ("2단계 예산 규모는 총 250억 원이다.", [(250 * EOK, "총")]),
    ("사업 규모는 총 100억원으로 확정됐다.", [(100 * EOK, "총")]),
    ("삼성SDS는 이 사업에 300억원을 투자한다.", [(300 * EOK, None)]),
])
def test_a_money_word_near_the_amount_keeps_it(sentence, expected):
    assert budgets(sentence) == expected


@pytest.mark.parametrize("sentence, won", [
    ("도는 3,000억 원 규모의 예비타당성조사 사업을 따낼 계획이다.", 3000 * EOK),
    ("후속 프로젝트는 1,500억 원 규모로 설계됐다.", 1500 * EOK),
    ("시가 맡은 데이터 허브 사업(2024∼2026년, 227억 원)은 순항 중이다.", 227 * EOK),
    ("‘스마트 교차로 사업’(3년, 45억 원)을 벌인다.", 45 * EOK),
])
def test_an_amount_that_sizes_a_project_is_kept(sentence, won):
    assert [w for w, _ in budgets(sentence)] == [won]


@pytest.mark.parametrize("sentence, won", [
    ("시는 3년간 데이터 허브를 구축하는 데 모두 60억 원을 쓴다.", 60 * EOK),
    ("센터 한 곳을 짓는 데 120억 원이 든다.", 120 * EOK),
    ("시는 공모에서 30억 원을 따냈다.", 30 * EOK),
    ("120억 원짜리 사업이 내달 시작된다.", 120 * EOK),
    ("50억 원대 실증 프로젝트가 열린다.", 50 * EOK),
])
def test_spending_verbs_and_project_sizes_count_as_money_context(sentence, won):
    assert [w for w, _ in budgets(sentence)] == [won]


def test_a_bare_amount_in_a_separate_clause_without_money_words_is_left_out():
    assert budgets("행사장에는 3만 명이 몰렸고 입장 수입만 2억 원이었다.") == []


# ------------------------------------------------------------------ not project money, by class

@pytest.mark.parametrize("sentence", [
    "한빛전자 주가는 9,650원까지 치솟았다.",
    "이 종목은 장중 2만1,000원에 거래됐다.",
    "시가총액은 2,130억원으로 불어났다.",
    "증권가는 목표주가로 4만 원을 제시했다.",
])
def test_share_prices_are_market_value(sentence):
    assert reasons(sentence) == ["market_value"]


@pytest.mark.parametrize("sentence", [
    "국내 스마트시티 시장은 2030년 30조원 규모로 성장할 것으로 보인다.",
    "세계 디지털트윈 시장 규모는 2027년 73조 원에 달할 전망이다.",
    "국내 자율주행 시장이 5년 뒤 12조 원 규모로 커질 것이라는 분석이 나왔다.",
])
def test_market_sizes_are_not_budgets(sentence):
    assert reasons(sentence) == ["market_size"]


@pytest.mark.parametrize("sentence", [
    "이 회사는 지난해 매출 2,400억원을 올렸다.",
    "3분기 누적 영업이익은 전년보다 40% 늘어난 520억원으로 집계됐다.",
    "솔루션 부문에서만 1,100억원의 매출을 냈다.",
    "공공 부문에서 3,000억원가량의 매출을 올렸다.",  # a place word, not a payer: the revenue word after decides
])
def test_sales_and_earnings_are_revenue(sentence):
    assert reasons(sentence) == ["revenue"]


@pytest.mark.parametrize("sentence", [
    "이용료는 1회 1,500원이다.",
    "주차요금은 시간당 2,000원으로 책정됐다.",
    "셔틀은 대당 4억 원에 달한다.",
    "회원사 연회비는 300만원으로 정했다.",
])
def test_unit_prices_and_fees_are_not_budgets(sentence):
    assert money(sentence) and not any(m.is_budget for m in money(sentence))


@pytest.mark.parametrize("sentence", [
    "한 번 타는 데 1,300원이다.",
    "앱으로 결제하면 500원을 돌려준다.",
    "갈아타면 그때마다 1,650원이 쌓인다.",
])
def test_small_amounts_without_a_source_are_prices(sentence):
    assert set(reasons(sentence)) <= {"small_amount", "unit_price", "no_money_context"} and reasons(sentence)


def test_a_small_amount_with_a_source_is_still_a_budget():
    assert budgets("마을마다 시비 500만 원을 지원한다.") == [(5_000_000, "시비")]


@pytest.mark.parametrize("sentence", [
    "도는 민선 8기 들어 누적 투자유치 실적이 40조원을 돌파했다.",
    "시는 올해 기업 투자유치 목표액을 5조 원으로 잡았다.",
    "이번 박람회에서 23개 기업과 1조2천억원 규모의 투자협약을 맺었다.",
])
def test_investment_attraction_totals_are_not_a_project_budget(sentence):
    assert reasons(sentence) == ["investment_attraction"]


@pytest.mark.parametrize("sentence", [
    "사업이 끝나면 2조 원의 생산유발 효과가 기대된다.",
    "이 단지는 5천억원에 이르는 경제적 파급효과를 낼 것으로 보인다.",
    "시는 1,200억 원의 부가가치 유발을 기대한다.",
    "도는 16조원에 이르는 경제 유발 효과가 생길 것으로 내다봤다.",
])
def test_economic_effects_are_not_budgets(sentence):
    assert reasons(sentence) == ["economic_effect"]


@pytest.mark.parametrize("sentence", [
    "A사는 50억원어치 장비를 기증했다.",
    "B사는 20만 달러(약 2억7천만 원)어치 이용권을 제공한다.",
    "기관투자자들이 120억원어치를 사들였다.",
])
def test_worth_of_goods_is_in_kind(sentence):
    assert reasons(sentence) == ["in_kind"]


@pytest.mark.parametrize("sentence", [
    "본지는 총사업비를 150억 원이라고 보도했으나 사실이 아니다.",
    "앞선 기사에서 국비를 30억 원으로 잘못 표기했습니다.",
    "예산이 200억 원으로 잘못 알려졌다.",
])
def test_a_correction_quoting_the_wrong_figure_is_superseded(sentence):
    assert reasons(sentence) == ["superseded"]


def test_the_corrected_figure_after_a_correction_is_kept():
    text = ("지난 기사에서 총사업비를 120억 원이라고 보도했습니다.\n\n"
            "확인 결과 총사업비는 12억 원이며 국비 6억 원과 구비 6억 원으로 마련됩니다.")
    assert budgets(text) == [(12 * EOK, "총사업비"), (6 * EOK, "국비"), (6 * EOK, "구비")]


@pytest.mark.parametrize("sentence, reason", [
    ("공모전 총상금 5천만 원을 건다.", "prize"),
    ("우수 기관에는 포상금 2천만 원이 지원된다.", "prize"),
    ("대상 수상작에는 상금 3천만원이 주어진다.", "prize"),
    ("이 제도로 연간 세수 300억 원이 줄어든다.", "tax"),
    ("감면되는 지방세는 40억 원에 이른다.", "tax"),
    ("법인세 120억원을 냈다.", "tax"),
    ("시 부채는 1조 원을 넘는다.", "debt"),
    ("공사의 채무가 2,000억 원으로 늘었다.", "debt"),
    ("공사의 부채 총액은 3,000억 원이다.", "debt"),
    ("시스템 도입으로 연간 10억 원의 예산을 절감할 수 있다.", "savings"),
    ("에너지 비용 30억 원을 아낄 것으로 보인다.", "savings"),
    ("예산 절감액은 5억 원이다.", "savings"),
    ("이 부지 감정가는 800억원이다.", "market_value"),
    ("인근 공시지가는 3.3㎡당 1억 원 수준이다.", "market_value"),
    ("땅값만 2천억 원이 넘는다.", "market_value"),
])
def test_prizes_taxes_debts_savings_and_land_prices_are_not_budgets(sentence, reason):
    assert reasons(sentence) == [reason]


@pytest.mark.parametrize("sentence", [
    "적자 노선 보전에 30억 원을 지원한다.",
    "혼선을 빚었던 120억 원 규모 사업이 재개된다.",
    "비용 절감형 사업에 50억 원을 투입한다.",
    "유용한 데이터 플랫폼 구축에 50억 원이 들어간다.",
    "지역화폐 상품권 발행에 100억 원을 지원한다.",
])
def test_look_alikes_of_non_budget_words_keep_the_budget(sentence):
    assert [m.is_budget for m in money(sentence)] == [True], reasons(sentence)


@pytest.mark.parametrize("sentence", [
    "수출 지원 사업에 50억 원을 투입한다.",
    "요금 감면 예산 10억 원이 편성됐다.",
    "농산물 가격 안정 사업에 30억 원을 쓴다.",
])
def test_a_non_budget_word_that_names_a_programme_keeps_the_budget(sentence):
    assert [m.is_budget for m in money(sentence)] == [True], reasons(sentence)


@pytest.mark.parametrize("sentence, expected", [
    ("국비 등 100억 원이 들어간다.", [(100 * EOK, None)]),
    ("국비 등 총 100억 원을 투입한다.", [(100 * EOK, "총")]),
    ("도비 등을 합친 80억원이 쓰인다.", [(80 * EOK, None)]),
])
def test_a_source_followed_by_deung_is_part_of_a_larger_sum(sentence, expected):
    assert budgets(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "감사 결과 200억 원이 넘는 보조금이 엉터리로 쓰인 것으로 드러났다.",
    "시는 부정수급된 보조금 5억 원을 환수했다.",
    "업체는 국비 3억원을 목적 외 사용한 것으로 적발됐다.",  # even next to a source word
])
def test_misused_or_clawed_back_money_is_not_a_budget(sentence):
    assert reasons(sentence) == ["misuse"]


@pytest.mark.parametrize("sentence, kept", [
    ("올해 예산은 지난해보다 30억 원 늘어난 150억 원이다.", [(150 * EOK, None)]),
    ("사업비가 20억 원 줄어든 80억 원으로 확정됐다.", [(80 * EOK, None)]),
    ("국비는 전년 대비 12억원 증액됐다.", []),
])
def test_the_change_between_two_figures_is_not_a_budget(sentence, kept):
    assert "delta" in reasons(sentence)
    assert budgets(sentence) == kept


@pytest.mark.parametrize("sentence", [
    "만약 국비 100억 원이 지원된다면 센터를 두 곳 더 지을 수 있다.",
    "정부가 200억 원을 지원한다면 사업은 1년 앞당겨진다.",
    "국비 50억 원을 받더라도 운영비는 시가 떠안아야 한다.",
])
def test_a_supposed_amount_is_hypothetical(sentence):
    assert reasons(sentence) == ["hypothetical"]


@pytest.mark.parametrize("sentence", [
    "공모에 선정되면 3년간 국비 30억 원을 지원받는다.",
    "선정된 지자체에는 국비 15억 원이 지원된다.",
    "예타를 통과하면 국비 500억 원이 투입된다.",
])
def test_a_programme_condition_is_not_a_supposition(sentence):
    assert [m.is_budget for m in money(sentence)] == [True]


# ------------------------------------------------------------------ foreign currency

@pytest.mark.parametrize("sentence", [
    "이 회사는 US$ 5억을 투자한다.",
    "미화 3천만 달러를 투자한다.",
    "본사는 2억 유로를 투입한다.",
])
def test_foreign_currency_amounts_are_not_won(sentence):
    assert money(sentence) == []


@pytest.mark.parametrize("sentence, expected", [
    ("민간투자 5억 달러(약 6,500억 원)가 들어온다.", [(6500 * EOK, "민간투자")]),
    ("총 2억 유로(한화 약 2,900억 원)를 투입한다.", [(2900 * EOK, "총")]),
    ("정부는 국비 1천만 달러(약 130억 원)를 지원한다.", [(130 * EOK, "국비")]),
])
def test_a_won_gloss_of_a_foreign_amount_keeps_its_source(sentence, expected):
    assert budgets(sentence) == expected


# ------------------------------------------------------------------ the source said another way

@pytest.mark.parametrize("sentence, cue", [
    ("앞서 시는 전액 국비로 지원된 15억원을 투입했다.", "국비"),
    ("국비에서 확보한 20억원으로 센터를 짓는다.", "국비"),
    ("정부가 교부한 8억원이 투입된다.", "정부"),
])
def test_a_participle_between_source_and_amount(sentence, cue):
    assert budgets(sentence) == [(budgets(sentence)[0][0], cue)]


@pytest.mark.parametrize("sentence, cue", [
    ("세 도시는 국비를 100억 원씩 나눠 받는다.", "국비"),
    ("시는 시비를 8억 원 더 투입한다.", "시비"),
    ("군은 군비를 3억원 보탠다.", "군비"),
])
def test_a_source_with_an_object_particle(sentence, cue):
    assert [c for _, c in budgets(sentence)] == [cue]


@pytest.mark.parametrize("sentence, cues", [
    ("국비 50억 원에 도비와 시비를 38억 원씩 보탠다.", ["국비", "시비", "도비"]),
    ("국비와 지방비 각각 20억 원이 들어간다.", ["지방비", "국비"]),
    ("도비, 군비를 각 5억원씩 부담한다.", ["군비", "도비"]),
])
def test_coordinated_sources_with_ssik_or_gakgak_give_one_row_each(sentence, cues):
    assert [c for _, c in budgets(sentence)] == cues


def test_coordinated_sources_without_ssik_are_joint_money():
    assert [c for _, c in budgets("국비와 시비 100억 원이 들어간다.")] == ["시비"]


@pytest.mark.parametrize("sentence, cue", [
    ("강릉시는 행정안전부 특별교부세 10억 원을 확보했다.", "특별교부세"),
    ("행안부 특교세 5억원이 내려왔다.", "특교세"),
    ("균특 예산 12억 원을 확보했다.", "균특"),
])
def test_grants_of_the_national_treasury(sentence, cue):
    assert budgets(sentence) == [(budgets(sentence)[0][0], cue)]


@pytest.mark.parametrize("sentence, cue", [
    ("경기도는 도 예산 20억 원을 편성했다.", "도 예산"),
    ("이번 사업에 시 예산 3억 원이 투입된다.", "시 예산"),
    ("군 예산 1억 원이 추가됐다.", "군 예산"),
])
def test_the_local_governments_own_budget(sentence, cue):
    assert [c for _, c in budgets(sentence)] == [cue]


@pytest.mark.parametrize("sentence, cue", [
    ("국비 지원 규모는 50억 원이다.", "국비"),
    ("정부 예산 규모는 1조 원이다.", "정부"),
    ("국비 지원 40억 원이 확정됐다.", "국비"),
    ("국비 확보액은 30억원이다.", "국비"),
])
def test_a_source_before_a_support_or_size_noun(sentence, cue):
    assert [c for _, c in budgets(sentence)] == [cue]


@pytest.mark.parametrize("sentence, cue", [
    ("정부 지원 예산 100억 원이 투입된다.", "정부"),
    ("국비 지원 보조금 20억 원이 내려온다.", "국비"),
    ("민간 투자 자금 300억 원이 모였다.", "민간투자"),
])
def test_a_source_before_two_money_nouns(sentence, cue):
    assert [c for _, c in budgets(sentence)] == [cue]


@pytest.mark.parametrize("sentence, cue", [
    ("환경부는 이 사업에 50억 원을 지원한다.", "환경부"),
    ("해수부 예산 30억 원이 확보됐다.", "해수부"),
    ("경찰청이 12억 원을 들여 시스템을 구축한다.", "경찰청"),
])
def test_ministries_and_central_agencies_are_national_spenders(sentence, cue):
    assert [c for _, c in budgets(sentence)] == [cue]


@pytest.mark.parametrize("sentence, cue", [
    ("시는 정부로부터 50억 원을 지원받는다.", "정부"),
    ("군은 국토부로부터 30억원을 받았다.", "국토부"),
    ("센터는 과기정통부로부터 12억 원을 받는다.", "과기정통부"),
])
def test_a_source_reached_through_robuteo(sentence, cue):
    assert [c for _, c in budgets(sentence)] == [cue]


@pytest.mark.parametrize("sentence, cue", [
    ("민간기업 투자 100억 원이 더해진다.", "민간"),
    ("민간 사업자 부담 20억 원이 포함된다.", "민간"),
    ("공공기관 출자 50억 원으로 법인을 세운다.", "공공기관"),
])
def test_a_source_with_an_actor_noun_and_a_money_noun(sentence, cue):
    assert [c for _, c in budgets(sentence)] == [cue]


@pytest.mark.parametrize("sentence, cue", [
    ("사업 규모는 총 1천억원으로, 이 가운데 600억원은 민간 사업자가 투자한다.", "민간"),
    ("남은 40억 원은 민간 기업들이 부담한다.", "민간"),
    ("부지 매입비 30억원은 정부가 댄다.", "정부"),
])
def test_the_payer_named_after_the_amount(sentence, cue):
    assert budgets(sentence)[-1][1] == cue


@pytest.mark.parametrize("sentence", [
    "나머지 10억원은 경남도와 군이 절반씩 분담한다.",
    "남은 6억 원은 도와 시가 나눠 부담한다.",
    "잔여 20억원은 충북도와 청주시가 매칭해 마련한다.",
])
def test_two_local_governments_paying_together_is_local_money(sentence):
    assert [c for _, c in budgets(sentence)] == ["지방비"]


@pytest.mark.parametrize("sentence", [
    "민간 사업자가 800억원을 투자한다.",
    "민간 기업들이 120억 원을 출자한다.",
    "정부 부처가 50억 원을 지원한다.",
])
def test_a_subject_actor_with_an_actor_noun(sentence):
    assert budgets(sentence)[0][1] in ("민간", "정부")


# ------------------------------------------------------------------ parts written without their unit

@pytest.mark.parametrize("sentence, expected", [
    ("○ 총사업비: 60억원(국비 30, 지방비 30)",
     [(60 * EOK, "총사업비"), (30 * EOK, "국비"), (30 * EOK, "지방비")]),
    ("총사업비 100억 원(국비 50, 도비 15, 시비 35)이 투입된다.",
     [(100 * EOK, "총사업비"), (50 * EOK, "국비"), (15 * EOK, "도비"), (35 * EOK, "시비")]),
    ("국비 30, 지방비 30억원 등 60억원이 들어간다.", [(30 * EOK, "국비"), (30 * EOK, "지방비"), (60 * EOK, None)]),
    ("사업비 2,000만원(국비 1,200, 시비 800)을 들인다.",
     [(20_000_000, "사업비"), (12_000_000, "국비"), (8_000_000, "시비")]),
])
def test_parts_without_a_unit_take_the_unit_of_the_amount_beside_them(sentence, expected):
    assert budgets(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "국비 30%, 지방비 70%로 나눠 부담한다.",
    "국비 2026년까지 확보를 목표로 한다.",
    "도비 3개 사업이 선정됐다.",
])
def test_a_number_after_a_source_word_without_any_amount_nearby_is_not_money(sentence):
    assert money(sentence) == []


# ------------------------------------------------------------------ budget tables (one cell per paragraph)

def _table(*cells: str, before: str = "시는 스마트 교통 사업을 추진한다.", after: str = "□ 시는 내년까지 사업을 마친다.") -> str:
    return "\n\n".join([before, *cells, after])


def table_rows(body: str) -> list[tuple[int, str | None, bool]]:
    return [(m.amount_krw, m.cue, m.is_list_total) for m in money(body) if m.is_budget]


def test_a_table_reads_each_amount_with_its_column_and_the_tables_unit():
    body = _table("< 사업별 예산 >", "(단위: 억원)", "구분", "국비", "도비", "시비", "계",
                  "스마트 교차로 구축사업", "50", "10", "20", "80",
                  "스마트 정류장 설치사업", "30", "6", "14", "50")
    assert table_rows(body) == [
        (50 * EOK, "국비", False), (10 * EOK, "도비", False), (20 * EOK, "시비", False), (80 * EOK, "합계", True),
        (30 * EOK, "국비", False), (6 * EOK, "도비", False), (14 * EOK, "시비", False), (50 * EOK, "합계", True)]
    rows = [m for m in money(body) if m.is_budget]
    assert rows[0].program == "스마트 교차로 구축사업"
    assert len({m.list_no for m in rows[:4]}) == 1 and rows[0].list_no != rows[4].list_no


def test_a_table_with_amounts_written_in_the_cells():
    body = _table("사업명", "국비", "지방비", "합계", "데이터 허브 구축", "12억 원", "8억 원", "20억 원")
    assert table_rows(body) == [(12 * EOK, "국비", False), (8 * EOK, "지방비", False), (20 * EOK, "합계", True)]


def test_a_table_with_the_unit_in_the_heading_cells():
    body = _table("구분", "국비(백만원)", "시비(백만원)", "계(백만원)", "관제센터 고도화", "1,200", "800", "2,000")
    assert table_rows(body) == [(12 * EOK, "국비", False), (8 * EOK, "시비", False), (20 * EOK, "합계", True)]


def test_a_table_row_whose_parts_do_not_add_up_is_left_out():
    body = _table("(단위: 백만원)", "구분", "국비", "시비", "계",
                  "가 사업", "1,000", "500", "1,600", "나 사업", "2,000", "1,000", "3,000")
    assert table_rows(body) == [(20 * EOK, "국비", False), (10 * EOK, "시비", False), (30 * EOK, "합계", True)]


def test_a_table_without_a_unit_leaves_bare_numbers_out():
    body = _table("구분", "국비", "시비", "계", "가 사업", "10", "5", "15", "나 사업", "20", "10", "30")
    assert table_rows(body) == []


def test_a_transposed_table_gives_each_sources_total_column():
    body = _table("(단위: 억원)", "구분", "2024년", "2025년", "계", "국비", "10", "20", "30", "지방비", "5", "6", "11")
    assert table_rows(body) == [(30 * EOK, "국비", False), (11 * EOK, "지방비", False)]


def test_a_table_row_with_a_missing_cell_is_left_out():
    body = _table("(단위: 억원)", "구분", "국비", "도비", "시비", "계",
                  "가 사업", "50", "10", "80", "나 사업", "30", "6", "14", "50")
    assert table_rows(body) == [(30 * EOK, "국비", False), (6 * EOK, "도비", False), (14 * EOK, "시비", False),
                                (50 * EOK, "합계", True)]


def test_a_table_without_money_headings_gives_nothing():
    body = _table("지역", "특구명", "지정기간", "부산", "해양모빌리티", "4년", "강원", "AI 헬스케어", "4년")
    assert table_rows(body) == []
