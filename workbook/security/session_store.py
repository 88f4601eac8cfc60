"""Django's database sessions, with the read every signed-in request makes written by hand.

The ORM took about a thousand Python calls per request to build `Session.objects.get(...)`;
the statement is the same (the live session with this key), written once per process
(workbook.sql). Writing, expiring and deleting sessions are Django's own.
"""

from functools import cache

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from workbook import sql


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        with connection.cursor() as cursor:
            cursor.execute(_session_sql(), {"key": self.session_key, "now": timezone.now()})
            row = cursor.fetchone()
        if row is None:
            # As Django's store: an unknown or expired key is forgotten, and a new one is made
            # if the session is saved.
            self._session_key = None
            return None
        (session,) = sql.instances(row, (Session,))
        return session


@cache
def _session_sql() -> str:
    return (
        f"SELECT {sql.select_list(Session, 's')} FROM {sql.table(Session)} AS s"  # noqa: S608 - names are the model's, values parameters
        f" WHERE {sql.column(Session, 'session_key', 's')} = %(key)s"
        f" AND {sql.column(Session, 'expire_date', 's')} > %(now)s"
    )
