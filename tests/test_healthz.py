"""`/healthz`: a constant answer that needs neither the database nor a session."""

from django.urls import reverse


def test_healthz_answers_ok_as_plain_text_without_the_database(client):
    # No django_db mark: pytest-django makes any query (session, user, …) raise here.
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == b"ok"
    assert "sessionid" not in response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_healthz_is_open_to_anonymous_users_and_refuses_writes(client):
    assert reverse("healthz") == "/healthz"
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
