"""The Secretariat moderates in the admin; the laboratory's pages do not query per row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ideas_lab.models import Comment, Idea
from tests.actionplan.factories import ActionFactory
from tests.focalpoints.factories import MembershipFactory
from tests.ideas_lab.factories import CommentFactory, IdeaFactory, InterestFactory

pytestmark = pytest.mark.django_db


def test_a_status_changed_in_the_admin_enters_the_history(client, secretariat, senegal):
    idea = IdeaFactory(partner=senegal, kind="proposal", title="Forum")
    client.force_login(secretariat)
    url = reverse("admin:ideas_lab_idea_change", args=[idea.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("actions", "countries")
    }
    data.update(
        {"status": "closed", "title_en": "Forum (edited)", "partner": senegal.pk, "budget": ""}
    )
    for prefix in ("attachments", "status_changes", "interests", "comments"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    idea.refresh_from_db()
    assert (idea.title, idea.status) == ("Forum (edited)", "closed")
    change = idea.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == (
        "open",
        "closed",
        secretariat,
    )


def test_the_admin_action_hides_comments_with_a_reason(client, secretariat):
    comment = CommentFactory()
    client.force_login(secretariat)

    client.post(
        reverse("admin:ideas_lab_comment_changelist"),
        {"action": "hide", "_selected_action": [comment.pk]},
    )

    comment = Comment.objects.get()
    assert comment.is_hidden and comment.hidden_reason and comment.hidden_by == secretariat


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_the_home_page_queries_do_not_grow_with_the_ideas(client, senegal, senegal_focal_point):
    client.force_login(senegal_focal_point)
    action = ActionFactory()

    def add(count):
        for _ in range(count):
            IdeaFactory(partner=senegal).actions.add(action)

    add(2)
    # Once before counting: the documents the page recommends are then kept by content version
    # on both counts (ideas are not content that bumps it).
    queries_for(client, reverse("ideas:home"))
    few = queries_for(client, reverse("ideas:home"))
    add(8)
    many = queries_for(client, reverse("ideas:home"))

    assert many == few
    assert Idea.objects.count() == 10


def test_the_idea_page_queries_do_not_grow_with_comments_and_interest(
    client, senegal, senegal_focal_point
):
    idea = IdeaFactory(partner=senegal)
    client.force_login(senegal_focal_point)

    def comment_by_a_member():
        # The byline names the author's partner: read with the comments, not once per comment.
        CommentFactory(idea=idea, author=MembershipFactory().user)

    comment_by_a_member()
    CommentFactory(idea=idea)
    InterestFactory(idea=idea)
    # The first signed-in request saves the session: not part of what the page costs.
    client.get(idea.get_absolute_url())
    few = queries_for(client, idea.get_absolute_url())
    for _ in range(5):
        comment_by_a_member()
        CommentFactory(idea=idea)
        InterestFactory(idea=idea)
    # Measured warm: values kept until the content changes cost their queries once.
    client.get(idea.get_absolute_url())

    assert queries_for(client, idea.get_absolute_url()) == few


def test_the_laboratory_links_each_row_to_its_idea(client, senegal, senegal_focal_point):
    idea = IdeaFactory(partner=senegal)
    client.force_login(senegal_focal_point)
    assert f'href="{idea.get_absolute_url()}"' in client.get("/en/private/ideas/").content.decode()
