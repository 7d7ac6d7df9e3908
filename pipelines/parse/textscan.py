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

    __slots__ = ("plain", "folded", "ascii_folded", "folded_start")

    def __init__(self, plain: tuple[str, ...], folded: tuple[str, ...] = ()) -> None:
        self.plain = re.compile("|".join(map(re.escape, plain))) if plain else None
        self.folded = re.compile("|".join(map(re.escape, tuple(f.lower() for f in folded) + _ODD_FOLDS))) \
            if folded else None
        self.ascii_folded = all(f.isascii() for f in folded)  # the ASCII-residue route needs ASCII literals
        # A folded literal in text.lower() starts with a character that came from its first letter in either
        # case (or from U+0130 / U+212A); the odd folds come from themselves or U+0130. Without any of those
        # characters the text cannot pass, and is never lower-cased.
        self.folded_start = re.compile("[" + re.escape("".join(sorted(
            {c for f in folded for c in (f[0].lower(), f[0].upper())} | set(_ODD_ASCII_SOURCES)))) + "]") \
            if folded and self.ascii_folded else None

    def __call__(self, text: str) -> bool:
        if self.plain is not None and self.plain.search(text) is not None:
            return True
        if self.folded is None:
            return False
        if self.folded_start is not None and self.folded_start.search(text) is None:
            return False
        if len(text) > _LONG and self.ascii_folded and not text.isascii():
            return _folded_ascii(text, self.folded)
        return self.folded.search(text.lower()) is not None


    def with_lower(self, text: str, lowered: list[str]) -> bool:
        """``self(text)`` sharing ``text.lower()`` between guards: ``lowered`` is ``[]`` or ``[text.lower()]``."""
        if self.plain is not None and self.plain.search(text) is not None:
            return True
        if self.folded is None:
            return False
        if self.folded_start is not None and self.folded_start.search(text) is None:
            return False
        if not lowered:
            lowered.append(text.lower())
        return self.folded.search(lowered[0]) is not None


# Above this length ``str.lower()`` of a non-ASCII (Korean) text costs more than the ASCII route below.
_LONG = 200
# The only non-ASCII characters whose lower case holds an ASCII letter: U+0130 (-> "i" + U+0307) and
# the Kelvin sign U+212A (-> "k").
_ODD_ASCII_SOURCES = ("\u0130", "\u212a") + _ODD_FOLDS


def _folded_ascii(text: str, folded: "re.Pattern[str]") -> bool:
    """``folded.search(text.lower())`` as a necessary condition, without lower-casing the whole text.

    A folded literal in ``text.lower()`` is a run of ASCII letters that came from ASCII letters of
    ``text`` (or from U+0130 / U+212A, which pass outright, as do the odd folds). Dropping every
    non-ASCII character keeps such a run contiguous, so searching the ASCII residue can only say
    yes more often, never less (a superset of the original guard, which is all a guard needs).
    """
    for c in _ODD_ASCII_SOURCES:
        if c in text:
            return True
    return folded.search(text.encode("ascii", "ignore").decode("ascii").lower()) is not None

