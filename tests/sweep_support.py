"""The machinery of the URL sweep (tests/test_url_sweep.py): each jurisdiction's world of sample
objects, snapshots of everything a request could change, the admin's URL patterns and how to fill
them, the forms' POST bodies, and what a response may show.

The sweep's rules (what it skips and why, which pages are public, which body each URL gets) are in
tests/test_url_sweep.py.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.urls import URLPattern, URLResolver, resolve, reverse

from strategy.answers import load_answers
from strategy.models import Export, ObligationEvidence, UseCaseApproval
from strategy.register.entries import SCREENING_SECTION
from strategy.scoring.readiness import readiness_from_answers
from strategy.scoring.risk import TIERS
from tests.team_fixtures import Team, complete_section, current_version, first_section, sample_value
from tests.test_risk import LOWEST
from workbook.answers.actions import save_screening, save_section
from workbook.answers.rules import fingerprint
from workbook.comments.actions import add_comment, resolve_comment
from workbook.models import (
    Answer,
    AuditEvent,
    Comment,
    Invitation,
    Jurisdiction,
    Membership,
    NotificationSetting,
    Question,
    Section,
    SectionProgress,
    UseCase,
    UserSession,
    Workbook,
)
from workbook.security.access import JurisdictionAccess
from workbook.teams import actions as team_actions
from workbook.wizard.forms import answers_to_data
from workbook.workflow import actions as workflow_actions

SWEEP_TEXT = "Written by the sweep"


# ------------------------------------------------------------------------------------------------
# One jurisdiction's world: its team and one object of each kind its URLs can name
# ------------------------------------------------------------------------------------------------


@dataclass
class World:
    team: Team
    section: Section  # complete, not yet approved
    approved_section: Section
    membership: Membership  # the editor's
    invitation: Invitation  # pending
    token: str
    comment: Comment  # open, with a reply
    resolved_comment: Comment
    use_case: UseCase
    export: Export

    @property
    def jurisdiction(self) -> Jurisdiction:
        return self.team.jurisdiction

    @property
    def markers(self) -> list[str]:
        """Text only this jurisdiction's data contains: on anyone else's page it is a leak."""
        return [
            self.jurisdiction.name,
            self.invitation.email,
            *(u.get_username() for u in (self.team.manager, self.team.editor, self.team.viewer)),
        ]


def answer_readiness_with_gaps(team: Team, section: Section):
    """Every readiness question answered, with the top level as every target: gaps to act on."""
    questions = section.questions.filter(retired_at__isnull=True)
    values = {q.slug: sample_value(q) for q in questions}
    values |= {
        q.slug: "5" for q in questions if (q.scoring or {}).get("role") == "readiness_target"
    }
    save_section(
        access=JurisdictionAccess.of(team.editor, team.jurisdiction),
        section=section,
        values=values,
        expected_version=current_version(team, section),
    )


# A screened drafting aid (tier I), so its approval can be recorded.
SCREENED = {**LOWEST, "risk-mitigations": {"selected": ["human-review"], "other": ""}}


def register_with_approver_and_idea(team: Team, workbook, use_case: UseCase) -> None:
    """The use screened, an approver for every tier, and an idea not yet in the register."""
    access = JurisdictionAccess.of(team.editor, team.jurisdiction)
    save_screening(
        access=access, use_case=use_case, values=SCREENED, expected_version=use_case.version
    )
    for slug, values in (
        (
            "governance",
            {"gov-tier-approvers": [{"tier": t, "approver": "AI committee"} for t in TIERS]},
        ),
        ("inventory", {"inv-ideas": [{"problem": "Storm drains clog before storms"}]}),
    ):
        section = Section.active.get(workbook=workbook, slug=slug)
        save_section(
            access=access,
            section=section,
            values=values,
            expected_version=current_version(team, section),
        )


def build_world(team: Team, workbook, invitee: str) -> World:
    manager = team.membership(team.manager)
    section = first_section(workbook)
    complete_section(team, section)
    approved = Section.active.get(workbook=workbook, slug="readiness")
    answer_readiness_with_gaps(team, approved)
    workflow_actions.approve_section(access=JurisdictionAccess.of_member(manager), section=approved)
    name = team.jurisdiction.name
    comment = add_comment(
        access=JurisdictionAccess.of(team.manager, team.jurisdiction),
        section=section,
        body="Open question",
    )
    add_comment(
        access=JurisdictionAccess.of(team.editor, team.jurisdiction),
        section=section,
        body="A reply",
        parent=comment,
    )
    resolved = add_comment(
        access=JurisdictionAccess.of(team.manager, team.jurisdiction),
        section=section,
        body="Settled",
    )
    resolve_comment(
        access=JurisdictionAccess.of(team.manager, resolved.jurisdiction), comment=resolved
    )
    tokens = []
    invitation = team_actions.invite_member(
        access=JurisdictionAccess.of_member(manager),
        email=invitee,
        role="editor",
        link_for=lambda token: tokens.append(token) or f"/invitations/{token}/",
    )
    use_case = UseCase.objects.create(
        jurisdiction=team.jurisdiction, name=f"Chatbot of {name}", ai_type="generative"
    )
    register_with_approver_and_idea(team, workbook, use_case)
    export = Export.objects.create(
        jurisdiction=team.jurisdiction,
        kind="strategy",
        format="pdf",
        cache_key=f"sweep-{team.jurisdiction.slug}",
        status="done",
        content=b"%PDF-1.7 sample",
        size=15,
    )
    return World(
        team,
        section,
        approved,
        team.membership(team.editor),
        invitation,
        tokens[0],
        comment,
        resolved,
        use_case,
        export,
    )


# ------------------------------------------------------------------------------------------------
# Snapshots: every row of a jurisdiction that a request could change
# ------------------------------------------------------------------------------------------------


SNAPSHOT_APPS = ("workbook", "strategy")


def rows_of(model, jurisdiction: Jurisdiction) -> models.QuerySet | None:
    """The jurisdiction's rows of a model of the workbook or strategy app.

    Tenant models by their jurisdiction; the shared content (workbook, sections, questions) by
    the jurisdiction's workbook, which no request may change either. None for sessions, which
    belong to people and which any request may renew.
    """
    if model is Jurisdiction:
        return model.objects.filter(pk=jurisdiction.pk)
    if model is Workbook:
        return model.objects.filter(pk=jurisdiction.workbook_id)
    if model in (Section, Question):
        return model._base_manager.filter(workbook=jurisdiction.workbook_id)
    if model is NotificationSetting:  # a person's own choice: the members' rows
        return model._base_manager.filter(user__memberships__jurisdiction=jurisdiction.pk)
    if model in (UseCaseApproval, ObligationEvidence):
        return model._base_manager.filter(use_case__jurisdiction=jurisdiction.pk)
    if model is UserSession:  # a person's, not a jurisdiction's: every request may renew one
        return None
    owner = next((f for f in model._meta.concrete_fields if f.name == "jurisdiction"), None)
    assert owner is not None and owner.related_model is Jurisdiction, (
        f"The sweep's snapshot does not know which rows of {model._meta.label} belong to a "
        "jurisdiction: say so in rows_of() in tests/sweep_support.py."
    )
    return model._base_manager.filter(jurisdiction=jurisdiction.pk)


def tenant_rows(model, jurisdiction: Jurisdiction) -> models.QuerySet | None:
    """The jurisdiction's own rows of a model; None for models that hold no tenant rows."""
    if model._meta.app_label not in SNAPSHOT_APPS or model in (Workbook, Section, Question):
        return None
    return rows_of(model, jurisdiction)


def snapshot(jurisdiction: Jurisdiction, *, audit: bool = True) -> dict:
    """Every row of the jurisdiction in the workbook and strategy apps, and its members' accounts.

    Answer versions (the history table) and the facilitator assignments are models of these apps
    too. Audit events are the jurisdiction's own (filed under it): refusals of outsiders are filed
    under no jurisdiction. `audit=False` leaves them out, for requests a member of this very
    jurisdiction makes, whose refusals are rightly filed under it.

    Taken after every request, so PostgreSQL (the suite runs on nothing else) sums the rows up in
    one query: per model, how many rows and an md5 of all their columns.
    """
    parts = {
        model._meta.label: rows
        for label in SNAPSHOT_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if (audit or model is not AuditEvent) and (rows := rows_of(model, jurisdiction)) is not None
    }
    parts["members' accounts"] = get_user_model().objects.filter(
        memberships__jurisdiction=jurisdiction
    )
    selects, params = [], []
    for label, queryset in parts.items():
        sql, sql_params = queryset.order_by().values().query.sql_with_params()
        selects.append(
            "SELECT %s::text, count(*), "  # noqa: S608 - the inner query is the ORM's own SQL, its values passed as params
            f"md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) FROM ({sql}) r"
        )
        params += [label, *sql_params]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        return {label: (count, md5) for label, count, md5 in cursor.fetchall()}


def changed_parts(before: dict, after: dict) -> list[str]:
    return [key for key in before.keys() | after.keys() if before.get(key) != after.get(key)]


class Undo(Exception):
    """Raised to roll a request's changes back (control tests)."""


def changes_when_allowed(client, b: World, url: str, data: dict) -> tuple[int, list[str]]:
    """POST as the client is signed in, report the status and what of B changed, then undo it."""
    before = snapshot(b.jurisdiction)
    status, changed = None, []
    try:
        with transaction.atomic():
            response = client.post(url, data)
            status, changed = response.status_code, changed_parts(before, snapshot(b.jurisdiction))
            raise Undo
    except Undo:
        pass
    assert snapshot(b.jurisdiction) == before
    return status, changed


# ------------------------------------------------------------------------------------------------
# POST bodies: what each page's own form sends, filled with the named world's objects
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Body:
    """A POST body builder: (slug of the URL's jurisdiction, world whose objects it names)."""

    build: Callable[[str, World], dict]
    # Posted by someone allowed to (`poster`), the body changes that world: the control test.
    writes: bool = True
    poster: str = "manager"  # or "signed out" (an invitation is accepted by a newcomer)
    # The body itself names the world's objects: also sent to A's own page with B's objects.
    names_objects: bool = False


def _form_data(data) -> dict:
    """A MultiValueDict as the test client posts it (a list for a field with several values)."""
    return {key: values if len(values) > 1 else values[0] for key, values in data.lists()}


def _changed_answers(questions: list[Question]) -> dict:
    """Answers a person might type: every text answer differs from what the team saved."""
    return {
        q.slug: SWEEP_TEXT if q.field_type in ("short_text", "long_text") else sample_value(q)
        for q in questions
    }


def wizard_body(slug: str, w: World) -> dict:
    """A section's submit: the wizard's step field, the version and base the page was read at,
    and the answers."""
    section = w.section
    questions = list(Question.active.filter(section=section).order_by("position"))
    stored = dict(
        Answer.objects.filter(
            jurisdiction=w.jurisdiction, use_case__isnull=True, question__in=questions
        ).values_list("question__slug", "value")
    )
    return {
        **_form_data(answers_to_data(questions, _changed_answers(questions))),
        f"workbook_{slug}-current_step": section.slug,
        "version": str(current_version(w.team, section)),
        "base": json.dumps({q.slug: fingerprint(stored.get(q.slug)) for q in questions}),
        "wizard_action": "stay",
    }


def screening_body(slug: str, w: World) -> dict:
    questions = list(
        Question.active.filter(
            section__workbook=w.jurisdiction.workbook_id, section__slug=SCREENING_SECTION
        ).order_by("position")
    )
    w.use_case.refresh_from_db()
    return {
        **_form_data(answers_to_data(questions, _changed_answers(questions))),
        "version": str(w.use_case.version),
    }


def use_case_body(slug: str, w: World) -> dict:
    return {
        "name": SWEEP_TEXT,
        "department": "Parks",
        "tool": "",
        "ai_type": "predictive",
        "stage": "proposed",
        "purpose": SWEEP_TEXT,
        "data_used": "",
        "owner": "",
    }


def largest_gap(slug: str, w: World) -> dict:
    gaps = readiness_from_answers(load_answers(w.jurisdiction)).largest_gaps()
    return {"dimension": gaps[0].slug if gaps else "data"}


def first_question(section: Section) -> str:
    return Question.active.filter(section=section).order_by("position").first().slug


# ------------------------------------------------------------------------------------------------
# The admin's URL patterns: the site's own views and every registered model's
# ------------------------------------------------------------------------------------------------


@dataclass
class AdminRoute:
    name: str | None  # in the admin namespace; None for the two unnamed patterns
    route: str  # as written in the admin's URLconf, for messages
    pattern: URLPattern
    model: type | None  # None for the site's own views
    kind: str  # changelist, add, change, delete, history, object (redirect), comment, ... or
    # the site view's name (index, login, autocomplete, ..., catch_all)
    kwargs: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"admin:{self.name}" if self.name else f"admin {self.route} (unnamed)"

    @property
    def names_an_object(self) -> bool:
        return "object_id" in self.kwargs or "id" in self.kwargs


def admin_routes() -> list[AdminRoute]:
    """admin.site.get_urls() and the URLs of each registered ModelAdmin, custom views included."""
    routes = []
    for pattern in admin.site.get_urls():
        if isinstance(pattern, URLResolver):
            continue  # a ModelAdmin's URLs, listed below with their model
        kwargs = tuple(pattern.pattern.regex.groupindex)
        kind = pattern.name or ("catch_all" if kwargs == ("url",) else None)
        assert kind, f"An unnamed admin URL pattern {pattern.pattern}: name it for the sweep."
        routes.append(AdminRoute(pattern.name, str(pattern.pattern), pattern, None, kind, kwargs))
    for model, model_admin in admin.site._registry.items():
        prefix = f"{model._meta.app_label}/{model._meta.model_name}/"
        names = f"{model._meta.app_label}_{model._meta.model_name}_"
        for pattern in model_admin.get_urls():
            route = f"{prefix}{pattern.pattern}"
            if pattern.name:
                kind = pattern.name.removeprefix(names)
            else:
                assert str(pattern.pattern) == "<path:object_id>/", (
                    f"An unnamed admin URL pattern {route}: name it for the sweep."
                )
                kind = "object"  # the admin's redirect to the change page
            kwargs = tuple(pattern.pattern.regex.groupindex)
            routes.append(AdminRoute(pattern.name, route, pattern, model, kind, kwargs))
    return routes


def admin_sample(model, b: World):
    """B's object of each model registered in the admin; for the shared models, B's content and
    B's members' accounts; for the rest, whatever row there is (None when there is none)."""
    j = b.jurisdiction
    samples = {
        Jurisdiction: lambda: j,
        Answer: lambda: Answer.objects.filter(jurisdiction=j).first(),
        SectionProgress: lambda: SectionProgress.objects.filter(jurisdiction=j).first(),
        Comment: lambda: b.comment,
        UseCase: lambda: b.use_case,
        Membership: lambda: b.membership,
        Invitation: lambda: b.invitation,
        AuditEvent: lambda: AuditEvent.objects.filter(jurisdiction=j).first(),
        Workbook: lambda: j.workbook,
        Section: lambda: b.section,
        Question: lambda: Question.active.filter(section=b.section).first(),
        get_user_model(): lambda: b.team.manager,
        Group: lambda: Group.objects.filter(name="Facilitators").first(),
    }
    return samples.get(model, lambda: model._default_manager.first())()


def is_tenant_model(model) -> bool:
    forward = [*model._meta.fields, *model._meta.many_to_many]
    return model is Jurisdiction or any(f.related_model is Jurisdiction for f in forward)


# How to fill the admin's URL kwargs with B's objects.
ADMIN_KWARGS = {
    "object_id": lambda r, b: getattr(admin_sample(r.model, b), "pk", 0),
    "id": lambda r, b: getattr(admin_sample(r.model, b), "pk", 0),
    "app_label": lambda r, b: "workbook",
    "content_type_id": lambda r, b: ContentType.objects.get_for_model(Jurisdiction).pk,
    "url": lambda r, b: f"workbook/jurisdiction/{b.jurisdiction.pk}",  # no slash: the catch-all
}
ADMIN_KWARGS_FOR_SITE = {"object_id": lambda r, b: b.jurisdiction.pk}  # view_on_site


def admin_url(route: AdminRoute, b: World) -> str:
    values = {}
    for kwarg in route.kwargs:
        table = ADMIN_KWARGS_FOR_SITE if route.model is None else {}
        sample = table.get(kwarg, ADMIN_KWARGS.get(kwarg))
        assert sample is not None, (
            f"Admin URL {route.route} takes '{kwarg}', which the sweep cannot fill: add it to "
            "ADMIN_KWARGS in tests/sweep_support.py."
        )
        values[kwarg] = str(sample(route, b))
    text = route.route
    text = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m[1]], text)  # re_path() groups
    text = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m[1]], text)  # path() converters
    url = reverse("admin:index") + text.replace("^", "").replace("$", "")
    served = resolve(url).route.removeprefix(reverse("admin:index").lstrip("/"))
    assert served == route.route.replace("^", ""), f"{url} resolves to {served}, not {route.label}"
    return url


def admin_form_body(obj, changes: dict) -> dict:
    """What the admin's form for this object posts (every editable field), with `changes`."""
    data = {}
    for f in [*obj._meta.concrete_fields, *obj._meta.many_to_many]:
        if not f.editable or f.primary_key:
            continue
        value = f.value_from_object(obj)
        if f.many_to_many:
            data[f.name] = [o.pk for o in value]
        elif isinstance(value, bool):
            if value:
                data[f.name] = "on"
        elif value is None:
            data[f.name] = ""
        elif isinstance(f, models.DateTimeField):  # the admin's split date and time widget
            data[f"{f.name}_0"] = value.date().isoformat()
            data[f"{f.name}_1"] = value.time().isoformat(timespec="seconds")
        elif isinstance(f, models.JSONField):
            data[f.name] = json.dumps(value)
        else:
            data[f.name] = str(value)  # a foreign key's value is the related row's id
    return {**data, **changes, "_save": "Save"}


# ------------------------------------------------------------------------------------------------
# Requests and what a response may show
# ------------------------------------------------------------------------------------------------


REDIRECTS = (301, 302, 303, 307, 308)


def send(client, method: str, url: str, data: dict | None = None):
    """The response, or the exception a view raised (reported, so one run lists every gap)."""
    try:
        return getattr(client, method)(url, data or {}), None
    except Exception as error:  # noqa: BLE001 - a crashing view is a finding, not a reason to stop
        return None, f"{method.upper()} {url} raised {error.__class__.__name__}: {error}"


def text_of(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def b_data_shown(response, b: World) -> list[str]:
    """What of B's data a response shows: B's text, or B's rows in an admin change list."""
    shown = [f"shows {m!r}" for m in b.markers if m in text_of(response)]
    context = getattr(response, "context", None)
    changelist = context.get("cl") if context is not None else None
    if changelist is not None:
        own = tenant_rows(changelist.model, b.jurisdiction)
        listed = {o.pk for o in changelist.result_list}
        if own is not None and listed & set(own.values_list("pk", flat=True)):
            shown.append(f"lists B's {changelist.model.__name__} rows")
    return shown


def followed(client, response, hops: int = 3):
    """The response a browser ends on, following redirects with GET; and the paths on the way."""
    paths = []
    while response.status_code in REDIRECTS and hops:
        paths.append(urlsplit(response.url).path)
        response = client.get(response.url)
        hops -= 1
    return response, paths


def sign_in_pages() -> set[str]:
    return {reverse("login"), reverse("admin:login")}
