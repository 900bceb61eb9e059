"""Login throttling (SPEC §2, §11.8): too many failures for one email or one address lock it.

After ``settings.LOGIN_THROTTLE_FAILURES`` failed sign-ins within
``settings.LOGIN_THROTTLE_WINDOW_SECONDS`` for the same email, or from the same client
address, further attempts are refused before the password is looked at. The failures live
in Django's cache (the database cache by default, Redis when configured), so every app
server behind the proxy shares them.

Each key keeps the times of its most recent failures (a sliding window): an attempt is
refused while the oldest of the last N failures is younger than the window. Under a burst of
concurrent requests a few failures may be counted late (the cache has no atomic list append
on every backend); the lock still closes within one round trip of the limit.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger("saleshelm.security")

_PREFIX = "saleshelm:login-failures"
# Other doors that an attacker could knock on repeatedly (asking for password-reset emails)
# count their attempts the same way, each under its own prefix: asking for a reset link five
# times does not lock the sign-in, and failed sign-ins do not stop a reset.
# Creating an organisation from the sign-up page counts the same way (every submission).
_BUCKETS = {
    "login": _PREFIX,
    "password_reset": "saleshelm:password-reset-requests",
    "signup": "saleshelm:signup-requests",
}


def _now() -> float:
    return time.time()


def _limit() -> int:
    return int(getattr(settings, "LOGIN_THROTTLE_FAILURES", 5))


def _window() -> int:
    return int(getattr(settings, "LOGIN_THROTTLE_WINDOW_SECONDS", 15 * 60))


def normalise_email(email: str | None) -> str:
    return (email or "").strip().lower()


def client_ip(request) -> str:
    """The client's address. Behind N trusted proxies (``LOGIN_THROTTLE_TRUSTED_PROXIES``),
    the address the nearest trusted proxy saw; otherwise REMOTE_ADDR, which a client cannot
    forge."""
    proxies = int(getattr(settings, "LOGIN_THROTTLE_TRUSTED_PROXIES", 0) or 0)
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]


def _key(kind: str, value: str, bucket: str = "login") -> str:
    # Hashed: keys stay short and valid for every backend, and emails are not cache keys.
    digest = hashlib.sha256(value.encode()).hexdigest()[:40]
    return f"{_BUCKETS[bucket]}:{kind}:{digest}"


def _keys(email: str, ip: str, bucket: str = "login") -> dict[str, str]:
    keys = {"ip": _key("ip", ip, bucket)}
    if email:
        keys["email"] = _key("email", email, bucket)
    return keys


def _recent(stamps, now: float) -> list[float]:
    if not isinstance(stamps, list):
        return []
    window = _window()
    return [s for s in stamps if isinstance(s, int | float) and now - s < window]


@dataclass(frozen=True)
class Lock:
    """Why an attempt is refused and for how long (whole seconds, at least 1)."""

    scope: str  # "email" or "ip"
    retry_after: int

    @property
    def retry_after_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))


def check(*, email: str, ip: str, bucket: str = "login") -> Lock | None:
    """The lock in force for this email or address, if any."""
    now = _now()
    limit = _limit()
    keys = _keys(normalise_email(email), ip, bucket)
    stored = cache.get_many(list(keys.values()))
    worst: Lock | None = None
    for scope, key in keys.items():
        recent = _recent(stored.get(key), now)
        if len(recent) >= limit:
            # Open again when the oldest of the last `limit` failures leaves the window.
            oldest = sorted(recent)[-limit]
            retry = max(1, math.ceil(oldest + _window() - now))
            if worst is None or retry > worst.retry_after:
                worst = Lock(scope=scope, retry_after=retry)
    return worst


def _count(*, email: str, ip: str, bucket: str) -> dict[str, int]:
    now = _now()
    limit = _limit()
    keys = _keys(email, ip, bucket)
    stored = cache.get_many(list(keys.values()))
    counts: dict[str, int] = {}
    updates = {}
    for scope, key in keys.items():
        recent = [*_recent(stored.get(key), now), now][-limit:]
        updates[key] = recent
        counts[scope] = len(recent)
    cache.set_many(updates, timeout=_window())
    return counts


def record_failure(*, email: str, ip: str) -> dict[str, int]:
    """Count one failed sign-in against the email and the address; returns the counts."""
    email = normalise_email(email)
    counts = _count(email=email, ip=ip, bucket="login")
    logger.warning(
        "login failed email=%s ip=%s email_failures=%d ip_failures=%d",
        email or "-",
        ip,
        counts.get("email", 0),
        counts["ip"],
    )
    return counts


def record_attempt(*, email: str, ip: str, bucket: str) -> dict[str, int]:
    """Count one request at a door other than the sign-in (every request, not only failures:
    a reset request succeeds whether or not the address has an account)."""
    email = normalise_email(email)
    counts = _count(email=email, ip=ip, bucket=bucket)
    logger.info(
        "%s requested email=%s ip=%s email_requests=%d ip_requests=%d",
        bucket,
        email or "-",
        ip,
        counts.get("email", 0),
        counts["ip"],
    )
    return counts


def record_refusal(*, email: str, ip: str, lock: Lock, bucket: str = "login") -> None:
    logger.warning(
        "%s refused (throttled by %s) email=%s ip=%s retry_after=%ds",
        bucket,
        lock.scope,
        normalise_email(email) or "-",
        ip,
        lock.retry_after,
    )


def record_success(*, email: str, ip: str) -> None:
    """A good sign-in clears the email's failures; the address keeps its count so that one
    valid account cannot be used to reset the guessing of others from the same address."""
    email = normalise_email(email)
    if email:
        cache.delete(_key("email", email))
