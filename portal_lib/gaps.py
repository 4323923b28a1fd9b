"""Content to complete: the gaps in the records that the Secretariat can fill in the admin.

Each app declares, in its ``AppConfig.ready()``, the kinds of gap its records can have (an
action without its wording, a document without a file or a link, …): a label, a function that
returns the records with that gap as a QuerySet, and how to reach the page that fills it (the
record's admin page unless told otherwise). The composing layer lists them on one page; the
stocktaking report's preview asks ``gaps_in(objects)`` to mark the same gaps. So no app names
the apps above it, and one ``register(...)`` call adds a kind everywhere.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class GapKind:
    """A kind of gap: ``find()`` returns the records that have it (a QuerySet)."""

    key: str
    label: str
    find: Callable
    edit_url: Callable | None = None
    describe: Callable | None = None
    order: int = 100
    help_text: str = ""

    def url_of(self, record):
        """Where the Secretariat fills the gap: ``edit_url(record)``, else the record's admin
        change page ("" when the admin has no page for it)."""
        if self.edit_url is not None:
            return self.edit_url(record)
        return admin_change_url(record)

    def name_of(self, record):
        return str(self.describe(record) if self.describe is not None else record)


@dataclass(frozen=True)
class Gap:
    """One record with one gap: what to show and where to fill it."""

    kind: GapKind
    record: object
    label: str
    url: str


@dataclass
class KindReport:
    """A kind of gap with the records that have it, for the page that lists them."""

    kind: GapKind
    gaps: list = field(default_factory=list)

    @property
    def count(self):
        return len(self.gaps)


_kinds: dict[str, GapKind] = {}


def register(key, label, find, *, edit_url=None, describe=None, order=100, help_text=""):
    """Declare a kind of gap (call it from ``AppConfig.ready()``); returns the ``GapKind``.

    ``find()`` returns a QuerySet of the records with the gap; ``edit_url(record)`` the page
    that fills it (the record's admin change page by default); ``describe(record)`` how the
    record is named in the list (``str(record)`` by default). Keyed by ``key``, so that
    ``ready()`` running twice registers nothing more.
    """
    kind = GapKind(key, label, find, edit_url, describe, order, help_text)
    _kinds[key] = kind
    return kind


def unregister(key):
    """Forget a kind (for tests that register their own)."""
    _kinds.pop(key, None)


def kinds():
    """Every registered kind, in order."""
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.key))


def admin_change_url(record):
    """The admin change page of ``record``, or "" when the admin has none."""
    meta = record._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
    except NoReverseMatch:
        return ""


def _gap(kind, record):
    return Gap(kind, record, kind.name_of(record), kind.url_of(record))


def report():
    """Every kind with the records that have it now: ``[KindReport]`` in order, empty kinds
    included (a count of 0 says that kind is complete)."""
    return [KindReport(kind, [_gap(kind, record) for record in kind.find()]) for kind in kinds()]


def gaps_in(objects):
    """The gaps of the given records (model instances of any models): ``{record: [Gap]}``,
    holding only the records that have at least one gap.

    One query per kind whose model is among them, whatever the number of records: the
    stocktaking report's preview marks the gaps of everything it prints with it.
    """
    by_model = defaultdict(dict)
    for record in objects:
        by_model[record._meta.concrete_model][record.pk] = record
    found = defaultdict(list)
    for kind in kinds():
        queryset = kind.find()
        records = by_model.get(queryset.model._meta.concrete_model)
        if not records:
            continue
        for pk in queryset.filter(pk__in=list(records)).values_list("pk", flat=True):
            record = records[pk]
            found[record].append(_gap(kind, record))
    return dict(found)


def without_french(model, fields=None, queryset=None):
    """The records of ``model`` (or of ``queryset``) with a translated field written in English
    but not in French. ``fields`` defaults to every field modeltranslation keeps for the model.
    """
    from modeltranslation.translator import translator

    if fields is None:
        fields = translator.get_options_for_model(model).get_field_names()
    condition = Q()
    for name in fields:
        english = Q(**{f"{name}_en__isnull": False}) & ~Q(**{f"{name}_en": ""})
        french = Q(**{f"{name}_fr__isnull": True}) | Q(**{f"{name}_fr": ""})
        condition |= english & french
    records = model._default_manager.all() if queryset is None else queryset
    return records.filter(condition)


def register_without_french(model, *, order=500, edit_url=None, describe=None, queryset=None):
    """Declare the kind "<records> with a text not yet in French" for a model translated with
    django-modeltranslation: every translated field written in English and empty in French
    (among the records ``queryset()`` returns, when given: those the public sees, say)."""
    from django.utils.text import format_lazy
    from django.utils.translation import gettext_lazy as _

    meta = model._meta
    return register(
        f"{meta.app_label}.{meta.model_name}.without-french",
        format_lazy(_("{records}: a text not yet in French"), records=meta.verbose_name_plural),
        lambda: without_french(model, queryset=queryset() if queryset else None),
        edit_url=edit_url,
        describe=describe,
        order=order,
        help_text=_("Pages in French show the English text with a note until it is translated."),
    )
