from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Meetings of the Dialogue, their outcomes and the document library."""

    name = "meetings"
    verbose_name = _("Meetings and documents")
