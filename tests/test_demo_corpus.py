"""The bundled demo corpus (demo/pages/*.html + demo/gold.json) is internally valid.

No pipeline is run here. These tests check that the corpus says what its gold file claims:
every page parses, declares its canonical URL / outlet / title suffix, is encoded as it says
(the legacy page really is cp949), carries 1,200-3,000 characters of article text, and every gold
sentence, boilerplate string, budget, event and partnership is really stated on the page, in the
article or outside it as the gold says. The CSS selectors below locate each page's article body
for these checks only; the product must not use them.
"""
from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from functools import lru_cache
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from pipelines.sources.config import load_sources
from tests.support.paths import DEMO_DIR, SEED_GOLD, needs_shared

PAGES = DEMO_DIR / "pages"
GOLD = DEMO_DIR / "gold.json"
FICTION_LINE = "※ 이 기사는 kr-smartcity-news 데모용으로 작성된 가상 기사입니다."

BODY_SELECTORS = {
    "demo-001": "#article-view-content-div",
    "demo-002": "div.td-post-content",
    "demo-003": "article#dic_area",
    "demo-004": "td.bbs_content",
    "demo-005": "div.article-body",
    "demo-006": "td#articleBody",
    "demo-007": "div#news_content",
    "demo-008": "#article-view-content-div",
    "demo-009": "div.entry-content",
    "demo-010": "section.news_body",
    "demo-011": "div.article__body",
    "demo-012": "div.story-news",
}
EVENT_TYPES = {"agreement_signed", "selected", "applied", "launched", "demonstrated", "announced", "planned", "took_effect"}
FUNDING_WORDS = {
    "national": ("국비",), "provincial": ("도비",), "municipal": ("시비", "군비", "구비"), "local": ("지방비",),
    "private": ("민간", "민자"), "public": ("공공",), "total": ("총", "모두", "합쳐", "합친", "규모"),
}
PARTNERSHIP_TYPES = {"agreement", "consortium", "alliance", "joint_venture"}
ROLES = {"lead", "member", "co_chair", "auditor", "supporter"}
_UNIT = {None: 1, "조": 10**12, "억": 10**8, "만": 10**4}
_SUB = {None: 1, "천": 1000, "백": 100}


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def norm(text: str) -> str:
    """What shared/eval/score.py compares: NFKC, whitespace collapsed ('…' becomes '...', 'ⓒ' becomes 'c')."""
    return squash(unicodedata.normalize("NFKC", text))


def won(amount_text: str) -> int:
    """'1조2천억원' -> 1200000000000, '6억 7,500만 원' -> 675000000 (test-side reader of the gold's amount_text)."""
    total = 0
    for m in re.finditer(r"(\d[\d,]*)\s*(천|백)?\s*(조|억|만)?", amount_text):
        total += int(m[1].replace(",", "")) * _SUB[m[2]] * _UNIT[m[3]]
    return total


@lru_cache(maxsize=None)
def gold() -> dict[str, dict]:
    doc = json.loads(GOLD.read_text(encoding="utf-8"))
    return {a["url_key"]: a for a in doc["articles"]}


def declared_charset(raw: bytes) -> str:
    m = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", raw[:2048])
    return m[1].decode("ascii").lower() if m else "utf-8"


@lru_cache(maxsize=None)
def page(key: str) -> LexborHTMLParser:
    raw = (PAGES / f"{key}.html").read_bytes()
    codec = "cp949" if declared_charset(raw) in ("euc-kr", "cp949", "ks_c_5601-1987") else "utf-8"
    return LexborHTMLParser(raw.decode(codec))


def page_text(key: str) -> str:
    return norm(page(key).body.text(separator=" "))


def body_text(key: str) -> str:
    node = page(key).css_first(BODY_SELECTORS[key])
    assert node is not None, f"{key}: no article body at {BODY_SELECTORS[key]}"
    return norm(node.text(separator=" "))


def test_every_page_has_a_gold_entry_and_vice_versa():
    files = {p.stem for p in PAGES.glob("*.html")}
    assert files == set(gold()) == set(BODY_SELECTORS)
    assert len(files) == 12


def test_pages_declare_canonical_url_outlet_and_suffixed_title():
    for key, g in gold().items():
        tree = page(key)
        canonical = tree.css_first('link[rel="canonical"]').attributes["href"]
        assert re.fullmatch(rf"https://www\.[a-z0-9-]+\.example/news/articleView\.html\?idxno={key}", canonical), key
        outlet = tree.css_first('meta[property="og:site_name"]').attributes["content"]
        title = squash(tree.css_first("title").text())
        assert title in {f"{g['title']}{sep}{outlet}" for sep in (" - ", " | ", " : ")}, (key, title)


def test_legacy_page_is_really_cp949_bytes():
    raw = (PAGES / "demo-006.html").read_bytes()
    assert declared_charset(raw) == "euc-kr"
    raw.decode("cp949")  # decodes cleanly
    for codec in ("utf-8", "euc_kr"):  # not UTF-8, and uses a cp949-only (UHC extension) syllable
        try:
            raw.decode(codec)
        except UnicodeDecodeError:
            continue
        raise AssertionError(f"demo-006 decodes as {codec}")


def test_other_pages_are_utf8():
    for key in gold():
        raw = (PAGES / f"{key}.html").read_bytes()
        if key != "demo-006":
            assert declared_charset(raw) == "utf-8", key
            raw.decode("utf-8")


def test_article_bodies_are_1200_to_3000_characters():
    for key in gold():
        assert 1200 <= len(body_text(key)) <= 3000, (key, len(body_text(key)))


def test_every_page_is_marked_fictional_outside_the_article():
    for key in gold():
        assert FICTION_LINE in page_text(key) and FICTION_LINE not in body_text(key), key


def test_body_include_sentences_are_verbatim_in_the_article():
    for key, g in gold().items():
        assert 2 <= len(g["body_include"]) <= 3, key
        for sentence in g["body_include"]:
            assert norm(sentence) in body_text(key), (key, sentence)


def test_body_once_sentences_occur_once_in_the_article():
    for key, g in gold().items():
        for sentence in g["body_once"]:
            assert body_text(key).count(norm(sentence)) == 1, (key, sentence)


def test_one_page_repeats_its_body_as_a_print_copy():
    repeated = [k for k, g in gold().items() if any(page_text(k).count(norm(s)) == 2 for s in g["body_once"])]
    assert repeated == ["demo-008"]


def test_boilerplate_strings_are_on_the_page_but_not_in_the_article():
    for key, g in gold().items():
        assert len(g["body_exclude"]) >= 3, key
        for s in g["body_exclude"]:
            assert norm(s) in page_text(key), (key, s)
            assert norm(s) not in body_text(key), (key, s)


def test_every_page_has_the_usual_boilerplate():
    for key in gold():
        text = squash(page(key).body.text(separator=" "))
        assert "광고" in text and ("댓글" in text or "독자의견" in text), key
        assert re.search(r"저작권자ⓒ .+? 무단전재-재배포 금지", text), key
        assert "▲" in text, key  # photo caption (inside the article on most layouts)


def _date_forms(d: date) -> list[str]:
    return [d.isoformat(), d.strftime("%Y.%m.%d"), d.strftime("%Y/%m/%d"),
            f"{d.year}년 {d.month}월 {d.day}일", f"{d.year}. {d.month}. {d.day}."]


def test_published_at_is_stated_on_the_page_or_nowhere():
    undated = [k for k, g in gold().items() if g["published_at"] is None]
    assert undated == ["demo-007"]
    raw = (PAGES / "demo-007.html").read_text(encoding="utf-8")
    for marker in ("datePublished", "published_time", "<time", "기사입력", "입력", "승인", "등록일"):
        assert marker not in raw, marker
    for key, g in gold().items():
        if g["published_at"] is None:
            continue
        assert re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d\+09:00)?", g["published_at"]), key
        day = date.fromisoformat(g["published_at"][:10])
        html = page(key).html
        assert any(form in html for form in _date_forms(day)), key


def test_budgets_are_stated_with_their_amount_and_source():
    for key, g in gold().items():
        text = body_text(key)
        for b in g["budgets"]:
            assert b["funding_source"] in FUNDING_WORDS, (key, b)
            assert norm(b["evidence"]) in text, (key, b["evidence"])
            assert b["amount_text"] in b["evidence"], (key, b)
            assert won(b["amount_text"]) == b["amount_krw"], (key, b["amount_text"], b["amount_krw"])
            assert any(w in b["evidence"] for w in FUNDING_WORDS[b["funding_source"]]), (key, b)


def test_amount_reader_handles_the_corpus_forms():
    assert won("1조2천억원") == 1_200_000_000_000
    assert won("12억 4천만 원") == 1_240_000_000
    assert won("6억 7,500만 원") == 675_000_000
    assert won("21만4천원") == 214_000


def test_amounts_that_are_not_budgets_are_on_the_page_and_not_in_gold():
    traps = 0
    for key, g in gold().items():
        amounts = {b["amount_krw"] for b in g["budgets"]}
        for nb in g.get("not_budgets", []):
            traps += 1
            assert norm(nb["text"]) in body_text(key), key
            assert won(nb["text"]) not in amounts, key
    assert traps >= 2


def test_events_are_stated_and_their_dates_agree_with_the_date_words():
    for key, g in gold().items():
        text = body_text(key)
        pub = date.fromisoformat(g["published_at"][:10]) if g["published_at"] else None
        for ev in g["events"]:
            assert ev["event_type"] in EVENT_TYPES, (key, ev)
            assert norm(ev["evidence"]) in text, (key, ev["evidence"])
            assert ev["date_text"] is None or ev["date_text"] in ev["evidence"], (key, ev)
            if ev["event_date"] is None:
                assert pub is None or ev.get("optional"), (key, ev)
                continue
            when = date.fromisoformat(ev["event_date"])
            words = ev["date_text"]
            if m := re.search(r"(\d{4})년", words):
                assert when.year == int(m[1]), (key, ev)
            for rel, offset in (("지난해", -1), ("올해", 0), ("내년", 1)):
                if rel in words:
                    assert when.year == pub.year + offset, (key, ev)
            if m := re.search(r"(\d{1,2})월", words):
                assert when.month == int(m[1]), (key, ev)
            if m := re.search(r"(\d{1,2})일", words):
                assert when.day == int(m[1]), (key, ev)
            if "지난" in words and "지난해" not in words or re.fullmatch(r"\d{1,2}일", words):
                assert when <= pub, (key, ev)  # a past relative day resolves on or before publication


def test_partnership_members_are_named_in_the_article():
    for key, g in gold().items():
        text = body_text(key)
        for p in g["partnerships"]:
            assert p["partnership_type"] in PARTNERSHIP_TYPES, key
            assert norm(p["evidence"]) in text, (key, p["evidence"])
            for m in p["members"]:
                assert m.get("optional") or m["role"] in ROLES, (key, m)
                assert any(norm(form) in text for form in [m["name"], *m.get("aliases", [])]), (key, m["name"])


def test_people_and_generic_nouns_listed_as_not_organisations_are_in_the_article():
    for key, g in gold().items():
        for s in g.get("not_organizations", []):
            assert norm(s) in body_text(key), (key, s)


def test_corpus_covers_every_fact_kind_the_contract_defines():
    arts = gold().values()
    assert {e["event_type"] for a in arts for e in a["events"] if not e.get("optional")} == EVENT_TYPES
    assert {p["partnership_type"] for a in arts for p in a["partnerships"]} == PARTNERSHIP_TYPES
    sources = {b["funding_source"] for a in arts for b in a["budgets"]}
    assert sources >= {"national", "provincial", "municipal", "local", "private", "total"}
    assert len({a["layout"] for a in arts}) >= 6


@needs_shared
def test_corpus_does_not_reuse_seed_article_sentences():
    seed_sentences = [norm(s) for a in json.loads(SEED_GOLD.read_text(encoding="utf-8"))["articles"]
                      for s in a["body_include"] + a["body_once"]]
    assert seed_sentences
    for key in gold():
        text = page_text(key)
        assert not [s for s in seed_sentences if s in text], key


def test_sources_file_points_the_run_at_the_pages():
    cfg = load_sources(DEMO_DIR / "sources.yaml")
    (source,) = cfg.sources
    assert (source.name, source.kind, source.path) == ("demo", "html_dir", PAGES.resolve())
    assert cfg.defaults.user_agent.startswith("kr-smartcity-news/")
