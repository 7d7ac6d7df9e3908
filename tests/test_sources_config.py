"""The sources file: every kind loads; every mistake is a SourcesError naming the file and the entry."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.sources.config import SourcesError, load_sources


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "sources.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_all_kinds_and_defaults(tmp_path):
    (tmp_path / "pages").mkdir()
    cfg = load_sources(write(tmp_path, """
defaults:
  user_agent: "test-agent/1.0"
  per_host_concurrency: 3
  min_delay_s: 0.5
  max_bytes: 1_000_000
  allow_private_hosts: true
sources:
  - name: saved
    kind: html_dir
    path: pages
  - name: feed
    kind: rss
    url: https://example.org/rss.xml
    keywords: [스마트시티, 인공지능]
  - name: map
    kind: sitemap
    url: https://example.org/sitemap.xml
    since_days: 3
    min_delay_s: 2
  - name: picked
    kind: urls
    urls: [https://example.org/a, http://example.org/b]
"""))
    saved, feed, smap, picked = cfg.sources
    assert saved.path == (tmp_path / "pages").resolve()
    assert feed.keywords == ("스마트시티", "인공지능")
    assert smap.since_days == 3
    assert smap.policy.min_delay_s == 2.0 and feed.policy.min_delay_s == 0.5
    assert cfg.defaults.max_bytes == 1_000_000 and cfg.defaults.per_host_concurrency == 3
    assert picked.urls == ("https://example.org/a", "http://example.org/b")
    assert all(s.policy.allow_private_hosts for s in cfg.sources)
    assert cfg.defaults.user_agent == "test-agent/1.0"


def test_default_policy_is_polite(tmp_path):
    cfg = load_sources(write(tmp_path, "sources:\n  - {name: a, kind: urls, urls: ['https://example.org/']}\n"))
    p = cfg.defaults
    assert p.respect_robots_txt and not p.allow_private_hosts
    assert p.min_delay_s >= 1.0 and p.per_host_concurrency <= 2
    assert "kr-smartcity-news" in p.user_agent


@pytest.mark.parametrize("body, message", [
    ("sources: nope", "'sources' list"),
    ("sources:\n  - {kind: urls, urls: ['https://a.example/']}", "'name' is required"),
    ("sources:\n  - {name: a, kind: ftp}", "kind 'ftp'"),
    ("sources:\n  - {name: a, kind: rss, url: 'file:///etc/passwd'}", "not an http(s) URL"),
    ("sources:\n  - {name: a, kind: urls, urls: []}", "non-empty 'urls'"),
    ("sources:\n  - {name: a, kind: html_dir}", "needs 'path'"),
    ("sources:\n  - {name: a, kind: urls, urls: ['https://a.example/']}\n  - {name: a, kind: urls, urls: ['https://b.example/']}",
     "duplicate name"),
    ("defaults: {timeout_s: -1}\nsources: []", "must be positive"),
    ("defaults: {allow_private_hosts: 'yes'}\nsources: []", "allow_private_hosts"),
    ("sources: [", "not valid YAML"),
])
def test_mistakes_are_named(tmp_path, body, message):
    with pytest.raises(SourcesError) as err:
        load_sources(write(tmp_path, body))
    assert message in str(err.value)
    assert "sources.yaml" in str(err.value)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(SourcesError, match="not found"):
        load_sources(tmp_path / "nope.yaml")
