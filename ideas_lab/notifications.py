"""E-mails to an idea's followers when someone comments or expresses interest."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from focalpoints.emails import render_email
from ideas_lab import permissions
from ideas_lab.models import Comment, Follow, Interest
from ideas_lab.replies import reply_address, thread_id


def recipients(idea, author):
    """The people to e-mail now: active followers other than ``author`` who still may see the
    idea and who chose immediate notifications (not "digest only" or "off")."""
    from focalpoints.models import User

    follows = (
        Follow.objects.filter(idea=idea, is_active=True, user__is_active=True)
        .exclude(user=author)
        .filter(user__notifications=User.Notifications.IMMEDIATE)
        .select_related("user")
    )
    return [f.user for f in follows if permissions.can_see_idea(f.user, idea)]


def idea_url(idea, language):
    with translation.override(language):
        return settings.SITE_URL + reverse("ideas:detail", kwargs={"pk": idea.pk})


def build_messages(kind, event):
    """One e-mail per recipient for a new ``Comment`` or ``Interest`` (``kind`` names which),
    each in the recipient's language with its own Reply-To address."""
    idea = event.idea
    author = event.author if kind == "comment" else event.expressed_by
    messages = []
    for user in recipients(idea, author):
        message = render_email(
            f"idea-{kind}",
            {
                "idea": idea,
                "event": event,
                "author": author,
                "recipient": user,
                "idea_url": idea_url(idea, user.language),
            },
            user.language,
            to=[user.email],
            headers={"In-Reply-To": thread_id(idea), "References": thread_id(idea)},
        )
        message.reply_to = [reply_address(user, idea)]
        messages.append(message)
    return messages


def notify(kind, pk):
    """Send the notifications of the comment or interest ``pk``; returns how many were sent."""
    if kind == "comment":
        events = Comment.objects.shown().select_related("idea__partner", "author")
    else:
        events = Interest.objects.select_related("idea__partner", "partner", "expressed_by")
    event = events.filter(pk=pk).first()
    if event is None:
        return 0
    messages = build_messages(kind, event)
    for message in messages:
        message.send()
    return len(messages)
