-- Money mentions that are project budgets, with their funding source: the cue word the extractor read
-- (국비, 도비, 정부, 총, 규모 …) mapped through the funding_source_terms seed; an amount with no cue is
-- the programme's total. Amounts that are not public project money (is_budget = false) are left out here.
with mentions as (
    select * from {{ ref('stg_raw__money_mentions') }}
    where is_budget and amount_krw is not null and amount_krw > 0
),

terms as (
    select trim(term) as term, any_value(funding_source) as funding_source
    from {{ ref('funding_source_terms') }}
    group by 1
),

ids as (
    select article_key, article_id from {{ ref('int_articles_deduplicated') }}
),

classified as (
    select
        ids.article_id,
        m.article_key,
        m.sentence_no,
        m.mention_no,
        m.sentence_no * 1000 + m.mention_no as mention_order,
        m.surface,
        m.amount_krw::hugeint as amount_krw,
        m.cue,
        coalesce(t.funding_source, 'total') as funding_source,
        m.share_pct,
        m.list_no,
        m.is_list_total,
        m.program,
        m.recipient,
        m.period_start_year,
        m.period_end_year,
        m.is_derived
    from mentions m
    join ids using (article_key)
    left join terms t on t.term = m.cue
)

-- An amount restated without its source ('국비 100억원을 확보했다 … 이번 100억원은') is the same money as the
-- sourced mention: a mention with no cue or only the size word (규모, 전체) whose amount the article also states
-- with a source, and never with an explicit total word (총, 총사업비, 합계 …), is flagged is_restatement.
select
    c.*,
    (not c.is_derived and c.funding_source = 'total' and (c.cue is null or c.cue in ('규모', '전체'))
        and exists (
            select 1 from classified s
            where s.article_id = c.article_id and s.amount_krw = c.amount_krw and not s.is_derived
              and s.funding_source <> 'total')
        and not exists (
            select 1 from classified t
            where t.article_id = c.article_id and t.amount_krw = c.amount_krw and not t.is_derived
              and t.funding_source = 'total' and t.cue is not null and t.cue not in ('규모', '전체'))
    ) as is_restatement
from classified c
