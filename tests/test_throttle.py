"""Sign-in lockouts by username and address, and the password-reset throttle."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.team_fixtures import PASSWORD, make_user
from workbook.models import AuditEvent, AuditKind

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
RESET = "/accounts/password_reset/"
DESK, ELSEWHERE, OFFICE = "10.1.1.1", "203.0.113.7", "10.2.2.2"


def sign_in(address, username, password=PASSWORD):
    return Client(REMOTE_ADDR=address).post(LOGIN, {"username": username, "password": password})


def ask_for_reset(address, email):
    return Client(REMOTE_ADDR=address).post(RESET, {"email": email})


# Sign-in ---------------------------------------------------------------------------------------


def test_wrong_passwords_elsewhere_do_not_lock_a_person_out_of_their_desk(alpha):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(ELSEWHERE, alpha.editor.username, "wrong-password")

    # Locked where the guesses came from, even with the right password ...
    locked = sign_in(ELSEWHERE, alpha.editor.username)
    assert locked.status_code == 429
    assert "Sign-in is paused" in locked.content.decode()
    assert AuditEvent.objects.filter(kind=AuditKind.LOCKED_OUT).exists()
    # ... while the person signs in at their desk.
    assert sign_in(DESK, alpha.editor.username).status_code == 302


def test_a_few_mistakes_by_several_people_do_not_lock_a_shared_office_address(alpha):
    colleagues = [make_user(f"colleague-{n}") for n in range(settings.AXES_FAILURE_LIMIT + 1)]
    for colleague in colleagues:
        sign_in(OFFICE, colleague.username, "typo")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(OFFICE, alpha.viewer.username, "typo")

    for user in (alpha.manager, alpha.viewer, *colleagues):
        assert sign_in(OFFICE, user.username).status_code == 302, user.username


def test_an_address_trying_many_usernames_is_locked_for_all_of_them(alpha):
    responses = [
        sign_in(ELSEWHERE, f"guess-{n}", "wrong-password")
        for n in range(settings.SIGN_IN_USERNAMES_PER_ADDRESS)
    ]
    assert [r.status_code for r in responses[:-1]] == [200] * (len(responses) - 1)
    assert responses[-1].status_code == 429

    assert sign_in(ELSEWHERE, alpha.manager.username).status_code == 429
    assert AuditEvent.objects.filter(kind=AuditKind.LOCKED_OUT).count() >= 2
    # Only that address: the same account signs in from anywhere else.
    assert sign_in(DESK, alpha.manager.username).status_code == 302


# Password reset --------------------------------------------------------------------------------


def test_one_account_gets_at_most_three_reset_emails_an_hour(alpha, mailoutbox):
    limit = settings.PASSWORD_RESET_EMAILS_PER_ACCOUNT
    assert limit == 3
    # From different addresses, and with the email written differently: still one account.
    spellings = [alpha.editor.email, alpha.editor.email.upper()]
    for n in range(limit + 2):
        response = ask_for_reset(f"10.3.0.{n}", spellings[n % 2])
        assert response.status_code == 302
    assert len(mailoutbox) == limit
    assert {tuple(message.to) for message in mailoutbox} == {(alpha.editor.email,)}
    # Another account is not held back by it.
    ask_for_reset("10.3.0.99", alpha.viewer.email)
    assert len(mailoutbox) == limit + 1


def test_one_address_gets_at_most_ten_reset_requests_an_hour(alpha, mailoutbox):
    limit = settings.PASSWORD_RESET_REQUESTS_PER_ADDRESS
    assert limit == 10
    for n in range(limit):
        ask_for_reset(ELSEWHERE, f"nobody-{n}@example.gov")

    ask_for_reset(ELSEWHERE, alpha.editor.email)
    assert mailoutbox == []
    # The account itself may still ask from another address.
    ask_for_reset(DESK, alpha.editor.email)
    assert [message.to for message in mailoutbox] == [[alpha.editor.email]]


def test_the_reset_page_answers_alike_for_known_unknown_and_throttled(alpha, mailoutbox):
    for _ in range(settings.PASSWORD_RESET_EMAILS_PER_ACCOUNT):
        ask_for_reset(DESK, alpha.editor.email)
    sent = len(mailoutbox)

    answers = {
        "known": ask_for_reset(ELSEWHERE, alpha.viewer.email),
        "unknown": ask_for_reset(ELSEWHERE, "nobody@example.gov"),
        "throttled": ask_for_reset(ELSEWHERE, alpha.editor.email),
    }
    assert len(mailoutbox) == sent + 1  # only the known, unthrottled one

    def seen(response):
        page = Client().get(response["Location"])
        return response.status_code, response["Location"], response.content, page.content

    first = seen(answers["known"])
    assert first[:2] == (302, reverse("password_reset_done"))
    for name, response in answers.items():
        assert seen(response) == first, name
