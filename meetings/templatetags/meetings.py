"""Blocks that the meetings app adds to the pages of the Action Plan (an app below it)."""

from django import template
from django.db.models import Q

from meetings import services
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
        "documents": documents[:20],
        "action": action,
        "domain": domain,
    }


@register.inclusion_tag("meetings/latest_restricted_documents.html", takes_context=True)
def latest_restricted_documents(context, count=5):
    """The newest restricted documents this person may see, for the private area's dashboard."""
    user = context["request"].user
    documents = Document.objects.visible_to(user).restricted().order_by("-created_at")[:count]
    return {"documents": documents}


@register.inclusion_tag("meetings/upcoming_meetings.html")
def upcoming_meetings(count=5):
    """The Dialogue's next meetings."""
    return {"meetings": Meeting.objects.for_listing().upcoming().order_by("start_date")[:count]}


@register.simple_tag(takes_context=True)
def uploads_reference_documents(context):
    """Whether the person is a focal point of a reference country, who uploads its roadmaps."""
    return services.reference_domains(context["request"].user).exists()
