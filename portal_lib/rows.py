"""Lists read as plain rows (dicts) rather than model instances: the ``as_rows`` of the apps'
QuerySets read the columns of each language themselves, and fall back between them as the
translated fields do (django-modeltranslation), without an instance per record."""

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
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


_patterns = {}
# Taken by both a number's and a slug's converter, and found nowhere else in an address.
_MARKER = 918273645


def address_pattern(url_name, key=None, **kwargs):
    """The address ``url_name`` names, with ``{key}`` in place of its argument ``key`` (a slug
    or a number, which need no quoting) and ``kwargs`` as its other arguments: each row fills
    in its own (``pattern.format(slug=row["slug"])``). Without ``key``, the address itself.

    Reversed once per process for each language, prefix and URLconf: a list's rows each link
    to a page, and reversing for each row was a large share of a row's cost."""
    cache_key = (
        url_name,
        key,
        tuple(sorted(kwargs.items())),
        get_language(),
        get_script_prefix(),
        get_urlconf(settings.ROOT_URLCONF),
    )
    pattern = _patterns.get(cache_key)
    if pattern is None:
        if key is None:
            pattern = reverse(url_name, kwargs=kwargs)
        else:
            url = reverse(url_name, kwargs={**kwargs, key: _MARKER})
            pattern = url.replace(str(_MARKER), f"{{{key}}}")
        _patterns[cache_key] = pattern
    return pattern
