"""The four seed pages, checked the way shared/eval/score.py checks articles (title, published_at, body)."""
from __future__ import annotations

import json
import re
import unicodedata
from datetime import datetime

import pytest

from pipelines.parse import parse_page
from pipelines.parse.dates import SEOUL
from tests.support.paths import SEED_CORPUS, SEED_GOLD, skip_without_shared


def norm_text(s: str | None) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", s or "")).strip()


def _seeds() -> list[tuple[dict, dict]]:
    gold = {g["url_key"]: g for g in json.loads(SEED_GOLD.read_text(encoding="utf-8"))["articles"]}
    index = json.loads((SEED_CORPUS / "index.json").read_text(encoding="utf-8"))
    return [(entry, gold[key]) for entry in index for key in gold if key in entry["url"]]


skip_without_shared()  # the seed pages are read while collecting
SEEDS = _seeds()


def _parsed(entry: dict):
    return parse_page((SEED_CORPUS / entry["file"]).read_bytes(), entry["url"])


def test_every_seed_page_has_gold() -> None:
    assert len(SEEDS) == 4


@pytest.mark.parametrize("entry,gold", SEEDS, ids=[g["url_key"] for _, g in SEEDS])
def test_seed_title_matches_gold(entry: dict, gold: dict) -> None:
    page = _parsed(entry)
    assert page.kind == "article"
    assert norm_text(page.title) == norm_text(gold["title"])


@pytest.mark.parametrize("entry,gold", SEEDS, ids=[g["url_key"] for _, g in SEEDS])
def test_seed_published_at_matches_gold_to_the_minute(entry: dict, gold: dict) -> None:
    page = _parsed(entry)
    want = gold["published_at"]
    if want is None:
        assert page.published_at is None
        return
    assert page.published_at is not None and page.published_at.tzinfo is not None
    got = page.published_at.astimezone(SEOUL)
    if len(want) == 10:
        assert got.date().isoformat() == want
    else:
        assert got.strftime("%Y-%m-%dT%H:%M") == datetime.fromisoformat(want).astimezone(SEOUL).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize("entry,gold", SEEDS, ids=[g["url_key"] for _, g in SEEDS])
def test_seed_body_includes_once_and_excludes(entry: dict, gold: dict) -> None:
    body = norm_text(_parsed(entry).body)
    for s in gold.get("body_include", []):
        assert norm_text(s) in body
    for s in gold.get("body_once", []):
        assert body.count(norm_text(s)) == 1
    for s in gold.get("body_exclude", []):
        assert norm_text(s) not in body


@pytest.mark.parametrize("entry,gold", SEEDS, ids=[g["url_key"] for _, g in SEEDS])
def test_seed_outlet_and_canonical(entry: dict, gold: dict) -> None:
    page = _parsed(entry)
    assert page.outlet == entry["outlet"]
    assert page.canonical_url == entry["url"]
    assert page.encoding == ("cp949" if entry["encoding"] == "euc-kr" else "utf-8")
    assert "\n\n" in page.body and "\n\n\n" not in page.body
