"""Where the audit log files an event, and how it counts repeats instead of writing them again."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.team_fixtures import first_section, make_facilitator
from workbook.answers.actions import save_section
from workbook.audit.record import record
from workbook.models import AuditEvent, AuditKind
from workbook.security.access import JurisdictionAccess

pytestmark = pytest.mark.django_db

AUDIT_LIST = "admin:workbook_auditevent_changelist"


def refusals():
    return AuditEvent.objects.filter(kind=AuditKind.PERMISSION_DENIED)


def listed_for(client, facilitator) -> tuple[list[AuditEvent], str]:
    client.force_login(facilitator)
    response = client.get(reverse(AUDIT_LIST))
    assert response.status_code == 200
    return list(response.context["cl"].result_list), response.content.decode()


def test_an_outsiders_refusal_is_not_filed_under_the_jurisdiction_they_asked_for(
    client, alpha, beta, facilitator
):
    client.force_login(beta.editor)
    assert client.get(reverse("workbook:overview", args=["alpha"])).status_code == 404
    event = refusals().get()
    assert (event.user, event.jurisdiction) == (beta.editor, None)
    assert event.detail == {"action": "open_jurisdiction", "slug": "alpha"}

    rows, page = listed_for(client, facilitator)
    assert event not in rows
    assert beta.editor.username not in page


def test_an_outsiders_refused_action_keeps_only_the_slug(alpha, beta, facilitator, workbook):
    with pytest.raises(PermissionDenied):
        save_section(
            access=JurisdictionAccess.of(beta.manager, alpha.jurisdiction),
            section=first_section(workbook),
            values={},
            expected_version=0,
        )
    event = refusals().get()
    assert event.jurisdiction is None
    assert event.detail == {"action": "edit_answers", "slug": "alpha"}


def test_a_members_refusal_stays_with_their_jurisdiction_for_its_facilitator(
    client, alpha, facilitator, workbook
):
    with pytest.raises(PermissionDenied):
        save_section(
            access=JurisdictionAccess.of(alpha.viewer, alpha.jurisdiction),
            section=first_section(workbook),
            values={},
            expected_version=0,
        )
    event = refusals().get()
    assert event.jurisdiction == alpha.jurisdiction
    rows, page = listed_for(client, facilitator)
    assert event in rows
    assert alpha.viewer.username in page


def test_thirty_requests_for_an_unknown_jurisdiction_make_one_row(client, alpha):
    client.force_login(alpha.editor)
    for _ in range(30):
        assert client.get("/j/no-such-town/").status_code == 404
    event = refusals().get()
    assert event.count == 30
    assert event.detail == {"action": "open_jurisdiction", "slug": "no-such-town"}
    assert event.last_at >= event.created_at


def test_different_events_or_targets_make_their_own_rows(client, alpha, beta):
    client.force_login(alpha.editor)
    client.get("/j/no-such-town/")
    client.get("/j/beta/")
    client.get("/j/no-such-town/")
    record(AuditKind.ANSWERS_EXPORTED, user=alpha.editor, jurisdiction=alpha.jurisdiction)
    assert sorted(refusals().values_list("detail__slug", "count")) == [
        ("beta", 1),
        ("no-such-town", 2),
    ]
    assert AuditEvent.objects.filter(kind=AuditKind.ANSWERS_EXPORTED, count=1).count() == 1


def test_a_repeat_after_a_minute_starts_a_new_row(alpha):
    record(AuditKind.ANSWERS_EXPORTED, user=alpha.manager, jurisdiction=alpha.jurisdiction)
    first = AuditEvent.objects.get()
    AuditEvent.objects.filter(pk=first.pk).update(
        created_at=first.created_at - timedelta(seconds=61)
    )
    record(AuditKind.ANSWERS_EXPORTED, user=alpha.manager, jurisdiction=alpha.jurisdiction)
    assert list(AuditEvent.objects.values_list("count", flat=True)) == [1, 1]


def test_another_user_is_another_row(alpha):
    for user in (alpha.editor, alpha.viewer, alpha.editor):
        record(AuditKind.PERMISSION_DENIED, user=user, jurisdiction=alpha.jurisdiction)
    assert sorted(refusals().values_list("username", "count")) == [
        ("alpha-editor", 2),
        ("alpha-viewer", 1),
    ]


@pytest.mark.parametrize("area", ["readiness", "use-cases", "documents", "action-plan"])
def test_a_facilitators_reading_is_not_recorded_as_a_refusal(client, alpha, facilitator, area):
    client.force_login(facilitator)
    assert client.get(f"/j/alpha/{area}/").status_code == 200
    assert not refusals().exists()


def test_a_facilitator_is_still_refused_another_jurisdiction(client, alpha, beta, facilitator):
    client.force_login(facilitator)
    assert client.get("/j/beta/readiness/").status_code == 404
    event = refusals().get()
    assert (event.user, event.jurisdiction) == (facilitator, None)


def test_the_admin_list_shows_how_often_an_event_repeated(client, alpha, facilitator):
    for _ in range(3):
        record(AuditKind.PERMISSION_DENIED, user=alpha.viewer, jurisdiction=alpha.jurisdiction)
    client.force_login(facilitator)
    response = client.get(reverse(AUDIT_LIST))
    assert "count" in response.context["cl"].list_display
    assert '<td class="field-count">3</td>' in response.content.decode()


def test_superusers_see_refusals_filed_under_no_jurisdiction(client, alpha, beta):
    boss = make_facilitator("boss")
    boss.is_superuser = True
    boss.save()
    client.force_login(beta.editor)
    client.get("/j/alpha/")
    rows, _page = listed_for(client, boss)
    assert [event.username for event in rows if event.kind == AuditKind.PERMISSION_DENIED] == [
        beta.editor.username
    ]
