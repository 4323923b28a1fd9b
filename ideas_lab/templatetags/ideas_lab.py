"""Blocks and filters of the laboratory, including the block it adds to Action Plan pages
(actionplan, an app below, only names the tag in its template)."""

from django import template

from ideas_lab import permissions
from ideas_lab.models import Idea

register = template.Library()


@register.inclusion_tag("ideas_lab/for_action.html", takes_context=True)
def ideas_serving(context, action):
    """The published ideas that serve ``action``, for signed-in members and the Secretariat."""
    user = context["request"].user
    if not permissions.can_use_laboratory(user):
        return {"shown": False}
    ideas = Idea.objects.visible_to(user).published().serving(action).select_related("partner")
    return {"shown": True, "ideas": ideas[:20], "action": action}
