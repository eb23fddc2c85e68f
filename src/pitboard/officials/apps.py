from django.apps import AppConfig


class OfficialsConfig(AppConfig):
    name = "pitboard.officials"
    label = "officials"
    verbose_name = "Accounts and roles"
    default_auto_field = "django.db.models.BigAutoField"
