"""Split an article body into paragraphs and sentences.

Paragraphs are separated by blank lines (the parser's body format). Inside a paragraph a sentence
ends at '.', '?', '!' (or '。') followed by whitespace/end, or a closing quote after one, but never
inside a number ('1.5조', '4.0') and never after a lone Latin initial or an abbreviation dot inside
Latin text ('Co.', 'U.S.'). A paragraph without final punctuation (a heading) is one sentence.
"""
from __future__ import annotations

import re

from .types import Sentence

_PARA_SPLIT = re.compile(r"\n\s*\n+")
# candidate boundary: terminal punctuation, optional closing quotes/brackets, then whitespace
_BOUNDARY = re.compile(r"([.?!。])([”’\"')\]]*)(\s+)")


def paragraphs(body: str) -> list[str]:
    out = []
    for p in _PARA_SPLIT.split(body or ""):
        p = re.sub(r"\s+", " ", p).strip()
        if p:
            out.append(p)
    return out


def _is_real_boundary(text: str, punct_pos: int) -> bool:
    if text[punct_pos] != ".":
        return True
    prev = text[punct_pos - 1] if punct_pos > 0 else ""
    # a digit before the dot: a decimal or a dotted date ('1.5조', '25.12.28'), not an ending
    if prev.isdigit():
        return False
    # Latin abbreviation: single capital letter or short Latin word before the dot (U.S., Co., Inc.)
    if re.search(r"(?:^|[^A-Za-z])[A-Za-z]{1,3}$", text[:punct_pos]) and not re.search(r"[가-힣]", prev):
        return False
    return True


def split_paragraph(paragraph: str) -> list[str]:
    sentences, start = [], 0
    for m in _BOUNDARY.finditer(paragraph):
        if not _is_real_boundary(paragraph, m.start(1)):
            continue
        end = m.end(2)
        piece = paragraph[start:end].strip()
        if piece:
            sentences.append(piece)
        start = m.end(3)
    tail = paragraph[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def split_sentences(body: str) -> list[Sentence]:
    out: list[Sentence] = []
    for p_no, para in enumerate(paragraphs(body)):
        for s in split_paragraph(para):
            out.append(Sentence(sentence_no=len(out), paragraph_no=p_no, text=s))
    return out
