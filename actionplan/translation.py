"""Fields the Secretariat writes in English and French (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from actionplan.models import (
    Action,
    ActionPlan,
    CrossCuttingPriority,
    Domain,
    Objective,
    Recommendation,
    RecommendationFollowUp,
)


@register(ActionPlan)
class ActionPlanTranslation(TranslationOptions):
    fields = ("name", "adopted_at", "description")
    required_languages = {"en": ("name",)}


@register(Domain)
class DomainTranslation(TranslationOptions):
    fields = ("title", "full_title", "description")
    required_languages = {"en": ("title",)}


@register(Objective)
class ObjectiveTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"en": ("title",)}


@register(Action)
class ActionTranslation(TranslationOptions):
    fields = ("title", "description")


@register(CrossCuttingPriority)
class CrossCuttingPriorityTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"en": ("title",)}


@register(Recommendation)
class RecommendationTranslation(TranslationOptions):
    fields = ("title", "summary", "proposal")
    required_languages = {"en": ("title",)}


@register(RecommendationFollowUp)
class RecommendationFollowUpTranslation(TranslationOptions):
    fields = ("description",)
    required_languages = {"en": ("description",)}
