-- Raw landing schema: what the Python stages write and dbt reads (dbt source `raw`).
-- Applied idempotently at the start of every run (CREATE ... IF NOT EXISTS only; a column is
-- added with ALTER TABLE ... ADD COLUMN IF NOT EXISTS, never by dropping data).
-- Keys: article_key = md5(canonical url); page_key = md5(requested url).
create schema if not exists raw;

-- Every URL the sources yielded in a run (feeds, sitemaps, url lists, html_dir files).
create table if not exists raw.discovered_urls (
    run_id          varchar not null,
    source_name     varchar not null,
    url             varchar not null,
    discovered_via  varchar,            -- the feed/sitemap/dir it came from
    title_hint      varchar,            -- feed item title, if any
    lastmod_hint    timestamptz,        -- sitemap lastmod / feed pubDate, if any
    discovered_at   timestamptz not null,
    primary key (run_id, source_name, url)
);

-- One row per URL per run: what happened when we asked for it (incl. sources that failed).
create table if not exists raw.fetch_log (
    fetch_key       varchar primary key, -- md5(run_id || '|' || source_name || '|' || url)
    run_id          varchar not null,
    source_name     varchar not null,
    url             varchar not null,
    final_url       varchar,
    fetched_at      timestamptz not null,
    http_status     integer,
    outcome         varchar not null,    -- vocabulary of marts.fct_fetches.outcome
    attempts        integer not null,
    error           varchar,
    page_key        varchar,             -- raw.pages row written/confirmed, if any
    content_hash    varchar              -- hash of the bytes this fetch saw (NULL when none)
);

-- The newest bytes per URL, compressed, so a parser change can re-parse history without re-fetching.
create table if not exists raw.pages (
    page_key        varchar primary key,
    url             varchar not null,
    final_url       varchar,
    source_name     varchar not null,
    fetched_at      timestamptz not null,
    http_status     integer,
    content_type    varchar,
    headers_json    varchar,             -- response headers as a JSON object
    etag            varchar,
    last_modified   varchar,
    content_hash    varchar not null,    -- sha256 of the raw (uncompressed) bytes
    content_length  bigint not null,
    compression     varchar not null,    -- 'zlib'
    content         blob not null
);

-- What the parser made of each stored page version.
create table if not exists raw.page_parses (
    page_key        varchar primary key,
    content_hash    varchar not null,
    parser_version  varchar not null,
    outcome         varchar not null,    -- 'article' | 'not_article' | 'parse_error' | 'decode_error'
    error           varchar,             -- why not an article / not parsed ('list_page', 'too_deep: ...', 'time_limit: ...')
    article_key     varchar,
    parsed_at       timestamptz not null
);

-- Parsed articles, one row per canonical URL (a page's rel=canonical only when trusted: pipelines/parse/canonical.py).
create table if not exists raw.articles (
    article_key     varchar primary key,
    url             varchar not null,    -- canonical url
    page_key        varchar not null,
    source_name     varchar not null,
    fetched_url     varchar not null,
    outlet          varchar,
    title           varchar,
    published_at    timestamptz,
    published_at_source varchar,         -- which signal gave published_at (json-ld, meta, byline, ...)
    body            varchar not null,
    body_hash       varchar not null,    -- sha256 of body
    encoding        varchar,
    fetched_at      timestamptz not null,
    parser_version  varchar not null,
    parsed_at       timestamptz not null,
    claimed_canonical_url varchar        -- a canonical URL the page declared on another domain (not trusted), else NULL
);
alter table raw.articles add column if not exists claimed_canonical_url varchar;

-- Which body version of each article the mention rows below were extracted from.
create table if not exists raw.extractions (
    article_key     varchar primary key,
    body_hash       varchar not null,
    extractor_version varchar not null,
    extracted_at    timestamptz not null
);

-- Text-level mentions (extractor output). Rows for an article are replaced whole when it is re-extracted.
create table if not exists raw.sentences (
    article_key     varchar not null,
    sentence_no     integer not null,
    paragraph_no    integer not null,
    text            varchar not null,
    extractor_version varchar not null,
    primary key (article_key, sentence_no)
);

create table if not exists raw.money_mentions (
    article_key     varchar not null,
    sentence_no     integer not null,
    mention_no      integer not null,
    surface         varchar not null,    -- '국비 160억 원'
    amount_krw      hugeint,             -- whole won
    cue             varchar,             -- funding-source word that decided (국비, 도비, 정부, 총, 규모...); NULL = none
    share_pct       decimal(5, 2),
    list_no         integer,             -- amounts of one enumeration share it
    is_list_total   boolean not null,
    program         varchar,
    recipient       varchar,             -- surface form of who receives/spends it
    period_start_year integer,
    period_end_year integer,
    is_derived      boolean not null,
    is_budget       boolean not null,    -- false: an amount that is not public project money
    reject_reason   varchar,
    primary key (article_key, sentence_no, mention_no)
);

create table if not exists raw.date_mentions (
    article_key     varchar not null,
    sentence_no     integer not null,
    mention_no      integer not null,
    date_text       varchar not null,    -- as written: '21일', '지난해 6월', '2027년', '이날'
    year            integer,             -- explicit year
    month           integer,
    day             integer,
    year_offset     integer,             -- 지난해 -1, 올해 0, 내년 +1 (relative to publication)
    month_offset    integer,             -- 지난달 -1, 이달 0, 다음달 +1
    day_ref         varchar,             -- 'publication' when the words mean the publication day
    direction       varchar,             -- 'past' (지난) | 'future' (오는, planned verbs) | NULL
    reject_reason   varchar,             -- 'implausible_year: …' (extract/plausibility.py): not used to date events
    primary key (article_key, sentence_no, mention_no)
);

create table if not exists raw.event_mentions (
    article_key     varchar not null,
    sentence_no     integer not null,
    mention_no      integer not null,
    event_type      varchar not null,
    trigger         varchar not null,    -- the verb/noun that made it an event
    date_mention_no integer,             -- raw.date_mentions row in the same sentence
    location        varchar,
    primary key (article_key, sentence_no, mention_no)
);

create table if not exists raw.org_mentions (
    article_key     varchar not null,
    sentence_no     integer not null,
    mention_no      integer not null,
    surface         varchar not null,    -- as written ('시', '현대차', '구글 클라우드 코리아')
    resolved        varchar not null,    -- antecedent for anaphora ('시' -> '천안시'), else surface
    is_subject      boolean not null,
    primary key (article_key, sentence_no, mention_no)
);

create table if not exists raw.partnership_mentions (
    article_key     varchar not null,
    sentence_no     integer not null,
    mention_no      integer not null,
    partnership_type varchar not null,
    partnership_name varchar,
    member          varchar not null,    -- resolved surface form of the member
    role            varchar not null,
    primary key (article_key, sentence_no, mention_no)
);

-- The nightly dbt step's memory: per raw table dbt reads, its signature (row count + newest write time) as of
-- the last successful dbt build. Tables whose signature did not move are not rebuilt (README: operating).
create table if not exists raw.dbt_builds (
    source_table    varchar primary key,
    signature       varchar not null,
    built_at        timestamptz not null
);

-- Columns added after a table first shipped (older warehouses get them here; new ones have them in CREATE).
alter table raw.date_mentions add column if not exists reject_reason varchar;

-- Articles whose extraction failed (an exception, a time or size budget, rows that could not be stored): the
-- article stays in raw.articles and the marts without facts; the reason is kept here until a later extractor
-- version extracts it cleanly. One row per article (the latest failure).
create table if not exists raw.extract_errors (
    article_key       varchar primary key,
    body_hash         varchar,           -- the body that failed (a changed body is tried again)
    extractor_version varchar not null,
    error             varchar not null,
    failed_at         timestamptz not null
);
