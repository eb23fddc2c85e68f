from django.contrib import admin
from django.urls import path

from pitboard.api.routes import api
from pitboard.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("drivers/", views.driver_list, name="drivers"),
    path("drivers/<slug:slug>/", views.driver, name="driver"),
    path("teams/<slug:slug>/", views.team, name="team"),
    path("tracks/", views.track_list, name="tracks"),
    path("tracks/<slug:slug>/", views.track, name="track"),
    path("series/<slug:series>/", views.series, name="series"),
    path("series/<slug:series>/<int:year>/", views.season, name="season"),
    path("races/<slug:series>/<int:year>/<int:rnd>/", views.race, name="race"),
    path("records/", views.records, name="records"),
    path("report/", views.report, name="report"),
    path("report/thanks/", views.report_thanks, name="report-thanks"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
