"""Tenant isolation over EVERY URL pattern of the project, found from the URLconf.

- A member of jurisdiction A (its manager: the strongest member) requests jurisdiction B's objects
  through each pattern by GET and by POST, and also A's slug combined with B's object ids: always
  404 (views look the jurisdiction up before refusing a method), and no row of B changes.
- A facilitator of A reaches nothing of B, in the app or in the admin.
- Viewers' POSTs change nothing.

Every POST carries the body the page's own form sends (POST_BODIES), filled with B's
objects, so a missing tenant check would have changed B; a control test posts the same bodies as
someone allowed to and checks that they do change B.

New URL patterns are covered automatically. A pattern whose keyword arguments the sweep cannot fill
fails the test: add the argument to SAMPLE_KWARGS below.
"""

from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.sweep_support import (
    SWEEP_TEXT,
    Body,
    World,
    b_data_shown,
    build_world,
    changed_parts,
    changes_when_allowed,
    first_question,
    largest_gap,
    screening_body,
    send,
    snapshot,
    use_case_body,
    wizard_body,
)
from tests.team_fixtures import PASSWORD, make_facilitator
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

pytestmark = pytest.mark.django_db

# ------------------------------------------------------------------------------------------------
# What the sweeps leave out, each with its reason
# ------------------------------------------------------------------------------------------------

# Resolvers and patterns the sweep does not request, each with its reason.
SKIPPED_NAMESPACES = {
    "admin": "the admin is swept model by model in test_facilitator_reaches_nothing_in_the_admin",
}
SKIPPED_NAMES = {
    name: "Django's sign-in and password built-ins: no tenant data, no kwargs of a jurisdiction"
    for name in (
        "login",
        "logout",
        "password_change",
        "password_change_done",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    )
}

# Endpoints a viewer may POST to, with the model whose rows they may add and why.
VIEWER_MAY_POST = {
    "strategy:export_request": ("strategy.Export", "viewers export drafts: an export row is added"),
}

# ------------------------------------------------------------------------------------------------
# The project's URL patterns and how to fill their keyword arguments
# ------------------------------------------------------------------------------------------------

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
    "kind": lambda w: "strategy",  # a document kind: the same for everyone
}

# Where one kwarg name means different objects on different routes: (route name, kwarg).
ROUTE_KWARGS = {
    ("strategy:use_case_edit", "pk"): lambda w: w.use_case.pk,
    ("strategy:use_case_screening", "pk"): lambda w: w.use_case.pk,
    ("strategy:export", "pk"): lambda w: w.export.pk,
    ("strategy:export_status", "pk"): lambda w: w.export.pk,
    ("strategy:export_download", "pk"): lambda w: w.export.pk,
    # What each action acts on: reopening needs an approved section, a resolved comment.
    ("workbook:reopen_section", "section_slug"): lambda w: w.approved_section.slug,
    ("workbook:reopen_comment", "comment_id"): lambda w: w.resolved_comment.pk,
}

# Kwargs naming rows a jurisdiction owns (section slugs and document kinds are shared).
OWNED_KWARGS = {"membership_id", "invitation_id", "comment_id", "token", "use_case_id", "pk"}


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
    """The route's URL: the jurisdiction slug from the first world, every other id from the last."""
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


# ------------------------------------------------------------------------------------------------
# POST bodies: what each page's own form sends, filled with the named jurisdiction's objects
# ------------------------------------------------------------------------------------------------


# Keyed by URL name; a pattern not listed gets GENERIC_BODY.
POST_BODIES = {
    "workbook:section": Body(wizard_body),
    "workbook:autosave": Body(wizard_body),
    "workbook:invite": Body(lambda s, w: {"email": "sweeper@example.gov", "role": "manager"}),
    "workbook:change_role": Body(lambda s, w: {"role": "manager"}),
    "workbook:remove_member": Body(lambda s, w: {}),  # the form posts only its CSRF token
    "workbook:revoke_invitation": Body(lambda s, w: {}),
    "workbook:assign_section": Body(
        lambda s, w: {"assignee": w.membership.pk, "due_date": "2030-01-31"}, names_objects=True
    ),
    "workbook:approve_section": Body(lambda s, w: {}),
    "workbook:reopen_section": Body(lambda s, w: {}),
    "workbook:section_comments": Body(
        lambda s, w: {"body": SWEEP_TEXT, "question": first_question(w.section)}
    ),
    "workbook:reply_to_comment": Body(lambda s, w: {"body": SWEEP_TEXT}),
    "workbook:resolve_comment": Body(lambda s, w: {}),
    "workbook:reopen_comment": Body(lambda s, w: {}),
    "strategy:add_to_action_plan": Body(largest_gap),
    "strategy:use_case_new": Body(use_case_body),
    "strategy:use_case_edit": Body(use_case_body),
    "strategy:use_case_screening": Body(screening_body),
    "strategy:export_request": Body(lambda s, w: {"format": "pdf"}),
    "invitation": Body(
        lambda s, w: {"full_name": "Sweeper", "password1": PASSWORD, "password2": PASSWORD},
        poster="signed out",
    ),
}
GENERIC_BODY = Body(
    lambda s, w: {
        "body": SWEEP_TEXT,
        "role": "manager",
        "email": "sweeper@example.gov",
        "due_date": "2030-01-01",
        "question": "",
        "full_name": "Sweeper",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "next": "/",
    },
    writes=False,
)


def body_for(route_name: str | None, slug: str, world: World) -> dict:
    return POST_BODIES.get(route_name, GENERIC_BODY).build(slug, world)


@pytest.fixture
def worlds(alpha, beta, workbook):
    """Two jurisdictions, each with its team and one object of each kind its URLs can name."""
    a = build_world(alpha, workbook, "a.invitee@example.gov")
    b = build_world(beta, workbook, "b.invitee@example.gov")
    return a, b


# ------------------------------------------------------------------------------------------------
# The sweep finds the project's patterns; its tables name real patterns
# ------------------------------------------------------------------------------------------------


def test_the_sweep_finds_the_known_patterns_and_the_skips_are_real():
    routes, skipped = project_routes()
    names = {r.name for r in routes}
    assert {"dashboard", "workbook:overview", "workbook:team", "invitation"} <= names
    assert len(skipped) == len(SKIPPED_NAMESPACES) + len(SKIPPED_NAMES)
    listed = {*POST_BODIES, *VIEWER_MAY_POST, *(name for name, _ in ROUTE_KWARGS)}
    assert listed <= names, f"Listed but not a URL name: {sorted(listed - names)}"


def test_a_pattern_with_an_unknown_kwarg_fails_with_a_clear_message():
    route = Route("workbook:overview", "/j/<slug:jurisdiction_slug>/x/<int:gadget_id>/", ())
    route.kwargs = ("jurisdiction_slug", "gadget_id")
    with pytest.raises(AssertionError, match="add 'gadget_id' to SAMPLE_KWARGS"):
        url_for(route, None)


# ------------------------------------------------------------------------------------------------
# A member of A
# ------------------------------------------------------------------------------------------------


def sweep_as_member(client, a: World, b: World, routes=None) -> tuple[int, int]:
    """Request B's objects through every pattern (or `routes`) as A's manager; returns
    (patterns, requests). Every problem is collected, then reported together.
    """
    client.force_login(a.team.manager)
    routes = project_routes()[0] if routes is None else routes
    before = snapshot(b.jurisdiction)
    tried, problems = 0, []

    def check_unchanged(method, url, label):
        nonlocal before
        after = snapshot(b.jurisdiction)
        if after != before:
            problems.append(
                f"{method.upper()} {url} ({label}) changed B: {changed_parts(before, after)}"
            )
            before = after

    for route in routes:
        if not route.kwargs:
            # No object in the URL: it cannot name B's data; it must not show any either.
            for method in ("get", "post"):
                url = url_for(route)
                response, crash = send(client, method, url, body_for(route.name, "", b))
                tried += 1
                if crash:
                    problems.append(crash)
                    continue
                for shown in b_data_shown(response, b):
                    problems.append(f"{method.upper()} {url} ({route.name}) {shown}")
                check_unchanged(method, url, route.name)
            continue
        variants = [("B's objects", b, url_for(route, b))]
        if "jurisdiction_slug" in route.kwargs and OWNED_KWARGS & set(route.kwargs):
            variants.append(("A's slug with B's ids", a, url_for(route, a, b)))
        for label, slug_world, url in variants:
            for method in ("get", "post"):
                data = body_for(route.name, slug_world.jurisdiction.slug, b)
                response, crash = send(client, method, url, data if method == "post" else None)
                tried += 1
                if crash:
                    problems.append(crash)
                    continue
                status = response.status_code
                if status != 404:
                    problems.append(
                        f"{method.upper()} {url} ({route.name}, {label}) answered {status}, not 404"
                    )
                check_unchanged(method, url, f"{route.name}, {label}")
        # A's own page, which the manager may read: it shows nothing of B.
        url = url_for(route, a)
        response, crash = send(client, "get", url)
        tried += 1
        if crash:
            problems.append(crash)
        else:
            problems += [
                f"GET {url} ({route.name}, A's own) {s}" for s in b_data_shown(response, b)
            ]
        if POST_BODIES.get(route.name, GENERIC_BODY).names_objects:
            # A's own page, with B's objects in the body: A may post here, B must not change.
            data = body_for(route.name, a.jurisdiction.slug, b)
            response, crash = send(client, "post", url, data)
            tried += 1
            if crash:
                problems.append(crash)
            check_unchanged("post", url, f"{route.name}, A's page with B's ids in the body")
    assert not problems, "\n".join(problems)
    return len(routes), tried


def test_a_member_of_a_gets_404_for_everything_of_b(client, worlds):
    patterns, tried = sweep_as_member(client, *worlds)
    _, skipped = project_routes()
    print(
        f"\nURL sweep (member of A): {patterns} patterns, {tried} requests "
        f"(pattern × variant × GET/POST); {len(skipped)} skipped with a reason"
    )
    assert patterns >= 15


def test_the_sweep_catches_a_view_that_looks_up_ids_without_the_jurisdiction(
    client, worlds, monkeypatch
):
    from django.shortcuts import get_object_or_404

    from workbook import team_views

    def leaky_comment(membership, comment_id):
        return get_object_or_404(Comment, pk=comment_id)  # forgets the jurisdiction

    monkeypatch.setattr(team_views, "_comment", leaky_comment)
    # The sweep's own checks over the routes that name a comment (the full sweep finds them).
    routes = [r for r in project_routes()[0] if "comment_id" in r.kwargs]
    assert len(routes) == 3
    with pytest.raises(AssertionError, match="A's slug with B's ids"):
        sweep_as_member(client, *worlds, routes=routes)


# ------------------------------------------------------------------------------------------------
# Viewers
# ------------------------------------------------------------------------------------------------


def test_viewers_posts_change_nothing(client, worlds):
    a, _ = worlds
    client.force_login(a.team.viewer)
    routes, _ = project_routes()
    problems = []
    for route in routes:
        if not route.kwargs:
            continue
        url = url_for(route, a)
        # Refusals are recorded under A, the viewer's own jurisdiction: audit events left out.
        before = snapshot(a.jurisdiction, audit=False)
        response, crash = send(client, "post", url, body_for(route.name, a.jurisdiction.slug, a))
        after = snapshot(a.jurisdiction, audit=False)
        if route.name in VIEWER_MAY_POST:
            before.pop(VIEWER_MAY_POST[route.name][0])
            after.pop(VIEWER_MAY_POST[route.name][0])
        if after != before:
            problems.append(
                f"a viewer's POST {url} ({route.name}) changed A: {changed_parts(before, after)}"
            )
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


# ------------------------------------------------------------------------------------------------
# Facilitators: the app and the admin
# ------------------------------------------------------------------------------------------------


def test_facilitators_reach_no_app_page_of_any_jurisdiction_they_do_not_coach(client, worlds):
    """A's facilitator: B's objects answer 404, also under A's slug; A's pages show nothing of B."""
    a, b = worlds
    coach = make_facilitator("coach-a", a.jurisdiction)
    client.force_login(coach)
    before = snapshot(b.jurisdiction)
    routes, _ = project_routes()
    tried, problems = 0, []
    for route in routes:
        if not route.kwargs:
            continue
        variants = [("B's objects", b, url_for(route, b))]
        if "jurisdiction_slug" in route.kwargs and OWNED_KWARGS & set(route.kwargs):
            variants.append(("A's slug with B's ids", a, url_for(route, a, b)))
        for label, slug_world, url in variants:
            for method in ("get", "post"):
                data = body_for(route.name, slug_world.jurisdiction.slug, b)
                response, crash = send(client, method, url, data if method == "post" else None)
                tried += 1
                if crash or response.status_code != 404:
                    problems.append(
                        crash
                        or f"facilitator {method.upper()} {url} ({route.name}, {label}) answered "
                        f"{response.status_code}, not 404"
                    )
                if (after := snapshot(b.jurisdiction)) != before:
                    problems.append(
                        f"facilitator {method.upper()} {url} ({route.name}, {label}) changed B: "
                        f"{changed_parts(before, after)}"
                    )
                    before = after
        url = url_for(route, a)  # A's own page, which the facilitator may read
        response, crash = send(client, "get", url)
        tried += 1
        if crash:
            problems.append(crash)
        else:
            problems += [f"facilitator GET {url} {s}" for s in b_data_shown(response, b)]
    assert not problems, "\n".join(problems)
    print(f"\nURL sweep (facilitator of A in the app): {tried} requests")


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


# ------------------------------------------------------------------------------------------------
# Control: the bodies the sweeps send would change B, posted by someone allowed to
# ------------------------------------------------------------------------------------------------


def test_the_sweeps_post_bodies_change_b_when_posted_by_bs_own_manager(worlds):
    _, b = worlds
    manager, signed_out = Client(), Client()
    manager.force_login(b.team.manager)
    posters = {"manager": manager, "signed out": signed_out}
    routes, _ = project_routes()
    checked, problems = [], []
    for route in routes:
        body = POST_BODIES.get(route.name)
        if body is None or not body.writes:
            continue
        url = url_for(route, b)
        status, changed = changes_when_allowed(
            posters[body.poster], b, url, body.build(b.jurisdiction.slug, b)
        )
        checked.append(route.name)
        if not changed:
            problems.append(
                f"POST {url} ({route.name}) by B's {body.poster} answered {status} and changed "
                "nothing: its body in POST_BODIES is not what the page's form posts"
            )
    assert not problems, "\n".join(problems)
    assert len(checked) == sum(body.writes for body in POST_BODIES.values())
