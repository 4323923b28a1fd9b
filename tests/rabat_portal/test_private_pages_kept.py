"""Parts of private pages kept between visits until something they show changes: the
dashboard's panels, per person, and the restricted documents list, per kind of reader. A person
sees their own, in their language, never stale after a change."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.models import ConsultationAnswer
from meetings.models import Delegation
from tests.consultations.factories import ConsultationFactory
from tests.focalpoints.factories import MembershipFactory, UserFactory
from tests.meetings.factories import DocumentFactory, upcoming_meeting

pytestmark = pytest.mark.django_db


def without_token(page):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.text, len(queries)


def test_a_dashboard_seen_again_reads_its_panels_from_the_cache(client, senegal_focal_point):
    ConsultationFactory(title="Update of the JVAP")
    client.force_login(senegal_focal_point)

    first, built = queries_of(client, "/en/private/")
    again, kept = queries_of(client, "/en/private/")

    # The same page, but for the logout form's CSRF token, masked afresh on each page.
    assert without_token(again) == without_token(first) and "Update of the JVAP" in again
    assert kept < built
    # Left: the session, in the database without Redis; neither the account, its membership
    # nor a panel's own query.
    assert kept <= 1


def test_an_answer_saved_shows_on_the_next_visit(client, senegal, senegal_focal_point):
    consultation = ConsultationFactory(title="Update of the JVAP")
    client.force_login(senegal_focal_point)
    assert "answered" not in client.get("/en/private/").text

    ConsultationAnswer.objects.create(consultation=consultation, partner=senegal, text="Yes.")

    assert "· answered" in client.get("/en/private/").text


def test_each_person_sees_their_own_partner_in_their_language(
    client, senegal_focal_point, spain_focal_point
):
    client.force_login(senegal_focal_point)
    senegal_page = client.get("/en/private/").text
    client.force_login(spain_focal_point)
    spain_page = client.get("/en/private/").text
    french = client.get("/fr/private/").text

    assert senegal_focal_point.membership.partner.name in senegal_page
    assert senegal_focal_point.membership.partner.name not in spain_page
    assert spain_focal_point.membership.partner.name in spain_page
    assert "Vous êtes" in french and "You are" in spain_page


def test_a_new_focal_point_of_the_partner_shows_at_once(client, senegal, senegal_focal_point):
    client.force_login(senegal_focal_point)
    client.get("/en/private/")

    MembershipFactory(
        partner=senegal, user=UserFactory(first_name="Awa", last_name="Ndiaye"), role="alternate"
    )

    assert "Awa Ndiaye" in client.get("/en/private/").text


def test_an_invitation_leaves_the_dashboard_when_its_deadline_passes(
    client, senegal, senegal_focal_point
):
    meeting = upcoming_meeting(slug="border-management-2027", title="Border management meeting")
    now = timezone.now()
    meeting.invitation.nomination_deadline = now + datetime.timedelta(minutes=2)
    meeting.invitation.registration_deadline = now + datetime.timedelta(minutes=3)
    meeting.invitation.save()
    Delegation.objects.create(meeting=meeting, partner=senegal)
    to_name = reverse("meetings:delegation", kwargs={"slug": meeting.slug})
    client.force_login(senegal_focal_point)
    assert to_name in client.get("/en/private/").text
    assert to_name in client.get("/en/private/").text  # kept

    # Past both deadlines, well before the kept panel would expire by itself.
    with time_machine.travel(now + datetime.timedelta(minutes=4), tick=False):
        assert to_name not in client.get("/en/private/").text


def test_the_restricted_documents_seen_again_cost_no_query_of_their_own(
    client, senegal_focal_point
):
    DocumentFactory(title="Draft minutes", visibility="members")
    client.force_login(senegal_focal_point)

    first, built = queries_of(client, "/en/private/documents/")
    again, kept = queries_of(client, "/en/private/documents/")

    assert without_token(again) == without_token(first) and "Draft minutes" in again
    assert kept <= 3 < built


def test_a_document_shared_after_a_visit_is_listed_at_once_to_those_it_is_shared_with(
    client, senegal_focal_point, senegal_staff
):
    DocumentFactory(title="Draft minutes", visibility="members")
    for person in (senegal_staff, senegal_focal_point):
        client.force_login(person)
        client.get("/en/private/documents/")

    DocumentFactory(title="Focal points' note", visibility="focal_points")

    assert "Focal points&#x27; note" in client.get("/en/private/documents/").text
    client.force_login(senegal_staff)
    staff_page = client.get("/en/private/documents/").text
    assert "Draft minutes" in staff_page and "Focal points&#x27; note" not in staff_page
    french = client.get("/fr/private/documents/?kind=conclusions").text
    assert "Draft minutes" in french and "Documents réservés" in french
