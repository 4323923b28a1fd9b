"""Blocks and filters of the laboratory, including the block it adds to Action Plan pages
(actionplan, an app below, only names the tag in its template)."""

from django import template
from django.utils.safestring import mark_safe

from ideas_lab import permissions
from ideas_lab.models import Idea
from ideas_lab.sanitise import sanitise_html

register = template.Library()


@register.filter
def sanitised(value):
    """Formatted text, cleaned again as it is shown: stored text is never trusted blindly."""
    return mark_safe(sanitise_html(value))


@register.inclusion_tag("ideas_lab/for_action.html", takes_context=True)
def ideas_serving(context, action):
    """The published ideas that serve ``action``, for signed-in members and the Secretariat."""
    user = context["request"].user
    if not permissions.can_use_laboratory(user):
        return {"shown": False}
    ideas = Idea.objects.visible_to(user).published().serving(action).select_related("partner")
    return {"shown": True, "ideas": ideas[:20], "action": action}
