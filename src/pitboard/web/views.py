"""Pages. Thin: they ask the services and hand the answer to a template."""

from __future__ import annotations

from django.db.models import Count, Max, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pitboard.records.models import Series


def home(request: HttpRequest) -> HttpResponse:
    series = Series.objects.annotate(
        seasons_count=Count("seasons"), first=Min("seasons__year"), last=Max("seasons__year")
    ).order_by("display_order", "slug")
    return render(request, "web/home.html", {"series": series})
