"""The columns of the comparative tables' and the framework coverage tables' downloads
(portal_lib.exports): what their pages show, one action or one item a row."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from portal_lib.exports import Column, joined


def action_wording(action):
    """The action's title, or the gap the pages show while the plan's wording is not known."""
    return action.title or _("wording to be completed")


def item_wording(item):
    """The item's wording, marked as the pages mark it while it is still to be checked."""
    if item.wording_confirmed:
        return item.title
    return f"{item.title} ({_('wording to be checked')})"


def comparative_table_columns(framework):
    """One row per action of the plan (prefetched ``framework_items``): its domain, objective,
    number and wording, then the items of ``framework`` it serves and their wording."""
    return [
        Column(_("Domain"), lambda action: action.objective.domain.number),
        Column(_("Objective"), lambda action: action.objective.number),
        Column(_("Action"), lambda action: action.number),
        Column(_("Wording"), action_wording),
        Column(framework.short_name, lambda a: joined(i.label for i in a.framework_items.all())),
        Column(
            _("Wording of the items"),
            lambda action: joined(item_wording(item) for item in action.framework_items.all()),
        ),
    ]


def coverage_columns(framework, kinds):
    """One row per item of ``framework`` (a ``CoverageRow``): the item, then how many activities
    of each kind the page shows (``kinds``) served it, and their total."""
    return [
        Column(capfirst(framework.item_name), lambda row: row.item.label),
        Column(_("Wording"), lambda row: item_wording(row.item)),
        *(Column(kind.label, lambda row, key=kind.key: row.counts.get(key, 0)) for kind in kinds),
        Column(_("Total"), lambda row: row.total),
    ]
