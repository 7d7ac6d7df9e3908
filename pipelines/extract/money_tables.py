"""Budget tables of press releases, read from the body's cell stream.

The parser writes a table one cell per paragraph (`구분`, `국비`, `지방비`, `계`, `스마트 교통`, `50`, `30`, `80`, …),
so a table reaches the extractor as a run of short paragraphs without a sentence end. A cell's amount says
nothing about its source by itself; its column does. Rules (precision first: a row that cannot be read
with certainty is left out, and its cells stay ordinary sentences, which the money grammar leaves out for
want of a money context):

* a *run* is >= 6 consecutive one-sentence paragraphs of <= 30 characters that do not end a sentence;
* its *header* is the cells before the first numeric cell; the money columns are the header cells from the
  first funding word on (`국비`, `도비`, `시·군비`, `민자`, `지방비` …, or a total `계`/`합계`/`총사업비`), and every
  one of them must be such a word (`국비(억원)` counts as `국비`);
* a *row* is one or more label cells followed by exactly as many numeric cells as there are money columns;
  a row with another count (a cell merged or dropped) is skipped;
* a numeric cell is an amount (`50억 원`) or a bare number read with the table's unit (`(단위: 백만원)` in the run
  or in the two sentences before it, or in the header cell: `국비(억원)`); a bare number without a unit is skipped;
* when the row has a total column and >= 2 source columns, the sources must add up to the total (within
  0.5 %), else the row is skipped;
* transposed tables (the row label is the funding word: `국비 | 50 | 30 | 80`) give the row's total column, or its
  only numeric cell.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .analysis import analysis_of
from .types import Sentence

_MAX_CELL = 30
_MIN_RUN = 6
_UNIT_RE = re.compile(r"단위\s*[:：]?\s*(천\s*원|만\s*원|백만\s*원|천만\s*원|억\s*원|조\s*원|원)")
_HEAD_UNIT_RE = re.compile(r"\s*[(（]\s*(천\s*원|만\s*원|백만\s*원|천만\s*원|억\s*원|조\s*원|원)\s*[)）]\s*$")
_UNITS = {"원": 1, "천원": 10**3, "만원": 10**4, "백만원": 10**6, "천만원": 10**7, "억원": 10**8, "조원": 10**12}
_BARE_NUM_RE = re.compile(r"^(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)$")
# total headings and the seed term they are reported as
_TOTAL_HEADS = {"계": "합계", "합계": "합계", "소계": "합계", "총계": "합계", "총액": "총액", "총사업비": "총사업비",
                "사업비": "사업비", "총": "총"}
_SENTENCE_END_RE = re.compile(r"[.?!。]$|다$")


@dataclass(frozen=True)
class TableAmount:
    sentence_no: int
    value: int
    cue: str
    surface: str
    label: str
    is_total: bool
    row: int  # rows of one article are numbered from 0


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _unit(text: str) -> int | None:
    m = _UNIT_RE.search(text)
    return _UNITS[_squash(m.group(1))] if m else None


def _head(cell: str, source_terms: dict[str, str]) -> tuple[str, int | None] | None:
    """(seed term, unit from the heading) when the cell is a funding or total heading, else None."""
    unit = None
    m = _HEAD_UNIT_RE.search(cell)
    if m:
        unit = _UNITS[_squash(m.group(1))]
        cell = cell[: m.start()]
    key = _squash(cell)
    if key in _TOTAL_HEADS:
        return _TOTAL_HEADS[key], unit
    if key in source_terms:
        return source_terms[key], unit
    return None


def _value(cell: str, unit: int | None) -> int | None:
    text = cell.strip()
    m = _BARE_NUM_RE.match(text)
    if m:
        if unit is None:
            return None
        try:
            return int(Decimal(m.group(1).replace(",", "")) * unit)
        except InvalidOperation:
            return None
    found = analysis_of(text).amounts
    if len(found) == 1 and _squash(text[: found[0][0]]) in ("", "약") and not _squash(text[found[0][1]:]):
        return found[0][2]
    return None


_YEAR_RE = re.compile(r"^(?:19|20)\d{2}\s*년?$|^[’']\d{2}\s*년?$")


def _is_numeric(cell: str) -> bool:
    text = cell.strip()
    if _YEAR_RE.match(text):
        return False  # a year heading, not a value
    return bool(_BARE_NUM_RE.match(text)) or _value(text, None) is not None


def _runs(sentences: list[Sentence]) -> list[list[int]]:
    per_para: dict[int, int] = {}
    for s in sentences:
        per_para[s.paragraph_no] = per_para.get(s.paragraph_no, 0) + 1
    runs: list[list[int]] = []
    current: list[int] = []
    for i, s in enumerate(sentences):
        text = s.text.strip()
        if per_para[s.paragraph_no] == 1 and len(text) <= _MAX_CELL and not _SENTENCE_END_RE.search(text):
            current.append(i)
            continue
        if len(current) >= _MIN_RUN:
            runs.append(current)
        current = []
    if len(current) >= _MIN_RUN:
        runs.append(current)
    return runs


def table_amounts(sentences: list[Sentence], source_terms: dict[str, str]) -> list[TableAmount]:
    """Amounts read from budget tables, with the source their column (or row) names.

    `source_terms` maps a squashed seed term to its seed spelling (`시·군비` → `시·군비`, `시군비` → `시군비`)."""
    out: list[TableAmount] = []
    row_no = 0
    for run in _runs(sentences):
        cells = [sentences[i].text.strip() for i in run]
        context = " ".join(sentences[j].text for j in range(max(0, run[0] - 2), run[0])) + " " + " ".join(cells)
        unit = _unit(context)
        first_num = next((k for k, c in enumerate(cells) if _is_numeric(c) and not _UNIT_RE.search(c)), None)
        if first_num is None:
            continue
        later_labels = [c for c in cells[first_num:] if not _is_numeric(c)]
        transposed = any((_head(c, source_terms) or ("", None))[0] not in ("", *_TOTAL_HEADS.values())
                         for c in later_labels)
        end = first_num - 1 if transposed else first_num  # transposed: the first row's label is a funding word
        heads = [_head(c, source_terms) for c in cells[:end]]
        money_at = [k for k, h in enumerate(heads) if h is not None]
        columns: list[tuple[str, int | None]] = []
        if money_at:
            if money_at != list(range(money_at[0], money_at[-1] + 1)):
                continue  # a non-money heading among the money columns: positions cannot be trusted
            columns = [h for h in heads[money_at[0]:] if h is not None]
            header = [c for c in cells[: money_at[-1] + 1] if not _UNIT_RE.search(c)]
            pos = money_at[-1] + 1  # the first row's labels follow the last heading
        else:
            header = [c for c in cells[:end] if not _UNIT_RE.search(c)]
            pos = end
        while pos < len(cells):
            labels: list[str] = []
            while pos < len(cells) and not _is_numeric(cells[pos]):
                labels.append(cells[pos])
                pos += 1
            nums: list[int] = []
            while pos < len(cells) and _is_numeric(cells[pos]):
                nums.append(run[pos])
                pos += 1
            if not nums:
                break
            label = " ".join(labels)
            out.extend(_read_row(sentences, nums, labels, label, header, columns, unit, row_no))
            row_no += 1
    return out


def _read_row(sentences: list[Sentence], nums: list[int], labels: list[str], label: str, header: list[str],
              columns: list[tuple[str, int | None]], unit: int | None, row_no: int) -> list[TableAmount]:
    from .money import funding_terms  # the seed, shared with the sentence grammar

    kinds = {t.term: t.funding_source for t in funding_terms()}
    if columns and len(nums) == len(columns):
        values = [_value(sentences[i].text, columns[j][1] or unit) for j, i in enumerate(nums)]
        if any(v is None for v in values):
            return []
        totals = [j for j, (term, _) in enumerate(columns) if kinds.get(term) == "total"]
        sources = [j for j in range(len(columns)) if j not in totals]
        if len(totals) == 1 and len(sources) >= 2:
            total = values[totals[0]]
            parts = sum(values[j] for j in sources)
            if total is None or abs(parts - total) > total * 0.005:
                return []
        return [TableAmount(nums[j], values[j], columns[j][0], f"{columns[j][0]} {sentences[nums[j]].text.strip()}",
                            label, j in totals, row_no) for j in range(len(columns))]
    # transposed: the row label is the funding word
    source_terms = {re.sub(r"\s+", "", t.term): t.term for t in funding_terms()}
    head = _head(labels[-1], source_terms) if labels else None
    if head is None:
        return []
    if len(nums) == 1:
        pick = 0
    elif len(columns) == 1 and header and len(nums) == len(header) - len(labels) and \
            kinds.get(columns[-1][0]) == "total":
        pick = len(nums) - 1  # '구분 | 2024년 | 2025년 | 계': the row's total column
    else:
        return []
    value = _value(sentences[nums[pick]].text, head[1] or unit)
    if value is None:
        return []
    return [TableAmount(nums[pick], value, head[0], f"{head[0]} {sentences[nums[pick]].text.strip()}", label,
                        kinds.get(head[0]) == "total", row_no)]
