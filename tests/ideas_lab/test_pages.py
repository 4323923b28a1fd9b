"""The laboratory's pages: submitting, drafts, comments, interest, status, moderation."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actionplan.models import Action, Domain
from ideas_lab.models import Comment, Idea, IdeaAttachment, Interest
from tests.actionplan.factories import ActionFactory, DomainFactory
from tests.ideas_lab.factories import CommentFactory, IdeaFactory
from tests.meetings.factories import PDF_BYTES, DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def domain(db):
    return DomainFactory()


def test_a_failed_publication_keeps_what_was_typed_and_shows_errors_by_field(
    client, senegal_focal_point
):
    client.force_login(senegal_focal_point)

    response = client.post(
        reverse("ideas:create"),
        {"kind": "proposal", "title": "Diaspora bonds", "summary": "", "publish": "1"},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"summary", "description", "domain"}
    assert 'value="Diaspora bonds"' in response.content.decode()
    assert not Idea.objects.exists()


def test_preview_shows_the_formatted_description_and_saves_nothing(
    client, senegal_focal_point, domain
):
    client.force_login(senegal_focal_point)
    typed = "**Context**: diaspora.\nPartners:\n- Senegal\n- Spain"

    response = client.post(
        reverse("ideas:create"),
        {"kind": "proposal", "title": "Bonds", "description": typed, "domain": domain.pk,
         "preview": "description"},
    )  # fmt: skip

    page = response.content.decode()
    assert response.status_code == 200 and not Idea.objects.exists()
    assert "<strong>Context</strong>: diaspora." in page
    assert "<ul>\n<li>Senegal</li>\n<li>Spain</li>\n</ul>" in page
    assert f">\n{typed}</textarea>" in page and 'value="Bonds"' in page
    assert "nothing is saved yet" in page
    assert response.context["form"].errors == {}


def test_the_idea_page_shows_the_description_formatted(client, senegal_focal_point):
    idea = IdeaFactory(
        partner=senegal_focal_point.membership.partner,
        description="**Context**\n\n1. first\n2. second\n\n[site](https://example.org)",
    )
    client.force_login(senegal_focal_point)

    page = client.get(idea.get_absolute_url()).content.decode()

    assert "<strong>Context</strong>" in page and "<ol>\n<li>first</li>" in page
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">site</a>' in page
    assert "**Context**" not in page


def test_a_draft_is_saved_with_only_a_title_and_seen_only_by_its_partner(
    client, senegal_focal_point, senegal_staff, spain_focal_point, secretariat
):
    client.force_login(senegal_focal_point)
    response = client.post(
        reverse("ideas:create"), {"kind": "technical", "title": "Half-written", "draft": "1"}
    )
    idea = Idea.objects.get()
    assert response.status_code == 302 and idea.is_draft and idea.partner.slug == "senegal"

    url = reverse("ideas:detail", kwargs={"pk": idea.pk})
    for user, status in [(senegal_staff, 200), (secretariat, 200), (spain_focal_point, 404)]:
        client.force_login(user)
        assert client.get(url).status_code == status
    assert "Half-written" not in client.get(reverse("ideas:home")).content.decode()


def test_publishing_a_complete_idea_with_an_attachment(client, senegal_focal_point, domain):
    client.force_login(senegal_focal_point)
    action = ActionFactory(objective__domain=domain)

    response = client.post(
        reverse("ideas:create"),
        {
            "kind": "proposal",
            "title": "Youth entrepreneurship",
            "summary": "A pilot.",
            "description": "**Context**: details.",
            "domain": domain.pk,
            "actions": [action.pk],
            "budget": "150000",
            "currency": "eur",
            "duration_months": "18",
            "attachment": SimpleUploadedFile("note.pdf", PDF_BYTES),
            "publish": "1",
        },
    )

    idea = Idea.objects.get()
    assert response.status_code == 302
    assert not idea.is_draft and idea.currency == "EUR"
    assert list(idea.actions.all()) == [action]
    assert IdeaAttachment.objects.get().original_filename == "note.pdf"
    assert idea.status_changes.count() == 1
    download = client.get(IdeaAttachment.objects.get().get_absolute_url())
    assert download.status_code == 200


def test_an_upload_that_is_not_a_document_is_refused_by_its_field(client, senegal_focal_point):
    client.force_login(senegal_focal_point)

    response = client.post(
        reverse("ideas:create"),
        {
            "kind": "proposal",
            "title": "With a bad file",
            "draft": "1",
            "attachment": SimpleUploadedFile("run.exe", b"MZ\x90\x00binary"),
        },
    )

    assert "attachment" in response.context["form"].errors
    assert not Idea.objects.exists()


def test_another_partner_comments_and_expresses_interest(
    client, senegal, spain_focal_point, senegal_focal_point
):
    idea = IdeaFactory(partner=senegal, submitted_by=senegal_focal_point)
    client.force_login(spain_focal_point)

    client.post(reverse("ideas:comment", kwargs={"pk": idea.pk}), {"text": "We can help."})
    client.post(
        reverse("ideas:interest", kwargs={"pk": idea.pk}),
        {"kind": "co_funding", "message": "Up to half."},
    )

    client.force_login(senegal_focal_point)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "We can help." in page and "Up to half." in page and "Co-funding" in page
    assert Interest.objects.get().partner.slug == "spain"


def test_an_empty_comment_shows_its_error_on_the_page(client, senegal, spain_focal_point):
    idea = IdeaFactory(partner=senegal)
    client.force_login(spain_focal_point)

    response = client.post(reverse("ideas:comment", kwargs={"pk": idea.pk}), {"text": ""})

    assert response.status_code == 400
    assert "text" in response.context["comment_form"].errors
    assert not Comment.objects.exists()


def test_only_the_author_partner_and_secretariat_change_the_status(
    client, senegal, senegal_staff, spain_focal_point, secretariat
):
    idea = IdeaFactory(partner=senegal)
    url = reverse("ideas:status", kwargs={"pk": idea.pk})

    client.force_login(spain_focal_point)
    assert client.post(url, {"status": "closed"}).status_code == 403
    client.force_login(senegal_staff)
    client.post(url, {"status": "discussion"})
    assert Idea.objects.get().status == "discussion"
    client.force_login(secretariat)
    client.post(url, {"status": "partners_found", "note": "Spain and France"})
    assert Idea.objects.get().status == "partners_found"
    assert "Spain and France" in client.get(idea.get_absolute_url()).content.decode()


def test_the_secretariat_hides_a_comment_with_a_reason(
    client, senegal, secretariat, senegal_focal_point
):
    idea = IdeaFactory(partner=senegal)
    comment = CommentFactory(idea=idea, text="Off-topic advertising")
    url = reverse("ideas:hide-comment", kwargs={"pk": idea.pk, "comment_pk": comment.pk})

    client.force_login(senegal_focal_point)
    assert client.post(url, {"reason": "spam"}).status_code == 403
    client.force_login(secretariat)
    assert client.post(url, {"reason": ""}).status_code == 400
    client.post(url, {"reason": "Advertising"})

    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "Advertising"
    client.force_login(senegal_focal_point)
    assert "Off-topic advertising" not in client.get(idea.get_absolute_url()).content.decode()


def test_follow_and_stop_following(client, senegal, spain_focal_point):
    idea = IdeaFactory(partner=senegal)
    url = reverse("ideas:follow", kwargs={"pk": idea.pk})
    client.force_login(spain_focal_point)

    client.post(url)
    assert idea.follows.get(user=spain_focal_point).is_active
    client.post(url, {"follow": "off"})
    assert not idea.follows.get(user=spain_focal_point).is_active


def test_the_partner_filter_lists_only_partners_with_ideas_the_viewer_may_see(
    client, senegal, spain, spain_focal_point, secretariat
):
    from tests.focalpoints.factories import PartnerFactory

    IdeaFactory(partner=senegal)
    IdeaFactory(partner=spain, is_draft=True)
    IdeaFactory(partner=PartnerFactory(slug="mali", name="Mali"), is_draft=True)
    IdeaFactory(partner=PartnerFactory(slug="niger", name="Niger"), is_hidden=True)

    def listed(user):
        client.force_login(user)
        field = client.get(reverse("ideas:home")).context["filters"].form.fields["partner"]
        return {partner.slug for partner in field.queryset}

    # Spain sees its own draft; Mali's draft and Niger's hidden idea are not to be guessed.
    assert listed(spain_focal_point) == {"senegal", "spain"}
    assert listed(secretariat) == {"senegal", "spain", "mali", "niger"}


def test_home_filters_and_ideas_i_follow(client, senegal, spain, spain_focal_point):
    followed = IdeaFactory(partner=senegal, title="Followed one", kind="financial")
    IdeaFactory(partner=spain, title="Other one")
    followed.follows.create(user=spain_focal_point)
    client.force_login(spain_focal_point)

    mine = client.get(reverse("ideas:home"), {"following": "true"}).content.decode()
    by_kind = client.get(reverse("ideas:home"), {"kind": "financial"}).content.decode()

    assert "Followed one" in mine and "Other one" not in mine
    assert "Followed one" in by_kind and "Other one" not in by_kind


def test_home_lists_newest_activity_first_and_the_latest_conclusions(
    client, senegal, senegal_focal_point
):
    older = IdeaFactory(partner=senegal, title="Older idea")
    IdeaFactory(partner=senegal, title="Newer idea")
    older.touch()
    DocumentFactory(title="Conclusions of the Abuja workshop")
    client.force_login(senegal_focal_point)

    page = client.get(reverse("ideas:home")).content.decode()

    assert page.index("Older idea") < page.index("Newer idea")
    assert "Conclusions of the Abuja workshop" in page


def test_action_pages_show_serving_ideas_to_members_only(client, seeded, senegal_focal_point):
    action = Action.objects.get(plan__slug="marrakesh-2018-2020", number=1)

    anonymous = client.get(action.get_absolute_url()).content.decode()
    client.force_login(senegal_focal_point)
    member = client.get(action.get_absolute_url()).content.decode()

    assert "Ivorian diaspora" not in anonymous
    assert "Ivorian diaspora" in member and "Malian diaspora forum" in member
    assert Domain.objects.filter(ideas__isnull=False).exists()


def test_pages_work_in_french(client, senegal, senegal_focal_point):
    idea = IdeaFactory(partner=senegal)
    client.force_login(senegal_focal_point)

    assert client.get(f"/fr/private/ideas/{idea.pk}/").status_code == 200
    assert client.get("/fr/private/ideas/").status_code == 200


def test_the_partner_filter_as_rendered_follows_the_ideas_at_once_and_per_viewer(
    client, senegal, spain, spain_focal_point, secretariat
):
    """The filter fields are kept rendered: an idea published, or one the viewer may not see,
    must still show (or not) in the options of the next page."""
    from tests.focalpoints.factories import PartnerFactory

    IdeaFactory(partner=senegal)
    mali_idea = IdeaFactory(partner=PartnerFactory(slug="mali", name="Mali"), is_draft=True)

    def options(user):
        client.force_login(user)
        return client.get(reverse("ideas:home")).content.decode()

    assert ">Mali</option>" in options(secretariat)
    assert ">Mali</option>" not in options(spain_focal_point)
    mali_idea.is_draft = False
    mali_idea.save()
    assert ">Mali</option>" in options(spain_focal_point)
