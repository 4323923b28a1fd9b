"""Dates in the reader's language: the one place where the portal formats a date.

Django formats the first of a month in French as "1 mai"; French typography writes "1er mai".
Every date the portal prints goes through ``date_format`` (the template filter ``date`` is
this one too, see ``portal_lib.templatetags.dates``), so the rule lives here only.
"""

import re

from django.utils import formats
from django.utils.dateformat import format as format_with
from django.utils.translation import get_language

# The day of the month without a leading zero, not escaped by a backslash.
_DAY = re.compile(r"(?<!\\)j")


def first_of_month_format(value, format_string):
    """``format_string`` with the French ordinal after day 1 ("j" → "j\\e\\r")."""
    if getattr(value, "day", None) != 1 or not (get_language() or "").startswith("fr"):
        return format_string
    return _DAY.sub(r"j\\e\\r", format_string)


def date_format(value, format=None):
    """``django.utils.formats.date_format`` (a format name such as "DATE_FORMAT", or a format
    string), with "1er" for the first of a month in French."""
    if value in (None, ""):
        return ""
    name = format or "DATE_FORMAT"
    format_string = formats.get_format(name) if name.isupper() else name
    return format_with(value, first_of_month_format(value, format_string))
