"""Date grammar: components, offsets, direction and 이날/오늘 anchors (sentences written for these tests)."""
from __future__ import annotations

import pytest

from pipelines.extract import extract_article
from pipelines.extract.dates import find_date_mentions, is_future_governed
from pipelines.extract.sentences import split_sentences
from pipelines.extract.types import DateMention, Sentence

FIELDS = ("date_text", "year", "month", "day", "year_offset", "month_offset", "day_ref", "direction")


def dates(text: str) -> list[DateMention]:
    return find_date_mentions(split_sentences(text))


def one(text: str) -> dict:
    found = dates(text)
    assert len(found) == 1, [d.date_text for d in found]
    return {f: getattr(found[0], f) for f in FIELDS}


def expect(date_text, year=None, month=None, day=None, year_offset=None, month_offset=None, day_ref=None,
           direction=None) -> dict:
    return dict(date_text=date_text, year=year, month=month, day=day, year_offset=year_offset,
                month_offset=month_offset, day_ref=day_ref, direction=direction)


@pytest.mark.parametrize("sentence, want", [
    ("행사는 2025년 6월 19일 열렸다.", expect("2025년 6월 19일", 2025, 6, 19, direction="past")),
    ("보고서는 2024.11.3 공개됐다.", expect("2024.11.3", 2024, 11, 3, direction="past")),
    ("기사 입력 2025-03-10 10:05", expect("2025-03-10", 2025, 3, 10)),
    ("입력 : 2025/06/20 [15:09]", expect("2025/06/20", 2025, 6, 20)),
    ("위원회는 6월 19일 회의를 열었다.", expect("6월 19일", None, 6, 19, direction="past")),
    ("특례가 2월15일부터 적용됐다.", expect("2월15일", None, 2, 15, direction="past")),
    ("시는 19일 결과를 공개했다.", expect("19일", None, None, 19, direction="past")),
    ("시는 지난 19일 회의를 열었다.", expect("지난 19일", day=19, direction="past")),
    ("시는 오는 25일 회의를 연다.", expect("오는 25일", day=25, direction="future")),
    ("공사는 지난해 6월 끝났다.", expect("지난해 6월", month=6, year_offset=-1, direction="past")),
    ("공사는 작년 6월 끝났다.", expect("작년 6월", month=6, year_offset=-1, direction="past")),
    ("공사는 재작년 끝났다.", expect("재작년", year_offset=-2, direction="past")),
    ("공사는 올해 3월 시작됐다.", expect("올해 3월", month=3, year_offset=0, direction="past")),
    ("공사는 금년 안에 끝난다.", expect("금년", year_offset=0)),
    ("공사는 올 3월 시작됐다.", expect("올 3월", month=3, year_offset=0, direction="past")),
    ("사업은 내년에 시작된다.", expect("내년", year_offset=1)),
    ("사업은 내년 상반기 시작된다.", expect("내년 상반기", month=1, year_offset=1)),
    ("센터는 2027년 문을 연다.", expect("2027년", 2027)),
    ("사업은 ’19년 시작됐다.", expect("’19년", 2019, direction="past")),
    ("사업은 '19년 시작됐다.", expect("'19년", 2019, direction="past")),
    ("입주는 2021년 말 시작됐다.", expect("2021년 말", 2021, 12, direction="past")),
    ("시는 연초 방침을 정했다.", expect("연초", year_offset=0, direction="past")),
    ("시는 연말 결과를 정리했다.", expect("연말", month=12, year_offset=0, direction="past")),
    ("설계는 연내 끝난다.", expect("연내", year_offset=0, direction="future")),
    ("회의는 지난달 30일 열렸다.", expect("지난달 30일", day=30, month_offset=-1, direction="past")),
    ("보고서는 이달 말 나왔다.", expect("이달 말", month_offset=0, direction="past")),
    ("조례는 다음 달 1일 공포됐다.", expect("다음 달 1일", day=1, month_offset=1, direction="past")),
    ("사업은 ’19~’21년 이어졌다.", expect("’19~’21년", 2019, direction="past")),
    ("사업은 2024~2026년 이어졌다.", expect("2024~2026년", 2024, direction="past")),
])
def test_date_forms(sentence, want):
    assert one(sentence) == want


@pytest.mark.parametrize("sentence", [
    "정 의원은 22대 국회에서 활동했다.",
    "세종 5-1 생활권이 조성됐다.",
    "1초에 한 번 계산한다.",
    "국비 160억 원이 투입됐다.",
    "공사는 3일간 멈췄다.",
    "신청은 30일 이내 해야 한다.",
    "사업은 3개월 걸렸다.",
    "요즘 오늘날의 도시는 바쁘다.",
    "113개 기업이 참여했다.",
    "J-Maas 4.0 서비스가 나왔다.",
])
def test_not_dates(sentence):
    assert dates(sentence) == []


def test_future_verb_sets_direction_without_oneun():
    assert one("시는 12월 정류장을 개통할 예정이다.")["direction"] == "future"
    assert one("시는 9월 서비스를 시작할 계획이다.")["direction"] == "future"
    assert one("시는 10월 개소를 목표로 한다.")["direction"] == "future"


def test_past_verb_sets_direction_past():
    assert one("시는 12월 정류장을 개통했다.")["direction"] == "past"
    assert one("시는 19일 공모에 선정됐다고 밝혔다.")["direction"] == "past"


def test_noun_gyehoek_is_not_a_future_marker():
    assert one("시는 3월 사업 계획 등을 논의했다.")["direction"] == "past"
    assert one("시는 3월 사업 계획 등을 논의한다.")["direction"] is None


@pytest.mark.parametrize("sentence", [
    "군은 11월 주민 설명회를 열었다.",                     # 었다
    "도는 4월 28일 실증 결과를 내놨다.",                    # any ㅆ-final past (놨다)
    "협의회는 7일 창립총회를 갖고 활동에 나섰다.",          # clause joined by -고 takes the final past verb
    "시는 2월 3일 개통식을 가졌으며 운행도 늘렸다.",        # 졌으며
    "공단은 10일 성과 보고회가 끝났다고 전했다.",            # 났다고
    "구는 6월 20일 공청회를 개최했습니다.",                  # 했습니다
])
def test_finite_past_verb_makes_direction_past(sentence):
    assert one(sentence)["direction"] == "past"


@pytest.mark.parametrize("sentence", [
    "두 기관이 8월 체결한 협약은 3년간 유효하다.",           # 체결한 + noun
    "올해 2월 시행된 개정 조례가 근거가 된다.",               # 시행된 + noun
    "양측이 9월 맺은 MOU에 따라 실증이 이어진다.",            # 맺은
    "시가 5월 28일 열린 심사에서 최고점을 받는다.",           # 열린
    "3월 출범했던 협의체가 해산 절차에 들어간다.",            # 했던
])
def test_past_adnominal_makes_direction_past(sentence):
    assert one(sentence)["direction"] == "past"


@pytest.mark.parametrize("sentence", [
    "개정 조례는 7월 1일부터 시행된다.",                      # 된다: scheduled present
    "센터는 11월 20일 문을 연다.",                            # 연다
    "시는 3월 4일 시청에서 착수 보고회를 한다고 밝혔다.",     # 한다고 before the past 밝혔다
    "새 노선은 9월 15일 운행을 시작한다며 홍보에 나섰다.",    # 한다며
    "공모 결과는 12월 22일 나온다.",                           # 나온다
    "조례는 5월 시행에 맞춰 필요한 규정을 정비한다.",         # present adjective 필요한 is not a past form
])
def test_present_verb_leaves_direction_null(sentence):
    assert one(sentence)["direction"] is None


@pytest.mark.parametrize("sentence", [
    "8월 9일 운영 결과를 시민에게 전달했다.",
    "시는 3일 민원 내용을 부서에 전달한다.",
    "12일 구청이 주민 의견을 전달받았다.",
])
def test_jeondal_delivered_is_not_the_previous_month(sentence):
    found = dates(sentence)
    assert [d.month_offset for d in found] == [None], [d.date_text for d in found]


def test_is_future_governed_stops_at_a_finite_past_form():
    text = "19일 공모에 선정됐으며 설계를 마칠 계획이다"
    assert is_future_governed(text, len("19일")) is False
    assert is_future_governed("8월 문을 열 예정이다", len("8월")) is True


def test_inal_copies_the_last_day_level_date():
    found = dates("협의회는 지난 19일 출범했다.\n\n이날 행사에는 50명이 모였다.")
    anchor = found[-1]
    assert (anchor.date_text, anchor.day, anchor.direction, anchor.day_ref) == ("이날", 19, "past", "anchor")


def test_oneul_copies_a_full_date():
    found = dates("총회는 2024년 3월 5일 열렸다.\n\n회장은 “오늘 첫걸음을 뗐다”고 말했다.")
    assert (found[-1].year, found[-1].month, found[-1].day, found[-1].day_ref) == (2024, 3, 5, "anchor")


def test_anchor_skips_month_level_dates():
    found = dates("협의회는 7일 출범했다.\n\n지난해 6월 사업이 시작됐다.\n\n이날 회의가 열렸다.")
    assert (found[-1].day, found[-1].year_offset, found[-1].day_ref) == (7, None, "anchor")


def test_inal_without_a_preceding_day_means_publication():
    found = dates("당일 행사에는 주민 30명이 참석했다.")
    assert (found[0].day_ref, found[0].year, found[0].month, found[0].day) == ("publication", None, None, None)


def test_mention_numbers_and_offsets_inside_the_sentence():
    sentence = Sentence(sentence_no=4, paragraph_no=1, text="2019년 시작해 2021년 말 끝났다.")
    found = find_date_mentions([sentence])
    assert [(d.sentence_no, d.mention_no) for d in found] == [(4, 0), (4, 1)]
    assert sentence.text[found[1].start:found[1].end] == "2021년 말"


def test_extract_article_emits_dates_in_article_order():
    found = extract_article("시는 10일 공모에 참여했다.\n\n시는 지난해 5월 협약을 맺었다.", None).dates
    assert [d.date_text for d in found] == ["10일", "지난해 5월"]


# ---------------------------------------------------------------- half-years and 전날 (0.5)

@pytest.mark.parametrize("sentence, want", [
    ("설계는 올해 하반기 끝난다.", expect("올해 하반기", month=7, year_offset=0)),
    ("착공은 내년 상반기로 잡혔다.", expect("내년 상반기", month=1, year_offset=1, direction="past")),
    ("시범 구간은 2027년 하반기 개통한다.", expect("2027년 하반기", 2027, 7)),
    ("2차 공모는 하반기 중 열린다.", expect("하반기", month=7, year_offset=0)),
    ("보고서는 상반기 안에 나온다.", expect("상반기", month=1, year_offset=0)),
    # quarters: the first month of the quarter
    ("시스템은 내년 2분기 가동된다.", expect("내년 2분기", month=4, year_offset=1)),
    ("입찰은 3분기 중 진행된다.", expect("3분기", month=7, year_offset=0)),
    ("센터는 2026년 4분기 문을 연다.", expect("2026년 4분기", 2026, 10)),
    ("공사는 올 1분기 끝났다.", expect("올 1분기", month=1, year_offset=0, direction="past")),
])
def test_half_years_are_their_first_month(sentence, want):
    assert one(sentence) == want


@pytest.mark.parametrize("text, want", [
    # the reporting frame's day in the same sentence
    ("도는 전날 도청에서 협약을 맺었다고 9일 밝혔다.", (None, None, 8)),
    ("구는 전날 열린 회의에서 안건을 의결했다고 21일 전했다.", (None, None, 20)),
    # the last day-level date before it
    ("공단은 2025년 3월 12일 착공식을 열었다.\n\n전날에는 주민설명회가 있었다.", (2025, 3, 11)),
    # the first of a month: the last day of the month before
    ("위원회는 2024년 7월 1일 출범했다.\n\n전날 준비 회의가 열렸다.", (2024, 6, 30)),
])
def test_jeonnal_is_the_day_before_its_reference(text, want):
    (mention,) = [d for d in dates(text) if d.date_text == "전날"]
    assert (mention.year, mention.month, mention.day, mention.day_ref) == (*want, "anchor")


@pytest.mark.parametrize("sentence", [
    "시는 전날 시청에서 설명회를 열었다.",
    "어제 발표된 결과에 따르면 세 곳이 뽑혔다.",
    "기업들은 전일 투자 계획을 공개했다.",
])
def test_jeonnal_without_a_day_to_count_from_is_the_day_before_publication(sentence):
    (mention,) = dates(sentence)
    assert (mention.day_ref, mention.day, mention.month) == ("previous_day", None, None)


@pytest.mark.parametrize("sentence", [
    "주가는 전날보다 3% 올랐다.",
    "거래량이 전일 대비 두 배로 늘었다.",
    "지수는 전날 대비 소폭 내렸다.",
])
def test_jeonnal_as_a_comparison_is_not_a_date(sentence):
    assert dates(sentence) == []


@pytest.mark.parametrize("sentence, future", [
    ("공사는 2027년 준공을 목표로 추진된다.", True),
    ("완공 목표는 2028년이다.", True),
    ("준공 목표 역시 2029년으로 늦춰졌다.", True),
    ("2018년까지 블록 정비를 마치고 목표 유수율을 달성했다.", False),
    ("시는 2020년 목표 관리제를 도입했다.", False),
    ("도는 지난해 목표 인원을 채웠다.", False),
])
def test_mokpyo_is_future_only_as_a_predicate(sentence, future):
    assert is_future_governed(sentence, 0) is future
