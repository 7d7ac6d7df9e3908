"""The one Kiwi (Korean morphological analyser) instance, loaded lazily and only when a sentence needs it.

kiwipiepy's model ships in the `kiwipiepy_model` package (offline). Loading costs ~1 s and analysis
~10 µs per character, so callers run it only on sentences with money, date or partner cues.
"""
from __future__ import annotations

import threading
from functools import lru_cache

_lock = threading.Lock()
_kiwi = None


def get_kiwi():
    global _kiwi
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                _kiwi = Kiwi()
    return _kiwi


@lru_cache(maxsize=4096)
def tokenize(text: str) -> tuple:
    """Kiwi tokens for one sentence as (form, tag, start, length) tuples (cached per text)."""
    return tuple((t.form, t.tag, t.start, t.len) for t in get_kiwi().tokenize(text))
