"""The scale benchmark's news site: a threaded HTTP/1.1 server on 127.0.0.1 serving a cached corpus.

    python -m bench.scale_server CORPUS_DIR [--last-day YYYY-MM-DD] [--port 0]   # prints "PORT <n>", serves

- ``/robots.txt`` allows everything; ``/sitemap.xml`` is a sitemap index of child sitemaps
  ``/sitemaps/<k>.xml`` (at most URLS_PER_SITEMAP URLs each), each URL with its ``<lastmod>``: the page's
  listing day mapped onto the 365 news days (``--days``) ending ``--last-day`` (default: yesterday in Seoul);
- ``/news/<i>.html`` serves page i's bytes with sendfile, with its Content-Type (the EUC-KR pages keep their
  lying / missing charsets), ``ETag`` and ``Last-Modified``; ``If-None-Match`` / ``If-Modified-Since`` that
  match are answered ``304 Not Modified`` with no body;
- ``/__stats`` (``?reset=1`` to zero them) answers JSON counters: requests, pages (200), not_modified (304),
  sitemaps, bytes sent.
Runs in its own process (bench/scale.py starts it), so it never shares a GIL with what it measures;
`measure_rate` drives it alone from other processes and reports its maximum pages/s.
"""
from __future__ import annotations

import argparse
import email.utils
import json
import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import date, datetime, time as dtime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing import Pool
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from pipelines.basics import SEOUL
from pipelines.days import newest_news_day

URLS_PER_SITEMAP = 10_000  # the protocol allows 50,000; smaller children stay well under max_bytes
DAYS = 365  # the corpus's listing days; --days folds them onto fewer (the test's tiny run)


def yesterday_in_seoul() -> date:
    return date.fromisoformat(newest_news_day())


def first_news_day(last_day: date, days: int = DAYS) -> date:
    return last_day - timedelta(days=days - 1)


def listed_at(entry: dict, last_day: date, days: int = DAYS) -> datetime:
    day = first_news_day(last_day, days) + timedelta(days=entry["day_offset"] % days)
    return datetime.combine(day, dtime(), SEOUL) + timedelta(minutes=entry["minute"])


class Site:
    def __init__(self, corpus: Path, last_day: date, base_url: str, days: int = DAYS) -> None:
        from bench.scale_corpus import GENERATOR_VERSION, page_path

        self.corpus = corpus
        self.manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
        self.pages: dict[str, tuple[str, str | None, str, str, int]] = {}
        children: list[list[str]] = []
        for e in self.manifest:
            when = listed_at(e, last_day, days)
            path = f"/news/{e['i']}.html"
            etag = f'"g{GENERATOR_VERSION}-{corpus.name}-{e["i"]}-{e["bytes"]}"'
            self.pages[path] = (str(page_path(corpus, e["i"])), e["content_type"], etag,
                                email.utils.format_datetime(when.astimezone(timezone.utc), usegmt=True),
                                int(when.timestamp()))
            if not children or len(children[-1]) >= URLS_PER_SITEMAP:
                children.append([])
            children[-1].append(f"<url><loc>{base_url}{path}</loc><lastmod>{when.isoformat()}</lastmod></url>")
        self.sitemaps: dict[str, bytes] = {}
        index = []
        for k, urls in enumerate(children):
            self.sitemaps[f"/sitemaps/{k}.xml"] = (
                '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                + "\n".join(urls) + "\n</urlset>\n").encode()
            index.append(f"<sitemap><loc>{base_url}/sitemaps/{k}.xml</loc></sitemap>")
        self.sitemaps["/sitemap.xml"] = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "\n".join(index) + "\n</sitemapindex>\n").encode()
        self.lock = threading.Lock()
        self.stats = dict.fromkeys(("requests", "pages", "not_modified", "sitemaps", "other", "bytes"), 0)

    def count(self, **kw: int) -> None:
        with self.lock:
            self.stats["requests"] += 1
            for k, v in kw.items():
                self.stats[k] += v


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "scale-bench"
    site: Site

    def setup(self) -> None:
        super().setup()
        # headers and the sendfile body go out as two writes: without NODELAY, Nagle + the client's delayed
        # ACK hold every response back ~40 ms
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass

    def _small(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        site = self.site
        path = urlsplit(self.path).path
        page = site.pages.get(path)
        if page is not None:
            file, ctype, etag, last_modified, ts = page
            inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
            fresh = False
            if inm is not None:
                fresh = etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
            elif ims is not None:
                try:
                    fresh = email.utils.parsedate_to_datetime(ims).timestamp() >= ts
                except (TypeError, ValueError):
                    fresh = False
            if fresh:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", last_modified)
                self.end_headers()
                site.count(not_modified=1)
                return
            with open(file, "rb") as f:
                size = os.fstat(f.fileno()).st_size
                self.send_response(200)
                if ctype:
                    self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(size))
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", last_modified)
                self.end_headers()
                self.connection.sendfile(f)
            site.count(pages=1, bytes=size)
            return
        if path in site.sitemaps:
            body = site.sitemaps[path]
            self._small(200, body, "application/xml")
            site.count(sitemaps=1, bytes=len(body))
            return
        if path == "/robots.txt":
            self._small(200, b"User-agent: *\nAllow: /\n", "text/plain")
            site.count(other=1)
            return
        if path == "/__stats":
            with site.lock:
                body = json.dumps(site.stats).encode()
                if "reset=1" in self.path:
                    site.stats = dict.fromkeys(site.stats, 0)
            self._small(200, body, "application/json")
            return
        self._small(404, b"not found", "text/plain")
        site.count(other=1)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def handle_error(self, request, client_address) -> None:
        """A client that drops an idle keep-alive connection is normal; anything else is printed."""
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


def serve_forever(corpus: Path, last_day: date, port: int = 0, days: int = DAYS) -> None:
    sock_probe = Server(("127.0.0.1", port), Handler)
    real_port = sock_probe.server_address[1]
    Handler.site = Site(corpus, last_day, f"http://127.0.0.1:{real_port}", days)
    print(f"PORT {real_port}", flush=True)
    sock_probe.serve_forever(poll_interval=0.2)


def _start(corpus: Path, last_day: date, days: int, port: int) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "bench.scale_server", str(corpus), "--last-day", last_day.isoformat(),
                             "--days", str(days), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            cwd=Path(__file__).resolve().parent.parent)
    return proc, (proc.stdout.readline() if proc.stdout else "")


@contextmanager
def running(corpus: Path, last_day: date, days: int = DAYS, port: int = 0) -> Iterator["Running"]:
    """Start the server in its own process; yields a handle with url(), stats(), pid.

    `port`: the port to listen on (0: a free one). The pages' URLs carry it, and so do the article URLs and ids
    the warehouse derives from them: two bench runs on the same port hold comparable facts (the marts checksum),
    on different ports they cannot. When `port` is taken, a free one is used and `Running.port_as_asked` says so."""
    proc, line = _start(corpus, last_day, days, port)
    as_asked = True
    if not line.startswith("PORT ") and port:
        proc.wait(timeout=10)
        proc, line = _start(corpus, last_day, days, 0)
        as_asked = False
    try:
        if not line.startswith("PORT "):
            raise RuntimeError(f"scale server did not start: {line!r}")
        yield Running(int(line.split()[1]), proc, as_asked)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


class Running:
    def __init__(self, port: int, proc: subprocess.Popen, port_as_asked: bool = True) -> None:
        self.port, self.proc, self.port_as_asked = port, proc, port_as_asked

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stats(self, reset: bool = False) -> dict[str, int]:
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", "/__stats" + ("?reset=1" if reset else ""))
            return json.loads(conn.getresponse().read())
        finally:
            conn.close()

    def rss_bytes(self) -> int:
        try:
            with open(f"/proc/{self.proc.pid}/statm") as f:
                return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            return 0


def _hammer(args: tuple[int, list[str], float]) -> tuple[int, int]:
    """One client process: 4 keep-alive connections in threads, GETs until the deadline. (pages, bytes)."""
    import http.client

    port, paths, seconds = args
    deadline = time.monotonic() + seconds
    totals = [0, 0]
    lock = threading.Lock()

    def worker(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        n = b = 0
        k = offset
        while time.monotonic() < deadline:
            conn.request("GET", paths[k % len(paths)])
            data = conn.getresponse().read()
            n, b, k = n + 1, b + len(data), k + 7
        conn.close()
        with lock:
            totals[0] += n
            totals[1] += b

    threads = [threading.Thread(target=worker, args=(j * 997,)) for j in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return totals[0], totals[1]


def measure_rate(server: Running, paths: list[str], seconds: float = 3.0, clients: int = 2) -> dict[str, float]:
    """The server's page rate alone: `clients` client processes x 4 keep-alive connections for `seconds`."""
    server.stats(reset=True)
    started = time.monotonic()
    with Pool(clients) as pool:
        parts = pool.map(_hammer, [(server.port, paths[c::clients] or paths, seconds) for c in range(clients)])
    wall = time.monotonic() - started
    pages, nbytes = sum(p[0] for p in parts), sum(p[1] for p in parts)
    server.stats(reset=True)
    return {"pages_per_s": round(pages / wall, 1), "mb_per_s": round(nbytes / wall / 1e6, 1), "seconds": round(wall, 2),
            "clients": clients * 4}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--last-day", type=date.fromisoformat, default=None)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--days", type=int, default=DAYS, help="news days the listing dates spread over (default 365)")
    a = ap.parse_args(argv)
    try:
        serve_forever(a.corpus.resolve(), a.last_day or yesterday_in_seoul(), a.port, a.days)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
