"""The parser's output fingerprint, and an interleaved A/B of its speed against another checkout.

    python bench/parse_identity.py [--scale N] [--dump FILE]           # sha256 of every parse result
    python bench/parse_identity.py --against DIR [--rounds R] [--sample N]   # pages/s, this tree vs DIR's

Pages: demo/pages, ../shared/corpus/seeds, every ../shared/corpus/dev set, a few hostile pages built here
(over and within each parse budget, empty and unreadable bytes), and N pages of the cached scale
corpus (every k-th page of bench/.cache/scale-10000-s20261206-g1, default N=3000; read only; the folder is
taken from main's checkout when this tree has none, `PARSE_SCALE_DIR` moves it). Each page goes through
`pipelines.parse.parse_page(content, url, content_type)`; every field of the result (kind, reason, title,
published_at and its source, outlet, canonical url, body, encoding), or the refusal's kind and text, becomes
one canonical JSON line; the sha256 of all lines (fixed page order) is printed. A change that keeps the parser's
behaviour leaves it unchanged.

``--against DIR``: DIR holds another version's ``pipelines/`` (e.g. ``git archive main pipelines | tar -x -C
DIR``). Rounds alternate, a subprocess each: this tree's parser, then DIR's, on the same scale sample (each
process warms up on a few pages, then times `parse_page` over the sample in process CPU time). Printed: each
side's pages/s per round, the median of each, and their ratio: both measured in the same run, under the same
load. Run it with ``nice -n 19`` on a shared machine.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO.parent / "shared").resolve()
SCALE_NAME = "scale-10000-s20261206-g1"


def scale_folder() -> Path:
    env = os.environ.get("PARSE_SCALE_DIR")
    if env:
        return Path(env)
    own = REPO / "bench" / ".cache" / SCALE_NAME
    return own if (own / "COMPLETE").exists() else REPO.parent / "main" / "bench" / ".cache" / SCALE_NAME


def scale_pages(n: int) -> list[tuple[str, bytes, str, str | None]]:
    """(name, bytes, url, content type) of n pages spread evenly over the cached scale corpus."""
    if n <= 0:
        return []
    folder = scale_folder()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    step = max(1, len(manifest) // n)
    out = []
    for e in manifest[::step][:n]:
        i = e["i"]
        path = folder / "pages" / f"{i // 1000:03d}" / f"{i}.html"  # bench/scale_corpus.page_path
        out.append((f"scale/{i}", path.read_bytes(), f"http://127.0.0.1/news/{i}.html", e["content_type"]))
    return out


def corpus_pages() -> list[tuple[str, bytes, str, str | None]]:
    """(name, bytes, url, content type) of the demo, seed and dev pages, in a fixed order."""
    pages = [(f"demo/{p.name}", p.read_bytes(), f"https://demo.example/{p.stem}", None)
             for p in sorted((REPO / "demo" / "pages").glob("*.html"))]
    sets = [SHARED / "corpus" / "seeds"] + sorted(p for p in (SHARED / "corpus" / "dev").iterdir() if p.is_dir())
    for folder in sets:
        for entry in json.loads((folder / "index.json").read_text(encoding="utf-8")):
            path = folder / entry["file"]
            pages.append((str(path.relative_to(SHARED)), path.read_bytes(), entry["url"], None))
    return pages


def hostile_pages() -> list[tuple[str, bytes, str, str | None]]:
    """Pages the parser refuses or reads at its limits (built here): over and just within each budget, empty or
    unreadable bytes, deep nesting with text-only elements."""
    def page(body: str) -> bytes:
        return ("<html><head><title>한계 시험</title></head><body>" + body
                + "<p>스마트시티 사업이 시작됐다. 시는 예산을 확정했다.</p></body></html>").encode()
    shapes = {
        "deep-divs": page("<div>" * 2_500), "deep-divs-within": page("<div>" * 1_990 + "</div>" * 1_990),
        "deep-with-leaves": page("<div>" * 2_100 + "<span>가</span>" * 3_000),
        "leaves-within": page("<div>" * 1_000 + "<span>가</span><b>나</b>" * 2_000 + "</div>" * 1_000),
        "many-elements": page("<span>가</span>" * 200_100), "reopened-formatting": page(
            "<p>" + "".join(f'<b class="c{i}">' for i in range(60)) + "</p>" + "<p>가</p>" * 3_400),
        "too-large": b"<html><body>" + b"x" * 16_000_001, "empty": b"", "nul-bytes": b"\x00" * 400,
    }
    return [(f"hostile/{k}", v, f"https://hostile.example/{k}", None) for k, v in shapes.items()]


def result_line(name: str, content: bytes, url: str, ctype: str | None) -> str:
    """One page's parse result as canonical JSON (every field, or the refusal)."""
    from pipelines.parse import ParseError, parse_page

    try:
        page = parse_page(content, url, ctype)
    except ParseError as exc:
        row = {"page": name, "error": exc.kind, "message": str(exc)}
    else:
        row = {"page": name, "kind": page.kind, "reason": page.reason, "title": page.title,
               "published_at": page.published_at.isoformat() if page.published_at else None,
               "published_at_source": page.published_at_source, "outlet": page.outlet,
               "canonical_url": page.canonical_url, "body": page.body, "encoding": page.encoding}
    return json.dumps(row, ensure_ascii=False, sort_keys=True)


def fingerprint(scale_n: int, dump: Path | None = None) -> str:
    pages = corpus_pages() + hostile_pages() + scale_pages(scale_n)
    digest = hashlib.sha256()
    lines = []
    for page in pages:
        line = result_line(*page)
        digest.update(line.encode("utf-8") + b"\n")
        if dump is not None:
            lines.append(line)
    if dump is not None:
        dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import pipelines.parse

    print(f"pages: {len(pages)} ({len(pages) - scale_n} demo/seeds/dev/hostile + {scale_n} scale); "
          f"parser: {Path(pipelines.parse.__file__).parent}")
    return digest.hexdigest()


def time_worker(sample_n: int) -> None:
    """Child process: time parse_page over the scale sample (process CPU time), print pages/s as JSON."""
    from pipelines.parse import ParseError, parse_page

    pages = scale_pages(sample_n)
    for _, content, url, ctype in pages[:5]:  # warm-up (imports, caches)
        try:
            parse_page(content, url, ctype)
        except ParseError:
            pass
    t = time.process_time()
    for _, content, url, ctype in pages:
        try:
            parse_page(content, url, ctype)
        except ParseError:
            pass
    spent = time.process_time() - t
    print(json.dumps({"pages": len(pages), "cpu_s": spent, "pages_per_s": len(pages) / spent}))


def run_side(root: Path, sample_n: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(root), "PARSE_SCALE_DIR": str(scale_folder())}
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--time-worker", "--sample", str(sample_n)],
                         env=env, cwd=root, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])["pages_per_s"]


def ab(other: Path, rounds: int, sample_n: int) -> None:
    ours: list[float] = []
    theirs: list[float] = []
    for r in range(rounds):
        first_ours = r % 2 == 0  # alternate which side goes first
        for side in ((REPO, other) if first_ours else (other, REPO)):
            rate = run_side(side, sample_n)
            (ours if side == REPO else theirs).append(rate)
        print(f"round {r + 1}: this tree {ours[-1]:.1f} pages/s, {other} {theirs[-1]:.1f} pages/s", flush=True)
    a, b = statistics.median(ours), statistics.median(theirs)
    print(f"median over {rounds} rounds of {sample_n} scale pages: this tree {a:.1f} pages/s, "
          f"{other} {b:.1f} pages/s, ratio {a / b:.2f}x")


def main() -> None:
    sys.path.append(str(REPO))  # run as a script: PYTHONPATH (another checkout) first, else this tree
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=3000, help="scale-corpus pages in the fingerprint")
    ap.add_argument("--dump", type=Path, help="write the canonical JSON lines here (to diff two versions)")
    ap.add_argument("--against", type=Path, help="another checkout's root (holding pipelines/): A/B of pages/s")
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--sample", type=int, default=400, help="scale pages per timing round")
    ap.add_argument("--time-worker", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.time_worker:
        time_worker(a.sample)
    elif a.against is not None:
        ab(a.against.resolve(), a.rounds, a.sample)
    else:
        print(f"parse results sha256: {fingerprint(a.scale, a.dump)}")


if __name__ == "__main__":
    main()
