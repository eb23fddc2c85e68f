"""The admin of careers: publications, and statements an editor ranks (with the reason)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models

from pitboard.careers.models import Publication, Reference, Statement
from pitboard.core.careers import InvalidStatement, Rank, check


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ("title", "publisher", "author", "published", "published_before")
    search_fields = ("title", "publisher", "author", "url")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # noqa: RUF012


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 0
    autocomplete_fields = ("publication",)


class StatementForm(forms.ModelForm):
    class Meta:
        model = Statement
        fields = (
            "key",
            "subject",
            "track",
            "series",
            "property",
            "value",
            "other",
            "qualifiers",
            "rank",
            "rank_reason",
            "dataset",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rank = data.get("rank")
        if rank and rank != Rank.NORMAL and not (data.get("rank_reason") or "").strip():
            self.add_error("rank_reason", "Say why this statement is preferred or deprecated.")
        about = [k for k in ("subject", "track", "series") if data.get(k)]
        if len(about) != 1:
            self.add_error("subject", "A statement is about one person, track or series.")
            return data
        kind = {"subject": "person"}.get(about[0], about[0])
        try:
            check(
                str(data.get("property")),
                data.get("value") or {},
                data.get("qualifiers") or {},
                kind,
            )
        except InvalidStatement as exc:
            field = "qualifiers" if exc.field.startswith("qualifiers") else "value"
            self.add_error(field if exc.field != "property" else "property", str(exc))
        return data


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    form = StatementForm
    list_display = ("key", "property", "rank", "dataset")
    list_filter = ("property", "rank", "dataset")
    search_fields = ("subject__name", "track__name", "series__name", "key")
    autocomplete_fields = ("subject", "other")
    raw_id_fields = ("track", "series")
    inlines = (ReferenceInline,)

    def save_model(self, request: Any, obj: Statement, form: Any, change: bool) -> None:
        # What an editor changes here is the editor's: reloading the careers file keeps it.
        if form.changed_data:
            obj.edited = True
        if not change and not obj.dataset:
            obj.dataset = "editor"
        super().save_model(request, obj, form, change)
