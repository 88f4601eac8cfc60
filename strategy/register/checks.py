"""`manage.py check` fails when the tier obligations file is malformed (read afresh from disk)."""

from django.core import checks

from strategy.register.obligations import (
    ObligationsFileError,
    obligations_path,
    read_tier_obligations,
)


@checks.register()
def tier_obligations_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    try:
        read_tier_obligations(obligations_path())
    except ObligationsFileError as exc:
        return [
            checks.Error(
                str(exc),
                hint="See docs/decisions/0014-obligations-by-tier-as-content.md.",
                id="strategy.E103",
            )
        ]
    return []
