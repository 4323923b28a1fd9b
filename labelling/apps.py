from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabellingConfig(AppConfig):
    """Requests for the "Rabat Process" label, their review, and labelled projects."""

    name = "labelling"
    verbose_name = _("Labelling")
