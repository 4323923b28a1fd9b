"""The lists of meetings and documents read their first rows from an index, in both languages."""

import re

import pytest
from django.db import connection
from django.utils import translation

from meetings.models import Document, Meeting

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the listing indexes exist on PostgreSQL only"
    ),
]


def plan_of(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # With a handful of test rows, reading the whole table and sorting it is cheapest: rule
        # that out to see whether an index can serve the query's order, as at real volume.
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    ("listing", "index"),
    [
        (lambda: Meeting.objects.for_listing()[:20], "meetings_meeting_listing_idx"),
        (lambda: Document.objects.public().for_listing()[20:40], "meetings_document_listing_idx"),
        (
            lambda: Meeting.objects.upcoming().order_by("start_date")[:5],
            "meeting_upcoming_idx",
        ),
    ],
)
def test_a_page_of_a_list_is_read_in_order_from_an_index(listing, index, language):
    with translation.override(language):
        plan = plan_of(listing())

    assert index in plan
    # Read in the index's order: at most the rows of equal date are sorted (by title).
    assert not re.search(r"(?<!Incremental )Sort  \(", plan), plan
