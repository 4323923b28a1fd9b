from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Meetings of the Dialogue, their outcomes and the document library."""

    name = "meetings"
    verbose_name = _("Meetings and documents")

    def ready(self):
        from actionplan import coverage
        from focalpoints.permissions import can_see_members_documents
        from meetings import flow_views, views
        from meetings.models import Meeting
        from meetings.permissions import can_use_meetings_area, is_reference_country_focal_point
        from portal_lib.private_area import Link, Panel, add_link, add_panel

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
            Panel("meetings/flow/invitations_panel.html", flow_views.my_invitations_panel, 35)
        )
        add_panel(
            Panel("meetings/latest_restricted_documents.html", views.restricted_documents_panel, 30)
        )
        add_panel(Panel("meetings/upcoming_meetings.html", views.upcoming_meetings_panel, 40))
        coverage.register(
            coverage.ActivityKind("meetings", _("Meetings held"), held_during, position=10)
        )
