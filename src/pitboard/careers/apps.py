from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "pitboard.careers"
    label = "careers"
    verbose_name = "Careers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pitboard.records.signals import bump_on_writes

        # An edit of a statement (in the admin, say) changes what pages show.
        bump_on_writes(self.get_models())
