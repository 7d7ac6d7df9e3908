"""A self-contained static HTML report from the marts (no server: it opens from disk).

Sections: budget by recipient and funding source (stacked bars), events on a timeline, the partnership
network (organisations as nodes, shared partnerships as edges), the latest articles with links, and the
data-quality status of the last run (fetch outcomes per source, dbt test results).

Safety: the data travels as JSON inside a <script type="application/json"> block with '<', '>' and '&'
escaped, and the drawing code only ever sets `textContent` / attributes, so an article containing
`<script>` shows as text. Pure Python; no network, no external assets.
"""
from __future__ import annotations

import html
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb

from .settings import DBT_PROJECT_DIR


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cur = con.execute(sql)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def latest_dbt_results(target_dir: Path = DBT_PROJECT_DIR / "target") -> dict[str, Any]:
    """Counts of dbt test statuses from the newest run_results.json under dbt/target (any invocation)."""
    files = sorted(target_dir.rglob("run_results.json"), key=lambda p: p.stat().st_mtime)
    if not files:
        return {"generated_at": None, "statuses": {}, "problems": []}
    doc = json.loads(files[-1].read_text(encoding="utf-8"))
    statuses: dict[str, int] = {}
    problems = []
    for r in doc.get("results", []):
        if not str(r.get("unique_id", "")).startswith(("test.", "unit_test.")):
            continue
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
        if r["status"] not in ("pass", "success"):
            problems.append({"test": r["unique_id"].split(".")[-1], "status": r["status"],
                             "failures": r.get("failures")})
    return {"generated_at": doc.get("metadata", {}).get("generated_at"), "statuses": statuses,
            "problems": problems}


def report_data(warehouse: Path) -> dict[str, Any]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        budgets = _rows(con, """
            select coalesce(o.name, '(recipient not stated)') as recipient, b.funding_source,
                   sum(b.amount_krw)::double as krw
            from marts.fct_budgets b left join marts.dim_organizations o on o.org_id = b.recipient_org_id
            where not b.is_derived and b.funding_source <> 'total'
            group by all order by recipient""")
        events = _rows(con, """
            select e.event_date::varchar as date, e.event_type as type, e.date_precision as precision,
                   a.title, a.url
            from marts.fct_events e join marts.dim_articles a using (article_id)
            where e.event_date is not null order by e.event_date""")
        members = _rows(con, """
            select p.partnership_id as pid, p.partnership_type as type, o.name, o.org_type, p.role
            from marts.fct_partnerships p join marts.dim_organizations o using (org_id)""")
        articles = _rows(con, """
            select title, outlet, strftime(published_at at time zone 'Asia/Seoul', '%Y-%m-%d %H:%M') as published_at, url
            from marts.dim_articles order by published_at desc nulls last, url limit 20""")
        fetches = _rows(con, """
            select source_name, outcome, count(*) as n from marts.fct_fetches
            where run_id = (select run_id from marts.fct_fetches order by fetched_at desc limit 1)
            group by all order by source_name, outcome""")
        mismatches = _rows(con, """
            select program, stated_total_krw::double as stated, parts_sum_krw::double as parts
            from intermediate.int_budget_lists_checked where is_total_mismatch""")
        sidos = _rows(con, """
            select coalesce(sido_code, '') as sido_code, coalesce(sido_name, '(place not known)') as sido_name,
                   funding_source, amount_krw_once::double as once, amount_krw_per_article::double as per_article,
                   n_projects, n_articles
            from marts.sido_budget_summary where funding_source = 'national'
            order by sido_code nulls last""")
        timelines = _rows(con, """
            with top as (
                select project_id from marts.dim_projects
                order by n_articles desc, first_reported_at nulls last, project_id limit 5)
            select t.project_name, t.step_no, t.happened_on::varchar as happened_on, t.entry_type,
                   coalesce(t.event_type, t.funding_source) as what, t.amount_krw::double as krw, t.n_articles,
                   a.title, a.url
            from marts.fct_project_timeline t join top using (project_id)
            left join marts.dim_articles a on a.article_id = t.article_id
            order by t.project_id, t.step_no""")
        counts = _rows(con, """
            select (select count(*) from marts.dim_articles) as articles,
                   (select count(*) from marts.fct_budgets) as budgets,
                   (select count(*) from marts.fct_events) as events,
                   (select count(distinct partnership_id) from marts.fct_partnerships) as partnerships,
                   (select count(*) from marts.dim_organizations) as organizations""")[0]
    finally:
        con.close()
    return {"budgets": budgets, "events": events, "members": members, "articles": articles,
            "sidos": sidos, "timelines": timelines,
            "fetches": fetches, "mismatches": mismatches, "counts": counts, "dbt": latest_dbt_results(),
            "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}


def _embed_json(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, default=str)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


_STYLE = """
body{font-family:'Noto Sans KR','NanumGothic','Malgun Gothic',sans-serif;margin:24px;color:#1f2933;background:#fff}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #d9e2ec;padding-bottom:4px}
.kpis span{display:inline-block;margin-right:18px;font-size:14px}.kpis b{font-size:20px;display:block}
table{border-collapse:collapse;font-size:13px}td,th{border-bottom:1px solid #e4e7eb;padding:4px 8px;text-align:left}
.legend span{display:inline-block;margin-right:12px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
svg text{font-size:11px;fill:#334e68}
"""

_SCRIPT = r"""
(function () {
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const NS = 'http://www.w3.org/2000/svg';
  const COLORS = {national:'#1f77b4', provincial:'#ff7f0e', municipal:'#2ca02c', local:'#9467bd',
    private:'#d62728', public:'#8c564b', agreement_signed:'#1f77b4', selected:'#2ca02c', applied:'#ff7f0e',
    launched:'#d62728', demonstrated:'#9467bd', announced:'#8c564b', planned:'#e377c2', took_effect:'#17becf',
    local_government:'#2ca02c', central_government:'#1f77b4', public_agency:'#ff7f0e', company:'#d62728',
    research_institute:'#9467bd', university:'#8c564b', association:'#17becf', other:'#7f7f7f'};
  function el(tag, attrs, parent, text) {
    const e = document.createElementNS(NS, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function svg(id, w, h) { const s = el('svg', {width: w, height: h, viewBox: `0 0 ${w} ${h}`, role: 'img'});
    document.getElementById(id).appendChild(s); return s; }
  function legend(id, keys) { const box = document.getElementById(id);
    keys.forEach(k => { const s = document.createElement('span'); const i = document.createElement('i');
      i.style.background = COLORS[k] || '#999'; s.appendChild(i); s.appendChild(document.createTextNode(k)); box.appendChild(s); }); }
  function eok(krw) { return (krw / 1e8).toLocaleString('ko-KR', {maximumFractionDigits: 1}) + '억'; }

  // 1. budget by recipient and funding source (stacked horizontal bars)
  const byRec = {}; const sources = new Set();
  data.budgets.forEach(b => { (byRec[b.recipient] = byRec[b.recipient] || {})[b.funding_source] =
    (byRec[b.recipient][b.funding_source] || 0) + b.krw; sources.add(b.funding_source); });
  const recs = Object.keys(byRec).sort((a, b) => Object.values(byRec[b]).reduce((x, y) => x + y, 0)
    - Object.values(byRec[a]).reduce((x, y) => x + y, 0)).slice(0, 15);
  const maxTotal = Math.max(1, ...recs.map(r => Object.values(byRec[r]).reduce((x, y) => x + y, 0)));
  const bs = svg('budget-chart', 760, 24 * recs.length + 20);
  recs.forEach((r, i) => { let x = 170; el('text', {x: 0, y: 24 * i + 16}, bs, r);
    [...sources].forEach(src => { const v = byRec[r][src] || 0; if (!v) return; const w = 480 * v / maxTotal;
      const rect = el('rect', {x: x, y: 24 * i + 4, width: Math.max(w, 1), height: 16, fill: COLORS[src] || '#999',
        'data-source': src}, bs); el('title', {}, rect, `${r} · ${src}: ${eok(v)}`); x += w; });
    el('text', {x: x + 4, y: 24 * i + 16}, bs, eok(Object.values(byRec[r]).reduce((a, b) => a + b, 0))); });
  legend('budget-legend', [...sources]);

  // 2. events on a timeline
  const ev = data.events; const es = svg('event-chart', 760, 140);
  if (ev.length) { const t = ev.map(e => Date.parse(e.date)); const lo = Math.min(...t), hi = Math.max(...t) + 1;
    const types = [...new Set(ev.map(e => e.type))];
    el('line', {x1: 20, y1: 110, x2: 740, y2: 110, stroke: '#9fb3c8'}, es);
    ev.forEach((e, i) => { const x = 20 + 720 * (Date.parse(e.date) - lo) / (hi - lo);
      const c = el('circle', {cx: x, cy: 100 - 12 * types.indexOf(e.type), r: 5, fill: COLORS[e.type] || '#999',
        'data-type': e.type}, es); el('title', {}, c, `${e.date} ${e.type} — ${e.title}`); });
    el('text', {x: 20, y: 128}, es, ev[0].date); el('text', {x: 660, y: 128}, es, ev[ev.length - 1].date);
    legend('event-legend', types); }

  // 3. partnership network: organisations as nodes, an edge between two members of one partnership
  const nodes = {}; const groups = {};
  data.members.forEach(m => { nodes[m.name] = m.org_type; (groups[m.pid] = groups[m.pid] || []).push(m.name); });
  const names = Object.keys(nodes); const ns = svg('network-chart', 760, 520);
  const pos = {}; names.forEach((n, i) => { const a = 2 * Math.PI * i / Math.max(names.length, 1);
    pos[n] = [380 + 220 * Math.cos(a), 260 + 220 * Math.sin(a)]; });
  Object.values(groups).forEach(g => { for (let i = 0; i < g.length; i++) for (let j = i + 1; j < g.length; j++)
    el('line', {x1: pos[g[i]][0], y1: pos[g[i]][1], x2: pos[g[j]][0], y2: pos[g[j]][1], stroke: '#bcccdc',
      'stroke-width': 1, class: 'edge'}, ns); });
  names.forEach(n => { const c = el('circle', {cx: pos[n][0], cy: pos[n][1], r: 7, fill: COLORS[nodes[n]] || '#999',
    class: 'node'}, ns); el('title', {}, c, `${n} (${nodes[n]})`);
    el('text', {x: pos[n][0] + 9, y: pos[n][1] + 4}, ns, n); });
  legend('network-legend', [...new Set(Object.values(nodes))]);

  // 3b. national money per 시도, counted once per project fact next to the per-article sum
  const sb = document.querySelector('#sidos tbody');
  data.sidos.forEach(r => { const tr = document.createElement('tr');
    [r.sido_code, r.sido_name, r.once == null ? '' : eok(r.once), eok(r.per_article), r.n_projects, r.n_articles]
      .forEach(v => { const td = document.createElement('td'); td.textContent = String(v); tr.appendChild(td); });
    sb.appendChild(tr); });

  // 3c. project timelines (the projects most articles report)
  const pb = document.querySelector('#timelines tbody');
  data.timelines.forEach(r => { const tr = document.createElement('tr');
    [r.project_name, r.step_no, r.happened_on || '(undated)', r.entry_type, r.what || '',
     r.krw == null ? '' : eok(r.krw), r.n_articles].forEach(v => { const td = document.createElement('td');
      td.textContent = String(v); tr.appendChild(td); });
    const td = document.createElement('td'); const link = document.createElement('a');
    if (/^https?:\/\//.test(r.url || '')) link.href = r.url; link.textContent = r.title || r.url || '';
    td.appendChild(link); tr.appendChild(td); pb.appendChild(tr); });

  // 4. latest articles
  const tb = document.querySelector('#articles tbody');
  data.articles.forEach(a => { const tr = document.createElement('tr');
    const td1 = document.createElement('td'); td1.textContent = a.published_at || '(no date)';
    const td2 = document.createElement('td'); td2.textContent = a.outlet || '';
    const td3 = document.createElement('td'); const link = document.createElement('a');
    if (/^https?:\/\//.test(a.url)) link.href = a.url; link.textContent = a.title || a.url; td3.appendChild(link);
    tr.append(td1, td2, td3); tb.appendChild(tr); });

  // 5. data quality of the last run
  const q = document.getElementById('quality'); const ul = document.createElement('ul');
  function li(t) { const x = document.createElement('li'); x.textContent = t; ul.appendChild(x); }
  data.fetches.forEach(f => li(`fetch · ${f.source_name}: ${f.outcome} × ${f.n}`));
  Object.entries(data.dbt.statuses).forEach(([s, n]) => li(`dbt tests: ${n} ${s}`));
  data.dbt.problems.forEach(p => li(`dbt ${p.status}: ${p.test} (${p.failures} rows)`));
  data.mismatches.forEach(m => li(`total ≠ parts: ${m.program || '(programme not stated)'} — stated ${eok(m.stated)}, parts ${eok(m.parts)}`));
  q.appendChild(ul);
  document.body.setAttribute('data-drawn', 'true');
})();
"""


def render_report(data: dict[str, Any]) -> str:
    c = data["counts"]
    kpis = "".join(f"<span><b>{int(v):,}</b>{html.escape(k)}</span>" for k, v in c.items())
    return f"""<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><title>kr-smartcity-news report</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<style>{_STYLE}</style></head>
<body>
<h1>Korea smart-city &amp; AI projects — warehouse report</h1>
<p>Generated {html.escape(data['generated_at'])}. Amounts in 억 원 (100,000,000 KRW); derived rows and
totals excluded from the budget bars.</p>
<div class="kpis">{kpis}</div>
<h2>Budget by recipient and funding source</h2><div id="budget-legend" class="legend"></div><div id="budget-chart"></div>
<h2>Events on a timeline</h2><div id="event-legend" class="legend"></div><div id="event-chart"></div>
<h2>Partnership network</h2><div id="network-legend" class="legend"></div><div id="network-chart"></div>
<h2>National money (국비) per 시도</h2>
<p>Counted once per project fact (a reprinted press release or a follow-up story does not count again; where
articles disagree, the amount more articles state) next to the naive sum of every article's statement. Place =
the project's 시도 (행정표준코드). No map: no boundaries package is part of the project's dependencies.</p>
<table id="sidos"><thead><tr><th>code</th><th>시도</th><th>counted once</th><th>sum of articles</th><th>projects</th><th>articles</th></tr></thead><tbody></tbody></table>
<h2>Project timelines</h2>
<table id="timelines"><thead><tr><th>project</th><th>#</th><th>date</th><th>entry</th><th>what</th><th>amount</th><th>articles</th><th>first reported by</th></tr></thead><tbody></tbody></table>
<h2>Latest articles</h2><table id="articles"><thead><tr><th>published</th><th>outlet</th><th>title</th></tr></thead><tbody></tbody></table>
<h2>Data quality of the last run</h2><div id="quality"></div>
<script type="application/json" id="report-data">{_embed_json(data)}</script>
<script>{_SCRIPT}</script>
</body></html>
"""


def write_report(warehouse: Path, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_report(report_data(warehouse)), encoding="utf-8")
    return out
