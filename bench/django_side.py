"""Benchmark steps that run inside Django against the bench database.

Called by bench/run.py as `python -m bench.django_side STEP ...`; prints one JSON document.
Steps: prepare, versions, queries, admin-queries, reads, profile, answers, tasks,
forget-prerenders.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbook.settings")
# The Django test client calls itself "testserver"; the servers only answer 127.0.0.1.
os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import captures  # noqa: E402
from bench.pages import PAGES, Page  # noqa: E402
from bench.web import find_form, save_body, save_button, version_field  # noqa: E402
from workbook.answers.actions import save_section  # noqa: E402
from workbook.management.commands.make_scale_data import sample_value  # noqa: E402
from workbook.models import (  # noqa: E402
    Answer,
    Jurisdiction,
    Membership,
    Question,
    Role,
    Section,
    SectionProgress,
    UserSession,
    Workbook,
)
from workbook.security.access import JurisdictionAccess  # noqa: E402

ADMIN = "bench-admin"
TEXT_TYPES = ["short_text", "long_text"]
FULL_SLUG = "scale-0001"


def prepare(password: str) -> dict:
    """The superuser for the admin rows, and which section the section rows load."""
    User = get_user_model()
    admin, _ = User.objects.get_or_create(username=ADMIN, defaults={"email": "bench@example.gov"})
    admin.is_staff = admin.is_superuser = True
    admin.set_password(password)
    admin.save()
    workbook = Workbook.objects.order_by("-loaded_at").first()
    # The largest section is the worst case for the section page and its save.
    section = (
        Section.active.filter(workbook=workbook, scope=Section.Scope.JURISDICTION)
        .annotate(n=Count("questions"))
        .order_by("-n", "position")
        .first()
    )
    # Scale-out edits text answers, so it uses the section with the most of them.
    text_section = (
        Section.active.filter(workbook=workbook, scope=Section.Scope.JURISDICTION)
        .annotate(n=Count("questions", filter=Q(questions__field_type__in=TEXT_TYPES)))
        .order_by("-n", "position")
        .first()
    )
    return {
        "section": section.slug,
        "text_section": text_section.slug,
        "section_questions": section.n,
        "jurisdictions": Jurisdiction.objects.count(),
        "other_jurisdictions": Jurisdiction.objects.exclude(slug__startswith="scale-").count(),
        "questions": Question.active.filter(workbook=workbook).count(),
        "answers": Answer.objects.count(),
        "riverton": Jurisdiction.objects.filter(slug="riverton").exists(),
    }


def versions(slugs: list[str], section: str) -> dict:
    rows = SectionProgress.objects.filter(jurisdiction__slug__in=slugs, section__slug=section)
    return {p.jurisdiction.slug: p.version for p in rows.select_related("jurisdiction")}


def _client(user) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    if user is not None:
        client.force_login(user)
    return client


def _count(client: Client, page: Page, slug: str, section: str) -> dict:
    """Queries of one request to `page`, or why it could not be measured."""
    path = page.path.format(slug=slug, section=section)
    try:
        if page.method == "POST":
            form_page = client.get(page.form_from.format(slug=slug, section=section))
            if form_page.status_code != 200:
                return {"status": form_page.status_code}
            form = find_form(form_page.content.decode())
            data: dict[str, list[str]] = {}
            for name, value in form.fields + save_button(form):
                data.setdefault(name, []).append(value)
            with CaptureQueriesContext(connection) as queries:
                response = client.post(path, data)
        else:
            client.get(path)  # a running server's caches (content, document bodies) are warm
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
    except Exception as exc:  # noqa: BLE001 - a page that crashes is reported, not fatal to the run
        return {"status": "error", "error": f"{type(exc).__name__}: {exc}"}
    return {"status": response.status_code, "queries": len(queries)}


def _one_answer_jurisdiction(section_slug: str):
    """A jurisdiction whose workbook has a single answer, in the measured section."""
    workbook = Workbook.objects.order_by("-loaded_at").first()
    jurisdiction = Jurisdiction.objects.create(
        slug="bench-one-answer",
        name="Bench One Answer",
        kind="city",
        population_band="under_5k",
        workbook=workbook,
    )
    editor = get_user_model().objects.create(username="bench-one-answer-editor")
    Membership.objects.create(user=editor, jurisdiction=jurisdiction, role=Role.EDITOR)
    section = Section.active.get(workbook=workbook, slug=section_slug)
    question = Question.active.filter(section=section, show_if__isnull=True).first()
    save_section(
        access=JurisdictionAccess.of(editor, jurisdiction),
        section=section,
        values={question.slug: sample_value(question, 1)},
        expected_version=0,
    )
    return jurisdiction, editor


def queries(section: str) -> dict:
    """Queries per request of each page at one answer and at a fully answered workbook."""
    User = get_user_model()
    users = {
        "anonymous": None,
        "admin": User.objects.get(username=ADMIN),
        "editor": User.objects.get(username=f"{FULL_SLUG}-editor"),
    }
    result: dict[str, dict] = {}
    # Everything here is rolled back: the measured saves and the one-answer jurisdiction.
    with transaction.atomic():
        one, one_editor = _one_answer_jurisdiction(section)
        for page in PAGES:
            if page.user == "admin":
                continue
            full = _count(_client(users[page.user]), page, FULL_SLUG, section)
            sparse_user = one_editor if page.user == "editor" else users[page.user]
            sparse = _count(_client(sparse_user), page, one.slug, section)
            result[page.key] = {"one_answer": sparse, "full": full}
        transaction.set_rollback(True)
    return result


def admin_queries() -> dict:
    client = _client(get_user_model().objects.get(username=ADMIN))
    page = next(p for p in PAGES if p.key == "admin-list")
    return {"jurisdictions": Jurisdiction.objects.count(), **_count(client, page, "", "")}


def reads(keys: list[str], section: str) -> dict:
    """Each GET page's own SQL, from one warm request, saved next to its capture for the floor
    with its reads (bench/views.py); the same user and path as the profile and the load.

    A page whose statements cannot stand for its reads (see captures.page_reads) gets no file
    and says why; the others are still written.
    """
    User = get_user_model()
    users = {
        "admin": User.objects.filter(username=ADMIN).first(),
        "editor": User.objects.get(username=f"{FULL_SLUG}-editor"),
    }
    found: dict[str, dict] = {}
    for key in keys:
        page = next(p for p in PAGES if p.key == key)
        path = page.path.format(slug=FULL_SLUG, section=section)
        try:
            if page.method != "GET":
                raise captures.ReadsRefused(f"{page.method} page: only GET pages have reads")
            if page.user not in users:
                raise captures.ReadsRefused(f"a page for {page.user} users has no user reads")
            client = _client(users[page.user])
            client.get(path)  # warm caches (content, templates) as a running server has them
            with CaptureQueriesContext(connection) as request_queries:
                response = client.get(path)
            if response.status_code not in (200, 302):
                raise captures.ReadsRefused(f"the page answered {response.status_code}")
            statements = captures.page_reads(
                [q["sql"] for q in request_queries.captured_queries],
                sign_in_tables=(UserSession._meta.db_table,),
            )
        except Exception as exc:  # noqa: BLE001 - a page without its reads is still measured
            why = f"{type(exc).__name__}: {exc}"
            found[key] = {"state": "error", "page_path": path, "why": why}
            continue
        captures.save_reads(captures.FLOOR_DIR, key, path, statements)
        found[key] = {
            "state": "ok",
            "page_path": path,
            "statements": len(statements),
            "request_statements": len(request_queries),
        }
    return found


# Where a profiled request spends its own time, by the code that runs.
PROFILE_GROUPS = [
    ("templates", ("django/template", "django/templatetags", "django/forms")),
    ("ORM and database driver", ("django/db", "psycopg")),
    ("product code", (str(ROOT / "workbook"), str(ROOT / "strategy"), str(ROOT / "bench"))),
    (
        "request handling",
        ("django/core", "django/middleware", "django/contrib", "django/http", "django/utils"),
    ),
    ("Python built-ins and standard library", ("",)),
]


def _saves(client: Client, page: Page, path: str, section: str):
    """One landed save per call, as the load sends them (bench/save.lua): the form as the page
    rendered it, urlencoded, with one answer changed and the version carried forward."""
    form = find_form(client.get(page.form_from.format(slug=FULL_SLUG, section=section)).text)
    body = save_body(form)
    version = int(dict(form.fields)[version_field(form)])
    count = 0

    def save() -> None:
        nonlocal version, count
        count += 1
        filled = body.filled(version, count)
        response = client.post(path, filled, content_type="application/x-www-form-urlencoded")
        if response.status_code != 302:
            raise RuntimeError(f"a profiled save answered {response.status_code}, not a redirect")
        version += 1

    save()  # warm caches (templates, content) as a running server has them
    return save


def profile(key: str, section: str, repeat: int) -> dict:
    """cProfile of `repeat` requests to one page, with time per group of code."""
    page = next(p for p in PAGES if p.key == key)
    user = {
        "anonymous": None,
        "admin": get_user_model().objects.filter(username=ADMIN).first(),
        "editor": get_user_model().objects.get(username=f"{FULL_SLUG}-editor"),
    }[page.user]
    client = _client(user)
    path = page.path.format(slug=FULL_SLUG, section=section)
    if page.method == "POST":
        request = _saves(client, page, path, section)
    else:
        client.get(path)  # warm caches (templates, content) as a running server has them
        request = partial(client.get, path)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(repeat):
        request()
    profiler.disable()
    elapsed = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    groups = dict.fromkeys((g for g, _ in PROFILE_GROUPS), 0.0)
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():
        for group, prefixes in PROFILE_GROUPS:
            if any(p in filename for p in prefixes):
                groups[group] += tottime
                break
    total = sum(groups.values()) or 1.0
    out = io.StringIO()
    stats.stream = out
    # The product's own functions by cumulative time (where the view spends it), then the
    # functions with the most own time anywhere.
    stats.sort_stats("cumulative").print_stats(r"/(workbook|strategy)/", 12)
    stats.sort_stats("tottime").print_stats(15)
    return {
        "key": key,
        "path": path,
        "repeat": repeat,
        "ms_per_request": 1000 * elapsed / repeat,
        "groups": {g: round(100 * t / total, 1) for g, t in groups.items()},
        # No machine paths in the report: the project, the venv and the interpreter's prefix.
        "top": out.getvalue()
        .replace(str(ROOT) + "/", "")
        .replace(sys.prefix + "/", "")
        .replace(sys.base_prefix + "/", ""),
    }


def answers(slug: str, section: str) -> dict:
    rows = Answer.objects.filter(
        jurisdiction__slug=slug, question__section__slug=section, use_case__isnull=True
    ).select_related("question")
    return {a.question.slug: a.value for a in rows}


def tasks() -> dict:
    """Task results by status, if background tasks run on the database backend."""
    from django.conf import settings

    backend = getattr(settings, "TASKS", {}).get("default", {}).get("BACKEND", "")
    if "django_tasks_db" not in backend:
        return {"configured": False, "backend": backend or "Django's default"}
    from django_tasks_db.models import DBTaskResult

    counts = DBTaskResult.objects.values_list("status").annotate(n=Count("id"))
    return {"configured": True, "counts": dict(counts)}


def forget_prerenders() -> dict:
    """Drop the pre-renders an earlier run queued, so none comes due during this one, and their
    marks, so that this run's first change of each workbook queues its own."""
    from django_tasks_db.models import DBTaskResult

    from strategy.exports.prerender import prerender_documents
    from strategy.models import WorkbookChange

    queued = DBTaskResult.objects.filter(task_path=prerender_documents.module_path, status="READY")
    WorkbookChange.objects.update(render_due_at=None)
    return {"forgotten": queued.delete()[0]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step")
    parser.add_argument("--password", default="")
    parser.add_argument("--section", default="")
    parser.add_argument("--slugs", default="")
    parser.add_argument("--key", default="")
    parser.add_argument("--keys", default="")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    match args.step:
        case "prepare":
            result = prepare(args.password)
        case "versions":
            result = versions(args.slugs.split(","), args.section)
        case "queries":
            result = queries(args.section)
        case "admin-queries":
            result = admin_queries()
        case "reads":
            result = reads(args.keys.split(","), args.section)
        case "profile":
            result = profile(args.key, args.section, args.repeat)
        case "answers":
            result = answers(args.slugs, args.section)
        case "tasks":
            result = tasks()
        case "forget-prerenders":
            result = forget_prerenders()
        case _:
            parser.error(f"unknown step {args.step}")
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
