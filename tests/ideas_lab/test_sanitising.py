"""Every text field of the laboratory against XSS payloads: the stored text is clean, and the
rendered pages (the idea's, the home, the e-mails) contain no injected element."""

import contextlib

import pytest
from django.core import mail
from django.urls import reverse

from ideas_lab import services
from ideas_lab.models import Comment, Idea, Interest
from tests.actionplan.factories import DomainFactory
from tests.ideas_lab.xss import FORBIDDEN, PAYLOADS

pytestmark = pytest.mark.django_db


def assert_clean(text, where, forbidden=FORBIDDEN):
    lowered = text.lower()
    for bad in forbidden:
        assert bad not in lowered, (where, bad, text)


def page_without_chrome(response):
    """The page's main content: the surrounding layout has its own (trusted) markup."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_text_field_is_clean_stored_and_rendered(
    client,
    payload,
    senegal_focal_point,
    spain_focal_point,
    django_capture_on_commit_callbacks,
):
    domain = DomainFactory()
    client.force_login(senegal_focal_point)
    client.post(
        reverse("ideas:create"),
        {
            "kind": "proposal",
            "title": f"Title {payload}",
            "summary": f"Summary {payload}",
            "description": f"Description\n\n{payload}",
            "domain": domain.pk,
            "publish": "1",
        },
    )
    idea = Idea.objects.get()
    client.force_login(spain_focal_point)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ideas:comment", kwargs={"pk": idea.pk}), {"text": f"C {payload}"})
        client.post(
            reverse("ideas:interest", kwargs={"pk": idea.pk}),
            {"kind": "expertise", "message": f"M {payload}"},
        )
    client.force_login(senegal_focal_point)
    client.post(
        reverse("ideas:status", kwargs={"pk": idea.pk}), {"status": "discussion", "note": payload}
    )

    idea.refresh_from_db()
    stored = [idea.title, idea.summary, idea.description]
    stored += [c.text for c in Comment.objects.all()]
    stored += [i.message for i in Interest.objects.all()]
    stored += [change.note for change in idea.status_changes.all()]
    assert len(stored) == 7
    for text in stored:
        assert_clean(text, "stored")

    assert_clean(page_without_chrome(client.get(idea.get_absolute_url())), "idea page")
    assert_clean(page_without_chrome(client.get(reverse("ideas:home"))), "home")
    for message in mail.outbox:
        # The e-mail's own layout is styled inline (mail clients ignore style sheets).
        html = message.alternatives[0][0]
        assert_clean(html, "e-mail", [bad for bad in FORBIDDEN if bad != "style="])
        assert html.count("style=") == 4  # body, quotation, link, footer


def test_text_stored_before_the_rules_is_cleaned_on_display(client, senegal, senegal_focal_point):
    idea = Idea.objects.create(kind="proposal", title="Old", partner=senegal, is_draft=False)
    Idea.objects.filter(pk=idea.pk).update(description=" ".join(PAYLOADS))
    client.force_login(senegal_focal_point)

    assert_clean(page_without_chrome(client.get(idea.get_absolute_url())), "idea page")


def test_a_comment_posted_by_email_is_clean(senegal, senegal_focal_point, spain_focal_point):
    idea = Idea.objects.create(kind="proposal", title="By mail", partner=senegal, is_draft=False)

    for payload in PAYLOADS:
        # A payload with nothing left once cleaned is refused as empty.
        with contextlib.suppress(services.ActionRefused):
            services.add_comment(idea, spain_focal_point, payload, source="email")
    for comment in Comment.objects.all():
        assert_clean(comment.text, "stored")
