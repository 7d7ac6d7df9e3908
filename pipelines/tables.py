"""The warehouse's table names that code iterates over, defined once (no imports: anything may use them).

The raw schema's DDL is warehouse/ddl/raw.sql; the marts are dbt/models/marts (tests/test_tables.py checks both).
"""
from __future__ import annotations

# the raw tables an article's mentions go to, in load order (pipelines/extract/types.ArticleMentions.tables())
MENTION_TABLES = ("sentences", "money_mentions", "date_mentions", "event_mentions", "org_mentions",
                  "partnership_mentions")

# the marts schema (dbt/models/marts): exported by `make export`, awaited by the published snapshot
MARTS = ("dim_articles", "fct_budgets", "fct_events", "fct_partnerships", "dim_organizations", "fct_fetches",
         "dim_projects", "fct_project_budgets", "fct_project_events", "fct_project_partnerships",
         "fct_project_timeline", "sido_budget_summary")

# the readable views (dbt/models/reporting): exported under their own names (export/budgets.csv, …), awaited by the
# published snapshot
REPORTING = ("budgets", "events", "partnerships", "partnership_members")
