"""Headline choice and cleaning.

Candidates, in order: ``og:title``, JSON-LD ``headline``, ``twitter:title``, ``<meta name=title>``,
the page's own heading (first ``<h1>`` outside lists/sidebars, else an element whose class says
title/subject/headline, else a board's ``제목`` cell), and last the ``<title>``. The first candidate
that is not just the site's name wins, after cleaning:

- entities unescaped, tags dropped, whitespace collapsed;
- the title is split on separators (`` - ``, `` | ``, ``|``, `` :: ``, `` : ``, `` · ``, `` > ``, `` » ``,
  `` – ``, `` — ``); when a visible page heading equals a run of segments, that run is the title;
- otherwise leading/trailing segments that name the site are dropped: the outlet names we know
  (og:site_name, JSON-LD publisher, application-name, copyright holder, host label; a segment that
  is part of one, like "동아경제" for "동아경제신문", counts) and generic board/section words
  (``SITE_SECTION_WORDS``); a bracketed site name prefix (``[동아경제] ...``) likewise;
- from the ``<title>`` alone, a trailing short segment (<= 15 characters, no sentence in it) is
  taken to be the site's name even when we do not know it.
A candidate made only of the site's name and board/section words (``국토교통부 뉴스``, ``보도자료``) is no
headline, wherever it comes from (a board page's ``<title>``, ``<meta name=title>``, the section heading
above the post); the next candidate is tried. Among the page's own headings, the first that is more than
that (and is not a box of post details: 작성자 / 작성일 / 조회수 / 첨부파일) is the heading. When a meta title
is cut short (the visible heading starts with all of it and goes on), the visible heading is the title.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Callable

from pipelines.parse.metadata import clean_text

SITE_SECTION_WORDS = frozenset({
    "보도자료", "보도자료상세", "새소식", "공지사항", "시정소식", "시정뉴스", "구정소식", "군정소식", "도정소식", "언론보도",
    "보도해명자료", "보도해명", "뉴스", "기사", "기사보기", "뉴스보기", "뉴스룸", "열린시정", "알림마당", "알림소식",
    "소식", "홍보", "홍보마당", "게시판", "상세보기", "상세", "목록", "본문", "홈", "home", "news", "전체기사",
    "포토뉴스", "정책뉴스", "정책브리핑", "행정", "시정", "도정", "구정", "군정", "읍면동소식", "분야별소식",
})
_SEP = re.compile(r"\s+(?:-{1,2}|\||::|:|·|>|»|–|—|<)\s+|\s*\|\s*")
_BRACKET_PREFIX = re.compile(r"^\s*[\[【<]([^\]】>]{1,30})[\]】>]\s*")


_NON_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=4096)
def norm_name(s: str) -> str:  # pure; site names and title segments repeat within a page and across a site
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", s).replace(" ", "")).lower()


def _site_ish(segment: str, names: list[str]) -> bool:
    n = norm_name(segment)
    if not n:
        return True
    if n in SITE_SECTION_WORDS:
        return True
    for name in names:
        if not name:
            continue
        if n == name or (len(n) >= 2 and n in name) or (name in n and len(n) <= len(name) + 8):
            return True
    return False


def _segments(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SEP.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def clean_title(raw: str | None, names: list[str], headings: "list[str] | Callable[[], list[str]]",
                from_html_title: bool = False) -> str:
    """The headline in ``raw`` without the outlet suffix or site-wide prefixes."""
    text = clean_text(raw)
    if not text:
        return ""
    known = [norm_name(n) for n in names if n and norm_name(n)]
    m = _BRACKET_PREFIX.match(text)
    if m and _site_ish(m.group(1), known) and text[m.end():].strip():
        text = text[m.end():].strip()
    spans = _segments(text)
    if len(spans) == 1:
        return text
    heads = {norm_name(h): h for h in (headings() if callable(headings) else headings) if h}
    for i in range(len(spans)):
        for j in range(len(spans), i, -1):
            piece = text[spans[i][0]:spans[j - 1][1]].strip()
            if norm_name(piece) in heads and len(norm_name(piece)) >= 4:
                return piece
    lo, hi = 0, len(spans)
    while hi - lo > 1 and _site_ish(text[spans[hi - 1][0]:spans[hi - 1][1]], known):
        hi -= 1
    while hi - lo > 1 and _site_ish(text[spans[lo][0]:spans[lo][1]], known):
        lo += 1
    if from_html_title and hi - lo > 1:
        last = text[spans[hi - 1][0]:spans[hi - 1][1]].strip()
        if len(last) <= 15 and not re.search(r"[.?!]$|다$", last):
            hi -= 1
    return text[spans[lo][0]:spans[hi - 1][1]].strip()


def is_site_name(title: str, names: list[str]) -> bool:
    known = [norm_name(n) for n in names if n and norm_name(n)]
    n = norm_name(title)
    return not n or n in known or n in SITE_SECTION_WORDS or _is_site_label(title, known)


_SITE_SUFFIXES = frozenset({"청", "홈페이지", "누리집", "공식홈페이지", "포털"})  # 한울도 -> 한울도청, 한울도 누리집
_WORDS = re.compile(r"[\s>|/»·:\-–—]+")


def _site_word(word: str, known: list[str]) -> bool:
    """A word of a site label: a section word, a known site name (or part of one), or a name + section word."""
    if not word or word in SITE_SECTION_WORDS:
        return True
    for name in known:
        if len(word) >= 2 and word in name:
            return True
        if word.startswith(name) and (word[len(name):] in SITE_SECTION_WORDS or word[len(name):] in _SITE_SUFFIXES):
            return True
    return False


def _is_site_label(title: str, known: list[str]) -> bool:
    """Only the site's name and board/section words (``국토교통부 뉴스``, ``보도자료 > 시정소식``): no headline."""
    words = [norm_name(w) for w in _WORDS.split(title)]
    words = [w for w in words if w]
    return bool(words) and len(words) <= 4 and all(_site_word(w, known) for w in words)


_TRAILING_ELLIPSIS = re.compile(r"(?:\.{2,}|…)\s*$")


def extends_title(heading: str, title: str) -> bool:
    """The page's heading is the same headline continued (a meta title cut short by the CMS): it starts
    with the whole title and goes on for at least a few characters."""
    t = norm_name(_TRAILING_ELLIPSIS.sub("", title))
    h = norm_name(heading)
    return len(t) >= 8 and len(h) >= len(t) + 3 and h.startswith(t) and len(h) <= len(t) * 3 + 20
