"""A facilitator signs in and lands on the jurisdictions they coach; every link there works."""

import re

import pytest

from workbook.models import Comment, Section

pytestmark = pytest.mark.django_db

LINK = re.compile(r'href="(/[^"#]*)')


def test_a_facilitator_sees_the_jurisdictions_they_coach(client, demo):
    section = Section.active.get(slug="profile")
    riverton = demo["riverton-manager"].memberships.get().jurisdiction
    Comment.objects.create(
        jurisdiction=riverton, section=section, author=demo["facilitator"], body="?"
    )
    client.force_login(demo["facilitator"])
    body = client.get("/").content.decode()
    assert "Jurisdictions you coach" in body
    assert "City of Riverton" in body and "Lakeside County" not in body
    assert "You are not a member of any jurisdiction" not in body
    row = body[body.index("City of Riverton") :]
    assert re.search(r"<td>1</td>", row)  # the open comment


def test_every_link_a_facilitator_reaches_from_home_works(client, demo):
    client.force_login(demo["facilitator"])
    home = client.get("/").content.decode()
    table = home[home.index("Jurisdictions you coach") :]
    pages = set(LINK.findall(table))
    assert len(pages) == 4
    for page in sorted(pages):
        response = client.get(page)
        assert response.status_code == 200, page
        # Including every link of that page's breadcrumb trail (no 404 for a non-member).
        html = response.content.decode()
        if 'class="usa-breadcrumb"' in html:
            trail = html[html.index('class="usa-breadcrumb"') :].split("</nav>")[0]
            for crumb in LINK.findall(trail):
                assert client.get(crumb).status_code == 200, f"{crumb} from {page}"


def test_members_see_no_coaching_table(client, demo):
    client.force_login(demo["riverton-editor"])
    assert "Jurisdictions you coach" not in client.get("/").content.decode()
