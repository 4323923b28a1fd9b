"""Fields the Secretariat writes in English and French (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as track_history

from focalpoints.models import (
    Chairmanship,
    Membership,
    Partner,
    SteeringCommitteeMembership,
)


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


# The history of changes (who, when, what) that each record's admin page shows, kept by
# django-simple-history. Registered here, once the translated fields exist, so that each version
# keeps both languages; and before the admin's modules are imported, whose querysets would
# leave the copied fields still pointing at the original table.
for model in (Partner, SteeringCommitteeMembership, Chairmanship, Membership):
    track_history(model)
