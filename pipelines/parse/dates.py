"""Read publish times from machine fields (ISO strings) and from visible Korean bylines.

Machine values (JSON-LD ``datePublished``, ``article:published_time``, ``<time datetime>``) are parsed
as ISO 8601 (``Z`` and ``+09:00`` zones; none -> Asia/Seoul); an empty string means nothing.

Visible bylines are read with a small grammar: LABEL [:] DATE [TIME], where
- LABEL is a first-publication word (입력, 기사입력, 최초입력, 승인, 기사승인, 등록, 기사등록, 작성,
  게재, 발행, 게시, 보도, 송고, 전송, 배포, Posted, Published; in brackets too: ``[입력]``) or a
  modification word (수정, 최종수정, 업데이트, Updated, Modified) - the latter only ever a fallback; a press release's 배포 (handed to
  reporters) time gives way to any other publication label on the page (its 보도 time, its 등록일);
- DATE is ``2025-06-20``, ``2025.06.20``, ``2025/06/20``, ``2025. 6. 20.``, ``2024년 4월 20일``, or the
  two-digit-year ``25.06.20`` (accepted only after a label), optionally with a weekday ``(금)``;
- TIME is ``15:09``, ``15:09:27``, ``[15:09]``, ``오후 3:09``, ``15시 09분``, ISO's ``T15:09:27``.
A date without a label (``2024년 4월 20일``) is only a candidate; the caller decides whether it sits
close enough to the headline to count. All results are timezone-aware, Asia/Seoul when unzoned.
A label alone in its own cell (``<th>등록일</th><td>2019-12-30 09:30</td>``, ``<dt>작성일</dt><dd>...``) is
recognised by ``is_date_label``; the caller reads it together with the value cell that follows.
"""
from __future__ import annotations

import re
import time
from typing import NamedTuple
from datetime import datetime, timedelta

from pipelines.basics import SEOUL
from pipelines.parse.textscan import Literals

_PUBLISHED_LABELS = (
    r"기사\s*입력|최초\s*입력|입력\s*일시|입력\s*일|입력|기사\s*승인|승인\s*일시|승인|기사\s*등록|등록\s*일시|등록\s*일자|등록\s*일|등록|"
    r"작성\s*일시|작성\s*일자|작성\s*일|작성|게재\s*일시|게재\s*일|게재|발행\s*일시|발행\s*일|발행|게시\s*일시|게시\s*일|게시|"
    r"보도\s*일시|보도\s*일자|보도\s*일|송고\s*시간|송고|기사\s*전송|전송\s*시간|전송|배포\s*일시|배포\s*일|배포|"
    r"Posted\s*on|Posted|Published\s*on|Published"
)
_MODIFIED_LABELS = r"기사\s*수정|최종\s*수정\s*일?시?|수정\s*일시|수정\s*일|수정|업데이트|Updated|Modified|Last\s*modified"

_DATE = (
    r"(?P<y>(?:19|20)\d{2}|\d{2})\s*(?:[.\-/]|년)\s*(?P<m>\d{1,2})\s*(?:[.\-/]|월)\s*(?P<d>\d{1,2})\s*(?:일|\.)?"
    r"(?:\s*\(?\s*[월화수목금토일](?:요일)?\s*\)?)?"
)
_TIME = (
    r"(?:(?:\s*|T)[\[(]?\s*(?:(?P<ampm>오전|오후|AM|PM|am|pm)\s*)?(?P<H>\d{1,2})\s*(?::|시)\s*(?P<M>\d{1,2})"
    r"(?:\s*(?::|분)\s*(?P<S>\d{1,2}))?\s*(?:분|초)?\s*(?:(?P<ampm2>AM|PM|am|pm))?\s*[\])]?)?"
)
# Each pattern opens with a one-character lookahead naming the characters a match can start with (the
# first letters of the labels; the 1 or 2 of a 19xx/20xx year): a cheap test that spares trying the
# whole pattern at every position of the text. It changes no match (re.I folds no other character
# onto those letters).
LABELED_DATE = re.compile(
    rf"(?=[기최입승등작게발보송전배수업PpUuMmLl])(?P<label>{_MODIFIED_LABELS}|{_PUBLISHED_LABELS})\s*[\])】>]?\s*(?:시간|일시)?\s*[:：|]?\s*{_DATE}{_TIME}", re.I
)
UNLABELED_DATE = re.compile(
    rf"(?=[12])(?<!\d)(?P<y>(?:19|20)\d{{2}})\s*(?:[.\-/]|년)\s*(?P<m>\d{{1,2}})\s*(?:[.\-/]|월)\s*(?P<d>\d{{1,2}})\s*(?:일|\.)?"
    rf"(?:\s*\(?\s*[월화수목금토일](?:요일)?\s*\)?)?{_TIME}(?!\d)"
)
_MODIFIED = re.compile(rf"^(?:{_MODIFIED_LABELS})", re.I)
_BARE_LABEL = re.compile(rf"^\s*(?:{_MODIFIED_LABELS}|{_PUBLISHED_LABELS})\s*(?:시간|일시)?\s*[:：|]?\s*$", re.I)
# Necessary conditions (see textscan): every DATE is digits, a separator, one or two digits, a separator and
# a digit (the shape of y-m-d in both date patterns); every LABEL is one of these words.
DATE_SHAPE = re.compile(r"\d\s*(?:[.\-/]|년)\s*\d{1,2}\s*(?:[.\-/]|월)\s*\d")
_DATE_HINT = DATE_SHAPE
_LABEL_LITS = Literals(("입력", "승인", "등록", "작성", "게재", "발행", "게시", "보도", "송고", "전송", "배포", "수정", "업데이트"),
                       ("posted", "published", "updated", "modified"))
_FOOTER_CONTEXT = re.compile(r"등록번호|발행인|편집인|사업자|청소년보호|등록\s*일자\s*:\s*\d{4}[.\-]\d{1,2}[.\-]\d{1,2}\s*\|")


class BylineDate(NamedTuple):  # immutable like the frozen dataclass it was, and ~3x cheaper to create
    when: datetime
    labeled: bool
    modified: bool
    distributed: bool = False  # labelled 배포 (a press release handed to reporters before its 보도 time)


def _year(y: str) -> int:
    n = int(y)
    return n + 2000 if n < 100 else n


def _build(match: re.Match[str]) -> datetime | None:
    g = match.groupdict()
    try:
        hour = int(g["H"]) if g.get("H") else 0
        minute = int(g["M"]) if g.get("M") else 0
        second = int(g["S"]) if g.get("S") else 0
        ampm = (g.get("ampm") or g.get("ampm2") or "").lower()
        if ampm in ("오후", "pm") and hour < 12:
            hour += 12
        if ampm in ("오전", "am") and hour == 12:
            hour = 0
        when = datetime(_year(g["y"]), int(g["m"]), int(g["d"]), hour, minute, second, tzinfo=SEOUL)
    except (ValueError, TypeError):
        return None
    return when if plausible(when) else None


_EARLIEST = datetime(1990, 1, 1, tzinfo=SEOUL)
_LEEWAY = timedelta(days=2)


_LEEWAY_S = _LEEWAY.total_seconds()


def plausible(when: datetime) -> bool:
    """A publish time between 1990 and two days from now (never a far-future or epoch placeholder)."""
    # when <= now + 2 days, compared as POSIX seconds (datetime.now is time.time() in a costlier wrapper)
    return _EARLIEST <= when and when.timestamp() <= time.time() + _LEEWAY_S


_SPACE_ISO = re.compile(r"^\d{4}-\d{2}-\d{2} \d")
_COMPACT_ZONE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?[+-]\d{4}$")
_DIGITS_ONLY = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$")


def parse_machine_date(value: object) -> datetime | None:
    """An ISO-ish machine value -> aware datetime (Seoul when unzoned); None for empty or unreadable."""
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s:
        return None
    iso = s.replace(" ", "T", 1) if _SPACE_ISO.match(s) else s
    if _COMPACT_ZONE.match(iso):
        iso = iso[:-2] + ":" + iso[-2:]
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        m = UNLABELED_DATE.search(s)
        if not m:
            m8 = _DIGITS_ONLY.match(s)
            if not m8:
                return None
            try:
                when = datetime(*(int(x) for x in m8.groups() if x), tzinfo=SEOUL)  # type: ignore[misc]
            except ValueError:
                return None
        else:
            return _build(m)
    when = when.replace(tzinfo=SEOUL) if when.tzinfo is None else when.astimezone(SEOUL)
    return when if plausible(when) else None


def is_date_label(text: str) -> bool:
    """A publication or modification label standing alone (a table header cell: ``등록일``, ``작성일시 :``)."""
    return len(text) <= 16 and _BARE_LABEL.match(text) is not None


def byline_dates(text: str) -> list[BylineDate]:
    """Every labelled date in a short text, in order; unlabeled full dates after them."""
    if _DATE_HINT.search(text) is None:
        return []
    return shaped_byline_dates(text)


def shaped_byline_dates(text: str) -> list[BylineDate]:
    """``byline_dates`` for a text the caller has already found to match ``DATE_SHAPE``."""
    if _FOOTER_CONTEXT.search(text):
        return []
    found: list[BylineDate] = []
    spans: list[tuple[int, int]] = []
    for m in (LABELED_DATE.finditer(text) if _LABEL_LITS(text) else ()):
        when = _build(m)
        if when is not None:
            label = m.group("label")
            found.append(BylineDate(when, True, bool(_MODIFIED.match(label)), label.startswith("배포")))
            spans.append(m.span())
    for m in UNLABELED_DATE.finditer(text):
        if any(a <= m.start() < b for a, b in spans):
            continue
        when = _build(m)
        if when is not None:
            found.append(BylineDate(when, False, False))
    return found
