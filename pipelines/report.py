"""A self-contained static HTML report from the marts (no server: it opens from disk).

Sections: filters (시도, year) and a search box that apply to every picture and table below them; budget by
recipient and funding source (stacked bars); events on a timeline with year/month ticks, each mark as wide as
its date is precise (a day is a dot, a month a short bar, a year a long one); partners as a bipartite picture
(public bodies left, companies and others right, the best-connected N) with a table of every partner; every fact
(budget, event, partnership) with its evidence sentence and a link to the article, paginated; national money per
시도 and the project timelines (issue 15); articles; the data quality of the last run, dbt checks in words.

Size: every fact of the warehouse is embedded (the filters and the search need them), compactly: facts are
arrays, the articles, organisations and evidence sentences are listed once and referred to by index. Tables
show one page at a time and pictures the top N, so the DOM stays small whatever the warehouse holds
(bench/report_scale.py measures it on a synthetic warehouse of 10,000 articles).

Safety: the data travels as JSON inside a <script type="application/json"> block with '<', '>' and '&'
escaped, and the drawing code only ever sets `textContent` / attributes (never innerHTML), so an article
containing `<script>` shows as text, and only http(s) URLs become links. Pure Python; no network, no external
assets.
"""
from __future__ import annotations

import csv
import html
import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb

from .settings import DBT_PROJECT_DIR

# fact arrays (the JS reads them by these positions; see _SCRIPT's F_* constants)
FACT_FIELDS = ("kind", "date", "precision", "sidos", "type", "what", "orgs", "project", "evidence", "article",
               "extra")
# organisation types drawn on the left (public) side of the partner picture; everything else on the right
PUBLIC_ORG_TYPES = ("central_government", "local_government", "public_agency")


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cur = con.execute(sql)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def sido_names(seed: Path = DBT_PROJECT_DIR / "seeds" / "local_governments.csv") -> dict[str, str]:
    """시도 code → short name (11 → 서울), from the project's local-government seed."""
    with seed.open(encoding="utf-8") as f:
        return {r["sido_code"]: r["short_name"] for r in csv.DictReader(f) if r["level"] == "metropolitan"}


_GENERIC_TEST_WORDS = {
    "not_null": "{column} is empty in {model}",
    "unique": "{column} repeats in {model}",
    "accepted_values": "{column} in {model} is outside its vocabulary",
    "relationships": "{column} in {model} points to a row that does not exist",
}


def _first_sentence(comment: str, limit: int = 140) -> str:
    text = re.sub(r"^\s*(WARN|ERROR)\s*:\s*", "", " ".join(comment.split()))
    m = re.match(r"(.+?[.:])(\s|$)", text)
    said = (m.group(1) if m else text).rstrip(".:").strip()
    return said if len(said) <= limit else said[:limit - 1].rstrip() + "…"


def _leading_comment(sql: str) -> str:
    """The first comment of a test's SQL (`-- …` lines or a `{# … #}` block), config and test tags skipped."""
    lines, block = [], None
    for line in sql.splitlines():
        s = line.strip()
        if block is not None:
            if "#}" in s:
                block.append(s.split("#}")[0].rstrip("-").strip())
                return " ".join(block)
            block.append(s)
            continue
        if s.startswith("{#"):
            rest = s[2:].lstrip("-").strip()
            if "#}" in rest:
                return rest.split("#}")[0].rstrip("-").strip()
            block = [rest]
        elif s.startswith("--"):
            lines.append(s[2:].strip())
        elif lines:
            break
        elif s and not s.startswith("{%") and not s.startswith("{{"):
            break
    return " ".join(lines)


def describe_test(node: dict[str, Any], manifest: dict[str, Any]) -> str:
    """A dbt test in words: its description, else its SQL's first comment, else what a built-in test checks."""
    if node.get("description"):
        return _first_sentence(node["description"])
    meta = node.get("test_metadata") or {}
    kwargs = meta.get("kwargs") or {}
    attached = (node.get("attached_node") or "").split(".")[-1]
    column = node.get("column_name") or kwargs.get("column_name") or ""
    where = f"{attached}.{column}" if column else attached
    if not meta:  # a singular test: its own SQL
        said = _first_sentence(_leading_comment(node.get("raw_code") or ""))
        return said or node.get("name", "?").replace("_", " ")
    if meta.get("name") in _GENERIC_TEST_WORDS:
        return _GENERIC_TEST_WORDS[meta["name"]].format(column=column or "a column", model=attached)
    macro = manifest.get("macros", {}).get(f"macro.{meta.get('namespace') or node.get('package_name')}"
                                           f".test_{meta.get('name')}", {})
    said = _first_sentence(macro.get("description") or _leading_comment(
        re.sub(r"^\s*\{%-?\s*test\b.*?%\}", "", macro.get("macro_sql") or "", count=1, flags=re.S)))
    for name, value in kwargs.items():  # the test's own arguments in place of their names ([min_value, …])
        if name not in ("model", "column_name") and not isinstance(value, dict):
            shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            said = re.sub(rf"`?\b{re.escape(name)}\b`?", shown, said)
    return f"{said} ({where})" if said else f"{meta.get('name', '?').replace('_', ' ')} ({where})"


def latest_dbt_results(target_dir: Path = DBT_PROJECT_DIR / "target") -> dict[str, Any]:
    """Counts of dbt test statuses from the newest run_results.json under dbt/target (any invocation), and
    each test that did not pass, in words (from the manifest beside it, else dbt/target/manifest.json)."""
    files = sorted(target_dir.rglob("run_results.json"), key=lambda p: p.stat().st_mtime)
    if not files:
        return {"generated_at": None, "statuses": {}, "problems": []}
    doc = json.loads(files[-1].read_text(encoding="utf-8"))
    manifest: dict[str, Any] = {}
    for candidate in (files[-1].parent / "manifest.json", target_dir / "manifest.json"):
        if candidate.exists():
            manifest = json.loads(candidate.read_text(encoding="utf-8"))
            break
    statuses: dict[str, int] = {}
    problems = []
    for r in doc.get("results", []):
        uid = str(r.get("unique_id", ""))
        if not uid.startswith(("test.", "unit_test.")):
            continue
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
        if r["status"] not in ("pass", "success"):
            node = manifest.get("nodes", {}).get(uid) or manifest.get("unit_tests", {}).get(uid) or {}
            name = node.get("name") or uid.split(".")[-2 if uid.startswith("test.") and uid.count(".") > 2 else -1]
            problems.append({"test": name, "status": r["status"], "failures": r.get("failures"),
                             "words": describe_test(node, manifest) if node else name.replace("_", " "),
                             "message": r.get("message")})
    return {"generated_at": doc.get("metadata", {}).get("generated_at"), "statuses": statuses,
            "problems": problems}


def report_data(warehouse: Path) -> dict[str, Any]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        articles = _rows(con, """
            select article_id, title, outlet, url,
                   strftime(published_at at time zone 'Asia/Seoul', '%Y-%m-%d %H:%M') as published_at
            from marts.dim_articles order by published_at desc nulls last, url""")
        orgs = _rows(con, """
            select org_id, name, org_type, sido_code from marts.dim_organizations order by name, org_id""")
        budgets = _rows(con, """
            select b.article_id, strftime(a.published_at at time zone 'Asia/Seoul', '%Y-%m-%d') as date,
                   b.funding_source, b.amount_krw::double as krw, b.is_derived, b.program, b.recipient_org_id,
                   coalesce(p.sido_code, o.sido_code) as sido_code, p.name as project, b.evidence
            from marts.fct_budgets b
            join marts.dim_articles a using (article_id)
            left join marts.dim_organizations o on o.org_id = b.recipient_org_id
            left join marts.dim_projects p using (project_id)
            order by a.published_at desc nulls last, b.budget_id""")
        events = _rows(con, """
            select e.article_id, e.event_date::varchar as date, e.date_precision, e.event_type, e.date_text,
                   e.location, p.lead_org_id, p.sido_code, p.name as project, e.evidence
            from marts.fct_events e
            left join marts.dim_projects p using (project_id)
            order by e.event_date desc nulls last, e.event_id""")
        members = _rows(con, """
            select p.partnership_id, p.article_id,
                   strftime(a.published_at at time zone 'Asia/Seoul', '%Y-%m-%d') as date,
                   p.partnership_type, p.partnership_name, p.org_id, p.role, p.evidence,
                   pr.sido_code as project_sido, pr.name as project
            from marts.fct_partnerships p
            join marts.dim_articles a using (article_id)
            left join marts.dim_projects pr using (project_id)
            order by a.published_at desc nulls last, p.partnership_id,
                     case p.role when 'lead' then 0 when 'co_chair' then 1 else 2 end, p.org_id""")
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

    article_ix = {a["article_id"]: i for i, a in enumerate(articles)}
    org_ix = {o["org_id"]: i for i, o in enumerate(orgs)}
    evidence: list[str] = []
    evidence_ix: dict[str, int] = {}

    def ev(text: str | None) -> int:
        text = text or ""
        if text not in evidence_ix:
            evidence_ix[text] = len(evidence)
            evidence.append(text)
        return evidence_ix[text]

    projects: list[str] = []
    project_ix: dict[str, int] = {}

    def project(name: str | None) -> int:
        if not name:
            return -1
        if name not in project_ix:
            project_ix[name] = len(projects)
            projects.append(name)
        return project_ix[name]

    # one array per fact, positions FACT_FIELDS; the page spells them out on load (what, organisation names,
    # project names), so each name and sentence travels once: kind b/e/p; what = the programme (budget), the date
    # words and place (event) or the partnership's name; orgs = an organisation's index, -1 if none (for a
    # partnership -1: its members are in extra as [index] or [index, role] when the role is not 'member');
    # extra = [amount, is_derived] for a budget
    facts: list[list[Any]] = []
    for b in budgets:
        facts.append(["b", b["date"], "reported", [b["sido_code"]] if b["sido_code"] else [],
                      b["funding_source"], b["program"] or "", org_ix.get(b["recipient_org_id"], -1),
                      project(b["project"]), ev(b["evidence"]), article_ix.get(b["article_id"], -1),
                      [int(b["krw"]) if b["krw"] is not None else 0, int(bool(b["is_derived"]))]])
    for e in events:
        facts.append(["e", e["date"], e["date_precision"], [e["sido_code"]] if e["sido_code"] else [],
                      e["event_type"], " · ".join(x for x in (e["date_text"], e["location"]) if x),
                      org_ix.get(e["lead_org_id"], -1), project(e["project"]), ev(e["evidence"]),
                      article_ix.get(e["article_id"], -1), None])
    groups: dict[str, list[dict[str, Any]]] = {}
    for m in members:
        groups.setdefault(m["partnership_id"], []).append(m)
    for rows in groups.values():
        first = rows[0]
        known = [r for r in rows if r["org_id"] in org_ix]
        place = sorted({s for s in [first["project_sido"], *(orgs[org_ix[r["org_id"]]]["sido_code"] for r in known)]
                        if s})
        facts.append(["p", first["date"], "reported", place, first["partnership_type"],
                      first["partnership_name"] or "", -1, project(first["project"]), ev(first["evidence"]),
                      article_ix.get(first["article_id"], -1),
                      [[org_ix[r["org_id"]]] + ([r["role"]] if r["role"] != "member" else []) for r in known]])
    facts.sort(key=lambda f: f[1] or "", reverse=True)  # newest first; undated last
    names_of = sido_names()
    present = sorted({s for f in facts for s in f[3]})
    return {"facts": facts, "evidence": evidence, "projects": projects,
            "articles": [[a["published_at"], a["outlet"], a["title"], a["url"]] for a in articles],
            "orgs": [[o["name"], o["org_type"]] for o in orgs],
            "sido_names": {s: names_of.get(s, s) for s in present},
            "public_org_types": list(PUBLIC_ORG_TYPES),
            "sidos": sidos, "timelines": timelines,
            "fetches": fetches, "mismatches": mismatches, "counts": counts, "dbt": latest_dbt_results(),
            "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}


def _embed_json(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, default=str, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


_STYLE = """
body{font-family:'Noto Sans KR','NanumGothic','Malgun Gothic',sans-serif;margin:24px;color:#1f2933;background:#fff;max-width:1180px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #d9e2ec;padding-bottom:4px}
.kpis span{display:inline-block;margin-right:18px;font-size:14px}.kpis b{font-size:20px;display:block}
.filters{position:sticky;top:0;background:#f5f7fa;border:1px solid #d9e2ec;padding:8px 12px;z-index:2;font-size:13px}
.filters label{margin-right:14px}.filters input{width:280px}#f-status{color:#52606d}
table{border-collapse:collapse;font-size:13px}td,th{border-bottom:1px solid #e4e7eb;padding:4px 8px;text-align:left;vertical-align:top}
td.evidence{max-width:460px;color:#3e4c59}td.num{text-align:right;white-space:nowrap}td.date,td.sido{white-space:nowrap}
.pager{font-size:12px;margin:6px 0 2px}.pager button{margin:0 6px;font-size:12px}
.note{font-size:12px;color:#52606d;max-width:900px}
.legend span{display:inline-block;margin-right:12px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
svg text{font-size:11px;fill:#334e68}svg text.axis{fill:#7b8794}svg text.head{font-weight:bold;fill:#1f2933}
svg .edge{stroke:#9fb3c8;fill:none;stroke-opacity:.7}
"""

_SCRIPT = r"""
(function () {
  const t0 = performance.now();
  const data = JSON.parse(document.getElementById('report-data').textContent);
  // fact arrays: see FACT_FIELDS in pipelines/report.py
  const KIND = 0, DATE = 1, PREC = 2, SIDOS = 3, TYPE = 4, WHAT = 5, ORGS = 6, PROJECT = 7, EVID = 8, ART = 9, EXTRA = 10;
  const NS = 'http://www.w3.org/2000/svg';
  const PAGE = 25, TOP_RECIPIENTS = 15, TOP_PARTNERS = 15, MAX_MARKS = 400;
  const EVENT_TYPES = ['applied', 'selected', 'agreement_signed', 'demonstrated', 'launched', 'announced',
    'took_effect', 'planned'];
  const COLORS = {national:'#1f77b4', provincial:'#ff7f0e', municipal:'#2ca02c', local:'#9467bd',
    private:'#d62728', public:'#8c564b', agreement_signed:'#1f77b4', selected:'#2ca02c', applied:'#ff7f0e',
    launched:'#d62728', demonstrated:'#9467bd', announced:'#8c564b', planned:'#e377c2', took_effect:'#17becf',
    local_government:'#2ca02c', central_government:'#1f77b4', public_agency:'#ff7f0e', company:'#d62728',
    research_institute:'#9467bd', university:'#8c564b', association:'#17becf', other:'#7f7f7f'};
  const facts = data.facts, arts = data.articles, orgs = data.orgs;
  const PUBLIC = new Set(data.public_org_types);
  const KINDS = {b: 'budget', e: 'event', p: 'partnership'};
  const orgName = i => (i >= 0 && orgs[i] ? orgs[i][0] : '');
  facts.forEach(f => {  // spell the compact arrays out: kind, what, organisation and project names
    const k = f[KIND] = KINDS[f[KIND]] || f[KIND];
    f[PROJECT] = f[PROJECT] >= 0 ? data.projects[f[PROJECT]] : '';
    if (k === 'budget') { f[WHAT] = `${f[TYPE]} ${eok(f[EXTRA][0])}` + (f[WHAT] ? ' · ' + f[WHAT] : '')
      + (f[EXTRA][1] ? ' (derived)' : ''); f[ORGS] = orgName(f[ORGS]); }
    else if (k === 'partnership') { f[WHAT] = [f[TYPE], f[WHAT]].filter(Boolean).join(' · ');
      f[ORGS] = f[EXTRA].map(m => orgName(m[0]) + (m[1] ? ` (${m[1]})` : '')).join(' · ');
      f[EXTRA] = f[EXTRA].map(m => m[0]); }
    else { f[WHAT] = [f[TYPE], f[WHAT]].filter(Boolean).join(' · '); f[ORGS] = orgName(f[ORGS]); }
  });

  function el(tag, attrs, parent, text) {
    const e = document.createElementNS(NS, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function h(tag, text, cls) { const e = document.createElement(tag); if (text !== undefined) e.textContent = String(text);
    if (cls) e.className = cls; return e; }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function svg(id, w, hgt) { const box = document.getElementById(id); clear(box);
    const s = el('svg', {width: w, height: hgt, viewBox: `0 0 ${w} ${hgt}`, role: 'img'}); box.appendChild(s); return s; }
  function legend(id, keys) { const box = document.getElementById(id); clear(box);
    keys.forEach(k => { const s = document.createElement('span'); const i = document.createElement('i');
      i.style.background = COLORS[k] || '#999'; s.appendChild(i); s.appendChild(document.createTextNode(k)); box.appendChild(s); }); }
  function eok(krw) { const [i, d] = String(Math.round(krw / 1e7) / 10).split('.');  // 1억 = 1e8 won, one decimal
    return i.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (d ? '.' + d : '') + '억'; }
  function link(url, text) { const a = document.createElement('a');
    if (/^https?:\/\//i.test(url || '')) a.href = url; a.textContent = text || url || ''; return a; }
  function dateLabel(f) { const d = f[DATE]; if (!d) return '(undated)';
    if (f[PREC] === 'month') return d.slice(0, 7) + ' (month)';
    if (f[PREC] === 'year') return d.slice(0, 4) + ' (year)';
    if (f[PREC] === 'reported') return d + ' (reported)';
    return d; }
  function sidoLabel(codes) { return codes.map(c => data.sido_names[c] || c).join(', '); }
  function truncate(s, n) { return s.length > n ? s.slice(0, n - 1) + '…' : s; }

  // ---------- filters: 시도, year, search (all client-side) ----------
  const fSido = document.getElementById('f-sido'), fYear = document.getElementById('f-year');
  const fSearch = document.getElementById('f-search');
  function option(sel, value, text) { const o = document.createElement('option'); o.value = value; o.textContent = text; sel.appendChild(o); }
  option(fSido, '', 'all 시도');
  Object.keys(data.sido_names).sort().forEach(c => option(fSido, c, `${data.sido_names[c]} (${c})`));
  option(fSido, '-', '(place not known)');
  option(fYear, '', 'all years');
  [...new Set(facts.map(f => (f[DATE] || '').slice(0, 4)).filter(Boolean))].sort().reverse()
    .forEach(y => option(fYear, y, y));
  let hay = null;  // lower-cased search text per fact: article title, evidence, organisations, project, what
  function haystack() { if (!hay) hay = facts.map(f => [arts[f[ART]] ? arts[f[ART]][2] : '', data.evidence[f[EVID]],
    f[ORGS], f[PROJECT], f[WHAT]].join('\n').toLowerCase()); return hay; }
  function current() {
    const sido = fSido.value, year = fYear.value, q = fSearch.value.trim().toLowerCase();
    const H = q ? haystack() : null;
    const sel = [];
    for (let i = 0; i < facts.length; i++) { const f = facts[i];
      if (sido === '-' ? f[SIDOS].length : (sido && !f[SIDOS].includes(sido))) continue;
      if (year && (f[DATE] || '').slice(0, 4) !== year) continue;
      if (q && !H[i].includes(q)) continue;
      sel.push(f); }
    // articles: by publish year; by 시도 and search through their facts (or, for the search, their title)
    const factArts = new Set(sel.map(f => f[ART]));
    const artSel = [];
    for (let i = 0; i < arts.length; i++) { const a = arts[i];
      if (year && (a[0] || '').slice(0, 4) !== year) continue;
      const titleHit = q && (a[2] || '').toLowerCase().includes(q);
      if ((sido || q) && !factArts.has(i) && !titleHit) continue;
      if (sido && !factArts.has(i)) continue;
      artSel.push(i); }
    return {facts: sel, articles: artSel, filtered: Boolean(sido || year || q)};
  }

  // ---------- paginated tables ----------
  const pages = {};
  function table(id, rows, render) {
    const body = document.querySelector(`#${id} tbody`); clear(body);
    const n = rows.length, last = Math.max(0, Math.ceil(n / PAGE) - 1);
    const page = Math.min(pages[id] || 0, last); pages[id] = page;
    rows.slice(page * PAGE, page * PAGE + PAGE).forEach(r => body.appendChild(render(r)));
    const pager = document.getElementById(`${id}-pager`); clear(pager);
    pager.appendChild(document.createTextNode(n ? `rows ${(page * PAGE + 1).toLocaleString()}–${Math.min(n, page * PAGE + PAGE).toLocaleString()} of ${n.toLocaleString()}` : 'no rows'));
    const prev = h('button', '‹ previous'), next = h('button', 'next ›');
    prev.disabled = page === 0; next.disabled = page >= last;
    prev.onclick = () => { pages[id] = page - 1; table(id, rows, render); };
    next.onclick = () => { pages[id] = page + 1; table(id, rows, render); };
    pager.append(prev, next);
  }
  function tr(cells) { const r = document.createElement('tr');
    cells.forEach(c => { if (c instanceof Node) { const td = document.createElement('td'); td.appendChild(c); r.appendChild(td); }
      else if (Array.isArray(c)) r.appendChild(h('td', c[0] == null ? '' : c[0], c[1])); else r.appendChild(h('td', c == null ? '' : c)); });
    return r; }

  // ---------- 1. budget by recipient and funding source (stacked bars, top recipients) ----------
  function drawBudget(sel) {
    const byRec = {}; const sources = new Set();
    sel.forEach(f => { if (f[KIND] !== 'budget' || f[EXTRA][1] || f[TYPE] === 'total') return;
      const r = f[ORGS] || '(recipient not stated)';
      (byRec[r] = byRec[r] || {})[f[TYPE]] = (byRec[r][f[TYPE]] || 0) + f[EXTRA][0]; sources.add(f[TYPE]); });
    const tot = r => Object.values(byRec[r]).reduce((x, y) => x + y, 0);
    const all = Object.keys(byRec).sort((a, b) => tot(b) - tot(a));
    const recs = all.slice(0, TOP_RECIPIENTS);
    const maxTotal = Math.max(1, ...recs.map(tot));
    const bs = svg('budget-chart', 900, 24 * recs.length + 20);
    recs.forEach((r, i) => { let x = 210; el('text', {x: 0, y: 24 * i + 16}, bs, truncate(r, 24));
      [...sources].forEach(src => { const v = byRec[r][src] || 0; if (!v) return; const w = 560 * v / maxTotal;
        const rect = el('rect', {x: x, y: 24 * i + 4, width: Math.max(w, 1), height: 16, fill: COLORS[src] || '#999',
          'data-source': src}, bs); el('title', {}, rect, `${r} · ${src}: ${eok(v)}`); x += w; });
      el('text', {x: x + 4, y: 24 * i + 16}, bs, eok(tot(r))); });
    legend('budget-legend', [...sources]);
    document.getElementById('budget-note').textContent = all.length > recs.length
      ? `the ${recs.length} largest of ${all.length.toLocaleString()} recipients` : '';
  }

  // ---------- 2. events on a timeline: year/month ticks, one lane per event type ----------
  function addMonths(d, n) { return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1)); }
  function span(f) { const d = new Date(f[DATE] + 'T00:00:00Z');
    if (f[PREC] === 'year') return [d, new Date(Date.UTC(d.getUTCFullYear() + 1, 0, 1))];
    if (f[PREC] === 'month') return [d, addMonths(d, 1)];
    return [d, new Date(d.getTime() + 86400000)]; }
  function drawTimeline(sel) {
    const ev = sel.filter(f => f[KIND] === 'event' && f[DATE]);
    const note = document.getElementById('event-note');
    const W = 900, X0 = 130, X1 = 880, TOP = 26;
    const types = EVENT_TYPES.filter(t => ev.some(f => f[TYPE] === t))
      .concat([...new Set(ev.map(f => f[TYPE]))].filter(t => !EVENT_TYPES.includes(t)));
    const es = svg('event-chart', W, TOP + 24 * Math.max(types.length, 1) + 34);
    legend('event-legend', types);
    if (!ev.length) { el('text', {x: X0, y: TOP + 14}, es, 'no dated events for these filters'); note.textContent = ''; return; }
    const spans = ev.map(span);
    const lo = new Date(Date.UTC(Math.min(...spans.map(s => s[0].getUTCFullYear())), 0, 1));
    const hi = new Date(Date.UTC(Math.max(...spans.map(s => s[1].getTime() - 1).map(t => new Date(t).getUTCFullYear())) + 1, 0, 1));
    const x = d => X0 + (X1 - X0) * (d.getTime() - lo.getTime()) / (hi.getTime() - lo.getTime());
    const yBottom = TOP + 24 * types.length;
    const months = (hi.getUTCFullYear() - lo.getUTCFullYear()) * 12, pxMonth = (X1 - X0) / months;
    for (let m = 0; m <= months; m++) { const d = addMonths(lo, m), xx = x(d), isYear = d.getUTCMonth() === 0;
      if (!isYear && pxMonth < 4 && d.getUTCMonth() % 3) continue;
      el('line', {x1: xx, x2: xx, y1: isYear ? TOP - 8 : yBottom, y2: yBottom + (isYear ? 10 : 4),
        stroke: isYear ? '#9fb3c8' : '#cbd2d9', class: isYear ? 'tick-year' : 'tick-month'}, es);
      if (isYear && m < months) el('text', {x: xx + 3, y: yBottom + 24, class: 'axis tick-label'}, es, String(d.getUTCFullYear()));
      else if (!isYear && pxMonth >= 18) el('text', {x: xx + 2, y: yBottom + 13, class: 'axis'}, es, String(d.getUTCMonth() + 1).padStart(2, '0'));
    }
    el('line', {x1: X0, x2: X1, y1: yBottom, y2: yBottom, stroke: '#9fb3c8'}, es);
    types.forEach((t, i) => { el('text', {x: 0, y: TOP + 24 * i + 15}, es, t);
      el('line', {x1: X0, x2: X1, y1: TOP + 24 * i + 11, y2: TOP + 24 * i + 11, stroke: '#f0f4f8'}, es); });
    const lane = t => TOP + 24 * types.indexOf(t) + 11;
    if (ev.length <= MAX_MARKS) {
      note.textContent = `${ev.length.toLocaleString()} dated events. A day is a dot, a month a short bar, a year a long pale bar; hover for the event, its organisation or project and the article.`;
      const seen = {};
      ev.forEach((f, i) => { const [a, b] = spans[i]; const key = f[TYPE] + Math.round(x(a) / 4);
        const k = seen[key] = (seen[key] || 0) + 1; const y = lane(f[TYPE]) + ((k - 1) % 3 - 1) * 4;
        const who = [f[ORGS], f[PROJECT]].filter(Boolean).join(' / ');
        const label = `${dateLabel(f)} · ${f[TYPE]}${who ? ' · ' + who : ''} — ${arts[f[ART]] ? arts[f[ART]][2] : ''}`;
        const attrs = {fill: COLORS[f[TYPE]] || '#999', 'data-type': f[TYPE], 'data-precision': f[PREC], class: 'event'};
        let mark;
        if (f[PREC] === 'day') mark = el('circle', Object.assign({cx: (x(a) + x(b)) / 2, cy: y, r: 4.5}, attrs), es);
        else mark = el('rect', Object.assign({x: x(a), y: y - 4, width: Math.max(4, x(b) - x(a)), height: 8, rx: 2,
          'fill-opacity': f[PREC] === 'year' ? 0.35 : 0.8}, attrs), es);
        el('title', {}, mark, label); });
    } else {
      const buckets = {};
      ev.forEach((f, i) => { const k = f[TYPE] + '|' + f[DATE].slice(0, 7); (buckets[k] = buckets[k] || []).push(f); });
      const maxN = Math.max(...Object.values(buckets).map(b => b.length));
      note.textContent = `${ev.length.toLocaleString()} dated events, too many to draw one by one: each circle is a month of one event type, its area the number of events (hover for the count; narrow the filters or search to see single events).`;
      Object.entries(buckets).forEach(([k, list]) => { const [t, ym] = k.split('|'); const d = new Date(ym + '-01T00:00:00Z');
        const c = el('circle', {cx: (x(d) + x(addMonths(d, 1))) / 2, cy: lane(t), r: 2 + 8 * Math.sqrt(list.length / maxN),
          fill: COLORS[t] || '#999', 'fill-opacity': 0.75, 'data-type': t, class: 'event-bucket'}, es);
        const prec = {}; list.forEach(f => prec[f[PREC]] = (prec[f[PREC]] || 0) + 1);
        el('title', {}, c, `${ym} · ${t}: ${list.length} events (` + Object.entries(prec).map(([p, n]) => `${n} by ${p}`).join(', ') + ')'); });
    }
  }

  // ---------- 3. partners: public bodies left, companies and others right, the best connected ----------
  function partnerStats(sel) {  // deg: org → partnerships; adj: org → (partner → partnerships together)
    const deg = new Map(), adj = new Map();
    sel.forEach(f => { if (f[KIND] !== 'partnership') return; const m = [...new Set(f[EXTRA])];
      m.forEach(o => { deg.set(o, (deg.get(o) || 0) + 1); if (!adj.has(o)) adj.set(o, new Map()); });
      for (let i = 0; i < m.length; i++) for (let j = 0; j < m.length; j++) if (i !== j) {
        const a = adj.get(m[i]); a.set(m[j], (a.get(m[j]) || 0) + 1); } });
    return {deg, adj};
  }
  function drawNetwork(sel) {
    const {deg, adj} = partnerStats(sel); const together = (a, b) => adj.get(a).get(b) || 0;
    const byDeg = (a, b) => deg.get(b) - deg.get(a) || orgs[a][0].localeCompare(orgs[b][0]);
    const all = [...deg.keys()];
    let left = all.filter(o => PUBLIC.has(orgs[o][1])).sort(byDeg).slice(0, TOP_PARTNERS);
    let right = all.filter(o => !PUBLIC.has(orgs[o][1])).sort(byDeg).slice(0, TOP_PARTNERS);
    // order the right side by where its partners sit on the left (fewer crossings)
    const lpos = new Map(left.map((o, i) => [o, i]));
    const bary = o => { let s = 0, n = 0; left.forEach(l => { const w = together(l, o); s += w * lpos.get(l); n += w; });
      return n ? s / n : left.length + 1; };
    const rb = new Map(right.map(o => [o, bary(o)])); right = right.sort((a, b) => rb.get(a) - rb.get(b) || byDeg(a, b));
    const n = Math.max(left.length, right.length, 1), H = 50 + 26 * n;
    const ns = svg('network-chart', 900, H), XL = 300, XR = 600;
    const yl = i => 50 + 26 * i + (n - left.length) * 13, yr = i => 50 + 26 * i + (n - right.length) * 13;
    el('text', {x: XL, y: 20, 'text-anchor': 'end', class: 'head'}, ns, 'public bodies (government, agencies)');
    el('text', {x: XR, y: 20, class: 'head'}, ns, 'companies, institutes, universities, others');
    left.forEach((l, i) => right.forEach((r, j) => { const w = together(l, r); if (!w) return;
      const p = el('path', {d: `M${XL},${yl(i)} C${(XL + XR) / 2},${yl(i)} ${(XL + XR) / 2},${yr(j)} ${XR},${yr(j)}`,
        class: 'edge', 'stroke-width': 1 + Math.log2(w)}, ns);
      el('title', {}, p, `${orgs[l][0]} — ${orgs[r][0]}: ${w} partnership${w > 1 ? 's' : ''}`); }));
    function node(o, xx, yy, anchorEnd) { const d = deg.get(o);
      const c = el('circle', {cx: xx, cy: yy, r: Math.min(12, 4 + 1.5 * Math.sqrt(d)), fill: COLORS[orgs[o][1]] || '#999',
        class: 'node', 'data-side': anchorEnd ? 'public' : 'other'}, ns);
      el('title', {}, c, `${orgs[o][0]} (${orgs[o][1]}): ${d} partnership${d > 1 ? 's' : ''}`);
      el('text', {x: anchorEnd ? xx - 16 : xx + 16, y: yy + 4, 'text-anchor': anchorEnd ? 'end' : 'start'}, ns,
        `${truncate(orgs[o][0], 22)} · ${d}`); }
    left.forEach((o, i) => node(o, XL, yl(i), true)); right.forEach((o, i) => node(o, XR, yr(i), false));
    legend('network-legend', [...new Set([...left, ...right].map(o => orgs[o][1]))]);
    document.getElementById('network-note').textContent = all.length
      ? `${all.length.toLocaleString()} organisations in ${sel.filter(f => f[KIND] === 'partnership').length.toLocaleString()} partnerships; drawn: the ${left.length} public bodies and ${right.length} others with the most partnerships (the number after a name), a line where they partnered (thicker: more often). Every organisation is in the table below.`
      : 'no partnerships for these filters';
    const rows = all.sort(byDeg).map(o => { const partners = [...adj.get(o)];
      partners.sort((p, q) => q[1] - p[1] || orgs[p[0]][0].localeCompare(orgs[q[0]][0]));
      return [o, partners]; });
    table('partners', rows, ([o, partners]) => tr([orgs[o][0], orgs[o][1], PUBLIC.has(orgs[o][1]) ? 'public' : 'other',
      [deg.get(o), 'num'], partners.slice(0, 5).map(([p, w]) => `${orgs[p][0]} (${w})`).join(', ')
        + (partners.length > 5 ? ` … +${partners.length - 5}` : '')]));
  }

  // ---------- 4. facts with their evidence ----------
  function drawFacts(sel) {
    table('facts', sel, f => { const a = arts[f[ART]] || [];
      return tr([f[KIND], [dateLabel(f), 'date'], [sidoLabel(f[SIDOS]), 'sido'], f[WHAT], [f[ORGS] || '', 'orgs'],
        f[PROJECT], [data.evidence[f[EVID]], 'evidence'], link(a[3], a[2])]); });
  }
  // ---------- 5. articles ----------
  function drawArticles(idx) {
    table('articles', idx, i => { const a = arts[i]; return tr([[a[0] || '(no date)', 'date'], a[1] || '', link(a[3], a[2] || a[3])]); });
  }

  function update() {
    const c = current();
    drawBudget(c.facts); drawTimeline(c.facts); drawNetwork(c.facts); drawFacts(c.facts); drawArticles(c.articles);
    document.getElementById('f-status').textContent = c.filtered
      ? `${c.facts.length.toLocaleString()} of ${facts.length.toLocaleString()} facts, ${c.articles.length.toLocaleString()} of ${arts.length.toLocaleString()} articles`
      : `${facts.length.toLocaleString()} facts, ${arts.length.toLocaleString()} articles`;
  }
  function reset() { Object.keys(pages).forEach(k => pages[k] = 0); update(); }
  // the filters live in the address (#sido=11&year=2025&q=…): a filtered view can be bookmarked or sent
  function toHash() { const p = new URLSearchParams();
    if (fSido.value) p.set('sido', fSido.value); if (fYear.value) p.set('year', fYear.value);
    if (fSearch.value.trim()) p.set('q', fSearch.value.trim());
    try { history.replaceState(null, '', '#' + p.toString()); } catch (e) { /* some file:// settings refuse */ } }
  function fromHash() { const p = new URLSearchParams(location.hash.slice(1));
    if ([...fSido.options].some(o => o.value === p.get('sido'))) fSido.value = p.get('sido');
    if ([...fYear.options].some(o => o.value === p.get('year'))) fYear.value = p.get('year');
    fSearch.value = p.get('q') || ''; }
  let timer = null;
  fSido.onchange = () => { toHash(); reset(); }; fYear.onchange = () => { toHash(); reset(); };
  fSearch.oninput = () => { clearTimeout(timer); timer = setTimeout(() => { toHash(); reset(); }, 200); };
  window.addEventListener('hashchange', () => { fromHash(); reset(); });

  // ---------- static sections: national money per 시도, project timelines, data quality ----------
  const sb = document.querySelector('#sidos tbody');
  data.sidos.forEach(r => sb.appendChild(tr([r.sido_code, r.sido_name, [r.once == null ? '' : eok(r.once), 'num'],
    [eok(r.per_article), 'num'], [r.n_projects, 'num'], [r.n_articles, 'num']])));
  const pb = document.querySelector('#timelines tbody');
  data.timelines.forEach(r => pb.appendChild(tr([r.project_name, r.step_no, [r.happened_on || '(undated)', 'date'],
    r.entry_type, r.what || '', [r.krw == null ? '' : eok(r.krw), 'num'], r.n_articles, link(r.url, r.title || r.url)])));
  const q = document.getElementById('quality'); const ul = document.createElement('ul');
  function li(t) { ul.appendChild(h('li', t)); }
  data.fetches.forEach(f => li(`fetch · ${f.source_name}: ${f.outcome} × ${f.n}`));
  Object.entries(data.dbt.statuses).forEach(([s, n]) => li(`dbt checks: ${n} ${s}`));
  data.dbt.problems.forEach(p => { const rows = p.failures == null ? '' : `: ${p.failures} row${p.failures === 1 ? '' : 's'}`;
    const x = h('li', `dbt ${p.status} — ${p.words}${rows} `); x.appendChild(h('code', p.test)); ul.appendChild(x); });
  data.mismatches.forEach(m => li(`total ≠ parts: ${m.program || '(programme not stated)'} — stated ${eok(m.stated)}, parts ${eok(m.parts)}`));
  q.appendChild(ul);
  fromHash();
  const t1 = performance.now(); update();
  document.body.setAttribute('data-load-ms', String(Math.round(t0)));  // navigation start → this script runs
  document.body.setAttribute('data-parse-ms', String(Math.round(t1 - t0)));
  document.body.setAttribute('data-draw-ms', String(Math.round(performance.now() - t1)));
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
<div class="filters" id="filters"><label>시도 <select id="f-sido"></select></label>
<label>year <select id="f-year"></select></label>
<label>search <input id="f-search" type="search" placeholder="title, evidence sentence or organisation"></label>
<span id="f-status"></span>
<div class="note">The filters apply to the budget bars, the timeline, the partners and the facts and articles tables.
A fact's 시도 is its project's, else its recipient's (budgets) or its members' (partnerships); its year is the
event's date, else the article's publish date.</div></div>
<h2>Budget by recipient and funding source</h2><div id="budget-legend" class="legend"></div><div id="budget-chart"></div><p id="budget-note" class="note"></p>
<h2>Events on a timeline</h2><p id="event-note" class="note"></p><div id="event-legend" class="legend"></div><div id="event-chart"></div>
<h2>Partners</h2><p id="network-note" class="note"></p><div id="network-legend" class="legend"></div><div id="network-chart"></div>
<table id="partners"><thead><tr><th>organisation</th><th>type</th><th>side</th><th>partnerships</th><th>partnered most with (times)</th></tr></thead><tbody></tbody></table>
<div class="pager" id="partners-pager"></div>
<h2>Facts with their evidence</h2>
<table id="facts"><thead><tr><th>fact</th><th>date</th><th>시도</th><th>what</th><th>organisations</th><th>project</th><th>evidence sentence</th><th>article</th></tr></thead><tbody></tbody></table>
<div class="pager" id="facts-pager"></div>
<h2>National money (국비) per 시도</h2>
<p>Counted once per project fact (a reprinted press release or a follow-up story does not count again; where
articles disagree, the amount more articles state) next to the naive sum of every article's statement. Place =
the project's 시도 (행정표준코드). No map: no boundaries package is part of the project's dependencies.</p>
<table id="sidos"><thead><tr><th>code</th><th>시도</th><th>counted once</th><th>sum of articles</th><th>projects</th><th>articles</th></tr></thead><tbody></tbody></table>
<h2>Project timelines</h2>
<table id="timelines"><thead><tr><th>project</th><th>#</th><th>date</th><th>entry</th><th>what</th><th>amount</th><th>articles</th><th>first reported by</th></tr></thead><tbody></tbody></table>
<h2>Articles</h2><table id="articles"><thead><tr><th>published</th><th>outlet</th><th>title</th></tr></thead><tbody></tbody></table>
<div class="pager" id="articles-pager"></div>
<h2>Data quality of the last run</h2><div id="quality"></div>
<script type="application/json" id="report-data">{_embed_json(data)}</script>
<script>{_SCRIPT}</script>
</body></html>
"""


def write_report(warehouse: Path, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_report(report_data(warehouse)), encoding="utf-8")
    return out
