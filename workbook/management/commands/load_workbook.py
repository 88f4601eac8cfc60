from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from workbook.content.loader import WorkbookFileError, load_workbook


class Command(BaseCommand):
    help = "Load (or reload) the workbook content file. Safe to run again: answers are kept."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(settings.WORKBOOK_FILE))

    def handle(self, *args, file, **options):
        try:
            report = load_workbook(Path(file))
        except WorkbookFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Loaded {report.workbook}: {report.created} questions added, "
            f"{report.updated} updated, {report.retired} retired."
        )
