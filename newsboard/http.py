"""The client's IP address, for rate limits, IP blocks, stored comments and sign-in throttling.

Behind a reverse proxy REMOTE_ADDR is the proxy's address, the same for every reader.
The reader's own address is then in X-Forwarded-For, which each proxy extends with the
address it received the request from; everything left of what our own proxies wrote was
sent by the client and can be anything. So X-Forwarded-For is read only when the request
comes from a proxy the operator trusts (NEWSBOARD_TRUSTED_PROXIES), and only from the
right, as far as the trusted proxies go.
"""

import ipaddress
import re

from django.conf import settings

# "[2001:db8::7]:4711" and "203.0.113.7:4711": an address with the port some proxies add.
_WITH_PORT = re.compile(r"\[(?P<ipv6>[^\]]+)\](?::\d{1,5})?|(?P<ipv4>[\d.]+):\d{1,5}", re.ASCII)


def client_ip(request):
    """The address of the client that sent this request, as a normalized IP string.

    REMOTE_ADDR, unless it is a trusted proxy: then X-Forwarded-For is walked from the
    right, skipping trusted proxies, and the first address that is not one is the
    client. An entry that is not an IP address ends the walk at the last trusted hop,
    since whatever lies left of it was not written by a proxy we trust. None only when
    the server gave no usable REMOTE_ADDR (e.g. a Unix socket).
    """
    address = parse_ip(request.META.get("REMOTE_ADDR", ""))
    trusted = trusted_proxies()
    if address is None or not _is_trusted(address, trusted):
        return _as_string(address)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed(forwarded.split(",")):
        hop = parse_ip(entry)
        if hop is None:
            break
        address = hop
        if not _is_trusted(address, trusted):
            break
    return _as_string(address)


def trusted_proxies():
    """The networks of NEWSBOARD_TRUSTED_PROXIES (validated when the settings load)."""
    return [
        ipaddress.ip_network(network, strict=False)
        for network in getattr(settings, "NEWSBOARD_TRUSTED_PROXIES", ())
    ]


def parse_ip(text):
    """An IP address from a header entry, or None if it is not one.

    Accepts the forms proxies write: "203.0.113.7", "2001:db8::7", with a port
    ("203.0.113.7:4711", "[2001:db8::7]:4711") and with an IPv6 zone ("fe80::1%eth0",
    dropped). IPv4-mapped IPv6 addresses ("::ffff:203.0.113.7") become IPv4, so an
    address is the same whichever socket family the server listens on.
    """
    text = text.strip()
    with_port = _WITH_PORT.fullmatch(text)
    if with_port:
        text = with_port["ipv6"] or with_port["ipv4"]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        address = ipaddress.IPv6Address(address.packed)  # without the zone
        if address.ipv4_mapped:
            return address.ipv4_mapped
    return address


def _is_trusted(address, networks):
    return any(address in network for network in networks)


def _as_string(address):
    return None if address is None else str(address)
