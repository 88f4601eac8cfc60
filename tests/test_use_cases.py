"""The use-case register, its screening, the readiness page's suggestions and the action plan."""

import csv
import io

import pytest

from strategy.answers import load_answers
from tests.test_documents import add_use_cases
from workbook.models import Answer, Jurisdiction, UseCase

pytestmark = pytest.mark.django_db

LOW_RISK = {
    "risk-ai-role": "drafting-aid",
    "risk-high-impact": "false",
    "risk-reversibility": "reversible",
    "risk-duration": "brief",
    "risk-severity-rights": "little",
    "risk-severity-health": "little",
    "risk-severity-finances": "little",
    "risk-severity-environment": "little",
    "risk-data-class": "public",
    "risk-vulnerable-groups": "false",
    "risk-explainability": "1",
    "risk-learns-in-production": "false",
    "risk-public-scrutiny": "false",
}


def create_use_case(client, name="Permit completeness check") -> UseCase:
    response = client.post(
        "/j/riverton/use-cases/new/",
        {"name": name, "department": "Planning", "ai_type": "language", "stage": "proposed"},
    )
    use_case = UseCase.objects.get(name=name)
    assert response.url == f"/j/riverton/use-cases/{use_case.pk}/screening/"
    return use_case


def test_editor_adds_and_screens_a_use_case(client, demo):
    client.force_login(demo["riverton-editor"])
    use_case = create_use_case(client)
    page = client.get(f"/j/riverton/use-cases/{use_case.pk}/screening/")
    assert b"<fieldset" in page.content and b"<legend" in page.content

    response = client.post(
        f"/j/riverton/use-cases/{use_case.pk}/screening/", {**LOW_RISK, "version": "0"}
    )
    assert response.status_code == 302
    stored = dict(Answer.objects.filter(use_case=use_case).values_list("question__slug", "value"))
    assert stored["risk-high-impact"] is False and stored["risk-explainability"] == 1
    listing = client.get("/j/riverton/use-cases/").content.decode()
    assert "Permit completeness check" in listing
    assert "Tier I – Low" in listing and "Department head" in listing

    # High impact: at least tier III, approved by the City Manager.
    client.post(
        f"/j/riverton/use-cases/{use_case.pk}/screening/",
        {**LOW_RISK, "risk-high-impact": "true", "version": "1"},
    )
    listing = client.get("/j/riverton/use-cases/").content.decode()
    assert "Tier III – High" in listing and "City Manager" in listing

    # On the red list: prohibited, nobody approves it.
    client.post(
        f"/j/riverton/use-cases/{use_case.pk}/screening/",
        {**LOW_RISK, "risk-prohibited": ["emotion-recognition"], "version": "2"},
    )
    listing = client.get("/j/riverton/use-cases/").content.decode()
    assert "Prohibited" in listing and "Not allowed" in listing


def test_stale_screening_is_not_saved(client, demo):
    client.force_login(demo["riverton-editor"])
    use_case = create_use_case(client)
    client.post(f"/j/riverton/use-cases/{use_case.pk}/screening/", {**LOW_RISK, "version": "0"})
    response = client.post(
        f"/j/riverton/use-cases/{use_case.pk}/screening/",
        {**LOW_RISK, "risk-ai-role": "automated-decision", "version": "0"},
    )
    assert response.status_code == 200
    assert b"Someone else changed an answer you changed" in response.content
    assert (
        Answer.objects.get(use_case=use_case, question__slug="risk-ai-role").value == "drafting-aid"
    )


def test_viewers_read_but_do_not_change_the_register(client, demo):
    client.force_login(demo["riverton-editor"])
    use_case = create_use_case(client)
    client.force_login(demo["riverton-viewer"])
    assert client.get("/j/riverton/use-cases/").status_code == 200
    assert client.get("/j/riverton/use-cases/new/").status_code == 403
    assert client.get(f"/j/riverton/use-cases/{use_case.pk}/screening/").status_code == 403


def test_other_jurisdictions_cannot_reach_a_use_case(client, demo):
    client.force_login(demo["riverton-editor"])
    use_case = create_use_case(client)
    client.force_login(demo["lakeside-manager"])
    for path in (
        f"/j/riverton/use-cases/{use_case.pk}/edit/",
        f"/j/riverton/use-cases/{use_case.pk}/screening/",
        f"/j/lakeside/use-cases/{use_case.pk}/edit/",
        f"/j/lakeside/use-cases/{use_case.pk}/screening/",
    ):
        assert client.get(path).status_code == 404, path
        assert client.post(path, {**LOW_RISK, "version": "0"}).status_code == 404, path
    assert not Answer.objects.filter(use_case=use_case).exists()


def test_readiness_page_and_suggested_actions(client, demo):
    client.force_login(demo["riverton-editor"])
    page = client.get("/j/riverton/readiness/").content.decode()
    assert '<svg role="img"' in page and "Readiness by dimension" in page
    assert "Add to action plan" in page
    jurisdiction = Jurisdiction.objects.get(slug="riverton")
    before = load_answers(jurisdiction).rows("plan-actions")

    response = client.post("/j/riverton/readiness/add-action/", {"dimension": "governance"})
    assert response.status_code == 302
    after = load_answers(jurisdiction).rows("plan-actions")
    assert len(after) == len(before) + 1
    added = after[-1]
    assert added["dimension"] == "governance" and added["action"].startswith(
        "Raise governance and policy from"
    )
    assert Answer.history.filter(question__slug="plan-actions").count() >= 2

    # Asking twice adds nothing; the page shows it is planned.
    client.post("/j/riverton/readiness/add-action/", {"dimension": "governance"})
    assert len(load_answers(jurisdiction).rows("plan-actions")) == len(after)
    assert "In the action plan" in client.get("/j/riverton/readiness/").content.decode()

    client.force_login(demo["riverton-viewer"])
    assert "Add to action plan" not in client.get("/j/riverton/readiness/").content.decode()
    assert (
        client.post("/j/riverton/readiness/add-action/", {"dimension": "vendors"}).status_code
        == 403
    )


def test_action_plan_grouped_by_horizon_and_as_csv(client, demo):
    client.force_login(demo["riverton-viewer"])
    page = client.get("/j/riverton/action-plan/").content.decode()
    assert page.index("Next 6 months") < page.index("6 to 18 months")
    response = client.get("/j/riverton/action-plan.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Horizon", "Action", "Readiness area"]
    adopt = next(r for r in rows if r[1] == "Adopt the AI procedure by administrative directive")
    assert adopt[0] == "Next 6 months" and adopt[2] == "Governance and policy"


@pytest.mark.parametrize(
    ("path", "most"),
    [
        ("/j/riverton/use-cases/", 10),
        ("/j/riverton/readiness/", 10),
        # The register, its approvals and its obligation evidence: one query each.
        ("/j/riverton/documents/strategy/", 16),
    ],
)
def test_pages_read_the_register_in_a_fixed_number_of_queries(
    client, demo, django_assert_max_num_queries, path, most
):
    demo_count = UseCase.objects.filter(jurisdiction__slug="riverton").count()
    for n in range(4):  # twelve more use cases, each with its screening answers
        add_use_cases(demo, suffix=f" ({n})")
    assert UseCase.objects.filter(jurisdiction__slug="riverton").count() == demo_count + 12
    client.force_login(demo["riverton-editor"])
    with django_assert_max_num_queries(most):
        assert client.get(path).status_code == 200


def test_use_case_form_errors_are_summarised_and_linked(client, demo):
    client.force_login(demo["riverton-editor"])
    before = UseCase.objects.count()
    response = client.post("/j/riverton/use-cases/new/", {"name": ""})
    html = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in html
    assert 'href="#id_name"' in html and 'id="id_name"' in html
    assert 'href="#id_ai_type"' in html and '<fieldset id="id_ai_type"' in html
    assert UseCase.objects.count() == before
