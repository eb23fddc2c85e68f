"""The admin: every record browsable; imports' log readable. Editing goes through the models."""

from __future__ import annotations

from django.contrib import admin

from pitboard.records import models


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


@admin.register(models.Race)
class RaceAdmin(admin.ModelAdmin):
    list_display = ("season", "round", "name", "track", "date")
    list_filter = ("season__series",)
    raw_id_fields = ("track",)


@admin.register(models.Result)
class ResultAdmin(admin.ModelAdmin):
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
