"""Lists read as plain rows (dicts) rather than model instances: the ``as_rows`` of the apps'
QuerySets read the columns of each language themselves, and fall back between them as the
translated fields do (django-modeltranslation), without an instance per record."""

from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname, resolution_order


def columns_in_turn(name, prefix=""):
    """The columns of the translated field ``name`` (reached through ``prefix``, such as
    "partner__") that its value reads in turn in the active language: its own, then those it
    falls back to."""
    return [
        f"{prefix}{build_localized_fieldname(name, code)}"
        for code in resolution_order(get_language())
    ]


def first_filled(row, columns):
    """The first of ``row``'s ``columns`` neither empty nor None, as a translated field falls
    back; "" when none is."""
    return next((row[column] for column in columns if row[column]), "")
