"""Per-sentence budgets of the organisation grammar (issue 13, probe 4): a sentence listing thousands of
organisations costs linear time, keeps a bounded number of candidates and says how many it dropped.

Budget stated: one 10,000-organisation sentence (about 90,000 characters) through `extract_article` in < 5 s
(measured ~0.3 s after Kiwi is warm; before the bracket index it took 367 s).
"""
from __future__ import annotations

import random
import time

from pipelines.extract import extract_article
from pipelines.extract.kiwi import tokenize
from pipelines.extract.orgs.phrases import (
    MAX_ANALYSED_CHARS,
    MAX_CANDIDATES_PER_SENTENCE,
    analyse,
    enclosing_paren,
    matching_close,
)

_SYLLABLES = "곤둔롬뭉붐숑옹좀춘쿤퉁푼훙탄벤"  # not particles or number words: Kiwi reads the names as names


def _name(i: int) -> str:
    s = ""
    while True:
        s += _SYLLABLES[i % len(_SYLLABLES)]
        i //= len(_SYLLABLES)
        if not i:
            return s


def _listing(n: int, paren_every: int = 0) -> str:
    names = []
    for i in range(n):
        name = (f"{_name(i)}테크㈜", f"한국{_name(i)}진흥원", f"{_name(i)}대학교")[i % 3]
        if paren_every and i % paren_every == 0:
            name += f"({_name(i + 7)})"
        names.append(name)
    return "전주시는 " + ", ".join(names) + f" 등 {n}개 기관과 스마트시티 업무협약을 체결했다고 밝혔다."


def test_ten_thousand_organisations_in_one_sentence_finish_within_the_budget() -> None:
    tokenize("카카오와 협약을 맺었다.")  # Kiwi's one-off model load and warm-up are not the sentence's cost
    body = _listing(10_000, paren_every=5)
    t0 = time.perf_counter()
    am = extract_article(body)
    elapsed = time.perf_counter() - t0
    assert elapsed < 5.0, f"{elapsed:.1f} s"
    assert 1 < len(am.orgs) <= MAX_CANDIDATES_PER_SENTENCE
    members = {p.member for p in am.partnerships}
    assert len(members) > 100  # the kept part is still read as one agreement


def test_the_excess_is_dropped_and_counted_not_raised() -> None:
    sa = analyse(_listing(600))
    assert len(sa.candidates) == MAX_CANDIDATES_PER_SENTENCE
    assert sa.dropped_candidates > 0
    long_sa = analyse(_listing(3000))
    assert long_sa.truncated_chars == len(long_sa.text) - MAX_ANALYSED_CHARS
    assert all(c.end <= MAX_ANALYSED_CHARS for c in long_sa.candidates)


def test_an_ordinary_sentence_keeps_every_candidate() -> None:
    sa = analyse("성남시는 네이버클라우드, 한국전자통신연구원, 가천대학교와 업무협약을 체결했다.")
    assert [c.text for c in sa.candidates] == ["성남시", "네이버클라우드", "한국전자통신연구원", "가천대학교"]
    assert sa.dropped_candidates == 0 and sa.truncated_chars == 0


def _rescan(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The former per-candidate rescan, kept here as the specification of `enclosing_paren`."""
    open_ = []
    for i in range(start):
        if text[i] in "([（":
            open_.append(i)
        elif text[i] in ")]）" and open_:
            open_.pop()
    while open_:
        op = open_.pop()
        close = matching_close(text, op)
        if close is not None and close >= end - 1:
            return (op, close + 1)
    return None


def test_bracket_index_answers_like_the_rescan() -> None:
    rng = random.Random(13)
    for _ in range(1500):
        text = "".join(rng.choice("가A ([（)]）") for _ in range(rng.randint(0, 50)))
        for start in range(len(text) + 1):
            for end in range(start, min(len(text), start + 6) + 1):
                assert enclosing_paren(text, start, end) == _rescan(text, start, end), (text, start, end)


def test_bracket_index_on_real_phrasings() -> None:
    text = "한국토지주택공사(LH)와 케이티(KT·대표 김영섭)는 (사진 제공) 협약을 맺었다."
    assert enclosing_paren(text, text.index("LH"), text.index("LH") + 2) == (8, 12)
    inner = text.index("대표")
    assert text[slice(*enclosing_paren(text, inner, inner + 2))] == "(KT·대표 김영섭)"
    assert enclosing_paren(text, 0, 8) is None
