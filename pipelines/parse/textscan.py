"""Cheap literal pre-checks that let the parser skip regexes which cannot match.

Every guard is a *necessary* condition of its regex: when it says no, the regex would not have
matched either, so results are identical and only time is saved. A guard is one compiled
alternation of plain literals (no ``re.I``: sre scans such a pattern with a fast first-character
test, ~10x quicker than the case-insensitive original) plus one over ``text.lower()`` for the
case-insensitive literals. Because ``re.I`` also folds a few non-ASCII letters onto ASCII ones
(``ı`` and ``İ`` onto i, ``ſ`` onto s; the Kelvin sign lower-cases to k by itself), a text holding
``ı``, ``ſ`` or the combining dot that ``"İ".lower()`` leaves always passes the guard.
"""
from __future__ import annotations

import re

_ODD_FOLDS = ("\u0131", "\u017f", "\u0307")


class Literals:
    """``Literals(plain, folded)(text)``: does ``text`` hold one of ``plain``, or of ``folded`` ignoring case?"""

    __slots__ = ("plain", "folded")

    def __init__(self, plain: tuple[str, ...], folded: tuple[str, ...] = ()) -> None:
        self.plain = re.compile("|".join(map(re.escape, plain))) if plain else None
        self.folded = re.compile("|".join(map(re.escape, tuple(f.lower() for f in folded) + _ODD_FOLDS))) \
            if folded else None

    def __call__(self, text: str) -> bool:
        if self.plain is not None and self.plain.search(text) is not None:
            return True
        return self.folded is not None and self.folded.search(text.lower()) is not None


def may_contain(text: str, plain: tuple[str, ...], folded: tuple[str, ...] = ()) -> bool:
    """Uncompiled form of ``Literals`` (for one-off checks)."""
    return Literals(plain, folded)(text)
