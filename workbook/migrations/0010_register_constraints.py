import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workbook", "0009_inventory_into_register"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="usecase",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "ai_type__in",
                        [
                            "generative",
                            "predictive",
                            "language",
                            "vision",
                            "automation",
                            "agentic",
                            "",
                        ],
                    )
                ),
                name="usecase_ai_type",
            ),
        ),
        migrations.AddConstraint(
            model_name="usecase",
            constraint=models.CheckConstraint(
                condition=models.Q(("stage__in", ["proposed", "pilot", "deployed", "retired"])),
                name="usecase_stage",
            ),
        ),
        migrations.AddConstraint(
            model_name="usecase",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("name"),
                models.F("jurisdiction"),
                name="usecase_unique_name",
            ),
        ),
    ]
