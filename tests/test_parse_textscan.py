"""The literal guards in front of the parser's regexes never hide a match (they only save time)."""
from __future__ import annotations

import re

import pytest

from bench.corpus import build_corpus
from pipelines.parse import body, dates, page
from pipelines.parse.textscan import Literals

GUARDED = [
    (body._COPYRIGHT_LITS, body._COPYRIGHT_LINE),
    (body._METADATA_LITS, body._METADATA_LINE),
    (body._PHOTO_LITS, body._PHOTO_CREDIT),
    (body._WIDGET_LITS, body._WIDGET),
    (dates._LABEL_LITS, dates.LABELED_DATE),
    (page._COPYRIGHT_MARK_LITS, page._COPYRIGHT_MARK),
    (page._ERROR_LITS, page._ERROR),
]
TRICKY = [
    "COPYRİGHT ⓒ 동아경제", "Ⓒ 2024 뉴스", "All rightſ reserved", "SUBſCRIBE now", "NEWSLETTER", "TAGS: 스마트시티",
    "#스마트시티 #교통", "게티이미지뱅크", "GETTY IMAGES", "PUBLİSHED 2024-01-01 10:00", "Posted on 2024.01.02",
    "UPDATED 2024/01/03", "ERROR PAGE", "Not   Found", "페이지를 찾을 수 없습니다", "접근 권한이 없습니다",
    "기사입력 2025/06/20 [15:09]", "최종수정 2025.06.20", "(사진=연합뉴스)", "▲ 시청 전경 /사진=시청", "", "평범한 문장입니다.",
]


def _texts() -> list[str]:
    out = list(TRICKY)
    for p in build_corpus(20250620, 4):
        out.extend(line for line in re.split(r"<[^>]+>", p.content.decode("utf-8", "replace")) if line.strip())
    return out


@pytest.mark.parametrize("guard,regex", GUARDED)
def test_guard_is_a_necessary_condition(guard: Literals, regex: re.Pattern[str]) -> None:
    for text in _texts():
        if regex.search(text):
            assert guard(text), (regex.pattern[:40], text)


def test_case_folds_onto_ascii_pass_the_guard() -> None:
    g = Literals(("저작권자",), ("rights",))
    assert g("RIGHTS") and g("rightſ") and g("rıghts") and g("RİGHTS") and not g("평범한 문장")


LONG_TRICKY = [  # over textscan._LONG characters, non-ASCII: the guard takes the ASCII-residue route
    "가" * 250 + " COPYRİGHT ⓒ 동아경제", "나" * 250 + " All rightſ reserved", "다" * 250 + " Not   Found",
    "라" * 250 + " ERROR PAGE", "마" * 250 + " 서비스 점검 중입니다", "바" * 250 + " Posted on 2024.01.02",
    "사" * 250 + " GETTY IMAGES", "아" * 250 + " NEWS\u212aLETTER", "자" * 250 + " SUBſCRIBE",
]


@pytest.mark.parametrize("guard,regex", GUARDED)
def test_long_texts_keep_the_guard_necessary(guard: Literals, regex: re.Pattern[str]) -> None:
    for text in LONG_TRICKY + [t * 3 for t in TRICKY if t]:
        if regex.search(text):
            assert guard(text), (regex.pattern[:40], text[-40:])


def test_date_shape_is_necessary_for_byline_dates() -> None:
    """body.flush calls byline scanning only after DATE_SHAPE; it must hold for every date the patterns read."""
    for text in _texts() + ["기사입력 2025/06/20 [15:09]", "25.06.20 입력", "2024년 4월 20일", "입력 2025. 6. 20. 오후 3:09"]:
        if dates.LABELED_DATE.search(text) or dates.UNLABELED_DATE.search(text):
            assert dates.DATE_SHAPE.search(text), text
        assert dates.byline_dates(text) == (dates.shaped_byline_dates(text) if dates.DATE_SHAPE.search(text) else [])


def test_norm_key_matches_the_plain_regex() -> None:
    import unicodedata

    for text in _texts() + ["“따옴표” (괄호) [대괄호] 50% 3·1절 a_b ＡＢＣ…", ""]:
        assert body.norm_key(text) == body._NON_WORD.sub("", unicodedata.normalize("NFKC", text)).lower()
