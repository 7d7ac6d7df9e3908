"""The table lists the code iterates over (pipelines/tables.py) name exactly the tables that exist."""
from __future__ import annotations

import re

from pipelines import warehouse as wh
from pipelines.extract.types import ArticleMentions
from pipelines.settings import DBT_PROJECT_DIR, DDL_DIR
from pipelines.tables import MARTS, MENTION_TABLES, REPORTING


def test_the_marts_list_is_every_model_of_the_marts_folder():
    models = {p.stem for p in (DBT_PROJECT_DIR / "models" / "marts").glob("*.sql")}
    assert len(MARTS) == len(set(MARTS))
    assert set(MARTS) == models


def test_the_reporting_list_is_every_view_of_the_reporting_folder_but_the_search_index():
    # search_index is a table for the search macro, not a readable view to export
    views = {p.stem for p in (DBT_PROJECT_DIR / "models" / "reporting").glob("*.sql")} - {"search_index"}
    assert set(REPORTING) == views


def test_the_mention_tables_are_raw_tables_and_the_extractors_output():
    ddl = " ".join(p.read_text(encoding="utf-8") for p in DDL_DIR.glob("*.sql"))
    created = set(re.findall(r"create table if not exists raw\.(\w+)", ddl, re.IGNORECASE))
    assert set(MENTION_TABLES) <= created
    assert set(wh.RAW_TABLES) <= created
    assert list(ArticleMentions().tables()) == list(MENTION_TABLES)
