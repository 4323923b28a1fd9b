"""Fields the Secretariat writes in English and French (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from meetings.models import Document, Meeting, MeetingDateChange, MeetingResult, Participation


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


@register(Document)
class DocumentTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"en": ("title",)}
