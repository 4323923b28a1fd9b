from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionPlanConfig(AppConfig):
    """Action plans, their domains, objectives and actions, reference countries, recommendations."""

    name = "actionplan"
    verbose_name = _("Action Plan")

    def ready(self):
        from django.db.models import Q

        from actionplan import models
        from portal_lib import gaps

        gaps.register(
            "actionplan.action.wording",
            _("Actions without an adopted wording"),
            lambda: (
                models.Action.objects.filter(
                    Q(wording_confirmed=False) | Q(title="") | Q(description="")
                )
                .select_related("plan")
                .order_by("plan__start_year", "number")
            ),
            describe=lambda action: f"{action.plan.name}: {action}",
            order=10,
            help_text=_(
                "Enter the action's title and wording as the plan adopted them, then tick "
                '"wording confirmed".'
            ),
        )
        for order, model in enumerate(
            [
                models.ActionPlan,
                models.Domain,
                models.Objective,
                models.Action,
                models.CrossCuttingPriority,
                models.Recommendation,
            ],
            start=510,
        ):
            gaps.register_without_french(model, order=order)
        gaps.register(
            "actionplan.frameworkitem.wording",
            _("Framework items whose wording is to be checked"),
            lambda: (
                models.FrameworkItem.objects.filter(wording_confirmed=False)
                .select_related("framework")
                .order_by("framework", "pk")
            ),
            describe=lambda item: f"{item.framework}: {item}",
            order=11,
            help_text=_(
                "Check the item's official wording in English and French against the framework's "
                'source, then tick "wording confirmed".'
            ),
        )
        gaps.register_without_french(models.Framework, order=518)
        gaps.register_without_french(models.FrameworkItem, order=519)
        gaps.register_without_french(
            models.RecommendationPart,
            order=520,
            edit_url=lambda part: gaps.admin_change_url(part.recommendation),
        )
        gaps.register_without_french(
            models.RecommendationFollowUp,
            order=517,
            edit_url=lambda follow_up: gaps.admin_change_url(follow_up.recommendation),
        )
