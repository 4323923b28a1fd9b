"""Reference countries' focal points upload their domain's roadmap; the Secretariat publishes it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actionplan.models import Domain
from focalpoints.models import Membership, Partner
from meetings.models import Document
from tests.focalpoints.factories import MembershipFactory, UserFactory
from tests.meetings.factories import PDF_BYTES

pytestmark = pytest.mark.django_db
URL = "/en/private/reference-country/"


@pytest.fixture
def spain_reference(seeded):
    """Spain's focal point: Spain is a reference country of domain 4 in the report."""
    return MembershipFactory(
        user=UserFactory(email="nfp@spain.example"),
        partner=Partner.objects.get(slug="spain"),
        role=Membership.Role.FOCAL_POINT,
    ).user


def upload(client, domain, name="roadmap.pdf", content=PDF_BYTES):
    return client.post(
        URL,
        {
            "domain": domain.pk,
            "kind": "roadmap",
            "title": "Roadmap of domain 4",
            "language": "en",
            "upload": SimpleUploadedFile(name, content),
        },
    )


def test_the_roadmap_is_restricted_until_the_secretariat_publishes_it(
    client, spain_reference, secretariat
):
    domain = Domain.objects.get(number=4)
    client.force_login(spain_reference)

    response = upload(client, domain)

    document = Document.objects.get(slug="roadmap-of-domain-4")
    assert response.status_code == 302
    assert document.visibility == Document.Visibility.FOCAL_POINTS
    assert list(document.domains.all()) == [domain] and document.uploaded_by == spain_reference
    client.logout()
    assert "Roadmap of domain 4" not in client.get(domain.get_absolute_url()).text

    client.force_login(secretariat)
    client.post(
        reverse("admin:meetings_document_changelist"),
        {"action": "publish", "_selected_action": [document.pk]},
    )
    client.logout()

    assert "Roadmap of domain 4" in client.get(domain.get_absolute_url()).text


def test_only_the_reference_country_s_domains_can_be_chosen(client, spain_reference):
    client.force_login(spain_reference)

    response = upload(client, Domain.objects.get(number=1))

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Document.objects.filter(slug="roadmap-of-domain-4").exists()


def test_a_wrong_file_is_refused_with_a_message(client, spain_reference):
    client.force_login(spain_reference)

    response = upload(client, Domain.objects.get(number=4), "roadmap.pdf", b"<script>1</script>")

    assert "This file is not an accepted type" in response.text
    assert not Document.objects.filter(slug="roadmap-of-domain-4").exists()


def test_other_focal_points_are_told_there_is_nothing_to_upload(
    client, seeded, senegal_focal_point
):
    client.force_login(senegal_focal_point)

    response = client.get(URL)

    assert "not a reference country" in response.text
    assert upload(client, Domain.objects.get(number=4)).status_code == 200
    assert not Document.objects.filter(slug="roadmap-of-domain-4").exists()


def test_the_menu_offers_reference_country_uploads_only_to_reference_countries_focal_points(
    client, spain_reference
):
    elsewhere = Partner.objects.exclude(reference_country_roles__isnull=False).first()
    other = MembershipFactory(
        user=UserFactory(email="nfp@elsewhere.example"),
        partner=elsewhere,
        role=Membership.Role.FOCAL_POINT,
    ).user
    dashboard = reverse("dashboard")

    client.force_login(spain_reference)
    assert f'href="{URL}"' in client.get(dashboard).text
    client.force_login(other)
    assert f'href="{URL}"' not in client.get(dashboard).text
