"""Find the article text in a page: one walk over the DOM, text-density scoring, generic cleanup.

1. Walk. The DOM is walked once. Scripts, styles, media, form controls and ``amp-*`` widgets are
   skipped. Each element is classified by ``zones.classify``: OTHER zones (related lists, sidebars,
   footers, comments, navigation...) are skipped whole; BOILER zones (header, byline, share bar,
   ads, captions, copyright...) are walked but their text is only used for the byline date. A zone
   word on an element that holds most of the page's text is ignored (it is a page wrapper).
   Text is cut into blocks at block-level elements and at ``<br><br>``; a single ``<br>`` ends a
   block only after a sentence end. Each block keeps its container element, how much of it is link
   text, whether it follows an image, and whether it sits in a small image box (a caption).
2. Score. A block of >= 25 characters scores 1 + its sentence/comma count + min(len/100, 3); the
   score goes to its paragraph's parent (or to the element itself when the element holds the text
   directly, as ``<br>``-separated bodies do) and half of it to the next ancestor. A candidate's
   score is multiplied by (1 - link density) and by ``zones.profile``'s hint (itemprop=articleBody,
   <article>, content-like class/id). The best candidate is the content root; a sibling of it that
   scores >= 20 % of the best with little link text joins it (bodies split by an ad slot).
3. Clean. In the content root's blocks, drop: copyright lines, ad labels, reporter bylines and
   e-mail signatures, date/metadata lines, photo captions and credits, widget and share texts,
   the headline repeated as a block. Then dedupe: a block whose normalised text (NFKC, no spaces or
   punctuation) equals an earlier one, or is contained in a longer kept one, is dropped - so a
   page that prints the article twice (summary + body, print copy) yields it once.
   A dateline tag on the first paragraph (``[뉴스스텝]``, ``[동아경제신문=김선아 기자]``,
   ``(서울=연합뉴스) 홍길동 기자 =``) is removed.

Deep pages. The walk recurses at most WALK_DEPTH (300) elements deep. An element below that is read flat,
without recursion (``_Walker.walk_flat``): its text, cut into blocks at block-level elements, all in the zone
and container of the element at the cut (zone words below it are not read); text and inline elements (``<br>``,
images, links, skipped tags, a password field) are read by the same code as in the walk (``_Walker.text``,
``_Walker.inline``). So a page nested deeper than 300 levels (the parse budget refuses more than
budget.MAX_DEPTH) keeps its text instead of silently losing it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from selectolax.lexbor import LexborNode

from pipelines.parse import zones
from pipelines.parse.dates import (DATE_SHAPE, BylineDate, byline_dates, is_date_label, parse_machine_date,
                                   shaped_byline_dates)
from pipelines.parse.textscan import Literals

SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "iframe", "svg", "canvas", "object", "embed", "video", "audio",
    "select", "option", "textarea", "input", "button", "map", "link", "meta", "head", "title", "source",
    "track", "param", "math", "datalist", "output", "progress", "meter", "label",
})
IMAGE_TAGS = frozenset({"img", "amp-img", "picture", "amp-anim"})
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "td", "th", "li", "dd", "dt", "blockquote", "pre", "h1", "h2", "h3",
    "h4", "h5", "h6", "table", "tr", "tbody", "thead", "tfoot", "ul", "ol", "dl", "center", "header", "footer",
    "figure", "figcaption", "form", "fieldset", "address", "hr", "body", "html", "caption", "aside", "nav",
    "details", "summary", "hgroup", "frameset", "legend",
})
PARAGRAPH_TAGS = frozenset({"p", "li", "dd", "dt", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6"})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

_SENTENCE_END = re.compile(r"(?:[.!?。]|다)[\"'”’)\]]*$")
_SENTENCE_ENDS = re.compile(r"[.!?。](?=[\s\"'”’)\]]|$)")  # plus commas: see _block_score
_COPY_ATTR = re.compile(r"copy", re.I)
_DIGIT = re.compile(r"\d")
_PUB_HINT = re.compile(r"publish|pubdate|entry-date|created", re.I)
# Runs of spacing collapse to one space. Only runs that change are matched (not every single space,
# which made the substitution cost ~150 ns per word): a run starting with a non-space spacing
# character, or two or more characters starting with a space.
_WS = re.compile(r"[\t\r\f\v\u00a0\u200b\u3000][ \t\r\f\v\u00a0\u200b\u3000]*| [ \t\r\f\v\u00a0\u200b\u3000]+")
# _WS can only match a text holding two spaces or one of its other characters, none of which is printable
# (\t\r\f\v are controls, U+00A0 and U+3000 are separators, U+200B is a format character).

_COPYRIGHT_LINE = re.compile(r"저작권자|무단\s*전재|재배포\s*금지|무단\s*복제|All\s+rights\s+reserved|Copyright\s*(?:ⓒ|©|\(c\))|^\s*[\[(]?\s*[ⓒ©]", re.I)
_AD_LINE = re.compile(r"^[\s\-–—·*]*(?:광고|AD|Advertisement|ADVERTISEMENT|스폰서|Sponsored|협찬|PR)[\s\-–—·*]*$", re.I)
_BYLINE_LINE = re.compile(
    r"^[\[(]?\s*[가-힣]{2,4}\s*(?:기자|특파원|객원기자|인턴기자|선임기자|전문기자|논설위원|칼럼니스트|통신원|리포터)\s*"
    r"(?:[|/·,]|입력|승인|등록|기사입력|=|[\])]|[\w.+-]+@[\w.-]+|$)"
)
_EMAIL_ONLY = re.compile(r"^[\s<(\[]*[\w.+-]+@[\w-]+(?:\.[\w-]+)+[\s>)\]]*$")
_PHOTO_CREDIT = re.compile(r"/\s*사진\s*[=:]|[(\[]\s*사진\s*[=.:,]|사진\s*[=:]|사진\s*제공|사진\s*출처|자료\s*사진|\[\s*사진|<\s*사진|사진\s*=\s*|ⓒ\s*\S+\s*$|Getty\s*Images|게티이미지", re.I)
_CAPTION_MARK = re.compile(r"^\s*[▲△▷▶◀◆■]\s*")
_WIDGET = re.compile(
    r"도배방지|이\s*기사를\s*공유|기사\s*공유하기|URL\s*복사|글씨\s*(?:크기|키우기|줄이기)|인쇄하기|기사\s*제보|"
    r"구독\s*(?:신청|하기)|좋아요|추천\s*\d|댓글\s*\d|댓글\s*(?:쓰기|달기|보기)|관련\s*기사|많이\s*본\s*기사|"
    r"다른\s*기사\s*보기|기사\s*(?:보내기|목록)|SNS\s*(?:기사)?\s*보내기|카카오톡\s*공유|페이스북\s*공유|"
    r"본문\s*바로가기|맨\s*위로|top\s*으로|^\s*(?:TAGS?|태그)\s*[:#]?|^#\S+(?:\s+#\S+)*$|Subscribe|Newsletter",
    re.I,
)
_METADATA_LINE = re.compile(r"(?:기사\s*)?(?:입력|승인|등록|수정|작성|게재|발행|송고|전송)\s*(?:일시?)?\s*[\])]?\s*[:：]?\s*(?:19|20)?\d{2}\s*[.\-/년]")
_DATELINE = re.compile(
    r"^\s*(?:[\[【]([^\]】]{1,40})[\]】]|\(([^)]{1,40}=[^)]{0,30})\)\s*(?:[가-힣]{2,4}\s*(?:기자|특파원)\s*=?)?|"
    r"\[([^\]]{1,40})\]\s*[가-힣]{2,4}\s*기자\s*=)\s*"
)
_MEDIA_SUFFIX = re.compile(r"(?:뉴스|신문|일보|닷컴|매거진|타임즈|타임스|저널|경제|방송|통신|데일리|미디어|투데이|포스트|TV|tv|News|news)$")


@dataclass(slots=True)
class Block:
    text: str
    container: LexborNode
    container_id: int
    link_chars: int
    order: int
    zone: int
    tag: str
    after_image: bool = False
    caption: bool = False
    other_item: bool = False


@dataclass(slots=True)
class DateCandidate:
    when: object
    order: int
    source: str  # 'time' | 'byline'
    labeled: bool = False
    modified: bool = False
    hinted: bool = False
    distributed: bool = False


@dataclass
class WalkResult:
    blocks: list[Block] = field(default_factory=list)
    dates: list[DateCandidate] = field(default_factory=list)
    nodes: dict[int, LexborNode] = field(default_factory=dict)
    parents: dict[int, int] = field(default_factory=dict)
    hints: dict[int, float] = field(default_factory=dict)
    copyright_texts: list[str] = field(default_factory=list)
    has_password: bool = False


_SKIP, _BR, _IMAGE, _INPUT = 1, 2, 3, 4
WALK_DEPTH = 300  # deeper elements are read flat (walk_flat): the recursion stays far from Python's limit
_END_BLOCK, _END_LINK = object(), object()  # walk_flat's markers: a block or a link ends here
_TAG_ACTIONS: dict[str | None, int] = {}


def _tag_action(tag: str | None) -> int:
    """0 for an element the walk classifies; else what the walk does with the tag by itself (cached per tag)."""
    found = _TAG_ACTIONS.get(tag)
    if found is None:
        if not tag or tag[0] in "-!#":
            found = _SKIP
        elif tag == "br":
            found = _BR
        elif tag in IMAGE_TAGS:
            found = _IMAGE
        elif tag == "input":
            found = _INPUT
        elif tag in SKIP_TAGS or tag.startswith("amp-") and tag not in ("amp-fit-text",):
            found = _SKIP
        else:
            found = 0
        if len(_TAG_ACTIONS) < 4096:
            _TAG_ACTIONS[tag] = found
    return found


class _Walker:
    """One recursive pass producing blocks, byline/time date candidates and the parent map.

    The text buffer ``buf`` is one list for the whole walk (cleared in place by ``flush``), so the
    recursion can hold it in a local. Each element's ``mem_id`` is read once and passed down.
    """

    __slots__ = ("page_chars", "res", "buf", "buf_link", "link_digits", "in_link", "br_run", "last_image_order")

    def __init__(self, page_chars: int) -> None:
        self.page_chars = max(page_chars, 1)
        self.res = WalkResult()
        self.buf: list[str] = []
        self.buf_link = 0
        self.link_digits = False  # a linked text of the current block holds a digit (a dated list entry)
        self.in_link = 0
        self.br_run = 0
        self.last_image_order = -10

    # -- buffer -------------------------------------------------------------------------------
    def flush(self, container: LexborNode, cid: int, zone: int, tag: str, other_item: bool) -> None:
        self.br_run = 0
        buf = self.buf
        if not buf:
            return
        text = "".join(buf)
        buf.clear()
        if "  " in text or not text.isprintable():  # else _WS has nothing to match (see _WS)
            text = _WS.sub(" ", text)
        text = text.strip()
        link = self.buf_link
        self.buf_link = 0
        link_digits = self.link_digits
        self.link_digits = False
        if not text:
            return
        blocks = self.res.blocks
        order = len(blocks)
        block = Block(text, container, cid, min(link, len(text)), order, zone, tag,
                      self.last_image_order == order, False, other_item)
        blocks.append(block)
        # _scan_dates ignores list items and mostly-linked blocks, and byline_dates needs a y-m-d shape:
        # test those before calling it
        if not other_item and link * 5 < len(text) * 2 and len(text) <= 220 and DATE_SHAPE.search(text):
            self._scan_dates(block, link_digits)

    def _scan_dates(self, block: Block, link_digits: bool = False) -> None:
        """Byline dates of a block. A block that is mostly link text is another article's list entry (not
        scanned); a byline with a few linked buttons (print, mail, font size), a linked reporter name or
        e-mail address is still read, its unlabelled dates only when no linked text holds a digit. A value
        cell right after a bare label cell (``등록일`` | ``2025-06-20``) is read as one labelled byline."""
        if block.other_item:
            return
        text = block.text
        blocks = self.res.blocks
        if block.order > 0:
            prev = blocks[block.order - 1]
            if prev.zone == block.zone and not prev.other_item and is_date_label(prev.text):
                text = f"{prev.text} {text}"
        for found in shaped_byline_dates(text):  # only called after DATE_SHAPE matched
            if link_digits and not found.labeled:
                continue
            self.res.dates.append(DateCandidate(found.when, block.order, "byline", found.labeled, found.modified,
                                                distributed=found.distributed))

    # -- text and inline elements (one implementation for walk and walk_flat) -----------------------
    def text(self, t: str, container: LexborNode, cid: int, zone: int, ctag: str, other_item: bool) -> None:
        """A text node that is not blank or continues a block: a single ``<br>`` after a sentence end ends the
        block before it; linked text counts towards the block's link text (and notes a digit in it)."""
        buf = self.buf
        if self.br_run == 1 and buf and _SENTENCE_END.search("".join(buf[-3:]).rstrip()):
            self.flush(container, cid, zone, ctag, other_item)
        stripped = t.strip()
        if stripped:
            self.br_run = 0
        buf.append(t)
        if self.in_link:
            self.buf_link += len(stripped)
            if not self.link_digits and _DIGIT.search(stripped):
                self.link_digits = True

    def inline(self, child: LexborNode, action: int, container: LexborNode, cid: int, zone: int, ctag: str,
               other_item: bool) -> None:
        """An element the walk does not classify (`_tag_action`): ``<br>`` (two end a block), an image (ends the
        block; a caption may follow), a password input (the page is a login form); skipped tags do nothing."""
        if action == _BR:
            self.br_run += 1
            if self.br_run >= 2:
                self.flush(container, cid, zone, ctag, other_item)
                self.br_run = 2
            else:
                self.buf.append(" ")
        elif action == _IMAGE:
            if self.buf:
                self.flush(container, cid, zone, ctag, other_item)
            else:
                self.br_run = 0
            self.last_image_order = len(self.res.blocks)
        elif action == _INPUT and (child.attributes.get("type") or "").lower() == "password":
            self.res.has_password = True

    # -- walk ---------------------------------------------------------------------------------
    def walk(self, node: LexborNode, zone: int, container: LexborNode, cid: int, ctag: str, other_item: bool,
             depth: int) -> None:
        if depth > WALK_DEPTH:
            self.walk_flat(node, zone, container, cid, ctag, other_item)
            return
        buf = self.buf
        res = self.res
        for child in node.iter(include_text=True):
            if child.is_text_node:  # cheaper than .tag == "-text"
                t = child.text_content
                if t and (buf or not t.isspace()):
                    self.text(t, container, cid, zone, ctag, other_item)
                continue
            tag = child.tag
            action = _TAG_ACTIONS.get(tag)
            if action is None:
                action = _tag_action(tag)
            if action:
                self.inline(child, action, container, cid, zone, ctag, other_item)
                continue
            # an element: zone, block boundary, recursion
            attrs = child.attributes
            own, hint = zones.profile_attrs(tag, attrs) if attrs else zones.profile_bare(tag)
            if own:  # not NEUTRAL
                if self._is_wrapper(child, own):
                    own = zones.NEUTRAL
                elif own == zones.OTHER:
                    if attrs and _COPY_ATTR.search((attrs.get("class") or "") + (attrs.get("id") or "")):
                        res.copyright_texts.append(child.text(deep=True, separator=" ")[:300])
                    if buf:
                        self.flush(container, cid, zone, ctag, other_item)
                    else:
                        self.br_run = 0
                    continue
            new_zone = own if own > zone else zone
            if tag == "time" and new_zone != zones.OTHER:
                when = parse_machine_date(attrs.get("datetime") or "")
                if when is not None and not other_item:
                    hinted = bool(_PUB_HINT.search((attrs.get("class") or "") + " " + (attrs.get("itemprop") or "")
                                                   + " " + ("pubdate" if "pubdate" in attrs else "")))
                    res.dates.append(DateCandidate(when, len(res.blocks), "time", hinted=hinted))
            if tag in BLOCK_TAGS or new_zone != zone:
                # a leaf holds no element: nothing or one text node (most paragraphs, cells and list items)
                first = child.first_child
                leaf = first is None or (first.next is None and first.is_text_node)
                item = other_item
                if tag == "li" and not other_item and not leaf:  # a leaf <li> holds no <a>: item stays False
                    a = child.css_first("a")
                    item = a is not None and len((a.text(deep=True) or "").strip()) >= 8
                if buf:
                    self.flush(container, cid, zone, ctag, other_item)
                else:
                    self.br_run = 0  # what flush does with an empty buffer, without the call
                child_id = child.mem_id
                res.parents[child_id] = cid
                if hint != 1.0:
                    res.hints[child_id] = hint
                if leaf and depth < WALK_DEPTH:
                    # what walk() does with a single text node after a flush (empty buffer, br_run 0)
                    if first is not None:
                        t = first.text_content
                        if t and not t.isspace():
                            buf.append(t)
                            if self.in_link:
                                self.buf_link += len(t.strip())
                                if _DIGIT.search(t):
                                    self.link_digits = True
                            self.flush(child, child_id, new_zone, tag, item)
                    continue  # no image inside: no caption box
                start = len(res.blocks)
                images_before = self.last_image_order
                self.walk(child, new_zone, child, child_id, tag, item, depth + 1)
                if buf:
                    self.flush(child, child_id, new_zone, tag, item)
                else:
                    self.br_run = 0
                if tag != "p" and self.last_image_order != images_before and self.last_image_order >= start:
                    self._mark_caption_box(start)
            elif tag == "a":
                self.in_link += 1
                self.walk(child, new_zone, container, cid, ctag, other_item, depth + 1)
                self.in_link -= 1
            else:
                self.walk(child, new_zone, container, cid, ctag, other_item, depth + 1)

    def walk_flat(self, node: LexborNode, zone: int, container: LexborNode, cid: int, ctag: str,
                  other_item: bool) -> None:
        """Read `node`'s subtree without recursion (an explicit stack): text in document order, a block cut at
        each block-level element's start and end; text and inline elements as `walk` reads them (`text`,
        `inline`); every block in `container`'s zone."""
        buf = self.buf
        todo: list = [node.first_child]
        while todo:
            child = todo.pop()
            if child is None:
                continue
            if child is _END_BLOCK:
                if buf:
                    self.flush(container, cid, zone, ctag, other_item)
                continue
            if child is _END_LINK:
                self.in_link -= 1
                continue
            todo.append(child.next)
            if child.is_text_node:
                t = child.text_content
                if t and (buf or not t.isspace()):
                    self.text(t, container, cid, zone, ctag, other_item)
                continue
            tag = child.tag
            action = _TAG_ACTIONS.get(tag)
            if action is None:
                action = _tag_action(tag)
            if action:
                self.inline(child, action, container, cid, zone, ctag, other_item)
                continue
            if tag in BLOCK_TAGS:
                if buf:
                    self.flush(container, cid, zone, ctag, other_item)
                todo.append(_END_BLOCK)
            elif tag == "a":
                self.in_link += 1
                todo.append(_END_LINK)
            todo.append(child.first_child)

    def _mark_caption_box(self, start: int) -> None:
        """A small box (table/div/figure) holding an image and under 200 characters is a photo box."""
        blocks = self.res.blocks
        if not 0 < len(blocks) - start <= 3:  # test the count first: a big box never sums its text
            return
        inside = blocks[start:]
        if sum(len(b.text) for b in inside) < 200:
            for b in inside:
                b.caption = True

    def _is_wrapper(self, node: LexborNode, zone: int) -> bool:
        """A zone word on a node that holds most of the page's text marks a wrapper, not furniture."""
        text_len = len(node.text(deep=True) or "")
        if text_len * 2 > self.page_chars:
            return True
        if zone == zones.BOILER and text_len >= 600:
            link_len = sum(len(a.text(deep=True) or "") for a in node.css("a"))
            return link_len < text_len * 0.3
        return False


def walk_page(body: LexborNode) -> WalkResult:
    walker = _Walker(len(body.text(deep=True) or ""))
    rid = body.mem_id
    walker.res.nodes[rid] = body
    tag = body.tag or "body"
    walker.walk(body, zones.NEUTRAL, body, rid, tag, False, 0)
    walker.flush(body, rid, zones.NEUTRAL, tag, False)
    return walker.res


# -- scoring ------------------------------------------------------------------------------------

def _block_score(text: str) -> float:
    # == len(re.findall(r"[.!?。](?=...)|[,，]", text)): the two alternatives match disjoint characters
    clauses = len(_SENTENCE_ENDS.findall(text)) + text.count(",") + text.count("，")
    return 1.0 + clauses + min(len(text) / 100.0, 3.0)


def _chain(parents: dict[int, int], cid: int, tag: str) -> tuple[int, int | None, int | None]:
    """The ids a block's score goes to: its paragraph's parent (or the container), and two ancestors up."""
    first = parents.get(cid, cid) if tag in PARAGRAPH_TAGS else cid
    second = parents.get(first)
    return first, second, (parents.get(second) if second is not None else None)


def choose_roots(res: WalkResult) -> list[int]:
    """Ids of the content root (and qualifying siblings), best first in document order."""
    score: dict[int, float] = {}
    chars: dict[int, int] = {}
    links: dict[int, int] = {}
    parents = res.parents
    neutral = zones.NEUTRAL
    # A block's tag and zone are those of its container, so its (first, second, third) ancestors depend
    # on the container alone: text and link lengths are summed per container, then handed up once.
    # (Integer sums: the order of additions cannot change them. Scores stay summed block by block.)
    per_container: dict[int, list] = {}
    chain_of: dict[int, tuple[int, int | None, int | None]] = {}
    for b in res.blocks:
        if b.zone != neutral:
            continue
        cid = b.container_id
        n = len(b.text)
        lc = b.link_chars
        acc = per_container.get(cid)
        if acc is None:
            per_container[cid] = [n, lc, b.tag]
        else:
            acc[0] += n
            acc[1] += lc
        if n < 25 or lc > n * 0.5 or b.caption:
            continue
        chain = chain_of.get(cid)
        if chain is None:
            chain = chain_of[cid] = _chain(parents, cid, b.tag)
        first, second, _ = chain
        s = _block_score(b.text)
        score[first] = score.get(first, 0.0) + s
        if second is not None:
            score[second] = score.get(second, 0.0) + s / 2
    for cid, (n, lc, tag) in per_container.items():
        chain = chain_of.get(cid)
        if chain is None:
            chain = _chain(parents, cid, tag)
        first, second, third = chain
        # the distinct ids among (container, first, second, third): only ``first`` can repeat the container
        for node_id in ((cid, second, third) if first == cid else (cid, first, second, third)):
            if node_id is None:
                continue
            chars[node_id] = chars.get(node_id, 0) + n
            links[node_id] = links.get(node_id, 0) + lc
    final: dict[int, float] = {}
    for node_id, s in score.items():
        density = links.get(node_id, 0) / max(chars.get(node_id, 1), 1)
        final[node_id] = s * (1 - density) * res.hints.get(node_id, 1.0)
    if not final:
        return []
    best = max(final, key=lambda k: final[k])
    roots = [best]
    parent = res.parents.get(best)
    if parent is not None:
        threshold = max(3.0, final[best] * 0.2)
        for node_id, s in final.items():
            if node_id != best and res.parents.get(node_id) == parent and s >= threshold:
                density = links.get(node_id, 0) / max(chars.get(node_id, 1), 1)
                if density < 0.25:
                    roots.append(node_id)
    return roots


def _within(res: WalkResult, container_id: int, roots: set[int], cache: dict[int, bool]) -> bool:
    chain = []
    node_id: int | None = container_id
    result = False
    while node_id is not None:
        if node_id in cache:
            result = cache[node_id]
            break
        if node_id in roots:
            result = True
            break
        chain.append(node_id)
        node_id = res.parents.get(node_id)
    for c in chain:
        cache[c] = result
    return result


def content_blocks(res: WalkResult, roots: list[int]) -> list[Block]:
    rootset = set(roots)
    cache: dict[int, bool] = {}
    neutral = zones.NEUTRAL
    out = []
    for b in res.blocks:
        if b.zone == neutral:
            inside = cache.get(b.container_id)  # the common case: a container already seen
            if inside is None:
                inside = _within(res, b.container_id, rootset, cache)
            if inside:
                out.append(b)
    return out


# -- cleanup ------------------------------------------------------------------------------------

_NON_WORD = re.compile(r"[\W_]+")


# Non-word characters common in news text (after NFKC), deleted with str.replace before the regex is needed.
_COMMON_NON_WORD = (".", ",", '"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "(", ")", "[", "]", "-", "\u00b7", "%",
                    ":", "/", "=", "~", "!", "?")


def norm_key(text: str) -> str:
    # == _NON_WORD.sub("", NFKC(text)).lower(): deleting characters is order-free, so spaces and the common
    # punctuation go with str.replace first, and the regex runs only when something non-alphanumeric is left
    # (str.isalnum is exactly "every character is \w but not _").
    s = unicodedata.normalize("NFKC", text).replace(" ", "")
    for c in _COMMON_NON_WORD:
        if c in s:
            s = s.replace(c, "")
    if not s.isalnum():
        s = _NON_WORD.sub("", s)
    return s.lower()


# Literal pre-checks (see textscan): each regex below can only match a text holding one of these.
_COPYRIGHT_LITS = Literals(("저작권자", "무단", "재배포", "ⓒ", "Ⓒ", "©"), ("rights", "copyright"))
_METADATA_LITS = Literals(("입력", "승인", "등록", "수정", "작성", "게재", "발행", "송고", "전송"))
_PHOTO_LITS = Literals(("사진", "ⓒ", "Ⓒ", "게티이미지"), ("getty",))
_WIDGET_LITS = Literals(("도배방지", "공유", "복사", "글씨", "인쇄하기", "제보", "구독", "좋아요", "추천", "댓글", "관련", "많이",
                         "다른", "기사", "보내기", "본문", "맨", "으로", "태그", "#"), ("tag", "subscribe", "newsletter"))


def _photo_credit(t: str, lowered: list[str] | None = None) -> bool:
    return _PHOTO_LITS.with_lower(t, [] if lowered is None else lowered) and _PHOTO_CREDIT.search(t) is not None


def is_boilerplate(block: Block) -> bool:
    t = block.text
    n = len(t)
    if block.caption:
        return True
    if n >= 200:  # only the unbounded checks below apply to a long block
        return _AD_LINE.match(t) is not None or ("@" in t and _EMAIL_ONLY.match(t) is not None)
    lowered: list[str] = []  # t.lower(), computed once for the guards that need it
    if _COPYRIGHT_LITS.with_lower(t, lowered) and _COPYRIGHT_LINE.search(t):
        return True
    if _AD_LINE.match(t) or ("@" in t and _EMAIL_ONLY.match(t)):
        return True
    if n < 120 and _BYLINE_LINE.match(t):
        return True
    if n < 120 and _METADATA_LITS(t) and _METADATA_LINE.search(t) and not _SENTENCE_END.search(t):
        return True
    if n < 150 and _photo_credit(t, lowered):
        return True
    if n < 200 and _CAPTION_MARK.match(t) and (block.after_image or _photo_credit(t, lowered)):
        return True
    if n < 60 and _WIDGET_LITS.with_lower(t, lowered) and _WIDGET.search(t):
        return True
    if block.link_chars > n * 0.8 and n < 80:
        return True
    return False


def strip_dateline(text: str, names: list[str]) -> str:
    m = _DATELINE.match(text)
    if not m:
        return text
    inner = next((g for g in m.groups() if g), "")
    key = norm_key(inner)
    if "=" in inner or "기자" in inner or _MEDIA_SUFFIX.search(inner.strip()) or any(
            key and (key == norm_key(n) or norm_key(n) in key) for n in names if n and norm_key(n)):
        rest = text[m.end():].lstrip(" =-—·")
        return rest if len(rest) >= 10 else text
    return text


def dedupe(texts: list[str], keys: list[str] | None = None) -> list[str]:
    """Keep the first of equal blocks; drop a block contained in a longer kept one (>= 20 key chars)."""
    keys = keys if keys is not None else [norm_key(t) for t in texts]
    kept: list[int] = []
    seen: set[str] = set()
    for i, k in enumerate(keys):
        if not k or k in seen:
            continue
        seen.add(k)
        kept.append(i)
    by_len = sorted((keys[j] for j in kept), key=len, reverse=True)  # longest first
    out = []
    for i in kept:
        k = keys[i]
        n = len(k)
        if n >= 20:
            contained = False
            for other in by_len:  # only strictly longer kept keys can contain k (j != i follows)
                if len(other) <= n:
                    break
                if k in other:
                    contained = True
                    break
            if contained:
                continue
        out.append(texts[i])
    return out


def body_paragraphs_keyed(blocks: list[Block], title: str | None, names: list[str]) -> tuple[list[str], int]:
    """The body's paragraphs, and ``len(norm_key(body))`` of the joined body, from the keys already computed.

    The key of the joined body is the concatenation of the paragraph keys (the ``"\n\n"`` separators are
    non-word characters and never combine under NFKC), so its length is the sum of theirs.
    """
    title_key = norm_key(title or "")
    texts: list[str] = []
    keys: list[str] = []
    for b in blocks:
        if is_boilerplate(b):
            continue
        key = norm_key(b.text)
        if title_key and key == title_key:
            continue
        texts.append(b.text)
        keys.append(key)
    key_of = dict(zip(texts, keys))
    texts = dedupe(texts, keys)
    chars = 0
    for i, t in enumerate(texts):
        if i == 0:
            stripped = strip_dateline(t, names)
            if stripped is not t:
                texts[0] = t = stripped
                chars += len(norm_key(t))
                continue
        chars += len(key_of[t])
    return [unicodedata.normalize("NFC", t) for t in texts if t.strip()], chars


_CREDIT_TAIL = re.compile(r"\s*(?:/\s*)?[(\[<]?\s*(?:사진|촬영|Photo)\s*[=:/]\s*[^.)\]>]{1,30}[)\]>]?\s*$", re.I)


def caption_paragraphs(res: WalkResult, title_order: int) -> list[str]:
    """The captions of a photo story (figcaption or a small photo box after the headline, before any
    other-page list), each of 30 characters or more with a sentence in it, the photo credit cut off.
    Used as the body only when the page's text is nothing else (see page.parse_html)."""
    out: list[str] = []
    for b in res.blocks[title_order + 1:title_order + 12]:
        if b.other_item or b.link_chars:
            continue
        if not (b.tag == "figcaption" or b.caption or b.after_image):
            continue
        text = _CAPTION_MARK.sub("", _CREDIT_TAIL.sub("", b.text)).strip()
        if len(text) >= 30 and sentence_count(text) >= 1:
            out.append(unicodedata.normalize("NFC", text))
    return dedupe(out)


_SENTENCE_COUNT = re.compile(r"(?:[.!?。]|다)(?=[\s\"'”’)\]]|$)")


def sentence_count(text: str) -> int:
    return len(_SENTENCE_COUNT.findall(text))


__all__ = ["Block", "BylineDate", "DateCandidate", "WalkResult", "walk_page", "choose_roots", "content_blocks",
           "body_paragraphs_keyed", "caption_paragraphs", "norm_key", "sentence_count"]
