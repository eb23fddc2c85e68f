from django.contrib import admin
from django.urls import path

from pitboard.api.routes import api
from pitboard.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
