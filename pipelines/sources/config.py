"""The sources file (format: shared/spec/sources.md): where the nightly run looks for articles.

Pure Python: read a YAML file strictly, check it against a schema (pydantic v2), and turn it into frozen
dataclasses. `validate_sources_file(path)` returns every problem as one line naming the file, the line
and the key path (`sources[1] 'feed'.user_agnet: unknown key; did you mean 'user_agent'?`);
`load_sources(path)` raises one `SourcesError` listing them all. Nothing is fetched before the file is
valid.

What is refused, and why:
* a file over MAX_FILE_BYTES, YAML anchors and aliases (`&a` / `*a`, also `<<: *a` merges: a few
  hundred bytes of aliases expand to gigabytes -- refused when the parser meets the first one, before
  anything is expanded), duplicate keys (YAML would silently keep the last);
* unknown keys (with a "did you mean"), and keys of another kind (`keywords` on a sitemap);
* wrong types (no coercion: `since_days: soon`, `timeout_s: "20"`, `allow_private_hosts: 'yes'`), NaN
  and infinities, numbers outside the bounds in `BOUNDS` (e.g. `max_retries: -1`, `timeout_s: 1.0e9`);
* control characters (CR, LF, ...) in `user_agent` or a source name; URLs that are not absolute
  http(s) URLs.
"""
from __future__ import annotations

import difflib
import math
import os
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

KINDS = ("html_dir", "urls", "rss", "sitemap")
PROJECT_URL = "https://github.com/kr-smartcity-news/kr-smartcity-news"
MAX_FILE_BYTES = 1_000_000  # a sources file is written by hand; anything larger is a mistake


class SourcesError(ValueError):
    """The sources file cannot be used as written (the message lists every problem, one per line)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


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
    max_urls_per_source: int = 5_000  # a source listing more keeps the newest this many; the rest are recorded as dropped


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


# ---------------------------------------------------------------- bounds (one table: code, messages and docs)

# key: (lowest, highest, lowest allowed itself?) -- the highest is always allowed
BOUNDS: dict[str, tuple[float, float, bool]] = {
    "per_host_concurrency": (1, 64, True),
    "global_concurrency": (1, 512, True),
    "min_delay_s": (0, 600, True),
    "timeout_s": (0, 600, False),
    "max_bytes": (1, 50_000_000, True),
    "max_redirects": (0, 20, True),
    "max_retries": (0, 10, True),
    "max_retry_after_s": (0, 3600, True),
    "max_urls_per_source": (1, 1_000_000, True),
    "since_days": (0, 36_500, True),
}
MAX_TEXT_CHARS = {"user_agent": 300, "name": 100, "keywords": 100, "path": 4096, "url": 4096, "urls": 4096}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _range_text(key: str) -> str:
    low, high, closed = BOUNDS[key]
    unit = " s" if key.endswith("_s") else ""
    if low == 0 and not closed:
        return f"must be positive (> 0) and at most {high:,}{unit}"
    return f"must be between {low:,} and {high:,}{unit}"


def _no_control(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("contains a control character (CR, LF, tab, ...)")
    if not value.strip():
        raise ValueError("is empty")
    return value


def _http_url(value: str) -> str:
    from urllib.parse import urlsplit

    _no_control(value)
    try:
        parts = urlsplit(value)
        ok = parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and value == value.strip()
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value


def _bounded(key: str, kind: type) -> Any:
    low, high, closed = BOUNDS[key]
    limit = Field(ge=low, le=high) if closed else Field(gt=low, le=high)
    if kind is float:
        return Annotated[float, limit, Field(allow_inf_nan=False)]
    return Annotated[int, limit]


Text = Annotated[str, AfterValidator(_no_control)]
HttpUrl = Annotated[str, Field(max_length=MAX_TEXT_CHARS["url"]), AfterValidator(_http_url)]


class _Policy(BaseModel):
    """The policy keys, each optional (a source's value overrides the defaults')."""

    model_config = ConfigDict(extra="forbid", strict=True)

    user_agent: Annotated[Text, Field(max_length=MAX_TEXT_CHARS["user_agent"])] = CrawlPolicy.user_agent
    per_host_concurrency: _bounded("per_host_concurrency", int) = CrawlPolicy.per_host_concurrency
    min_delay_s: _bounded("min_delay_s", float) = CrawlPolicy.min_delay_s
    timeout_s: _bounded("timeout_s", float) = CrawlPolicy.timeout_s
    max_bytes: _bounded("max_bytes", int) = CrawlPolicy.max_bytes
    respect_robots_txt: bool = CrawlPolicy.respect_robots_txt
    allow_private_hosts: bool = CrawlPolicy.allow_private_hosts
    max_redirects: _bounded("max_redirects", int) = CrawlPolicy.max_redirects
    max_retries: _bounded("max_retries", int) = CrawlPolicy.max_retries
    global_concurrency: _bounded("global_concurrency", int) = CrawlPolicy.global_concurrency
    max_retry_after_s: _bounded("max_retry_after_s", float) = CrawlPolicy.max_retry_after_s
    max_urls_per_source: _bounded("max_urls_per_source", int) = CrawlPolicy.max_urls_per_source


class _SourceBase(_Policy):
    name: Annotated[Text, Field(max_length=MAX_TEXT_CHARS["name"])]


class _HtmlDir(_SourceBase):
    kind: Literal["html_dir"]
    path: Annotated[Text, Field(max_length=MAX_TEXT_CHARS["path"])]


class _Urls(_SourceBase):
    kind: Literal["urls"]
    urls: Annotated[list[HttpUrl], Field(min_length=1)]


class _Rss(_SourceBase):
    kind: Literal["rss"]
    url: HttpUrl
    keywords: list[Annotated[Text, Field(max_length=MAX_TEXT_CHARS["keywords"])]] = []


class _Sitemap(_SourceBase):
    kind: Literal["sitemap"]
    url: HttpUrl
    since_days: _bounded("since_days", int) | None = None


_MODELS: dict[str, type[_SourceBase]] = {"html_dir": _HtmlDir, "urls": _Urls, "rss": _Rss, "sitemap": _Sitemap}
POLICY_KEYS = tuple(f.name for f in fields(CrawlPolicy))
TOP_KEYS = ("defaults", "sources")
_ALL_SOURCE_KEYS = sorted({k for m in _MODELS.values() for k in m.model_fields})
assert set(POLICY_KEYS) == set(_Policy.model_fields), "CrawlPolicy and the schema disagree"


# ---------------------------------------------------------------- strict YAML

class _Refused(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


MAX_DEPTH = 16  # a sources file needs 4 levels (sources / entry / urls / item)


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases the moment the parser meets one (nothing is expanded),
    and nesting deeper than MAX_DEPTH."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
            raise _Refused(event.start_mark.line + 1,
                           f"YAML anchors and aliases are not allowed ({sign}{event.anchor}); write the value out")
        if self._depth >= MAX_DEPTH:
            raise _Refused(event.start_mark.line + 1, f"nested deeper than {MAX_DEPTH} levels")
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _duplicates(node: yaml.Node, where: str = "") -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key in seen:
                out.append((key_node.start_mark.line + 1, f"{where}{'.' if where else ''}{key}: duplicate key "
                                                          "(YAML would silently keep the last one)"))
            seen.add(key)
            out += _duplicates(value_node, f"{where}{'.' if where else ''}{key}")
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out += _duplicates(item, f"{where}[{i}]")
    return out


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The line of the YAML node at `loc` (keys and list indexes), or of its nearest parent."""
    line = node.start_mark.line + 1 if node is not None else None
    for step in loc:
        if isinstance(node, yaml.MappingNode):
            hit = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == step), None)
            if hit is None:
                return line
            line, node = hit[0].start_mark.line + 1, hit[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _read_yaml(path: Path) -> tuple[Any, yaml.Node | None, list[tuple[int | None, str]]]:
    """(document, node tree, problems). Problems here stop the check: nothing after them is trusted."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, None, [(None, f"the file is {size:,} bytes; a sources file may have at most "
                                       f"{MAX_FILE_BYTES:,}")]
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, None, [(None, "sources file not found")]
    except OSError as exc:
        return None, None, [(None, f"cannot read the sources file: {exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, None, [(None, f"not UTF-8 text (byte {exc.start})")]
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None, [(None, "the file is empty; expected a mapping with a 'sources' list")]
        dups = _duplicates(node)
        if dups:
            return None, node, [(line, msg) for line, msg in dups]
        return loader.construct_document(node), node, []
    except _Refused as exc:
        return None, None, [(exc.line, exc.message)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return None, None, [(mark.line + 1 if mark else None, f"not valid YAML: {exc.problem or exc.context}")]
    except yaml.YAMLError as exc:
        return None, None, [(None, f"not valid YAML: {exc}")]
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        return None, None, [(None, f"not valid YAML here: {exc}")]
    finally:
        loader.dispose()


# ---------------------------------------------------------------- schema errors in words

def _did_you_mean(key: Any, allowed: list[str]) -> str:
    close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else f" (allowed: {', '.join(allowed)})"


def _kind_of_key(key: str) -> list[str]:
    return [k for k, m in _MODELS.items() if key in m.model_fields]


def _yaml_text(value: Any) -> str:
    """A hint when YAML read a number-like text as a string ('1e9': YAML 1.1 wants '1.0e+9')."""
    if isinstance(value, str):
        try:
            number = float(value.replace("_", ""))
        except ValueError:
            return ""
        if not math.isfinite(number):
            return ""
        written = str(int(number)) if number.is_integer() and abs(number) < 1e18 else repr(number)
        return f"; YAML reads {value!r} as text, write {written}"
    return ""


def _message(err: dict[str, Any], allowed: list[str], kind: str | None) -> str:
    loc = [x for x in err["loc"]]
    key = next((x for x in reversed(loc) if isinstance(x, str)), "")
    value, etype = err.get("input"), err["type"]
    if etype == "extra_forbidden":
        kinds = _kind_of_key(str(key))
        if kinds and kind:
            return f"not a key of a {kind} source (only of {', '.join(kinds)})"
        return f"unknown key{_did_you_mean(key, allowed)}"
    if etype == "missing":
        if kind == "html_dir" and key == "path":
            return "html_dir needs 'path' (the folder of .html files)"
        if kind == "urls" and key == "urls":
            return "urls needs a non-empty 'urls' list"
        return f"'{key}' is required"
    if etype == "too_short" and key == "urls":
        return "urls needs a non-empty 'urls' list"
    if etype in ("greater_than", "greater_than_equal", "less_than", "less_than_equal") and key in BOUNDS:
        return f"{value!r} is out of range: {_range_text(key)}"
    if etype == "finite_number":
        return f"{value!r} is not allowed: {_range_text(key) if key in BOUNDS else 'must be a finite number'}"
    if etype in ("int_type", "int_from_float", "int_parsing"):
        return (f"{value!r} is not a whole number" + (f" ({_range_text(key)})" if key in BOUNDS else "")
                + _yaml_text(value))
    if etype in ("float_type", "float_parsing"):
        return f"{value!r} is not a number" + (f" ({_range_text(key)})" if key in BOUNDS else "") + _yaml_text(value)
    if etype == "bool_type":
        return f"{value!r} is not true or false"
    if etype == "string_type":
        return f"{value!r} is not text"
    if etype == "list_type":
        return f"expected a list, got {type(value).__name__} {value!r}"
    if etype == "string_too_long":
        return f"too long (at most {err.get('ctx', {}).get('max_length')} characters)"
    if etype == "value_error":
        reason = str(err.get("ctx", {}).get("error", err["msg"]))
        return reason if reason.startswith(repr(value)) else f"{value!r} {reason}" if isinstance(value, str) \
            else reason
    return f"{value!r}: {err['msg']}"


def _loc_text(prefix: str, loc: tuple[Any, ...]) -> str:
    out = prefix
    for x in loc:
        out += f"[{x}]" if isinstance(x, int) else f"{'.' if out else ''}{x}"
    return out


# ---------------------------------------------------------------- checking

@dataclass
class _Check:
    path: Path
    node: yaml.Node | None
    problems: list[tuple[int | None, str]] = field(default_factory=list)

    def add(self, loc: tuple[Any, ...], message: str, label: str | None = None) -> None:
        where = _loc_text("", loc)
        if label is not None:
            where = where.replace(f"sources[{loc[1]}]", f"sources[{loc[1]}] {label}", 1)
        self.problems.append((_line_of(self.node, loc), f"{where}: {message}" if where else message))

    def model(self, model: type[BaseModel], raw: dict[str, Any], loc: tuple[Any, ...],
              kind: str | None = None, label: str | None = None) -> BaseModel | None:
        try:
            return model.model_validate(raw)
        except ValidationError as exc:
            allowed = sorted(model.model_fields)
            for err in exc.errors(include_url=False):
                self.add(loc + tuple(err["loc"][:_value_depth(err["loc"])]), _message(err, allowed, kind), label)
            return None

    def lines(self) -> list[str]:
        ordered = sorted(self.problems, key=lambda p: p[0] or 0)
        return [f"{self.path}{f':{line}' if line else ''}: {msg}" for line, msg in ordered]


def _value_depth(loc: tuple[Any, ...]) -> int:
    # pydantic appends the validator's name to union/constraint paths (e.g. 'int', 'function-after[...]')
    return len([x for x in loc if isinstance(x, int) or not re.match(r"^[a-z_-]+\[|^(int|float|str|none)$", str(x))])


def _label(raw: dict[str, Any]) -> str | None:
    name = raw.get("name")
    return repr(name) if isinstance(name, str) and name.strip() and not _CONTROL.search(name) else None


def _policy_updates(model: _Policy) -> dict[str, Any]:
    return {k: getattr(model, k) for k in model.model_fields_set if k in POLICY_KEYS}


def _check(path: Path) -> tuple[_Check, SourcesConfig | None]:
    doc, node, early = _read_yaml(path)
    check = _Check(path=path, node=node, problems=list(early))
    if early:
        return check, None
    if not isinstance(doc, dict) or not isinstance(doc.get("sources"), list):
        check.add((), "expected a mapping with a 'sources' list")
        return check, None
    for key in doc:
        if key not in TOP_KEYS:
            check.add((key,), f"unknown key{_did_you_mean(key, list(TOP_KEYS))}")
    raw_defaults = doc.get("defaults")
    if raw_defaults is None:
        raw_defaults = {}
    defaults = CrawlPolicy()
    if not isinstance(raw_defaults, dict):
        check.add(("defaults",), "expected a mapping of policy keys")
    else:
        model = check.model(_Policy, raw_defaults, ("defaults",))
        if model is not None:
            defaults = replace(defaults, **_policy_updates(model))
    out: list[Source] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(doc["sources"]):
        loc: tuple[Any, ...] = ("sources", i)
        if not isinstance(raw, dict):
            check.add(loc, "expected a mapping (name, kind, ...)")
            continue
        label = _label(raw)
        name, kind = raw.get("name"), raw.get("kind")
        if kind not in KINDS and (not isinstance(name, str) or not name.strip()):
            check.add(loc, "'name' is required (a non-empty text)", label)  # else the schema says so
        elif isinstance(name, str) and name in seen:
            check.add(loc + ("name",), f"duplicate name {name!r} (also sources[{seen[name]}])", label)
        elif isinstance(name, str):
            seen[name] = i
        if kind is None:
            check.add(loc, f"'kind' is required (one of {', '.join(KINDS)})", label)
            continue
        if kind not in KINDS:
            hint = _did_you_mean(kind, list(KINDS)) if isinstance(kind, str) else ""
            check.add(loc + ("kind",), f"kind {kind!r} is not one of {', '.join(KINDS)}"
                      + (hint if hint.startswith(";") else ""), label)
            continue
        model = check.model(_MODELS[kind], raw, loc, kind, label)
        if model is None or not isinstance(name, str):
            continue
        src = Source(name=name, kind=kind, policy=replace(defaults, **_policy_updates(model)))
        if isinstance(model, _HtmlDir):
            src = replace(src, path=(path.parent / model.path).resolve())
        elif isinstance(model, _Urls):
            src = replace(src, urls=tuple(model.urls))
        elif isinstance(model, _Rss):
            src = replace(src, url=model.url, keywords=tuple(model.keywords))
        elif isinstance(model, _Sitemap):
            src = replace(src, url=model.url, since_days=model.since_days)
        out.append(src)
    if check.problems:
        return check, None
    return check, SourcesConfig(path=path, defaults=defaults, sources=tuple(out))


def _resolved(path: str | os.PathLike) -> Path:
    return Path(path).expanduser().resolve()


def validate_sources_file(path: str | os.PathLike) -> list[str]:
    """Every problem of the sources file, one line each (`<file>:<line>: <key path>: <what is wrong>`);
    [] when the file can be used. Never raises for a bad file."""
    check, _ = _check(_resolved(path))
    return check.lines()


def load_sources(path: str | os.PathLike) -> SourcesConfig:
    """The sources file as a `SourcesConfig`; raises `SourcesError` (every problem, one per line)."""
    check, config = _check(_resolved(path))
    if config is None:
        raise SourcesError(check.lines())
    return config


__all__ = ["BOUNDS", "KINDS", "CrawlPolicy", "Source", "SourcesConfig", "SourcesError", "load_sources",
           "validate_sources_file"]
