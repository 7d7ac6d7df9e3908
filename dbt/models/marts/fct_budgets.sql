-- One row per stated amount of project money per article: the same (amount, funding source) repeated
-- in an article is kept once, with the programme / recipient / period of whichever mention states them.
-- An amount restated without its source next to the same amount with a source is that money, not a total.
with mentions as (
    select * from {{ ref('int_budget_mentions_classified') }}
    where not is_restatement
),

orgs as (
    select distinct surface, org_key from {{ ref('int_org_mentions_unified') }}
),

sentences as (
    select article_key, sentence_no, sentence_text from {{ ref('stg_raw__sentences') }}
),

grouped as (
    select
        article_id,
        amount_krw,
        funding_source,
        is_derived,
        arg_min(article_key, mention_order) as first_article_key,
        arg_min(sentence_no, mention_order) as first_sentence_no,
        arg_min(program, mention_order) filter (where program is not null) as program,
        arg_min(recipient, mention_order) filter (where recipient is not null) as recipient,
        arg_min(share_pct, mention_order) filter (where share_pct is not null) as share_pct,
        arg_min(period_start_year, mention_order) filter (where period_start_year is not null) as period_start_year,
        arg_min(period_end_year, mention_order) filter (where period_end_year is not null) as period_end_year,
        arg_min(list_no, mention_order) filter (where list_no is not null) as list_no,
        bool_or(is_list_total) as is_list_total,
        arg_min(cue, mention_order) as cue,
        count(*) as mention_count
    from mentions
    group by article_id, amount_krw, funding_source, is_derived
)

select
    md5(g.article_id || '|' || g.amount_krw::varchar || '|' || g.funding_source || '|' || g.is_derived::varchar) as budget_id,
    g.article_id,
    g.program,
    md5(o.org_key) as recipient_org_id,
    g.funding_source,
    g.amount_krw::hugeint as amount_krw,
    g.share_pct::decimal(5, 2) as share_pct,
    g.period_start_year::integer as period_start_year,
    g.period_end_year::integer as period_end_year,
    s.sentence_text as evidence,
    g.is_derived,
    g.is_list_total,
    g.list_no,
    g.cue,
    g.mention_count::integer as mention_count,
    fp.project_id  -- the project in effect at the fact's sentence (int_fact_projects), NULL if none
from grouped g
left join orgs o on o.surface = g.recipient
left join sentences s on s.article_key = g.first_article_key and s.sentence_no = g.first_sentence_no
left join {{ ref('int_fact_projects') }} fp
    on fp.article_key = g.first_article_key and fp.sentence_no = g.first_sentence_no
