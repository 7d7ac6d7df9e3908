"""The sources file: every kind loads; every mistake is a SourcesError naming the file and the entry."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from pipelines.sources.config import MAX_FILE_BYTES, SourcesError, load_sources, validate_sources_file
from tests.support.paths import DEMO_DIR, SHARED, needs_shared


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


# ---------------------------------------------------------------- the strict schema (issues 13, 16, 17)

def problems(tmp_path: Path, text: str) -> list[str]:
    return validate_sources_file(write(tmp_path, text))


def one(tmp_path: Path, text: str) -> str:
    found = problems(tmp_path, text)
    assert len(found) == 1, found
    return found[0]


OK_SOURCE = "sources:\n  - {name: a, kind: urls, urls: ['https://a.example/']}\n"


@needs_shared
def test_the_spec_example_loads_with_every_documented_key(tmp_path):
    spec = (SHARED / "spec" / "sources.md").read_text(encoding="utf-8")
    example = spec.split("```yaml", 1)[1].split("```", 1)[0]
    path = write(tmp_path, example)
    assert validate_sources_file(path) == []
    cfg = load_sources(path)
    assert [s.kind for s in cfg.sources] == ["html_dir", "rss", "sitemap", "urls"]
    assert cfg.sources[1].keywords and cfg.sources[2].since_days == 3 and cfg.defaults.max_bytes == 5_000_000


def test_unknown_keys_are_errors_with_their_path_line_and_a_suggestion(tmp_path):
    found = problems(tmp_path, "defaults:\n  user_agnet: x\nsources:\n  - name: demo\n    kind: html_dir\n"
                               "    pth: pages\n  - {name: b, kind: rss, url: 'https://a.example/rss', timout_s: 3}\n"
                               "sorces: []\n")
    assert any(p.endswith("sources.yaml:2: defaults.user_agnet: unknown key; did you mean 'user_agent'?")
               for p in found), found
    assert any(":6: sources[0] 'demo'.pth: unknown key; did you mean 'path'?" in p for p in found), found
    assert any(":4: sources[0] 'demo'.path: html_dir needs 'path'" in p for p in found), found
    assert any(":7: sources[1] 'b'.timout_s: unknown key; did you mean 'timeout_s'?" in p for p in found), found
    assert any(":8: sorces: unknown key; did you mean 'sources'?" in p for p in found), found
    assert len(found) == 5


def test_a_key_of_another_kind_is_an_error(tmp_path):
    msg = one(tmp_path, "sources:\n  - {name: m, kind: sitemap, url: 'https://a.example/s.xml', keywords: [x]}\n")
    assert "sources[0] 'm'.keywords: not a key of a sitemap source (only of rss)" in msg


def test_duplicate_keys_are_errors(tmp_path):
    found = problems(tmp_path, "defaults:\n  timeout_s: 5\n  timeout_s: 50\nsources:\n"
                               "  - {name: a, kind: urls, urls: ['https://a.example/'], urls: ['https://b.example/']}\n")
    assert [p.split("sources.yaml:", 1)[1] for p in found] == [
        "3: defaults.timeout_s: duplicate key (YAML would silently keep the last one)",
        "5: sources[0].urls: duplicate key (YAML would silently keep the last one)"]


@pytest.mark.parametrize("line, expected", [
    ("timeout_s: .nan", "defaults.timeout_s: nan is not allowed: must be positive (> 0) and at most 600 s"),
    ("timeout_s: .inf", "defaults.timeout_s: inf is not allowed"),
    ("min_delay_s: -.inf", "defaults.min_delay_s: -inf is not allowed"),
    ("timeout_s: 1.0e+9", "defaults.timeout_s: 1000000000.0 is out of range: must be positive (> 0) and at most 600 s"),
    ("timeout_s: 1e9", "YAML reads '1e9' as text, write 1000000000"),
    ("timeout_s: 0", "must be positive"),
    ("min_delay_s: 1000000000", "must be between 0 and 600 s"),
    ("max_retry_after_s: .nan", "defaults.max_retry_after_s: nan is not allowed"),
    ("max_retries: -1", "defaults.max_retries: -1 is out of range: must be between 0 and 10"),
    ("per_host_concurrency: 0", "must be between 1 and 64"),
    ("global_concurrency: 0", "must be between 1 and 512"),
    ("max_bytes: 0", "must be between 1 and 50,000,000"),
    ("max_bytes: 100_000_000_000", "must be between 1 and 50,000,000"),
    ("max_urls_per_source: 0", "must be between 1 and 1,000,000"),
    ("max_redirects: 2.5", "2.5 is not a whole number"),
    ("respect_robots_txt: 1", "1 is not true or false"),
    ('user_agent: "bot/1.0\\r\\nX-Injected: 1"', "defaults.user_agent: 'bot/1.0\\r\\nX-Injected: 1' contains a control character"),
    ('user_agent: "bot\\u0000"', "contains a control character"),
    ("user_agent: ''", "is empty"),
])
def test_policy_values_are_typed_finite_and_bounded(tmp_path, line, expected):
    assert expected in one(tmp_path, f"defaults:\n  {line}\n" + OK_SOURCE)


def test_since_days_soon_is_a_clear_error_not_a_traceback(tmp_path):
    text = "sources:\n  - {name: m, kind: sitemap, url: 'https://a.example/s.xml', since_days: soon}\n"
    assert "sources[0] 'm'.since_days: 'soon' is not a whole number (must be between 0 and 36,500)" in one(tmp_path, text)
    with pytest.raises(SourcesError) as err:
        load_sources(write(tmp_path, text))
    assert "since_days: 'soon' is not a whole number" in str(err.value) and "Traceback" not in str(err.value)


def test_a_yaml_alias_bomb_is_refused_before_it_expands(tmp_path):
    rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    rows += [f"{c}: &{c} [{','.join(['*' + p] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi")]
    text = "\n".join(rows) + "\n" + OK_SOURCE
    assert len(text.encode()) < 600
    tracemalloc.start()
    started = time.monotonic()
    try:
        found = problems(tmp_path, text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 1.0 and peak < 5_000_000
    assert found == [f"{tmp_path / 'sources.yaml'}:1: YAML anchors and aliases are not allowed (&a); write the value out"]


def test_merge_keys_and_aliases_are_refused_too(tmp_path):
    text = ("defaults: &d {timeout_s: 5}\nsources:\n  - {name: a, kind: urls, urls: ['https://a.example/']}\n"
            "  - {<<: *d, name: b, kind: urls, urls: ['https://b.example/']}\n")
    assert "anchors and aliases are not allowed" in one(tmp_path, text)


def test_an_oversized_file_is_refused_unread(tmp_path):
    path = tmp_path / "sources.yaml"
    with open(path, "wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)
    assert validate_sources_file(path) == [f"{path}: the file is {MAX_FILE_BYTES + 1:,} bytes; a sources file may "
                                           f"have at most {MAX_FILE_BYTES:,}"]


def test_every_problem_is_reported_at_once_and_load_sources_names_them_all(tmp_path):
    text = ("defaults: {max_retries: -1, user_agnet: x}\nsources:\n"
            "  - {name: a, kind: ftp}\n  - {name: b, kind: rss, url: 'file:///etc/passwd'}\n"
            "  - {name: b, kind: urls, urls: ['https://a.example/', 7]}\n")
    found = problems(tmp_path, text)
    assert len(found) == 6, found
    with pytest.raises(SourcesError) as err:
        load_sources(write(tmp_path, text))
    assert err.value.problems == found and str(err.value) == "\n".join(found)


def test_check_sources_cli_prints_every_problem_and_exits_nonzero(tmp_path):
    bad = write(tmp_path, "defaults:\n  user_agnet: x\nsources:\n  - {name: demo, kind: html_dir, pth: pages}\n")
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "pipelines.cli", "check-sources", str(bad)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=60)
    elapsed = time.monotonic() - started
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines == [f"{bad}:2: defaults.user_agnet: unknown key; did you mean 'user_agent'?",
                     f"{bad}:4: sources[0] 'demo'.path: html_dir needs 'path' (the folder of .html files)",
                     f"{bad}:4: sources[0] 'demo'.pth: unknown key; did you mean 'path'?",
                     f"3 problems in {bad}"]
    assert "Traceback" not in proc.stderr and elapsed < 10  # ~0.35 s on an idle machine, interpreter start included
    good = subprocess.run([sys.executable, "-m", "pipelines.cli", "check-sources", "sources.yaml"],
                          capture_output=True, text=True, cwd=DEMO_DIR, timeout=60)
    assert good.returncode == 0 and good.stdout.strip() == f"{DEMO_DIR / 'sources.yaml'}: ok (1 source)"


def test_run_refuses_a_bad_sources_file_before_anything_starts(tmp_path):
    bad = write(tmp_path, "defaults:\n  max_retries: -1\n" + OK_SOURCE)
    env = {**os.environ, "NEWS_SOURCES": str(bad), "NEWS_WAREHOUSE": str(tmp_path / "wh" / "news.duckdb"),
           "DAGSTER_HOME": str(tmp_path / "dagster_home")}
    proc = subprocess.run([sys.executable, "-m", "pipelines.cli", "run"], capture_output=True, text=True,
                          env=env, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"{bad}:2: defaults.max_retries: -1 is out of range: must be between 0 and 10",
        f"1 problem in {bad}; nightly_refresh not started"]
    assert not (tmp_path / "wh").exists() and "Traceback" not in proc.stderr


@pytest.mark.parametrize("text, expected", [
    ("sources: " + "[" * 100_000 + "]" * 100_000 + "\n", "nested deeper than 16 levels"),
    ("defaults: {max_bytes: " + "9" * 10_000 + "}\n" + OK_SOURCE, "Exceeds the limit"),
    ("", "the file is empty"),
    ("- just\n- a list\n", "expected a mapping with a 'sources' list"),
])
def test_pathological_yaml_is_a_problem_not_a_crash(tmp_path, text, expected):
    assert expected in one(tmp_path, text)
