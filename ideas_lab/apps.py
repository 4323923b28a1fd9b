from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasLabConfig(AppConfig):
    """The laboratory of ideas: proposals, requests for assistance, comments and interest."""

    name = "ideas_lab"
    verbose_name = _("Laboratory of ideas")
