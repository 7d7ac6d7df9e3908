"""`make eval` in `make test`: the dev corpus (../shared/corpus/dev, five sets) served over HTTP on 127.0.0.1,
the nightly job run in process (evaluation.dev), and the POOLED score held above floors so that nothing
slides back. The floors are the score measured when they were set, minus 0.02; raise them when it rises."""
from __future__ import annotations

import pytest

from evaluation import dev
from tests.support.paths import SHARED, needs_shared

pytestmark = [pytest.mark.e2e, needs_shared]

# pooled over gov, wire, trade, local, hard; all articles (tune + holdout). Facts: F1; articles: share correct.
FLOORS = {
    "budgets": 0.92,  # measured 0.94 (issue target 0.92)
    "events": 0.85,  # measured 0.87 (issue target 0.85)
    "partnerships": 0.88,  # measured 0.90 (issue target 0.85)
    "found": 70 / 70 - 0.02,
    "title": 68 / 70 - 0.02,
    "published_at": 70 / 70 - 0.02,
    "body": 68 / 70 - 0.02,
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    assert dev.DEV == SHARED / "corpus" / "dev"
    return dev.evaluate(dev.SETS, "all", tmp_path_factory.mktemp("dev-eval"))


def test_the_night_over_the_dev_corpus_succeeds_and_reads_every_page(results):
    assert results["success"]
    assert set(results["sets"]) == set(dev.SETS)


@pytest.mark.parametrize("fact", ["budgets", "events", "partnerships"])
def test_pooled_fact_f1_stays_above_its_floor(results, fact):
    got = results["pooled"]["facts"][fact]
    assert got["f1"] >= FLOORS[fact], (fact, got)


@pytest.mark.parametrize("check", ["found", "title", "published_at", "body"])
def test_pooled_article_check_stays_above_its_floor(results, check):
    ok, n = results["pooled"]["checks"][check]
    assert n == 70
    assert ok / n >= FLOORS[check], (check, ok, n)


def test_every_page_that_is_not_an_article_is_rejected(results):
    assert results["pooled"]["checks"]["rejected"] == [5, 5]


def test_the_split_is_by_article_number():
    assert dev.in_split("dg-01-x", "tune") and not dev.in_split("dg-01-x", "holdout")
    assert dev.in_split("dx-14-y", "holdout") and not dev.in_split("dx-14-y", "tune")
    assert all(dev.in_split(k, "all") for k in ("dg-01-x", "dx-14-y"))


def test_the_table_has_a_row_per_set_and_a_pooled_row(results):
    rows = dev.table(results).splitlines()
    for name in (*dev.SETS, "pooled"):
        assert any(r.startswith(name) for r in rows), name
