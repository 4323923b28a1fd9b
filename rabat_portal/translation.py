"""Fields the Secretariat writes in English and French (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from rabat_portal.models import Acronym, StocktakingReport


@register(Acronym)
class AcronymTranslation(TranslationOptions):
    fields = ("meaning",)
    required_languages = {"en": ("meaning",)}


@register(StocktakingReport)
class StocktakingReportTranslation(TranslationOptions):
    fields = (
        "title",
        "introduction",
        "objectives",
        "activities_note",
        "ways_of_working_note",
        "conclusion",
    )
    required_languages = {"en": ("title",)}
