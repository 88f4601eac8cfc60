from django.db import migrations


class Migration(migrations.Migration):
    """The time of a workbook's last change and its queued render are a hint for the pre-render
    (decision 16), written after every save: unlogged, that write waits for no WAL flush. After
    a crash PostgreSQL empties the table, and each workbook's next change queues its render."""

    dependencies = [
        ("strategy", "0009_workbook_change_render_due"),
    ]

    operations = [
        migrations.RunSQL(
            'ALTER TABLE "strategy_workbookchange" SET UNLOGGED',
            reverse_sql='ALTER TABLE "strategy_workbookchange" SET LOGGED',
        ),
    ]
