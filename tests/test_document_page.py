"""The document web page: its body composed once per content version, never stale, never
another jurisdiction's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from strategy.documents import web
from tests.test_export import edit_vision
from workbook.kept import Kept

pytestmark = pytest.mark.django_db

PAGE = "/j/{slug}/documents/strategy/"


@pytest.fixture
def compositions(monkeypatch):
    """The jurisdictions whose document was composed, one entry per composition."""
    calls: list[str] = []
    original = web.build_document

    def counting(jurisdiction, *args):
        calls.append(jurisdiction.slug)
        return original(jurisdiction, *args)

    monkeypatch.setattr(web, "build_document", counting)
    monkeypatch.setattr(web, "bodies", Kept(web.bodies.size))
    return calls


def test_an_unchanged_workbook_is_composed_once(client, demo, compositions):
    client.force_login(demo["riverton-viewer"])
    with CaptureQueriesContext(connection) as first:
        client.get(PAGE.format(slug="riverton"))
    with CaptureQueriesContext(connection) as second:
        again = client.get(PAGE.format(slug="riverton"))
    assert compositions == ["riverton"]
    assert "City of Riverton" in again.content.decode()
    assert len(second) < len(first)


def test_an_edit_shows_on_the_next_request(client, demo, compositions):
    client.force_login(demo["riverton-viewer"])
    assert "reach a person within one day" not in client.get(PAGE.format(slug="riverton")).text
    edit_vision(demo["riverton-editor"])
    assert "reach a person within one day" in client.get(PAGE.format(slug="riverton")).text
    assert compositions == ["riverton", "riverton"]


def test_each_jurisdiction_reads_its_own_document(client, demo, compositions):
    client.force_login(demo["riverton-viewer"])
    client.get(PAGE.format(slug="riverton"))
    client.force_login(demo["lakeside-viewer"])
    lakeside = client.get(PAGE.format(slug="lakeside")).text
    assert "Lakeside County" in lakeside and "City of Riverton" not in lakeside
    assert compositions == ["riverton", "lakeside"]
