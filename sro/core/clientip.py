"""The client's network address, behind the site's own HTTPS proxy or without one.

A request that reaches Django through a reverse proxy comes from the proxy's address
(`REMOTE_ADDR`); the proxy writes the address it received the request from at the end of the
`X-Forwarded-For` header. Everything to the left of that in the header was sent by the client or
by proxies we know nothing of, so any client can write any address there.

The rule, as MDN's X-Forwarded-For page describes it ("Selecting an IP address", the trusted
proxy list: https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/X-Forwarded-For):

- when `REMOTE_ADDR` is not one of the trusted proxies (`SRO_TRUSTED_PROXIES`, addresses or
  CIDR ranges; none by default), the header is ignored and the client is `REMOTE_ADDR`;
- otherwise the header is read from the right, skipping the trusted proxies' own addresses; the
  first address that is not a trusted proxy is the client. When every address in it is a trusted
  proxy, the left-most is used. When the header is missing, or an entry that would be chosen is
  not an IP address (a misconfigured proxy), the client is `REMOTE_ADDR`.

Everything that keys on the client's address uses `client_ip`: the public forms' rate limits
(`sro.core.antispam`) and the sign-in lockout (django-axes, `AXES_CLIENT_IP_CALLABLE`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(values: Iterable[str], *, setting: str = "SRO_TRUSTED_PROXIES") -> tuple[Network, ...]:
    """Each address or CIDR range of the setting, or ImproperlyConfigured naming the bad one."""
    networks: list[Network] = []
    for raw in values:
        value = raw.strip()
        if not value:
            continue
        try:
            networks.append(ipaddress.ip_network(value, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{setting}: {value!r} is not an IP address or a CIDR range (e.g. 10.0.0.5 or 10.0.0.0/24)"
            ) from None
    return tuple(networks)


@lru_cache(maxsize=8)
def _trusted(values: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(values)


def trusted_proxies() -> tuple[Network, ...]:
    return _trusted(tuple(getattr(settings, "SRO_TRUSTED_PROXIES", ())))


def _address(value: str) -> Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "192.0.2.1:443"
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _is_trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == n.version and address in n for n in networks)


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent `request` (see the module's docstring for the rule)."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    networks = trusted_proxies()
    peer = _address(remote)
    if not networks or peer is None or not _is_trusted(peer, networks):
        return remote
    header = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    hops = [h for h in (part.strip() for part in header.split(",")) if h]
    chosen: Address | None = None
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return remote
        chosen = address
        if not _is_trusted(address, networks):
            return str(address)
    return str(chosen) if chosen is not None else remote


def check_trusted_proxies(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """Start-up check: every entry of SRO_TRUSTED_PROXIES is an address or a CIDR range."""
    try:
        trusted_proxies()
    except ImproperlyConfigured as e:
        return [checks.Error(str(e), id="core.E001")]
    return []
