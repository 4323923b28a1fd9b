"""Consultations: focal points answer for their partner; the Secretariat follows response rates."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.models import Consultation, ConsultationAnswer, ConsultationReminder
from focalpoints.models import Region
from tests.consultations.factories import ConsultationFactory
from tests.focalpoints.factories import (
    MembershipFactory,
    PartnerFactory,
    SteeringCommitteeMembershipFactory,
    UserFactory,
)
from tests.meetings.factories import PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(senegal, spain):
    return ConsultationFactory(title="Update of the JVAP")


def answer_url(consultation):
    return reverse("consultations:consultation", kwargs={"pk": consultation.pk})


def test_a_focal_point_answers_for_their_partner_and_edits_until_closing(
    client, consultation, senegal_focal_point, senegal
):
    client.force_login(senegal_focal_point)

    first = client.post(answer_url(consultation), {"text": "Our first contribution."})
    second = client.post(answer_url(consultation), {"text": "Our revised contribution."})

    answer = ConsultationAnswer.objects.get()
    assert first.status_code == second.status_code == 302
    assert (answer.partner, answer.text, answer.answered_by) == (
        senegal,
        "Our revised contribution.",
        senegal_focal_point,
    )


def test_the_answer_is_markdown_previewed_without_saving_and_read_formatted(
    client, consultation, senegal_focal_point, senegal_staff, secretariat
):
    client.force_login(senegal_focal_point)
    text = "We **support** the update:\n- return\n- reintegration"

    preview = client.post(answer_url(consultation), {"text": text, "preview": "text"})

    assert preview.status_code == 200 and not ConsultationAnswer.objects.exists()
    assert "<strong>support</strong>" in preview.text and "<li>reintegration</li>" in preview.text
    assert f">\n{text}</textarea>" in preview.text
    client.post(answer_url(consultation), {"text": text})
    for reader, url in [
        (senegal_staff, answer_url(consultation)),
        (secretariat, reverse("consultations:consultation-responses", args=[consultation.pk])),
    ]:
        client.force_login(reader)
        page = client.get(url).text
        assert "<strong>support</strong>" in page and "**support**" not in page


def test_after_closing_an_answer_cannot_change(client, consultation, senegal_focal_point):
    services.answer_consultation(consultation, senegal_focal_point, text="Before the deadline.")
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    client.force_login(senegal_focal_point)

    response = client.post(answer_url(consultation), {"text": "Too late."})

    assert response.status_code == 403
    assert ConsultationAnswer.objects.get().text == "Before the deadline."
    with pytest.raises(services.ActionRefused, match="closed"):
        services.answer_consultation(
            Consultation.objects.get(pk=consultation.pk), senegal_focal_point, text="Too late."
        )


def test_partner_staff_read_but_do_not_answer(client, consultation, senegal_staff):
    client.force_login(senegal_staff)

    page = client.get(answer_url(consultation))
    refused = client.post(answer_url(consultation), {"text": "Staff answer."})

    assert page.status_code == 200 and 'name="text"' not in page.text
    assert refused.status_code == 403
    assert not ConsultationAnswer.objects.exists()


def test_a_consultation_not_addressed_to_the_partner_answers_404(
    client, senegal_focal_point, spain
):
    consultation = ConsultationFactory(audience=Consultation.Audience.CHOSEN)
    consultation.partners.add(spain)
    client.force_login(senegal_focal_point)

    assert client.get(answer_url(consultation)).status_code == 404
    assert consultation.title not in client.get(reverse("consultations:consultations")).text


def test_response_rates_overall_and_by_region(consultation, senegal_focal_point, spain, senegal):
    services.answer_consultation(consultation, senegal_focal_point, text="Yes.")

    overall, by_region, answered, missing = services.response_rates(consultation)

    assert (overall.answered, overall.consulted, overall.percent) == (1, 2, 50)
    rates = {rate.label: (rate.answered, rate.consulted) for rate in by_region}
    assert rates == {"West Africa": (1, 1), "Europe": (0, 1)}
    assert answered == [senegal] and missing == [spain]


def test_the_secretariat_sees_the_rate_change(
    client, consultation, secretariat, senegal_focal_point
):
    client.force_login(secretariat)
    url = reverse("consultations:consultation-responses", kwargs={"pk": consultation.pk})
    before = client.get(url).text

    services.answer_consultation(consultation, senegal_focal_point, text="Yes.")

    assert '<p class="rate" id="response-rate">0 %</p>' in before
    assert '<p class="rate" id="response-rate">50 %</p>' in client.get(url).text


def test_reminders_reach_non_responders_once_per_interval_in_their_language(
    consultation, senegal_focal_point, spain_focal_point, spain, django_capture_on_commit_callbacks
):
    spain_focal_point.language = "fr"
    spain_focal_point.save()
    MembershipFactory(
        partner=spain, user=UserFactory(email="alternate@spain.example"), role="alternate"
    )
    MembershipFactory(partner=spain, user=UserFactory(email="staff@spain.example"), role="staff")
    services.answer_consultation(consultation, senegal_focal_point, text="Answered already.")

    with django_capture_on_commit_callbacks(execute=True):
        reminded = services.send_reminders(consultation)
        again = services.send_reminders(consultation)
        later = services.send_reminders(
            consultation, now=timezone.now() + datetime.timedelta(days=8)
        )

    assert reminded == [spain] and again == [] and later == [spain]
    first_round = mail.outbox[:2]
    assert sorted(m.to[0] for m in first_round) == ["alternate@spain.example", "nfp@spain.example"]
    french = next(m for m in first_round if m.to == ["nfp@spain.example"])
    assert french.subject == "Relance : Update of the JVAP"
    assert f"/fr/private/consultations/{consultation.pk}/" in french.body
    assert ConsultationReminder.objects.count() == 2


def test_the_reminder_button_says_how_many_were_reminded_and_whom(
    client, consultation, secretariat, spain_focal_point, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    url = reverse("consultations:consultation-responses", kwargs={"pk": consultation.pk})

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(url, follow=True)

    assert "Reminders are on their way to 1 focal point of 1 partner: Spain." in first.text
    assert [m.to for m in mail.outbox] == [["nfp@spain.example"]]
    assert "No reminder was sent: every consulted partner has answered" in second.text


def test_answers_export_as_csv_once_closed(client, consultation, secretariat, senegal_focal_point):
    services.answer_consultation(consultation, senegal_focal_point, text="=HYPERLINK(1)")
    client.force_login(secretariat)
    url = reverse("consultations:consultation-export", kwargs={"pk": consultation.pk})

    while_open = client.get(url)
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    closed = client.get(url)

    assert while_open.status_code == 302
    rows = list(csv.reader(io.StringIO(closed.content.decode("utf-8-sig"))))
    assert rows[0] == ["Partner", "Region", "Answered by", "Last changed", "Answer"]
    assert rows[1][0] == "Senegal" and rows[1][4] == "'=HYPERLINK(1)"


def test_audiences(senegal, spain):
    nigeria = PartnerFactory(slug="nigeria", region=Region.WEST_AFRICA)
    by_region = ConsultationFactory(
        audience=Consultation.Audience.REGION, region=Region.WEST_AFRICA
    )

    assert set(by_region.addressed_partners()) == {senegal, nigeria}
    assert by_region.is_addressed_to(senegal) and not by_region.is_addressed_to(spain)


def test_the_jvap_rounds_are_seeded(seeded):
    assert list(Consultation.objects.order_by("opens_on").values_list("opens_on", flat=True)) == [
        datetime.date(2019, 5, 13),
        datetime.date(2019, 9, 16),
    ]


PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def answer_file_url(answer):
    return reverse(
        "consultations:answer-file", kwargs={"pk": answer.consultation_id, "answer_pk": answer.pk}
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type", "served_as"),
    [
        ("answer.html", PDF_BYTES, "application/pdf", "answer.pdf"),
        ("chart.svg", PNG_BYTES, "image/png", "chart.png"),
    ],
    ids=["a PDF named .html", "a PNG named .svg"],
)
def test_an_answer_s_file_is_stored_and_served_by_its_detected_type(
    client, consultation, senegal_focal_point, name, content, content_type, served_as
):
    client.force_login(senegal_focal_point)
    upload = SimpleUploadedFile(name, content, content_type="text/html")

    client.post(answer_url(consultation), {"text": "See the file.", "attachment": upload})

    answer = ConsultationAnswer.objects.get()
    assert answer.attachment.name.endswith(served_as[-4:])
    assert (answer.original_filename, answer.content_type) == (name, content_type)
    response = client.get(answer_file_url(answer))
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'inline; filename="{served_as}"'
    assert response["Cache-Control"] == "private, no-store"


def test_the_document_to_comment_is_served_by_its_detected_type(
    client, senegal, senegal_focal_point
):
    consultation = ConsultationFactory(
        attachment=SimpleUploadedFile("questions.svg", PDF_BYTES, content_type="image/svg+xml")
    )
    client.force_login(senegal_focal_point)

    response = client.get(
        reverse("consultations:consultation-file", kwargs={"pk": consultation.pk})
    )

    assert consultation.attachment.name.endswith(".pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="questions.pdf"'


def test_a_file_stored_before_its_type_was_recorded_is_served_by_its_content(
    client, consultation, senegal, senegal_focal_point
):
    answer = ConsultationAnswer.objects.create(
        consultation=consultation, partner=senegal, text="Old answer."
    )
    answer.attachment.save("legacy.html", ContentFile(PDF_BYTES), save=False)
    ConsultationAnswer.objects.filter(pk=answer.pk).update(attachment=answer.attachment.name)
    client.force_login(senegal_focal_point)

    response = client.get(answer_file_url(answer))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('.pdf"')


def consultations_of_every_audience(count, partner, other):
    """``count`` open consultations, cycling through every audience; about half reach
    ``partner``."""
    audience = Consultation.Audience
    kinds = [
        {"audience": audience.ALL},
        {"audience": audience.REGION, "region": partner.region or Region.WEST_AFRICA},
        {"audience": audience.REGION, "region": Region.EUROPE},
        {"audience": audience.STEERING_COMMITTEE},
        {"audience": audience.CHOSEN},
    ]
    made = []
    for number in range(count):
        consultation = ConsultationFactory(**kinds[number % len(kinds)])
        if consultation.audience == audience.CHOSEN:
            consultation.partners.set([partner if number % 2 else other])
        made.append(consultation)
    return made


def test_addressed_to_agrees_with_each_consultations_own_audience(senegal, spain):
    SteeringCommitteeMembershipFactory(partner=senegal, start=datetime.date(2015, 1, 1))
    made = consultations_of_every_audience(12, senegal, spain)

    for partner in (senegal, spain):
        expected = {c.pk for c in made if c.addressed_partners().filter(pk=partner.pk).exists()}
        assert set(Consultation.objects.addressed_to(partner).values_list("pk", flat=True)) == (
            expected
        )
    assert 0 < len(expected) < len(made)


@pytest.mark.parametrize(
    "seats",
    [
        [],
        [(None, None)],
        [(datetime.date(2015, 1, 1), None)],
        [(None, datetime.date(2018, 1, 1))],
        [(datetime.date(2016, 1, 1), datetime.date(2018, 1, 1)), (datetime.date(2020, 1, 1), None)],
        [(datetime.date(2016, 1, 1), datetime.date(2018, 1, 1))],
    ],
)
def test_a_steering_committee_consultation_reaches_the_seats_held_when_it_opened(
    senegal, spain, seats
):
    for start, end in seats:
        SteeringCommitteeMembershipFactory(partner=senegal, start=start, end=end)
    today = datetime.date.today()
    openings = [
        datetime.date(2015, 6, 1),
        datetime.date(2017, 1, 1),
        datetime.date(2018, 1, 1),
        datetime.date(2019, 1, 1),
        today - datetime.timedelta(days=3),
        today + datetime.timedelta(days=3),
    ]
    made = [
        ConsultationFactory(
            audience=Consultation.Audience.STEERING_COMMITTEE,
            opens_on=opens_on,
            closes_on=opens_on + datetime.timedelta(days=30),
        )
        for opens_on in openings
    ]

    expected = {c.pk for c in made if c.addressed_partners().filter(pk=senegal.pk).exists()}
    assert set(Consultation.objects.addressed_to(senegal).values_list("pk", flat=True)) == (
        expected
    )


def test_the_consultations_list_shows_a_page_at_a_time_newest_first(
    client, senegal, senegal_focal_point
):
    today = datetime.date.today()
    made = [
        ConsultationFactory(
            title=f"Round {number:02}",
            opens_on=today - datetime.timedelta(days=number),
            closes_on=today + datetime.timedelta(days=10),
        )
        for number in range(25)
    ]
    client.force_login(senegal_focal_point)

    first = client.get(reverse("consultations:consultations")).text
    second = client.get(reverse("consultations:consultations") + "?page=2").text

    assert "Round 00" in first and "Round 19" in first and "Round 20" not in first
    assert all(f"Round {number:02}" in second for number in range(20, 25))
    assert 'rel="next"' in first and len(made) == 25


# The dashboard lists five and counts the rest: from six reaching the partner (about half of
# 16), its queries are the same.
@pytest.mark.parametrize(("url", "few"), [("/en/private/consultations/", 3), ("/en/private/", 16)])
def test_the_list_and_the_dashboard_cost_the_same_queries_with_few_or_30_consultations(
    client, senegal, spain, senegal_focal_point, url, few
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(senegal_focal_point)
    counts = []
    for total in (few, 30):
        consultations_of_every_audience(total - Consultation.objects.count(), senegal, spain)
        # Measured warm: values kept until the content changes cost their queries once.
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_consultation_the_secretariat_opens_is_announced_to_its_focal_points_once(
    client,
    secretariat,
    senegal,
    spain,
    senegal_focal_point,
    spain_focal_point,
    django_capture_on_commit_callbacks,
):
    senegal_focal_point.language = "fr"
    senegal_focal_point.save()
    client.force_login(secretariat)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/consultations/consultation/add/",
            {
                "title_en": "Update of the JVAP",
                "title_fr": "Mise à jour du PAVC",
                "slug": "update-of-the-jvap",
                "question_en": "What should change?",
                "audience": "chosen",
                "partners": [senegal.pk],
                "opens_on": today.isoformat(),
                "closes_on": (today + datetime.timedelta(days=30)).isoformat(),
                "answers-TOTAL_FORMS": "0",
                "answers-INITIAL_FORMS": "0",
            },
            follow=True,
        )

    assert response.status_code == 200
    assert "told by e-mail that it is open" in response.text
    (message,) = mail.outbox
    assert message.to == [senegal_focal_point.email]
    assert message.subject == "Consultation ouverte : Mise à jour du PAVC"
    assert "/fr/private/consultations/" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.announce_open_consultations() == []
    assert len(mail.outbox) == 1


def test_a_consultation_opening_later_is_announced_on_its_first_day(
    senegal, senegal_focal_point, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    later = ConsultationFactory(
        title="Next round",
        opens_on=today + datetime.timedelta(days=2),
        closes_on=today + datetime.timedelta(days=20),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.announce_open_consultations() == []
        assert services.announce_open_consultations(today + datetime.timedelta(days=2)) == [later]
    (message,) = mail.outbox
    assert message.to == [senegal_focal_point.email] and "Next round" in message.subject


def test_the_dashboard_lists_the_five_consultations_closing_soonest_and_links_to_all(
    client, senegal, senegal_focal_point
):
    today = timezone.localdate()
    for days in range(7, 0, -1):
        ConsultationFactory(
            title=f"Closing in {days} days",
            opens_on=today - datetime.timedelta(days=1),
            closes_on=today + datetime.timedelta(days=days),
        )
    client.force_login(senegal_focal_point)

    page = client.get("/en/private/").text

    assert all(f"Closing in {days} days" in page for days in range(1, 6))
    assert "Closing in 6 days" not in page and "Closing in 7 days" not in page
    assert page.index("Closing in 1 days") < page.index("Closing in 5 days")
    assert f'href="{reverse("consultations:consultations")}">See all 7 open consultations' in page
    french = client.get("/fr/private/").text
    assert "Voir les 7 consultations ouvertes" in french
