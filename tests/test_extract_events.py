"""Event grammar: the eight event types from the trigger seed, dates, future → planned, locations, negatives.

All sentences are written for these tests.
"""
from __future__ import annotations

import csv

import pytest

from pipelines.extract import extract_article
from pipelines.extract.events import EVENT_TRIGGERS_CSV, event_triggers, find_location

EVENT_TYPES = {"agreement_signed", "selected", "applied", "launched", "demonstrated", "announced", "planned",
               "took_effect"}


def events(text: str) -> list[tuple[str, str | None]]:
    """(event_type, date_text of its date mention) per event."""
    mentions = extract_article(text, None)
    by_key = {(d.sentence_no, d.mention_no): d for d in mentions.dates}
    return [(e.event_type, by_key[(e.sentence_no, e.date_mention_no)].date_text) for e in mentions.events]


@pytest.mark.parametrize("sentence, want", [
    # agreement_signed
    ("목포시는 23일 시청 대회의실에서 한국전력과 업무협약(MOU)을 체결했다.", ("agreement_signed", "23일")),
    ("경기도와 네이버는 지난 12일 MOU를 맺고 협력하기로 했다.", ("agreement_signed", "지난 12일")),
    ("양 기관은 8일 데이터 공유를 위한 공동사업협력을 체결했다.", ("agreement_signed", "8일")),
    ("두 도시는 2024년 5월 2일 우호 협정을 체결했다.", ("agreement_signed", "2024년 5월 2일")),
    # selected
    ("세종시는 지난달 30일 ‘AI 실증 공모’에 최종 선정됐다고 1일 밝혔다.", ("selected", "지난달 30일")),
    ("포항시는 올해 3월 강소연구개발특구로 지정됐다.", ("selected", "올해 3월")),
    ("김해시가 디지털 혁신 공모사업에 선정돼 국비를 받는다고 18일 밝혔다.", ("selected", "18일")),
    ("국토부는 14일 제천시를 시범도시로 선정했다.", ("selected", "14일")),
    ("창원시는 지난 2일 로봇 테스트필드 유치가 확정됐다고 전했다.", ("selected", "지난 2일")),
    # applied
    ("대구시는 국가 로봇테스트필드 유치전에 뛰어들었다고 2일 밝혔다.", ("applied", "2일")),
    ("울산시는 지난 4일 스마트시티 챌린지 공모에 신청서를 냈다.", ("applied", "지난 4일")),
    ("원주시는 데이터센터 유치에 도전한다고 11일 밝혔다.", ("applied", "11일")),
    # launched
    ("광주 AI 데이터센터가 지난해 11월 개소했다.", ("launched", "지난해 11월")),
    ("협의체는 7일 발족식을 열고 공식 출범했다.", ("launched", "7일")),
    ("자율주행 셔틀 서비스가 지난 5일부터 개시됐다.", ("launched", "지난 5일")),
    ("도시철도 2호선이 2024년 12월 개통했다.", ("launched", "2024년 12월")),
    # demonstrated
    ("시는 이날 자율주행 로봇을 시연했다.", ("demonstrated", "이날")),
    ("인천시는 10일 송도 컨벤시아에서 도심항공교통 실증 착수 회의를 열었다.", ("demonstrated", "10일")),
    ("양측은 15일 사업 킥오프 회의를 가졌다.", ("demonstrated", "15일")),
    # announced
    ("국토부는 19일 '스마트도시 종합계획'을 발표했다.", ("announced", "19일")),
    ("도는 지난 3일 공모 결과를 발표했다.", ("announced", "지난 3일")),
    # planned
    ("창원시 통합센터가 오는 9월 개소할 예정이다.", ("planned", "오는 9월")),
    ("부산 디지털트윈 플랫폼은 2026년 개통을 목표로 추진된다.", ("planned", "2026년")),
    ("시는 12월 스마트 쉼터를 개소하고 운영에 들어갈 예정이다.", ("planned", "12월")),
    ("두 기관은 오는 25일 협약을 체결할 예정이다.", ("planned", "오는 25일")),
    ("정부는 오는 11월 조기 서비스를 제공할 계획이다.", ("planned", "오는 11월")),
    ("새 센터는 연내 문을 열 계획이다.", ("planned", "연내")),
    ("주민 입주는 2028년 시작한다는 목표다.", ("planned", "2028년")),
    ("센터는 내년 착공할 예정이다.", ("planned", "내년")),
    # took_effect
    ("개정 조례는 다음 달 1일부터 시행된다.", ("took_effect", "다음 달 1일")),
    ("특례가 3월2일부터 시행된다.", ("took_effect", "3월2일")),
    ("스마트도시법 개정안이 지난 3월 공포돼 시행에 들어갔다.", ("took_effect", "지난 3월")),
])
def test_each_event_type(sentence, want):
    assert events(sentence) == [want]


@pytest.mark.parametrize("sentence", [
    "시는 앞으로 관련 인프라를 강화해 나갈 계획이다.",   # no date
    "천안시는 공모 참여를 위해 협약을 체결했다.",         # no date
    "협약 체결은 지난 10일 무산됐다.",                    # failure
    "시는 지난 5일 선정에서 탈락했다.",                   # failure
    "시는 공모에 선정되면 내년부터 사업을 시작한다.",      # condition
    "시는 10일 유치에 성공한다면 큰 효과가 있다고 말했다.",  # condition
    "박 시장은 22대 국회에 건의했다.",
    "시는 19일 회의에서 사업 계획 등을 논의했다고 밝혔다.",   # 계획 without 발표
    "분야별 기업 등을 선정해 ’19~’21년 사업을 관리한다.",   # active 선정해 is not an event
    "도시 시행계획은 2019년 마련됐다.",                     # 시행계획 is not 시행
])
def test_not_events(sentence):
    assert events(sentence) == []


def test_future_start_verb_planned_but_past_one_is_no_event():
    assert events("시는 2월 공사를 착공했다.") == []
    assert events("시는 2월 착공할 계획이다.") == [("planned", "2월")]


def test_attributive_past_trigger_is_not_made_planned():
    got = events("도는 8일 발족한 협의체를 중심으로 논의를 이어갈 계획이다.")
    assert got == [("launched", "8일")]


def test_one_event_per_sentence_and_type():
    got = events("시는 4일 A사와 협약을 체결하고 이어 B사와도 업무협약을 체결했다.")
    assert got == [("agreement_signed", "4일")]


def test_several_types_in_one_sentence():
    got = events("이날 출범식에서 위원회는 종합계획을 발표했다.")
    assert sorted(t for t, _ in got) == ["announced", "launched"]


def test_date_nearest_the_trigger_wins():
    got = events("지난해 6월 착수한 사업은 올해 3월 최종 선정됐다.")
    assert got == [("selected", "올해 3월")]


def test_date_inside_a_quoted_name_is_not_the_event_date():
    got = events("전주시는 '2025년 데이터 허브 조성사업'에 20일 최종 선정됐다.")
    assert got == [("selected", "20일")]


def test_quoted_date_used_when_it_is_the_only_one():
    got = events("시는 '2025년 스마트 챌린지'에 최종 선정됐다.")
    assert got == [("selected", "2025년")]


def test_anchor_date_makes_the_event_dated():
    text = "협의체는 2월 13일 출범했다.\n\n이날 위원회는 실행계획을 발표했다."
    mentions = extract_article(text, None)
    announced = [e for e in mentions.events if e.event_type == "announced"][0]
    date = [d for d in mentions.dates if (d.sentence_no, d.mention_no) ==
            (announced.sentence_no, announced.date_mention_no)][0]
    assert (date.month, date.day, date.day_ref) == (2, 13, "anchor")


def test_event_row_fields():
    mentions = extract_article("시는 21일 부산 벡스코에서 협약을 체결했다.", None)
    (event,) = mentions.events
    assert (event.sentence_no, event.mention_no, event.trigger, event.date_mention_no, event.location) == (
        0, 0, "협약을 체결", 0, "부산 벡스코")


@pytest.mark.parametrize("sentence, location", [
    ("행사는 2월 13일 부산 벡스코에서 열렸다.", "부산 벡스코"),
    ("21일 천안시청 제1소회의실에서 기념촬영을 했다.", "천안시청 제1소회의실"),
    ("양측은 판교 사옥에서 만났다.", "판교 사옥"),
    ("시는 송도 컨벤시아에서 회의를 열었다.", "송도 컨벤시아"),
    ("이날 총회에서 의장이 뽑혔다.", None),
    ("시는 현장에서 의견을 들었다.", None),
])
def test_location(sentence, location):
    assert find_location(sentence) == location


def test_trigger_seed_is_well_formed():
    with EVENT_TRIGGERS_CSV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert set(rows[0]) == {"trigger", "event_type", "note"}
    assert {r["event_type"] for r in rows} == EVENT_TYPES
    assert len({r["trigger"] for r in rows}) == len(rows)
    assert len(event_triggers()) == len(rows)


def test_report_date_beats_a_date_inside_a_quoted_name():
    got = events("김해시는 '2025년 안전도시 구축사업' 공모에 최종 선정됐다고 14일 밝혔다.")
    assert got == [("selected", "14일")]


# ---------------------------------------------------------------- generalisation rules (0.4)

@pytest.mark.parametrize("sentence, want", [
    ("공단은 2026년 5월 착공에 들어가 2028년 준공할 예정이다.", [("planned", "2026년 5월"), ("planned", "2028년")]),
    ("연구소는 내년 3월 착공하고 2029년 개관을 목표로 한다.", [("planned", "내년 3월"), ("planned", "2029년")]),
    ("도는 2020년 특구로 지정됐고 2023년 다시 선정됐다.", [("selected", "2020년"), ("selected", "2023년")]),
])
def test_same_type_twice_with_different_dates_is_two_events(sentence, want):
    assert events(sentence) == want


@pytest.mark.parametrize("sentence, want", [
    ("최종 결과는 오는 9월 발표될 예정이다.", [("announced", "오는 9월")]),
    ("부는 내년 1월 세부 계획을 발표할 계획이다.", [("announced", "내년 1월")]),
    ("심사 결과는 다음 달 10일 발표된다.", [("announced", "다음 달 10일")]),
])
def test_a_future_announcement_stays_announced(sentence, want):
    assert events(sentence) == want


@pytest.mark.parametrize("sentence", [
    "선정되는 도시에는 2027년부터 국비가 지원된다.",
    "공모에서 지정되는 지구는 내년부터 3년간 실증을 한다.",
    "최종 선정되는 기업 5곳은 12월 협약을 맺게 된다.",
])
def test_hypothetical_selected_adnominal_is_not_selected(sentence):
    assert "selected" not in [t for t, _ in events(sentence)]


def test_selected_with_an_achievement_noun_is_still_selected():
    assert events("군은 지난 8일 우수 지자체로 선정되는 영예를 안았다.") == [("selected", "지난 8일")]


@pytest.mark.parametrize("sentence", [
    "예비 평가를 통과하면 내년 상반기 착공할 예정이다.",
    "실증 결과가 좋으면 2027년 서비스를 시작할 방침이다.",
    "국비가 확보되면 오는 10월 센터를 개소할 계획이다.",
])
def test_condition_before_a_future_trigger_is_no_planned_event(sentence):
    assert events(sentence) == []


@pytest.mark.parametrize("sentence, want", [
    ("이번 사업은 양측이 지난해 9월 맺은 상생 협약의 후속 조치다.", ("agreement_signed", "지난해 9월")),
    ("두 대학이 2023년 체결한 공동연구 MOU가 성과를 냈다.", ("agreement_signed", "2023년")),
    ("시는 지난 4일 체결한 양해각서를 바탕으로 내년 실증에 나설 계획이다.", ("agreement_signed", "지난 4일")),
])
def test_past_adnominal_agreement_before_its_noun(sentence, want):
    assert want in events(sentence)
    assert ("planned", want[1]) not in events(sentence)


@pytest.mark.parametrize("sentence, want", [
    ("지난해 7월 시행된 개정법에 따라 규제가 풀렸다.", ("took_effect", "지난해 7월")),
    ("2024년 10월 시행된 특례 조항이 근거다.", ("took_effect", "2024년 10월")),
    ("올해 2월 시행된 조례는 데이터 공개를 의무화했다.", ("took_effect", "올해 2월")),
])
def test_past_adnominal_sihaengdoen_is_took_effect(sentence, want):
    assert events(sentence) == [want]


@pytest.mark.parametrize("sentence, want", [
    ("무인 셔틀은 2026년 6월 시청과 역 사이에서 운행을 시작할 예정이다.", ("planned", "2026년 6월")),
    ("시는 오는 5월부터 AI 민원 상담 시범 운영에 들어간다.", ("planned", "오는 5월")),
    ("공사는 내년 하반기부터 주말 로봇 배달을 시범적으로 운영할 예정이다.", ("planned", "내년 하반기")),
    ("새 관제센터는 2027년 운영에 들어갈 계획이다.", ("planned", "2027년")),
])
def test_future_start_verbs_are_planned(sentence, want):
    assert events(sentence) == [want]


@pytest.mark.parametrize("sentence", [
    "시는 2023년 3월 운행을 시작했다.",              # past start: no planned event
    "센터는 지난해 10월부터 시범 운영하고 있다.",     # ongoing
    "도서관은 2022년 운영에 들어갔다.",                # past
])
def test_past_or_ongoing_start_verbs_are_no_planned_event(sentence):
    assert "planned" not in [t for t, _ in events(sentence)]


# ---------------------------------------------------------------- issue 14 classes (0.5)

def types(text: str) -> list[str]:
    return [t for t, _ in events(text)]


@pytest.mark.parametrize("sentence, want", [
    # passive of 뽑다
    ("군은 지난해 5월 스마트 마을 공모 대상지로 뽑혔다.", ("selected", "지난해 5월")),
    ("시는 2023년 데이터 댐 과제에 뽑혀 국비를 받았다.", ("selected", "2023년")),
    # nominal selections
    ("구는 지난달 24일 선정 통보를 받았다.", ("selected", "지난달 24일")),
    ("위원회는 지난 3일 심의를 거쳐 특구 지정을 마무리했다.", ("selected", "지난 3일")),
    ("첫 선정은 2022년 9월이었다.", ("selected", "2022년 9월")),
    ("정부는 지난 8일 특화단지 지정 절차를 완료했다.", ("selected", "지난 8일")),
])
def test_passive_and_nominal_selections(sentence, want):
    assert events(sentence) == [want]


@pytest.mark.parametrize("sentence, want", [
    ("시는 지난 4월 대학과 컨소시엄을 꾸려 사업계획서를 냈다.", ("applied", "지난 4월")),
    ("공사는 3월 10일 국토부에 제안서를 제출했다.", ("applied", "3월 10일")),
    ("군은 지난달 사업계획서를 제출했다.", ("applied", "지난달")),
])
def test_written_applications_are_applied(sentence, want):
    assert events(sentence) == [want]


@pytest.mark.parametrize("sentence, want", [
    ("콜버스는 2019년 4월 운행을 시작한 뒤 노선을 늘려 왔다.", ("launched", "2019년 4월")),
    ("관제 설비 6종이 본격 가동에 들어갔다고 10일 밝혔다.", ("launched", "10일")),
    ("협의체는 12일 발대식을 갖고 활동에 나섰다.", ("launched", "12일")),
    ("통합 플랫폼은 지난해 3월 운영을 시작했다.", ("launched", "지난해 3월")),
])
def test_a_service_start_told_in_the_past_is_launched(sentence, want):
    assert events(sentence) == [want]


@pytest.mark.parametrize("sentence, want", [
    ("남구는 이달부터 공원 일대에서 로봇 순찰 실증에 들어간다.", ("demonstrated", "이달")),
    ("시는 지난해 6월 자율주행 버스를 시범 운행했다.", ("demonstrated", "지난해 6월")),
    ("앞서 구는 2023년 스마트 쉼터를 시험 운영했다.", ("demonstrated", "2023년")),
])
def test_trial_runs_are_demonstrated(sentence, want):
    assert events(sentence) == [want]


@pytest.mark.parametrize("sentence, want", [
    ("도는 7월 허브 문을 열 계획이다.", [("planned", "7월")]),
    ("센터는 9월 문을 열 예정이다.", [("planned", "9월")]),
    ("재단은 2027년 박물관 문을 열 방침이다.", [("planned", "2027년")]),
])
def test_a_future_form_ending_inside_the_trigger_is_planned(sentence, want):
    assert events(sentence) == want


@pytest.mark.parametrize("sentence, want", [
    # the date after the trigger across a comma belongs to the next clause
    ("도는 오는 4월 모집 공고를 내고, 7월 센터 문을 열 계획이다.", [("planned", "오는 4월"), ("planned", "7월")]),
    ("시는 다음 달 공고를 내고, 10월 사업자를 고를 예정이다.", [("planned", "다음 달"), ("planned_if_future", "10월")]),
    ("구는 오는 3월 공고를 내며, 5월에는 심사를 한다.", [("planned", "오는 3월")]),
])
def test_a_date_after_a_comma_is_not_the_trigger_date(sentence, want):
    assert events(sentence) == want


@pytest.mark.parametrize("sentence, want", [
    ("준공 목표 역시 2027년에서 2028년으로 미뤄졌다.", [("planned", "2028년")]),
    ("개소 시점은 2026년에서 2027년으로 늦춰질 예정이다.", [("planned", "2027년")]),
    ("착공 목표가 내년 3월에서 5월로 바뀌었다.", [("planned", "5월")]),
])
def test_the_old_date_of_a_change_is_not_the_event_date(sentence, want):
    assert events(sentence) == want


@pytest.mark.parametrize("sentence", [
    "선정된 지자체는 다음 달부터 본격적으로 사업에 착수한다.",
    "지정된 특구는 오는 7월부터 규제 특례를 받는다.",
    "협약을 체결한 세 기관은 내년 3월 실증을 마친다.",
])
def test_an_attributive_trigger_takes_no_date_after_it(sentence):
    got = events(sentence)
    assert all(t not in ("selected", "agreement_signed") for t, _ in got), got


@pytest.mark.parametrize("sentence, want", [
    ("지난해 공모에 선정된 사업을 올해 확대한다.", ("selected", "지난해")),
    ("2023년 지정된 특구가 성과를 냈다.", ("selected", "2023년")),
    ("시가 지난달 체결한 협약은 내년까지 유효하다.", ("agreement_signed", "지난달")),
])
def test_an_attributive_trigger_keeps_a_date_before_it(sentence, want):
    assert want in events(sentence)


@pytest.mark.parametrize("sentence", [
    "지난해 처음 시행된 이 사업은 올해가 두 번째다.",
    "올해 처음 시행된 공모에 11곳이 뛰어들었다.",
    "시는 2024년 시범사업을 시행했다.",
])
def test_a_programme_being_run_is_not_a_law_taking_effect(sentence):
    assert "took_effect" not in types(sentence)


@pytest.mark.parametrize("sentence", [
    "도는 19일 '국가 AI 센터 유치 추진을 위한 업무협약'을 체결했다.",
    "구는 3일 ‘자율주행 실증 착수 지원 협약’을 맺었다.",
    "시는 8일 「데이터센터 유치 도전 선언문」을 발표했다.",
])
def test_a_trigger_inside_a_quoted_name_is_no_event(sentence):
    got = types(sentence)
    assert "applied" not in got and "demonstrated" not in got, got


@pytest.mark.parametrize("sentence, want", [
    ("중기부는 21일 ‘글로벌 특구 출범식’을 열었다.", ("launched", "21일")),
    ("양측은 5일 ‘스마트 교차로 협약식’을 가졌다.", ("agreement_signed", "5일")),
    ("시는 14일 '자율주행 버스 시연'을 진행했다.", ("demonstrated", "14일")),
])
def test_a_trigger_heading_a_quoted_name_is_the_event(sentence, want):
    assert want in events(sentence)


@pytest.mark.parametrize("sentence, want", [
    ("시는 스마트 정류장을 연말까지 구축한다.", [("planned_if_future", "연말")]),
    ("공사는 2029년까지 데이터센터를 100㎿ 규모로 짓고, 연구 인프라로 쓴다.", [("planned_if_future", "2029년")]),
    ("모든 작업은 올 연말 끝난다.", [("planned_if_future", "올 연말")]),
])
def test_a_start_verb_in_the_present_is_planned_if_its_date_is_ahead(sentence, want):
    assert events(sentence) == want


@pytest.mark.parametrize("sentence", [
    "2023년 입주 기업들은 임대료를 감면받았다.",       # a noun inside a noun phrase
    "시는 2022년 관제센터를 구축했다.",                # past
    "구는 지난해 5월 공사를 마무리했다.",              # past
])
def test_a_start_noun_or_past_start_verb_is_no_plan(sentence):
    assert events(sentence) == []


@pytest.mark.parametrize("sentence, want", [
    ("진주시는 오는 26일부터 닷새간 새 버스를 미리 돌려 본다.", [("planned_if_future", "오는 26일")]),
    ("춘천시는 올해 하반기 부지 분양을 목표로 전략을 세웠다.", [("planned_if_future", "올해 하반기")]),
    ("시는 오는 3월부터 주 3회 정기 프로그램을 편성한다.", [("planned_if_future", "오는 3월")]),
    ("회원사들은 내년 상반기까지 공동 과제 5건을 만들 계획이다.", [("planned_if_future", "내년 상반기")]),
])
def test_a_future_clause_without_a_trigger_word_is_a_plan(sentence, want):
    assert events(sentence) == want


@pytest.mark.parametrize("sentence", [
    "시는 지난 3월 정기 프로그램을 편성했다.",                       # past
    "국비가 확보되면 오는 5월부터 버스를 운행할 계획이다.",            # condition
    "청주시는 내년 하반기 노선 개편을 앞두고 있다.",                  # someone's pending step
    "시는 주민 의견을 모았다고 21일 밝혔다.",                         # reporting frame
    "군은 ‘2030년 탄소중립 도시’ 비전을 내놨다.",                     # inside a quoted name
])
def test_past_conditional_or_reported_dates_are_no_plan(sentence):
    assert events(sentence) == []


@pytest.mark.parametrize("sentence", [
    "시내버스 준공영제를 운영하는 청주시는 내년 하반기 개편을 추진한다.",
    "도는 2026년 준공영제 확대를 검토한다.",
    "준공영제는 2004년 서울에서 시작됐다.",
])
def test_a_trigger_inside_a_longer_noun_is_no_trigger(sentence):
    assert all(e.trigger != "준공" for e in extract_article(sentence, None).events)


@pytest.mark.parametrize("sentence, want", [
    ("기업들은 동해면 공당리 일원에 캠퍼스를 2027년까지 완성할 계획이다.", [("planned", "2027년")]),
    ("공사는 서면 대리 부지에 2028년 센터를 준공할 예정이다.", [("planned", "2028년")]),
    ("군은 북면 신리에 2026년 쉼터를 개소할 계획이다.", [("planned", "2026년")]),
])
def test_a_township_name_in_myeon_is_not_a_condition(sentence, want):
    assert events(sentence) == want


def test_a_report_dated_event_gives_way_to_the_day_the_article_gives_it():
    text = ("군은 공모에 최종 선정돼 국비를 확보했다고 11일 밝혔다.\n\n군은 지난달 24일 선정 통보를 받았다.\n\n"
            "군은 앞서 2019년 3월 5일 다른 공모에도 선정됐다.")
    assert events(text) == [("selected", "지난달 24일"), ("selected", "2019년 3월 5일")]


@pytest.mark.parametrize("second", [
    "군은 2019년 3월 5일 다른 공모에도 선정됐다.",                          # an older selection
    "지난 12일 서면평가와 17일 발표평가를 잇따라 거쳐 세 곳이 뽑혔다.",      # dates of evaluation steps, far from the verb
    "군은 지난해 5월 예비사업에 선정됐다.",                                # month level
])
def test_a_report_dated_event_stays_without_a_tight_recent_day(second):
    got = events("군은 공모에 최종 선정됐다고 18일 밝혔다.\n\n" + second)
    assert ("selected", "18일") in got


@pytest.mark.parametrize("sentence", [
    "시는 오는 10월까지 실증을 이어가며 효과를 비교한다.",
    "공사는 다음 달까지 현장 점검을 계속한다.",
    "구는 내년 2월까지 시범 서비스를 유지한다.",
])
def test_a_future_end_of_something_under_way_is_no_plan(sentence):
    assert events(sentence) == []


@pytest.mark.parametrize("sentence, want", [
    ("버스 노선은 현재 3개에서 2030년 20개로 늘린다.", []),
    ("시는 2028년 대상 지역을 넓힌다.", []),
    ("시는 내년 하반기까지 쉼터를 100곳으로 늘린다는 계획이다.", [("planned", "내년 하반기")]),
])
def test_an_expansion_is_a_plan_only_when_said_to_be_one(sentence, want):
    assert events(sentence) == want


@pytest.mark.parametrize("sentence, want", [
    ("올해 1월 시행된 ‘서울특별시 인공지능 행정 활용 조례’가 근거다.", ("took_effect", "올해 1월")),
    ("2024년 7월 시행된 '스마트도시 조성 및 산업진흥 등에 관한 법률'이 바뀐다.", ("took_effect", "2024년 7월")),
    ("지난해 시행된 ‘데이터 기반 행정 활성화 규정’에 따랐다.", ("took_effect", "지난해")),
])
def test_a_law_word_at_the_end_of_a_long_quoted_title_counts(sentence, want):
    assert want in events(sentence)
