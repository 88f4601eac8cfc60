from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = "Strategy documents"

    def ready(self) -> None:
        from strategy.law import checks  # noqa: F401 - registers the law content check
        from strategy.register import checks as register_checks  # noqa: F401 - and the tiers'
