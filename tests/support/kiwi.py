"""A stand-in for the extractor's Kiwi that is the real one, with every text it is asked to tokenise recorded."""
from __future__ import annotations


class CountingKiwi:
    """The real Kiwi, with every text it is asked to tokenise recorded (`texts`)."""

    def __init__(self, real) -> None:
        self.real = real
        self.texts: list[str] = []

    def tokenize(self, text: str):
        self.texts.append(text)
        return self.real.tokenize(text)
