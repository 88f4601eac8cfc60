"""Page bodies kept by the rows they are made from (workbook.kept): the page its request would
have made, changed at once by any change, and never another person's token or permissions."""

import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from workbook.content.cache import workbook_content
from workbook.kept import CSRF_STAND_IN
from workbook.models import Answer, Jurisdiction, SectionProgress, SectionStatus

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def review_page(client, jurisdiction: str = "riverton") -> str:
    response = client.get(reverse("workbook:review", args=[jurisdiction]))
    assert response.status_code == 200
    return response.content.decode()


def main(html: str) -> str:
    """The page's own content, without the header that names who is signed in."""
    return html.split('id="main-content"', 1)[1].split("</main>", 1)[0]


def without_tokens(html: str) -> str:
    # A form's CSRF token is masked anew on every request.
    return TOKEN.sub('name="csrfmiddlewaretoken" value=""', html)


def another_riverton_member(role: str):
    """A second member of Riverton with `role`, besides the demo's own."""
    from django.contrib.auth import get_user_model

    from workbook.models import Membership

    user = get_user_model().objects.create_user(f"riverton-{role}-2", password="x-pass-123")
    riverton = Jurisdiction.objects.get(slug="riverton")
    Membership.objects.create(user=user, jurisdiction=riverton, role=role)
    return user


@pytest.mark.parametrize("role", ["manager", "editor", "viewer"])
def test_a_kept_review_page_is_the_page_made_for_its_request(client, demo, role):
    client.force_login(demo[f"riverton-{role}"])
    made = review_page(client)
    kept = review_page(client)
    workbook_content(Jurisdiction.objects.get(slug="riverton").workbook).markup.clear()
    made_again = review_page(client)
    assert without_tokens(made) == without_tokens(kept) == without_tokens(made_again)
    assert CSRF_STAND_IN not in made + kept


def test_a_changed_answer_or_status_is_on_the_next_review_page_at_once(client, demo):
    client.force_login(demo["riverton-editor"])
    answer = Answer.objects.filter(
        jurisdiction__slug="riverton", use_case=None, question__field_type="long_text"
    )[0]
    review_page(client)
    Answer.objects.filter(pk=answer.pk).update(value="A <b>fresh</b> answer on the review page.")
    assert "A &lt;b&gt;fresh&lt;/b&gt; answer on the review page." in review_page(client)

    progress = SectionProgress.objects.filter(jurisdiction__slug="riverton").exclude(
        status=SectionStatus.APPROVED
    )[0]
    SectionProgress.objects.filter(pk=progress.pk).update(status=SectionStatus.APPROVED)
    html = review_page(client)
    heading = html.index(f'id="review-{progress.section.slug}"')
    assert "Approved" in html[heading : heading + 400]


def test_each_manager_gets_a_token_of_their_own_and_it_works(demo):
    riverton = Jurisdiction.objects.get(slug="riverton")
    second = another_riverton_member("manager")
    complete = SectionProgress.objects.filter(jurisdiction=riverton).first()
    SectionProgress.objects.filter(pk=complete.pk).update(status=SectionStatus.COMPLETE)

    first_client, second_client = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_client.force_login(demo["riverton-manager"])
    second_client.force_login(second)
    first_page, second_page = review_page(first_client), review_page(second_client)
    assert without_tokens(main(first_page)) == without_tokens(main(second_page))  # one body
    assert "Approve the selected sections" in first_page
    first_tokens, second_tokens = set(TOKEN.findall(first_page)), set(TOKEN.findall(second_page))
    assert first_tokens and second_tokens and not first_tokens & second_tokens
    assert CSRF_STAND_IN not in first_page + second_page

    # The second manager's token from the kept body is accepted for their own approval.
    section = complete.section
    response = second_client.post(
        reverse("workbook:approve_section", args=["riverton", section.slug]),
        {
            "csrfmiddlewaretoken": TOKEN.findall(second_page)[0],
            "version": SectionProgress.objects.get(pk=complete.pk).version,
            "next": reverse("workbook:review", args=["riverton"]),
        },
    )
    assert response.status_code == 302
    assert SectionProgress.objects.get(pk=complete.pk).status == SectionStatus.APPROVED


def test_a_viewer_never_gets_the_body_kept_for_a_manager(client, demo):
    riverton_complete = SectionProgress.objects.filter(jurisdiction__slug="riverton").first()
    SectionProgress.objects.filter(pk=riverton_complete.pk).update(status=SectionStatus.COMPLETE)
    client.force_login(demo["riverton-manager"])
    assert "Approve the selected sections" in review_page(client)
    client.force_login(demo["riverton-viewer"])
    reading = review_page(client)
    assert "Approve the selected sections" not in reading
    assert "csrfmiddlewaretoken" not in main(reading)


def dashboard(client) -> str:
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return main(response.content.decode())


def test_a_kept_dashboard_is_the_one_made_for_its_request(client, demo):
    from workbook.workflow.views import dashboards

    client.force_login(demo["riverton-editor"])
    made = dashboard(client)
    kept = dashboard(client)
    dashboards.clear()
    assert made == kept == dashboard(client)


def test_a_dashboard_changes_at_once_with_what_it_is_made_from(client, demo):
    from django.utils import timezone

    from workbook.models import Comment, Jurisdiction

    editor = demo["riverton-editor"]
    riverton = Jurisdiction.objects.get(slug="riverton")
    client.force_login(editor)
    before = dashboard(client)

    # An assignment.
    progress = SectionProgress.objects.filter(jurisdiction=riverton).exclude(
        status=SectionStatus.APPROVED
    )[0]
    SectionProgress.objects.filter(pk=progress.pk).update(
        assignee=editor, due_date=timezone.localdate().replace(year=2031, month=3, day=14)
    )
    assigned = dashboard(client)
    assert "March 14, 2031" in assigned and "March 14, 2031" not in before

    # A new comment thread.
    open_before = Comment.objects.filter(
        jurisdiction=riverton, parent=None, resolved_at=None
    ).count()
    Comment.objects.create(
        jurisdiction=riverton,
        section=progress.section,
        author=demo["riverton-manager"],
        body="Please check the dates.",
    )
    opened = open_before + 1
    assert f"{opened} open comment{'s' if opened != 1 else ''}" in dashboard(client)

    # The jurisdiction's name.
    Jurisdiction.objects.filter(pk=riverton.pk).update(name="Riverton & Co")
    assert "Riverton &amp; Co" in dashboard(client)


def test_two_people_never_share_a_dashboard(client, demo):
    client.force_login(demo["riverton-editor"])
    riverton = dashboard(client)
    client.force_login(demo["lakeside-editor"])
    lakeside = dashboard(client)
    assert "Riverton" in riverton and "Riverton" not in lakeside


def section_page(client, section: str) -> str:
    response = client.get(reverse("workbook:section", args=["riverton", section]))
    assert response.status_code == 200
    return response.content.decode()


def test_each_editor_gets_a_section_body_with_their_own_draft_key(demo):
    riverton = Jurisdiction.objects.get(slug="riverton")
    second = another_riverton_member("editor")
    section = SectionProgress.objects.filter(jurisdiction=riverton)[0].section.slug
    pages = {}
    for user in (demo["riverton-editor"], second, demo["riverton-editor"]):
        client = Client()
        client.force_login(user)
        pages[user.pk] = html = section_page(client, section)
        assert f'data-draft-key="{user.pk}:riverton:{section}"' in html
        assert CSRF_STAND_IN not in html
    assert len(set(map(without_tokens, map(main, pages.values())))) == 2


def test_a_new_comment_elsewhere_is_in_the_step_list_at_once(client, demo):
    from workbook.models import Comment

    riverton = Jurisdiction.objects.get(slug="riverton")
    client.force_login(demo["riverton-editor"])
    progress = SectionProgress.objects.filter(jurisdiction=riverton).order_by("section__position")
    shown, elsewhere = progress[0].section, progress[1].section
    Comment.objects.filter(jurisdiction=riverton, section=elsewhere).delete()
    before = main(section_page(client, shown.slug))
    Comment.objects.create(
        jurisdiction=riverton,
        section=elsewhere,
        author=demo["riverton-manager"],
        body="A question about this section.",
    )
    after = main(section_page(client, shown.slug))
    assert after != before
    step = after.index(f"{escape(elsewhere.title)}</button>")
    assert "1 open comment" in after[step : step + 1000]


def test_a_kept_page_names_the_person_signed_in(demo):
    second = another_riverton_member("editor")
    first_client, second_client = Client(), Client()
    first_client.force_login(demo["riverton-editor"])
    second_client.force_login(second)
    for _ in range(2):  # made, then kept
        first_page, second_page = review_page(first_client), review_page(second_client)
        assert "Signed in as <strong>riverton-editor</strong>" in first_page
        assert "Signed in as <strong>riverton-editor-2</strong>" in second_page
    assert without_tokens(main(first_page)) == without_tokens(main(second_page))


@pytest.mark.parametrize("page", ["review", "dashboard"])
def test_a_message_is_shown_once_on_a_page_that_is_kept(client, demo, page):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage

    client.force_login(demo["riverton-manager"])
    url = reverse("workbook:review", args=["riverton"]) if page == "review" else reverse(page)
    plain = client.get(url).content.decode()  # made and kept
    storage = CookieStorage(SimpleNamespace())
    client.cookies[storage.cookie_name] = storage._encode(
        [Message(constants.SUCCESS, "Sections approved: 2.")]
    )
    shown = client.get(url).content.decode()
    assert "Sections approved: 2." in shown
    after = client.get(url).content.decode()
    assert "Sections approved: 2." not in after
    assert without_tokens(after) == without_tokens(plain)


def test_a_kept_page_tells_the_browser_which_submits_of_its_session_were_saved(client, demo):
    from workbook.wizard.posted import SAVED_SUBMISSIONS

    client.force_login(demo["riverton-editor"])
    assert "data-saved-submissions" not in review_page(client)
    session = client.session
    session[SAVED_SUBMISSIONS] = ["submit-0001", "submit-0002"]
    session.save()
    for _ in range(2):  # made, then kept
        assert 'data-saved-submissions="submit-0001 submit-0002"' in review_page(client)
