"""Report at scale (issue 16): the static report over a synthetic warehouse of N articles, rendered in Chromium.

    python -m bench.report_scale                  # 10,000 articles (REPORT_BENCH_ARTICLES=…, REPORT_BENCH_SEED=…)

The warehouse holds only what pipelines/report.py reads (the marts it queries, with the contract's columns, and
intermediate.int_budget_lists_checked), filled by DuckDB SQL in a second or two. Per article, about as the demo
corpus and the scale corpus give: 3 budget amounts from one sentence, 2–3 dated events (day 60 %, month 25 %,
year 10 %, undated 5 %) from their own sentences, one partnership of 2–6 members in every second article;
3,000 organisations whose partnership counts fall off like a power law; 2,000 projects in the 17 시도;
publish dates over three years. Korean-looking sentences of ~60–110 characters.

Measured: the HTML's size, the Python side (report_data + render), and Chromium: the wall time of a headless
screenshot (browser start-up, load, draw and paint: what a reader waits for) and of a --dump-dom (which also
serialises the whole DOM, the embedded JSON included, through a pipe: slower than what a reader sees), the
page's own times (data-load-ms: navigation start until the script runs, i.e. reading and parsing the HTML;
data-parse-ms: JSON.parse and the static sections; data-draw-ms: filters, pictures and table pages), the
same with a 시도 + year + search filter in the address, and the elements in the DOM.
Benchmarks report; nothing here fails on a missed target (tests/test_report.py asserts the bounds).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

SIDO_CODES = ["11", "26", "27", "28", "29", "30", "31", "36", "41", "43", "44", "46", "47", "48", "50", "51", "52"]


def build_synthetic_warehouse(path: Path, n_articles: int, seed: int = 16) -> Path:
    """A DuckDB file with the marts the report reads, n_articles articles and their facts (deterministic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    sidos = ", ".join(f"'{c}'" for c in SIDO_CODES)
    try:
        con.execute(f"select setseed({(seed % 1000) / 1000})")
        con.execute("create schema marts; create schema intermediate")
        con.execute(f"""
        create macro pick(list, i) as list[1 + (abs(hash(i)) % len(list))::int];
        create macro rnd(i, salt) as (abs(hash(i || salt || {seed})) % 1000000) / 1000000.0;
        create table marts.dim_organizations as
        select 'o' || i as org_id,
               case when t < 0.30 then pick(['가람','누리','다온','바른','새빛','한울','소망','푸른'], i) || i || '시'
                    when t < 0.35 then pick(['과학기술정보통신부','국토교통부','행정안전부','산업통상자원부'], i) || ' ' || i || '국'
                    when t < 0.50 then pick(['스마트시티','정보통신','디지털','국토'], i) || '진흥원 ' || i
                    when t < 0.85 then pick(['네오','에이아이','모빌','클라우','데이터','로보'], i) || pick(['테크','솔루션','시스템즈','랩스'], i || 'x') || i
                    when t < 0.90 then '한국' || pick(['전자','건설','교통','에너지'], i) || '연구원 ' || i
                    when t < 0.95 then pick(['한빛','미래','국립'], i) || '대학교 ' || i
                    else '스마트도시 협회 ' || i end as name,
               case when t < 0.30 then 'local_government' when t < 0.35 then 'central_government'
                    when t < 0.50 then 'public_agency' when t < 0.85 then 'company'
                    when t < 0.90 then 'research_institute' when t < 0.95 then 'university' else 'association' end
                   as org_type,
               [] :: varchar[] as aliases,
               case when t < 0.30 or t >= 0.35 and t < 0.50 then pick([{sidos}], i) end as sido_code,
               null :: varchar as sigungu_code
        from (select i, rnd(i, 'type') as t from range(3000) r(i));
        create table marts.dim_projects as
        select 'p' || i as project_id,
               pick(['거점형','강소형','데이터허브','자율주행','디지털트윈','스마트빌리지'], i) || ' 스마트도시 사업 ' || i as name,
               'o' || (i * 7 % 900) as lead_org_id, pick([{sidos}], i || 'p') as sido_code,
               null :: varchar as sigungu_code, 1 + (i % 9) :: integer as n_articles,
               timestamptz '2024-01-01 09:00:00+09' + to_days((i % 1000)::integer) as first_reported_at
        from range(2000) r(i);
        create table marts.dim_articles as
        select 'a' || i as article_id, 'https://news.example/article/' || i as url,
               pick(['뉴스스텝','동아경제','스마트시티신문','디지털타임스','지역일보'], i) as outlet,
               pick(['가람시','누리시','다온시','새빛시'], i) || ' ' ||
               pick(['스마트도시 조성사업 공모 선정','데이터 플랫폼 구축 협약 체결','자율주행 실증 착수',
                     '디지털트윈 센터 개소','AI 교통 서비스 출범'], i || 't') || ' … 국비 ' || (10 + i % 290) || '억 원 (' || i || ')' as title,
               timestamptz '2024-01-01 09:00:00+09' + to_days(((i * 1093) % 1096)::integer)
                   + to_minutes((i % 600)::integer) as published_at,
               '본문' as body, timestamptz '2026-12-01 00:00:00+09' as fetched_at
        from range({n_articles}) r(i);
        create table marts.fct_budgets as
        select md5(a.article_id || s.src) as budget_id, a.article_id,
               case when rnd(a.article_id, 'prog') < 0.7 then p.name end as program,
               'o' || (abs(hash(a.article_id || 'rec')) % 900) as recipient_org_id, s.src as funding_source,
               ((1 + abs(hash(a.article_id || s.src)) % 500) * 100000000) :: hugeint as amount_krw,
               null :: decimal(5, 2) as share_pct, null :: integer as period_start_year, null :: integer as period_end_year,
               p.name || '은 국비 ' || (1 + abs(hash(a.article_id)) % 300) || '억 원과 지방비, 민간투자를 더해 총 '
                   || (100 + abs(hash(a.article_id)) % 900) || '억 원 규모로 ' || year(a.published_at) || '년까지 추진된다고 '
                   || a.article_id || '에서 밝혔다.' as evidence,
               false as is_derived, s.src = 'total' as is_list_total, 1 as list_no, '국비' as cue,
               1 as mention_count, p.project_id
        from marts.dim_articles a
        join marts.dim_projects p on p.project_id = 'p' || (abs(hash(a.article_id)) % 2000)
        cross join (values ('national'), ('municipal'), ('total')) s(src);
        create table marts.fct_events as
        with e as (
            select a.article_id, a.published_at, k, rnd(a.article_id || k, 'prec') as pr,
                   pick(['agreement_signed','selected','applied','launched','demonstrated','announced','planned','took_effect'],
                        a.article_id || k) as event_type
            from marts.dim_articles a cross join range(3) r(k)
            where k < 2 or rnd(a.article_id, 'third') < 0.5)
        select md5(article_id || k) as event_id, article_id, event_type,
               case when pr < 0.60 then (published_at - to_days((abs(hash(article_id || k)) % 40)::integer))::date
                    when pr < 0.85 then date_trunc('month', published_at - to_days((abs(hash(article_id || k)) % 200)::integer))::date
                    when pr < 0.95 then date_trunc('year', published_at + to_days(400 * (k % 2)))::date end as event_date,
               case when pr < 0.60 then 'day' when pr < 0.85 then 'month' when pr < 0.95 then 'year' else 'unknown' end
                   as date_precision,
               case when pr < 0.60 then '지난 ' || (1 + k) || '일' when pr < 0.85 then '지난해 6월' when pr < 0.95 then '2027년' end
                   as date_text,
               null :: varchar as location,
               '시는 ' || (1 + k) || '일 시청에서 관계 기관과 ' || event_type || ' 관련 행사를 열고 스마트도시 서비스를 시민에게 '
                   || '선보였다고 ' || article_id || ' 기사에서 전했다.' as evidence,
               '체결' as trigger, 'p' || (abs(hash(article_id || 'ev' || k)) % 2000) as project_id
        from e;
        create table marts.fct_partnerships as
        with parts as (
            select a.article_id, 2 + abs(hash(a.article_id || 'n')) % 5 as n_members
            from marts.dim_articles a where rnd(a.article_id, 'partner') < 0.5)
        select md5(p.article_id || 'pt') as partnership_id, p.article_id,
               pick(['agreement','consortium','alliance','joint_venture'], p.article_id) as partnership_type,
               case when rnd(p.article_id, 'pname') < 0.3 then '스마트시티 융합 얼라이언스 ' || (abs(hash(p.article_id)) % 50) end
                   as partnership_name,
               'o' || floor(3000 * pow(rnd(p.article_id || m, 'member'), 2.5)) :: integer as org_id,
               case when m = 0 then 'lead' else 'member' end as role,
               '시는 ' || p.n_members || '개 기관과 스마트도시 데이터 공유와 서비스 실증을 위한 업무협약을 체결했다고 '
                   || p.article_id || '에서 밝혔다.' as evidence,
               'p' || (abs(hash(p.article_id)) % 2000) as project_id
        from parts p cross join range(6) r(m) where m < p.n_members
        qualify row_number() over (partition by partnership_id, org_id order by m) = 1;
        create table marts.fct_fetches as
        select md5(url) as fetch_id, 'bench-run' as run_id, 'synthetic' as source_name, url, url as final_url,
               fetched_at, 200 as http_status, 'ok' as outcome, 1 as attempts, null :: varchar as error, article_id
        from marts.dim_articles;
        create table intermediate.int_budget_lists_checked as
        select program, (amount_krw * 3) :: hugeint as stated_total_krw, (amount_krw * 2) :: hugeint as parts_sum_krw,
               true as is_total_mismatch
        from marts.fct_budgets where funding_source = 'total' limit 5;
        create table marts.sido_budget_summary as
        select p.sido_code, p.sido_code as sido_name, b.funding_source, sum(b.amount_krw) as amount_krw_once,
               sum(b.amount_krw) as amount_krw_per_article, count(distinct p.project_id) :: integer as n_projects,
               count(distinct b.article_id) :: integer as n_articles
        from marts.fct_budgets b join marts.dim_projects p using (project_id) group by all;
        create table marts.fct_project_timeline as
        select e.project_id, p.name as project_name,
               row_number() over (partition by e.project_id order by e.event_date nulls last, e.event_id) :: integer as step_no,
               e.event_date as happened_on, 'event' as entry_type, e.event_type, null :: varchar as funding_source,
               null :: hugeint as amount_krw, 1 as n_articles, e.article_id
        from marts.fct_events e join marts.dim_projects p using (project_id);
        """)
    finally:
        con.close()
    return path


def dump_dom(chromium: str, url: str, profile: Path) -> tuple[float, str]:
    from tests.support.chromium import run_chromium

    t = time.perf_counter()
    proc = run_chromium(chromium, url, profile, "--dump-dom", "--virtual-time-budget=30000")
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    return wall, proc.stdout


def page_numbers(dom: str) -> dict[str, int | None]:
    def attr(name: str) -> int | None:
        m = re.search(rf'{name}="(\d+)"', dom)
        return int(m.group(1)) if m else None
    return {"load_ms": attr("data-load-ms"), "parse_ms": attr("data-parse-ms"), "draw_ms": attr("data-draw-ms"),
            "dom_elements": len(re.findall(r"<[a-zA-Z]", dom)),
            "fact_rows": len(re.findall(r"<tr><td", dom.split('id="facts"', 1)[-1].split("</table>", 1)[0]))}


def measure(n_articles: int, workdir: Path, seed: int = 16) -> dict:
    from pipelines.report import render_report, report_data
    from tests.support.chromium import ensure_chromium

    t = time.perf_counter()
    warehouse = build_synthetic_warehouse(workdir / "news.duckdb", n_articles, seed)
    out: dict = {"articles": n_articles, "build_s": round(time.perf_counter() - t, 2)}
    con = duckdb.connect(str(warehouse), read_only=True)
    for table in ("fct_budgets", "fct_events", "dim_organizations"):
        out[table] = con.execute(f"select count(*) from marts.{table}").fetchone()[0]
    out["partnerships"] = con.execute("select count(distinct partnership_id) from marts.fct_partnerships").fetchone()[0]
    con.close()
    t = time.perf_counter()
    data = report_data(warehouse)
    out["report_data_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    page = render_report(data)
    out["render_s"] = round(time.perf_counter() - t, 2)
    report = workdir / "index.html"
    report.write_text(page, encoding="utf-8")
    out["html_bytes"] = report.stat().st_size
    out["facts"] = len(data["facts"])
    out["evidence_sentences"] = len(data["evidence"])
    chromium = ensure_chromium()
    if chromium is None:
        out["chromium"] = "not available"
        return out
    wall, dom = dump_dom(chromium, report.as_uri(), workdir / "profile")
    out.update({"chromium_wall_s": round(wall, 2), **{f"page_{k}": v for k, v in page_numbers(dom).items()}})
    from tests.support.chromium import run_chromium

    t = time.perf_counter()  # load, draw and paint a screenful, as a reader waits for it (browser start-up included)
    run_chromium(chromium, report.as_uri(), workdir / "profile-shot", f"--screenshot={workdir / 'shot.png'}",
                 "--window-size=1200,1800")
    out["chromium_screenshot_wall_s"] = round(time.perf_counter() - t, 2)
    wall, dom = dump_dom(chromium, report.as_uri() + "#sido=11&year=2025&q=%ED%98%91%EC%95%BD", workdir / "profile2")
    out.update({"filtered_chromium_wall_s": round(wall, 2),
                **{f"filtered_page_{k}": v for k, v in page_numbers(dom).items()}})
    status = re.search(r'<span id="f-status">([^<]*)</span>', dom)
    out["filtered_status"] = status.group(1) if status else None
    return out


def main() -> None:
    n = int(os.environ.get("REPORT_BENCH_ARTICLES", "10000"))
    seed = int(os.environ.get("REPORT_BENCH_SEED", "16"))
    work = Path(tempfile.mkdtemp(prefix="report-bench-"))
    try:
        result = measure(n, work, seed)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
