from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workbook", "0007_notifications"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="usecase",
            name="usecase_ai_type",
        ),
        migrations.RemoveConstraint(
            model_name="usecase",
            name="usecase_stage",
        ),
        migrations.AddField(
            model_name="usecase",
            name="in_use_since",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="usecase",
            name="notes",
            field=models.TextField(blank=True, verbose_name="internal notes"),
        ),
        migrations.AddField(
            model_name="usecase",
            name="outputs",
            field=models.CharField(blank=True, max_length=200, verbose_name="what it produces"),
        ),
        migrations.AlterField(
            model_name="usecase",
            name="ai_type",
            field=models.CharField(
                blank=True,
                choices=[
                    ("generative", "Generative AI"),
                    ("predictive", "Predictive machine learning"),
                    ("language", "Language processing"),
                    ("vision", "Computer vision"),
                    ("automation", "Automation"),
                    ("agentic", "Agentic AI"),
                ],
                max_length=20,
                verbose_name="AI type",
            ),
        ),
        migrations.AlterField(
            model_name="usecase",
            name="stage",
            field=models.CharField(
                choices=[
                    ("proposed", "Proposed"),
                    ("pilot", "Pilot or trial"),
                    ("deployed", "In regular use"),
                    ("retired", "Retired"),
                ],
                default="proposed",
                max_length=20,
            ),
        ),
    ]
