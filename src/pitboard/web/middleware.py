"""The site's own middleware: cross-origin reads, odd input refused, errors of the API as JSON,
and the Content-Security-Policy of every response."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse

API = "/api/"
API_DOCS = "/api/v1/docs"

# Pages run no script at all; charts are SVG drawn on the server, styles come from one file.
PAGE_POLICY = (
    "default-src 'self'; script-src 'none'; object-src 'none'; style-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# The API docs (Swagger UI) and the admin run their own scripts, served from this site, and
# set inline styles on the elements they draw.
TOOL_POLICY = (
    "default-src 'self'; script-src 'self'; object-src 'none'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# JSON documents are never rendered.
DOCUMENT_POLICY = "default-src 'none'; frame-ancestors 'none'"

Handler = Callable[[HttpRequest], HttpResponse]


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API)


def error_response(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    """An error in the shape of the place it happens: ``{"detail"}`` in the API, text elsewhere."""
    if is_api(request):
        return JsonResponse({"detail": detail}, status=status)
    return HttpResponse(detail, status=status, content_type="text/plain; charset=utf-8")


def cors_for_reads(get_response: Handler) -> Handler:
    """Cross-origin reads of the API: any site may GET it (writes stay same-origin)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if is_api(request) and request.method in ("GET", "HEAD", "OPTIONS"):
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        return response

    return middleware


def refuse_nul(get_response: Handler) -> Handler:
    """A NUL character in the path or the query is refused before any view reads it: no name,
    slug or filter holds one, and PostgreSQL refuses it in text. Pages answer 400; the API
    answers 422 like any other invalid parameter (its documented error)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        where = (
            "path"
            if "\x00" in request.path
            else "query"
            if any(
                "\x00" in key or any("\x00" in value for value in values)
                for key, values in request.GET.lists()
            )
            else None
        )
        if where is None:
            return get_response(request)
        if is_api(request):
            problem = "holds a NUL character"
            return JsonResponse(
                {
                    "detail": f"invalid parameters: {where}: {problem}",
                    "errors": [{"where": where, "problem": problem}],
                },
                status=422,
            )
        return error_response(request, 400, "the request holds a NUL character")

    return middleware


def api_errors_as_json(get_response: Handler) -> Handler:
    """Every error of the API is ``{"detail": "…"}``: also the ones Django answers itself (an
    unknown path, a disallowed host, a method not allowed, a server error)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if (
            response.status_code >= 400
            and is_api(request)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            status = response.status_code
            try:
                phrase = HTTPStatus(status).phrase.lower()
            except ValueError:
                phrase = "error"
            detail = "no API operation at this path" if status == 404 else phrase
            replaced = JsonResponse({"detail": detail}, status=status)
            for header in ("Allow", "Retry-After"):
                if response.has_header(header):
                    replaced[header] = response[header]
            return replaced
        return response

    return middleware


def content_security_policy(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if not response.has_header("Content-Security-Policy"):
            if request.path.startswith((API_DOCS, "/admin/")):
                policy = TOOL_POLICY
            elif is_api(request) and response.get("Content-Type", "").startswith(
                "application/json"
            ):
                policy = DOCUMENT_POLICY
            else:
                policy = PAGE_POLICY
            response["Content-Security-Policy"] = policy
        return response

    return middleware
