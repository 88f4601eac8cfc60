from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = "Strategy documents"
