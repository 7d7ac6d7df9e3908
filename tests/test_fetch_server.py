"""The reusable test server itself: routing, recording, and that its misbehaviour is real."""
from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx

from tests.support.http_server import (
    Response, fail_then, gzip_bomb, html, redirect_loop, routes_from_dir, serve, trickle, truncated,
)


def test_routes_answer_and_requests_are_recorded() -> None:
    with serve({"/a": html("<html>가</html>"), "/t": (201, {"X-Kind": "tuple"}, b"made")}) as srv:
        with httpx.Client() as client:
            a = client.get(srv.url("/a?page=2"), headers={"X-Test": "1"})
            t = client.get(srv.url("/t"))
            missing = client.get(srv.url("/nope"))
        assert a.status_code == 200 and a.content == "<html>가</html>".encode()
        assert (t.status_code, t.headers["x-kind"], t.content) == (201, "tuple", b"made")
        assert missing.status_code == 404
        assert srv.count() == 3 and srv.count("/a") == 1
        first = srv.requests[0]
        assert (first.path, first.method, first.headers["x-test"]) == ("/a?page=2", "GET", "1")


def test_counters_and_redirect_loops() -> None:
    routes = {"/flaky": fail_then(2, status=503, then=html("ok")), **redirect_loop("/x", "/y")}
    with serve(routes) as srv, httpx.Client() as client:
        assert [client.get(srv.url("/flaky")).status_code for _ in range(3)] == [503, 503, 200]
        assert client.get(srv.url("/x")).headers["location"] == "/y"
        assert client.get(srv.url("/y")).headers["location"] == "/x"


def test_truncated_really_closes_early() -> None:
    with serve({"/cut": truncated(b"abc", declared_length=100)}) as srv:
        with socket.create_connection((srv.host, srv.port), timeout=2) as sock:
            sock.sendall(b"GET /cut HTTP/1.1\r\nHost: x\r\n\r\n")
            data = b""
            while chunk := sock.recv(4096):
                data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert b"Content-Length: 100" in head and body == b"abc"


def test_gzip_bomb_is_small_on_the_wire() -> None:
    bomb = gzip_bomb(8 << 20)
    assert bomb.headers["Content-Encoding"] == "gzip" and len(bomb.body) < 20_000


def test_a_trickle_ends_when_the_server_stops() -> None:
    started = time.monotonic()
    with serve({"/t": trickle(interval=0.02)}) as srv:
        with socket.create_connection((srv.host, srv.port), timeout=2) as sock:
            sock.sendall(b"GET /t HTTP/1.1\r\nHost: x\r\n\r\n")
            assert sock.recv(4096).startswith(b"HTTP/1.1 200")
    assert time.monotonic() - started < 3


def test_routes_from_dir_serves_saved_pages(tmp_path: Path) -> None:
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "1.html").write_bytes("<html>세종</html>".encode("euc-kr"))
    routes = routes_from_dir(tmp_path)
    assert isinstance(routes["/news/1.html"], Response)
    with serve(routes) as srv, httpx.Client() as client:
        assert client.get(srv.url("/news/1.html")).content == "<html>세종</html>".encode("euc-kr")


def test_a_fallback_answers_every_path_without_a_route() -> None:
    def by_host(ex) -> Response:
        return Response(200, {"Content-Type": "text/plain"}, f"{ex.request.headers['host']} {ex.request.path}".encode())

    with serve({"/known": html("known")}, fallback=by_host) as srv:
        with httpx.Client() as client:
            known = client.get(srv.url("/known"))
            other = client.get(srv.url("/a/b?c=1"), headers={"Host": "news.example.kr"})
    assert known.text == "known"
    assert other.text == "news.example.kr /a/b?c=1"


def test_the_dev_site_serves_each_page_by_its_host_and_path(tmp_path: Path) -> None:
    from evaluation.dev import DevSite, Page

    (tmp_path / "a.html").write_bytes("<p>가</p>".encode("euc-kr"))
    (tmp_path / "b.html").write_bytes(b"<p>b</p>")
    pages = [Page("gov", "https://www.one.go.kr/news/view?id=1", tmp_path / "a.html", "euc-kr"),
             Page("wire", "https://www.two.co.kr/news/view?id=1", tmp_path / "b.html", "utf-8")]
    with DevSite(pages) as site, httpx.Client() as client:
        a = client.get(f"http://127.0.0.1:{site.port}/news/view?id=1", headers={"Host": "www.one.go.kr"})
        b = client.get(f"http://127.0.0.1:{site.port}/news/view?id=1", headers={"Host": "www.two.co.kr"})
        missing = client.get(f"http://127.0.0.1:{site.port}/news/view?id=2", headers={"Host": "www.two.co.kr"})
    assert (a.status_code, a.headers["content-type"], a.content) == (200, "text/html; charset=euc-kr",
                                                                     "<p>가</p>".encode("euc-kr"))
    assert b.content == b"<p>b</p>"
    assert missing.status_code == 404
    assert site.local_url("https://www.two.co.kr/news/view?id=1") == f"http://www.two.co.kr:{site.port}/news/view?id=1"
