"""The benchmark's floor view (bench/views.py): a page's captured response behind the stack,
and the floor with its reads: the same response after the page's own SQL statements.

The floor routes live in bench/urls.py, which only bench/settings.py uses: the product's URLconf
(and so the URL sweep) never sees them.
"""

import importlib

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

from bench import captures, views
from bench import urls as bench_urls
from tests.team_fixtures import make_user
from workbook import urls as product_urls
from workbook.models import UserSession

PAGE = b"<!doctype html><title>Section</title><p>The page as it was served.</p>"


@pytest.fixture
def floor_urls(settings, tmp_path):
    """The bench server's URLconf and an empty capture directory, for this test only."""
    settings.ROOT_URLCONF = "bench.urls"
    settings.BENCH_FLOOR_DIR = tmp_path
    views._loaded.clear()
    views._loaded_reads.clear()
    yield tmp_path
    views._loaded.clear()
    views._loaded_reads.clear()


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
    assert [p.name for p in bench_urls.urlpatterns[count:]] == ["bench-floor", "bench-floor-reads"]
    assert bench_urls.handler500 == product_urls.handler500
    for path in ("/bench/floor/section/", "/bench/floor/section/reads/"):
        with pytest.raises(Resolver404):
            resolve(path, urlconf="workbook.urls")
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


# Statements as Django runs them with psycopg 3: values in place. The `%` must reach PostgreSQL
# as it is, so the floor passes no parameters.
STATEMENTS = [
    "SELECT 'half%' AS pattern",
    'SELECT "auth_user"."username" FROM "auth_user" ORDER BY "auth_user"."id"',
    "WITH numbers AS (SELECT generate_series(1, 3) AS n) SELECT n FROM numbers",
]


def signed_in_client(username: str = "floor-editor") -> Client:
    client = Client()
    client.force_login(make_user(username))
    return client


@pytest.mark.django_db
def test_the_reads_floor_runs_the_pages_statements_in_order_then_answers_the_capture(
    floor_urls, django_assert_num_queries
):
    capture_page(floor_urls)
    captures.save_reads(floor_urls, "section", "/j/alpha/workbook/readiness/", STATEMENTS)
    client = signed_in_client()
    # The plain floor runs only the read of the session with its user.
    with django_assert_num_queries(1):
        assert client.get("/bench/floor/section/").content == PAGE
    with django_assert_num_queries(1 + len(STATEMENTS)) as request_queries:
        response = client.get("/bench/floor/section/reads/")
    assert [q["sql"] for q in request_queries.captured_queries[1:]] == STATEMENTS
    assert response.status_code == 200
    assert response.content == PAGE
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "csrftoken" in response.cookies
    # The statements are read once per process: a changed file is not seen.
    captures.save_reads(floor_urls, "section", "/j/alpha/workbook/readiness/", STATEMENTS[:1])
    with django_assert_num_queries(1 + len(STATEMENTS)):
        client.get("/bench/floor/section/reads/")


@pytest.mark.django_db
def test_the_reads_floor_is_a_signed_in_get_and_needs_its_statements(floor_urls):
    capture_page(floor_urls)
    client = signed_in_client()
    assert client.get("/bench/floor/section/").status_code == 200
    assert client.get("/bench/floor/section/reads/").status_code == 404
    captures.save_reads(floor_urls, "section", "/j/alpha/workbook/readiness/", STATEMENTS)
    assert client.get("/bench/floor/section/reads/").status_code == 200
    assert client.post("/bench/floor/section/reads/").status_code == 405
    assert Client().get("/bench/floor/section/reads/")["Location"] == (
        "/accounts/login/?next=/bench/floor/section/reads/"
    )
    # Statements without a capture of the page are no floor either.
    captures.save_reads(floor_urls, "review", "/j/alpha/workbook/review/", STATEMENTS)
    assert client.get("/bench/floor/review/reads/").status_code == 404


def page_reads(statements: list[str]) -> list[str]:
    return captures.page_reads(statements, sign_in_tables=(UserSession._meta.db_table,))


@pytest.mark.django_db
def test_a_signed_in_request_starts_with_the_session_read_the_capture_leaves_out(
    floor_urls,
):
    """What `bench/django_side.py reads` sees: a request through the test client, its queries
    captured. Its own statements are kept, in order, and only those."""
    capture_page(floor_urls)
    captures.save_reads(floor_urls, "section", "/j/alpha/workbook/readiness/", STATEMENTS)
    client = signed_in_client()
    with CaptureQueriesContext(connection) as request_queries:
        assert client.get("/bench/floor/section/reads/").status_code == 200
    assert page_reads([q["sql"] for q in request_queries.captured_queries]) == STATEMENTS


SESSION_READ = (
    'SELECT s."session_key", s."session_data", u."id" FROM "workbook_usersession" AS s'
    ' LEFT JOIN "auth_user" AS u ON u."id" = s."user_id" WHERE s."session_key" = \'abc\''
)


def test_the_capture_keeps_the_pages_reads_after_the_session_read():
    assert page_reads([SESSION_READ, *STATEMENTS]) == STATEMENTS
    assert page_reads([SESSION_READ]) == []
    assert page_reads([SESSION_READ, "  select 1"]) == ["  select 1"]


@pytest.mark.parametrize(
    "statements",
    [
        [*STATEMENTS, SESSION_READ],
        [STATEMENTS[0], SESSION_READ],
        [],
        ['UPDATE "workbook_usersession" SET "expire_date" = now() FROM "workbook_usersession"'],
    ],
)
def test_the_capture_refuses_a_request_that_does_not_start_with_the_session_read(statements):
    with pytest.raises(
        captures.ReadsRefused,
        match=r"not (the sign-in reads first|the read of workbook_usersession)",
    ):
        page_reads(statements)


@pytest.mark.parametrize(
    "statement",
    [
        'UPDATE "django_session" SET "session_data" = \'x\'',
        'INSERT INTO "workbook_answer" ("value") VALUES (\'x\')',
        'DELETE FROM "workbook_answer"',
        'SAVEPOINT "s1"',
    ],
)
def test_the_capture_refuses_a_statement_that_is_not_a_select(statement):
    with pytest.raises(captures.ReadsRefused, match="not a SELECT"):
        page_reads([SESSION_READ, STATEMENTS[0], statement])


def test_forgetting_the_captures_forgets_the_statements(tmp_path):
    capture_page(tmp_path)
    captures.save_reads(tmp_path, "section", "/j/alpha/workbook/readiness/", STATEMENTS)
    assert captures.load_reads(tmp_path, "section") == STATEMENTS
    captures.forget(tmp_path)
    assert captures.load(tmp_path, "section") is None
    assert captures.load_reads(tmp_path, "section") is None
    assert list(tmp_path.iterdir()) == []
