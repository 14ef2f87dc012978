"""Which network addresses KOLHub may connect to on someone else's say-so.

An address that came from outside (a cover a platform named, a webhook endpoint a workspace
typed) must not make a worker reach our own network, a cloud metadata service or anything
else that is not a public site. tracking.ingest.public_fetch (covers, pictures) and
kolhub.webhooks (outgoing webhooks) both check hosts here, then connect to the address that
was checked (never to the name again), so a rebinding DNS server has no second answer to give.
"""

from __future__ import annotations

import ipaddress
import socket

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class AddressRefused(Exception):
    """The host is not a public address (`unresolvable` is False) or has none."""

    def __init__(self, *, unresolvable: bool = False):
        super().__init__("unresolvable" if unresolvable else "forbidden address")
        self.unresolvable = unresolvable


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the host resolves to. Tests substitute this function (no DNS in tests)."""
    answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    # An IPv6 link-local answer may carry a zone ("fe80::1%eth0"); the zone is not the address.
    return [ipaddress.ip_address(str(answer[4][0]).split("%")[0]) for answer in answers]


def is_public(address: IPAddress) -> bool:
    """Whether the address, and any IPv4 address embedded in it, is a public unicast one."""
    return all(_public(candidate) for candidate in _with_embedded(address))


def _public(address: IPAddress) -> bool:
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def _with_embedded(address: IPAddress) -> list[IPAddress]:
    """The address and the IPv4 addresses IPv6 can carry (::ffff:127.0.0.1 is 127.0.0.1 to a
    dual-stack socket; 6to4, Teredo and NAT64 forms route to their IPv4 too)."""
    found: list[IPAddress] = [address]
    if isinstance(address, ipaddress.IPv6Address):
        found += [v4 for v4 in (address.ipv4_mapped, address.sixtofour) if v4 is not None]
        if address.teredo is not None:
            found += list(address.teredo)
        if address in NAT64:
            found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def public_address(host: str, port: int) -> IPAddress:
    """The address to connect to for `host`, once every address it has is public."""
    if not host:
        raise AddressRefused()
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            addresses = resolve(host, port)
        except (OSError, UnicodeError, ValueError) as exc:
            raise AddressRefused(unresolvable=True) from exc
    # One private answer among public ones is refused too: which one a later connection
    # would use is not ours to choose.
    if not addresses or not all(is_public(address) for address in addresses):
        raise AddressRefused()
    return addresses[0]
