from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "pitboard.records"
    label = "records"
    verbose_name = "Records"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pitboard.records import signals  # noqa: F401  (connects the receivers)
