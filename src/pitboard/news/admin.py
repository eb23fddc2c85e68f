"""The news desk in the admin: articles (the text as given is read-only) and their mentions,
where an editor links a proposed name to its entity or dismisses it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models

from pitboard.news.models import Article, Mention


class MentionInline(admin.TabularInline):
    model = Mention
    extra = 0
    fields = ("text", "start", "end", "kind", "status", "method", "confidence")
    readonly_fields = ("text", "start", "end", "method", "confidence")
    show_change_link = True


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "publication", "published", "format", "imported_at")
    search_fields = ("title", "author", "publication")
    readonly_fields = ("original", "sha256", "removed", "source", "imported_at")
    inlines = (MentionInline,)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # noqa: RUF012


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ("text", "kind", "status", "method", "confidence", "article")
    list_filter = ("status", "kind", "method")
    search_fields = ("text",)
    raw_id_fields = ("person", "track", "team", "series", "article")
    readonly_fields = ("start", "end", "text", "method", "candidates")

    def save_model(self, request: Any, obj: Mention, form: Any, change: bool) -> None:
        # An editor who names the entity links the mention.
        if obj.person_id or obj.track_id or obj.team_id or obj.series_id:
            obj.status = Mention.Status.LINKED
            obj.confidence = 1.0
        super().save_model(request, obj, form, change)
