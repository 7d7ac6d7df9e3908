"""Paths the tests use. ../shared sits beside the checkout (CI clones main next to it).

Tests that read ../shared (seed pages, gold, score.py, the dev corpus) are marked `@needs_shared` (a whole module:
`pytestmark = needs_shared`); without that folder they are skipped with the reason instead of failing, and a
module that reads it while being collected calls `skip_without_shared()` first."""
from __future__ import annotations

import pytest

from pipelines.settings import PROJECT_DIR as REPO
from pipelines.settings import SHARED_DIR as SHARED
SEED_CORPUS = SHARED / "corpus" / "seeds"
SEED_GOLD = SHARED / "gold" / "seeds.json"
SCORE_PY = SHARED / "eval" / "score.py"
DEMO_DIR = REPO / "demo"

SHARED_MISSING = f"needs ../shared beside the checkout ({SHARED} is missing): seed pages, gold, score.py, dev corpus"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=SHARED_MISSING)


def skip_without_shared() -> None:
    """Skip the calling module (at collection) when ../shared is absent."""
    if not SHARED.is_dir():
        pytest.skip(SHARED_MISSING, allow_module_level=True)
