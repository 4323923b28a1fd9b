"""The labelling pages as applicants, the Secretariat and the public use them."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from labelling.models import LabellingAttachment, LabellingRequest, State
from tests.actionplan.factories import ActionFactory
from tests.labelling.factories import LabellingRequestFactory, committed, move_to
from tests.meetings.factories import PDF_BYTES, MeetingFactory
from tests.meetings.test_uploads import office_file

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    action = ActionFactory()
    data = {
        "kind": LabellingRequest.Kind.REGIONAL,
        "title": "Diaspora entrepreneurs network",
        "summary": "A network of diaspora entrepreneurs.",
        "objectives": "Connect entrepreneurs with investors.",
        "expected_results": "Fifty businesses started.",
        "actions": [action.pk],
        "start_date": "2027-03-01",
        "end_date": "2028-02-28",
        "budget": "120000",
        "currency": "eur",
        "funding_sources": "National budget.",
        "results_sharing": "At the next thematic meeting.",
        "contact_name": "Moussa Fall",
        "contact_email": "moussa.fall@ministry.example",
        "contact_phone": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def create_url():
    return reverse("labelling:request-create")


# Applicants


def test_a_draft_is_saved_with_only_a_title_and_found_again(client, senegal_focal_point):
    client.force_login(senegal_focal_point)

    response = client.post(
        create_url(), {"kind": "bilateral", "title": "Half-written idea", "action": "save"}
    )

    labelling_request = LabellingRequest.objects.get(title="Half-written idea")
    assert response["Location"] == labelling_request.get_private_url()
    assert labelling_request.state == State.DRAFT
    assert labelling_request.lead_partner.slug == "senegal"
    assert labelling_request.created_by == senegal_focal_point
    listing = client.get(reverse("labelling:requests"))
    assert "Half-written idea" in listing.content.decode()


def test_submitting_an_incomplete_request_keeps_the_draft_and_marks_what_is_missing(
    client, senegal_staff
):
    client.force_login(senegal_staff)

    response = client.post(
        create_url(),
        form_data(summary="", contact_email="", action="submit", title="Youth mobility scheme"),
        follow=True,
    )

    labelling_request = LabellingRequest.objects.get(title="Youth mobility scheme")
    edit_url = reverse("labelling:request-edit", kwargs={"pk": labelling_request.pk})
    assert response.redirect_chain[0][0].startswith(edit_url + "?"), "on the draft's own page"
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"summary", "contact_email"}
    assert labelling_request.state == State.DRAFT, "what was typed is kept as a draft"
    assert labelling_request.objectives == "Connect entrepreneurs with investors."
    page = response.content.decode()
    assert "cannot be submitted yet" in page
    assert "Connect entrepreneurs with investors." in page, "the form still shows what was typed"
    assert mail.outbox == []


def test_the_corrected_request_is_submitted_as_the_same_request_not_a_second_one(
    client, senegal_staff
):
    client.force_login(senegal_staff)
    refused = client.post(
        create_url(), form_data(summary="", action="submit", title="Youth mobility scheme")
    )
    draft = LabellingRequest.objects.get(title="Youth mobility scheme")

    with committed():
        client.post(refused["Location"], form_data(action="submit", title="Youth mobility scheme"))

    assert LabellingRequest.objects.filter(title="Youth mobility scheme").count() == 1
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED
    assert not draft.slug.endswith("-2")


def test_invalid_input_saves_nothing_and_shows_each_error_by_its_field(client, senegal_staff):
    client.force_login(senegal_staff)

    response = client.post(
        create_url(),
        form_data(end_date="2026-01-01", currency="EU1", title="Dated wrongly", action="save"),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "end date is before the start date" in errors["end_date"][0]
    assert "three-letter code" in errors["currency"][0]
    assert not LabellingRequest.objects.filter(title="Dated wrongly").exists()
    assert "Dated wrongly" in response.content.decode()


def test_a_complete_request_is_submitted_and_the_secretariat_is_told(
    client, senegal_focal_point, secretariat
):
    client.force_login(senegal_focal_point)

    with committed():
        response = client.post(create_url(), form_data(action="submit"))

    labelling_request = LabellingRequest.objects.get(title="Diaspora entrepreneurs network")
    assert response["Location"] == labelling_request.get_private_url()
    assert labelling_request.state == State.SUBMITTED
    assert labelling_request.currency == "EUR"
    assert secretariat.email in {address for message in mail.outbox for address in message.to}


def test_a_concept_note_is_kept_and_a_macro_document_is_refused(client, senegal_staff):
    client.force_login(senegal_staff)
    with_macros = office_file(
        "word/document.xml", extra=[("word/vbaProject.bin", b"\0" * 32)], name="note.docm"
    )

    refused = client.post(create_url(), {**form_data(action="save"), "concept_note": with_macros})

    assert refused.status_code == 200
    assert refused.context["form"].errors["concept_note"]
    assert "choose the files again" in refused.content.decode()
    assert not LabellingRequest.objects.exists()

    client.post(
        create_url(),
        {
            **form_data(action="save"),
            "concept_note": SimpleUploadedFile("concept note.pdf", PDF_BYTES),
        },
    )
    attachment = LabellingAttachment.objects.get()
    assert attachment.kind == LabellingAttachment.Kind.CONCEPT_NOTE
    assert attachment.content_type == "application/pdf"
    assert attachment.original_filename == "concept note.pdf"
    assert "concept" not in attachment.file.name, "stored under a name nobody chose"


def test_the_concept_note_is_for_the_applicant_and_the_secretariat_only(
    client, senegal, senegal_staff, spain_focal_point, secretariat
):
    labelling_request = move_to(
        LabellingRequestFactory(lead_partner=senegal), "approved", senegal_staff, secretariat
    )
    note = LabellingAttachment.objects.create(
        request=labelling_request,
        kind=LabellingAttachment.Kind.CONCEPT_NOTE,
        file=SimpleUploadedFile("note.pdf", PDF_BYTES),
    )

    for user, expected in [(senegal_staff, 200), (secretariat, 200), (spain_focal_point, 404)]:
        client.force_login(user)
        assert client.get(note.get_download_url()).status_code == expected, user
    public_file = reverse(
        "labelling:project-file", kwargs={"slug": labelling_request.slug, "attachment_pk": note.pk}
    )
    client.logout()
    assert client.get(public_file).status_code == 404


def test_another_partner_s_request_answers_404_everywhere(
    client, senegal, spain_focal_point, senegal_staff
):
    labelling_request = LabellingRequestFactory(lead_partner=senegal)
    client.force_login(spain_focal_point)

    for name in ["labelling:request", "labelling:request-edit"]:
        url = reverse(name, kwargs={"pk": labelling_request.pk})
        assert client.get(url).status_code == 404, name
    withdraw = reverse(
        "labelling:request-transition",
        kwargs={"pk": labelling_request.pk, "transition": "withdraw"},
    )
    assert client.post(withdraw).status_code == 404
    labelling_request.refresh_from_db()
    assert labelling_request.state == State.DRAFT
    assert "Diaspora" not in client.get(reverse("labelling:requests")).content.decode()


def test_an_applicant_answers_a_change_request_and_submits_again(
    client, senegal, senegal_staff, secretariat
):
    labelling_request = move_to(
        LabellingRequestFactory(lead_partner=senegal, title="Return and reintegration"),
        "changes_requested",
        senegal_staff,
        secretariat,
    )
    client.force_login(senegal_staff)
    edit_url = reverse("labelling:request-edit", kwargs={"pk": labelling_request.pk})

    page = client.get(edit_url).content.decode()
    assert "The Secretariat asks for these changes:" in page
    assert "Noted." in page, "the Secretariat's comment is shown above the form"

    data = form_data(
        title="Return and reintegration",
        expected_results="Three hundred returnees employed.",
        action="submit",
        expected_state=State.CHANGES_REQUESTED,
    )
    with committed():
        client.post(edit_url, data)

    labelling_request.refresh_from_db()
    assert labelling_request.state == State.SUBMITTED
    assert labelling_request.expected_results == "Three hundred returnees employed."


def test_an_applicant_cannot_edit_a_request_under_review(
    client, senegal, senegal_staff, secretariat
):
    labelling_request = move_to(
        LabellingRequestFactory(lead_partner=senegal), "under_review", senegal_staff, secretariat
    )
    client.force_login(senegal_staff)
    edit_url = reverse("labelling:request-edit", kwargs={"pk": labelling_request.pk})

    response = client.post(edit_url, form_data(title="Changed behind the reviewer's back"))

    assert response.status_code == 302
    labelling_request.refresh_from_db()
    assert labelling_request.title != "Changed behind the reviewer's back"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["A request that is “Under review” cannot be changed."]


def test_the_applicant_withdraws_from_the_request_page(client, senegal, senegal_focal_point):
    labelling_request = LabellingRequestFactory(lead_partner=senegal)
    client.force_login(senegal_focal_point)
    detail = client.get(labelling_request.get_private_url()).content.decode()
    assert "Withdraw the request" in detail
    assert "Approve and label" not in detail

    client.post(
        reverse(
            "labelling:request-transition",
            kwargs={"pk": labelling_request.pk, "transition": "withdraw"},
        ),
        {"expected_state": State.DRAFT},
    )

    labelling_request.refresh_from_db()
    assert labelling_request.state == State.WITHDRAWN


# The Secretariat


def test_the_secretariat_reviews_from_the_request_page(client, senegal, senegal_staff, secretariat):
    labelling_request = move_to(
        LabellingRequestFactory(lead_partner=senegal), "submitted", senegal_staff, secretariat
    )
    client.force_login(secretariat)
    url = labelling_request.get_private_url()
    page = client.get(url).content.decode()
    assert "Start the review" in page and "Ask for changes" in page
    assert "Withdraw the request" not in page

    def step(name, **data):
        with committed():
            return client.post(
                reverse(
                    "labelling:request-transition",
                    kwargs={"pk": labelling_request.pk, "transition": name},
                ),
                data,
                follow=True,
            )

    step("start_review", expected_state=State.SUBMITTED)
    refused = step("reject", expected_state=State.UNDER_REVIEW, comment="")
    assert "a comment is required" in refused.content.decode()
    labelling_request.refresh_from_db()
    assert labelling_request.state == State.UNDER_REVIEW

    step("approve", expected_state=State.UNDER_REVIEW, comment="Welcome to the label.")

    labelling_request.refresh_from_db()
    assert labelling_request.state == State.APPROVED
    history = client.get(url).content.decode()
    assert "Welcome to the label." in history


def test_a_reviewer_on_a_stale_page_is_told_and_nothing_changes(
    client, senegal, senegal_staff, secretariat
):
    labelling_request = move_to(
        LabellingRequestFactory(lead_partner=senegal), "under_review", senegal_staff, secretariat
    )
    with committed():
        labelling_request.reject(by=secretariat, comment="Out of scope.")
    client.force_login(secretariat)

    response = client.post(
        reverse(
            "labelling:request-transition",
            kwargs={"pk": labelling_request.pk, "transition": "request_changes"},
        ),
        {"expected_state": State.UNDER_REVIEW, "comment": "Please add a budget."},
        follow=True,
    )

    assert "after you opened it" in response.content.decode()
    labelling_request.refresh_from_db()
    assert labelling_request.state == State.REJECTED


def test_the_review_queue_shows_open_requests_oldest_first_and_filters_by_state(
    client, senegal, spain, senegal_staff, spain_focal_point, secretariat
):
    older = move_to(
        LabellingRequestFactory(lead_partner=senegal, title="Older request"),
        "submitted",
        senegal_staff,
        secretariat,
    )
    LabellingRequest.objects.filter(pk=older.pk).update(
        submitted_at=older.submitted_at - datetime.timedelta(days=20)
    )
    move_to(
        LabellingRequestFactory(lead_partner=spain, title="Newer request"),
        "under_review",
        spain_focal_point,
        secretariat,
    )
    move_to(
        LabellingRequestFactory(lead_partner=spain, title="Decided request"),
        "rejected",
        spain_focal_point,
        secretariat,
    )
    LabellingRequestFactory(lead_partner=senegal, title="Someone's draft")
    client.force_login(secretariat)
    url = reverse("labelling:review-queue")

    titles = [r.title for r in client.get(url).context["page"].object_list]
    assert titles == ["Older request", "Newer request"]

    rejected = client.get(url, {"state": ["rejected"]}).context["page"].object_list
    assert [r.title for r in rejected] == ["Decided request"]
    by_partner = client.get(url, {"partner": senegal.pk}).context["page"].object_list
    assert [r.title for r in by_partner] == ["Older request"]
    assert "Someone's draft" not in client.get(url, {"state": ["draft"]}).content.decode()
    sort = client.get(url).context["filters"].form.fields["sort"]
    assert [str(label) for _, label in sort.choices] == [
        "Waiting longest",
        "Submitted last",
        "Changed last",
    ], "each order once"
    changed = client.get(url, {"sort": "-updated"}).context["page"].object_list
    assert [r.title for r in changed] == ["Newer request", "Older request"]


def test_the_admin_action_approves_after_asking_for_a_comment(
    client, senegal, senegal_staff, secretariat
):
    labelling_request = move_to(
        LabellingRequestFactory(lead_partner=senegal), "under_review", senegal_staff, secretariat
    )
    draft = LabellingRequestFactory(lead_partner=senegal, title="Still a draft")
    client.force_login(secretariat)
    changelist = reverse("admin:labelling_labellingrequest_changelist")
    selection = {"action": "approve", ACTION_CHECKBOX_NAME: [labelling_request.pk, draft.pk]}

    confirmation = client.post(changelist, selection)
    assert confirmation.status_code == 200
    assert "These requests will be moved:" in confirmation.content.decode()
    labelling_request.refresh_from_db()
    assert labelling_request.state == State.UNDER_REVIEW, "nothing happens before confirming"

    with committed():
        done = client.post(
            changelist, {**selection, "confirm": "yes", "comment": "Approved."}, follow=True
        )

    labelling_request.refresh_from_db()
    draft.refresh_from_db()
    assert labelling_request.state == State.APPROVED
    assert draft.state == State.DRAFT
    page = done.content.decode()
    assert "Still a draft" in page and "1 request(s)" in page
    assert labelling_request.events.last().comment == "Approved."


def test_the_audit_trail_in_the_admin_is_read_only(client, senegal, senegal_staff, secretariat):
    labelling_request = move_to(
        LabellingRequestFactory(lead_partner=senegal), "submitted", senegal_staff, secretariat
    )
    event = labelling_request.events.get()
    client.force_login(secretariat)

    change = client.post(
        reverse("admin:labelling_labellingevent_change", args=[event.pk]),
        {"comment": "Rewritten."},
    )
    delete = client.post(
        reverse("admin:labelling_labellingevent_delete", args=[event.pk]), {"post": "yes"}
    )

    assert change.status_code in (200, 403) and delete.status_code == 403
    event.refresh_from_db()
    assert event.comment == "Noted."


# Results


def test_results_are_reported_after_approval_and_published(
    client, senegal, senegal_staff, secretariat
):
    labelling_request = move_to(
        LabellingRequestFactory(lead_partner=senegal), "approved", senegal_staff, secretariat
    )
    meeting = MeetingFactory(title="Thematic meeting on diaspora investment")
    client.force_login(senegal_staff)
    url = reverse("labelling:request-results", kwargs={"pk": labelling_request.pk})

    empty = client.post(url, {"results_summary": ""})
    assert "Summarise the results or attach the final report." in empty.content.decode()

    client.post(
        url,
        {
            "results_summary": "Two hundred businesses were created.",
            "results_meetings": [meeting.pk],
            "final_report": SimpleUploadedFile("final.pdf", PDF_BYTES),
        },
    )

    client.logout()
    public = client.get(reverse("labelling:project", kwargs={"slug": labelling_request.slug}))
    page = public.content.decode()
    assert "Two hundred businesses were created." in page
    assert "Thematic meeting on diaspora investment" in page
    report = labelling_request.attachments.get(kind=LabellingAttachment.Kind.FINAL_REPORT)
    file_url = reverse(
        "labelling:project-file",
        kwargs={"slug": labelling_request.slug, "attachment_pk": report.pk},
    )
    assert file_url in page
    download = client.get(file_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_results_wait_for_the_label(client, senegal, senegal_staff):
    labelling_request = LabellingRequestFactory(lead_partner=senegal)
    client.force_login(senegal_staff)

    response = client.post(
        reverse("labelling:request-results", kwargs={"pk": labelling_request.pk}),
        {"results_summary": "Too early."},
        follow=True,
    )

    assert "Results are reported once the label is granted." in response.content.decode()
    labelling_request.refresh_from_db()
    assert labelling_request.results_summary == ""


# The public


@pytest.fixture
def public_requests(senegal, spain, senegal_staff, spain_focal_point, secretariat):
    action = ActionFactory(title="Diaspora investment")
    labelled = move_to(
        LabellingRequestFactory(
            lead_partner=senegal,
            title="Labelled diaspora project",
            actions=[action],
            budget=250000,
            publish_budget=False,
            contact_email="private.person@ministry.example",
            publish_contact=False,
        ),
        "approved",
        senegal_staff,
        secretariat,
    )
    open_to_all = move_to(
        LabellingRequestFactory(
            lead_partner=spain,
            kind=LabellingRequest.Kind.REGIONAL,
            title="Open regional project",
            start_date=datetime.date(2025, 5, 1),
            end_date=datetime.date(2026, 4, 30),
            budget=90000,
            publish_budget=True,
            contact_email="open.person@ministry.example",
            publish_contact=True,
        ),
        "approved",
        spain_focal_point,
        secretariat,
    )
    hidden = {
        state: move_to(
            LabellingRequestFactory(lead_partner=senegal, title=f"Hidden {state} request"),
            state,
            senegal_staff,
            secretariat,
        )
        for state in State.values
        if state != State.APPROVED
    }
    return {"labelled": labelled, "open": open_to_all, "hidden": hidden, "action": action}


def test_the_public_sees_only_labelled_projects(client, public_requests):
    page = client.get(reverse("labelling:projects")).content.decode()

    assert "Labelled diaspora project" in page and "Open regional project" in page
    for state, labelling_request in public_requests["hidden"].items():
        assert labelling_request.title not in page, state
        detail = reverse("labelling:project", kwargs={"slug": labelling_request.slug})
        assert client.get(detail).status_code == 404, state


def test_budget_and_contact_are_public_only_when_the_applicant_chose_so(client, public_requests):
    private = client.get(public_requests["labelled"].get_absolute_url()).content.decode()
    published = client.get(public_requests["open"].get_absolute_url()).content.decode()

    assert "250" not in private and "private.person@ministry.example" not in private
    assert "Budget" not in private and "+221" not in private
    assert "90,000 EUR" in published and "open.person@ministry.example" in published
    assert "+221" not in published, "a telephone number is never public"
    assert "National budget." not in published, "funding sources stay with the Secretariat"


def test_the_public_list_filters_by_type_partner_action_and_year(client, public_requests, senegal):
    url = reverse("labelling:projects")

    def titles(**query):
        return {project.title for project in client.get(url, query).context["page"].object_list}

    assert titles(kind="regional") == {"Open regional project"}
    assert titles(partner=senegal.pk) == {"Labelled diaspora project"}
    assert titles(action=public_requests["action"].pk) == {"Labelled diaspora project"}
    assert titles(year="2025") == {"Open regional project"}
    assert titles(domain=public_requests["action"].objective.domain.pk) == {
        "Labelled diaspora project"
    }


def test_action_and_partner_pages_list_their_labelled_projects(client, public_requests, senegal):
    action_page = client.get(public_requests["action"].get_absolute_url()).content.decode()
    partner_page = client.get(senegal.get_absolute_url()).content.decode()

    for page in (action_page, partner_page):
        assert "Labelled diaspora project" in page
        assert "Hidden draft request" not in page and "Hidden submitted request" not in page
    assert "Open regional project" not in action_page


def test_the_sitemap_lists_labelled_projects_only(client, public_requests):
    sitemap = client.get("/sitemap-labelled-projects.xml").content.decode()

    assert public_requests["labelled"].get_absolute_url() in sitemap
    for labelling_request in public_requests["hidden"].values():
        assert f"/labelled-projects/{labelling_request.slug}/" not in sitemap


def test_labelled_projects_are_listed_in_french(client, public_requests):
    page = client.get(
        reverse("labelling:projects").replace("/en/", "/fr/"), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()

    assert "Projets labellisés" in page and "Projet régional" in page


# Seed data


def test_the_paris_workshop_is_seeded_as_a_labelled_event_of_action_5(client, seeded):
    workshop = LabellingRequest.objects.get(slug="migration-and-development-workshop-paris")

    assert workshop.state == State.APPROVED and workshop.kind == LabellingRequest.Kind.EVENT
    assert workshop.lead_partner.slug == "france"
    assert [action.number for action in workshop.actions.all()] == [5]
    assert workshop.meeting.slug == "workshop-international-migration-development-paris"
    page = client.get(workshop.get_absolute_url()).content.decode()
    assert "first quarter of 2021" in page
    assert workshop.meeting.get_absolute_url() in page
    action_page = client.get(workshop.actions.get().get_absolute_url()).content.decode()
    assert workshop.title in action_page.replace("&quot;", '"')


def test_a_resubmitted_request_is_marked_in_the_review_queue(
    client, senegal, spain, senegal_staff, spain_focal_point, secretariat
):
    resubmitted = move_to(
        LabellingRequestFactory(lead_partner=senegal, title="Corrected request"),
        "changes_requested",
        senegal_staff,
        secretariat,
    )
    resubmitted.make_transition("submit", senegal_staff)
    move_to(
        LabellingRequestFactory(lead_partner=spain, title="First submission"),
        "submitted",
        spain_focal_point,
        secretariat,
    )
    client.force_login(secretariat)

    page = client.get(reverse("labelling:review-queue")).text

    rows = {row.split("</a>")[0].rsplit(">", 1)[-1]: row for row in page.split("<tr>")[2:]}
    assert "resubmitted after changes" in rows["Corrected request"]
    assert "resubmitted after changes" not in rows["First submission"]
