"""The organisation grammar: organisation mentions in an article's sentences (raw.org_mentions).

Modules, each leaning only on the ones above it:

* ``lexicon`` — the dictionaries (dbt seeds: org_types, org_aliases, org_suffix_rules, local_governments,
  generic_org_nouns), read once, and the closed word classes (person titles, surnames, count words); ``squash``,
  the matching key;
* ``cues`` — cue words over sentence text: agreement/signing verbs, consortium, joint venture, alliance, role cues
  (shared with ../partnerships.py);
* ``phrases`` — noun-phrase analysis of one sentence: Kiwi runs, name candidates (strong/weak/anaphor/short name)
  and what follows them (parentheses, counts, 등, particles), quotes and brackets, per-sentence budgets;
* ``resolve`` — per article: which candidates are organisations (admission of weak names in partner slots,
  spacing repair, anaphora, aliases and short forms); ``find_org_mentions``.

Callers import from here (``from pipelines.extract.orgs import find_org_mentions``); the partnership grammar also
reads ``cues`` and ``phrases`` directly.
"""
from __future__ import annotations

from .lexicon import lexicon, squash
from .resolve import find_org_mentions

__all__ = ["find_org_mentions", "lexicon", "squash"]
