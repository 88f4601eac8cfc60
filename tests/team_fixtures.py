"""Two jurisdictions with full teams and a facilitator, for team, permission and isolation tests.

Registered for every test module by tests/conftest.py (`pytest_plugins`); modules import only the
helpers they call, such as `PASSWORD` or `make_facilitator`.
"""

from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from workbook.answers.actions import save_section
from workbook.models import Jurisdiction, Membership, Role, Section
from workbook.security.access import JurisdictionAccess

PASSWORD = "a-long-test-password-42"


@dataclass
class Team:
    jurisdiction: Jurisdiction
    manager: object
    editor: object
    viewer: object
    members: dict = field(default_factory=dict)

    def membership(self, user) -> Membership:
        return Membership.objects.get(user=user, jurisdiction=self.jurisdiction)


def make_user(username: str, *, staff: bool = False, email: str | None = None):
    return get_user_model().objects.create_user(
        username=username,
        email=email or f"{username}@example.gov",
        password=PASSWORD,
        is_staff=staff,
    )


def make_team(workbook, slug: str, name: str) -> Team:
    jurisdiction = Jurisdiction.objects.create(
        slug=slug, name=name, kind="city", population_band="25k_100k", workbook=workbook
    )
    users = {}
    for role in (Role.MANAGER, Role.EDITOR, Role.VIEWER):
        users[role] = make_user(f"{slug}-{role}")
        Membership.objects.create(user=users[role], jurisdiction=jurisdiction, role=role)
    return Team(jurisdiction, users[Role.MANAGER], users[Role.EDITOR], users[Role.VIEWER])


def make_facilitator(username: str, *jurisdictions):
    user = make_user(username, staff=True)
    group, _ = Group.objects.get_or_create(name="Facilitators")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="workbook", codename__startswith="view_")
    )
    user.groups.add(group)
    for jurisdiction in jurisdictions:
        jurisdiction.facilitators.add(user)
    return user


def first_section(workbook) -> Section:
    return Section.active.filter(workbook=workbook, scope=Section.Scope.JURISDICTION).first()


def complete_section(team: Team, section: Section):
    """Answer every question of a section (required ones with something valid)."""
    values = {}
    for question in section.questions.filter(retired_at__isnull=True):
        values[question.slug] = sample_value(question)
    return save_section(
        access=JurisdictionAccess.of(team.editor, team.jurisdiction),
        section=section,
        values=values,
        expected_version=current_version(team, section),
    )


def current_version(team: Team, section: Section) -> int:
    progress = team.jurisdiction.progress.filter(section=section).first()
    return progress.version if progress else 0


def sample_value(question):
    match question.field_type:
        case "short_text" | "long_text":
            return f"Answer to {question.slug}"
        case "single_choice":
            return question.options[0]["value"]
        case "multiple_choice":
            return {"selected": [question.options[0]["value"]], "other": ""}
        case "scale":
            return 3
        case "yes_no":
            return True
        case "number":
            return question.config.get("min", 1) or 1
        case "date":
            return "2027-01-31"
        case "table":
            row = {}
            for column in question.config.get("columns", []):
                row[column["slug"]] = {
                    "number": 1,
                    "date": "2027-01-31",
                    "yes_no": True,
                    "single_choice": (column.get("options") or [{"value": "x"}])[0]["value"],
                }.get(column["type"], "text")
            return [row]


@pytest.fixture
def alpha(workbook) -> Team:
    return make_team(workbook, "alpha", "Alpha City")


@pytest.fixture
def beta(workbook) -> Team:
    return make_team(workbook, "beta", "Beta County")


@pytest.fixture
def facilitator(alpha):
    """A staff user who coaches Alpha only."""
    return make_facilitator("coach", alpha.jurisdiction)
