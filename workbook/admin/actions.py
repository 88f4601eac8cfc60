"""What facilitators do from the admin that changes state: exporting answers (recorded)."""

from django.db.models import QuerySet

from workbook.audit.record import record
from workbook.models import AuditKind, Jurisdiction
from workbook.security.access import Action, jurisdictions_facilitator_may


def export_answers(*, user, jurisdictions: QuerySet, request=None) -> list[Jurisdiction]:
    """The selected jurisdictions whose answers this user may export, each export recorded.

    Jurisdictions the user does not coach are left out silently: the admin lists only the
    coached ones, so another one can be in the selection only through a forged request.
    """
    allowed = list(
        jurisdictions_facilitator_may(user, Action.EXPORT_ANSWERS_CSV)
        .filter(pk__in=jurisdictions.values("pk"))
        .only("pk")
    )
    for jurisdiction in allowed:
        record(
            AuditKind.ANSWERS_EXPORTED,
            user=user,
            jurisdiction=jurisdiction,
            request=request,
            format="csv",
        )
    return allowed
