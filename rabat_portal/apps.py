from django.apps import AppConfig
from django.db import models
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _link_str(link):
    """A many-to-many link by the two records it links: "Conclusions – Madrid meeting"."""
    return " – ".join(
        str(getattr(link, field.name)) for field in link._meta.fields if field.many_to_one
    )


def name_links(registry):
    """Django calls the rows of a many-to-many table "Document_meetings object (38)" (an
    inline's rows, the summary of what a deletion removes): name them by what they link."""
    for model in registry.get_models(include_auto_created=True):
        if model._meta.auto_created and model.__str__ is models.Model.__str__:
            model.__str__ = _link_str


class RabatPortalConfig(AppConfig):
    """The project itself: composes the apps below it (home page, seed data, Secretariat group)."""

    name = "rabat_portal"
    verbose_name = _("Rabat Process portal")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from focalpoints.permissions import can_use_private_area
        from portal_lib.private_area import Link, add_link
        from rabat_portal import checks  # noqa: F401 (registers the deployment checks)
        from rabat_portal.middleware import SessionActivityMiddleware
        from rabat_portal.secretariat import grant_secretariat_permissions
        from rabat_portal.security import log_failed_login

        # Permissions only exist once every app has migrated, so a data migration cannot
        # grant them; post_migrate runs after that, on every migrate.
        post_migrate.connect(grant_secretariat_permissions, sender=self)
        name_links(self.apps)
        user_login_failed.connect(log_failed_login, dispatch_uid="rabat_portal.failed_login")
        user_logged_in.connect(
            SessionActivityMiddleware.mark_login, dispatch_uid="rabat_portal.session_activity"
        )
        add_link(Link(_("Dashboard"), "dashboard", can_use_private_area, 0))
