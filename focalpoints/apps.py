from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FocalPointsConfig(AppConfig):
    """Partners of the Dialogue, its chairmanships and Steering Committee; the bottom layer."""

    name = "focalpoints"
    verbose_name = _("Partners and focal points")

    def ready(self):
        from focalpoints import permissions, views
        from portal_lib.private_area import Link, Panel, add_link, add_panel

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
        add_panel(Panel("focalpoints/partner_panel.html", views.partner_panel, 10))
