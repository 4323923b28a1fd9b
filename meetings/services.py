"""Questions about meetings that several pages (and the stocktaking report) ask."""

import datetime
from pathlib import PurePath
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from actionplan.models import Action, Domain
from focalpoints.permissions import active_membership
from meetings.models import Document, Meeting
from portal_lib.slugs import free_slug


class Coverage(NamedTuple):
    domains: list  # Domain rows, each with ``activities``
    actions: list  # Action rows, each with ``activities``


def activity_coverage(plan, start: datetime.date, end: datetime.date) -> Coverage:
    """How many held meetings served each domain and each action of ``plan`` between ``start``
    and ``end`` (inclusive). A meeting that served several actions of one domain counts once for
    that domain. Two queries, whatever the number of meetings."""

    def held(prefix):
        return Q(
            **{
                f"{prefix}status": Meeting.Status.HELD,
                f"{prefix}start_date__gte": start,
                f"{prefix}start_date__lte": end,
            }
        )

    actions = (
        Action.objects.filter(plan=plan)
        .select_related("objective__domain", "plan")
        .annotate(activities=Count("meetings", filter=held("meetings__"), distinct=True))
        .order_by("number")
    )
    domains = (
        Domain.objects.filter(plan=plan)
        .select_related("plan")
        .annotate(
            activities=Count(
                "objectives__actions__meetings",
                filter=held("objectives__actions__meetings__"),
                distinct=True,
            )
        )
        .order_by("number")
    )
    return Coverage(list(domains), list(actions))


def duplicate_meeting(meeting):
    """A planned copy of ``meeting`` to prepare the next one like it: same kind, place, partners,
    actions and objective; no results, participation, documents or history. Returns the copy."""
    with transaction.atomic():
        copy = Meeting.objects.get(pk=meeting.pk)
        copy.pk = None
        copy.id = None
        copy._state.adding = True
        copy.slug = free_slug(Meeting, f"{meeting.slug}-copy", fallback="meeting", max_length=105)
        copy.status = Meeting.Status.PLANNED
        copy.status_reason = ""
        for field in ("status_reason_en", "status_reason_fr"):
            setattr(copy, field, "")
        copy.postponed_to = None
        copy.save()
        copy.organisers.set(meeting.organisers.all())
        copy.co_chairs.set(meeting.co_chairs.all())
        copy.actions.set(meeting.actions.all())
    return copy


def add_documents_to_meeting(meeting, files, **fields):
    """One document per uploaded file, linked to ``meeting`` and its actions, in one transaction.

    ``fields`` are the Document fields the files share (category, kind, language, visibility).
    The files must have been checked with ``uploads.inspect_upload``. Returns the documents.
    """
    documents = []
    with transaction.atomic():
        for upload in files:
            title = PurePath(upload.name).stem.replace("_", " ").strip() or upload.name
            slug = free_slug(Document, title, fallback="document", max_length=105)
            document = Document(title=title, slug=slug, file=upload, **fields)
            document.full_clean()
            document.save()
            document.meetings.add(meeting)
            document.actions.set(meeting.actions.all())
            documents.append(document)
    return documents


def reference_domains(user):
    """The domains for which ``user`` may upload their partner's roadmap and progress review:
    those whose reference country is the partner of this active focal point."""
    membership = active_membership(user)
    if membership is None or not membership.is_focal_point:
        return Domain.objects.none()
    return Domain.objects.filter(reference_countries__partner=membership.partner).select_related(
        "plan"
    )


def add_reference_document(user, *, domain, kind, title, language, upload):
    """Store a reference country's roadmap or progress review for ``domain``, restricted to focal
    points until the Secretariat publishes it. Raises ``PermissionDenied`` for anyone who is not
    a focal point of that domain's reference country."""
    if not reference_domains(user).filter(pk=domain.pk).exists():
        raise PermissionDenied
    with transaction.atomic():
        document = Document(
            title=title,
            slug=free_slug(Document, title, fallback="document", max_length=105),
            category=Document.Category.MONITORING,
            kind=kind,
            language=language,
            visibility=Document.Visibility.FOCAL_POINTS,
            file=upload,
            uploaded_by=user,
            published_on=timezone.localdate(),
        )
        document.full_clean()
        document.save()
        document.domains.add(domain)
    return document
