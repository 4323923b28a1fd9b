from django.apps import AppConfig
from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Meetings of the Dialogue, their outcomes and the document library."""

    name = "meetings"
    verbose_name = _("Meetings and documents")

    def ready(self):
        from actionplan import coverage
        from focalpoints.permissions import can_see_members_documents
        from meetings import flow_views, views
        from meetings.models import Document, Meeting
        from meetings.permissions import can_use_meetings_area, is_reference_country_focal_point
        from portal_lib.private_area import Link, Panel, add_link, add_panel, by_person

        def held_during(start, end):
            return Meeting.objects.held().filter(start_date__range=(start, end))

        add_link(
            Link(
                _("Restricted documents"),
                "meetings:restricted-documents",
                can_see_members_documents,
                10,
            )
        )
        add_link(
            Link(
                _("Reference country"),
                "meetings:reference-documents",
                is_reference_country_focal_point,
                70,
            )
        )
        add_link(Link(_("Meetings"), "meetings:my-meetings", can_use_meetings_area, 15))
        add_panel(
            Panel(
                "meetings/flow/invitations_panel.html",
                flow_views.my_invitations_panel,
                35,
                key=by_person,
            )
        )
        add_panel(
            Panel(
                "meetings/latest_restricted_documents.html",
                views.restricted_documents_panel,
                30,
                # The same for everyone who may see the same kinds of documents.
                key=lambda request: ",".join(Document.audiences_of(request.user)),
            )
        )
        add_panel(
            Panel(
                "meetings/upcoming_meetings.html",
                views.upcoming_meetings_panel,
                40,
                key=lambda request: "everyone",
            )
        )
        coverage.register(
            coverage.ActivityKind("meetings", _("Meetings held"), held_during, position=10)
        )

        self._register_gaps()

    def _register_gaps(self):
        from django.db.models import Q

        from meetings.models import (
            Document,
            Meeting,
            MeetingDateChange,
            MeetingResult,
            Participation,
        )
        from portal_lib import gaps

        gaps.register(
            "meetings.document.no-file",
            _("Documents without a file or a link"),
            lambda: Document.objects.filter(file="", url="").order_by("title", "pk"),
            order=30,
            help_text=_("Upload the file or enter the address where the document is kept."),
        )
        no_figures = Q(participation__isnull=True) | Q(
            participation__participants__isnull=True,
            participation__delegations__isnull=True,
            participation__partner_countries__isnull=True,
        )
        gaps.register(
            "meetings.meeting.no-participation",
            _("Held meetings without participation figures"),
            lambda: (
                Meeting.objects.held()
                .filter(no_figures)
                # Figures counted from attendance records need no typing.
                .exclude(attendance_recorded=True)
                .order_by(models.F("start_date").asc(nulls_first=True), "title", "pk")
            ),
            describe=lambda meeting: f"{meeting.title} ({meeting.dates_display})",
            order=40,
            help_text=_(
                "Enter the participants, delegations or partner countries where a source "
                "gives them."
            ),
        )
        on_meeting_page = {"edit_url": lambda part: gaps.admin_change_url(part.meeting)}
        gaps.register_without_french(Meeting, order=530)
        gaps.register_without_french(Document, order=531)
        gaps.register_without_french(MeetingDateChange, order=532, **on_meeting_page)
        gaps.register_without_french(MeetingResult, order=533, **on_meeting_page)
        gaps.register_without_french(Participation, order=534, **on_meeting_page)
