"""The Kiwi token cache (pipelines/extract/kiwi.py): a text is analysed once per process while it is among the last
TOKEN_CACHE_TEXTS asked for, the tokens from the cache are Kiwi's own, and the cache is bounded."""
from __future__ import annotations

import pytest

from pipelines.extract import kiwi
from tests.support.kiwi import CountingKiwi

# own sentences: normalised endings (했 → 하 + 었), Latin and digits, a legal-form marker, quotes, a masked span
SENTENCES = [
    "㈜한빛소프트는 지난해 매출 120억 원을 기록했다고 밝혔다.",
    "누리시와 AI 스타트업 블루웨이브가 ‘K-스마트 도로’ 실증을 시작했어요.",
    "가온대학교 산학협력단은 3일 서울에서 주민설명회를 열었고, 참석자들은 질문을 쏟아냈다.",
    "   한별전자와 다솜건설은 2026.3.15 공동 사업단(SPC)을 꾸렸다!",
    "그는 “내년엔 더 나아지겠죠”라며 웃었다.",
]




@pytest.fixture
def counting_kiwi(monkeypatch):
    kiwi.clear_cache()
    spy = CountingKiwi(kiwi.get_kiwi())
    monkeypatch.setattr(kiwi, "_kiwi", spy)
    yield spy
    kiwi.clear_cache()


def _kiwi_direct(spy: _CountingKiwi, text: str) -> tuple:
    """Kiwi's tokens of the text, asked without the cache (and without counting)."""
    return tuple((t.form, t.tag, t.start, t.len) for t in spy.real.tokenize(text))


def test_tokens_are_kiwis_own_first_and_from_the_packed_cache(counting_kiwi):
    first = [kiwi.tokenize(s) for s in SENTENCES]
    assert first == [_kiwi_direct(counting_kiwi, s) for s in SENTENCES]
    assert any(form != s[start:start + length] for s, toks in zip(SENTENCES, first)
               for form, _, start, length in toks)  # some forms are not the text's characters (었, 하): stored
    kiwi.tokenize.cache_clear()  # the ready tuples are gone; the packed tokens remain
    assert [kiwi.tokenize(s) for s in SENTENCES] == first
    assert counting_kiwi.texts == SENTENCES  # each text analysed once


def test_a_text_repeated_after_many_others_is_not_analysed_again(counting_kiwi):
    # more distinct texts than the ready tuples hold (4,096), fewer than TOKEN_CACHE_TEXTS: the first one comes back
    # from the packed cache. Short texts keep Kiwi's share of the test small.
    fillers = [f"{i}번 안건" for i in range(kiwi.tokenize.cache_info().maxsize + 10)]
    assert len(fillers) < kiwi.TOKEN_CACHE_TEXTS
    first = kiwi.tokenize(SENTENCES[0])
    for f in fillers:
        kiwi.tokenize(f)
    assert kiwi.tokenize(SENTENCES[0]) == first
    assert counting_kiwi.texts.count(SENTENCES[0]) == 1


def test_the_cache_is_bounded_least_recently_used_out_first(counting_kiwi, monkeypatch):
    monkeypatch.setattr(kiwi, "TOKEN_CACHE_TEXTS", 3)
    a, b, c, d = SENTENCES[:4]
    for s in (a, b, c):
        kiwi.tokenize(s)
    kiwi.tokenize.cache_clear()
    kiwi.tokenize(a)  # a is now the most recent; b the least
    kiwi.tokenize(d)  # over the bound: b goes
    assert len(kiwi._packed) == 3
    kiwi.tokenize.cache_clear()
    assert kiwi.tokenize(b) == _kiwi_direct(counting_kiwi, b)
    assert kiwi.tokenize(a) == _kiwi_direct(counting_kiwi, a)
    assert counting_kiwi.texts == [a, b, c, d, b]  # b analysed again, a not
