from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = "Strategy documents"

    def ready(self) -> None:
        from strategy.admin import grant_facilitators_view
        from strategy.exports import prerender  # noqa: F401 - renders drafts after a change
        from strategy.law import checks  # noqa: F401 - registers the law content check
        from strategy.register import checks as register_checks  # noqa: F401 - and the tiers'

        post_migrate.connect(grant_facilitators_view, sender=self)
