"""The one Kiwi (Korean morphological analyser) instance, loaded lazily and only when a sentence needs it.

kiwipiepy's model ships in the `kiwipiepy_model` package (offline). Loading costs ~1 s and analysis
~13 µs per character (the cost is per character: a call's own overhead is well under 0.1 ms), so callers run it
only on sentences with money, date or partner cues, and each text is analysed once per process.

The tokens of the last TOKEN_CACHE_TEXTS texts are kept, compactly (`_Packed`: one int array per text, the forms
that are slices of the text not stored), so that a sentence repeated across articles — boilerplate, a press
release carried by several outlets, the same notice on every page of a site — is analysed once per worker
process, not once per 4,096 sentences as before (token tuples: ~4.9 KB a sentence of ~50 characters; packed ~0.7 KB).
"""
from __future__ import annotations

import sys
import threading
from array import array
from collections import OrderedDict
from functools import lru_cache

_lock = threading.Lock()
_kiwi = None

# Texts whose tokens are kept per process. On the scale corpus (bench/scale_corpus.py) one extract worker at 100k
# pages asks Kiwi for ~86,000 distinct texts among ~518,000; keeping 4,096 gives Kiwi 37 % of the characters
# asked, 65,536 gives it 17 % (an unbounded cache 16 %). Packed, 65,536 texts are ~55 MB per worker with their keys.
TOKEN_CACHE_TEXTS = 65536


def get_kiwi():
    global _kiwi
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                _kiwi = Kiwi()
    return _kiwi


# Kiwi's tags ('NNG', 'VV-R', …): a fixed set, numbered in the order first seen
_TAG_IDS: dict[str, int] = {}
_TAGS: list[str] = []


class _Packed:
    """Kiwi's tokens of one text: per token (tag id, start, length, form), the form 0 when it is the text's own
    characters at [start, start + length) (nouns, names, numbers: most tokens), else 1 + its index in `forms`
    (a normalised ending: 했 → 하/VV + 었/EP)."""

    __slots__ = ("ints", "forms")

    def __init__(self, text: str, tokens: tuple) -> None:
        ints = array("i")
        forms: list[str] = []
        tag_ids = _TAG_IDS
        for form, tag, start, length in tokens:
            tag_id = tag_ids.get(tag)
            if tag_id is None:
                tag_id = tag_ids[tag] = len(_TAGS)
                _TAGS.append(sys.intern(tag))
            if text[start:start + length] == form:
                ref = 0
            else:
                forms.append(sys.intern(form))
                ref = len(forms)
            ints.extend((tag_id, start, length, ref))
        self.ints = ints
        self.forms = tuple(forms)

    def tokens(self, text: str) -> tuple:
        ints, forms, tags = self.ints, self.forms, _TAGS
        return tuple((forms[ints[i + 3] - 1] if ints[i + 3] else text[ints[i + 1]:ints[i + 1] + ints[i + 2]],
                      tags[ints[i]], ints[i + 1], ints[i + 2]) for i in range(0, len(ints), 4))


_packed: OrderedDict[str, _Packed] = OrderedDict()  # the last TOKEN_CACHE_TEXTS texts, least recently used first


@lru_cache(maxsize=4096)
def tokenize(text: str) -> tuple:
    """Kiwi tokens for one sentence as (form, tag, start, length) tuples. Kiwi runs once per text as long as the
    text is among the last TOKEN_CACHE_TEXTS asked for (the 4,096 most recent are kept as tuples, ready)."""
    with _lock:
        packed = _packed.get(text)
        if packed is not None:
            _packed.move_to_end(text)
    if packed is not None:
        return packed.tokens(text)
    tokens = tuple((t.form, t.tag, t.start, t.len) for t in get_kiwi().tokenize(text))
    packed = _Packed(text, tokens)
    with _lock:
        _packed[text] = packed
        if len(_packed) > TOKEN_CACHE_TEXTS:
            _packed.popitem(last=False)
    return tokens


def clear_cache() -> None:
    """Forget every text's tokens (benchmarks: each article pays for its own analysis)."""
    tokenize.cache_clear()
    with _lock:
        _packed.clear()
