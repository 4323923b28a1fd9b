"""Blocks that labelling adds to the pages of apps below it (actions, partners)."""

from django import template
from django.db.models import Q

from labelling.listing import project_rows
from labelling.models import LabellingRequest

register = template.Library()


@register.inclusion_tag("labelling/for_action_plan.html")
def labelled_projects(action=None, partner=None):
    """The labelled projects that implement ``action``, or in which ``partner`` takes part."""
    projects = LabellingRequest.objects.labelled().for_public_list()
    if action is not None:
        projects = projects.filter(actions=action)
    if partner is not None:
        # A partner may hold several of these roles in one project: each project once.
        projects = projects.filter(
            Q(lead_partner=partner)
            | Q(co_implementing_partners=partner)
            | Q(funding_partners=partner)
        ).distinct()
    # One action is linked to a project once: no DISTINCT over whole joined rows there.
    return {"rows": project_rows(projects.order_by("-decided_at", "title")[:50])}
