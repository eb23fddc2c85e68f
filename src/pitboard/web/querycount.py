"""``X-Query-Count``: how many database queries a response took, for the tests' query cap.

On only when PITBOARD_COUNT_QUERIES=1 (the test servers set it); it adds nothing otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse


def query_count(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[..., HttpResponse]:
    if not settings.PITBOARD_COUNT_QUERIES:
        return get_response

    def middleware(request: HttpRequest) -> HttpResponse:
        count = 0

        def counted(
            execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
        ) -> Any:
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = get_response(request)
        response["X-Query-Count"] = str(count)
        return response

    return middleware
