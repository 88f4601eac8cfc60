"""The demo register's approvals, recorded by each demo manager through the register's action.

Run by seed_demo once the demo answers and uses are in; idempotent: an entry that already has a
decision is left alone.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from strategy.register.actions import record_approval
from workbook.management.commands.seed_demo import DEMOS, read_fixture
from workbook.models import Jurisdiction, UseCase
from workbook.security.access import JurisdictionAccess

DATES = ("decided_on", "next_review")


class Command(BaseCommand):
    help = "Record the demo register's approvals (safe to run again)."

    @transaction.atomic
    def handle(self, *args, **options):
        for demo in DEMOS:
            specs = [s for s in read_fixture(demo.answers).get("use_cases", []) if "approval" in s]
            jurisdiction = Jurisdiction.objects.filter(slug=demo.slug).first()
            if not specs or jurisdiction is None:
                continue
            manager = get_user_model().objects.get(username=f"{demo.slug}-manager")
            access = JurisdictionAccess.of(manager, jurisdiction)
            recorded = 0
            for spec in specs:
                use_case = UseCase.objects.get(jurisdiction=jurisdiction, name=spec["name"])
                if use_case.approvals.exists():
                    continue
                fields = {
                    key: datetime.date.fromisoformat(value) if key in DATES else value
                    for key, value in spec["approval"].items()
                }
                record_approval(access=access, use_case=use_case, fields=fields)
                recorded += 1
            if recorded:
                self.stdout.write(f"{demo.name}: {recorded} approvals recorded.")
