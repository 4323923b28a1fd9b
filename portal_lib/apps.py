from django.apps import AppConfig


class PortalLibConfig(AppConfig):
    """The ground floor: plumbing every app shares (stored files, upload checks, e-mail,
    gates, slugs, refusals, admin helpers). It imports from no other app of the portal."""

    name = "portal_lib"
    verbose_name = "Portal library"
