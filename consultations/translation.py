from modeltranslation.translator import TranslationOptions, register
from simple_history import register as track_history

from consultations.models import Consultation


@register(Consultation)
class ConsultationTranslation(TranslationOptions):
    fields = ("title", "question")
    required_languages = {"en": ("title", "question")}


# Its history, as for the records of focalpoints (see focalpoints/translation.py for why here).
track_history(Consultation)
