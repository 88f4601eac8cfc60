"""Django's ModelBackend, taking the user its session was read with.

Each signed-in request reads its user by id. The session store reads the user with the session,
in the same statement (workbook.security.session_store); otherwise the user is read by a
statement written once per process (workbook.sql): the ORM took several times more Python to
build it than PostgreSQL took to run it. Signing in, permissions and everything else are
ModelBackend's own, and `django.contrib.auth.get_user` still checks the session's hash.
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection

from workbook import sql
from workbook.security.session_store import user_read_with_session


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        read, user = user_read_with_session(user_id)
        if not read:
            user = read_user(user_id)
        # As ModelBackend: an account made inactive is signed out on its next request.
        return user if user is not None and self.user_can_authenticate(user) else None


def read_user(user_id):
    """The user with this id, or None."""
    with connection.cursor() as cursor:
        cursor.execute(_user_sql(), {"id": user_id})
        row = cursor.fetchone()
    return None if row is None else sql.instances(row, (get_user_model(),))[0]


@cache
def _user_sql() -> str:
    user = get_user_model()
    return (
        f"SELECT {sql.select_list(user, 'u')} FROM {sql.table(user)} AS u"  # noqa: S608 - names are the model's, values parameters
        f" WHERE {sql.column(user, 'id', 'u')} = %(id)s"
    )
