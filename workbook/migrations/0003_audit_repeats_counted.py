import django.utils.timezone
from django.db import migrations, models


def last_at_is_created_at(apps, schema_editor):
    # Events written before counting happened once, at their creation.
    AuditEvent = apps.get_model("workbook", "AuditEvent")
    AuditEvent.objects.update(last_at=models.F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("workbook", "0002_teams_comments_audit"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="count",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="last_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.RunPython(last_at_is_created_at, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="auditevent",
            name="created_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, editable=False
            ),
        ),
        migrations.AlterField(
            model_name="comment",
            name="body",
            field=models.TextField(),
        ),
    ]
