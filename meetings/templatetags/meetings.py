"""Blocks that the meetings app adds to the pages of the Action Plan (an app below it)."""

from django import template
from django.db.models import Q

from meetings.models import Document, Meeting

register = template.Library()


@register.inclusion_tag("meetings/for_action_plan.html", takes_context=True)
def meetings_serving(context, action=None, domain=None):
    """The meetings and public documents that served an action or a domain, newest first."""
    meetings = Meeting.objects.select_related("host_country")
    documents = Document.objects.visible_to(context["request"].user)
    if action is not None:
        meetings = meetings.filter(actions=action)
        documents = documents.filter(actions=action)
    else:
        meetings = meetings.serving_domain(domain)
        documents = documents.filter(
            Q(actions__objective__domain=domain) | Q(domains=domain)
        ).distinct()
    return {
        "meetings": meetings.order_by("-start_date")[:50],
        "meeting_count": meetings.count(),
        "documents": documents[:20].as_rows(),
        "action": action,
        "domain": domain,
    }
