from django.contrib import admin
from django.urls import path, register_converter

from pitboard.api.routes import api
from pitboard.officials import views as entry_views
from pitboard.web import views


class NameSlug:
    """A slug as ``core.names.slugify`` makes it: letters and digits of any script, and
    hyphens ("луговой", not only "lugovoy"); Django's own ``slug`` takes ASCII only."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(NameSlug, "name")

handler404 = "pitboard.web.views.not_found"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("drivers/", views.driver_list, name="drivers"),
    path("drivers/<name:slug>/", views.driver, name="driver"),
    path("teams/", views.team_list, name="teams"),
    path("teams/<name:slug>/", views.team, name="team"),
    path("makes/", views.make_list, name="makes"),
    path("makes/<name:slug>/", views.make, name="make"),
    path("people/<int:pk>/", views.person, name="person"),
    path("tracks/", views.track_list, name="tracks"),
    path("tracks/<name:slug>/", views.track, name="track"),
    path("series/", views.series_list, name="series-list"),
    path("series/<name:series>/", views.series, name="series"),
    path("series/<name:series>/<int:year>/", views.season, name="season"),
    path("races/<name:series>/<int:year>/<int:rnd>/", views.race, name="race"),
    path("records/", views.records, name="records"),
    path("news/", views.news_list, name="news"),
    path("news/check/", views.check_draft, name="check-draft"),
    path("news/<name:slug>/", views.article, name="article"),
    path("downloads/", views.downloads, name="downloads"),
    path("downloads/<str:name>/<str:file>", views.download, name="download"),
    path("report/", views.report, name="report"),
    path("report/thanks/", views.report_thanks, name="report-thanks"),
    path("officials/entry/", entry_views.entry, name="entry"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
