from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionPlanConfig(AppConfig):
    """Action plans, their domains, objectives and actions, reference countries, recommendations."""

    name = "actionplan"
    verbose_name = _("Action Plan")
