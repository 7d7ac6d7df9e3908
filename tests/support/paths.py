"""Paths the tests use. ../shared sits beside the checkout (CI clones main next to it)."""
from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = (REPO.parent / "shared").resolve()
SEED_CORPUS = SHARED / "corpus" / "seeds"
SEED_GOLD = SHARED / "gold" / "seeds.json"
SCORE_PY = SHARED / "eval" / "score.py"
DEMO_DIR = REPO / "demo"
