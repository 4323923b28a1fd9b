"""E-mails to an idea's followers when someone comments or expresses interest."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from focalpoints.permissions import with_active_memberships
from ideas_lab import permissions
from ideas_lab.models import Follow
from ideas_lab.replies import address_for, make_token, notification_message_id, thread_id
from portal_lib.notifications import notify


def recipients(idea, author):
    """The followers to tell: active followers other than ``author`` who still may see the
    idea. Whether each wants an e-mail now is their preference (``wants_immediate``)."""
    follows = (
        Follow.objects.filter(idea=idea, is_active=True, user__is_active=True)
        .exclude(user=author)
        .select_related("user")
        .order_by("user__email")
    )
    users = with_active_memberships(follow.user for follow in follows)
    return [user for user in users if permissions.can_see_idea(user, idea)]


def wants_immediate(user):
    """Immediate notifications, not "digest only" or "off"."""
    from focalpoints.models import User

    return user.notifications == User.Notifications.IMMEDIATE


def idea_url(idea, language):
    with translation.override(language):
        return settings.SITE_URL + reverse("ideas:detail", kwargs={"pk": idea.pk})


def notify_followers(kind, event):
    """E-mail the followers of the idea of a new ``Comment`` or ``Interest`` (``kind`` names
    which), each in their language with a Reply-To address of their own; returns the
    deliveries (``portal_lib.notifications.notify``)."""
    idea = event.idea
    author = event.author if kind == "comment" else event.expressed_by

    def context(recipient):
        return {
            "idea": idea,
            "event": event,
            "author": author,
            "recipient": recipient.user,
            "idea_url": idea_url(idea, recipient.language),
        }

    def headers(recipient):
        token = make_token(recipient.user.pk, idea.pk)
        # Two identifiers bound to the token: the Message-ID, and one in References that
        # survives a provider rewriting the Message-ID (replies copy References, then add it).
        return {
            "Message-ID": notification_message_id(token),
            "In-Reply-To": thread_id(idea),
            "References": f"{thread_id(idea)} {notification_message_id(token)}",
            "Reply-To": address_for(token),
        }

    return notify(
        f"ideas.{kind}",
        f"idea-{kind}",
        recipients(idea, author),
        context,
        preference=wants_immediate,
        headers=headers,
    )
