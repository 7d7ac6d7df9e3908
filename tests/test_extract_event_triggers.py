"""Trigger.first_word (pipelines/extract/events.py): `_events_in` skips a trigger whose first word is not in the
sentence. Safe only if every match of the trigger's pattern contains that word: checked on the compiled patterns
of every trigger of the seed (the pattern opens with the word's characters as literals, no flags), and on own
sentences."""
from __future__ import annotations

import re
import re._parser as sre_parse  # the parser re.compile uses (Python 3.11)

from pipelines.extract import events
from pipelines.extract.events import event_triggers


def test_every_trigger_pattern_opens_with_its_first_word_as_literals():
    triggers = event_triggers()
    assert len(triggers) > 50
    for trig in triggers:
        word = trig.first_word
        assert word and not re.search(r"\s", word), trig.trigger
        assert trig.pattern.flags & (re.IGNORECASE | re.VERBOSE) == 0, trig.trigger
        ops = list(sre_parse.parse(trig.pattern.pattern))
        head = ops[:len(word)]
        assert head == [(sre_parse.LITERAL, ord(ch)) for ch in word], (trig.trigger, head)


def test_a_sentence_without_the_first_word_has_no_match_and_one_with_it_may():
    by_word = {t.first_word: t for t in event_triggers()}
    trig = by_word.get("협약") or next(iter(by_word.values()))
    with_word = f"가람시는 누리전자와 {trig.first_word} 관련 문서를 지난 3일 체결했다."
    assert trig.first_word in with_word
    without = with_word.replace(trig.first_word, "계획")
    assert trig.first_word not in without and trig.pattern.search(without) is None


def test_events_found_are_the_same_with_and_without_the_first_word_check(monkeypatch):
    from pipelines.extract import extract_article

    texts = [
        "가람시는 누리전자와 스마트 교통 업무협약을 지난 3일 체결했다고 밝혔다.",
        "다온군은 오는 5월 스마트팜 단지를 착공하고 2027년 준공할 예정이다.",
        "한빛구는 내년 상반기 AI 돌봄 서비스를 개시한다. 시범 운영은 이미 끝났다.",
        "새봄시의 자율주행 버스가 1일 운행을 시작했으며, 개통식은 다음 달 열린다.",
    ]
    fast = [extract_article(t).events for t in texts]
    class AlwaysTried(events.Trigger):
        first_word = ""  # in every text: every trigger's pattern is run, as before the check

    every = tuple(AlwaysTried(t.trigger, t.event_type, t.pattern) for t in event_triggers())
    monkeypatch.setattr(events, "event_triggers", lambda: every)
    slow = [extract_article(t).events for t in texts]
    assert fast == slow
    assert sum(len(e) for e in fast) >= 3  # the sentences do hold events
