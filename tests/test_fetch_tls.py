"""https with the connection pinned to the checked address: SNI and certificate checks use the name."""
from __future__ import annotations

import socket
import ssl
from pathlib import Path

import pytest

from pipelines.fetch import Discovered, fetch_all
from pipelines.fetch import crawler as crawler_mod
from pipelines.fetch import safety
from pipelines.sources.config import CrawlPolicy, Source, SourcesConfig
from tests.support.http_server import html, serve

# A self-signed test certificate for news.example.test only (valid 2000-2100); test material, no secret.
CERT = """-----BEGIN CERTIFICATE-----
MIIBeDCCAR+gAwIBAgIBATAKBggqhkjOPQQDAjAcMRowGAYDVQQDDBFuZXdzLmV4
YW1wbGUudGVzdDAgFw0wMDAxMDEwMDAwMDBaGA8yMTAwMDEwMTAwMDAwMFowHDEa
MBgGA1UEAwwRbmV3cy5leGFtcGxlLnRlc3QwWTATBgcqhkjOPQIBBggqhkjOPQMB
BwNCAATim4moVrf6jSC4KwrUrZ/wlAO3o8nek1IBm1ji7asfXBKOFLuc/iPZfM+t
AIZlSITU/4DdaJPDnvjiyd5Yuf3so1AwTjAcBgNVHREEFTATghFuZXdzLmV4YW1w
bGUudGVzdDAPBgNVHRMBAf8EBTADAQH/MB0GA1UdDgQWBBT7LNwLOmbPNBi3zMuF
PkPqQlJzvDAKBggqhkjOPQQDAgNHADBEAiBYUspa5zd0hfW2oWDmFS0A1olfv3k3
l9YnbAICLpZo9QIgdZQ7G2AzpuxLSBNqfYmTjwwgrwgOvTnj/q2q0JBic2k=
-----END CERTIFICATE-----
"""
KEY = """-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgExIynHS8dGmsqXK3
Drw2oWbEcwuNkCY8+a3VCqqQjTOhRANCAATim4moVrf6jSC4KwrUrZ/wlAO3o8ne
k1IBm1ji7asfXBKOFLuc/iPZfM+tAIZlSITU/4DdaJPDnvjiyd5Yuf3s
-----END PRIVATE KEY-----
"""
PAGE = "<html><body><p>보안 연결로 받은 기사</p></body></html>"


@pytest.fixture
def tls_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text(CERT)
    key.write_text(KEY)

    def trusting_test_cert() -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(cert))

    async def fake_dns(host: str, port: int) -> list[str]:
        if host.endswith(".example.test"):
            return ["127.0.0.1"]
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(crawler_mod, "ssl_context", trusting_test_cert)
    monkeypatch.setattr(safety, "resolve_host", fake_dns)
    return cert, key


def _config() -> SourcesConfig:
    policy = CrawlPolicy(allow_private_hosts=True, min_delay_s=0, timeout_s=2, max_retries=0,
                         respect_robots_txt=False)
    return SourcesConfig(path=Path(__file__), defaults=policy,
                         sources=(Source(name="web", kind="urls", policy=policy, urls=("https://x.invalid/",)),))


def test_https_to_a_pinned_address_verifies_the_certificate_by_name(tls_files: tuple[Path, Path]) -> None:
    with serve({"/a": html(PAGE)}, tls=tls_files) as srv:
        good, wrong_name = fetch_all([Discovered("web", f"https://news.example.test:{srv.port}/a"),
                                      Discovered("web", f"https://other.example.test:{srv.port}/a")], _config())
        hosts = [r.headers["host"] for r in srv.requests]
    assert good.outcome == "ok" and good.content == PAGE.encode()
    assert hosts == [f"news.example.test:{srv.port}"]  # the wrong name never got a request through
    assert wrong_name.outcome == "connection_error"
    assert "certificate" in (wrong_name.error or "").lower() or "hostname" in (wrong_name.error or "").lower()
