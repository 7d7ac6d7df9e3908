{#-
  The shared target's raw sources (docs/scaling.md "The shared warehouse"): views in schema raw_shared over the
  Parquet files of the commits under NEWS_SHARED_DATA_PATH/commits/<seq>-<run>/<table>.parquet that writers
  published (pipelines/warehouse/shared.py). Per table, each key's rows come from the newest commit that holds the
  key (source meta `shared_key`), so the views are what the single file's INSERT OR REPLACE leaves, in commit
  order; the mention tables (`shared_key: extraction`) take an article's rows from the commit of its newest
  extraction (an article is re-extracted whole). Columns in source meta `shared_casts` get their DuckDB type back
  (Parquet has no HUGEINT). Run on-run-start for the shared target only; nothing for the local one.
-#}
{% macro shared_raw_views() %}
  {%- if target.name != 'shared' or not execute -%}
    {{ return('') }}
  {%- endif -%}
  {%- set data_path = env_var('NEWS_SHARED_DATA_PATH', '') -%}
  {%- if not data_path -%}
    {{ exceptions.raise_compiler_error("the shared target needs NEWS_SHARED_DATA_PATH (the folder of the shared store's commits)") }}
  {%- endif -%}
  {%- set commits = data_path.rstrip('/') ~ '/commits' -%}
  {%- set seq = "cast(regexp_extract(filename, '/commits/([0-9]+)-[^/]*/[^/]*$', 1) as bigint)" -%}
  create schema if not exists raw_shared;
  create or replace view raw_shared._newest_extraction as
    select article_key, max({{ seq }}) as _seq
    from read_parquet('{{ commits }}/*/extractions.parquet', filename = true)
    group by article_key;
  {%- for node in graph.sources.values() if node.source_name == 'raw' %}
    {%- set key = node.meta.get('shared_key') -%}
    {%- if not key -%}
      {{ exceptions.raise_compiler_error("source raw." ~ node.name ~ " has no meta.shared_key") }}
    {%- endif -%}
    {%- set casts = node.meta.get('shared_casts', {}) %}
  create or replace view raw_shared.{{ node.name }} as
    with committed as (
      select *, {{ seq }} as _seq
      from read_parquet('{{ commits }}/*/{{ node.name }}.parquet', filename = true, union_by_name = true)
    )
    select * exclude (filename, _seq)
      {%- if casts %} replace ({% for c, t in casts.items() %}cast({{ c }} as {{ t }}) as {{ c }}{{ ", " if not loop.last }}{% endfor %}){% endif %}
    from committed
    {%- if key == 'extraction' %}
    where exists (select 1 from raw_shared._newest_extraction as e
                  where e.article_key = committed.article_key and e._seq = committed._seq)
    {%- else %}
    qualify row_number() over (partition by {{ key }} order by _seq desc) = 1
    {%- endif %};
  {%- endfor %}
{% endmacro %}
