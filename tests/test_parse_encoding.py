"""Decoding: declared charset, BOM, EUC-KR as cp949, lying declarations, NFC, fast path."""
from __future__ import annotations

import unicodedata

import pytest

from pipelines.parse import ParseError, decode_html, parse_page
from pipelines.parse import encoding as enc_mod
from tests.support.pages import news_page

# '똠' and '햏' exist in cp949 but not in strict EUC-KR (KS X 1001): decoding must use cp949.
TEXT = "스마트시티 똠방각하 햏 사업 공모에 선정됐다."


def _page(charset: str) -> str:
    return news_page(paragraphs=[TEXT, "시는 올해 하반기부터 시범 서비스를 운영한다고 밝혔다."], charset=charset)


def test_meta_euc_kr_is_decoded_as_cp949() -> None:
    text, used = decode_html(_page("euc-kr").encode("cp949"))
    assert used == "cp949" and TEXT in text


def test_http_header_charset_wins_over_missing_meta() -> None:
    html = _page("x").replace('<meta charset="x">', "").encode("cp949")
    text, used = decode_html(html, "text/html; charset=EUC-KR")
    assert used == "cp949" and TEXT in text


def test_ks_c_5601_label_is_korean_legacy() -> None:
    html = _page("ks_c_5601-1987").encode("cp949")
    assert decode_html(html)[1] == "cp949"


def test_declared_utf8_but_bytes_are_cp949_is_detected() -> None:
    html = _page("utf-8").encode("cp949")
    text, used = decode_html(html, "text/html; charset=utf-8")
    assert used == "cp949" and TEXT in text


def test_declared_euc_kr_but_bytes_are_utf8_is_detected() -> None:
    html = _page("euc-kr").encode("utf-8")
    text, used = decode_html(html, "text/html; charset=euc-kr")
    assert used == "utf-8" and TEXT in text


def test_no_declaration_cp949_bytes() -> None:
    html = _page("x").replace('<meta charset="x">', "").encode("cp949")
    text, used = decode_html(html)
    assert used == "cp949" and TEXT in text


def test_utf8_bom_is_honoured_over_a_wrong_meta() -> None:
    html = b"\xef\xbb\xbf" + _page("euc-kr").encode("utf-8")
    text, used = decode_html(html)
    assert used == "utf-8" and TEXT in text and not text.startswith("\ufeff")


def test_text_is_nfc_normalised() -> None:
    decomposed = unicodedata.normalize("NFD", TEXT)
    assert decomposed != TEXT
    text, _ = decode_html(_page("utf-8").replace(TEXT, decomposed).encode("utf-8"))
    assert TEXT in text


def test_clean_declared_page_never_runs_detection(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(content: bytes) -> tuple[str, str]:
        raise AssertionError("charset-normalizer must not run on a page that decodes as declared")

    monkeypatch.setattr(enc_mod, "_detect", boom)
    assert decode_html(_page("utf-8").encode("utf-8"))[1] == "utf-8"
    assert decode_html(_page("euc-kr").encode("cp949"))[1] == "cp949"


def test_empty_content_is_a_decode_error() -> None:
    with pytest.raises(ParseError) as err:
        parse_page(b"", "https://news.example/a")
    assert err.value.kind == "decode_error"


def test_binary_garbage_is_a_decode_error() -> None:
    with pytest.raises(ParseError) as err:
        decode_html(bytes(range(256)) * 40 + b"\x00" * 5000)
    assert err.value.kind == "decode_error"


def test_parse_page_reports_the_encoding_used() -> None:
    page = parse_page(_page("euc-kr").encode("cp949"), "https://news.example/a")
    assert page.encoding == "cp949" and TEXT in page.body
