"""Fields the Secretariat writes in English and French (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from rabat_portal.models import Acronym


@register(Acronym)
class AcronymTranslation(TranslationOptions):
    fields = ("meaning",)
    required_languages = {"en": ("meaning",)}
