from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StocktakingReportConfig(AppConfig):
    """The stocktaking report, assembled from every app's records and rendered as a PDF: the top
    floor, reading every app below it."""

    name = "stocktaking"
    verbose_name = _("Stocktaking report")
