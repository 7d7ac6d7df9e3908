"""Address safety: the crawler never talks to a machine on our side of the fence.

Rules (applied to the first URL and again to every redirect hop):

* the host is resolved with getaddrinfo (an IP literal is taken as is); a lookup that fails or
  takes longer than the policy's timeout is a `dns_error`;
* unless the policy sets `allow_private_hosts`, EVERY resolved address must be globally routable:
  loopback, private (RFC 1918 / ULA), link-local, multicast, reserved, unspecified, carrier-grade
  NAT and IPv4-mapped forms of those are refused as `blocked_address`
  ("refused: 127.0.0.1 is a loopback address"). A public-looking name that resolves to 127.0.0.1
  is refused the same way, because the check is on the addresses, not the name;
* the request is then sent to the address that was checked (the connection is pinned to it; the
  Host header and TLS SNI carry the name), so a second DNS answer cannot slip past the check.

`resolve_host` is the single place names are turned into addresses (tests replace it to point a
public-looking name at 127.0.0.1).
"""
from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """The host resolves to an address the policy does not allow."""


class DnsFailure(Exception):
    """The host name could not be resolved."""


@dataclass(frozen=True)
class CheckedHost:
    host: str
    addresses: tuple[str, ...]  # IPv4 first; the request is pinned to one of these


def address_refusal(address: str) -> str | None:
    """Why `address` may not be contacted (None: it is a public address)."""
    ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    checks = (
        (ip.is_loopback, "a loopback"),
        (ip.is_unspecified, "an unspecified"),
        (ip.is_link_local, "a link-local"),
        (ip.is_multicast, "a multicast"),
        (ip.is_private, "a private"),
        (ip.is_reserved, "a reserved"),
        (not ip.is_global, "a non-public"),
    )
    for hit, kind in checks:
        if hit:
            return f"{address} is {kind} address"
    return None


async def resolve_host(host: str, port: int) -> list[str]:
    """All addresses `host` resolves to (raises socket.gaierror on failure)."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _ip_literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


def _ipv4_first(addresses: list[str]) -> tuple[str, ...]:
    unique = list(dict.fromkeys(addresses))
    return tuple(sorted(unique, key=lambda a: ":" in a))


async def check_host(host: str, port: int, *, allow_private: bool, timeout_s: float) -> CheckedHost:
    """Resolve `host` and apply the address rules; raises DnsFailure or AddressRefused."""
    literal = _ip_literal(host)
    if literal is not None:
        addresses = [literal]
    else:
        try:
            async with asyncio.timeout(timeout_s):
                addresses = await resolve_host(host, port)
        except TimeoutError:
            raise DnsFailure(f"DNS lookup for {host} timed out after {timeout_s:g} s") from None
        except (OSError, UnicodeError) as exc:
            raise DnsFailure(f"DNS lookup for {host} failed: {exc}") from None
        if not addresses:
            raise DnsFailure(f"DNS lookup for {host} returned no address")
    if not allow_private:
        for address in addresses:
            reason = address_refusal(address)
            if reason:
                via = "" if literal is not None else f" ({host} resolves to it)"
                raise AddressRefused(f"refused: {reason}{via}")
    return CheckedHost(host=host, addresses=_ipv4_first(addresses))
