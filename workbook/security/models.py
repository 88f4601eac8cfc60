"""The database session, with the signed-in user as a column of its own."""

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class UserSession(AbstractBaseSession):
    """Django's database session, with whom it signs in (None before sign-in): every signed-in
    request reads its session and its user in one statement (workbook.security.session_store),
    and a deactivated account's sessions are found without decoding them all."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+"
    )

    @classmethod
    def get_session_store_class(cls):
        from workbook.security.session_store import SessionStore

        return SessionStore
