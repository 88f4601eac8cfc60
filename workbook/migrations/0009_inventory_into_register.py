"""The inventory table's rows into the register (a migration of data only).

Apart from the schema changes around it: PostgreSQL refuses to alter a table in the transaction
that wrote rows to it while their foreign keys are still to be checked.
"""

from django.db import migrations

from workbook.answers.inventory import move_inventory


def ideas_are_proposed(apps, schema_editor):
    apps.get_model("workbook", "UseCase").objects.filter(stage="idea").update(stage="proposed")


def inventory_into_register(apps, schema_editor):
    """Each inventory-table row becomes a register entry, or fills the matching one's gaps."""
    report = move_inventory(
        apps.get_model("workbook", "Answer"), apps.get_model("workbook", "UseCase")
    )
    for moved in report:
        print("\n".join(moved.lines()))


class Migration(migrations.Migration):
    dependencies = [
        ("workbook", "0008_register_single_source"),
    ]

    operations = [
        migrations.RunPython(ideas_are_proposed, migrations.RunPython.noop),
        migrations.RunPython(inventory_into_register, migrations.RunPython.noop),
    ]
