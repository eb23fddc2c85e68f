from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "pitboard.news"
    label = "news"
    verbose_name = "News"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pitboard.news.models import Article, Mention
        from pitboard.records.signals import bump_on_writes

        # An article or a mention an editor changes (in the admin) changes what pages show.
        # Linking deletes an article's mentions in bulk: no receiver for those, which would
        # make Django fetch each row to signal it.
        bump_on_writes([Article])
        bump_on_writes([Mention], deletes=False)
