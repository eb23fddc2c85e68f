"""The response cache: pages and API documents kept until the data under them changes.

Responses are keyed by the data version (one indexed read per request), so an import or an edit
retires every cached response at once in every worker, with a cache per process (``locmem``) or
one shared cache (Redis). PITBOARD_CACHE_URL=none turns it off.
"""

from __future__ import annotations

from collections.abc import Callable
from hashlib import blake2b
from importlib import import_module

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.http import http_date

from pitboard.records.services import versions

# Downloads: their listing follows the folder, not the data version, and files are streamed.
SKIPPED = ("/admin/", "/report/", "/static/", "/officials/", "/downloads/")
LARGEST = 2 * 1024 * 1024  # bytes: bigger responses are rendered every time
KEPT_HEADERS = ("Content-Type", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy")


def _cacheable(request: HttpRequest) -> bool:
    """Reads anyone may make: not a signed-in official's page (it may show them more) nor a
    call with a token (the audit trail is for token holders only)."""
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(SKIPPED)
        and "HTTP_AUTHORIZATION" not in request.META
        and not _in_session(request)
    )


def _in_session(request: HttpRequest) -> bool:
    """Whether the request carries a session that exists (one query): a made-up cookie does
    not get a reader past the cache."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore
    return bool(store().exists(key))


def response_cache(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[..., HttpResponse]:
    enabled = settings.PITBOARD_RESPONSE_CACHE
    cache = caches["default"]

    def middleware(request: HttpRequest) -> HttpResponse:
        if not _cacheable(request):
            return get_response(request)
        number, changed_at = versions.current()
        modified = http_date(changed_at.timestamp())
        # The host is part of the key: pages name their own address (canonical link, og:url).
        url = blake2b(request.build_absolute_uri().encode(), digest_size=16).hexdigest()
        key = f"pitboard:{number}:{url}"
        hit = cache.get(key) if enabled else None
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response["X-Cache"] = "hit"
            return response
        response = get_response(request)
        if response.status_code != 200 or response.streaming or response.cookies:
            return response
        response["Last-Modified"] = modified
        response["Cache-Control"] = "public, no-cache"
        if not response.has_header("ETag"):
            digest = blake2b(response.content, digest_size=16).hexdigest()
            response["ETag"] = f'"{digest}"'
        if enabled and len(response.content) <= LARGEST:
            headers = [
                (n, response[n])
                for n in (*KEPT_HEADERS, "ETag", "Last-Modified", "Cache-Control")
                if response.has_header(n)
            ]
            cache.set(key, (response.content, headers))
            response["X-Cache"] = "miss"
        return response

    return middleware
