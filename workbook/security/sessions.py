"""Account lifecycle: a deactivated user's sessions end at once.

Django already refuses inactive users on their next request, but their session rows would live on
until they expire. Deleting them makes "deactivate" mean "signed out everywhere, now", which is
what an administrator expects when someone leaves or an account is compromised.
"""

from django.conf import settings
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from workbook.security.models import UserSession


def end_sessions(user) -> int:
    """Delete every live session of this user; returns how many ended."""
    live = UserSession.objects.filter(user=user, expire_date__gt=timezone.now())
    ended = live.count()
    UserSession.objects.filter(user=user).delete()
    return ended


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="note_deactivation")
def _note_deactivation(sender, instance, update_fields=None, **kwargs) -> None:
    instance._being_deactivated = False
    if instance.pk is None or instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    was_active = sender.objects.filter(pk=instance.pk, is_active=True).exists()
    instance._being_deactivated = was_active


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="end_sessions_on_deactivation")
def _end_sessions_on_deactivation(sender, instance, **kwargs) -> None:
    if getattr(instance, "_being_deactivated", False):
        from workbook.audit.record import record
        from workbook.models import AuditKind

        ended = end_sessions(instance)
        record(AuditKind.USER_DEACTIVATED, username=instance.get_username(), sessions_ended=ended)
        instance._being_deactivated = False
