"""Fields the Secretariat writes in English and French (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as track_history

from actionplan.models import (
    Action,
    ActionPlan,
    CrossCuttingPriority,
    Domain,
    Framework,
    FrameworkItem,
    FrameworkMapping,
    Objective,
    Recommendation,
    RecommendationFollowUp,
    RecommendationPart,
    ReferenceCountry,
)


@register(ActionPlan)
class ActionPlanTranslation(TranslationOptions):
    fields = ("name", "adopted_at", "description", "source")
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


@register(Framework)
class FrameworkTranslation(TranslationOptions):
    fields = ("name", "short_name", "item_name", "source")
    required_languages = {"en": ("name", "short_name", "item_name", "source")}


@register(FrameworkItem)
class FrameworkItemTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = {"en": ("title",)}


@register(RecommendationPart)
class RecommendationPartTranslation(TranslationOptions):
    fields = ("heading", "text")


@register(RecommendationFollowUp)
class RecommendationFollowUpTranslation(TranslationOptions):
    fields = ("description",)
    required_languages = {"en": ("description",)}


# The history of changes (who, when, what) that each record's admin page shows, kept by
# django-simple-history. Registered here, once the translated fields exist, so that each version
# keeps both languages; and before the admin's modules are imported, whose querysets would
# leave the copied fields still pointing at the original table.
for model in (
    ActionPlan,
    Domain,
    Objective,
    Action,
    CrossCuttingPriority,
    Framework,
    FrameworkItem,
    FrameworkMapping,
    ReferenceCountry,
    Recommendation,
    RecommendationPart,
    RecommendationFollowUp,
):
    track_history(model)
