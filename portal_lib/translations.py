"""Texts written in English and French (django-modeltranslation): which are shown in the
other language for want of a translation, and forms that do not turn a fallback into one."""

from django.conf import settings
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import get_language


def translated_fields(model):
    """The names of ``model``'s fields kept in each language (none if it is not translated)."""
    try:
        return list(translator.get_options_for_model(model).get_field_names())
    except NotRegistered:
        return []


def _own(record, name, language):
    return getattr(record, f"{name}_{language}", None) or ""


def shown_from(record, fields=None, language=None):
    """The languages whose text ``record`` shows in place of ``language``'s (the active one),
    for the fields given (every translated field by default): [] when all is translated."""
    language = language or get_language()
    fields = translated_fields(type(record)) if fields is None else fields
    others = [code for code, _name in settings.LANGUAGES if code != language]
    shown = []
    for name in fields:
        if _own(record, name, language):
            continue
        for code in others:
            if _own(record, name, code) and code not in shown:
                shown.append(code)
                break
    return shown


class KeepsFallbacks:
    """A ModelForm mixin: a translated field left as it was shown, the other language's text
    standing in for a missing one, stays missing (it is not saved as its translation)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = get_language()
        self._language = language
        self._fallbacks = {
            name: getattr(self.instance, name) or ""
            for name in translated_fields(type(self.instance))
            if name in self.fields and self.instance.pk and not _own(self.instance, name, language)
        }

    def _post_clean(self):
        super()._post_clean()
        for name, shown in self._fallbacks.items():
            value = self.cleaned_data.get(name)
            if value is not None and str(value).strip() == str(shown).strip():
                setattr(self.instance, f"{name}_{self._language}", "")
