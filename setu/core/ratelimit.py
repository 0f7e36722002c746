"""A per-key counter in Django's cache: at most ``limit`` hits per fixed window."""

from __future__ import annotations

import time

from django.core.cache import cache


def allow(key: str, *, limit: int, window_seconds: int = 60) -> bool:
    """Count one hit for ``key``; False once the window already holds ``limit`` hits.

    A limit of 0 or less means no limit. The counter lives in the default cache, so several app
    servers share it only when that cache is shared (see docs/deployment.md).
    """
    if limit <= 0:
        return True
    bucket = int(time.time() // window_seconds)
    name = f"setu:ratelimit:{key}:{bucket}"
    if cache.add(name, 1, timeout=window_seconds + 5):
        return True
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add() and incr()
        cache.set(name, 1, timeout=window_seconds + 5)
        count = 1
    return count <= limit
