"""Fields the Secretariat writes in English and French (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as track_history

from stocktaking.models import (
    Acronym,
    ReportBox,
    ReportSection,
    ReportSubsection,
    StocktakingReport,
)


@register(Acronym)
class AcronymTranslation(TranslationOptions):
    fields = ("meaning",)
    required_languages = {"en": ("meaning",)}


@register(StocktakingReport)
class StocktakingReportTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = {"en": ("title",)}


@register(ReportSection)
class ReportSectionTranslation(TranslationOptions):
    fields = ("heading", "before", "after")


@register(ReportSubsection)
class ReportSubsectionTranslation(TranslationOptions):
    fields = ("heading", "text")


@register(ReportBox)
class ReportBoxTranslation(TranslationOptions):
    fields = ("title", "text")
    required_languages = {"en": ("title",)}


# The history of changes (who, when, what) that each record's admin page shows, kept by
# django-simple-history. Registered here, once the translated fields exist, so that each version
# keeps both languages; and before the admin's modules are imported, whose querysets would
# leave the copied fields still pointing at the original table.
for model in (Acronym, StocktakingReport, ReportSection, ReportSubsection, ReportBox):
    track_history(model)
