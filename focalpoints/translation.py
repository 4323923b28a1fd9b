"""Fields the Secretariat writes in English and French (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from focalpoints.models import Chairmanship, Partner, SteeringCommitteeMembership


@register(Partner)
class PartnerTranslation(TranslationOptions):
    fields = ("name", "short_name", "description")
    required_languages = {"en": ("name",)}


@register(SteeringCommitteeMembership)
class SteeringCommitteeMembershipTranslation(TranslationOptions):
    fields = ("note",)


@register(Chairmanship)
class ChairmanshipTranslation(TranslationOptions):
    fields = ("occasion",)
