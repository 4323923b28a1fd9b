"""Template tags used by every page of the portal."""

from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def translated_url(context, language_code):
    """The current page (with its query string) in another language, or that language's home."""
    request = context["request"]
    return translate_url(request.get_full_path(), language_code)
