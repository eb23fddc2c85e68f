"""The admin: every record browsable; imports' log readable. Editing goes through the models."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages

from pitboard.records import models
from pitboard.records.services.editing import record_edit
from pitboard.records.services.statements import RACES, RESULTS, Table


@admin.register(models.ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ("started_at", "importer", "target", "status", "finished_at")
    list_filter = ("importer", "status")
    readonly_fields = tuple(f.name for f in models.ImportRun._meta.fields)


@admin.register(models.Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("dataset", "uri", "retrieved_at", "sha256")
    search_fields = ("uri",)


class SeriesNameInline(admin.TabularInline):
    model = models.SeriesName
    extra = 0


@admin.register(models.Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "level", "discipline", "sanctioning_body")
    inlines = (SeriesNameInline,)


class TrackNameInline(admin.TabularInline):
    model = models.TrackName
    extra = 0


@admin.register(models.Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ("name", "layout", "surface", "length_miles", "country")
    search_fields = ("name", "names__name")
    inlines = (TrackNameInline,)


class PersonAliasInline(admin.TabularInline):
    model = models.PersonAlias
    extra = 0


@admin.register(models.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "birth_date", "nationality")
    search_fields = ("name", "aliases__name")
    inlines = (PersonAliasInline,)


@admin.register(models.Driver)
class DriverAdmin(admin.ModelAdmin):
    list_display = ("person", "slug")
    search_fields = ("person__name", "slug")
    raw_id_fields = ("person",)


class StatedAdmin(admin.ModelAdmin):
    """A shown row derived from its sources: fields changed here become the editor's own
    statement (``services.editing``), so a re-import or another source cannot undo them."""

    table: Table

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        attnames = {f.name: f.attname for f in obj._meta.concrete_fields}
        changed = {
            attnames[name]: getattr(obj, attnames[name])
            for name in form.changed_data
            if attnames.get(name) in self.table.fields
        }
        record_edit(self.table, obj.pk, changed, request.user)


@admin.register(models.Race)
class RaceAdmin(StatedAdmin):
    table = RACES
    list_display = ("season", "round", "name", "track", "date")
    list_filter = ("season__series",)
    raw_id_fields = ("track",)


class ResultStatementInline(admin.TabularInline):
    """Every source's account of this result: the shown row is derived from these."""

    model = models.ResultStatement
    extra = 0
    can_delete = False
    readonly_fields = tuple(
        f.name for f in models.ResultStatement._meta.fields if f.name not in ("id", "result")
    )


@admin.register(models.Result)
class ResultAdmin(StatedAdmin):
    table = RESULTS
    inlines = (ResultStatementInline,)
    list_display = ("race", "finish", "driver", "car_number", "status_text", "points")
    raw_id_fields = ("race", "driver", "team", "manufacturer", "source")


for model in (
    models.SanctioningBody,
    models.Season,
    models.Championship,
    models.Team,
    models.Manufacturer,
    models.Penalty,
    models.Session,
):
    admin.site.register(model)


@admin.register(models.ErrorReport)
class ErrorReportAdmin(admin.ModelAdmin):
    """The corrections queue: readers' reports, newest first, settled by an editor."""

    list_display = ("created_at", "page", "status", "message")
    list_filter = ("status",)
    search_fields = ("page", "message")
    readonly_fields = ("page", "message", "contact", "created_at")


@admin.register(models.IdentityReview)
class IdentityReviewAdmin(admin.ModelAdmin):
    """The identity queue: new source keys that may be drivers already known. The actions call
    the same service as ``pitboard identity merge|apart``."""

    list_display = ("name", "dataset", "candidate", "score", "status", "created_at")
    list_filter = ("status", "dataset")
    search_fields = ("name", "key")
    readonly_fields = tuple(f.name for f in models.IdentityReview._meta.fields)
    actions = ("merge_into_candidate", "keep_apart")

    @admin.action(description="Same person: merge into the candidate")
    def merge_into_candidate(self, request: Any, queryset: Any) -> None:
        from pitboard.records.services.merging import IdentityError, merge

        for review in queryset.filter(status=models.IdentityReview.Status.OPEN):
            if review.provisional is None or review.candidate is None:
                continue
            try:
                merge(review.candidate.slug, review.provisional.slug, f"review {review.pk}")
            except IdentityError as exc:
                self.message_user(request, str(exc), level=messages.ERROR)

    @admin.action(description="Two people: keep apart")
    def keep_apart(self, request: Any, queryset: Any) -> None:
        from pitboard.records.services.merging import keep_apart

        for review in queryset.filter(status=models.IdentityReview.Status.OPEN):
            keep_apart(review.pk)


@admin.register(models.IdentityChange)
class IdentityChangeAdmin(admin.ModelAdmin):
    list_display = ("created_at", "action", "merged_name", "kept", "undone_by")
    readonly_fields = tuple(f.name for f in models.IdentityChange._meta.fields)


@admin.register(models.SourceKey)
class SourceKeyAdmin(admin.ModelAdmin):
    list_display = ("dataset", "kind", "key", "object_id", "name")
    list_filter = ("dataset", "kind")
    search_fields = ("key", "name")


admin.site.register(models.Change)
admin.site.register(models.SlugRedirect)
