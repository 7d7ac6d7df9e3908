"""Korean written amounts → whole won.

Grammar (what `AMOUNT_RE` finds and `parse_korean_amount` evaluates):

* a *part* is an Arabic number (`160`, `5,000`, `1.5`) optionally followed by a small unit
  천/백/십 (千/百/十): `3천` = 3,000, `2천5백` = 2,500;
* a *group* is one or more parts followed by a large unit 경/조/억/만 (京/兆/億/萬): `2천만` = 20,000,000;
* an amount is one or more groups in decreasing unit order (`2조 5,000억`, `1조2천억`, `12억 4천만`),
  optionally a last unit-less part when `원` follows (`3억 5,000원`), optionally `원`/`원화` after
  and `₩`/`KRW` before. A bare number counts only with `원` or `₩` (`5,000원`, `₩1,000,000`).
* spacing is free between a number and its unit and between groups (`160 억`, `160억원`, `160억 원`);
  `여` ("some") is read past (`160여억 원`, `3억여 원` = the stated figure).

`제1조` (a law article) is not an amount. Vague amounts without digits (`수백억`) are not amounts.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SMALL = "천백십千百十"
_BIG = "경조억만京兆億萬"
_PART = rf"(?:{_NUM})\s?[{_SMALL}]?"
_GROUP = rf"(?:{_PART})+\s?여?\s?[{_BIG}]"
_WON = r"\s?(?:여\s?)?(?:원화|원)"

AMOUNT_RE = re.compile(
    rf"(?<![\d.,제])(?:(?:₩|KRW)\s?)?"
    rf"(?:(?:{_GROUP})(?:\s?(?:{_GROUP}))*(?:\s?(?:{_PART})(?={_WON}))?(?:{_WON})?"
    rf"|(?:(?:₩|KRW)\s?)(?:{_NUM})(?![:：]\d)(?:{_WON})?"
    rf"|(?:{_PART})(?:{_WON}))"
)

_UNIT_VALUE = {
    "천": 1000, "千": 1000, "백": 100, "百": 100, "십": 10, "十": 10,
    "만": 10**4, "萬": 10**4, "억": 10**8, "億": 10**8, "조": 10**12, "兆": 10**12,
    "경": 10**16, "京": 10**16,
}
_TOKEN_RE = re.compile(rf"({_NUM})|([{_SMALL}])|([{_BIG}])")


def has_won(surface: str) -> bool:
    """True when the amount is written with a currency word or sign (원, 원화, ₩, KRW)."""
    return bool(re.search(r"원|₩|KRW", surface))


def _to_decimal(digits: str) -> Decimal | None:
    try:
        return Decimal(digits.replace(",", ""))
    except InvalidOperation:
        return None


def parse_korean_amount(text: str) -> int | None:
    """The whole-won value of the first amount in `text`, or None when there is none.

    >>> parse_korean_amount("2조 5,000억 원")
    2500000000000
    """
    found = find_amounts(text)
    return found[0][2] if found else None


def find_amounts(text: str) -> list[tuple[int, int, int]]:
    """Every amount in `text` as (start, end, whole won), left to right, non-overlapping."""
    out: list[tuple[int, int, int]] = []
    pos = 0
    text = text or ""
    while True:
        m = AMOUNT_RE.search(text, pos)
        if not m:
            return out
        value, used = _evaluate(m.group(0))
        end = m.start() + used
        surface_end = m.end() if used >= len(m.group(0)) else len(text[: end].rstrip())
        if value is not None:
            out.append((m.start(), surface_end, value))
        pos = max(surface_end, m.start() + 1)


def _evaluate(surface: str) -> tuple[int | None, int]:
    """(value, characters used); a larger unit after a smaller one ends the amount ('5만 3억')."""
    total = Decimal(0)
    group = Decimal(0)  # value of the parts since the last large unit
    number: Decimal | None = None
    last_big = None
    group_start = used = len(surface)
    for tok in _TOKEN_RE.finditer(surface):
        num, small, big = tok.groups()
        if num:
            if number is not None:  # two numbers in a row: the previous was a bare part
                group += number
            number = _to_decimal(num)
            if number is None:
                return None, len(surface)
        elif small:
            group += (number if number is not None else Decimal(1)) * _UNIT_VALUE[small]
            number = None
        else:
            unit = _UNIT_VALUE[big]
            if last_big is not None and unit >= last_big:
                used = group_start
                number = None
                group = Decimal(0)
                break
            if number is not None:
                group += number
                number = None
            total += group * unit
            group = Decimal(0)
            last_big = unit
            group_start = tok.end()
    if number is not None:
        group += number
    total += group
    value = int(total)
    return (value if value > 0 else None), used
