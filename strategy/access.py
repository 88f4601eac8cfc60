"""Who may read a jurisdiction's scores and documents, and export them."""

from dataclasses import dataclass

from django.http import Http404

from workbook.models import Jurisdiction, Membership
from workbook.security.access import can_edit_answers, can_export_final, get_membership


@dataclass(frozen=True)
class Reader:
    """A member (or a facilitator coaching the jurisdiction) reading its documents."""

    jurisdiction: Jurisdiction
    membership: Membership | None

    @property
    def may_export_final(self) -> bool:
        return can_export_final(self.membership)

    @property
    def may_edit(self) -> bool:
        return self.membership is not None and can_edit_answers(self.membership)


def get_reader(user, jurisdiction_slug: str) -> Reader:
    """Members and the jurisdiction's facilitators; everyone else gets 404, never 403."""
    try:
        membership = get_membership(user, jurisdiction_slug)
    except Http404:
        jurisdiction = (
            Jurisdiction.objects.for_facilitator(user)
            .select_related("workbook")
            .filter(slug=jurisdiction_slug)
            .first()
        )
        if jurisdiction is None:
            raise
        return Reader(jurisdiction, None)
    return Reader(membership.jurisdiction, membership)
