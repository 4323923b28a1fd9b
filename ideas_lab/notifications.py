"""E-mails to an idea's followers when someone comments or expresses interest."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from ideas_lab import permissions
from ideas_lab.models import Comment, Follow, Interest
from ideas_lab.replies import address_for, make_token, notification_message_id, thread_id
from portal_lib.emails import render_email


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
        token = make_token(user.pk, idea.pk)
        # Two identifiers bound to the token: the Message-ID, and one in References that
        # survives a provider rewriting the Message-ID (replies copy References, then add it).
        message_id = notification_message_id(token)
        references = f"{thread_id(idea)} {notification_message_id(token)}"
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
            headers={
                "Message-ID": message_id,
                "In-Reply-To": thread_id(idea),
                "References": references,
            },
        )
        message.reply_to = [address_for(token)]
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
