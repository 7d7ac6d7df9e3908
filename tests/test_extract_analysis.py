"""The per-sentence analysis (pipelines/extract/analysis.py): one object per sentence, read by every grammar, and
Kiwi only for the sentences that need it."""
from __future__ import annotations

import pytest

from pipelines.extract import analysis, dates, extract_article, kiwi
from pipelines.extract.analysis import analysis_of
from pipelines.extract.orgs import phrases
from pipelines.extract.sentences import split_sentences
from tests.support.kiwi import CountingKiwi




@pytest.fixture
def counting_kiwi(monkeypatch):
    kiwi.clear_cache()
    for cache in (phrases.analyse, phrases.brackets):
        cache.cache_clear()
    analysis.clear_caches()
    spy = CountingKiwi(kiwi.get_kiwi())
    monkeypatch.setattr(kiwi, "_kiwi", spy)
    yield spy
    kiwi.clear_cache()
    for cache in (phrases.analyse, phrases.brackets):
        cache.cache_clear()
    analysis.clear_caches()


def test_one_analysis_per_sentence_text():
    text = "성남시는 ‘AI 도시’ 사업에 국비 120억 원(도비 30억 원)을 2025년 6월 투입한다."
    assert analysis_of(text) is analysis_of(text)
    sa = analysis_of(text)
    assert [(text[a:b], won) for a, b, won in sa.amounts] == [("120억 원", 12_000_000_000), ("30억 원", 3_000_000_000)]
    assert [text[a:b] for a, b in sa.name_quotes] == ["‘AI 도시’"]
    assert [(s.kind, text[s.start:s.end]) for s in sa.date_spans] == [("ymd", "2025년 6월")]
    paren = sa.brackets.enclosing(sa.amounts[1][0], sa.amounts[1][1])
    assert paren is not None and text[paren[0]:paren[1]] == "(도비 30억 원)"
    assert [name for _, name, _ in sa.local_governments] == ["성남시"]
    assert sa.programme_year is None  # '2025년' comes after the programme head, not before it
    assert analysis_of("2024년 스마트시티 챌린지 사업에 선정됐다.").programme_year == 2024


def test_dates_read_the_analysis_spans():
    sentence = split_sentences("지난해 3월 착공해 오는 11월 19일 준공한다.")[0]
    spans = analysis_of(sentence.text).date_spans
    mentions = dates.find_dates_in_sentence(sentence)
    assert [(m.start, m.end) for m in mentions] == [(s.start, s.end) for s in spans]


def test_kiwi_runs_once_per_sentence_and_not_on_sentences_without_cues(counting_kiwi):
    body = ("성남시는 네이버클라우드와 스마트시티 사업 협약을 체결했다.\n\n"
            "이번 달 공모를 진행한다.\n\n"
            "정부는 국비 100억 원을 투입한다.\n\n"
            "자세한 일정은 추후 공개된다.")
    mentions = extract_article(body)
    assert mentions.money and mentions.money[0].program == "스마트시티 사업"  # the programme is found next door
    assert any(o.resolved == "성남시" for o in mentions.orgs)
    asked = counting_kiwi.texts
    assert len(asked) == len(set(asked)), "a sentence was given to Kiwi twice"
    # no programme word, no organisation cue: money's programme look-up (the sentence before the amount) and the
    # organisation grammar both pass it by without Kiwi
    assert not any("공모를 진행한다" in t or "추후 공개된다" in t for t in asked)
    assert any("스마트시티 사업" in t for t in asked)


def test_amounts_need_a_digit_and_programmes_a_head_word(counting_kiwi):
    sa = analysis_of("수백억 원 규모의 예산을 들였다.")
    assert sa.amounts == []
    assert sa.programmes == []
    assert counting_kiwi.texts == []  # no 사업/프로젝트 in the sentence: Kiwi was not asked
