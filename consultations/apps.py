from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    """Consultation rounds of the partners' focal points: above focalpoints, whose partners and
    memberships they address."""

    name = "consultations"
    verbose_name = _("Consultations")

    def ready(self):
        from consultations import views
        from focalpoints.permissions import can_use_private_area
        from portal_lib.private_area import Link, Panel, add_link, add_panel, by_person

        add_link(Link(_("Consultations"), "consultations:consultations", can_use_private_area, 20))
        add_panel(
            Panel("consultations/dashboard_panel.html", views.dashboard_panel, 20, key=by_person)
        )

        from consultations.models import Consultation
        from portal_lib import gaps, page_cache

        # No public page shows a consultation, but the dashboard's panel is kept by the content
        # version: a consultation or an answer saved makes it out of date.
        page_cache.track(*self.get_models())

        gaps.register_without_french(Consultation, order=550)
