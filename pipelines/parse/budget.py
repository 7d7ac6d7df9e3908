"""The parser's CPU budget: pages whose markup would cost far more than any news page are refused before
the HTML parser sees them, with the reason.

Why: lexbor builds the tree in time roughly proportional to (elements x depth of open elements), because many
steps scan the stack of open elements. ``'<div>' * 100_000 + article + '</div>' * 100_000`` (1.1 MB) took 54 s,
200,000 unclosed ``<div>`` 440 s, inside one C call that no time limit can interrupt. And 20 KB of closed
formatting elements that the parser re-opens before every paragraph make it build millions of elements. A
linear pre-scan of the decoded text estimates the tree the parser will build and stops at the first limit:

* ``too_large``: more than MAX_PAGE_BYTES (16 MB) before decoding (`size_refusal`);
* ``too_many_elements``: more than MAX_ELEMENTS (200,000) elements, re-opened formatting elements included;
* ``too_deep``: more than MAX_DEPTH (2,000) elements open at once.

The refusal is a ``parse_error`` whose text starts with the reason (``too_deep: more than 2,000 elements open
at once (limit 2,000); not parsed``). Real pages are far below: the dev, seed and demo pages are at most 22
levels deep with a few hundred elements. Within the limits the worst page lexbor builds in about a second,
and the parse stage's time limit per page (pipelines/parallel.py) bounds the Python side.

The estimate follows the HTML tree-building rules that keep real pages shallow: void elements (``<br>``,
``<img>``, ``<meta>``...) never open; an end tag closes up to its open element; a ``<p>`` is closed by the next
block (``<div>``, ``<p>``, ``<ul>``, ``<table>``...), ``<li>`` by the next ``<li>`` of its list, ``<dt>``/``<dd>``
by the next one, ``<option>`` by the next option, table rows and cells by the next row or cell, ``<a>`` and
``<nobr>`` by the next one; formatting elements (``<b>``, ``<font>``, ``<a>``...) closed by a block end are
re-opened before the next text or inline tag, at most three alike (the parser's "active formatting elements");
comments and the text of ``<script>``, ``<style>``, ``<textarea>``, ``<title>`` are skipped; ``/>`` closes
only inside ``<svg>``/``<math>`` (HTML ignores it elsewhere). On those shapes the estimated depth is lexbor's
within a third (tests/test_parse_budget.py); on random tag soup lexbor's adoption rules can go about twice as
deep, which the limits leave room for. Each element is pushed and popped once: the scan is linear in the
page (about 0.3 ms of CPU for a dev page, 4 ms for a 1,800-tag scale page).

Most pages never need the scan: `markup_bounds` counts start tags in a few C-speed passes (and, for a page
with more start tags than the depth limit, its text-only elements, which are never open together) and bounds
what the scan would measure from above; when both bounds are within the limits the page cannot be refused, and
`markup_refusal` returns None without scanning (about 0.4 ms for a scale page). Otherwise the scan decides, so
exactly the same pages are refused with the same reasons (tests/test_parse_budget.py: differential tests).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

MAX_PAGE_BYTES = 16_000_000
MAX_ELEMENTS = 200_000
MAX_DEPTH = 2_000

VOID = frozenset(("area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
                  "input", "keygen", "link", "meta", "param", "source", "track", "wbr"))
RAW_TEXT = frozenset(("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"))
# start tags that close an open <p> ("in button scope")
CLOSES_P = frozenset(("address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl",
                      "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
                      "header", "hgroup", "hr", "li", "listing", "main", "menu", "nav", "ol", "p", "pre", "section",
                      "summary", "table", "ul", "dd", "dt", "search", "plaintext", "xmp"))
SCOPE = ("table", "td", "th", "caption", "button", "object", "applet", "marquee", "template", "html", "svg", "math")
LIST_SCOPE = SCOPE + ("ul", "ol")
TABLE_SECTIONS = ("table", "tbody", "thead", "tfoot")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")

FORMATTING = frozenset(("a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt",
                        "u"))
MARKERS = frozenset(("td", "th", "caption", "object", "applet", "marquee", "template"))
# HTML start tags that break out of svg / math (so '/>' does not close them there)
BREAKOUT = frozenset(("b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed",
                      "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta",
                      "nobr", "ol", "p", "pre", "ruby", "s", "small", "span", "strong", "strike", "sub", "sup", "table",
                      "tt", "u", "ul", "var", "font"))

NO_RECONSTRUCT = frozenset(("tr", "tbody", "thead", "tfoot", "td", "th", "caption", "colgroup", "form", "button",
                            "html", "body", "head", "frameset", "select", "svg", "math"))

RECONSTRUCTING_VOID = frozenset(("img", "image", "input", "br", "embed", "area", "wbr", "keygen"))
# a tag: a comment start, or an end / start tag with its attributes up to the first '>'
_TAG = re.compile(r"<(?:(!--)|(/?)([a-z][^\s/>]*)([^>]*)>)")
_PLAIN, _RAW, _VOID, _SPECIAL = 0, 1, 2, 3
_POP_SPECIAL = MARKERS | {"svg", "math"}  # closing one of these does more than pop it (see _Stack.pop_to)
_KIND = {**{n: _SPECIAL for n in (*CLOSES_P, *FORMATTING, *MARKERS, "li", "dt", "dd", "option", "optgroup", "a",
                                  "nobr", "button", "form", "tr", "tbody", "thead", "tfoot", "colgroup", "svg",
                                  "math")},
         **{n: _VOID for n in VOID}, **{n: _RAW for n in RAW_TEXT}}


class _Stack:
    """Open elements (each name's open positions, so 'is x open above y' costs O(1)) and the active formatting
    elements that the parser re-opens ("reconstructs") before text once a block closed them: ``<p><b><i></p>``
    then ``<p>x</p>`` opens b and i again for every paragraph, a way to make a small page build a huge tree."""

    __slots__ = ("names", "ids", "where", "foreign", "serial", "formatting", "ark", "live")

    def __init__(self) -> None:
        self.names: list[str] = []
        self.ids: list[int] = []  # a serial number per push: an entry is open iff ids[its index] is its serial
        self.where: dict[str, list[int]] = {}
        self.foreign = 0  # open <svg>/<math>
        self.serial = 0
        # active formatting elements: [name, key, index, serial, alive] entries, None for a marker (td, th...)
        self.formatting: list[list | None] = []
        self.ark: list[dict[str, list[list]]] = [{}]  # per marker scope: key -> live entries (at most 3 alike)
        self.live: dict[str, int] = {}  # live entries per name (any scope)

    def top_of(self, name: str) -> int:
        at = self.where.get(name)
        return at[-1] if at else -1

    def highest(self, names: tuple[str, ...]) -> int:
        return max(self.top_of(n) for n in names)

    def push(self, name: str, key: str | None = None) -> None:
        index = len(self.names)
        self.where.setdefault(name, []).append(index)
        self.names.append(name)
        self.serial += 1
        self.ids.append(self.serial)
        if name in ("svg", "math"):
            self.foreign += 1
        if name in MARKERS:
            self.formatting.append(None)
            self.ark.append({})
        elif key is not None:  # a formatting element: remembered (Noah's ark: at most three alike per scope)
            alike = self.ark[-1].setdefault(key, [])
            if len(alike) >= 3:
                self._kill(alike.pop(0))
            entry = [name, key, index, self.serial, True]
            self.live[name] = self.live.get(name, 0) + 1
            alike.append(entry)
            self.formatting.append(entry)

    def pop_to(self, index: int) -> None:
        """Close the element at `index` and everything opened after it."""
        names, where, ids = self.names, self.where, self.ids
        while len(names) > index:
            name = names.pop()
            ids.pop()
            where[name].pop()
            if name in ("svg", "math"):
                self.foreign -= 1
            elif name in MARKERS:  # leaving a cell: the formatting opened in it is forgotten
                while self.formatting:
                    entry = self.formatting.pop()
                    if entry is None:
                        break
                    if entry[4]:
                        self._kill(entry)
                if len(self.ark) > 1:
                    self.ark.pop()

    def _kill(self, entry: list) -> None:
        entry[4] = False
        self.live[entry[0]] -= 1

    def forget(self, name: str) -> None:
        """An end tag of a formatting element: its newest live entry in this scope leaves the list."""
        if not self.live.get(name):
            return
        f = self.formatting
        for i in range(len(f) - 1, -1, -1):
            entry = f[i]
            if entry is None:
                return
            if entry[4] and entry[0] == name:
                self._kill(entry)
                alike = self.ark[-1].get(entry[1])
                if alike and entry in alike:
                    alike.remove(entry)
                if i == len(f) - 1:
                    f.pop()
                return

    def reconstruct(self) -> int:
        """Re-open the live formatting entries that are no longer open (before text); returns how many."""
        f, ids = self.formatting, self.ids
        while f and f[-1] is not None and not f[-1][4]:
            f.pop()  # dead entries at the end
        i = len(f)
        while i > 0:
            entry = f[i - 1]
            if entry is None or (entry[4] and entry[2] < len(ids) and ids[entry[2]] == entry[3]):
                break  # a marker or an open element: everything before it is open
            i -= 1
        f[i:] = [e for e in f[i:] if e is None or e[4]]  # dead entries are walked over once
        reopened = 0
        for entry in f[i:]:
            if entry is not None:
                index = len(self.names)
                self.where.setdefault(entry[0], []).append(index)
                self.names.append(entry[0])
                self.serial += 1
                ids.append(self.serial)
                entry[2], entry[3] = index, self.serial
                reopened += 1
        return reopened

    def close_in_scope(self, name: str, scope: tuple[str, ...]) -> None:
        at = self.top_of(name)
        if at >= 0 and at > self.highest(scope):
            self.pop_to(at)

def _implied_closes(stack: _Stack, name: str) -> bool:
    """Apply what the start tag `name` closes; False when the tag opens nothing (a stray row or cell)."""
    if name in CLOSES_P:
        stack.close_in_scope("p", SCOPE)
    if name == "li":
        stack.close_in_scope("li", LIST_SCOPE)
    elif name in ("dt", "dd"):
        at = max(stack.top_of("dt"), stack.top_of("dd"))
        if at >= 0 and at > stack.highest(SCOPE + ("dl",)):
            stack.pop_to(at)
    elif name in HEADINGS:
        at = max(stack.top_of(h) for h in HEADINGS)
        if at >= 0 and at == len(stack.names) - 1:
            stack.pop_to(at)
    elif name in ("option", "optgroup"):
        at = max(stack.top_of("option"), stack.top_of("optgroup") if name == "optgroup" else -1)
        if at >= 0 and at > stack.top_of("select") and at > stack.highest(SCOPE):
            stack.pop_to(at)
    elif name in ("a", "nobr", "button", "form"):  # not nested in themselves: the open one is closed first
        stack.close_in_scope(name, SCOPE[:-3] if name == "button" else SCOPE)
        if name in FORMATTING:
            stack.forget(name)
    elif name in ("tr", "tbody", "thead", "tfoot", "td", "th", "caption", "colgroup"):
        table = stack.highest(TABLE_SECTIONS) if name in ("tr", "td", "th") else stack.top_of("table")
        if table < 0:
            return False  # outside a table the parser ignores it
        if name in ("td", "th"):
            row = stack.top_of("tr")
            stack.pop_to((row + 1) if row > table else table + 1)
        else:
            stack.pop_to(table + 1)
    return True


@dataclass(frozen=True)
class Markup:
    elements: int  # start tags seen (up to the first limit passed)
    deepest: int  # most elements open at once
    refusal: str | None  # 'too_deep: ...' / 'too_many_elements: ...' or None


def scan_markup(text: str, max_depth: int = MAX_DEPTH, max_elements: int = MAX_ELEMENTS) -> Markup:
    """One linear pass over the decoded page (see the module docstring); stops at the first limit passed."""
    low = text.lower()
    stack = _Stack()
    names, where, ids, formatting = stack.names, stack.where, stack.ids, stack.formatting
    elements = deepest = pos = 0
    find, search, kinds = low.find, _TAG.search, _KIND
    while True:
        m = search(low, pos)
        if m is None:
            break
        if formatting and m.start() > pos:  # text: the parser re-opens closed formatting elements first
            elements += stack.reconstruct()
            if len(names) > deepest:
                deepest = len(names)
        comment, closing, name, attrs = m.groups()
        if comment:
            end = find("-->", m.end())
            if end < 0:
                break
            pos = end + 3
            continue
        pos = m.end()
        if closing:
            if names and names[-1] == name and name not in _POP_SPECIAL:  # well-formed: closes the top element
                names.pop()
                ids.pop()
                where[name].pop()
            else:
                at = where.get(name)
                if at:
                    stack.pop_to(at[-1])
            if name in FORMATTING:
                stack.forget(name)
            continue
        elements += 1
        kind = kinds.get(name, _PLAIN)
        if kind == _PLAIN:  # most tags: no rule closes or re-opens anything (the fast path of push)
            if formatting:
                elements += stack.reconstruct()
            where.setdefault(name, []).append(len(names))
            names.append(name)
            stack.serial += 1
            ids.append(stack.serial)
        elif kind == _RAW:
            end = find("</" + name, pos)
            if end < 0:
                break
            pos = end
            continue
        elif kind == _VOID or (stack.foreign and attrs.endswith("/") and name not in BREAKOUT):
            if formatting and name in RECONSTRUCTING_VOID:
                elements += stack.reconstruct()
            continue  # opens nothing (void, self-closed inside svg / math)
        else:
            if not _implied_closes(stack, name):
                continue  # a stray row or cell
            if formatting and name not in CLOSES_P and name not in NO_RECONSTRUCT:
                elements += stack.reconstruct()  # (inline start tags re-open them too)
            stack.push(name, (name + attrs) if name in FORMATTING else None)
        deepest = max(deepest, len(names))
        if deepest > max_depth or elements > max_elements:
            return _measured(elements, deepest, max_depth, max_elements)
    return _measured(elements, deepest, max_depth, max_elements)


def _measured(elements: int, deepest: int, max_depth: int, max_elements: int) -> Markup:
    """The scan's result, with the refusal when a budget is exceeded (depth is said first)."""
    if deepest > max_depth:
        return Markup(elements, deepest, f"too_deep: more than {max_depth:,} elements open at once "
                                         f"(limit {max_depth:,}); not parsed")
    if elements > max_elements:
        return Markup(elements, deepest, f"too_many_elements: more than {max_elements:,} elements "
                                         f"(limit {max_elements:,}); not parsed")
    return Markup(elements, deepest, None)


# what a start tag can be in the scan's lowered text, read from the original text: '<' then a character whose
# lowercase starts with a-z (A-Z, a-z, U+0130 'İ', U+212A Kelvin sign), the name up to whitespace, '/' or '>'
# (no other character lowers to one of those, nor to '<': tests/test_parse_budget.py checks every code point)
_START = re.compile(r"<([a-zA-Z\u0130\u212a][^\s/>]*)")
_OPENS_NOTHING = VOID | RAW_TEXT
_MAY_POP = frozenset(n for n, kind in _KIND.items() if kind == _SPECIAL)  # start tags whose implied closes pop
_ONE_PER_SCOPE = ("a", "nobr")  # a start tag of these forgets the scope's live one first


# an element with text only: a start tag, text without '<', and the end tag of the same name (lowercase ASCII in
# the original text, so the scan's lowercase reads the same three tokens)
_LEAF = re.compile(r"<([a-z][a-z0-9]*)(?=[\s/>])[^>]*>[^<]*</\1(?=[\s/>])[^>]*>")


def closed_leaves(text: str) -> int:
    """Elements whose start tag the scan follows by their own end tag with no tag between (``<span>가</span>``),
    not counting void and raw-text names (which open nothing)."""
    return sum(1 for name in _LEAF.findall(text) if name not in _OPENS_NOTHING)


def markup_bounds(text: str, depth_limit: int = -1) -> tuple[int, int]:
    """Upper bounds of what `scan_markup` measures, from tag counts alone: (deepest, elements).

    * deepest <= start tags that open an element (not void, not raw text): every open element is a distinct
      start tag's element, or the one re-opened copy of a formatting element whose own element was closed;
      and when that count is over ``depth_limit`` (every time by default), the tighter
      deepest <= those start tags - closed leaves + 1: a leaf's element (`closed_leaves`) is open only from its
      start tag to its end tag, which the scan reads next (its text has no '<'; the end tag pops to the newest
      element of the name, which is the leaf's; a formatting leaf's entry is the newest of its name, so the end
      tag forgets it and it is never re-opened); so at most one leaf's element is open at a time. A leaf the
      scan never reads as one (in a comment, raw text or an attribute) opens nothing at all;
    * elements <= start tags + re-opened elements, and a re-opening pass re-opens only when a tag that can pop
      (an end tag, or a start tag with implied closes) ran since the last one, at most every live formatting
      entry of the current scope: one `<a>`, one `<nobr>`, and the other formatting start tags.

    Comments and raw text are counted as if they were markup, so these only over-count."""
    opens = elements = may_pop = formatting = 0
    one_per_scope = 0
    for name, n in Counter(_START.findall(text)).items():
        name = name.lower()
        elements += n
        if name not in _OPENS_NOTHING:
            opens += n
        if name in _MAY_POP:
            may_pop += n
        if name in FORMATTING:
            if name in _ONE_PER_SCOPE:
                one_per_scope += 1
            else:
                formatting += n
    reopened = (text.count("</") + may_pop) * (formatting + one_per_scope)
    if opens > depth_limit:
        leaves = closed_leaves(text)
        if leaves:
            opens = opens - leaves + 1
    return opens, elements + reopened


def markup_refusal(text: str, max_depth: int = MAX_DEPTH, max_elements: int = MAX_ELEMENTS) -> str | None:
    """Why the decoded page is refused before parsing (``'too_deep: ...'``), or None when it is within budget.
    Most pages are proven within budget by `markup_bounds` (a few C-speed passes); the rest are scanned. A page
    with more '<' than the element limit goes straight to the scan, which stops at the limit (the bounds would
    list every tag name of a 16 MB page first)."""
    if text.count("<") <= max_elements:
        deepest, elements = markup_bounds(text, max_depth)
        if deepest <= max_depth and elements <= max_elements:
            return None
    return scan_markup(text, max_depth, max_elements).refusal


def size_refusal(content: bytes) -> str | None:
    """Why the page's bytes are refused before decoding, or None."""
    if len(content) > MAX_PAGE_BYTES:
        return f"too_large: {len(content):,} bytes (limit {MAX_PAGE_BYTES:,}); not parsed"
    return None
