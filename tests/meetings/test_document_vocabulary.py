"""The document vocabulary the lists and the meeting page build on."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import translation

from meetings.models import Document
from tests.meetings.factories import DocumentFactory, MeetingFactory


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_document_s_links_are_those_its_routes_give_in_each_language(db, language):
    document = DocumentFactory()

    with translation.override(language):
        assert document.get_absolute_url() == reverse(
            "meetings:document", kwargs={"pk": document.pk}
        )
        assert document.get_download_url() == reverse(
            "meetings:document-download", kwargs={"pk": document.pk}
        )
        assert document.get_absolute_url().startswith(f"/{language}/")


def test_an_undated_document_is_dated_by_its_latest_dated_meeting(db):
    document = DocumentFactory(published_on=None)
    for start in (datetime.date(2018, 5, 1), datetime.date(2020, 2, 1), None):
        document.meetings.add(MeetingFactory(start_date=start))

    assert Document.objects.with_date().get(pk=document.pk).dated == datetime.date(2020, 2, 1)


def test_restricted_documents_are_those_not_public(db):
    for visibility in Document.Visibility:
        DocumentFactory(slug=f"of-{visibility}", visibility=visibility)

    assert sorted(Document.objects.restricted().values_list("visibility", flat=True)) == [
        "focal_points",
        "members",
    ]


def test_the_restricted_documents_someone_may_see_are_chosen_by_one_condition(
    db, senegal_staff, senegal_focal_point
):
    for visibility in Document.Visibility:
        DocumentFactory(slug=f"of-{visibility}", visibility=visibility)

    assert not Document.objects.restricted_to(AnonymousUser()).exists()
    for user, seen in (
        (senegal_staff, {"members"}),
        (senegal_focal_point, {"members", "focal_points"}),
    ):
        chosen = Document.objects.restricted_to(user)
        assert set(chosen) == set(Document.objects.visible_to(user).restricted()), user
        assert set(chosen.values_list("visibility", flat=True)) == seen
        assert str(chosen.query).count('"visibility" IN') == 1
