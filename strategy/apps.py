from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = "Strategy documents"

    def ready(self) -> None:
        from strategy.exports import prerender  # noqa: F401 - renders drafts after a change
        from strategy.law import checks  # noqa: F401 - registers the law content check
