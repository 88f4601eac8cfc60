"""The demo register's approvals, recorded by each demo manager through the register's action,
the evidence on its tier's obligations, recorded by the demo editor, and its publication for
residents where the demo's fixture says `publish_register: true`.

Run by seed_demo once the demo answers and uses are in; idempotent: an entry that already has a
decision, or evidence, is left alone, and a published register stays published.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from strategy.public.actions import publish_register
from strategy.register.actions import record_approval, record_evidence_list
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
            evidenced = [s for s in fixture.get("use_cases", []) if "evidence" in s]
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
            editor = get_user_model().objects.get(username=f"{demo.slug}-editor")
            recorded = sum(
                self._evidence(JurisdictionAccess.of(editor, jurisdiction), spec)
                for spec in evidenced
            )
            if recorded:
                self.stdout.write(f"{demo.name}: evidence on {recorded} obligations recorded.")

    def _evidence(self, access: JurisdictionAccess, spec: dict) -> int:
        """Each obligation the fixture says is met, as of its date; none if some is recorded."""
        use_case = UseCase.objects.get(jurisdiction=access.jurisdiction, name=spec["name"])
        if use_case.evidence.exists():
            return 0
        on = datetime.date.fromisoformat(spec["evidence"]["evidenced_on"])
        met = [
            {"obligation": obligation, "status": "met", "evidenced_on": on, "note": note}
            for obligation, note in spec["evidence"]["met"].items()
        ]
        record_evidence_list(access=access, use_case=use_case, records=met)
        return len(spec["evidence"]["met"])
