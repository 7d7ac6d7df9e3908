"""Address safety: the crawler never talks to a machine on our side of the fence.

Rules (applied to the first URL and again to every redirect hop):

* the host is resolved with getaddrinfo (an IP literal is taken as is); a lookup that fails or
  takes longer than the policy's timeout is a `dns_error`;
* unless the policy sets `allow_private_hosts`, EVERY resolved address must be globally routable:
  loopback, private (RFC 1918 / ULA), link-local, multicast, reserved, unspecified, carrier-grade
  NAT and IPv4-mapped forms of those are refused as `blocked_address`
  ("refused: 127.0.0.1 is a loopback address"). A public-looking name that resolves to 127.0.0.1
  is refused the same way, because the check is on the addresses, not the name;
* IPv6 forms that carry an IPv4 address are judged by that address too: IPv4-mapped
  (::ffff:a.b.c.d), 6to4 (2002::/16), Teredo (2001::/32: server and client) and NAT64 with the
  well-known prefix (64:ff9b::/96). A 6to4 or NAT64 address whose IPv4 is public is allowed (that is
  how an IPv6-only host with DNS64 reaches an IPv4 site); Teredo stays refused in any case (it lies
  in the non-global 2001::/23 block), naming the embedded address when that one is private;
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


NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[tuple[str, ipaddress.IPv4Address]]:
    """The IPv4 addresses an IPv6 address carries, with the form's name ([] when none)."""
    if ip.ipv4_mapped is not None:
        return [("IPv4-mapped", ip.ipv4_mapped)]
    if ip.sixtofour is not None:
        return [("6to4", ip.sixtofour)]
    if ip.teredo is not None:
        server, client = ip.teredo
        return [("Teredo", client), ("Teredo", server)]
    if ip in NAT64_WELL_KNOWN:
        return [("NAT64", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))]
    return []


def _kind_refusal(ip: IPAddress) -> str | None:
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
            return kind
    return None


def address_refusal(address: str) -> str | None:
    """Why `address` may not be contacted (None: it is a public address)."""
    ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = embedded_ipv4(ip)
        for form, v4 in embedded:
            kind = _kind_refusal(v4)
            if kind:
                if form == "IPv4-mapped":
                    return f"{v4} is {kind} address"
                return f"{address} is a {form} address embedding {v4}, {kind} address"
        if embedded and embedded[0][0] in ("IPv4-mapped", "6to4", "NAT64"):
            return None  # judged by the (public) IPv4 address it carries
    kind = _kind_refusal(ip)
    return f"{address} is {kind} address" if kind else None


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
