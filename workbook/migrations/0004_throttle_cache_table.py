"""The database cache table that holds sign-in and password-reset counts (settings.CACHES).

Created by `migrate`, so a deploy needs no separate `createcachetable` step; the command skips
caches that are not in the database and tables that already exist.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("workbook", "0003_audit_repeats_counted")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
