"""How often one reader may do something (post a report): counted in the shared cache.

The count lives in Django's default cache: one Redis for every worker with
PITBOARD_CACHE_URL=redis://…, else each worker's memory (then each worker counts on its own).
"""

from __future__ import annotations

import time
from hashlib import blake2b

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The reader's address: the connection's, or the one the trusted proxy appended last."""
    if settings.PITBOARD_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return str(request.META.get("REMOTE_ADDR", ""))


def allowed(
    request: HttpRequest, action: str, limit: int, seconds: int, account: str | None = None
) -> bool:
    """Counts one more *action* by this reader (by *account*, where one is signed in); False
    once they did it *limit* times within the current window of *seconds*."""
    window = int(time.time() // seconds)
    who = blake2b((account or client_address(request)).encode(), digest_size=8).hexdigest()
    key = f"pitboard:limit:{action}:{who}:{window}"
    cache = caches["default"]
    cache.add(key, 0, timeout=seconds * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this is the first of a new count
        cache.set(key, 1, timeout=seconds * 2)
        count = 1
    return count <= limit
