"""A real HTTP/1.1 server on 127.0.0.1 for tests, with helpers that misbehave on purpose.

    from tests.support.http_server import serve, html, fail_then, trickle

    with serve({"/a": html("<html>hi</html>"), "/flaky": fail_then(1, then=html("ok"))}) as srv:
        url = srv.url("/a")            # http://127.0.0.1:<free port>/a
        ...                            # run the code under test
        assert srv.count("/flaky") == 2
        srv.requests[0].headers["user-agent"]

Routes map a path (query string included, or the bare path as a fallback) to
  * a `Response` (or a ``(status, headers, body)`` tuple), or
  * a handler ``fn(exchange) -> Response | None``: it may return a Response, or write to the socket
    itself through the `Exchange` (status line, headers, raw bytes, close) to misbehave.
Unknown paths answer 404, or go to `fallback` (a route for every other path). Routes may be added while the
server runs (``srv.routes[path] = ...``).
Every request is recorded (path, method, lower-cased headers, monotonic time) before it is answered.

Misbehaviour helpers: `delay`, `trickle`, `truncated`, `truncated_chunked`, `close_without_response`,
`redirect`, `redirect_loop`, `gzip_bomb`, `gzipped`, `retry_after_then`, `fail_then`, `conditional`,
`robots_txt`; plus `unused_port()` for a port where connections are refused, and `routes_from_dir`
to serve a folder of saved pages.
"""
from __future__ import annotations

import gzip
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit


@dataclass(frozen=True)
class RecordedRequest:
    path: str  # as requested, query string included
    method: str
    headers: dict[str, str]  # lower-case names
    at: float  # time.monotonic() when it arrived


@dataclass
class Response:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


Handler = Callable[["Exchange"], "Response | None"]
Route = Response | tuple[int, Mapping[str, str], bytes] | Handler


class Exchange:
    """What a handler gets: the request, and the raw connection to answer (or not) as it likes."""

    def __init__(self, handler: _RequestHandler, request: RecordedRequest, server: TestHTTPServer) -> None:
        self._h = handler
        self.request = request
        self.server = server

    @property
    def client_port(self) -> int:
        """The client's port: one per TCP connection (a kept-alive connection keeps it)."""
        return self._h.client_address[1]

    @property
    def stopping(self) -> bool:
        return self.server.stop_event.is_set()

    def wait(self, seconds: float) -> bool:
        """Sleep, waking early when the server stops; True if it is stopping."""
        return self.server.stop_event.wait(seconds)

    def send_head(self, status: int, headers: Mapping[str, str]) -> None:
        self._h.send_response(status)
        for name, value in headers.items():
            self._h.send_header(name, value)
        self._h.end_headers()
        self._h.wfile.flush()

    def write(self, data: bytes) -> bool:
        """Write raw bytes; False when the client has gone."""
        try:
            self._h.wfile.write(data)
            self._h.wfile.flush()
            return True
        except OSError:
            return False

    def close(self) -> None:
        """Drop the connection now (no more bytes, no keep-alive)."""
        self._h.close_connection = True
        try:
            self._h.wfile.flush()
            self._h.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = 10  # idle keep-alive connections end on their own

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet tests
        pass

    def _dispatch(self) -> None:
        owner = self.server.owner
        request = RecordedRequest(path=self.path, method=self.command,
                                  headers={k.lower(): v for k, v in self.headers.items()},
                                  at=time.monotonic())
        owner._record(request)
        route = owner.route_for(self.path)
        exchange = Exchange(self, request, owner)
        if callable(route):
            answer = route(exchange)
            if answer is None:
                return
        else:
            answer = route
        self._send(_as_response(answer))

    def _send(self, response: Response) -> None:
        headers = {k.lower(): v for k, v in response.headers.items()}
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if "content-length" not in headers and "transfer-encoding" not in headers:
            self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD" and response.status not in (204, 304):
            self.wfile.write(response.body)

    do_GET = do_HEAD = do_POST = _dispatch


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: TestHTTPServer


def _as_response(route: Response | tuple[int, Mapping[str, str], bytes]) -> Response:
    if isinstance(route, Response):
        return route
    status, headers, body = route
    return Response(status, dict(headers), body)


class TestHTTPServer:
    """A running server: its base URL, its routes and the requests it has received."""

    __test__ = False  # not a pytest test class

    def __init__(self, routes: Mapping[str, Route] | None = None, *,
                 tls: tuple[str | Path, str | Path] | None = None, fallback: Route | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.fallback: Route = fallback or Response(404, {"Content-Type": "text/plain"}, b"not found")
        self.stop_event = threading.Event()
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _RequestHandler)
        self._httpd.owner = self
        self.host, self.port = "127.0.0.1", self._httpd.server_address[1]
        self.scheme = "http"
        if tls is not None:  # https: (certificate file, key file), PEM
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(str(tls[0]), str(tls[1]))
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
            self.scheme = "https"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    # ---- lifecycle
    def start(self) -> TestHTTPServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stop_event.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    # ---- addresses
    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    # ---- routes and requests
    def route_for(self, path: str) -> Route:
        if path in self.routes:
            return self.routes[path]
        bare = urlsplit(path).path
        return self.routes.get(bare, self.fallback)

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def requests_for(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == path or urlsplit(r.path).path == path]

    def count(self, path: str | None = None) -> int:
        return len(self.requests if path is None else self.requests_for(path))


@contextmanager
def serve(routes: Mapping[str, Route] | None = None, *, tls: tuple[str | Path, str | Path] | None = None,
          fallback: Route | None = None) -> Iterator[TestHTTPServer]:
    """Start a threaded server on a free 127.0.0.1 port; stopped (and trickles ended) on exit.
    `tls=(cert_pem_file, key_pem_file)` serves https instead of http; `fallback` answers paths without a route."""
    server = TestHTTPServer(routes, tls=tls, fallback=fallback).start()
    try:
        yield server
    finally:
        server.stop()


def unused_port() -> int:
    """A 127.0.0.1 port nobody listens on (connections to it are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- well-behaved answers

def html(body: str | bytes, *, status: int = 200, charset: str = "utf-8",
         headers: Mapping[str, str] | None = None) -> Response:
    data = body.encode(charset) if isinstance(body, str) else body
    return Response(status, {"Content-Type": f"text/html; charset={charset}", **(headers or {})}, data)


def text(body: str | bytes, content_type: str, *, status: int = 200,
         headers: Mapping[str, str] | None = None) -> Response:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return Response(status, {"Content-Type": content_type, **(headers or {})}, data)


def robots_txt(rules: str, *, status: int = 200) -> Response:
    return text(rules, "text/plain; charset=utf-8", status=status)


def redirect(location: str, status: int = 302) -> Response:
    return Response(status, {"Location": location, "Content-Type": "text/html"}, b"")


def redirect_loop(*paths: str, status: int = 302) -> dict[str, Route]:
    """Routes where paths[0] -> paths[1] -> ... -> paths[0]."""
    return {p: redirect(paths[(i + 1) % len(paths)], status) for i, p in enumerate(paths)}


def gzipped(response: Response) -> Response:
    """The same response with a gzip Content-Encoding."""
    return Response(response.status, {**response.headers, "Content-Encoding": "gzip"},
                    gzip.compress(response.body))


@lru_cache(maxsize=4)
def _zeros_gzip(decoded_size: int) -> bytes:
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1 << 20)
    parts = [comp.compress(block) for _ in range(decoded_size >> 20)]
    parts.append(comp.compress(b"\0" * (decoded_size & ((1 << 20) - 1))))
    parts.append(comp.flush())
    return b"".join(parts)


def gzip_bomb(decoded_size: int = 64 << 20) -> Response:
    """A small gzip body (about decoded_size/1000 bytes) that inflates to `decoded_size` zero bytes."""
    return Response(200, {"Content-Type": "text/html", "Content-Encoding": "gzip"},
                    _zeros_gzip(decoded_size))


def routes_from_dir(folder: str | Path, prefix: str = "/") -> dict[str, Route]:
    """Serve every file of a folder as text/html (no charset: the page's own meta decides)."""
    folder = Path(folder)
    return {prefix + p.relative_to(folder).as_posix(): Response(200, {"Content-Type": "text/html"},
                                                                  p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------- misbehaviour

def delay(seconds: float, then: Response) -> Handler:
    """Answer `then` after `seconds` (headers included: nothing is sent before)."""
    def handler(ex: Exchange) -> Response | None:
        if ex.wait(seconds):
            ex.close()
            return None
        return then
    return handler


def trickle(chunk: bytes = b"<p>.</p>\n", interval: float = 0.05, *, max_seconds: float = 30.0,
            content_length: int | None = None) -> Handler:
    """Send headers, then `chunk` every `interval` seconds until the client leaves (or max_seconds)."""
    def handler(ex: Exchange) -> None:
        headers = {"Content-Type": "text/html; charset=utf-8"}
        headers["Content-Length" if content_length else "Connection"] = (
            str(content_length) if content_length else "close")
        ex.send_head(200, headers)
        ex.write(b"<html><body>")
        deadline = time.monotonic() + max_seconds
        while time.monotonic() < deadline and not ex.wait(interval):
            if not ex.write(chunk):
                break
        ex.close()
    return handler


def truncated(body: bytes, declared_length: int | None = None,
              content_type: str = "text/html; charset=utf-8") -> Handler:
    """Promise `declared_length` bytes (default: twice the body), send `body`, close."""
    def handler(ex: Exchange) -> None:
        ex.send_head(200, {"Content-Type": content_type,
                           "Content-Length": str(declared_length or 2 * len(body) + 1)})
        ex.write(body)
        ex.close()
    return handler


def truncated_chunked(body: bytes, content_type: str = "text/html; charset=utf-8") -> Handler:
    """Chunked encoding: one whole chunk, then a chunk that announces more bytes than it sends."""
    def handler(ex: Exchange) -> None:
        ex.send_head(200, {"Content-Type": content_type, "Transfer-Encoding": "chunked"})
        ex.write(b"%x\r\n%s\r\n" % (len(body), body))
        ex.write(b"1000\r\n" + b"x" * 10)
        ex.close()
    return handler


def close_without_response() -> Handler:
    def handler(ex: Exchange) -> None:
        ex.close()
    return handler


class _Counter:
    def __init__(self) -> None:
        self.n = 0
        self._lock = threading.Lock()

    def next(self) -> int:
        with self._lock:
            self.n += 1
            return self.n


def fail_then(failures: int, *, status: int = 503, then: Response,
              headers: Mapping[str, str] | None = None) -> Handler:
    """The first `failures` requests get `status` (e.g. 503), later ones get `then`."""
    counter = _Counter()

    def handler(ex: Exchange) -> Response:
        if counter.next() <= failures:
            return Response(status, {"Content-Type": "text/plain", **(headers or {})}, b"try later")
        return then
    return handler


def retry_after_then(failures: int, retry_after: str, *, then: Response, status: int = 429) -> Handler:
    """`status` with `Retry-After: retry_after` (seconds or an HTTP date) `failures` times, then `then`."""
    return fail_then(failures, status=status, then=then, headers={"Retry-After": retry_after})


def conditional(response: Response, *, etag: str | None = None, last_modified: str | None = None) -> Handler:
    """Serve `response` with validators; answer 304 when the request's validators match."""
    validators = {k: v for k, v in (("ETag", etag), ("Last-Modified", last_modified)) if v}
    full = Response(response.status, {**response.headers, **validators}, response.body)

    def handler(ex: Exchange) -> Response:
        h = ex.request.headers
        if (etag and h.get("if-none-match") == etag) or (
                not h.get("if-none-match") and last_modified and h.get("if-modified-since") == last_modified):
            return Response(304, validators, b"")
        return full
    return handler


@contextmanager
def serve_listed_pages(pages: Mapping[str, bytes], lastmod: Mapping[str, str | None],
                       folder: Path) -> Iterator[tuple[TestHTTPServer, Path]]:
    """A news site on 127.0.0.1: each page at /news/<name> (with an ETag, answering 304 to it), a robots.txt that
    allows all and /sitemap.xml listing the pages with their `lastmod` (an ISO time, or None: undated); yields the
    server and a sources file (politeness off: one sitemap source) written into `folder`."""
    routes: dict[str, Route] = {"/robots.txt": robots_txt("User-agent: *\nAllow: /\n")}
    for i, (name, body) in enumerate(pages.items()):
        routes[f"/news/{name}"] = conditional(html(body), etag=f'"p{i}"')
    with serve(routes) as srv:
        entries = "".join(f"<url><loc>{srv.url('/news/' + name)}</loc>"
                          + ("" if lastmod.get(name) is None else f"<lastmod>{lastmod[name]}</lastmod>") + "</url>"
                          for name in pages)
        srv.routes["/sitemap.xml"] = Response(
            200, {"Content-Type": "application/xml"},
            ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             + entries + "</urlset>").encode())
        sources = folder / "sources.yaml"
        sources.write_text("defaults: {allow_private_hosts: true, min_delay_s: 0, timeout_s: 5}\nsources:\n"
                           f"  - {{name: city-news, kind: sitemap, url: '{srv.url('/sitemap.xml')}'}}\n",
                           encoding="utf-8")
        yield srv, sources
