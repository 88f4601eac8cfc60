"""Demo jurisdictions, users and answers, so the product has something to show.

Idempotent: users and jurisdictions are created once; demo answers are written only to sections
nobody has touched, so re-running never overwrites work.
"""

import secrets
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from workbook.admin.facilitators import ensure_facilitator_group
from workbook.answers.actions import save_screening, save_section, save_use_case
from workbook.models import Jurisdiction, Membership, Role, Section, SectionProgress, Workbook
from workbook.security.access import JurisdictionAccess

DEMO_ANSWERS = Path(settings.BASE_DIR) / "fixtures" / "demo-riverton.yaml"
JURISDICTIONS = [
    ("riverton", "City of Riverton", "city", "25k_100k"),
    ("lakeside", "Lakeside County", "county", "100k_500k"),
]
FACILITATOR = "facilitator"


class Command(BaseCommand):
    help = "Create demo jurisdictions, users and answers (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="password for every demo user (else generated)")

    @transaction.atomic
    def handle(self, *args, password=None, **options):
        workbook = Workbook.objects.order_by("-loaded_at").first()
        if workbook is None:
            raise CommandError("Load the workbook first: python manage.py load_workbook")
        password = password or secrets.token_urlsafe(12)
        logins = []
        for slug, name, kind, band in JURISDICTIONS:
            jurisdiction, _ = Jurisdiction.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "kind": kind,
                    "population_band": band,
                    "workbook": workbook,
                },
            )
            for role in (Role.EDITOR, Role.MANAGER, Role.VIEWER):
                user = self._user(f"{slug}-{role}", password)
                Membership.objects.get_or_create(
                    user=user, jurisdiction=jurisdiction, defaults={"role": role}
                )
                logins.append((user.username, f"{role.label} of {name}"))
        facilitator = self._user(FACILITATOR, password, is_staff=True)
        facilitator.groups.add(ensure_facilitator_group())
        Jurisdiction.objects.get(slug="riverton").facilitators.add(facilitator)
        logins.append((FACILITATOR, "Facilitator (admin) of City of Riverton"))

        riverton = Jurisdiction.objects.get(slug="riverton")
        demo = yaml.safe_load(DEMO_ANSWERS.read_text(encoding="utf-8"))
        written = seed_answers(riverton, demo["sections"])
        self.stdout.write(f"Demo answers written to {written} untouched Riverton sections.")
        if seed_use_cases(riverton, demo["use_cases"]):
            self.stdout.write(f"Demo use-case register: {len(demo['use_cases'])} screened uses.")
        self.stdout.write(f"Demo logins (password: {password}):")
        for username, what in logins:
            self.stdout.write(f"  {username:<18} {what}")

    def _user(self, username: str, password: str, is_staff: bool = False):
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.gov"}
        )
        user.is_staff = is_staff
        user.set_password(password)
        user.save()
        return user


def seed_answers(jurisdiction: Jurisdiction, demo: dict) -> int:
    """Write the demo answers of each section nobody has saved yet; returns sections written."""
    touched = set(
        SectionProgress.objects.filter(jurisdiction=jurisdiction).values_list(
            "section__slug", flat=True
        )
    )
    author = get_user_model().objects.get(username=f"{jurisdiction.slug}-editor")
    written = 0
    for section in Section.active.filter(workbook=jurisdiction.workbook, slug__in=demo.keys()):
        if section.slug in touched:
            continue
        save_section(
            access=JurisdictionAccess.of(author, jurisdiction),
            section=section,
            values=demo[section.slug],
            expected_version=0,
        )
        written += 1
    return written


def seed_use_cases(jurisdiction: Jurisdiction, use_cases: list[dict]) -> bool:
    """Fill an empty use-case register with screened demo uses; a register in use is left alone."""
    if jurisdiction.use_cases.exists():
        return False
    author = get_user_model().objects.get(username=f"{jurisdiction.slug}-editor")
    membership = Membership.objects.get(user=author, jurisdiction=jurisdiction)
    for spec in use_cases:
        fields = {key: value for key, value in spec.items() if key != "screening"}
        use_case = save_use_case(
            access=JurisdictionAccess.of_member(membership), use_case=None, fields=fields
        )
        save_screening(
            access=JurisdictionAccess.of_member(membership),
            use_case=use_case,
            values=spec["screening"],
            expected_version=use_case.version,
        )
    return True
