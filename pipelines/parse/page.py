"""parse_page: bytes -> ParsedPage (title, published_at, outlet, canonical URL, body) or not_article.

Publish time, first source that has one:
1. JSON-LD article ``datePublished`` (then ``dateCreated``; a WebPage object's as fallback);
2. meta ``article:published_time`` and kin (``og:published_time``, itemprop ``datePublished``,
   ``pubdate``, ``publishdate``, ``date``, ``dc.date``, ``og:regDate``, ...);
3. a ``<time datetime>`` marked as the publication time, or the first one near the headline;
4. a labelled byline (``기사입력 2025/06/20 [15:09]``) outside related lists, sidebars and footers,
   the first after the headline if there is one there;
5. an unlabelled date (``2024년 4월 20일``) within a few blocks after the headline;
6. a labelled modification time, when nothing else states a time.
Related-news lists, sidebars, footers and comment areas are never read (see ``zones``), nor is the
crawl time: an article that states no time gets ``None``.

Over the parse budget (``budget.py``: more than 16 MB, 200,000 elements or 2,000 levels of open elements):
``ParseError('parse_error', 'too_deep: ...')`` before the HTML parser runs.

Not an article (``kind='not_article'``, with ``reason``): an error page (404/삭제된 기사/... with little
text), a login page (a password field, little text), a list page (the best text region is mostly
link titles or list items), or an empty body (under 50 characters, or under 200 with fewer than two
sentences). A short real article of three sentences passes.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from selectolax.lexbor import LexborHTMLParser

from pipelines.parse import body as bodymod
from pipelines.parse import zones
from pipelines.parse.budget import markup_refusal, size_refusal
from pipelines.parse.dates import parse_machine_date
from pipelines.parse.encoding import decode_html
from pipelines.parse.metadata import PageMeta, clean_text, host_name, outlet_name, read_meta
from pipelines.parse.textscan import Literals
from pipelines.parse.titles import clean_title, extends_title, is_site_name, norm_name
from pipelines.parse.types import ParsedPage, ParseError

META_DATE_KEYS = (
    "article:published_time", "og:published_time", "article:published", "datepublished", "og:article:published_time",
    "publishdate", "publish-date", "publish_date", "pubdate", "og:regdate", "article:regdate", "dc.date.issued",
    "dcterms.created", "dc.date", "dcterms.date", "date", "sailthru.date", "parsely-pub-date", "datecreated",
)
_COPYRIGHT_MARK = re.compile(r"ⓒ|©|copyright|저작권자", re.I)
_ERROR = re.compile(
    r"\b404\b|not\s+found|페이지를\s*찾을\s*수\s*없|존재하지\s*않는|삭제된\s*기사|삭제되었|잘못된\s*(?:접근|경로|요청|주소)|"
    r"오류가\s*발생|서비스\s*점검|접근\s*권한이\s*없|error\s+page|권한이\s*없습니다", re.I,
)
# Literal pre-checks (see textscan): the regexes above can only match a text holding one of these.
_COPYRIGHT_MARK_LITS = Literals(("ⓒ", "Ⓒ", "©", "저작권자"), ("copyright",))
# ("점검" for 서비스 점검, not "서비스": news text says 서비스 all the time, and the full regex is slow.)
_ERROR_LITS = Literals(("404", "페이지를", "존재하지", "삭제된", "삭제되었", "잘못된", "오류가", "점검", "권한이"),
                       ("found", "error"))


_SUBJECT_LABELS = frozenset({"제목", "제 목", "제목:", "제목 :"})
_POST_DETAILS = re.compile(r"작성자|작성일|등록일|조회수|첨부파일|기사입력")


_BLOCK_INSIDE = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table",
                           "section", "header", "figure"})


def _holds_block(node, depth: int = 0) -> bool:  # type: ignore[no-untyped-def]
    for child in node.iter():
        if child.tag in _BLOCK_INSIDE or (depth < 6 and _holds_block(child, depth + 1)):
            return True
    return False


def _continuing_heading(tree: LexborHTMLParser, title: str) -> str | None:
    """A heading element that holds no block inside (a headline alone, never headline + subtitle) and
    continues ``title`` (see titles.extends_title); None when there is none."""
    for node in tree.css("h1, h2, h3, h4, h5, [class*=title], [class*=subject], [class*=headline]")[:60]:
        raw = node.text(deep=True, separator=" ") or ""
        if len(raw) <= len(title) or not extends_title(raw, title):  # cheap string tests first
            continue
        text = clean_text(raw)
        if len(text) <= 200 and not _holds_block(node) and not _POST_DETAILS.search(text) and not _in_other_zone(node):
            return text
    return None


def _candidates_from_dom(tree: LexborHTMLParser, td_label: bool = False) -> list[str]:
    """Visible headline-like texts outside lists/sidebars, in page order (a board's 제목 cell's value first)."""
    found: list[tuple[int, str]] = []  # (node id, text)
    boxes: set[int] = set()  # ids of the ancestors (up to 8 levels) of headings of 8 characters or more
    for node in tree.css("h1, h2, h3, h4, [class*=title], [class*=subject], [class*=headline], [class*=tit]")[:60]:
        text = clean_text(node.text(deep=True, separator=" "))
        if not (4 <= len(text) <= 200) or _POST_DETAILS.search(text) or _in_other_zone(node):
            continue  # (a box holding the headline with the post's details is not the headline)
        found.append((node.mem_id, text))
        if len(text) >= 8:  # a box (headline + subtitle, or + byline) gives way to a heading of 8+ characters in it
            cur = node.parent
            for _ in range(8):
                if cur is None:
                    break
                boxes.add(cur.mem_id)
                cur = cur.parent
    out: list[str] = [text for nid, text in found if nid not in boxes]
    # a board's label cell (th, dt, or a td of an old table layout, the label maybe in a <b>), then its value cell
    cells = list(tree.css("th, dt")[:20])
    labelled = tree.css(':lexbor-contains("제목"), :lexbor-contains("제 목")')[:20] if td_label else []
    for node in labelled:  # elements whose own text says 제목
        cell, hops = node, 0
        while cell is not None and cell.tag not in ("td", "th", "dt") and hops < 3:
            cell, hops = cell.parent, hops + 1
        if cell is not None and cell.tag == "td":
            cells.append(cell)
    for th in cells:
        if norm_name(th.text(deep=True) or "") in ("제목", "title", "subject"):
            sib = th.next
            while sib is not None and not sib.is_element_node:
                sib = sib.next
            if sib is not None:
                text = clean_text(sib.text(deep=True, separator=" "))
                if 4 <= len(text) <= 200:
                    out.insert(0, text)
    return out


def _in_other_zone(node) -> bool:  # type: ignore[no-untyped-def]
    cur = node
    for _ in range(25):
        cur = cur.parent
        if cur is None or cur.tag in ("body", "html"):
            return False
        tag, attrs = cur.tag or "", cur.attributes  # profile_attrs/profile_bare == classify, cached on raw values
        if (zones.profile_attrs(tag, attrs) if attrs else zones.profile_bare(tag))[0] == zones.OTHER:
            return True
    return False


def _first_h1(tree: LexborHTMLParser, is_label) -> str | None:  # type: ignore[no-untyped-def]
    for node in tree.tags("h1")[:5]:  # the same nodes as css("h1"), without compiling a selector
        text = clean_text(node.text(deep=True, separator=" "))
        if len(text) >= 4 and not is_label(text) and not _in_other_zone(node):
            return text
    return None


# Menus, section navigation and breadcrumbs: their link texts are the site's board and category names.
_NAV_SELECTOR = ("nav, [class*=nav], [id*=nav], [class*=menu], [id*=menu], [class*=lnb], [id*=lnb], [class*=gnb], "
                 "[id*=gnb], [class*=snb], [id*=snb], [class*=crumb], [id*=crumb], [class*=location], [id*=location], "
                 "[class~=loc], [id~=loc]")
_NAV_LABEL_MAX = 12  # normalised characters: a board or category name, never a headline


def _nav_labels(tree: LexborHTMLParser) -> frozenset[str]:
    """Normalised link texts (up to 12 characters) of the page's menus, section navigation and breadcrumbs."""
    out: set[str] = set()
    for box in tree.css(_NAV_SELECTOR)[:40]:
        for a in box.css("a")[:120]:
            key = norm_name(a.text(deep=True) or "")
            if 2 <= len(key) <= _NAV_LABEL_MAX:
                out.add(key)
    return frozenset(out)


def choose_title(tree: LexborHTMLParser, meta: PageMeta, names: list[str], td_label: bool = False) -> str | None:
    """The first candidate (see titles.py) that, cleaned, is more than the site's name or a board/category
    name (one of the page's own menu or breadcrumb links). ``td_label``: the page has a block saying 제목 (a
    board's label cell, looked for among td cells too)."""
    cache: dict[str, object] = {}

    def headings() -> list[str]:
        if "h" not in cache:
            cache["h"] = _candidates_from_dom(tree, td_label)
        return cache["h"]  # type: ignore[return-value]

    def is_label(text: str) -> bool:
        if is_site_name(text, names):
            return True
        key = norm_name(text)
        if len(key) > _NAV_LABEL_MAX:
            return False
        if "nav" not in cache:
            cache["nav"] = _nav_labels(tree)
        return key in cache["nav"]  # type: ignore[operator]

    def dom_heading() -> str | None:
        return _first_h1(tree, is_label) or next((h for h in headings() if not is_label(h)), None)

    art = meta.jsonld_article or {}
    raws: list[tuple[object, bool]] = [
        (meta.meta.get("og:title"), False), (art.get("headline") if isinstance(art.get("headline"), str) else None, False),
        (meta.meta.get("twitter:title"), False), (meta.meta.get("title"), False), (dom_heading, False),
        (meta.html_title, True),
    ]
    for raw, from_title in raws:
        value = raw() if callable(raw) else raw
        title = clean_title(value if isinstance(value, str) else None, names, headings, from_html_title=from_title)
        if title and len(title) >= 2 and not is_label(title):
            if not callable(raw):  # a meta title cut short: the visible heading that continues it
                return _continuing_heading(tree, title) or title
            return title
    return None


def _meta_date(meta: PageMeta) -> tuple[datetime | None, str | None]:
    for obj in (meta.jsonld_article, meta.jsonld_page):
        if obj:
            for key in ("datePublished", "dateCreated"):
                when = parse_machine_date(obj.get(key))
                if when is not None:
                    return when, "json-ld"
    for key in META_DATE_KEYS:
        when = parse_machine_date(meta.meta.get(key))
        if when is not None:
            return when, "meta"
    return None, None


def _title_order(res: bodymod.WalkResult, title: str | None) -> int | None:
    key = bodymod.norm_key(title or "")
    if not key:
        return None
    lo, hi = len(key) // 2, len(key) * 3 + 20
    for b in res.blocks:
        if lo <= len(b.text) <= hi and bodymod.norm_key(b.text) == key:
            return b.order
    return None


def choose_published(meta: PageMeta, res: bodymod.WalkResult, title_pos: int | None,
                     body_start: int | None) -> tuple[datetime | None, str | None]:
    """First source that states a time (see the module docstring); None when the article states none."""
    when, source = _meta_date(meta)
    if when is not None:
        return when, source
    lo = (title_pos - 3) if title_pos is not None else None
    hi = max(body_start if body_start is not None else -1, (title_pos or 0) + 3) if title_pos is not None else None

    def near_title(order: int) -> bool:
        return lo is not None and hi is not None and lo <= order <= hi and order != title_pos

    times = [d for d in res.dates if d.source == "time"]
    hinted = [d for d in times if d.hinted]
    near = [d for d in times if near_title(d.order)]
    for group in (hinted, near):
        if group:
            return group[0].when, "time"  # type: ignore[return-value]
    bylines = [d for d in res.dates if d.source == "byline"]
    published = [d for d in bylines if d.labeled and not d.modified]
    published = [d for d in published if not d.distributed] or published  # 배포 gives way to 보도/등록
    if published:
        after = [d for d in published if title_pos is not None and d.order >= title_pos]
        return (after or published)[0].when, "byline"  # type: ignore[return-value]
    unlabeled = [d for d in bylines if not d.labeled and near_title(d.order) and d.order > (title_pos or 0)]
    if unlabeled:
        return unlabeled[0].when, "byline"  # type: ignore[return-value]
    modified = [d for d in bylines if d.labeled and d.modified]
    if modified:
        return modified[0].when, "byline-modified"  # type: ignore[return-value]
    return None, None


def _not_article_reason(body: str, region: list[bodymod.Block], title: str | None, res: bodymod.WalkResult,
                        meta: PageMeta, chars: int | None = None, dated: bool = False,
                        photo: bool = False) -> str | None:
    """``chars`` is ``len(norm_key(body))`` when the caller already has it; ``dated``: a publish time was found.
    A password field makes a short page a login page unless the page is a dated story of two sentences or
    more (a real article under a site header with a login box). ``photo``: the body is a dated photo story's
    caption, whose one sentence is enough."""
    if chars is None:
        chars = len(bodymod.norm_key(body))
    visible = [b for b in res.blocks if b.zone == zones.NEUTRAL] if chars < 500 else []  # only read when short
    if chars < 500:
        probe = " ".join([title or "", meta.html_title or "", body[:300]] + [b.text for b in visible[:60] if len(b.text) < 200])
        if _ERROR_LITS(probe) and _ERROR.search(probe):
            return "error_page"
        if res.has_password and not (dated and bodymod.sentence_count(body) >= 2):
            return "login_page"
    total = link_total = item_total = link_titles = 0  # one pass over the region (integer sums, as before)
    for b in region:
        n = len(b.text)
        total += n
        link_total += b.link_chars
        if b.other_item:
            item_total += n
        if n >= 10 and b.link_chars >= n * 0.8:
            link_titles += 1
    total = total or 1
    link_share = link_total / total
    item_share = item_total / total
    strong = 0.6 if meta.has_article_signal else 0.4
    if region and (link_share >= strong or item_share >= 0.6 or (link_titles >= 5 and link_titles >= len(region) * 0.3
                                                                  and not meta.has_article_signal)):
        return "list_page"
    if chars < 200 and sum(1 for b in visible if len(b.text) >= 8 and
                           (b.other_item or b.link_chars >= len(b.text) * 0.8)) >= 8:
        return "list_page"
    if chars < 30 or (chars < 200 and bodymod.sentence_count(body) < (1 if photo else 2)):
        return "empty_body"
    return None


def _footer_copyright_texts(tree: LexborHTMLParser) -> list[str]:
    """Copyright lines in footers (only read when no meta names the outlet)."""
    nodes = tree.css("footer, [class*=copy], [id*=copy], [class*=foot], [id*=foot], address")[:12]
    return [n.text(deep=True, separator=" ")[:400] for n in nodes]


def parse_html(text: str, url: str, encoding: str | None = None) -> ParsedPage:
    refusal = markup_refusal(text)  # before lexbor: its tree building is ~ elements x depth, in one C call
    if refusal:
        raise ParseError("parse_error", refusal)
    try:
        tree = LexborHTMLParser(text)
    except Exception as exc:  # noqa: BLE001 - any parser failure is a parse_error
        raise ParseError("parse_error", f"HTML parser failed: {exc}") from exc
    meta = read_meta(tree, url)
    root = tree.body or tree.root
    if root is None:
        raise ParseError("parse_error", "no document body")
    res = bodymod.walk_page(root)

    def copyright_texts() -> Iterator[str]:  # only read when no meta names the outlet, and only up to a name
        yield from res.copyright_texts
        for b in res.blocks:
            if len(b.text) < 200 and _COPYRIGHT_MARK_LITS(b.text) and _COPYRIGHT_MARK.search(b.text):
                yield b.text
        yield from _footer_copyright_texts(tree)  # a CSS query: skipped when a block already named the outlet

    host = host_name(url) or ""
    names = [n for n in (meta.meta.get("og:site_name"), meta.jsonld_publisher, meta.meta.get("application-name"),
                         host.split(".")[0] if host else None) if n]
    outlet = outlet_name(meta, copyright_texts, url)
    if outlet and outlet not in names:
        names.append(outlet)
    title = choose_title(tree, meta, names, td_label=any(len(b.text) <= 4 and b.text in _SUBJECT_LABELS
                                                         for b in res.blocks))
    roots = bodymod.choose_roots(res)
    region = bodymod.content_blocks(res, roots) if roots else []
    body_start = region[0].order if region else None
    title_pos = _title_order(res, title)
    published_at, source = choose_published(meta, res, title_pos, body_start)
    paragraphs, chars = bodymod.body_paragraphs_keyed(region, title, names)
    photo = False
    if chars < 200 and published_at is not None and title_pos is not None:  # a photo story: its caption is the text
        captions = bodymod.caption_paragraphs(res, title_pos)
        if captions and bodymod.sentence_count(" ".join(captions)) >= bodymod.sentence_count(" ".join(paragraphs)):
            paragraphs, photo = captions, True
            chars = sum(len(bodymod.norm_key(p)) for p in paragraphs)
    body = "\n\n".join(paragraphs)
    reason = _not_article_reason(body, region, title, res, meta, chars, dated=published_at is not None, photo=photo)
    page = ParsedPage(kind="article", canonical_url=meta.canonical or url, title=title, published_at=published_at,
                      published_at_source=source, outlet=outlet, body=body, encoding=encoding)
    if reason:
        page.kind, page.reason = "not_article", reason
    return page


def parse_page(content: bytes, url: str, content_type: str | None = None) -> ParsedPage:
    """Parse one fetched page. Raises ParseError only when nothing usable can be read, or when the page is over
    the parse budget (pipelines/parse/budget.py: too_large / too_many_elements / too_deep, with the reason)."""
    refusal = size_refusal(content)
    if refusal:
        raise ParseError("parse_error", refusal)
    text, encoding = decode_html(content, content_type)
    return parse_html(text, url, encoding)
