"""Texts of labelling requests and labelled projects, in English and French
(django-modeltranslation): a partner writes in its language, the Secretariat adds the other."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as track_history

from labelling.models import LabellingRequest


@register(LabellingRequest)
class LabellingRequestTranslation(TranslationOptions):
    fields = ("title", "summary", "objectives", "expected_results", "results_summary")
    # A text written in French only is shown on the English pages too, with a note.
    fallback_languages = {"default": ("en", "fr")}


# The history of changes, registered once the translated fields exist, so that each version
# keeps both languages (as focalpoints/translation.py explains).
track_history(LabellingRequest)
