"""The sources file (format: shared/spec/sources.md): where the nightly run looks for articles.

Pure Python: load and validate a YAML file into frozen dataclasses. Every problem is reported as a
`SourcesError` naming the file and the entry, so a bad sources file fails the run with a clear message
before anything is fetched.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import yaml

KINDS = ("html_dir", "urls", "rss", "sitemap")
PROJECT_URL = "https://github.com/kr-smartcity-news/kr-smartcity-news"


class SourcesError(ValueError):
    """The sources file cannot be used as written."""


@dataclass(frozen=True)
class CrawlPolicy:
    user_agent: str = f"kr-smartcity-news/0.1 (+{PROJECT_URL})"
    per_host_concurrency: int = 2
    min_delay_s: float = 1.0
    timeout_s: float = 20.0
    max_bytes: int = 5_000_000
    respect_robots_txt: bool = True
    allow_private_hosts: bool = False
    max_redirects: int = 5
    max_retries: int = 2  # extra attempts after the first, for 429/5xx/timeouts
    global_concurrency: int = 16
    max_retry_after_s: float = 60.0  # a longer Retry-After is recorded as an error, not waited for


@dataclass(frozen=True)
class Source:
    name: str
    kind: str
    policy: CrawlPolicy
    path: Path | None = None  # html_dir, resolved against the sources file's folder
    url: str | None = None  # rss / sitemap
    urls: tuple[str, ...] = ()  # urls
    keywords: tuple[str, ...] = ()  # rss: keep items whose title/summary has one (empty: keep all)
    since_days: int | None = None  # sitemap: skip entries whose lastmod is older


@dataclass(frozen=True)
class SourcesConfig:
    path: Path
    defaults: CrawlPolicy
    sources: tuple[Source, ...] = field(default_factory=tuple)


_POLICY_FIELDS = {f.name: f.type for f in fields(CrawlPolicy)}


def _policy(base: CrawlPolicy, raw: dict[str, Any], where: str) -> CrawlPolicy:
    updates: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in _POLICY_FIELDS:
            continue
        default = getattr(base, key)
        try:
            if isinstance(default, bool):
                if not isinstance(value, bool):
                    raise TypeError("expected true/false")
                updates[key] = value
            elif isinstance(default, int):
                updates[key] = int(str(value).replace("_", ""))
            elif isinstance(default, float):
                updates[key] = float(value)
            else:
                updates[key] = str(value)
        except (TypeError, ValueError) as exc:
            raise SourcesError(f"{where}: {key}={value!r} is not valid ({exc})") from None
    policy = replace(base, **updates)
    if policy.per_host_concurrency < 1 or policy.global_concurrency < 1:
        raise SourcesError(f"{where}: concurrency must be at least 1")
    if policy.max_bytes < 1 or policy.timeout_s <= 0 or policy.min_delay_s < 0:
        raise SourcesError(f"{where}: max_bytes and timeout_s must be positive, min_delay_s not negative")
    return policy


def _check_http_url(url: Any, where: str) -> str:
    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
        raise SourcesError(f"{where}: {url!r} is not an http(s) URL")
    return url


def load_sources(path: str | os.PathLike) -> SourcesConfig:
    path = Path(path).expanduser().resolve()
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"sources file not found: {path}") from None
    except yaml.YAMLError as exc:
        raise SourcesError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("sources"), list):
        raise SourcesError(f"{path}: expected a mapping with a 'sources' list")
    defaults = _policy(CrawlPolicy(), doc.get("defaults") or {}, f"{path}: defaults")
    seen: set[str] = set()
    out: list[Source] = []
    for i, raw in enumerate(doc["sources"]):
        where = f"{path}: sources[{i}]"
        if not isinstance(raw, dict):
            raise SourcesError(f"{where}: expected a mapping")
        name, kind = raw.get("name"), raw.get("kind")
        if not isinstance(name, str) or not name.strip():
            raise SourcesError(f"{where}: 'name' is required")
        where = f"{path}: source {name!r}"
        if name in seen:
            raise SourcesError(f"{where}: duplicate name")
        seen.add(name)
        if kind not in KINDS:
            raise SourcesError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
        policy = _policy(defaults, raw, where)
        kw = raw.get("keywords") or []
        if not isinstance(kw, list):
            raise SourcesError(f"{where}: keywords must be a list")
        src = Source(name=name, kind=kind, policy=policy, keywords=tuple(str(k) for k in kw))
        if kind == "html_dir":
            if not raw.get("path"):
                raise SourcesError(f"{where}: html_dir needs 'path'")
            src = replace(src, path=(path.parent / str(raw["path"])).resolve())
        elif kind == "urls":
            urls = raw.get("urls")
            if not isinstance(urls, list) or not urls:
                raise SourcesError(f"{where}: urls needs a non-empty 'urls' list")
            src = replace(src, urls=tuple(_check_http_url(u, where) for u in urls))
        else:
            src = replace(src, url=_check_http_url(raw.get("url"), where))
            if raw.get("since_days") is not None:
                src = replace(src, since_days=int(raw["since_days"]))
        out.append(src)
    return SourcesConfig(path=path, defaults=defaults, sources=tuple(out))
