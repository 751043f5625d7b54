"""Rate limits kept in the database, so that every server worker shares them."""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from sqlalchemy import delete, func, select

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import RateEvent
from wijkfonds.services.errors import RateLimited


def check(bucket: str, key: str, limit: tuple[int, int], message: str) -> None:
    """Raise RateLimited when ``key`` has used up ``limit`` = (attempts, seconds)."""
    attempts, seconds = limit
    since = utcnow() - timedelta(seconds=seconds)
    used = db.session.scalar(
        select(func.count(RateEvent.id)).where(RateEvent.bucket == bucket, RateEvent.key == key, RateEvent.at >= since)
    )
    if (used or 0) >= attempts:
        raise RateLimited(message)


def hit(bucket: str, key: str) -> None:
    """Count one attempt (committed by the caller's request)."""
    db.session.add(RateEvent(bucket=bucket, key=key[:128]))


def take(bucket: str, key: str, limit: tuple[int, int], message: str) -> None:
    """``check`` then ``hit``: one attempt counted, or RateLimited when ``limit`` is used up."""
    check(bucket, key, limit, message)
    hit(bucket, key)


def clear(bucket: str, key: str) -> None:
    """Forget the attempts of ``key`` (e.g. after a successful login)."""
    db.session.execute(delete(RateEvent).where(RateEvent.bucket == bucket, RateEvent.key == key))


def address_key(ip: str) -> str:
    """The part of a visitor's address that one party controls: IPv4 whole, IPv6 its /64.

    One home or phone gets a whole IPv6 /64 and can pick a new address in it at will, so a
    limit per single IPv6 address would stop nobody.
    """
    try:
        addr = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ip[:64]
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:
            return str(addr.ipv4_mapped)
        return str(ipaddress.ip_network(f"{addr}/64", strict=False))
    return str(addr)
