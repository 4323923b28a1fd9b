"""Fields the Secretariat writes in English and French (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as track_history

from meetings.models import (
    Document,
    EvaluationQuestion,
    Meeting,
    MeetingDateChange,
    MeetingInvitation,
    MeetingResult,
    Participation,
)


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = (
        "title",
        "city",
        "status_reason",
        "summary",
        "objective",
        "deliberations",
        "reaction",
        "reaction_source",
    )
    required_languages = {"en": ("title",)}


@register(MeetingDateChange)
class MeetingDateChangeTranslation(TranslationOptions):
    fields = ("previous_city", "reason")


@register(MeetingResult)
class MeetingResultTranslation(TranslationOptions):
    fields = ("text",)
    required_languages = {"en": ("text",)}


@register(Participation)
class ParticipationTranslation(TranslationOptions):
    fields = ("profile",)


@register(MeetingInvitation)
class MeetingInvitationTranslation(TranslationOptions):
    fields = ("profile_sought", "practical_information", "visa_letter")


@register(EvaluationQuestion)
class EvaluationQuestionTranslation(TranslationOptions):
    fields = ("text",)
    required_languages = {"en": ("text",)}


@register(Document)
class DocumentTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"en": ("title",)}


# The history of changes (who, when, what) that each record's admin page shows, kept by
# django-simple-history. Registered here, once the translated fields exist, so that each version
# keeps both languages; and before the admin's modules are imported, whose querysets would
# leave the copied fields still pointing at the original table.
for model in (Meeting, MeetingDateChange, MeetingResult, Participation, Document):
    track_history(model)
