"""Django's database sessions, with the session and its user read in one statement.

Every signed-in request reads its session, then its user. The session row names its user
(`UserSession.user`), so one statement, written once per process (workbook.sql), reads both:
the session as Django's store would, and the user that `AccountBackend.get_user` then takes
instead of reading it again. Writing, expiring and deleting sessions are Django's own.
"""

from contextvars import ContextVar
from functools import cache
from typing import Any, cast

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends import db
from django.db import connection
from django.utils import timezone

from workbook import sql
from workbook.security.models import UserSession

# The user read with this request's session: (their id, the User, or None if they are gone).
_read_with_session: ContextVar[tuple[Any, Any] | None] = ContextVar("read_with_session")


def user_read_with_session(user_id) -> tuple[bool, Any]:
    """(True, the user or None) if this request's session read the user with this id; else
    (False, None). Taken once: a later ask reads the user again."""
    read = _read_with_session.get(None)
    if read is None or read[0] != user_id:
        return False, None
    _read_with_session.set(None)
    return True, read[1]


class SessionStore(db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        # A new request's store: nothing read with an earlier request's session is kept.
        _read_with_session.set(None)

    @classmethod
    def get_model_class(cls):
        return UserSession

    def create_model_instance(self, data) -> UserSession:
        session = cast(UserSession, super().create_model_instance(data))
        user_id = data.get(SESSION_KEY)
        session.user_id = None if user_id is None else get_user_model()._meta.pk.to_python(user_id)
        return session

    def _get_session_from_db(self) -> UserSession | None:
        with connection.cursor() as cursor:
            cursor.execute(_session_sql(), {"key": self.session_key, "now": timezone.now()})
            row = cursor.fetchone()
        if row is None:
            # As Django's store: an unknown or expired key is forgotten, and a new one is made
            # if the session is saved.
            self._session_key = None
            return None
        session, user = sql.instances(row, (UserSession, get_user_model()))
        if session.user_id is not None:
            _read_with_session.set((session.user_id, user))
        return session


@cache
def _session_sql() -> str:
    user = get_user_model()
    selected = f"{sql.select_list(UserSession, 's')}, {sql.select_list(user, 'u')}"
    return (
        f"SELECT {selected} FROM {sql.table(UserSession)} AS s"  # noqa: S608 - names are the models', values parameters
        f"{sql.join(user, 'u', UserSession, 'user', 's', how='LEFT')}"
        f" WHERE {sql.column(UserSession, 'session_key', 's')} = %(key)s"
        f" AND {sql.column(UserSession, 'expire_date', 's')} > %(now)s"
    )
