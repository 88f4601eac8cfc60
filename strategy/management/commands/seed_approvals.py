"""The demo register's approvals, recorded by each demo manager through the register's action,
and its publication for residents where the demo's fixture says `publish_register: true`.

Run by seed_demo once the demo answers and uses are in; idempotent: an entry that already has a
decision is left alone, and a published register stays published.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from strategy.public.actions import publish_register
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
            fixture = read_fixture(demo.answers)
            specs = [s for s in fixture.get("use_cases", []) if "approval" in s]
            jurisdiction = Jurisdiction.objects.filter(slug=demo.slug).first()
            if not (specs or fixture.get("publish_register")) or jurisdiction is None:
                continue
            manager = get_user_model().objects.get(username=f"{demo.slug}-manager")
            access = JurisdictionAccess.of(manager, jurisdiction)
            if fixture.get("publish_register") and publish_register(access=access):
                self.stdout.write(f"{demo.name}: register published.")
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
