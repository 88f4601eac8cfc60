"""A person's choice of notification emails."""

from django.db import transaction

from workbook.audit.record import record
from workbook.models import AuditKind, Frequency, NotificationSetting


def set_frequency(*, user, frequency: str, request=None) -> NotificationSetting:
    """How often this person is emailed about their workbooks; their own choice only."""
    if frequency not in Frequency.values:
        raise ValueError(f"Unknown notification frequency: {frequency!r}")
    with transaction.atomic():
        setting, _ = NotificationSetting.objects.update_or_create(
            user=user, defaults={"frequency": frequency}
        )
        record(AuditKind.NOTIFICATIONS_CHANGED, user=user, request=request, frequency=frequency)
    return setting
