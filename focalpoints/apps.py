from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FocalPointsConfig(AppConfig):
    """Partners of the Dialogue, its chairmanships and Steering Committee; the bottom layer."""

    name = "focalpoints"
    verbose_name = _("Partners and focal points")
