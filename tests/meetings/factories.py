import datetime

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.models import Document, Meeting, Participation
from tests.focalpoints.factories import PartnerFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name="conclusions.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"meeting-{n}")
    title = factory.Sequence(lambda n: f"Thematic meeting {n}")
    kind = Meeting.Kind.THEMATIC
    status = Meeting.Status.HELD
    start_date = datetime.date(2019, 7, 1)
    city = "Madrid"
    host_country = factory.SubFactory(PartnerFactory)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    meeting = factory.SubFactory(MeetingFactory)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document
        django_get_or_create = ["slug"]

    title = factory.Sequence(lambda n: f"Conclusions {n}")
    slug = factory.Sequence(lambda n: f"document-{n}")
    category = Document.Category.TECHNICAL_MEETINGS
    kind = Document.Kind.CONCLUSIONS
    visibility = Document.Visibility.PUBLIC
    file = factory.LazyFunction(pdf_upload)


def upcoming_meeting(**fields):
    """A hybrid thematic meeting in two months, with an invitation open for nominations (two
    seats, nominations closing in a month, registration in six weeks) and no partner yet."""
    from django.utils import timezone

    from meetings.models import MeetingInvitation

    today = timezone.localdate()
    meeting = MeetingFactory(
        status=Meeting.Status.PLANNED,
        format=Meeting.Format.HYBRID,
        start_date=today + datetime.timedelta(days=60),
        end_date=today + datetime.timedelta(days=61),
        **fields,
    )
    now = timezone.now()
    MeetingInvitation.objects.create(
        meeting=meeting,
        seats_per_delegation=2,
        profile_sought="National technical experts on border management",
        nomination_deadline=now + datetime.timedelta(days=30),
        registration_deadline=now + datetime.timedelta(days=45),
        practical_information="Venue: the ministry. Hotel: a block is reserved.",
        join_link="https://meet.example.org/secret-room",
    )
    return Meeting.objects.select_related("invitation").get(pk=meeting.pk)


def delegate(meeting, partner, **fields):
    """A delegate of ``partner``'s delegation to ``meeting`` (created if need be)."""
    from meetings.models import Delegate, Delegation, Profile

    delegation, _created = Delegation.objects.get_or_create(meeting=meeting, partner=partner)
    values = {
        "name": "Awa Ndiaye",
        "email": "awa@interior.sn",
        "function": "Border police officer",
        "institution": "Ministry of the Interior",
        "profile": Profile.NATIONAL_TECHNICAL_EXPERT,
        **fields,
    }
    return Delegate.objects.create(delegation=delegation, **values)
