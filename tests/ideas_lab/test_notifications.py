"""Followers hear of new comments and interest by e-mail, in their language, with a reply
address of their own; the author and those who chose the digest or nothing do not."""

import pytest
from django.core import mail

from focalpoints.models import User
from ideas_lab import services
from ideas_lab.replies import answers_notification, read_token, token_from_address
from tests.focalpoints.factories import MembershipFactory, UserFactory
from tests.ideas_lab.factories import IdeaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea(senegal, senegal_focal_point):
    idea = IdeaFactory(partner=senegal, title="Diaspora forum", submitted_by=senegal_focal_point)
    services.follow(senegal_focal_point, idea)
    return idea


def member(partner, email, **fields):
    return MembershipFactory(user=UserFactory(email=email, **fields), partner=partner).user


def test_a_comment_reaches_every_follower_but_its_author(
    idea, spain, spain_focal_point, senegal_focal_point, django_capture_on_commit_callbacks
):
    other = member(spain, "second@spain.example")
    services.follow(other, idea)

    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(idea, spain_focal_point, "Spain can share its experience.")

    assert sorted(m.to[0] for m in mail.outbox) == ["nfp@senegal.example", "second@spain.example"]
    message = mail.outbox[0]
    assert "Spain can share its experience." in message.body
    assert "http://testserver" not in message.body
    assert f"/en/private/ideas/{idea.pk}/" in message.body
    html = message.alternatives[0][0]
    assert "Spain can share its experience." in html and f"/private/ideas/{idea.pk}/" in html


def test_nothing_is_sent_before_the_transaction_commits(idea, spain_focal_point):
    services.add_comment(idea, spain_focal_point, "Not yet committed.")

    assert mail.outbox == []


@pytest.mark.parametrize(
    "preference, expected",
    [
        (User.Notifications.IMMEDIATE, 1),
        (User.Notifications.DIGEST, 0),
        (User.Notifications.OFF, 0),
    ],
)
def test_the_follower_preference_decides(
    idea,
    spain_focal_point,
    senegal_focal_point,
    preference,
    expected,
    django_capture_on_commit_callbacks,
):
    senegal_focal_point.notifications = preference
    senegal_focal_point.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(idea, spain_focal_point, "Hello")

    assert len(mail.outbox) == expected


def test_followers_who_lost_access_are_not_written_to(
    idea, spain_focal_point, senegal_focal_point, django_capture_on_commit_callbacks
):
    senegal_focal_point.membership.is_active = False
    senegal_focal_point.membership.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(idea, spain_focal_point, "Hello")

    assert mail.outbox == []


def test_interest_is_announced_in_the_follower_language(
    idea, spain_focal_point, senegal_focal_point, django_capture_on_commit_callbacks
):
    senegal_focal_point.language = "fr"
    senegal_focal_point.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.express_interest(idea, spain_focal_point, "co_funding", "Half of it.")

    (message,) = mail.outbox
    assert message.subject == "Spain est intéressé par « Diaspora forum »"
    assert "/fr/private/ideas/" in message.body and "Half of it." in message.body
    assert "Cofinancement" in message.body


def test_each_reply_to_is_unique_to_its_recipient_and_idea(
    idea, spain, spain_focal_point, senegal_focal_point, django_capture_on_commit_callbacks
):
    other = member(spain, "second@spain.example")
    services.follow(other, idea)

    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(idea, spain_focal_point, "Hello")

    addresses = {m.to[0]: m.reply_to[0] for m in mail.outbox}
    assert len(set(addresses.values())) == 2
    for email, address in addresses.items():
        assert address.startswith("ideas+") and address.endswith("@reply.localhost")
        assert len(address.partition("@")[0]) <= 64
        user_id, idea_id = read_token(token_from_address(address))
        assert (User.objects.get(pk=user_id).email, idea_id) == (email, idea.pk)


def test_a_notification_names_its_reply_address_in_its_message_id_and_references(
    idea, spain_focal_point, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(idea, spain_focal_point, "Spain can share its experience.")

    (message,) = mail.outbox
    token = token_from_address(message.reply_to[0])
    message_id, references = (
        message.extra_headers["Message-ID"],
        message.extra_headers["References"],
    )
    assert answers_notification(token, message_id)
    # Kept in References too, for a provider that rewrites the Message-ID on the way out.
    assert answers_notification(token, references.replace(message_id, ""))
    assert not answers_notification(token + "x", f"{message_id} {references}")
    assert f"<idea-{idea.pk}@reply.localhost>" in references


def test_who_may_read_the_idea_is_asked_once_for_all_its_followers(idea, spain, senegal):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ideas_lab.notifications import recipients

    author = member(spain, "author@spain.example")
    counts = []
    for total in (2, 12):
        while idea.follows.count() < total:
            services.follow(member(senegal, f"f{idea.follows.count()}@senegal.example"), idea)
        with CaptureQueriesContext(connection) as queries:
            assert len(recipients(idea, author)) == total
        counts.append(len(queries))
    assert counts[0] == counts[1]
