"""Approval records of register entries, and the stage changes they gate."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from strategy.answers import load_answers, load_use_cases
from strategy.models import UseCaseApproval
from strategy.register.actions import record_approval, save_entry
from strategy.register.entries import go_live_blockers, register_entries
from workbook.answers.actions import save_screening
from workbook.models import Answer, AuditEvent, Jurisdiction, Membership, UseCase
from workbook.security.access import JurisdictionAccess

pytestmark = pytest.mark.django_db

GUNSHOT = "Acoustic gunshot detection"  # Alder Falls: proposed, tier IV, the Town Council's


def use(slug: str, name: str) -> UseCase:
    return UseCase.objects.get(jurisdiction__slug=slug, name=name)


def edit(client, use_case: UseCase, **changes):
    fields = {
        "name": use_case.name,
        "department": use_case.department,
        "tool": use_case.tool,
        "ai_type": use_case.ai_type,
        "stage": use_case.stage,
        "purpose": use_case.purpose,
        "outputs": use_case.outputs,
        "data_used": use_case.data_used,
        "owner": use_case.owner,
    }
    return client.post(
        f"/j/{use_case.jurisdiction.slug}/use-cases/{use_case.pk}/edit/", fields | changes
    )


def decision(**changes) -> dict:
    return {
        "approver": "Town Council",
        "decision": "approved",
        "decided_on": "2026-11-20",
        "next_review": "2027-11-20",
        "conditions": "",
        "exception": "",
    } | changes


def access_of(username: str, demo) -> JurisdictionAccess:
    return JurisdictionAccess.of_member(Membership.objects.get(user=demo[username]))


def test_a_use_cannot_go_live_without_an_approval_at_its_tier(client, demo):
    gunshot = use("alderfalls", GUNSHOT)
    client.force_login(demo["alderfalls-editor"])

    response = edit(client, gunshot, stage="pilot")

    assert response.status_code == 200
    page = response.content.decode()
    assert "It cannot move to this stage yet" in page
    assert "no approval at tier IV from Town Council" in page
    gunshot.refresh_from_db()
    assert gunshot.stage == UseCase.Stage.PROPOSED


def test_a_new_use_cannot_start_live(client, demo):
    client.force_login(demo["alderfalls-editor"])
    before = UseCase.objects.count()
    response = client.post(
        "/j/alderfalls/use-cases/new/",
        {"name": "Leaf pickup routing", "ai_type": "predictive", "stage": "deployed"},
    )
    assert response.status_code == 200
    assert "It cannot move to this stage yet" in response.content.decode()
    assert UseCase.objects.count() == before


def test_the_tiers_approver_approves_and_then_the_use_may_go_live(client, demo):
    gunshot = use("alderfalls", GUNSHOT)
    client.force_login(demo["alderfalls-manager"])
    page = client.get(f"/j/alderfalls/use-cases/{gunshot.pk}/").content.decode()
    assert 'value="Town Council"' in page  # the tier's approver, from the governance answers

    response = client.post(
        f"/j/alderfalls/use-cases/{gunshot.pk}/",
        decision(decision="approved-with-conditions", conditions="Only after a public hearing."),
    )

    assert response.status_code == 302
    approval = UseCaseApproval.objects.get(use_case=gunshot)
    assert (approval.tier, approval.approver, approval.decided_on) == (
        "IV",
        "Town Council",
        datetime.date(2026, 11, 20),
    )
    assert approval.recorded_by == demo["alderfalls-manager"]
    assert AuditEvent.objects.filter(kind="use_case_decided", detail__use_case=gunshot.pk)
    page = client.get(f"/j/alderfalls/use-cases/{gunshot.pk}/").content.decode()
    assert "Approved with conditions" in page and "November 20, 2026" in page

    assert edit(client, gunshot, stage="pilot").status_code == 302
    gunshot.refresh_from_db()
    assert gunshot.stage == UseCase.Stage.PILOT


def test_someone_who_is_not_the_tiers_approver_is_refused(client, demo):
    gunshot = use("alderfalls", GUNSHOT)
    client.force_login(demo["alderfalls-manager"])
    response = client.post(
        f"/j/alderfalls/use-cases/{gunshot.pk}/", decision(approver="Town Manager")
    )
    assert response.status_code == 200
    assert "Tier IV uses are approved by Town Council, not by Town Manager." in (
        response.content.decode()
    )
    assert not UseCaseApproval.objects.filter(use_case=gunshot).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"decision": "approved-with-conditions"}, "conditions", "Write the conditions"),
        ({"next_review": "2026-11-01"}, "next_review", "must come after the decision"),
        ({"decided_on": "2027-06-01", "next_review": ""}, "decided_on", "cannot be in the future"),
        ({"exception": "No review needed."}, "exception", "only for a high-impact use"),
    ],
)
def test_a_decision_that_does_not_fit_is_refused(demo, changes, field, message):
    gunshot = use("alderfalls", GUNSHOT)
    fields = decision(**changes)
    for key in ("decided_on", "next_review"):
        fields[key] = datetime.date.fromisoformat(fields[key]) if fields[key] else None
    with pytest.raises(ValidationError) as refused:
        record_approval(
            access=access_of("alderfalls-manager", demo), use_case=gunshot, fields=fields
        )
    assert message in " ".join(refused.value.message_dict[field])
    assert not UseCaseApproval.objects.filter(use_case=gunshot).exists()


def test_editors_cannot_approve_and_an_unscreened_use_cannot_be_approved(client, demo):
    gunshot = use("alderfalls", GUNSHOT)
    client.force_login(demo["alderfalls-editor"])
    assert client.post(f"/j/alderfalls/use-cases/{gunshot.pk}/", decision()).status_code == 403

    chatbots = use("riverton", "Free chatbots on personal accounts")  # never screened
    with pytest.raises(ValidationError, match="finish its risk screening"):
        record_approval(
            access=access_of("riverton-manager", demo),
            use_case=chatbots,
            fields={"approver": "City Manager", "decision": "approved"},
        )
    assert not UseCaseApproval.objects.exists() or not chatbots.approvals.exists()


def test_another_jurisdictions_entry_cannot_be_approved(client, demo):
    gunshot = use("alderfalls", GUNSHOT)
    client.force_login(demo["riverton-manager"])
    assert client.get(f"/j/riverton/use-cases/{gunshot.pk}/").status_code == 404
    assert client.post(f"/j/riverton/use-cases/{gunshot.pk}/", decision()).status_code == 404
    assert client.post(f"/j/alderfalls/use-cases/{gunshot.pk}/", decision()).status_code == 404
    with pytest.raises(PermissionDenied):
        record_approval(
            access=access_of("riverton-manager", demo), use_case=gunshot, fields=decision()
        )
    assert not UseCaseApproval.objects.filter(use_case=gunshot).exists()


def test_a_high_impact_use_that_decides_alone_needs_an_exception_process_and_its_exception(demo):
    alder_falls = Jurisdiction.objects.get(slug="alderfalls")
    gunshot = use("alderfalls", GUNSHOT)
    editor, manager = access_of("alderfalls-editor", demo), access_of("alderfalls-manager", demo)
    screening = dict(Answer.objects.filter(use_case=gunshot).values_list("question__slug", "value"))
    save_screening(
        access=editor,
        use_case=gunshot,
        values=screening | {"risk-high-impact": True, "risk-ai-role": "automated-decision"},
        expected_version=gunshot.version,
    )

    def blockers() -> list[str]:
        answers = load_answers(alder_falls)
        entry = next(
            e
            for e in register_entries(answers, load_use_cases(alder_falls))
            if e.use_case.pk == gunshot.pk
        )
        return go_live_blockers(entry, answers)

    fields = decision(decided_on=datetime.date(2026, 11, 20), next_review=None)
    record_approval(access=manager, use_case=gunshot, fields=fields)
    (reason,) = blockers()
    assert "records no exception to human review" in reason
    with pytest.raises(ValidationError, match="no exception to human review"):
        save_entry(access=editor, use_case=gunshot, fields={"stage": "pilot"})

    record_approval(
        access=manager,
        use_case=gunshot,
        fields=fields | {"exception": "Alerts only dispatch a patrol; reviewed every month."},
    )
    assert blockers() == []

    # Without an exception process in the use rules, no recorded exception is enough.
    Answer.objects.filter(jurisdiction=alder_falls, question__slug="rules-exceptions").delete()
    (reason,) = blockers()
    assert "the use rules name none" in reason
    gunshot.refresh_from_db()
    assert gunshot.stage == UseCase.Stage.PROPOSED


def test_riverton_flags_its_legacy_uses_and_alder_falls_has_every_live_use_approved(demo):
    for slug, unapproved in (
        ("riverton", {"Drafting council meeting minutes", '"Ask Riverton" 311 web assistant'}),
        ("alderfalls", set()),
    ):
        jurisdiction = Jurisdiction.objects.get(slug=slug)
        answers = load_answers(jurisdiction)
        entries = register_entries(answers, load_use_cases(jurisdiction))
        flagged = {
            e.use_case.name
            for e in entries
            if e.in_use and e.risk.complete and go_live_blockers(e, answers)
        }
        assert flagged == unapproved


def test_the_entry_page_costs_the_same_with_one_or_many_decisions(
    client, demo, django_assert_num_queries
):
    pothole = use("alderfalls", "Pothole detection")  # one decision from the seed
    client.force_login(demo["alderfalls-manager"])
    url = f"/j/alderfalls/use-cases/{pothole.pk}/"
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for day in range(1, 11):
        UseCaseApproval.objects.create(
            use_case=pothole,
            tier="II",
            approver="AI committee",
            decision="approved",
            decided_on=datetime.date(2026, 10, day),
        )
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("AI committee</td>") == 11
