"""Stage glue: what the fetch stage is allowed to read from disk, and the parse stage's verdicts."""
from __future__ import annotations

from datetime import datetime, timezone

from pipelines import stages


def test_only_html_dir_sources_read_files_and_only_inside_their_folder(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    page = folder / "a.html"
    page.write_bytes(b"<html>a</html>")
    outside = tmp_path / "sources.yaml"
    outside.write_text("secret: true")
    html_dirs = {"saved": folder.resolve()}
    row = {"source_name": "saved", "url": "https://x.example/a", "discovered_via": page.as_uri()}
    assert stages._rehydrate(row, html_dirs).content == b"<html>a</html>"
    # a urls/rss source whose discovered_via is a file URI gets no content: it will be fetched over HTTP
    row_urls = {"source_name": "picked", "url": "https://x.example/a", "discovered_via": outside.as_uri()}
    assert stages._rehydrate(row_urls, html_dirs).content is None
    # an html_dir row pointing outside its folder is not read
    row_escape = {"source_name": "saved", "url": "https://x.example/a", "discovered_via": outside.as_uri()}
    assert stages._rehydrate(row_escape, html_dirs).content is None


def _parse(content: bytes):
    rec = {"page_key": "k", "content_hash": "h", "content": content, "url": "https://x.example/news/1",
           "final_url": None, "content_type": "text/html; charset=utf-8", "source_name": "s",
           "fetched_at": datetime(2025, 1, 1, tzinfo=timezone.utc)}
    from pipelines.parse import PARSER_VERSION, parse_page

    return stages.parse_one(rec, parse_page, PARSER_VERSION)


def test_parse_verdicts_never_raise():
    parsed, article = _parse(b"")
    assert parsed["outcome"] in ("decode_error", "parse_error", "not_article") and article is None and parsed["error"]
    paragraphs = "".join(f"<p>스마트시티 사업 {i}번째 문단은 충분히 긴 기사 본문 문장으로 이루어져 있다.</p>" for i in range(8))
    html = (f'<html><head><title>제목 - 뉴스</title><link rel="canonical" href="https://x.example/news/1?utm_source=a">'
            f"</head><body><article>{paragraphs}</article></body></html>").encode()
    parsed, article = _parse(html)
    assert parsed["outcome"] == "article"
    assert article["url"] == "https://x.example/news/1"  # tracking parameter dropped
    assert article["article_key"] == parsed["article_key"]
