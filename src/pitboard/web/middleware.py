"""Cross-origin reads of the API: any site may GET it (writes stay same-origin)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


def cors_for_reads(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[..., HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if request.path.startswith("/api/") and request.method in ("GET", "HEAD", "OPTIONS"):
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        return response

    return middleware
