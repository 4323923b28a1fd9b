"""The laboratory's processes: each one a function that checks, records and notifies.

Views, the admin, the inbound e-mail handler and the tests call these, never the models'
``save`` directly for a change that others must hear of. Notifications leave once the
transaction commits, so a rolled-back comment is never announced.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ideas_lab import notifications, permissions
from ideas_lab.models import Comment, Follow, Idea, IdeaAttachment, IdeaStatusChange, Interest
from portal_lib.refusals import ActionRefused
from portal_lib.richtext import plain_text


def follow(user, idea, *, automatic=False):
    """Make ``user`` follow ``idea``. An automatic follow (authors, commenters) does not undo
    the person's own decision to stop following."""
    item, created = Follow.objects.get_or_create(idea=idea, user=user)
    if not created and not item.is_active and not automatic:
        item.is_active = True
        item.save(update_fields=["is_active"])
    return item


def unfollow(user, idea):
    Follow.objects.filter(idea=idea, user=user).update(is_active=False)


def is_following(user, idea):
    return Follow.objects.filter(idea=idea, user=user, is_active=True).exists()


@transaction.atomic
def save_idea(idea, user, *, publish, actions=None, countries=None, attachments=()):
    """Save ``idea`` as typed (a draft never loses what was typed), and publish it when asked
    and complete. Raises ``ActionRefused`` with the missing fields' errors on publication.

    Returns the idea. Its author follows it from the first save.
    """
    creating = idea.pk is None
    if creating:
        idea.submitted_by = user
        partner = permissions.partner_of(user)
        if partner is None:
            raise ActionRefused(_("Only a member of a partner submits an idea."))
        idea.partner = partner
    elif not permissions.can_edit_idea(user, idea):
        raise ActionRefused(_("Only the submitting partner and the Secretariat edit an idea."))
    publishing = publish and idea.is_draft
    if publishing:
        idea.is_draft = False
        idea.published_at = timezone.now()
    idea.last_activity_at = timezone.now()
    idea.save()
    if actions is not None:
        idea.actions.set(actions)
    if countries is not None:
        idea.countries.set(countries)
    if publishing:
        errors = idea.publication_errors()
        if errors:
            raise ActionRefused(errors)
        IdeaStatusChange.objects.create(idea=idea, to_status=idea.status, changed_by=user)
    for upload in attachments:
        IdeaAttachment.objects.create(idea=idea, file=upload, uploaded_by=user)
    if idea.submitted_by_id:
        follow(idea.submitted_by, idea, automatic=True)
    return idea


@transaction.atomic
def change_status(idea, user, status, note=""):
    """Move ``idea`` to ``status``, recording who did it; returns the history entry."""
    if not permissions.can_change_status(user, idea):
        raise ActionRefused(_("Only the submitting partner and the Secretariat change the status."))
    if status not in Idea.Status.values:
        raise ActionRefused(_("This status does not exist."))
    if status == idea.status:
        raise ActionRefused(_("The idea already has this status."))
    change = IdeaStatusChange.objects.create(
        idea=idea,
        from_status=idea.status,
        to_status=status,
        changed_by=user,
        note=plain_text(note)[:255],
    )
    idea.status = status
    idea.last_activity_at = timezone.now()
    idea.save(update_fields=["status", "last_activity_at", "updated_at"])
    return change


@transaction.atomic
def add_comment(idea, user, text, *, source=Comment.Source.WEB):
    """Post ``user``'s comment on ``idea``; the author then follows the idea (unless they had
    stopped) and every other follower is notified once the transaction commits."""
    if not permissions.can_comment(user, idea):
        raise ActionRefused(_("This idea does not take comments from you any more."))
    text = plain_text(text)
    if not text:
        raise ActionRefused(_("The comment is empty."))
    if len(text) > Comment.TEXT_MAX_LENGTH:
        raise ActionRefused(
            _("A comment has at most %(limit)s characters.") % {"limit": Comment.TEXT_MAX_LENGTH}
        )
    comment = Comment.objects.create(idea=idea, author=user, text=text, source=source)
    idea.touch()
    follow(user, idea, automatic=True)
    notifications.notify_followers("comment", comment)
    return comment


@transaction.atomic
def express_interest(idea, user, kind, message=""):
    """Record that ``user``'s partner wants to take part in ``idea``; followers hear of it."""
    if not permissions.can_express_interest(user, idea):
        raise ActionRefused(_("Your partner cannot express interest in this idea."))
    partner = permissions.partner_of(user)
    if Interest.objects.filter(idea=idea, partner=partner, kind=kind).exists():
        raise ActionRefused(_("Your partner has already expressed this interest."))
    interest = Interest.objects.create(
        idea=idea, partner=partner, kind=kind, message=message, expressed_by=user
    )
    idea.touch()
    follow(user, idea, automatic=True)
    notifications.notify_followers("interest", interest)
    return interest


@transaction.atomic
def hide_comment(comment, user, reason):
    """The Secretariat hides a comment from the page, saying why; the text is kept."""
    if not permissions.can_moderate(user):
        raise ActionRefused(_("Only the Secretariat hides comments."))
    reason = plain_text(reason)
    if not reason:
        raise ActionRefused(_("Say why the comment is hidden."))
    comment.is_hidden = True
    comment.hidden_reason = reason[:255]
    comment.hidden_by = user
    comment.save(update_fields=["is_hidden", "hidden_reason", "hidden_by"])
    return comment
