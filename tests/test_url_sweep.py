"""Tenant isolation over EVERY URL pattern of the project, found from the URLconf.

- A member of jurisdiction A (its manager: the strongest member) requests jurisdiction B's objects
  through each pattern by GET and by POST, and also A's slug combined with B's object ids: always
  404 (views look the jurisdiction up before refusing a method), and no row of B changes.
- Signed out, every pattern (the admin's too) answers a redirect to a sign-in page, 401, 403 or
  404; only the pages listed in PUBLIC_NAMES answer anyone, each with its reason.
- A facilitator of A reaches nothing of B in the app, nor through any URL of the admin (the site's
  own views and every registered model's, custom views included): never B's data, no change.
- Viewers' POSTs change nothing.

Every POST carries the body the page's own form sends (POST_BODIES, admin_bodies()), filled with B's
objects, so a missing tenant check would have changed B; a control test posts the same bodies as
someone allowed to and checks that they do change B.

New URL patterns are covered automatically. A pattern whose keyword arguments the sweep cannot fill
fails the test: add the argument to SAMPLE_KWARGS below (or to ADMIN_KWARGS in
tests/sweep_support.py).
"""

import re
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.db import models
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse

from strategy.public.actions import publish_register
from tests.sweep_support import (
    REDIRECTS,
    SWEEP_TEXT,
    AdminRoute,
    Body,
    World,
    admin_form_body,
    admin_routes,
    admin_sample,
    admin_url,
    b_data_shown,
    build_world,
    changed_parts,
    changes_when_allowed,
    first_question,
    followed,
    is_tenant_model,
    largest_gap,
    screening_body,
    send,
    sign_in_pages,
    snapshot,
    text_of,
    use_case_body,
    wizard_body,
)
from tests.team_fixtures import PASSWORD, make_facilitator, make_user
from workbook.models import Comment, Jurisdiction, Membership, UseCase
from workbook.security.access import JurisdictionAccess

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-test-password-77"

# ------------------------------------------------------------------------------------------------
# What the sweeps leave out, each with its reason
# ------------------------------------------------------------------------------------------------

# Resolvers and patterns the member sweep does not request (the signed-out sweep requests them).
SKIPPED_NAMESPACES = {
    "admin": "swept URL by URL for facilitators in test_facilitator_reaches_nothing_in_the_admin",
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

# Pages that answer someone signed out. Any other page that does fails the signed-out sweep.
PUBLIC_NAMES = {
    "login": "the sign-in page itself",
    "logout": "signing out: GET is refused (405); a POST signs out whoever is signed in",
    "password_reset": "asks for an email address and answers the same for every address",
    "password_reset_done": "says that an email is on its way if the address has an account",
    "password_reset_confirm": "the emailed reset link: the link is the credential",
    "password_reset_complete": "says the new password is set and links to the sign-in page",
    "healthz": "the load balancer's liveness probe: answers 'ok' and reads nothing",
    "invitation": "the emailed invitation link: the token is the credential (only its hash is "
    "stored); unknown, used and expired links answer 404",
    "admin:login": "the admin's sign-in page",
    # The public AI register (test_public_register_pages_show_only_public_fields below).
    **dict.fromkeys(
        ("public:register", "public:entry", "public:register_csv", "public:register_json"),
        "the public AI register: 404 unless the jurisdiction's manager published it, and then "
        "only the fields of strategy.public.register.PUBLIC_FIELDS",
    ),
    "public:summary": "the resident summary next to the published register: 404 unless "
    "published, and written only from what the documents say",
}

# Admin requests the facilitator sweep does not send, by (URL name, method).
ADMIN_SKIPPED = {
    ("login", "post"): (
        "the admin's sign-in form: it names no object, and posting it signs someone in; the page "
        "is public (PUBLIC_NAMES)"
    ),
    ("logout", "post"): (
        "signs the facilitator out (it names no object): the rest of the sweep would run signed out"
    ),
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
    ("strategy:use_case_retire", "pk"): lambda w: w.use_case.pk,
    ("strategy:use_case_detail", "pk"): lambda w: w.use_case.pk,
    ("strategy:use_case_evidence", "pk"): lambda w: w.use_case.pk,
    ("public:entry", "pk"): lambda w: w.use_case.pk,
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


def project_routes(*, skip: bool = True) -> tuple[list[Route], list[str]]:
    """Every URL pattern of the project (recursively), and the skipped ones with their reasons.

    The admin is always left out (admin_routes() lists its URLs); `skip=False` keeps the patterns
    of SKIPPED_NAMES in.
    """
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
                if skip and pattern.name in SKIPPED_NAMES:
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
    "workbook:remove_member": Body(lambda s, w: {"confirm": "yes"}),  # the confirmation page's form
    "workbook:revoke_invitation": Body(lambda s, w: {}),
    "workbook:assign_section": Body(
        lambda s, w: {"assignee": w.membership.pk, "due_date": "2030-01-31"}, names_objects=True
    ),
    "workbook:approve_section": Body(lambda s, w: {}),
    "workbook:reopen_section": Body(lambda s, w: {"reason": "The sweep changes it."}),
    "workbook:approve_sections": Body(lambda s, w: {"section": [w.section.slug]}),
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
    "strategy:use_case_retire": Body(lambda s, w: {}),
    "strategy:use_case_from_idea": Body(lambda s, w: {"row": "0"}),
    "strategy:use_case_detail": Body(
        lambda s, w: {
            "approver": "AI committee",
            "decision": "approved",
            "decided_on": "2026-11-02",
        }
    ),
    # Every tier has the public-notice obligation, so the sweep's screened use can record it.
    "strategy:use_case_evidence": Body(
        lambda s, w: {
            "obligation": "public-notice",
            "status": "met",
            "evidenced_on": "2026-11-02",
            "note": SWEEP_TEXT,
        }
    ),
    "strategy:export_request": Body(lambda s, w: {"format": "pdf"}),
    "strategy:register_publish": Body(lambda s, w: {"publish": "publish"}),
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


# ------------------------------------------------------------------------------------------------
# The admin's POST bodies and GET parameters, naming B's objects
# ------------------------------------------------------------------------------------------------


def _first_text_field(obj) -> dict:
    """A change someone might make: the first free-text field of the object, rewritten."""
    for f in obj._meta.concrete_fields:
        if (
            isinstance(f, models.CharField | models.TextField)
            and f.editable
            and not f.choices
            and f.name not in ("slug", "password", "token_hash", "username")
        ):
            return {f.name: f"{f.value_from_object(obj)} {SWEEP_TEXT}"[: f.max_length]}
    return {}


def admin_changes(model, obj, coach) -> dict:
    """The change a facilitator reaching into B would make: take the team or the jurisdiction."""
    if model is Jurisdiction:
        return {
            "name": SWEEP_TEXT,
            "facilitators": [*(u.pk for u in obj.facilitators.all()), coach.pk],
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-id": "",
            "memberships-0-jurisdiction": str(obj.pk),
            "memberships-0-user": str(coach.pk),
            "memberships-0-role": "manager",
        }
    if model is Membership:
        return {"user": str(coach.pk), "role": "manager"}
    if model is get_user_model():
        return {"email": "sweeper@example.gov", "is_staff": "on"}
    return _first_text_field(obj)


def admin_bodies(route: AdminRoute, a: World, b: World, coach) -> list[tuple[str, dict]]:
    """The bodies the admin's own forms post to this URL, naming B's objects; (label, body)."""
    model, kind = route.model, route.kind
    obj = admin_sample(model, b) if model else None
    if kind == "changelist":
        selected = {"_selected_action": [getattr(obj, "pk", 0)], "index": "0", "select_across": "0"}
        delete = {**selected, "action": "delete_selected", "post": "yes"}
        if model is Jurisdiction:
            csv = {**selected, "action": "export_answers_csv"}
            return [
                ("CSV export of B", csv),
                ("CSV export of A and B", {**csv, "_selected_action": [a.jurisdiction.pk, obj.pk]}),
                ("CSV export of all rows", {**csv, "select_across": "1"}),
                ("delete B", delete),
            ]
        return [("delete B's row", delete)]
    if kind in ("add", "change") and obj is not None:
        return [("the form, changed", admin_form_body(obj, admin_changes(model, obj, coach)))]
    if kind == "delete":
        return [("confirmed", {"post": "yes"})]
    if kind == "comment":
        about = {"body": SWEEP_TEXT, "about": f"section:{b.section.slug}"}
        return [
            ("about a section", about),
            ("about a question", {**about, "about": f"question:{first_question(b.section)}"}),
        ]
    if kind == "password_change" and model is not None:  # a user's password, set by the admin
        return [
            (
                "new password",
                {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
            )
        ]
    if kind == "password_change":  # the signed-in user's own
        return [
            (
                "own password",
                {
                    "old_password": PASSWORD,
                    "new_password1": NEW_PASSWORD,
                    "new_password2": NEW_PASSWORD,
                },
            )
        ]
    return [("generic", GENERIC_BODY.build(b.jurisdiction.slug, b))]


def admin_queries(route: AdminRoute, b: World) -> list[tuple[str, dict]]:
    """GET parameters of the admin's own pages that look for B: a search, autocompletes.

    Each only part of a marker (World.markers): pages repeat what was searched for.
    """
    if route.kind == "changelist":
        return [("search for B", {"q": b.jurisdiction.name.split()[0], "_facets": "True"})]
    if route.kind == "autocomplete":
        look_up = {"app_label": "workbook", "model_name": "membership"}
        return [
            ("B's members", {**look_up, "field_name": "user", "term": b.jurisdiction.slug}),
            (
                "B",
                {**look_up, "field_name": "jurisdiction", "term": b.jurisdiction.name.split()[0]},
            ),
        ]
    return [("", {})]


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
    every_name = {r.name for r in project_routes(skip=False)[0]}
    every_name |= {f"admin:{r.name}" for r in admin_routes() if r.name}
    listed = {*PUBLIC_NAMES, *POST_BODIES, *VIEWER_MAY_POST}
    listed |= {f"admin:{name}" for name, _ in ADMIN_SKIPPED}
    listed |= {name for name, _ in ROUTE_KWARGS}
    assert listed <= every_name, f"Listed but not a URL name: {sorted(listed - every_name)}"


def test_a_pattern_with_an_unknown_kwarg_fails_with_a_clear_message():
    route = Route("workbook:overview", "/j/<slug:jurisdiction_slug>/x/<int:gadget_id>/", ())
    route.kwargs = ("jurisdiction_slug", "gadget_id")
    with pytest.raises(AssertionError, match="add 'gadget_id' to SAMPLE_KWARGS"):
        url_for(route, None)


def test_the_admin_sweep_lists_every_url_of_the_admin():
    """admin_routes() must cover every pattern the project serves under the admin."""
    served = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, f"{prefix}{pattern.pattern}")
            else:
                served.append(f"{prefix}{pattern.pattern}")

    admin_resolver = next(
        p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "admin"
    )
    walk(admin_resolver.url_patterns)
    listed = [r.route for r in admin_routes()]
    assert sorted(served) == sorted(listed)
    assert {"comment", "changelist", "password_change"} <= {r.kind for r in admin_routes()}


# ------------------------------------------------------------------------------------------------
# A member of A
# ------------------------------------------------------------------------------------------------


def url_variants(route, a: World, b: World) -> list[tuple[str, World, str]]:
    """B's objects under B's slug, and (where the URL names a row) B's ids under A's slug."""
    variants = [("B's objects", b, url_for(route, b))]
    if "jurisdiction_slug" in route.kwargs and OWNED_KWARGS & set(route.kwargs):
        variants.append(("A's slug with B's ids", a, url_for(route, a, b)))
    return variants


def sweep_as_member(client, a: World, b: World, routes=None) -> tuple[int, int]:  # noqa: C901 - one loop over routes, methods and variants, each check in line
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
                problems.extend(
                    f"{method.upper()} {url} ({route.name}) {shown}"
                    for shown in b_data_shown(response, b)
                )
                check_unchanged(method, url, route.name)
            continue
        for label, slug_world, url in url_variants(route, a, b):
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

    from workbook.comments import views as comment_views

    def leaky_comment(access, comment_id):
        return get_object_or_404(Comment, pk=comment_id)  # forgets the jurisdiction

    monkeypatch.setattr(comment_views, "_comment", leaky_comment)
    # The sweep's own checks over the routes that name a comment (the full sweep finds them).
    routes = [r for r in project_routes()[0] if "comment_id" in r.kwargs]
    assert len(routes) == 3
    with pytest.raises(AssertionError, match="A's slug with B's ids"):
        sweep_as_member(client, *worlds, routes=routes)


# ------------------------------------------------------------------------------------------------
# Signed out
# ------------------------------------------------------------------------------------------------


def signed_out_requests(b: World):
    """(label, URL name, url, method, body) for every pattern of the project and of the admin."""
    routes, _ = project_routes(skip=False)
    for route in routes:
        if route.name in PUBLIC_NAMES:
            continue
        url = url_for(route, b)
        yield route.name, route.name, url, "get", None
        yield route.name, route.name, url, "post", body_for(route.name, b.jurisdiction.slug, b)
    coach = b.team.manager  # the bodies name someone; signed out it makes no difference
    for route in admin_routes():
        if route.name and f"admin:{route.name}" in PUBLIC_NAMES:
            continue
        url = admin_url(route, b)
        for label, query in admin_queries(route, b):
            yield f"{route.label}{', ' + label if label else ''}", route.name, url, "get", query
        for label, body in admin_bodies(route, b, b, coach):
            yield f"{route.label}, {label}", route.name, url, "post", body


def sweep_signed_out(client, b: World, requests=None) -> tuple[int, int]:
    """Every pattern (or `requests`), signed out: a sign-in redirect, 401, 403 or 404, and no
    change to B."""
    before = snapshot(b.jurisdiction)
    patterns, tried, problems = set(), 0, []
    for label, _name, url, method, data in requests or signed_out_requests(b):
        patterns.add(url)
        response, crash = send(client, method, url, data)
        tried += 1
        if crash:
            problems.append(crash)
            continue
        status = response.status_code
        final, hops = followed(client, response)
        if status in REDIRECTS and not set(hops) & sign_in_pages():
            problems.append(
                f"signed out, {method.upper()} {url} ({label}) redirected to {hops}, "
                "not to a sign-in page"
            )
        elif status not in (*REDIRECTS, 401, 403, 404):
            problems.append(
                f"signed out, {method.upper()} {url} ({label}) answered {status}: a page for "
                "anyone. If it is meant to be public, add it to PUBLIC_NAMES with the reason."
            )
        problems.extend(
            f"signed out, {method.upper()} {url} ({label}) ends on a page that {shown}"
            for shown in b_data_shown(final, b)
        )
        if method == "post" and (after := snapshot(b.jurisdiction)) != before:
            problems.append(
                f"signed out, POST {url} ({label}) changed B: {changed_parts(before, after)}"
            )
            before = after
    assert not problems, "\n".join(problems)
    return len(patterns), tried


def test_signed_out_every_pattern_sends_to_sign_in_or_refuses(client, worlds):
    _, b = worlds
    patterns, tried = sweep_signed_out(client, b)
    print(
        f"\nURL sweep (signed out): {patterns} URLs (project and admin), {tried} requests "
        f"(GET and every POST body); {len(PUBLIC_NAMES)} public pages listed with a reason"
    )
    assert patterns >= 140


def test_the_signed_out_sweep_catches_a_page_that_forgets_to_require_sign_in(
    client, worlds, settings
):
    _, b = worlds

    def forgetful(request, jurisdiction_slug):
        return HttpResponse(Jurisdiction.objects.get(slug=jurisdiction_slug).name)

    class ForgetfulURLconf:
        urlpatterns = [
            *get_resolver().url_patterns,
            path("j/<slug:jurisdiction_slug>/forgetful/", forgetful, name="forgetful"),
        ]

    settings.ROOT_URLCONF = ForgetfulURLconf
    # The sweep finds the new pattern; its checks, run on that pattern's requests, fail.
    requests = [r for r in signed_out_requests(b) if r[1] == "forgetful"]
    assert [r[3] for r in requests] == ["get", "post"]
    with pytest.raises(AssertionError, match=r"forgetful/ \(forgetful\) answered 200"):
        sweep_signed_out(client, b, requests)


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
# Facilitators: the app, then every URL of the admin
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
        for label, slug_world, url in url_variants(route, a, b):
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


def sweep_admin_as_facilitator(client, a: World, b: World, coach, routes=None):  # noqa: C901 - as sweep_as_member
    """Every admin URL (or `routes`) with B's ids, as A's facilitator; returns (URLs, requests,
    tenant models swept)."""
    client.force_login(coach)
    before, log_entries = snapshot(b.jurisdiction), LogEntry.objects.count()
    urls, tried, problems, tenant_models = set(), 0, [], set()
    for route in admin_routes() if routes is None else routes:
        tenant = route.model is not None and is_tenant_model(route.model)
        if tenant:
            assert admin_sample(route.model, b) is not None, (
                f"No sample of B for the tenant model {route.model.__name__}: add one to "
                "admin_sample() in tests/sweep_support.py."
            )
            tenant_models.add(route.model.__name__)
        url = admin_url(route, b)
        urls.add(url)
        requests = [("get", label, url, query) for label, query in admin_queries(route, b)]
        requests += [("post", label, url, body) for label, body in admin_bodies(route, a, b, coach)]
        if tenant and route.names_an_object:
            # A's own object, which the facilitator may read: its page shows nothing of B.
            requests.append(("get", "A's object", admin_url(route, a), {}))
        for method, label, at, data in requests:
            if (route.name, method) in ADMIN_SKIPPED:
                continue
            where = f"{method.upper()} {at} ({route.label}{', ' + label if label else ''})"
            response, crash = send(client, method, at, data)
            tried += 1
            if crash:
                problems.append(crash)
                continue
            status = response.status_code
            final, _ = followed(client, response)
            if at != url:
                pass  # A's own: any answer, as long as it shows nothing of B
            elif status == 200 and tenant and route.names_an_object:
                problems.append(f"facilitator {where} answered 200 for B's object")
            elif status not in (200, *REDIRECTS, 403, 404, 405):
                problems.append(f"facilitator {where} answered {status}")
            problems.extend(f"facilitator {where} {shown}" for shown in b_data_shown(final, b))
            if method == "post":
                if (after := snapshot(b.jurisdiction)) != before:
                    problems.append(
                        f"facilitator {where} changed B: {changed_parts(before, after)}"
                    )
                    before = after
                if LogEntry.objects.count() != log_entries:
                    problems.append(f"facilitator {where} made a change the admin logged")
                    log_entries = LogEntry.objects.count()
    assert not problems, "\n".join(problems)
    return len(urls), tried, tenant_models


def test_facilitator_reaches_nothing_in_the_admin(client, worlds):
    a, b = worlds
    coach = make_facilitator("coach-a2", a.jurisdiction)
    urls, tried, tenant_models = sweep_admin_as_facilitator(client, a, b, coach)
    print(
        f"\nURL sweep (facilitator of A in the admin): {urls} URLs of {len(admin.site._registry)} "
        f"models and the site, {tried} requests (GET and every POST body); "
        f"{len(ADMIN_SKIPPED)} skipped with a reason"
    )
    assert {"Jurisdiction", "Answer", "Comment", "Membership", "AuditEvent"} <= tenant_models
    # The CSV export the sweep posted does run for the facilitator: A's answers, none of B's.
    route = next(r for r in admin_routes() if r.name == "workbook_jurisdiction_changelist")
    exported = dict(admin_bodies(route, a, b, coach))["CSV export of A and B"]
    csv = text_of(client.post(admin_url(route, b), exported))
    assert a.jurisdiction.name in csv and b.jurisdiction.name not in csv


def test_the_admin_sweep_catches_a_model_admin_that_shows_every_jurisdiction(
    client, worlds, monkeypatch
):
    a, b = worlds
    coach = make_facilitator("coach-a3", a.jurisdiction)
    comments = type(admin.site._registry[Comment])
    monkeypatch.setattr(comments, "get_queryset", admin.ModelAdmin.get_queryset)  # unscoped
    routes = [r for r in admin_routes() if r.model is Comment]
    with pytest.raises(AssertionError) as failure:
        sweep_admin_as_facilitator(client, a, b, coach, routes)
    assert "lists B's Comment rows" in str(failure.value)
    assert re.search(r"workbook_comment_change\) answered 200 for B's object", str(failure.value))


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


def test_the_admin_bodies_change_b_when_posted_by_a_superuser(client, worlds):
    """The admin's writable views: the jurisdiction's change form and comment view.

    (No one deletes a jurisdiction with a team in the admin: its rows are read-only there.)
    """
    a, b = worlds
    coach = make_facilitator("coach-a4", a.jurisdiction)
    superuser = make_user("root", staff=True)
    superuser.is_superuser = True
    superuser.save()
    client.force_login(superuser)
    problems, checked = [], 0
    for route in admin_routes():
        if route.model is not Jurisdiction or route.kind not in ("change", "comment"):
            continue
        url = admin_url(route, b)
        for label, data in admin_bodies(route, a, b, coach):
            status, changed = changes_when_allowed(client, b, url, data)
            checked += 1
            if not changed:
                problems.append(
                    f"superuser POST {url} ({label}) answered {status}, changed nothing"
                )
    assert checked == 3 and not problems, "\n".join(problems)
    # The CSV export selects B's rows: a superuser's export lists B's answers.
    changelist = reverse("admin:workbook_jurisdiction_changelist")
    route = next(r for r in admin_routes() if r.name == "workbook_jurisdiction_changelist")
    exported = dict(admin_bodies(route, a, b, coach))["CSV export of B"]
    assert b.jurisdiction.name in text_of(client.post(changelist, exported))


# ------------------------------------------------------------------------------------------------
# The public AI register, once published: for anyone, and only its public fields
# ------------------------------------------------------------------------------------------------


def test_public_register_pages_show_only_public_fields(client, worlds):
    """B publishes its register: signed out and signed in as A's manager, its public pages answer
    and show B's name and live entry, never B's team, invitations or internal notes; A's own
    register, unpublished, answers 404."""
    a, b = worlds
    publish_register(access=JurisdictionAccess.of(b.team.manager, b.jurisdiction))
    UseCase.objects.filter(pk=b.use_case.pk).update(stage="pilot", notes="internal note of B")
    hidden = UseCase.objects.create(jurisdiction=b.jurisdiction, name="Proposed use of B")
    public_routes = [r for r in project_routes()[0] if (r.name or "").startswith("public:")]
    assert len(public_routes) == 5
    problems = []
    for who in ("signed out", "A's manager"):
        if who == "signed out":
            client.logout()
        else:
            client.force_login(a.team.manager)
        for route in public_routes:
            url = url_for(route, b)
            response = client.get(url)
            if response.status_code != 200:
                problems.append(f"{who}: GET {url} answered {response.status_code}")
                continue
            body = text_of(response)
            if b.use_case.name not in body:
                problems.append(f"{who}: GET {url} does not show the live entry")
            problems += [
                f"{who}: GET {url} shows {private!r}"
                for private in (*b.markers[1:], "internal note of B", hidden.name)
                if private in body
            ]
            if client.get(url_for(route, a)).status_code != 404:
                problems.append(f"{who}: A's unpublished {route.name} does not answer 404")
        hidden_url = f"/public/{b.jurisdiction.slug}/ai/{hidden.pk}/"
        if client.get(hidden_url).status_code != 404:
            problems.append(f"{who}: the proposed entry's page does not answer 404")
    assert not problems, "\n".join(problems)
