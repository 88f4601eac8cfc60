"""Tenant isolation over EVERY URL pattern of the project, found from the URLconf.

A member of jurisdiction A (its manager: the strongest member) requests jurisdiction B's objects
through each pattern by GET and by POST, and also A's slug combined with B's object ids: always
404 (views look the jurisdiction up before refusing a method), and B's rows and answer versions
stay as they were. Viewers' POSTs change nothing; a
facilitator reaches nothing of a jurisdiction they do not coach, in the app or in the admin.

New URL patterns are covered automatically. A pattern whose keyword arguments the sweep cannot fill
fails the test: add the argument to SAMPLE_KWARGS below.
"""

from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from strategy.models import Export
from tests.team_fixtures import PASSWORD, Team, complete_section, first_section, make_facilitator
from workbook.comments.actions import add_comment
from workbook.models import (
    Answer,
    AuditEvent,
    Comment,
    Invitation,
    Jurisdiction,
    Membership,
    SectionProgress,
    UseCase,
)
from workbook.security.access import JurisdictionAccess
from workbook.teams import actions as team_actions

pytestmark = pytest.mark.django_db

# Resolvers and patterns the sweep does not request, each with its reason.
SKIPPED_NAMESPACES = {
    "admin": "the admin is swept model by model in test_facilitator_reaches_nothing_in_the_admin",
}
SKIPPED_NAMES = dict.fromkeys(
    (
        "login",
        "logout",
        "password_change",
        "password_change_done",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    ),
    "Django's sign-in and password built-ins: no tenant data, no kwargs of a jurisdiction",
)

# How to fill each URL keyword argument with an object of a given jurisdiction's world.
SAMPLE_KWARGS = {
    "jurisdiction_slug": lambda w: w.jurisdiction.slug,
    "section_slug": lambda w: w.section.slug,
    "step": lambda w: w.section.slug,
    "membership_id": lambda w: w.membership.pk,
    "invitation_id": lambda w: w.invitation.pk,
    "comment_id": lambda w: w.comment.pk,
    "token": lambda w: w.token,
    "use_case_id": lambda w: w.use_case.pk,
}

# Where one kwarg name means different objects on different routes: (route name, kwarg).
ROUTE_KWARGS = {
    ("strategy:use_case_edit", "pk"): lambda w: w.use_case.pk,
    ("strategy:use_case_screening", "pk"): lambda w: w.use_case.pk,
    ("strategy:export", "pk"): lambda w: w.export.pk,
    ("strategy:export_status", "pk"): lambda w: w.export.pk,
    ("strategy:export_download", "pk"): lambda w: w.export.pk,
}
SAMPLE_KWARGS["kind"] = lambda w: "strategy"  # a document kind: the same for everyone

# Kwargs naming rows a jurisdiction owns (section slugs and document kinds are shared).
OWNED_KWARGS = {"membership_id", "invitation_id", "comment_id", "token", "use_case_id", "pk"}

# Endpoints a viewer may POST to, with what they may change.
VIEWER_MAY_POST = {
    "strategy:export_request": ("exports", "viewers export drafts: only an export row is added"),
}

POST_DATA = {
    "body": "Written by the sweep",
    "role": "manager",
    "email": "sweeper@example.gov",
    "due_date": "2030-01-01",
    "question": "",
    "full_name": "Sweeper",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "next": "/",
}


@dataclass
class World:
    """One jurisdiction's team and one object of each kind its URLs can name."""

    team: Team
    section: object
    membership: Membership
    invitation: Invitation
    token: str
    comment: Comment
    use_case: UseCase
    export: Export

    @property
    def jurisdiction(self) -> Jurisdiction:
        return self.team.jurisdiction


def build_world(team: Team, workbook, invitee: str) -> World:
    section = first_section(workbook)
    complete_section(team, section)
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
    tokens = []
    invitation = team_actions.invite_member(
        access=JurisdictionAccess.of_member(team.membership(team.manager)),
        email=invitee,
        role="editor",
        link_for=lambda token: tokens.append(token) or f"/invitations/{token}/",
    )
    use_case = UseCase.objects.create(
        jurisdiction=team.jurisdiction, name="Chatbot", ai_type="generative"
    )
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
        team.membership(team.editor),
        invitation,
        tokens[0],
        comment,
        use_case,
        export,
    )


def snapshot(jurisdiction: Jurisdiction) -> dict:
    """Everything of a jurisdiction that a request could change, including answer versions."""
    j = jurisdiction.pk
    return {
        "jurisdiction": list(Jurisdiction.objects.filter(pk=j).values()),
        "facilitators": sorted(jurisdiction.facilitators.values_list("pk", flat=True)),
        "memberships": sorted(
            Membership.objects.filter(jurisdiction=j).values_list("user_id", "role")
        ),
        "answers": [
            (a.pk, a.question_id, a.value, a.updated_by_id, a.updated_at)
            for a in Answer.objects.filter(jurisdiction=j).order_by("pk")
        ],
        "answer_versions": Answer.history.filter(jurisdiction_id=j).count(),
        "progress": list(
            SectionProgress.objects.filter(jurisdiction=j)
            .order_by("pk")
            .values(
                "section_id",
                "status",
                "version",
                "assignee_id",
                "due_date",
                "approved_by_id",
                "approved_at",
            )
        ),
        "comments": list(
            Comment.objects.filter(jurisdiction=j)
            .order_by("pk")
            .values("body", "parent_id", "question_id", "resolved_at", "resolved_by_id")
        ),
        "invitations": list(
            Invitation.objects.filter(jurisdiction=j)
            .order_by("pk")
            .values("email", "role", "accepted_at", "revoked_at", "expires_at")
        ),
        "use_cases": list(UseCase.objects.filter(jurisdiction=j).order_by("pk").values()),
        "exports": list(
            Export.objects.filter(jurisdiction=j).order_by("pk").values("pk", "status", "size")
        ),
    }


@dataclass
class Route:
    name: str | None
    route: str
    kwargs: tuple[str, ...]


def project_routes() -> tuple[list[Route], list[str]]:
    """Every URL pattern of the project (recursively), minus the listed skips."""
    routes, skipped = [], []

    def walk(patterns, prefix: str, namespace: str, kwargs: tuple[str, ...]):
        for pattern in patterns:
            names = tuple(pattern.pattern.regex.groupindex)
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace or ""
                if ns in SKIPPED_NAMESPACES:
                    skipped.append(f"{prefix}{pattern.pattern} ({SKIPPED_NAMESPACES[ns]})")
                    continue
                full_ns = ":".join(part for part in (namespace, ns) if part)
                walk(pattern.url_patterns, f"{prefix}{pattern.pattern}", full_ns, kwargs + names)
            elif isinstance(pattern, URLPattern):
                route = f"{prefix}{pattern.pattern}"
                if pattern.name in SKIPPED_NAMES:
                    skipped.append(f"{route} ({SKIPPED_NAMES[pattern.name]})")
                    continue
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
                routes.append(Route(name, route, kwargs + names))

    walk(get_resolver().url_patterns, "/", "", ())
    return routes, skipped


def url_for(route: Route, *worlds_by_kwarg) -> str:
    assert route.name, f"URL pattern {route.route} has no name: name it so the sweep can build it."
    samples = {k: ROUTE_KWARGS.get((route.name, k), SAMPLE_KWARGS.get(k)) for k in route.kwargs}
    for kwarg, sample in samples.items():
        assert sample is not None, (
            f"URL pattern {route.route} ({route.name}) takes '{kwarg}', which the sweep cannot "
            f"fill: add '{kwarg}' to SAMPLE_KWARGS (or ({route.name!r}, {kwarg!r}) to "
            "ROUTE_KWARGS) in tests/test_url_sweep.py."
        )
    kwargs = {}
    for kwarg, sample in samples.items():
        world = worlds_by_kwarg[0] if kwarg == "jurisdiction_slug" else worlds_by_kwarg[-1]
        kwargs[kwarg] = sample(world)
    return reverse(route.name, kwargs=kwargs)


@pytest.fixture
def worlds(alpha, beta, workbook):
    a = build_world(alpha, workbook, "a.invitee@example.gov")
    b = build_world(beta, workbook, "b.invitee@example.gov")
    return a, b


def test_the_sweep_finds_the_known_patterns_and_the_skips_are_real():
    routes, skipped = project_routes()
    names = {r.name for r in routes}
    assert {"dashboard", "workbook:overview", "workbook:team", "invitation"} <= names
    assert len(skipped) == len(SKIPPED_NAMESPACES) + len(SKIPPED_NAMES)


def test_a_pattern_with_an_unknown_kwarg_fails_with_a_clear_message():
    route = Route("workbook:overview", "/j/<slug:jurisdiction_slug>/x/<int:gadget_id>/", ())
    route.kwargs = ("jurisdiction_slug", "gadget_id")
    with pytest.raises(AssertionError, match="add 'gadget_id' to SAMPLE_KWARGS"):
        url_for(route, None)


def request(client, method: str, url: str):
    """The response, or the exception a view raised (reported, so one run lists every gap)."""
    try:
        return getattr(client, method)(url, POST_DATA), None
    except Exception as error:  # noqa: BLE001 - a crashing view is a finding, not a reason to stop
        return None, f"{method.upper()} {url} raised {error.__class__.__name__}: {error}"


def sweep_as_member(client, a: World, b: World) -> tuple[int, int]:
    """Request B's objects through every pattern as A's manager; returns (patterns, requests).

    Every problem is collected, then reported together.
    """
    client.force_login(a.team.manager)
    routes, _ = project_routes()
    before = snapshot(b.jurisdiction)
    tried, problems = 0, []
    for route in routes:
        if not route.kwargs:
            # No object in the URL: it cannot name B's data; it must not show any either.
            for method in ("get", "post"):
                response, crash = request(client, method, url_for(route))
                tried += 1
                if crash or b.jurisdiction.name in response.content.decode():
                    problems.append(crash or f"{method.upper()} {route.route} shows B's name")
            continue
        variants = [("B's objects", url_for(route, b))]
        if "jurisdiction_slug" in route.kwargs and OWNED_KWARGS & set(route.kwargs):
            variants.append(("A's slug with B's ids", url_for(route, a, b)))
        for label, url in variants:
            for method in ("get", "post"):
                response, crash = request(client, method, url)
                tried += 1
                if crash:
                    problems.append(crash)
                    continue
                status = response.status_code
                if status != 404:
                    problems.append(
                        f"{method.upper()} {url} ({route.name}, {label}) answered {status}, not 404"
                    )
                if snapshot(b.jurisdiction) != before:
                    problems.append(f"{method.upper()} {url} changed B")
                    before = snapshot(b.jurisdiction)
    assert not problems, "\n".join(problems)
    return len(routes), tried


def test_a_member_of_a_gets_404_for_everything_of_b(client, worlds):
    patterns, tried = sweep_as_member(client, *worlds)
    _, skipped = project_routes()
    print(
        f"\nURL sweep: {patterns} patterns swept, {tried} requests "
        f"(pattern × variant × GET/POST); {len(skipped)} skipped with a reason"
    )
    assert patterns >= 15


def test_the_sweep_catches_a_view_that_looks_up_ids_without_the_jurisdiction(
    client, worlds, monkeypatch
):
    from django.shortcuts import get_object_or_404

    from workbook.comments import views as comment_views

    def leaky_comment(membership, comment_id):
        return get_object_or_404(Comment, pk=comment_id)  # forgets the jurisdiction

    monkeypatch.setattr(comment_views, "_comment", leaky_comment)
    with pytest.raises(AssertionError, match="A's slug with B's ids"):
        sweep_as_member(client, *worlds)


def test_viewers_posts_change_nothing(client, worlds):
    a, _ = worlds
    client.force_login(a.team.viewer)
    routes, _ = project_routes()
    problems = []
    for route in routes:
        if not route.kwargs:
            continue
        url = url_for(route, a)
        before = snapshot(a.jurisdiction)
        response, crash = request(client, "post", url)
        after = snapshot(a.jurisdiction)
        if route.name in VIEWER_MAY_POST:
            before.pop(VIEWER_MAY_POST[route.name][0])
            after.pop(VIEWER_MAY_POST[route.name][0])
        if after != before:
            problems.append(f"a viewer's POST {url} ({route.name}) changed A")
        if crash:
            problems.append(crash)
        elif response.status_code == 200:
            # A read-only page answering a POST like a GET is not an edit endpoint.
            if client.get(url).status_code != 200:
                problems.append(f"a viewer's POST {url} ({route.name}) answered 200")
        elif response.status_code not in (403, 404, 405) and route.name not in VIEWER_MAY_POST:
            problems.append(
                f"a viewer's POST {url} ({route.name}) answered {response.status_code}, "
                "not a refusal (403)"
            )
    assert not problems, "\n".join(problems)


def test_facilitators_reach_no_app_page_of_any_jurisdiction_they_do_not_coach(client, worlds):
    a, b = worlds
    coach = make_facilitator("coach-a", a.jurisdiction)
    client.force_login(coach)
    before = snapshot(b.jurisdiction)
    routes, _ = project_routes()
    for route in routes:
        if not route.kwargs:
            continue
        url = url_for(route, b)
        for method in ("get", "post"):
            status = getattr(client, method)(url, POST_DATA).status_code
            assert status == 404, f"facilitator {method.upper()} {url} answered {status}"
    assert snapshot(b.jurisdiction) == before


def b_object_of(model, b: World):
    """B's sample object for each tenant model registered in the admin."""
    samples = {
        Jurisdiction: b.jurisdiction,
        Answer: Answer.objects.filter(jurisdiction=b.jurisdiction).first(),
        SectionProgress: SectionProgress.objects.filter(jurisdiction=b.jurisdiction).first(),
        Comment: b.comment,
        UseCase: b.use_case,
        Membership: b.membership,
        Invitation: b.invitation,
        AuditEvent: AuditEvent.objects.filter(jurisdiction=b.jurisdiction).first(),
    }
    return samples.get(model)


def is_tenant_model(model) -> bool:
    forward = [*model._meta.fields, *model._meta.many_to_many]
    return model is Jurisdiction or any(f.related_model is Jurisdiction for f in forward)


def test_facilitator_reaches_nothing_in_the_admin(client, worlds):
    a, b = worlds
    coach = make_facilitator("coach-a2", a.jurisdiction)
    client.force_login(coach)
    before = snapshot(b.jurisdiction)
    checked = []
    for model in admin.site._registry:
        if not is_tenant_model(model):
            continue  # content (workbook, sections, questions), users, sign-in throttling
        obj = b_object_of(model, b)
        assert obj is not None, f"No sample of B for the tenant model {model.__name__}"
        info = model._meta.app_label, model._meta.model_name
        changelist = client.get(reverse(f"admin:{info[0]}_{info[1]}_changelist"))
        assert changelist.status_code == 200, model
        shown = {o.pk for o in changelist.context["cl"].result_list}
        assert obj.pk not in shown, f"{model.__name__}: B's row listed"
        for view in ("change", "history", "delete"):
            url = reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[obj.pk])
            # Delete answers 403 before looking the row up (no delete permission for anyone's
            # rows), which says nothing about the row; the other views must not find it.
            expected = (403, 404) if view == "delete" else (404,)
            assert client.get(url).status_code in expected, f"GET {url}"
            assert client.post(url, {"post": "yes"}).status_code in (403, 404), f"POST {url}"
        checked.append(model.__name__)
    assert snapshot(b.jurisdiction) == before
    assert {"Jurisdiction", "Answer", "Comment", "Membership", "AuditEvent"} <= set(checked)
