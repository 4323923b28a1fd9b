"""The digest's news from the laboratory of ideas and from labelling."""

import datetime

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from digests import services as digests
from ideas_lab import services as ideas
from ideas_lab.models import Idea, Interest
from tests.actionplan.factories import DomainFactory
from tests.labelling.factories import LabellingRequestFactory, move_to

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://portal.example"
    settings.DIGEST_RETRY_BACKOFF = 0
    cache.clear()  # the marks of digests sent in other tests
    yield
    cache.clear()


def digest_for(user):
    (message,) = [m for m in mail.outbox if m.to == [user.email]]
    return message.body, message.alternatives[0][0]


def publish(user, title):
    idea = Idea(
        kind=Idea.Kind.PROJECT_PROPOSAL,
        title=title,
        summary="A summary.",
        description="<p>The idea.</p>",
        domain=DomainFactory(),
    )
    return ideas.save_idea(idea, user, publish=True)


def test_new_ideas_and_news_of_followed_ideas_reach_members(
    senegal_focal_point, senegal_staff, spain_focal_point
):
    followed = publish(senegal_focal_point, "Diaspora savings fund")
    Idea.objects.filter(pk=followed.pk).update(published_at=timezone.now() - datetime.timedelta(30))
    other = publish(senegal_staff, "Seasonal work scheme")
    Idea.objects.filter(pk=other.pk).update(published_at=timezone.now() - datetime.timedelta(30))
    ideas.add_comment(followed, spain_focal_point, "Spain could co-fund the pilot.")
    ideas.express_interest(followed, spain_focal_point, Interest.Kind.CO_FUNDING)
    ideas.add_comment(other, spain_focal_point, "Not followed by Aminata.")
    ideas.add_comment(followed, senegal_focal_point, "Her own words are not news to her.")
    publish(spain_focal_point, "Border data exchange")
    mail.outbox.clear()

    digests.run_digests("weekly")

    text, html = digest_for(senegal_focal_point)
    assert "Laboratory of ideas" in text
    assert "Border data exchange" in text and "new idea" in text
    assert "Spain could co-fund the pilot." in text and "Spain could co-fund the pilot." in html
    assert "Spain is interested (Co-funding)" in text
    assert "Not followed by Aminata." not in text
    assert "Her own words" not in text
    assert f"https://portal.example{followed.get_absolute_url()}" in text
    spain_text, _ = digest_for(spain_focal_point)
    assert "Border data exchange" not in spain_text, "their own idea is not news to them"


def test_decisions_on_the_partner_s_requests_reach_its_members_only(
    senegal, senegal_staff, senegal_focal_point, spain_focal_point, secretariat
):
    move_to(
        LabellingRequestFactory(lead_partner=senegal, title="Return and reintegration"),
        "approved",
        senegal_staff,
        secretariat,
    )
    move_to(
        LabellingRequestFactory(lead_partner=senegal, title="Youth mobility"),
        "changes_requested",
        senegal_staff,
        secretariat,
    )
    mail.outbox.clear()

    digests.run_digests("weekly")

    for member in (senegal_staff, senegal_focal_point):
        text, html = digest_for(member)
        assert "Your labelling requests" in text
        assert "Return and reintegration: Approved" in text
        assert "Youth mobility: Changes requested" in text
        assert "The Secretariat's comment: Noted." in text
        assert "Return and reintegration</a>: <strong>Approved" in html
    assert not [m for m in mail.outbox if m.to == [spain_focal_point.email]]
