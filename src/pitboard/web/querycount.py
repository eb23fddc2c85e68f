"""``X-Query-Count``: how many database queries a response took, for the tests' query cap;
``X-Write-Count``: how many of them wrote (a page view must write nothing).

On only when PITBOARD_COUNT_QUERIES=1 (the test servers set it); it adds nothing otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse

WRITES = {"INSERT", "UPDATE", "DELETE", "REPLACE", "COPY"}


def query_count(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[..., HttpResponse]:
    if not settings.PITBOARD_COUNT_QUERIES:
        return get_response

    def middleware(request: HttpRequest) -> HttpResponse:
        count = writes = 0

        def counted(
            execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
        ) -> Any:
            nonlocal count, writes
            count += 1
            writes += sql.lstrip().split(None, 1)[0].upper() in WRITES
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = get_response(request)
        response["X-Query-Count"] = str(count)
        response["X-Write-Count"] = str(writes)
        return response

    return middleware
