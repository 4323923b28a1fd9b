"""A meeting run by the portal, from the invitation to the evaluation: who may do what, the
deadlines and seats, the signed links, the e-mails, the figures counted from the records, the
exports and the anonymisation. Personal data never reaches a public page."""

import datetime

import pytest
from django.core import mail, signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from focalpoints.models import Membership, Partner, Region
from meetings import services
from meetings.models import (
    Delegate,
    Delegation,
    EvaluationResponse,
    Meeting,
    MeetingInvitation,
    Profile,
)
from meetings.tasks import anonymise_participants
from portal_lib.models import Delivery
from portal_lib.refusals import ActionRefused
from tests.focalpoints.factories import MembershipFactory, PartnerFactory, UserFactory
from tests.meetings.factories import ParticipationFactory, delegate, upcoming_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(senegal):
    meeting = upcoming_meeting(slug="border-management-2027", title="Border management meeting")
    meeting.invitation.partners.add(senegal)
    return meeting


@pytest.fixture
def invited(meeting, senegal_focal_point, senegal_staff, smtp, django_capture_on_commit_callbacks):
    """The invitation sent: Senegal's delegation exists, the e-mails are out."""
    with django_capture_on_commit_callbacks(execute=True):
        services.send_invitations(meeting)
    mail.outbox.clear()
    return meeting


def entry(name, email, **fields):
    return {
        "name": name,
        "email": email,
        "function": "Officer",
        "institution": "Ministry",
        "profile": Profile.NATIONAL_TECHNICAL_EXPERT,
        "languages": "French",
        "language": "fr",
        "mode": Delegate.Mode.IN_PERSON,
        "needs_visa_letter": False,
        **fields,
    }


def formset_data(*entries, initial=0):
    data = {
        "delegates-TOTAL_FORMS": str(max(len(entries), 2)),
        "delegates-INITIAL_FORMS": str(initial),
        "delegates-MIN_NUM_FORMS": "0",
        "delegates-MAX_NUM_FORMS": "1000",
    }
    for index, values in enumerate(entries):
        for field, value in values.items():
            if field == "needs_visa_letter":
                if value:
                    data[f"delegates-{index}-{field}"] = "on"
            elif field == "pk":
                data[f"delegates-{index}-id"] = value
            else:
                data[f"delegates-{index}-{field}"] = value
    return data


# --- 1. Invitations


def test_the_invitation_reaches_the_invited_partner_s_focal_points_in_their_language_with_the_ics(
    meeting,
    senegal_focal_point,
    senegal_staff,
    spain_focal_point,
    smtp,
    django_capture_on_commit_callbacks,
):
    senegal_focal_point.language = "fr"
    senegal_focal_point.save()
    alternate = MembershipFactory(
        user=UserFactory(email="alternate@senegal.example", language="en"),
        partner=senegal_focal_point.membership.partner,
        role=Membership.Role.ALTERNATE,
    ).user

    with django_capture_on_commit_callbacks(execute=True):
        delegations = services.send_invitations(meeting)

    assert [d.partner.slug for d in delegations] == ["senegal"]
    messages = {message.to[0]: message for message in mail.outbox}
    assert set(messages) == {senegal_focal_point.email, alternate.email}  # not staff, not Spain
    assert (
        messages[senegal_focal_point.email].subject == "Invitation : Border management meeting"
    )  # the subject is on one line, spaces folded
    assert messages[alternate.email].subject == "Invitation: Border management meeting"
    for message in messages.values():
        (name, content, mimetype) = message.attachments[0]
        assert (name, mimetype) == ("border-management-2027.ics", "text/calendar")
        assert "SUMMARY:Border management meeting" in content
        assert "/private/meetings/border-management-2027/delegation/" in message.body
        assert "2" in message.alternatives[0][0]


def test_sending_again_invites_only_the_partners_added_since(
    invited, spain, spain_focal_point, django_capture_on_commit_callbacks
):
    invited.invitation.partners.add(spain)
    with django_capture_on_commit_callbacks(execute=True):
        added = services.send_invitations(invited)

    assert [d.partner for d in added] == [spain]
    assert [message.to for message in mail.outbox] == [[spain_focal_point.email]]
    assert Delegation.objects.filter(meeting=invited).count() == 2


def test_a_region_s_invitation_reaches_its_partners_only(meeting, spain):
    invitation = meeting.invitation
    invitation.audience = MeetingInvitation.Audience.REGION
    invitation.region = Region.EUROPE
    invitation.partners.clear()
    invitation.save()

    assert list(invitation.invited_partners()) == [spain]


def test_the_steering_committee_s_and_everyone_s_invitations(meeting, senegal, spain):
    from tests.focalpoints.factories import SteeringCommitteeMembershipFactory

    SteeringCommitteeMembershipFactory(partner=spain, start=datetime.date(2020, 1, 1))
    guest = PartnerFactory(slug="guest", status=Partner.Status.INVITED)
    invitation = meeting.invitation
    invitation.partners.clear()

    invitation.audience = MeetingInvitation.Audience.STEERING_COMMITTEE
    assert list(invitation.invited_partners()) == [spain]
    invitation.audience = MeetingInvitation.Audience.ALL
    everyone = set(Partner.objects.exclude(pk=guest.pk))
    assert {senegal, spain} <= everyone
    assert set(invitation.invited_partners()) == everyone  # not the invited guest
    invitation.partners.add(guest)  # unless chosen
    assert set(invitation.invited_partners()) == everyone | {guest}


def test_the_dashboard_shows_a_focal_point_s_invitation_and_a_member_the_webinars(
    client, invited, senegal, senegal_focal_point, senegal_staff
):
    webinar = upcoming_meeting(slug="webinar-2027", title="Webinar on returns", kind="webinar")
    Delegation.objects.create(meeting=webinar, partner=senegal)

    client.force_login(senegal_focal_point)
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("meetings:delegation", kwargs={"slug": invited.slug}) in page
    assert reverse("meetings:webinar", kwargs={"slug": webinar.slug}) in page
    client.force_login(senegal_staff)
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("meetings:delegation", kwargs={"slug": invited.slug}) not in page
    assert reverse("meetings:webinar", kwargs={"slug": webinar.slug}) in page


def test_no_invitation_once_the_nomination_deadline_has_passed(meeting):
    MeetingInvitation.objects.filter(meeting=meeting).update(
        nomination_deadline=timezone.now() - datetime.timedelta(minutes=1),
        registration_deadline=timezone.now(),
    )
    meeting.refresh_from_db()
    with pytest.raises(ActionRefused, match="nomination deadline has passed"):
        services.send_invitations(Meeting.objects.get(pk=meeting.pk))


# --- 2. Nominations


def test_the_focal_point_names_two_delegates_and_may_change_them_until_the_deadline(
    client, invited, senegal_focal_point
):
    client.force_login(senegal_focal_point)
    url = reverse("meetings:delegation", kwargs={"slug": invited.slug})
    assert "National technical experts on border management" in client.get(url).content.decode()

    response = client.post(
        url,
        formset_data(entry("Awa Ndiaye", "awa@sn.example"), entry("Moussa Fall", "m@sn.example")),
    )

    assert response.status_code == 302
    delegation = Delegation.objects.get(meeting=invited)
    assert delegation.answered_at is not None
    assert sorted(delegation.delegates.values_list("name", flat=True)) == [
        "Awa Ndiaye",
        "Moussa Fall",
    ]
    awa = delegation.delegates.get(name="Awa Ndiaye")
    moussa = delegation.delegates.get(name="Moussa Fall")
    # Changed: Moussa withdrawn, Awa's function corrected.
    data = formset_data(
        entry("Awa Ndiaye", "awa@sn.example", function="Commissioner", pk=awa.pk),
        entry("Moussa Fall", "m@sn.example", pk=moussa.pk),
        initial=2,
    )
    data["delegates-1-DELETE"] = "on"
    client.post(url, data)
    assert list(delegation.delegates.values_list("name", "function")) == [
        ("Awa Ndiaye", "Commissioner")
    ]


def test_more_delegates_than_seats_are_refused_with_a_clear_message(invited, senegal_focal_point):
    with pytest.raises(ActionRefused, match="2 seats: you named 3 delegates"):
        services.save_delegation(
            senegal_focal_point,
            invited,
            [entry("A", "a@x.example"), entry("B", "b@x.example"), entry("C", "c@x.example")],
        )
    assert not Delegate.objects.exists()


def test_nominations_are_refused_after_the_deadline(client, invited, senegal_focal_point):
    MeetingInvitation.objects.filter(meeting=invited).update(
        nomination_deadline=timezone.now() - datetime.timedelta(hours=1)
    )
    with pytest.raises(ActionRefused, match="Nominations closed on"):
        services.save_delegation(senegal_focal_point, invited, [entry("A", "a@x.example")])

    client.force_login(senegal_focal_point)
    page = client.get(reverse("meetings:delegation", kwargs={"slug": invited.slug}))
    assert "Nominations are closed" in page.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", "login"),
        ("spain_focal_point", 404),  # its partner is not invited: not its delegation
        ("senegal_staff", 403),  # staff do not nominate
        ("secretariat", 302),  # to its own page of the meeting's delegations
        ("senegal_focal_point", 200),
    ],
)
def test_the_delegation_page_is_the_invited_partner_s_focal_points_own(
    client, invited, request, role, expected
):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("meetings:delegation", kwargs={"slug": invited.slug}))
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected


def test_the_secretariat_sees_who_has_answered_and_reminds_the_others_never_twice(
    client,
    invited,
    spain,
    spain_focal_point,
    senegal_focal_point,
    secretariat,
    django_capture_on_commit_callbacks,
):
    invited.invitation.partners.add(spain)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_invitations(invited)
    services.save_delegation(senegal_focal_point, invited, [entry("Awa", "awa@sn.example")])
    mail.outbox.clear()
    client.force_login(secretariat)
    url = reverse("meetings:delegations", kwargs={"slug": invited.slug})

    page = client.get(url).content.decode()
    assert "1 / 2" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "remind"})
        client.post(url, {"action": "remind"})

    assert [message.to for message in mail.outbox] == [[spain_focal_point.email]]
    later = timezone.now() + invited.invitation.reminder_interval + datetime.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_unanswered(now=later) == 1
    assert len(mail.outbox) == 2


# --- 3. Decisions and registration by the personal link


@pytest.fixture
def nominee(invited, senegal):
    return delegate(invited, senegal, language="fr", needs_visa_letter=True)


def test_an_accepted_delegate_gets_their_personal_link_in_their_language(
    client, nominee, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    url = reverse("meetings:delegations", kwargs={"slug": nominee.delegation.meeting.slug})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "decide", "delegate": nominee.pk, "status": "accepted"})

    (message,) = mail.outbox
    assert message.to == ["awa@interior.sn"]
    assert message.subject == "Inscription : Border management meeting"
    token = services.registration_token(nominee)
    assert f"/fr/meetings/registration/{token}/" in message.body


def test_accepting_beyond_the_seats_is_refused(invited, senegal):
    first = delegate(invited, senegal, email="a@sn.example")
    second = delegate(invited, senegal, email="b@sn.example")
    third = delegate(invited, senegal, email="c@sn.example", status=Delegate.Status.WAITLISTED)
    services.decide(first, Delegate.Status.ACCEPTED)
    services.decide(second, Delegate.Status.ACCEPTED)

    with pytest.raises(ActionRefused, match="no seat left"):
        services.decide(third, Delegate.Status.ACCEPTED)


def test_a_declined_delegate_is_told_the_reason(nominee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(nominee, Delegate.Status.DECLINED, "The meeting is for police officers.")

    (message,) = mail.outbox
    assert "The meeting is for police officers." in message.body


def test_registration_by_the_link_confirms_with_the_ics_and_the_visa_letter(
    client, nominee, django_capture_on_commit_callbacks
):
    services.decide(nominee, Delegate.Status.ACCEPTED)
    mail.outbox.clear()
    url = reverse("meetings:register", kwargs={"token": services.registration_token(nominee)})
    page = client.get(url).content.decode()
    assert "meet.example.org/secret-room" not in page  # not before registering

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"dietary_needs": "Vegetarian", "arrival": "AF 718, 14:05"})

    assert response.status_code == 302
    nominee.refresh_from_db()
    assert nominee.registered_at and nominee.dietary_needs == "Vegetarian"
    (message,) = mail.outbox
    assert message.subject == "Inscription confirmée : Border management meeting"
    assert "Hotel: a block is reserved." in message.body
    files = {name: (content, mimetype) for name, content, mimetype in message.attachments}
    assert files["border-management-2027.ics"][1] == "text/calendar"
    letter, mimetype = files["invitation-letter-border-management-2027.pdf"]
    assert mimetype == "application/pdf" and letter.startswith(b"%PDF")
    assert "meet.example.org/secret-room" in client.get(url).content.decode()


def test_a_registration_is_refused_after_the_deadline(nominee):
    services.decide(nominee, Delegate.Status.ACCEPTED)
    MeetingInvitation.objects.filter(pk=nominee.delegation.meeting.invitation.pk).update(
        nomination_deadline=timezone.now() - datetime.timedelta(days=2),
        registration_deadline=timezone.now() - datetime.timedelta(days=1),
    )
    with pytest.raises(ActionRefused, match="Registration closed on"):
        services.register(nominee)


def test_a_nominee_not_accepted_cannot_register(nominee):
    with pytest.raises(ActionRefused, match="not been accepted"):
        services.register(nominee)


def test_a_forged_link_is_refused_with_a_clear_message(client, nominee):
    token = services.registration_token(nominee)
    forged = signing.dumps(nominee.pk + 1, salt="something-else")

    for bad in (token[:-2] + "xx", forged, services.evaluation_token(nominee)):
        response = client.get(reverse("meetings:register", kwargs={"token": bad}))
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
        assert "awa@interior.sn" not in response.content.decode()


def test_an_expired_link_is_refused_with_a_clear_message(client, nominee, settings):
    token = services.registration_token(nominee)
    settings.MEETING_LINK_MAX_AGE = datetime.timedelta(seconds=-1)

    response = client.get(reverse("meetings:register", kwargs={"token": token}))

    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()


def test_the_visa_letter_is_for_the_secretariat_and_the_delegate_s_own_focal_points(
    client, nominee, senegal_focal_point, spain_focal_point, secretariat, senegal_staff
):
    url = reverse("meetings:visa-letter", kwargs={"pk": nominee.pk})
    MeetingInvitation.objects.filter(pk=nominee.delegation.meeting.invitation.pk).update(
        visa_letter_en="We invite {name} ({partner}) to the {meeting}."
    )
    assert client.get(url).status_code == 302  # to the login page
    for user, expected in (
        (spain_focal_point, 404),
        (senegal_staff, 403),
        (senegal_focal_point, 200),
        (secretariat, 200),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == expected, user
        if expected == 200:
            assert response.content.startswith(b"%PDF")
    nominee = Delegate.objects.get(pk=nominee.pk)
    nominee.language = "en"
    assert services.visa_letter_text(nominee) == (
        "We invite Awa Ndiaye (Senegal) to the Border management meeting."
    )


# --- 4. Attendance and evaluation


def held(meeting):
    """Move ``meeting`` to yesterday, as if it had taken place."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Meeting.objects.filter(pk=meeting.pk).update(
        start_date=yesterday, end_date=yesterday, status=Meeting.Status.HELD
    )
    return Meeting.objects.select_related("invitation").get(pk=meeting.pk)


@pytest.fixture
def attended(nominee, senegal):
    meeting = nominee.delegation.meeting
    services.decide(nominee, Delegate.Status.ACCEPTED)
    absent = delegate(meeting, senegal, name="Absent Person", email="absent@sn.example")
    services.decide(absent, Delegate.Status.ACCEPTED)
    services.mark_attendance(meeting, [nominee.pk])
    mail.outbox.clear()
    return held(meeting)


def test_the_check_in_list_marks_attendance_by_delegation_with_a_search(
    client, invited, senegal, secretariat
):
    awa = delegate(invited, senegal, status=Delegate.Status.ACCEPTED)
    delegate(invited, senegal, name="Moussa Fall", email="m@sn.example", status="accepted")
    client.force_login(secretariat)
    url = reverse("meetings:check-in", kwargs={"slug": invited.slug})

    page = client.get(url, {"q": "awa"}).content.decode()
    assert "Awa Ndiaye" in page and "Moussa Fall" not in page
    response = client.post(url, {"delegate": awa.pk, "present": "1", "q": "awa"})

    assert response["Location"].endswith("?q=awa")
    awa.refresh_from_db()
    assert awa.attended and awa.checked_in_at
    assert Meeting.objects.get(pk=invited.pk).attendance_recorded


def test_undoing_the_last_check_in_brings_the_typed_figures_back(invited, senegal):
    ParticipationFactory(meeting=invited, participants=40)
    awa = delegate(invited, senegal, status=Delegate.Status.ACCEPTED)
    services.mark_attendance(invited, [awa.pk])
    assert Meeting.objects.get(pk=invited.pk).participation_figures().is_computed

    services.mark_attendance(invited, [awa.pk], attended=False)

    figures = Meeting.objects.get(pk=invited.pk).participation_figures()
    assert (figures.is_computed, figures.participants) == (False, 40)


def test_a_nominee_cannot_answer_an_evaluation_not_sent_to_them(client, attended):
    nominee = Delegate.objects.get(email="awa@interior.sn")
    url = reverse("meetings:evaluate", kwargs={"token": services.evaluation_token(nominee)})

    assert (
        "The evaluation is for the participants who attended." in client.get(url).content.decode()
    )
    with pytest.raises(ActionRefused):
        services.answer_evaluation(nominee, {})
    assert not EvaluationResponse.objects.exists()


def test_the_evaluation_waits_for_the_meeting_to_take_place(invited):
    with pytest.raises(ActionRefused, match="once the meeting has taken place"):
        services.send_evaluations(invited)


def test_the_evaluation_goes_to_those_who_attended_and_takes_one_answer_each(
    client, attended, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_evaluations(attended) == 1
        assert services.send_evaluations(attended) == 0  # never twice

    (message,) = mail.outbox
    assert message.to == ["awa@interior.sn"]
    nominee = Delegate.objects.get(email="awa@interior.sn")
    url = reverse("meetings:evaluate", kwargs={"token": services.evaluation_token(nominee)})
    assert url in message.body.replace("/fr/", "/en/")
    questions = list(attended.evaluation_questions.all())
    assert next(q.text for q in questions) == "How useful was the meeting?"
    answers = {f"q{questions[0].pk}": "4", f"q{questions[1].pk}": "yes", f"q{questions[2].pk}": "5"}
    answers[f"q{questions[3].pk}"] = "More time for exchanges."

    client.post(url, answers)
    second = client.post(url, answers, follow=True)

    assert EvaluationResponse.objects.count() == 1
    assert "You have answered this evaluation" in second.content.decode()
    summary = services.reaction_summary(attended)
    assert (summary.responses, summary.attended, summary.response_rate) == (1, 1, 100)
    assert [(q.average, q.yes_share) for q in summary.questions[:3]] == [
        (4.0, None),
        (None, 100),
        (5.0, None),
    ]
    csv_text = services.evaluation_csv(attended)
    assert "More time for exchanges." in csv_text
    assert "Awa" not in csv_text and "awa@" not in csv_text and "Senegal" not in csv_text


# --- 5. Figures computed from the records


def test_the_figures_are_counted_from_attendance_madrid_style(invited, senegal, spain):
    organisation = PartnerFactory(
        slug="icmpd-test", name="ICMPD test", kind=Partner.Kind.ORGANISATION, region=""
    )
    rows = [
        (senegal, Profile.NATIONAL_TECHNICAL_EXPERT),
        (senegal, Profile.NATIONAL_TECHNICAL_EXPERT),
        (spain, Profile.EXTERNAL_EXPERT),
        (spain, Profile.DIPLOMATIC),
        (organisation, Profile.ORGANISATION),
        (organisation, Profile.GOVERNMENT),  # accepted, absent: not counted
    ]
    delegates = [
        delegate(invited, partner, email=f"p{i}@x.example", profile=profile, status="accepted")
        for i, (partner, profile) in enumerate(rows)
    ]
    services.mark_attendance(invited, [d.pk for d in delegates[:5]])

    figures = Meeting.objects.get(pk=invited.pk).participation_figures()

    assert figures.is_computed
    assert (figures.participants, figures.delegations, figures.partner_countries) == (5, 3, 2)
    assert (figures.african_countries, figures.european_countries, figures.organisations) == (
        1,
        1,
        1,
    )
    assert figures.technical_share == 60  # 2 national technical + 1 external of 5
    assert {str(label): n for label, n in figures.profile_breakdown} == {
        "national technical experts": 2,
        "external experts": 1,
        "government representatives": 0,
        "organisation representatives": 1,
        "non-technical (diplomatic) profile": 1,
    }


def test_the_public_page_says_whether_figures_are_counted_or_typed(client, invited, senegal):
    typed = ParticipationFactory(participants=40, delegations=20)
    page = client.get(typed.meeting.get_absolute_url()).content.decode()
    assert "As reported: figures entered by the Secretariat." in page

    awa = delegate(invited, senegal, status="accepted")
    services.mark_attendance(invited, [awa.pk])
    page = client.get(invited.get_absolute_url()).content.decode()
    assert "Counted from the attendance records of the meeting." in page
    chart = client.get(reverse("meetings:participation-chart", kwargs={"slug": invited.slug}))
    assert chart.status_code == 200 and b"<svg" in chart.content


def test_attendance_marked_shows_at_once_to_a_visitor_served_from_the_page_cache(
    invited, senegal, django_capture_on_commit_callbacks
):
    from django.test import Client

    awa = delegate(invited, senegal, status="accepted")
    visitor = Client()
    assert visitor.get(invited.get_absolute_url())["X-Page-Cache"] == "miss"
    assert visitor.get(invited.get_absolute_url())["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        services.mark_attendance(invited, [awa.pk])

    page = visitor.get(invited.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    assert "Counted from the attendance records of the meeting." in page.text


def test_a_meeting_without_records_keeps_its_typed_figures():
    typed = ParticipationFactory(participants=40, reported_technical_share=66)
    figures = Meeting.objects.select_related("participation").get(pk=typed.meeting.pk)
    with CaptureQueriesContext(connection) as queries:
        result = figures.participation_figures()
    assert (result.is_computed, result.technical_share, len(queries)) == (False, 66, 0)


# --- 6. Exports, personal data, anonymisation


def test_the_secretariat_exports_the_participants_and_badges(client, attended, secretariat):
    client.force_login(secretariat)
    slug = attended.slug
    csv_text = client.get(reverse("meetings:participants-csv", kwargs={"slug": slug})).content
    assert b"Awa Ndiaye" in csv_text and b"awa@interior.sn" in csv_text
    for name in ("meetings:participants-pdf", "meetings:badges-pdf"):
        response = client.get(reverse(name, kwargs={"slug": slug}))
        assert response.content.startswith(b"%PDF"), name
        assert response["Cache-Control"] == "private, no-store"


def test_no_personal_data_on_public_pages_feeds_or_sitemap(client, attended):
    services.register(Delegate.objects.get(email="awa@interior.sn"))
    public = [
        attended.get_absolute_url(),
        reverse("meetings:list"),
        reverse("meetings:outcomes-feed"),
        reverse("meetings:calendar-ics"),
        reverse("meetings:meeting-ics", kwargs={"slug": attended.slug}),
        reverse("sitemap-index"),
        reverse("django.contrib.sitemaps.views.sitemap", kwargs={"section": "meetings"}),
        reverse("search") + "?q=Ndiaye",
        reverse("home"),
    ]
    for url in public:
        content = client.get(url).content.decode()
        for secret in ("Awa Ndiaye", "awa@interior.sn", "secret-room", "registration/"):
            assert secret not in content, (url, secret)


def test_participants_are_anonymised_after_the_delay_and_the_figures_stay(attended, settings):
    settings.MEETING_ANONYMISE_AFTER_DAYS = 30
    before = attended.participation_figures()
    assert anonymise_participants() == 0  # ended yesterday: kept
    assert Delivery.objects.filter(email="awa@interior.sn", text_body__contains="Awa").exists()

    Meeting.objects.filter(pk=attended.pk).update(
        start_date=timezone.localdate() - datetime.timedelta(days=40),
        end_date=timezone.localdate() - datetime.timedelta(days=40),
    )
    assert anonymise_participants.delay().get() == 2

    names = set(Delegate.objects.values_list("name", "email", "institution"))
    assert names == {("", "", "")}
    assert not Delivery.objects.filter(email="awa@interior.sn").exists()
    assert not Delivery.objects.filter(text_body__contains="Awa").exists()
    after = Meeting.objects.get(pk=attended.pk).participation_figures()
    assert (after.participants, after.technical_share, after.delegations) == (
        before.participants,
        before.technical_share,
        before.delegations,
    )


def test_the_pages_of_a_meeting_with_300_registrations_take_as_many_queries_as_with_30(
    client, invited, secretariat
):
    partners = [PartnerFactory() for _ in range(10)]

    def fill(count):
        Delegate.objects.filter(delegation__meeting=invited).delete()
        for index in range(count):
            delegate(
                invited,
                partners[index % 10],
                email=f"d{index}@x.example",
                status=Delegate.Status.ACCEPTED,
                registered_at=timezone.now(),
                attended=index % 2 == 0,
            )
        Meeting.objects.filter(pk=invited.pk).update(attendance_recorded=True)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client.force_login(secretariat)
    urls = [
        reverse(f"meetings:{name}", kwargs={"slug": invited.slug})
        for name in ("delegations", "check-in", "participants-csv", "detail")
    ]
    fill(30)
    few = [queries(url) for url in urls]
    fill(300)
    many = [queries(url) for url in urls]

    assert many == few


# --- 7. Webinars


def test_a_member_of_an_invited_partner_registers_for_a_webinar_and_sees_the_join_link(
    client, senegal, senegal_staff, spain_focal_point, django_capture_on_commit_callbacks
):
    webinar = upcoming_meeting(slug="webinar-2027", kind=Meeting.Kind.WEBINAR)
    Delegation.objects.create(meeting=webinar, partner=senegal)
    url = reverse("meetings:webinar", kwargs={"slug": webinar.slug})
    client.force_login(spain_focal_point)
    assert client.get(url).status_code == 404

    client.force_login(senegal_staff)
    assert "secret-room" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"profile": Profile.GOVERNMENT})

    assert "secret-room" in client.get(url).content.decode()
    (message,) = mail.outbox
    assert message.to == [senegal_staff.email]
    registered = Delegate.objects.get(email=senegal_staff.email)
    assert (registered.status, registered.mode) == ("accepted", "remote")
