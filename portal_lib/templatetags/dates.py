"""The template filter ``date``, loaded as a builtin in place of Django's: it formats through
``portal_lib.dates`` (so "1er mai" in French); time zones are handled as Django's does."""

from django import template
from django.template.defaultfilters import date as django_date
from django.utils import timezone

from portal_lib.dates import date_format

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    if value in (None, ""):
        return ""
    if getattr(value, "day", None) != 1:
        return django_date(value, arg)
    if isinstance(value, timezone.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    try:
        return date_format(value, arg)
    except AttributeError:
        return ""
