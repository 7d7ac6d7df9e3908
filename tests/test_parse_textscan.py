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
