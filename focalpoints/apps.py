from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FocalPointsConfig(AppConfig):
    """Partners of the Dialogue, its chairmanships and Steering Committee; the bottom layer."""

    name = "focalpoints"
    verbose_name = _("Partners and focal points")

    def ready(self):
        from focalpoints import permissions, views
        from portal_lib.private_area import Link, Panel, add_link, add_panel, by_person

        add_link(
            Link(
                _("Focal points"),
                "focalpoints:directory",
                permissions.can_see_focal_point_directory,
                60,
            )
        )
        add_link(Link(_("My profile"), "focalpoints:profile", permissions.can_use_private_area, 90))
        add_link(
            Link(_("Two-factor authentication"), "mfa_index", permissions.can_use_private_area, 95)
        )
        add_panel(Panel("focalpoints/partner_panel.html", views.partner_panel, 10, key=by_person))

        self._register_gaps()

    def _register_gaps(self):
        from django.db.models import Q

        from focalpoints.models import Chairmanship, DatePrecision, Partner
        from focalpoints.models import SteeringCommitteeMembership as Membership
        from portal_lib import gaps

        gaps.register(
            "focalpoints.chairmanship.dates",
            _("Chairmanships without a full start date"),
            lambda: (
                Chairmanship.objects.filter(
                    Q(start__isnull=True) | ~Q(start_precision=DatePrecision.DAY)
                )
                .select_related("partner")
                .order_by("start", "end")
            ),
            order=50,
            help_text=_(
                'Enter the day the term started where a source gives it, and choose "Day" as '
                "its precision."
            ),
        )
        gaps.register_without_french(Partner, order=540)
        gaps.register_without_french(Chairmanship, order=541)
        gaps.register_without_french(Membership, order=542)
