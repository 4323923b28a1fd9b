"""``{% translation_note record %}``: a note where a text is shown in another language."""

from django import template

from portal_lib.translations import shown_from

register = template.Library()


@register.inclusion_tag("translation_note.html")
def translation_note(record, *fields):
    """Says that texts of ``record`` (all its translated fields, or ``fields``) are not yet
    translated into the page's language, and in which language they are shown instead."""
    return {"languages": shown_from(record, list(fields) or None)}
