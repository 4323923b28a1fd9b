"""Fields the Secretariat writes in English and French (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from focalpoints.models import Chairmanship, Consultation, Partner, SteeringCommitteeMembership


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


@register(Consultation)
class ConsultationTranslation(TranslationOptions):
    fields = ("title", "question")
    required_languages = {"en": ("title", "question")}
