"""Decode page bytes to text: the declared charset when it tells the truth, detection when it lies.

Rules, in order:
1. A byte-order mark wins (UTF-8, UTF-16 LE/BE).
2. The declared charset: the HTTP ``Content-Type`` header's ``charset=``, else ``<meta charset>`` /
   ``<meta http-equiv="Content-Type" content="...; charset=...">`` in the first 4 KiB.
   Korean legacy labels (euc-kr, ks_c_5601-1987, ksc5601, x-windows-949, uhc, ...) are decoded as
   ``cp949``, the superset browsers actually use for them.
3. A declaration is checked, not trusted:
   - declared UTF-8 but the bytes are not valid UTF-8 -> ``cp949`` if it decodes cleanly into Hangul,
     else charset-normalizer's guess;
   - declared cp949 (or a Latin charset) but the bytes are valid UTF-8 holding multi-byte characters
     -> UTF-8 (valid cp949 Hangul practically never forms valid UTF-8);
   - nothing declared -> UTF-8 if valid, else cp949 if clean, else charset-normalizer.
   charset-normalizer runs only when every cheap strict decode has failed, so a clean page costs one
   ``bytes.decode``.
4. The text is NFC-normalised (decomposed Hangul jamo from some Mac-authored pages become syllables).
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from pipelines.parse.types import ParseError

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]+)", re.I)

_KOREAN_LEGACY = {
    "euc-kr", "euckr", "euc_kr", "ks_c_5601-1987", "ks_c_5601", "ksc5601", "ksc_5601", "ks-c-5601",
    "x-windows-949", "windows-949", "cp949", "ms949", "uhc", "x-euc-kr", "korean", "iso-2022-kr", "csksc56011987",
}
_LATIN = {"iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii", "windows-1252", "cp1252", "iso8859-1"}


def _norm_label(label: str | None) -> str | None:
    """Map a declared charset label to the codec we decode it with (None when unknown)."""
    if not label:
        return None
    low = label.strip().strip("\"'").lower()
    if low in _KOREAN_LEGACY:
        return "cp949"
    if low in ("utf8", "utf-8", "unicode-1-1-utf-8", "x-unicode20utf8"):
        return "utf-8"
    if low in _LATIN:
        return "latin"
    try:
        return codecs.lookup(low).name
    except LookupError:
        return None


def declared_charset(content: bytes, content_type: str | None) -> str | None:
    """The charset the server or the page claims (normalised label), header first."""
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        if m:
            label = _norm_label(m.group(1))
            if label:
                return label
    m = _META_CHARSET.search(content[:4096])
    if m:
        return _norm_label(m.group(1).decode("ascii", "ignore"))
    return None


def _strict(content: bytes, codec: str) -> str | None:
    try:
        return content.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


_NOT_HANGUL = re.compile("[^\uac00-\ud7a3]+")


def _hangul_share(text: str) -> float:
    """Share of Hangul syllables among the non-ASCII characters (1.0 when there are none).

    Counted at C speed (encode/sub) rather than with a per-character Python loop.
    """
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if not non_ascii:
        return 1.0
    return len(_NOT_HANGUL.sub("", text)) / non_ascii


def _has_multibyte(content: bytes) -> bool:
    return not content[:200000].isascii()  # C speed; a per-byte Python loop cost ~5 ms on a 200 KB page


def _detect(content: bytes) -> tuple[str, str]:
    """The slow path: charset-normalizer's best guess, else UTF-8 with replacement characters."""
    from charset_normalizer import from_bytes

    best = from_bytes(content[:200000]).best()
    if best is not None and best.encoding:
        codec = "cp949" if best.encoding.lower() in ("euc_kr", "cp949", "johab") else best.encoding
        text = content.decode(codec, errors="replace")
        return text, codec
    return content.decode("utf-8", errors="replace"), "utf-8"


def _decode_declared(content: bytes, declared: str | None) -> tuple[str, str]:
    if declared in ("utf-8", None):
        text = _strict(content, "utf-8")
        if text is not None:
            return text, "utf-8"
        text = _strict(content, "cp949")
        if text is not None and _hangul_share(text) > 0.5:
            return text, "cp949"
        return _detect(content)
    if declared in ("cp949", "latin"):
        if _has_multibyte(content):
            text = _strict(content, "utf-8")
            if text is not None:
                return text, "utf-8"
        text = _strict(content, "cp949")
        if text is not None and (declared == "cp949" or _hangul_share(text) > 0.5):
            return text, "cp949"
        if declared == "latin":
            return content.decode("cp1252", errors="replace"), "cp1252"
        lenient = content.decode("cp949", errors="replace")
        if lenient.count("\ufffd") <= max(3, len(lenient) // 1000):
            return lenient, "cp949"
        return _detect(content)
    text = _strict(content, declared)
    if text is not None:
        return text, declared
    return _detect(content)


def decode_html(content: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode ``content`` to NFC text; returns (text, encoding used). Raises ParseError('decode_error')."""
    if not content:
        raise ParseError("decode_error", "empty response body")
    if content.startswith(codecs.BOM_UTF8):
        text, enc = content[3:].decode("utf-8", errors="replace"), "utf-8"
    elif content.startswith(codecs.BOM_UTF16_LE) or content.startswith(codecs.BOM_UTF16_BE):
        text, enc = content.decode("utf-16", errors="replace"), "utf-16"
    else:
        text, enc = _decode_declared(content, declared_charset(content, content_type))
    if not text or text.isspace() or text.count("\ufffd") > len(text) * 0.2 or text.count("\x00") > len(text) * 0.05:
        raise ParseError("decode_error", f"no readable text (decoded as {enc})")
    return unicodedata.normalize("NFC", text), enc
