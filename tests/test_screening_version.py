"""A risk screening posted with a mangled version is a bad request that stores nothing."""

import pytest

from tests.test_use_cases import LOW_RISK, create_use_case
from workbook.models import Answer, UseCase

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("version", ["abc", "", "1.5", "-3", " 0", "٠"])  # noqa: RUF001 - an Arabic-Indic zero
def test_a_screening_with_a_bad_version_answers_400_and_stores_nothing(client, demo, version):
    client.force_login(demo["riverton-editor"])
    use_case = create_use_case(client)
    response = client.post(
        f"/j/riverton/use-cases/{use_case.pk}/screening/", {**LOW_RISK, "version": version}
    )
    assert response.status_code == 400
    assert not Answer.objects.filter(use_case=use_case).exists()
    assert UseCase.objects.get(pk=use_case.pk).version == use_case.version


def test_a_screening_without_a_version_answers_400(client, demo):
    client.force_login(demo["riverton-editor"])
    use_case = create_use_case(client)
    response = client.post(f"/j/riverton/use-cases/{use_case.pk}/screening/", LOW_RISK)
    assert response.status_code == 400
    assert not Answer.objects.filter(use_case=use_case).exists()
