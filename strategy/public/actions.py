"""Publishing the register and taking it down: a manager's decision, in the audit log."""

from django.db import transaction

from strategy.models import PublishedRegister
from workbook.answers.changes import announce_change
from workbook.audit.record import record
from workbook.models import AuditKind
from workbook.security.access import Action, JurisdictionAccess


def publish_register(*, access: JurisdictionAccess) -> bool:
    """Publish the jurisdiction's register; False when it already was (nothing changes)."""
    access.require(Action.APPROVE_SECTION)
    with transaction.atomic():
        _, created = PublishedRegister.objects.get_or_create(
            jurisdiction=access.jurisdiction, defaults={"published_by": access.user}
        )
        if created:
            record(AuditKind.REGISTER_PUBLISHED, user=access.user, jurisdiction=access.jurisdiction)
            announce_change(access.jurisdiction)
    return created


def unpublish_register(*, access: JurisdictionAccess) -> bool:
    """Take the public register down; False when it was not published."""
    access.require(Action.APPROVE_SECTION)
    with transaction.atomic():
        deleted, _ = PublishedRegister.objects.filter(jurisdiction=access.jurisdiction).delete()
        if deleted:
            record(
                AuditKind.REGISTER_UNPUBLISHED, user=access.user, jurisdiction=access.jurisdiction
            )
            announce_change(access.jurisdiction)
    return bool(deleted)
