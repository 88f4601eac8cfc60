"""Emails that tell people what others did in their workbook.

Called after the change has committed (transaction.on_commit), so a rolled-back change sends
nothing. Each email names the person who acted by their full name and the jurisdiction, and
links straight to the page. Recipients are members of that jurisdiction only, so an address is
never sent to, or shown in, another jurisdiction.
"""

from email.utils import formataddr

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from workbook.models import Membership, Role, SectionProgress


def person(user) -> str:
    """How an email names someone: their full name, else their username."""
    if user is None:
        return "A former member"
    return user.get_full_name() or user.get_username()


def sender() -> str:
    return formataddr((settings.NOTIFICATION_FROM_NAME, settings.NOTIFICATION_FROM_EMAIL))


def link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _send(recipients, subject: str, body: str) -> int:
    sent = 0
    for user in recipients:
        if not user.email or not user.is_active:
            continue
        # One message per person: no one sees another recipient's address.
        sent += send_mail(subject, body, sender(), [user.email])
    return sent


def section_reopened(progress: SectionProgress, actor, reason: str) -> int:
    """Tell the jurisdiction's other managers that the approval was withdrawn, and why."""
    jurisdiction = progress.jurisdiction
    managers = [
        m.user
        for m in Membership.objects.filter(jurisdiction=jurisdiction, role=Role.MANAGER)
        .exclude(user=actor)
        .select_related("user")
    ]
    section = progress.section
    path = reverse("workbook:section", args=[jurisdiction.slug, section.slug])
    subject = f"{jurisdiction.name}: “{section.title}” was reopened for changes"
    body = (
        f"{person(actor)} reopened “{section.title}” in {jurisdiction.name}'s AI strategy "
        f"workbook for changes. Its approval no longer stands.\n\n"
        f"Why: {reason}\n\n"
        f"Once the changes are made, approve the section again:\n{link(path)}\n"
    )
    return _send(managers, subject, body)
