"""The public AI register: publishing, what residents read, and what they never read."""

import csv
import io
import json
import time

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection

from strategy.models import ObligationEvidence, PublishedRegister, UseCaseApproval
from strategy.public.actions import publish_register, unpublish_register
from strategy.public.register import FIELD_NAMES, PUBLIC_FIELDS
from workbook.models import (
    Answer,
    AuditEvent,
    Comment,
    Jurisdiction,
    Membership,
    Section,
    UseCase,
)
from workbook.security.access import JurisdictionAccess

pytestmark = pytest.mark.django_db

SECRET = "PRIVATE-VALUE-7f3a"
LIVE = ("pilot", "deployed")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def access_of(user) -> JurisdictionAccess:
    return JurisdictionAccess.of_member(Membership.objects.get(user=user))


def public_bodies(client, slug: str) -> dict[str, str]:
    """Every public page of the register, signed out: the list, each entry, CSV and JSON."""
    client.logout()
    pages = {
        path: client.get(path)
        for path in (
            f"/public/{slug}/ai/",
            f"/public/{slug}/ai/register.csv",
            f"/public/{slug}/ai/register.json",
            f"/public/{slug}/ai/summary/",
        )
    }
    for pk in UseCase.objects.filter(jurisdiction__slug=slug).values_list("pk", flat=True):
        pages[f"/public/{slug}/ai/{pk}/"] = client.get(f"/public/{slug}/ai/{pk}/")
    return {path: r.content.decode() for path, r in pages.items() if r.status_code == 200}


def test_alder_falls_is_published_and_riverton_is_not(client, demo):
    assert PublishedRegister.objects.filter(jurisdiction__slug="alderfalls").exists()
    assert client.get("/public/alderfalls/ai/").status_code == 200
    assert client.get("/public/riverton/ai/").status_code == 404
    assert client.get("/public/riverton/ai/register.json").status_code == 404
    assert client.get("/public/no-such-town/ai/").status_code == 404


def test_the_resident_summary_sits_next_to_the_published_register(client, demo):
    register = client.get("/public/alderfalls/ai/").content.decode()
    assert 'href="/public/alderfalls/ai/summary/"' in register
    summary = client.get("/public/alderfalls/ai/summary/").content.decode()
    assert "Town of Alder Falls" in summary and "What we will not do" in summary
    # It points back to the register it summarizes, by its full address.
    assert "/public/alderfalls/ai/" in summary.split("What we will not do", 1)[1]
    assert client.get("/public/riverton/ai/summary/").status_code == 404


def test_residents_read_entries_in_pilot_or_regular_use_only(client, demo):
    page = client.get("/public/alderfalls/ai/").content.decode()
    uses = UseCase.objects.filter(jurisdiction__slug="alderfalls")
    for use in uses:
        assert (use.name in page) == (use.stage in LIVE), use.name
    assert "Call 311 or email" in page  # where to ask or appeal
    hidden = uses.exclude(stage__in=LIVE).first()
    assert client.get(f"/public/alderfalls/ai/{hidden.pk}/").status_code == 404

    live = uses.filter(stage="pilot").order_by("name").first()
    entry = client.get(f"/public/alderfalls/ai/{live.pk}/").content.decode()
    for text in (live.purpose, live.department, live.data_used, live.owner, "What the tier means"):
        assert text in entry
    assert live.in_use_since.strftime("%B %-d, %Y") in entry


def test_downloads_have_the_documented_fields(client, demo):
    rows = list(
        csv.reader(io.StringIO(client.get("/public/alderfalls/ai/register.csv").content.decode()))
    )
    assert tuple(rows[0]) == FIELD_NAMES
    body = json.loads(client.get("/public/alderfalls/ai/register.json").content)
    assert body["fields"] == list(FIELD_NAMES)
    live = UseCase.objects.filter(jurisdiction__slug="alderfalls", stage__in=LIVE).count()
    assert len(rows) - 1 == len(body["entries"]) == live
    first = body["entries"][0]
    assert set(first) == set(FIELD_NAMES)
    assert first["risk_tier"].startswith(("I ", "II ", "III ", "IV "))
    # Every field is documented under its stable name.
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[1] / "docs" / "public-register.md").read_text()
    for field in PUBLIC_FIELDS:
        assert f"`{field.name}`" in docs


def test_no_private_value_reaches_the_public_pages(client, demo):
    """A private value in every field a resident must not read: the entries' internal notes and
    screening answers, approvals, obligation evidence, comments, and every user's name and
    email."""
    alder = Jurisdiction.objects.get(slug="alderfalls")
    uses = list(UseCase.objects.filter(jurisdiction=alder))
    planted = 0
    public = {
        "name",
        "department",
        "tool",
        "ai_type",
        "stage",
        "purpose",
        "outputs",
        "resident_facing",
        "data_used",
        "owner",
        "in_use_since",
    }
    for use in uses:
        for field in UseCase._meta.concrete_fields:
            if field.name not in public and field.get_internal_type() in ("TextField", "CharField"):
                setattr(use, field.name, f"{SECRET}-{field.name}")
        use.save()
        # Screening answers: every one that can hold text holds the secret (the others are
        # choices, and the tier the choices lead to is public).
        for answer in Answer.objects.filter(use_case=use).select_related("question"):
            if answer.question.field_type in ("short_text", "long_text"):
                answer.value = f"{SECRET}-{answer.question.slug}"
            elif isinstance(answer.value, dict) and "selected" in answer.value:
                answer.value = answer.value | {"other": SECRET}
            else:
                continue
            answer.save()
            planted += 1
        UseCaseApproval.objects.create(
            use_case=use,
            tier="I",
            approver=f"{SECRET}-approver",
            decision="approved-with-conditions",
            decided_on="2026-11-01",
            conditions=f"{SECRET}-conditions",
            exception=f"{SECRET}-exception",
        )
        ObligationEvidence.objects.create(
            use_case=use,
            obligation=f"{SECRET}-obligation",
            tier=SECRET,
            status="not-met",
            note=f"{SECRET}-evidence-note",
            evidenced_on="2026-11-01",
            recorded_by=demo["alderfalls-editor"],
        )
    screening = Section.objects.get(slug="risk-screening")
    Comment.objects.create(
        jurisdiction=alder,
        section=screening,
        body=f"{SECRET}-comment",
        author=demo["alderfalls-manager"],
    )
    for user in demo.values():
        user.email = f"{SECRET}-{user.pk}@example.org"
        user.first_name = f"{SECRET}-first"
        user.last_name = f"{SECRET}-last"
        user.save()

    assert planted >= 2 * len(uses)
    bodies = public_bodies(client, "alderfalls")
    assert len(bodies) >= 3 + sum(u.stage in LIVE for u in uses)
    for path, body in bodies.items():
        assert SECRET not in body, path
        assert "alderfalls-manager" not in body, path


def test_publish_and_unpublish_are_a_managers_and_audited(client, demo):
    riverton = Jurisdiction.objects.get(slug="riverton")
    for role in ("editor", "viewer"):
        with pytest.raises(PermissionDenied):
            publish_register(access=access_of(demo[f"riverton-{role}"]))
    client.force_login(demo["riverton-editor"])
    assert client.post("/j/riverton/use-cases/publish/", {"publish": "publish"}).status_code == 403
    assert not PublishedRegister.objects.filter(jurisdiction=riverton).exists()

    # Another jurisdiction's manager cannot publish or unpublish here: 404, nothing changes.
    client.force_login(demo["alderfalls-manager"])
    assert client.post("/j/riverton/use-cases/publish/", {"publish": "publish"}).status_code == 404
    assert not PublishedRegister.objects.filter(jurisdiction=riverton).exists()

    client.force_login(demo["riverton-manager"])
    response = client.post("/j/riverton/use-cases/publish/", {"publish": "publish"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(kind="register_published", jurisdiction=riverton).count() == 1
    client.logout()
    assert client.get("/public/riverton/ai/").status_code == 200

    client.force_login(demo["riverton-manager"])
    client.post("/j/riverton/use-cases/publish/", {"publish": "unpublish"})
    assert (
        AuditEvent.objects.filter(kind="register_unpublished", jurisdiction=riverton).count() == 1
    )
    client.logout()
    assert client.get("/public/riverton/ai/").status_code == 404
    assert not unpublish_register(access=access_of(demo["riverton-manager"]))
    # Publishing is one row: the Alder Falls manager's register is untouched throughout.
    assert PublishedRegister.objects.filter(jurisdiction__slug="alderfalls").exists()


def test_a_change_shows_at_once_despite_the_cache(client, demo):
    use = UseCase.objects.filter(jurisdiction__slug="alderfalls", stage="pilot").first()
    assert use.name in client.get("/public/alderfalls/ai/").content.decode()
    use.purpose = "A brand new description of what it does"
    use.save()
    assert use.purpose in client.get("/public/alderfalls/ai/").content.decode()
    use.delete()
    assert use.name not in client.get("/public/alderfalls/ai/").content.decode()


def test_conditional_get_answers_not_modified(client, demo):
    first = client.get("/public/alderfalls/ai/register.json")
    again = client.get("/public/alderfalls/ai/register.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert "public" in first["Cache-Control"]
    # Signed in, the page names its user: never stored, never answered from a browser's copy.
    client.force_login(demo["riverton-viewer"])
    mine = client.get("/public/alderfalls/ai/register.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert mine.status_code == 200
    assert "no-store" in mine["Cache-Control"]


def test_the_public_page_costs_the_same_whatever_the_number_of_entries(client, demo):
    alder = Jurisdiction.objects.get(slug="alderfalls")
    template = UseCase.objects.filter(jurisdiction=alder, stage="pilot").first()
    screening = {a.question_id: a.value for a in Answer.objects.filter(use_case=template)}

    def add(n: int) -> None:
        for i in range(n):
            copy = UseCase.objects.create(
                jurisdiction=alder,
                name=f"Copy {i} {time.time_ns()}",
                stage="pilot",
                purpose="A copy",
            )
            Answer.objects.bulk_create(
                Answer(jurisdiction=alder, use_case=copy, question_id=q, value=v)
                for q, v in screening.items()
            )

    def queries_of(path: str) -> int:
        # Counted at the cursor: the request's start resets Django's query log.
        seen = []

        def count(execute, sql, params, many, context):
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            assert client.get(path).status_code == 200
        return len(seen)

    def cost() -> tuple[int, int]:
        cache.clear()
        return queries_of("/public/alderfalls/ai/"), queries_of("/public/alderfalls/ai/")

    before = cost()
    add(10)
    assert cost() == before
    assert before[1] == 3  # cached: the jurisdiction and the fingerprint's two counts
    assert before[0] > before[1]


def test_the_documents_give_the_address_only_while_published(demo):
    from strategy.documents.build import document_inputs
    from strategy.documents.compose import compose

    def text(slug: str, kind: str) -> str:
        document = compose(kind, document_inputs(Jurisdiction.objects.get(slug=slug)))
        return repr(document)

    for kind in ("strategy", "sop"):
        assert "/public/alderfalls/ai/" in text("alderfalls", kind), kind
        assert "/public/riverton/ai/" not in text("riverton", kind), kind


def test_the_csv_never_starts_a_formula(client, demo):
    use = UseCase.objects.filter(jurisdiction__slug="alderfalls", stage="pilot").first()
    use.purpose = '=HYPERLINK("http://evil.example")'
    use.save()
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/public/alderfalls/ai/register.csv").content.decode())
        )
    )
    row = next(r for r in rows if r["id"] == str(use.pk))
    assert row["what_it_does"] == "'" + use.purpose
