"""The laboratory's records: sanitising on save, history, follows, seed data."""

import importlib

import pytest
from django.apps import apps as django_apps

from actionplan.models import Action
from ideas_lab import services
from ideas_lab.models import Comment, Follow, Idea, IdeaStatusChange
from portal_lib.richtext import plain_text, render_markdown, sanitise
from tests.ideas_lab.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def test_description_is_markdown_stored_without_any_tag():
    idea = IdeaFactory(
        description="### Aim\n\nA **pilot**<script>alert(1)</script> for *youth*:\n\n"
        '- one\n- two <b onclick="x()">bold</b>\n\n[bad](javascript:alert(1)) '
        "[good](https://example.org)"
    )
    idea.refresh_from_db()

    assert idea.description == (
        "### Aim\n\nA **pilot** for *youth*:\n\n- one\n- two bold\n\n"
        "[bad](javascript:alert(1)) [good](https://example.org)"
    )
    html = str(render_markdown(idea.description))
    assert "<h3>Aim</h3>" in html and "<strong>pilot</strong>" in html
    assert "<ul>\n<li>one</li>\n<li>two bold</li>\n</ul>" in html
    assert '<a rel="noopener noreferrer nofollow">bad</a>' in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">good</a>' in html


def test_markdown_characters_survive_storing():
    text = "R&D < 5 > 3 & *ok*\n\n> quoted\n\n1. first\n2. second"
    idea = IdeaFactory(description=text)
    idea.refresh_from_db()

    assert idea.description == text


def test_plain_text_fields_lose_every_tag_even_entity_encoded():
    idea = IdeaFactory(
        title="<b>Forum</b> &lt;script&gt;alert(1)&lt;/script&gt;", summary="R&D < 5"
    )
    idea.refresh_from_db()

    assert idea.title == "Forum"
    assert idea.summary == "R&D < 5"


def test_the_display_filter_cleans_text_stored_before_the_rules():
    Idea.objects.filter(pk=IdeaFactory().pk).update(description='<img src=x onerror="alert(1)">')

    html = str(render_markdown(Idea.objects.get().description))
    assert "<img" not in html and "onerror" not in html


def test_descriptions_stored_as_html_become_markdown_that_renders_the_same():
    migration = importlib.import_module("ideas_lab.migrations.0005_description_markdown")
    stored = "<p>A <strong>pilot</strong>:</p><ul><li>Senegal</li><li>Spain</li></ul>"
    old = IdeaFactory()
    Idea.objects.filter(pk=old.pk).update(description=stored)
    empty = IdeaFactory(description="")

    migration.to_markdown(django_apps, None)

    old.refresh_from_db()
    assert old.description == "A **pilot**:\n\n- Senegal\n- Spain"
    assert str(render_markdown(old.description)).replace("\n", "") == stored
    empty.refresh_from_db()
    assert empty.description == ""


@pytest.mark.parametrize(
    "value", ["<p>ok</p>", "<ul><li>one</li></ul>", "<blockquote>q</blockquote>", "<h4>t</h4>"]
)
def test_allowed_tags_survive(value):
    assert sanitise(value) == value


def test_mailto_links_survive_and_data_urls_do_not():
    assert 'href="mailto:a@b.org"' in sanitise('<a href="mailto:a@b.org">m</a>')
    assert "data:" not in sanitise('<a href="data:text/html,<script>1</script>">d</a>')
    assert plain_text("") == ""


def test_status_change_is_recorded_with_who_and_from_what(senegal_focal_point, senegal):
    idea = IdeaFactory(partner=senegal)

    services.change_status(idea, senegal_focal_point, Idea.Status.IN_DISCUSSION, note="talks")

    change = IdeaStatusChange.objects.get(idea=idea)
    assert (change.from_status, change.to_status, change.changed_by) == (
        "open",
        "discussion",
        senegal_focal_point,
    )
    assert Idea.objects.get().status == Idea.Status.IN_DISCUSSION


def test_another_partner_cannot_change_the_status(spain_focal_point, senegal):
    idea = IdeaFactory(partner=senegal)

    with pytest.raises(services.ActionRefused):
        services.change_status(idea, spain_focal_point, Idea.Status.CLOSED)
    assert not IdeaStatusChange.objects.exists()


def test_commenters_follow_automatically_but_not_after_stopping(spain_focal_point, senegal):
    idea = IdeaFactory(partner=senegal)

    services.add_comment(idea, spain_focal_point, "We are interested.")
    assert services.is_following(spain_focal_point, idea)

    services.unfollow(spain_focal_point, idea)
    services.add_comment(idea, spain_focal_point, "Another thought.")
    assert not services.is_following(spain_focal_point, idea)
    assert Follow.objects.count() == 1


def test_comment_text_is_stored_as_plain_text(spain_focal_point, senegal):
    idea = IdeaFactory(partner=senegal)

    comment = services.add_comment(idea, spain_focal_point, "<svg onload=alert(1)>Fine</svg>")

    assert Comment.objects.get(pk=comment.pk).text == "Fine"


def test_closed_or_hidden_ideas_take_no_comment(spain_focal_point, senegal):
    closed = IdeaFactory(partner=senegal, status=Idea.Status.CLOSED)
    hidden = IdeaFactory(partner=senegal, is_hidden=True)

    for idea in (closed, hidden):
        with pytest.raises(services.ActionRefused):
            services.add_comment(idea, spain_focal_point, "Hello")
    assert not Comment.objects.exists()


def test_a_partner_does_not_express_interest_in_its_own_idea(senegal_focal_point, senegal):
    idea = IdeaFactory(partner=senegal)

    with pytest.raises(services.ActionRefused):
        services.express_interest(idea, senegal_focal_point, "expertise")


def test_publishing_needs_summary_description_and_domain(senegal_focal_point):
    idea = Idea(kind=Idea.Kind.PROJECT_PROPOSAL, title="Draft only")

    services.save_idea(idea, senegal_focal_point, publish=False)
    assert Idea.objects.get().is_draft

    idea.summary, idea.description = "", ""
    with pytest.raises(services.ActionRefused) as refusal:
        services.save_idea(idea, senegal_focal_point, publish=True)
    assert set(refusal.value.args[0]) == {"summary", "description", "domain"}


def test_the_seed_holds_the_three_proposals_of_the_report(seeded):
    ideas = {idea.partner.slug: idea for idea in Idea.objects.select_related("partner")}

    assert set(ideas) == {"cote-d-ivoire", "gabon", "mali"}
    assert "Ivorian diaspora" in ideas["cote-d-ivoire"].title
    assert "youth agricultural entrepreneurship" in ideas["gabon"].title
    assert "Malian diaspora forum" in ideas["mali"].title
    action_1 = Action.objects.get(plan__slug="marrakesh-2018-2020", number=1)
    assert set(action_1.ideas.values_list("partner__slug", flat=True)) == {"cote-d-ivoire", "mali"}
    assert all(not idea.is_draft and idea.domain.number == 1 for idea in ideas.values())
