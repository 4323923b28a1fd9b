from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RabatPortalConfig(AppConfig):
    """The project itself: composes the apps below it (home page, seed data, Secretariat group)."""

    name = "rabat_portal"
    verbose_name = _("Rabat Process portal")

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from focalpoints.permissions import can_use_private_area
        from portal_lib.private_area import Link, add_link
        from rabat_portal import checks  # noqa: F401 (registers the deployment checks)
        from rabat_portal.secretariat import grant_secretariat_permissions
        from rabat_portal.security import log_failed_login

        # Permissions only exist once every app has migrated, so a data migration cannot
        # grant them; post_migrate runs after that, on every migrate.
        post_migrate.connect(grant_secretariat_permissions, sender=self)
        user_login_failed.connect(log_failed_login, dispatch_uid="rabat_portal.failed_login")
        add_link(Link(_("Dashboard"), "dashboard", can_use_private_area, 0))
