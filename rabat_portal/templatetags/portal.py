"""Template tags used by every page of the portal."""

import functools

from django import template
from django.conf import settings
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def translated_url(context, language_code):
    """The current page (with its query string) in another language, or that language's home."""
    request = context["request"]
    # Every page asks twice per language (its alternate link and the language switcher), and
    # each translation resolves the path: worked out once per request.
    known = request.__dict__.setdefault("_translated_urls", {})
    if language_code not in known:
        known[language_code] = translate_url(request.get_full_path(), language_code)
    return known[language_code]


@register.simple_tag(takes_context=True)
def absolute_translated_url(context, language_code):
    """``translated_url`` at the portal's public address (``SITE_URL``), as hreflang
    alternates must be."""
    return f"{settings.SITE_URL}{translated_url(context, language_code)}"


@register.simple_tag
def secretariat_contact_email():
    """The Secretariat's contact address (``SECRETARIAT_CONTACT_EMAIL``), empty if unset."""
    return settings.SECRETARIAT_CONTACT_EMAIL


@register.filter
def choice_label(record, field_name):
    """What ``record.get_<field_name>_display`` shows, cheaply, for lists of many rows.

    At each call Django rebuilds the field's choices as a dict, hashing every lazy label and so
    translating all of them: on the calendar (hundreds of meetings, kind and status) that was a
    large share of the page. Here the dict is built once per field; only the label shown is
    translated, in the active language, when it is rendered.
    """
    value = getattr(record, field_name)
    return _choice_labels(type(record), field_name).get(value, value)


@functools.cache
def _choice_labels(model, field_name):
    return dict(model._meta.get_field(field_name).flatchoices)
