from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "pitboard.web"
    label = "web"
