"""The news desk in the admin: articles (the text as given is read-only) and their mentions,
where an editor links a proposed name to its entity, or deletes the mention to dismiss it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models

from pitboard.core.mentions import DRIVER, PERSON, SERIES, TEAM, TRACK
from pitboard.news.models import Article, Mention
from pitboard.news.services import EDITOR
from pitboard.records.models import Driver
from pitboard.records.services import versions


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
        # An editor who names the entity links the mention, of that entity's kind; linking the
        # article again (`pitboard news link`) leaves it as the editor left it.
        kind = _kind_of(obj)
        if kind:
            obj.kind, obj.status, obj.confidence, obj.method = kind, "linked", 1.0, EDITOR
        super().save_model(request, obj, form, change)

    def delete_model(self, request: Any, obj: Mention) -> None:
        super().delete_model(request, obj)
        versions.bump()  # a dismissed name: the article's page changes

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        versions.bump()


def _kind_of(mention: Mention) -> str | None:
    if mention.person_id:
        return DRIVER if Driver.objects.filter(person_id=mention.person_id).exists() else PERSON
    if mention.track_id:
        return TRACK
    if mention.team_id:
        return TEAM
    return SERIES if mention.series_id else None
