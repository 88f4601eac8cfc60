"""Django's ModelBackend, with the read every signed-in request makes written by hand.

Each signed-in request reads its user by id. The ORM took several times more Python to build
that statement than PostgreSQL took to run it; here it is written once per process (workbook.sql)
and its row made into the same User instance. Signing in, permissions and everything else are
ModelBackend's own, and `django.contrib.auth.get_user` still checks the session's hash.
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection

from workbook import sql


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        with connection.cursor() as cursor:
            cursor.execute(_user_sql(), {"id": user_id})
            row = cursor.fetchone()
        if row is None:
            return None
        (user,) = sql.instances(row, (get_user_model(),))
        # As ModelBackend: an account made inactive is signed out on its next request.
        return user if self.user_can_authenticate(user) else None


@cache
def _user_sql() -> str:
    user = get_user_model()
    return (
        f"SELECT {sql.select_list(user, 'u')} FROM {sql.table(user)} AS u"  # noqa: S608 - names are the model's, values parameters
        f" WHERE {sql.column(user, 'id', 'u')} = %(id)s"
    )
