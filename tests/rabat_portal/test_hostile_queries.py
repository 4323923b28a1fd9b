"""NUL bytes, control characters and overlong values in a query string, sent to every filter of
every list: the public ones, the private area's and every changelist of the admin (its filters,
date drill-down and search). Each answers cleanly (the portal's 400 page, or the value ignored),
never with a server error.

PostgreSQL refuses a NUL in any text it is given, where SQLite does not: CI runs this module on
PostgreSQL (``DATABASE_URL``), which is what the probe found failing.
"""

import pytest
from django.contrib import admin
from django.contrib.admin import FieldListFilter
from django.contrib.admin.utils import get_fields_from_path
from django.test import RequestFactory
from django.urls import reverse

from ideas_lab.filters import IdeaFilter
from labelling.filters import LabelledProjectFilter, ReviewQueueFilter
from meetings.filters import DocumentFilter, MeetingFilter
from tests.conftest import with_totp
from tests.focalpoints.factories import UserFactory

pytestmark = pytest.mark.django_db

# Nothing a person types or a link carries holds these.
REFUSED = {
    "NUL": "\x00",
    "NUL after text": "senegal\x00",
    "escape sequence": "\x1b[31m",
}
# These are well-formed, only beyond what any filter expects: the filter ignores them.
OUT_OF_RANGE = {
    "overlong text": "x" * 10_000,
    "overlong number": "9" * 40,
    "the last year a date can have": "9999",
}

# Lists filtered by a django-filter FilterSet: every filter it declares, and the page number.
FILTERED_LISTS = [
    (None, "meetings:list", MeetingFilter),
    (None, "meetings:documents", DocumentFilter),
    ("senegal_focal_point", "meetings:restricted-documents", DocumentFilter),
    (None, "labelling:projects", LabelledProjectFilter),
    ("secretariat", "labelling:review-queue", ReviewQueueFilter),
    ("senegal_focal_point", "ideas:home", IdeaFilter),
]
# Pages that read their query string themselves.
HAND_READ = [
    (None, "meetings:coverage", ["plan", "from", "to"]),
    (None, "meetings:coverage-chart", ["plan", "from", "to"]),
    (None, "meetings:calendar", ["year"]),
    (None, "search", ["q"]),
    ("secretariat", "stocktaking-preview", ["from", "to"]),
]
PUBLIC_PAGES = [
    *((who, name, [*filterset.base_filters, "page"]) for who, name, filterset in FILTERED_LISTS),
    *HAND_READ,
]


def failures(client, url, parameters):
    """``(parameter, value name, status)`` for each request that answered a server error, or
    that answered anything but 400 for a value the portal refuses."""
    found = []
    for parameter in parameters:
        for value_name, value in (REFUSED | OUT_OF_RANGE).items():
            status = client.get(url, {parameter: value}).status_code
            if status >= 500 or (value_name in REFUSED and status != 400):
                found.append((parameter, value_name, status))
    return found


def test_every_filter_of_the_site_answers_hostile_values_cleanly(client, seeded, request):
    found = []
    for who, name, parameters in PUBLIC_PAGES:
        client.logout()
        if who:
            client.force_login(request.getfixturevalue(who))
        found += [(name, *failure) for failure in failures(client, reverse(name), parameters)]

    assert found == []


def test_a_refused_query_answers_the_portal_s_page_in_the_visitor_s_language(client, db):
    response = client.get("/fr/meetings/coverage/?plan=%00")

    assert response.status_code == 400
    assert "Adresse illisible" in response.content.decode()


def test_a_control_character_in_a_parameter_s_name_is_refused_too(client, db):
    assert client.get("/en/meetings/?%00=1").status_code == 400


def test_tabs_and_line_breaks_pasted_into_the_search_are_words_apart(client, db):
    assert client.get(reverse("search"), {"q": "migration\tdialogue\r\n"}).status_code == 200


def changelists():
    return sorted(
        (model._meta.app_label, model._meta.model_name, model_admin)
        for model, model_admin in admin.site._registry.items()
    )


def query_parameters(model_admin, request):
    """Every query parameter ``model_admin``'s changelist reads: each list filter's (as the
    changelist builds them, whether or not it has choices to show yet), the date drill-down's
    and the search's."""
    parameters = set()
    model = model_admin.model
    for list_filter in model_admin.get_list_filter(request):
        if isinstance(list_filter, type):  # a SimpleListFilter or a custom ListFilter
            spec = list_filter(request, {}, model, model_admin)
        else:
            path, filter_class = (
                list_filter if isinstance(list_filter, (tuple, list)) else (list_filter, None)
            )
            field = get_fields_from_path(model, path)[-1]
            create = filter_class or FieldListFilter.create
            spec = create(field, request, {}, model, model_admin, field_path=path)
        parameters.update(spec.expected_parameters())
    if model_admin.date_hierarchy:
        parameters.update(f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month"))
    if model_admin.get_search_fields(request):
        parameters.add("q")
    return sorted(parameters)


@pytest.fixture
def superuser(db):
    return with_totp(UserFactory(email="root@example.org", is_staff=True, is_superuser=True))


@pytest.mark.parametrize(
    ("app", "model", "model_admin"),
    changelists(),
    ids=[f"{app}.{model}" for app, model, _admin in changelists()],
)
def test_every_admin_changelist_answers_hostile_filters_and_search_cleanly(
    client, superuser, app, model, model_admin
):
    url = reverse(f"admin:{app}_{model}_changelist")
    request = RequestFactory().get(url)
    request.user = superuser
    parameters = query_parameters(model_admin, request)
    client.force_login(superuser)

    assert client.get(url).status_code == 200
    assert failures(client, url, parameters) == []


def test_the_admin_lists_filter_and_search_parameters_to_send():
    """The enumeration above finds what it must: a model's list filters and its search."""
    from meetings.models import Meeting

    request = RequestFactory().get("/")
    request.user = UserFactory.build(is_staff=True, is_superuser=True)

    parameters = query_parameters(admin.site._registry[Meeting], request)

    assert "q" in parameters
    assert "kind__exact" in parameters
