"""The register in the facilitators' admin: entries with their approvals and evidence, read-only,
for the jurisdictions each facilitator coaches only."""

import datetime

import pytest
from django.utils.html import escape

from strategy.models import ObligationEvidence, UseCaseApproval
from workbook.models import UseCase

pytestmark = pytest.mark.django_db


def plant(slug: str, mark: str) -> UseCase:
    """An approval and evidence, each carrying `mark`, on one of the jurisdiction's entries."""
    use_case = UseCase.objects.filter(jurisdiction__slug=slug).order_by("name").first()
    assert use_case is not None
    UseCaseApproval.objects.create(
        use_case=use_case,
        tier="II",
        approver=f"{mark} approver",
        decision="approved-with-conditions",
        decided_on=datetime.date(2026, 11, 2),
        conditions=f"{mark} conditions",
    )
    ObligationEvidence.objects.create(
        use_case=use_case,
        obligation="monitoring",
        tier="II",
        status="not-met",
        note=f"{mark} evidence note",
        evidenced_on=datetime.date(2026, 11, 2),
    )
    return use_case


def test_a_facilitator_reads_their_jurisdictions_entries_with_approvals_and_evidence(client, demo):
    riverton = plant("riverton", "RIVERTON-MARK")
    alder = plant("alderfalls", "ALDER-MARK")
    client.force_login(demo["facilitator"])  # coaches Riverton only

    page = client.get(f"/admin/workbook/usecase/{riverton.pk}/change/").content.decode()
    assert "RIVERTON-MARK conditions" in page and "RIVERTON-MARK evidence note" in page
    assert client.get(f"/admin/workbook/usecase/{alder.pk}/change/").status_code == 404

    for path in ("/admin/strategy/usecaseapproval/", "/admin/strategy/obligationevidence/"):
        response = client.get(path)
        assert response.status_code == 200, path
        listing = response.content.decode()
        assert escape(riverton.name) in listing and escape(alder.name) not in listing, path
    alder_evidence = ObligationEvidence.objects.get(note="ALDER-MARK evidence note")
    assert (
        client.get(f"/admin/strategy/obligationevidence/{alder_evidence.pk}/change/").status_code
        == 404
    )


def test_the_admin_never_changes_approvals_or_evidence(client, demo):
    riverton = plant("riverton", "RIVERTON-MARK")
    evidence = ObligationEvidence.objects.get(use_case=riverton)
    client.force_login(demo["facilitator"])
    page = client.get(f"/admin/strategy/obligationevidence/{evidence.pk}/change/").content.decode()
    assert 'name="note"' not in page and 'name="_save"' not in page
    assert client.get("/admin/strategy/obligationevidence/add/").status_code == 403
    response = client.post(
        f"/admin/strategy/obligationevidence/{evidence.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert ObligationEvidence.objects.filter(pk=evidence.pk).exists()
