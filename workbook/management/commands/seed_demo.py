"""Demo jurisdictions, users and answers, so the product has something to show.

Riverton is a draft in progress with the contradictions the checks before adoption find; Alder
Falls, the town of the content's worked examples, is complete, consistent and approved, so a
final strategy and SOP can be exported from it; Lakeside is empty.

Idempotent: users and jurisdictions are created once; demo answers are written only to sections
nobody has touched (and only those are approved), so re-running never overwrites work.
"""

import secrets
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from workbook.admin.facilitators import ensure_facilitator_group
from workbook.answers.actions import save_screening, save_section, save_use_case
from workbook.models import (
    Jurisdiction,
    Membership,
    Role,
    Section,
    SectionProgress,
    SectionStatus,
    Workbook,
)
from workbook.notifications import notify
from workbook.security.access import JurisdictionAccess
from workbook.workflow.actions import approve_section

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


@dataclass(frozen=True)
class Demo:
    """One demo jurisdiction; `answers` names its fixture file of answers and use cases."""

    slug: str
    name: str
    kind: str
    band: str
    answers: str | None = None
    # The manager approves every section the demo writes, as a finished workbook would be.
    approved: bool = False


DEMOS = (
    Demo("riverton", "City of Riverton", "city", "25k_100k", "demo-riverton.yaml"),
    Demo(
        "alderfalls",
        "Town of Alder Falls",
        "town",
        "25k_100k",
        "demo-alder-falls.yaml",
        approved=True,
    ),
    Demo("lakeside", "Lakeside County", "county", "100k_500k"),
)
FACILITATOR = "facilitator"


class Command(BaseCommand):
    help = "Create demo jurisdictions, users and answers (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="password for every demo user (else generated)")

    def handle(self, *args, **options):
        # The seed's approvals and assignments are no news: nobody is emailed about them (the
        # emails would be owed as the transaction commits, so the whole seed runs quietly).
        with notify.quietly():
            self.seed(*args, **options)

    @transaction.atomic
    def seed(self, *args, password=None, **options):
        workbook = Workbook.objects.order_by("-loaded_at").first()
        if workbook is None:
            raise CommandError("Load the workbook first: python manage.py load_workbook")
        password = password or secrets.token_urlsafe(12)
        logins = []
        fixtures = {demo.slug: read_fixture(demo.answers) for demo in DEMOS}
        for demo in DEMOS:
            names = fixtures[demo.slug].get("users", {})
            jurisdiction, _ = Jurisdiction.objects.get_or_create(
                slug=demo.slug,
                defaults={
                    "name": demo.name,
                    "kind": demo.kind,
                    "population_band": demo.band,
                    "workbook": workbook,
                },
            )
            for role in (Role.EDITOR, Role.MANAGER, Role.VIEWER):
                user = self._user(f"{demo.slug}-{role}", password, names.get(str(role), {}))
                Membership.objects.get_or_create(
                    user=user, jurisdiction=jurisdiction, defaults={"role": role}
                )
                logins.append((user.username, f"{role.label} of {demo.name}"))
        facilitator = self._user(FACILITATOR, password, {}, is_staff=True)
        facilitator.groups.add(ensure_facilitator_group())
        Jurisdiction.objects.get(slug="riverton").facilitators.add(facilitator)
        logins.append((FACILITATOR, "Facilitator (admin) of City of Riverton"))

        for demo in DEMOS:
            if demo.answers:
                self._seed(demo, fixtures[demo.slug])
        call_command("seed_approvals", stdout=self.stdout)
        self.stdout.write(f"Demo logins (password: {password}):")
        for username, what in logins:
            self.stdout.write(f"  {username:<20} {what}")

    def _seed(self, demo: Demo, data: dict) -> None:
        jurisdiction = Jurisdiction.objects.get(slug=demo.slug)
        written = seed_answers(jurisdiction, data["sections"])
        self.stdout.write(
            f"{demo.name}: demo answers written to {len(written)} untouched sections."
        )
        if seed_use_cases(jurisdiction, data["use_cases"]):
            self.stdout.write(f"{demo.name}: demo register of {len(data['use_cases'])} AI uses.")
        if demo.approved and written:
            unfinished = approve_sections(jurisdiction, written)
            self.stdout.write(f"{demo.name}: {len(written) - len(unfinished)} sections approved.")
            if unfinished:
                self.stderr.write(
                    f"{demo.name}: not approved, required questions unanswered in "
                    f"{demo.answers}: {', '.join(unfinished)}"
                )

    def _user(self, username: str, password: str, names: dict, is_staff: bool = False):
        """A demo user, created once with the name the fixture gives (documents name approvers)."""
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.gov", **names}
        )
        user.is_staff = is_staff
        user.set_password(password)
        user.save()
        return user


def read_fixture(name: str | None) -> dict:
    """A demo's fixture file: its users' names, section answers and use cases ({} for none)."""
    if name is None:
        return {}
    # libyaml's safe loader: the same documents as yaml.safe_load, read several times faster,
    # which every test that seeds the demo feels.
    return yaml.load((FIXTURES / name).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def seed_answers(jurisdiction: Jurisdiction, demo: dict) -> list[Section]:
    """Write the demo answers of each section nobody has saved yet; returns the sections written."""
    touched = set(
        SectionProgress.objects.filter(jurisdiction=jurisdiction).values_list(
            "section__slug", flat=True
        )
    )
    author = get_user_model().objects.get(username=f"{jurisdiction.slug}-editor")
    access = JurisdictionAccess.of(author, jurisdiction)
    written = []
    for section in Section.active.filter(workbook=jurisdiction.workbook, slug__in=demo.keys()):
        if section.slug in touched:
            continue
        save_section(access=access, section=section, values=demo[section.slug], expected_version=0)
        written.append(section)
    return written


def approve_sections(jurisdiction: Jurisdiction, sections: list[Section]) -> list[str]:
    """The manager approves each complete section; returns the slugs of those left incomplete."""
    manager = get_user_model().objects.get(username=f"{jurisdiction.slug}-manager")
    access = JurisdictionAccess.of(manager, jurisdiction)
    complete = set(
        SectionProgress.objects.filter(
            jurisdiction=jurisdiction, section__in=sections, status=SectionStatus.COMPLETE
        ).values_list("section_id", flat=True)
    )
    for section in sections:
        if section.pk in complete:
            approve_section(access=access, section=section)
    return [section.slug for section in sections if section.pk not in complete]


def seed_use_cases(jurisdiction: Jurisdiction, use_cases: list[dict]) -> bool:
    """Fill an empty register with the demo's uses (screened where the demo has screened them);
    a register in use is left alone."""
    if jurisdiction.use_cases.exists():
        return False
    author = get_user_model().objects.get(username=f"{jurisdiction.slug}-editor")
    membership = Membership.objects.get(user=author, jurisdiction=jurisdiction)
    for spec in use_cases:
        # The approvals and evidence follow from the register's rules: strategy's seed_approvals
        # writes them.
        fields = {
            key: value
            for key, value in spec.items()
            if key not in ("screening", "approval", "evidence")
        }
        use_case = save_use_case(
            access=JurisdictionAccess.of_member(membership), use_case=None, fields=fields
        )
        if "screening" in spec:
            save_screening(
                access=JurisdictionAccess.of_member(membership),
                use_case=use_case,
                values=spec["screening"],
                expected_version=use_case.version,
            )
    return True
