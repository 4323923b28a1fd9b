"""How many activities served each item of a reference framework over a period.

Activities (meetings, labelled projects, ideas) live in apps above this one; each registers, in
its AppConfig.ready(), an ``ActivityKind`` saying which of its records count for a period. The
counting reads only the registry, so this module (and the stocktaking report that calls
``framework_coverage``) imports none of those apps.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from actionplan.models import Framework, FrameworkItem


@dataclass(frozen=True)
class ActivityKind:
    """A kind of activity that serves actions of the plans.

    ``during(start, end)`` returns the records of that kind that count for the period (each with
    an ``actions`` many-to-many relation); ``public`` says whether their counts may be shown to
    anyone; otherwise ``may_see(user)`` says who may see them.
    """

    key: str
    label: str
    during: Callable[[datetime.date, datetime.date], QuerySet]
    position: int = 0
    public: bool = True
    may_see: Callable = field(default=lambda user: False)

    def visible_to(self, user):
        return self.public or (user is not None and self.may_see(user))


_kinds: dict[str, ActivityKind] = {}


def register(kind: ActivityKind):
    """Add a kind of activity to the coverage counts (called from AppConfig.ready())."""
    _kinds[kind.key] = kind


def activity_kinds(user=None, *, include_private=False):
    """The registered kinds in their order: the public ones, those ``user`` may see, or all of
    them with ``include_private``."""
    kinds = sorted(_kinds.values(), key=lambda kind: (kind.position, kind.key))
    if include_private:
        return kinds
    return [kind for kind in kinds if kind.visible_to(user)]


@dataclass
class CoverageRow:
    """One item of a framework with how many activities of each kind served it."""

    item: FrameworkItem
    counts: dict[str, int]

    @property
    def total(self):
        return sum(self.counts.values())

    def count_list(self, kinds):
        return [self.counts.get(kind.key, 0) for kind in kinds]


def framework_coverage(framework: Framework, start, end, *, kinds=None) -> list[CoverageRow]:
    """For each item of ``framework``, in the framework's order, how many activities of each kind
    (``kinds``: default, the public ones) between ``start`` and ``end`` (dates, inclusive)
    served at least one action mapped to it. An activity serving several actions mapped to one
    item counts once for it; an activity is counted for each item it serves, so the items' counts
    do not add up to a number of activities. One query for the items and one per kind, whatever
    the number of activities.

    Returns a list of ``CoverageRow(item, counts)``, ``counts`` being ``{kind.key: number}``.
    """
    kinds = activity_kinds() if kinds is None else kinds
    items = list(framework.items.select_related("framework").order_by("position"))
    counts = {item.pk: {kind.key: 0 for kind in kinds} for item in items}
    for kind in kinds:
        activities = kind.during(start, end)
        # The period's records as a subquery: a ``during`` that joins or is distinct cannot
        # then multiply or merge the rows counted per item.
        per_item = (
            activities.model._default_manager.filter(pk__in=activities.values("pk"))
            .filter(actions__mappings__item__framework=framework)
            .values("actions__mappings__item")
            .annotate(number=Count("pk", distinct=True))
            .order_by()
        )
        for row in per_item:
            counts[row["actions__mappings__item"]][kind.key] = row["number"]
    return [CoverageRow(item, counts[item.pk]) for item in items]
