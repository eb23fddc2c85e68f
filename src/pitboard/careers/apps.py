from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "pitboard.careers"
    label = "careers"
    verbose_name = "Careers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from pitboard.records.signals import record_changed

        # An edit of a statement (in the admin, say) changes what pages show.
        for model in self.get_models():
            post_save.connect(record_changed, sender=model, dispatch_uid=f"version-save-{model}")
            post_delete.connect(record_changed, sender=model, dispatch_uid=f"version-del-{model}")
