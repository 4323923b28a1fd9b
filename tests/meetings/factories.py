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
