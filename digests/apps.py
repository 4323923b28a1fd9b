from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DigestsConfig(AppConfig):
    """E-mail digests of what is new for each member, on the Secretariat's schedule: the top
    floor, reading every app below it."""

    name = "digests"
    verbose_name = _("Digests")
