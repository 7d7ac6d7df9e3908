"""kr-smartcity-news: Korean smart-city / AI project news → DuckDB warehouse, orchestrated by Dagster."""
__version__ = "0.1.0"
