from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PortalLibConfig(AppConfig):
    """The ground floor: plumbing every app shares (stored files, upload checks, e-mail and
    the record of every e-mail sent, gates, slugs, refusals, admin helpers). It imports from no
    other app of the portal."""

    name = "portal_lib"
    # In the admin it holds the e-mail deliveries, and is named for them.
    verbose_name = _("E-mail")

    def ready(self):
        from portal_lib import page_cache

        # Every model of the apps whose records public pages show, whichever engineer adds it.
        page_cache.track_apps(settings.PAGE_CACHE_APPS)
