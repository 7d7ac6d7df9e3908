"""OrgLexicon.suffix_rule looks a word's endings up instead of trying every rule: the same rule as the rule list's
own order says (the first rule, by priority then longer suffix, that the word ends with — a legal-form marker:
contains — and is longer than), on every kind of word."""
from __future__ import annotations

import itertools
import random

from pipelines.extract.orgs.lexicon import lexicon


def _first_rule_in_order(word: str):
    """The definition: scan the rules in order."""
    for rule in lexicon().suffix_rules:
        if rule.suffix in ("(주)", "㈜", "주식회사"):
            if rule.suffix in word and len(word) > len(rule.suffix):
                return rule
        elif word.endswith(rule.suffix) and len(word) > len(rule.suffix):
            return rule
    return None


def _words() -> list[str]:
    suffixes = [r.suffix for r in lexicon().suffix_rules]
    heads = ["", "가", "한빛", "누리소프트", "AI", "K-", "(주)", "㈜", "주식회사 ", "국립", "정보"]
    words = {h + s for h, s in itertools.product(heads, suffixes)}
    words |= {s[1:] for s in suffixes} | {s[:-1] for s in suffixes} | set(suffixes)  # too short, cut, exact
    words |= {a + b for a, b in itertools.product(suffixes, suffixes)}  # one suffix ending in another's letters
    words |= {"", "원", "가온", "정부", "본부", "신청", "도시", "한빛전자㈜", "(주)한빛", "주식회사", "한빛주식회사다"}
    rng = random.Random(18)
    pieces = suffixes + list("가나다원회청처부사") + ["(주)", "㈜", " "]
    words |= {"".join(rng.choice(pieces) for _ in range(rng.randint(1, 4))) for _ in range(5000)}
    return sorted(words)


def test_suffix_rule_is_the_first_rule_in_order_for_every_word():
    words = _words()
    assert len(words) > 5000
    matched = 0
    for w in words:
        want = _first_rule_in_order(w)
        assert lexicon().suffix_rule(w) is want, w
        matched += want is not None
    assert 0 < matched < len(words)  # both outcomes are exercised
