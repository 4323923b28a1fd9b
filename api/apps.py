from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The open-data API: the public records of the apps below it, read-only, as JSON."""

    name = "api"
    verbose_name = _("Open data")

    def ready(self):
        # Registers the schema's extension for the pages' FilterSets.
        from api import schema  # noqa: F401
