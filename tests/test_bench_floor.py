"""The benchmark's floor view (bench/views.py): a page's captured response behind the stack.

The floor routes live in bench/urls.py, which only bench/settings.py uses: the product's URLconf
(and so the URL sweep) never sees them.
"""

import importlib

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from bench import captures, views
from bench import urls as bench_urls
from tests.team_fixtures import make_user
from workbook import urls as product_urls

PAGE = b"<!doctype html><title>Section</title><p>The page as it was served.</p>"


@pytest.fixture
def floor_urls(settings, tmp_path):
    """The bench server's URLconf and an empty capture directory, for this test only."""
    settings.ROOT_URLCONF = "bench.urls"
    settings.BENCH_FLOOR_DIR = tmp_path
    views._loaded.clear()
    yield tmp_path
    views._loaded.clear()


def capture_page(directory, **changes) -> captures.Capture:
    fields = {
        "method": "GET",
        "status": 200,
        "content_type": "text/html; charset=utf-8",
        "body": PAGE,
        "csrf_cookie": True,
    } | changes
    capture = captures.Capture(**fields)
    captures.save(directory, "section", capture)
    return capture


@pytest.mark.django_db
def test_the_floor_serves_the_captured_page_to_a_signed_in_user_only(floor_urls):
    capture_page(floor_urls)
    assert Client().get("/bench/floor/section/")["Location"] == (
        "/accounts/login/?next=/bench/floor/section/"
    )
    client = Client()
    client.force_login(make_user("floor-editor"))
    response = client.get("/bench/floor/section/")
    assert response.status_code == 200
    assert response.content == PAGE
    assert response["Content-Type"] == "text/html; charset=utf-8"
    # The product's middleware answered around it, as it does around the page.
    assert "csrftoken" in response.cookies
    assert "no-store" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    assert client.post("/bench/floor/section/").status_code == 405
    assert client.get("/bench/floor/review/").status_code == 404


@pytest.mark.django_db
def test_the_save_floor_checks_the_csrf_token_and_answers_the_redirect(floor_urls):
    capture_page(
        floor_urls,
        method="POST",
        status=302,
        body=b"",
        location="/j/alpha/",
        csrf_cookie=False,
    )
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("floor-editor"))
    assert client.post("/bench/floor/section/", {"answer": "x"}).status_code == 403
    client.get("/accounts/login/")  # any page with a form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post("/bench/floor/section/", {"answer": "x", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response["Location"] == "/j/alpha/"
    assert response.content == b""


def test_the_bench_urls_are_the_products_first_and_only_the_product_routes_the_product():
    count = len(product_urls.urlpatterns)
    assert bench_urls.urlpatterns[:count] == product_urls.urlpatterns
    assert [p.name for p in bench_urls.urlpatterns[count:]] == ["bench-floor"]
    assert bench_urls.handler500 == product_urls.handler500
    with pytest.raises(Resolver404):
        resolve("/bench/floor/section/", urlconf="workbook.urls")
    # The test settings, and so the URL sweep, use the product's URLconf.
    from django.conf import settings

    assert settings.ROOT_URLCONF == "workbook.urls"


def test_the_bench_settings_change_nothing_but_the_urls_and_the_capture_directory():
    bench_settings = importlib.import_module("bench.settings")
    product_settings = importlib.import_module("workbook.settings")

    def named(module) -> dict:
        return {name: getattr(module, name) for name in dir(module) if name.isupper()}

    bench, product = named(bench_settings), named(product_settings)
    changed = {n for n in bench.keys() | product.keys() if bench.get(n) != product.get(n)}
    assert changed == {"ROOT_URLCONF", "BENCH_FLOOR_DIR"}
    assert bench["ROOT_URLCONF"] == "bench.urls"
