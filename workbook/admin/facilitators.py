"""The Facilitators group: staff users who coach jurisdictions from the admin."""

from django.contrib.auth.models import Group, Permission

FACILITATOR_GROUP = "Facilitators"


def ensure_facilitator_group(**kwargs) -> Group:
    """The group with view permission on the workbook's models (never change or delete).

    Which rows a facilitator sees is decided by the jurisdictions assigned to them, in the
    admin's scoped querysets; the group only lets them into the admin pages.
    """
    group, _ = Group.objects.get_or_create(name=FACILITATOR_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="workbook", codename__startswith="view_")
    )
    return group
