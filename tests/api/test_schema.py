"""The API against its own OpenAPI schema (schemathesis, in-process through the WSGI app): every
operation, with generated parameters, answers without a server error and as the schema says."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# Every operation of the schema (test_the_schema_is_openapi_3_and_names_every_list checks the
# list is whole). Named here rather than read from the schema at collection, which would need
# the database before the tests have one.
OPERATIONS = [
    "/api/v1/plans/",
    "/api/v1/plans/{slug}/",
    "/api/v1/frameworks/",
    "/api/v1/frameworks/{slug}/",
    "/api/v1/recommendations/",
    "/api/v1/recommendations/{id}/",
    "/api/v1/partners/",
    "/api/v1/partners/{slug}/",
    "/api/v1/meetings/",
    "/api/v1/meetings/{slug}/",
    "/api/v1/documents/",
    "/api/v1/documents/{id}/",
    "/api/v1/labelled-projects/",
    "/api/v1/labelled-projects/{slug}/",
]


@pytest.fixture
def api_schema(seeded):
    """The schema, called through the real WSGI application. As Django's test client does, the
    requests must not close the database connection at their end: the test's transaction (and
    every later test of this process) runs on it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# Some forty seconds for the fourteen operations: left to `make test` and CI, as the other slow
# checkers are.
@pytest.mark.external
@pytest.mark.parametrize("path", OPERATIONS)
def test_every_operation_answers_as_its_schema_says(api_schema, path):
    operation = api_schema[path]["GET"]

    @settings(
        max_examples=15,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def answers_as_the_schema_says(case):
        case.call_and_validate(
            checks=[
                not_a_server_error,
                status_code_conformance,
                content_type_conformance,
                response_schema_conformance,
            ]
        )

    answers_as_the_schema_says()


def test_the_schema_is_openapi_3_and_names_every_list(client, seeded):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    document = response.json()

    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == set(OPERATIONS)
    assert {method for path in document["paths"].values() for method in path} == {"get"}


def test_the_documentation_page_loads_everything_from_the_portal_itself(client, db):
    page = client.get("/api/v1/docs/")
    script = client.get("/api/v1/docs/?script=")
    html = page.content.decode()

    assert page.status_code == 200
    assert "swagger-ui-bundle.js" in html
    assert "http://" not in html and "https://" not in html and "//cdn" not in html
    assert "<style>" not in html  # the Content-Security-Policy allows no inline style
    assert script.status_code == 200
    assert "/api/v1/schema/" in script.content.decode()
