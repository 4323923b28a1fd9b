"""The address of the person behind a request, trusting the proxies the deployment names.

Behind the TLS proxy every request comes from the proxy's address; the proxy writes the address
it saw into X-Forwarded-For. Anyone can write that header too, so it is read only when the
request comes from a trusted proxy (``TRUSTED_PROXIES``), and then from the right: each trusted
proxy appends its peer's address, so the first address that is not a trusted proxy is the
client, and whatever the client wrote further left is ignored.
"""

import functools
import ipaddress

from django.conf import settings


@functools.lru_cache(maxsize=8)
def _networks(proxies):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def trusted_networks():
    """``TRUSTED_PROXIES`` as networks (an address alone is a network of one)."""
    return _networks(tuple(settings.TRUSTED_PROXIES))


def parse_address(value):
    """The IP address written in ``value`` (a port or IPv6 brackets allowed), or None."""
    value = value.strip()
    if value.startswith("["):  # [2001:db8::1]:443
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:  # 203.0.113.5:4711
        value = value.partition(":")[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def is_trusted_proxy(address):
    return any(address in network for network in trusted_networks())


def client_ip(request):
    """The client's address as text: the peer's own, or, when the peer is a trusted proxy, the
    nearest address in X-Forwarded-For that is not one. None when the peer has no address."""
    peer = parse_address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return None
    client = peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [part for part in forwarded.split(",") if part.strip()] if forwarded else []
    while is_trusted_proxy(client) and hops:
        previous = parse_address(hops.pop())
        if previous is None:
            break  # a trusted proxy writes addresses: the chain is broken, keep the last proxy
        client = previous
    return str(client)
