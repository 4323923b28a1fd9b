"""E-mail digests: what each member gets, in their language, once per period, never twice."""

import datetime
import smtplib
import threading
from email import message_from_bytes

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.models import Consultation, ConsultationAnswer
from digests import services as digests
from digests.models import DigestDelivery, DigestSchedule
from focalpoints.models import Membership, Region, User
from meetings.models import Document, Meeting, MeetingResult
from tests.consultations.factories import ConsultationFactory
from tests.focalpoints.factories import (
    MembershipFactory,
    PartnerFactory,
    UserFactory,
)
from tests.meetings.factories import DocumentFactory, MeetingFactory

TODAY = datetime.date.today


@pytest.fixture(autouse=True)
def quick_retries(settings):
    settings.DIGEST_RETRY_BACKOFF = 0
    settings.SITE_URL = "https://portal.example"
    cache.clear()
    yield
    cache.clear()


def ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def age(instance, days):
    """Make a record look as if it had been added ``days`` ago."""
    type(instance).objects.filter(pk=instance.pk).update(created_at=ago(days))


def digest_for(user):
    (message,) = [m for m in mail.outbox if m.to == [user.email]]
    return message, message.alternatives[0][0]


def test_a_new_document_reaches_those_it_is_shared_with(senegal_focal_point, senegal_staff):
    DocumentFactory(title="Conclusions of Madrid")
    DocumentFactory(title="Minutes of the SOM", visibility=Document.Visibility.MEMBERS)
    DocumentFactory(title="Draft minutes", visibility=Document.Visibility.FOCAL_POINTS)
    age(DocumentFactory(title="An old study"), 30)

    result = digests.run_digests("weekly")

    assert result.sent == 2
    for user in (senegal_focal_point, senegal_staff):
        message, html = digest_for(user)
        assert "Conclusions of Madrid" in message.body and "Conclusions of Madrid" in html
        assert "Minutes of the SOM (members of partners)" in message.body
        assert "An old study" not in message.body
        assert "https://portal.example/en/" in message.body
        assert 'href="https://portal.example/en/' in html
    focal_point_message, _html = digest_for(senegal_focal_point)
    assert "Draft minutes (focal points only)" in focal_point_message.body
    staff_message, staff_html = digest_for(senegal_staff)
    assert "Draft minutes" not in staff_message.body and "Draft minutes" not in staff_html


def test_meetings_of_the_next_30_days_and_results_published_since_the_last_digest(
    senegal_focal_point,
):
    soon = MeetingFactory(
        title="Thematic meeting in Dakar",
        status=Meeting.Status.PLANNED,
        start_date=TODAY() + datetime.timedelta(days=12),
    )
    MeetingFactory(
        title="Far-off conference",
        status=Meeting.Status.PLANNED,
        start_date=TODAY() + datetime.timedelta(days=45),
    )
    held = MeetingFactory(title="Madrid workshop")
    MeetingResult.objects.create(meeting=held, position=1, text="A compendium of practices")
    old = MeetingResult.objects.create(meeting=held, position=2, text="An older result")
    age(old, 20)

    digests.run_digests("weekly")

    message, html = digest_for(senegal_focal_point)
    assert "Thematic meeting in Dakar" in message.body
    assert soon.get_absolute_url() in html
    assert "Far-off conference" not in message.body
    assert "Results of Madrid workshop" in message.body
    assert "A compendium of practices" in html
    assert "An older result" not in message.body


def test_a_meeting_already_announced_does_not_make_a_digest_by_itself(senegal_focal_point):
    meeting = MeetingFactory(
        status=Meeting.Status.PLANNED, start_date=TODAY() + datetime.timedelta(days=10)
    )
    age(meeting, 40)
    DigestDelivery.objects.create(
        recipient=senegal_focal_point,
        period="weekly:2000-W01",
        status=DigestDelivery.Status.SENT,
        since=ago(14),
        until=ago(7),
    )

    result = digests.run_digests("weekly")

    assert (result.sent, result.nothing_new, mail.outbox) == (0, 1, [])


def test_open_consultations_say_whether_the_partner_answered(
    senegal, senegal_focal_point, spain, spain_focal_point
):
    answered = ConsultationFactory(
        title="JVAP update", closes_on=TODAY() + datetime.timedelta(days=3)
    )
    ConsultationAnswer.objects.create(
        consultation=answered, partner=senegal, text="Our answer", answered_by=senegal_focal_point
    )
    ConsultationFactory(
        title="West African round",
        audience=Consultation.Audience.REGION,
        region=Region.WEST_AFRICA,
        closes_on=TODAY() + datetime.timedelta(days=5),
    )
    ConsultationFactory(title="Closing later", closes_on=TODAY() + datetime.timedelta(days=40))

    digests.run_digests("weekly")

    senegal_message, _html = digest_for(senegal_focal_point)
    assert "West African round" in senegal_message.body
    assert "your partner has not answered yet" in senegal_message.body
    assert "JVAP update" in senegal_message.body
    assert "your partner has answered" in senegal_message.body
    # Open, though far from closing: the focal point learns of it while there is time.
    assert "Closing later" in senegal_message.body
    spain_message, _html = digest_for(spain_focal_point)
    assert "JVAP update" in spain_message.body
    assert "West African round" not in spain_message.body


def test_each_member_gets_the_frequency_they_chose_and_none_when_off(senegal):
    weekly = MembershipFactory(partner=senegal).user
    daily = MembershipFactory(partner=senegal, user__digest_frequency="daily").user
    off = MembershipFactory(partner=senegal, user__digest_frequency="off").user
    suspended = MembershipFactory(partner=senegal, is_active=False).user
    outsider = UserFactory()
    DocumentFactory(title="News")

    digests.run_digests("weekly")
    weekly_recipients = sorted(m.to[0] for m in mail.outbox)
    mail.outbox.clear()
    digests.run_digests("daily")

    assert weekly.digest_frequency == "weekly"
    assert weekly_recipients == [weekly.email]
    assert [m.to for m in mail.outbox] == [[daily.email]]
    assert not DigestDelivery.objects.filter(recipient__in=[off, suspended, outsider]).exists()


def test_the_digest_is_in_the_recipients_language(senegal_focal_point, spain_focal_point):
    User.objects.filter(pk=senegal_focal_point.pk).update(language="fr")
    DocumentFactory(title="Conclusions")

    digests.run_digests("weekly")

    french, french_html = digest_for(senegal_focal_point)
    english, _html = digest_for(spain_focal_point)
    assert french.subject == "Processus de Rabat : votre récapitulatif hebdomadaire"
    assert "Nouveaux documents" in french.body
    assert "https://portal.example/fr/" in french.body and "/en/" not in french_html
    assert english.subject == "Rabat Process: your weekly digest"
    assert "New documents" in english.body


def test_nothing_new_means_no_e_mail_and_a_record_that_says_so(senegal_focal_point):
    age(DocumentFactory(), 30)

    result = digests.run_digests("weekly")

    assert mail.outbox == []
    delivery = DigestDelivery.objects.get(recipient=senegal_focal_point)
    assert (result.nothing_new, delivery.status) == (1, DigestDelivery.Status.NOTHING_NEW)


def test_the_next_digest_covers_what_changed_since_the_last_one(senegal_focal_point):
    User.objects.filter(pk=senegal_focal_point.pk).update(digest_frequency="daily")
    first = DocumentFactory(title="First document")
    Document.objects.filter(pk=first.pk).update(created_at=ago(1.5))
    digests.run_digests("daily", now=ago(1))
    assert "First document" in digest_for(senegal_focal_point)[0].body
    DocumentFactory(title="Second document")
    mail.outbox.clear()

    digests.run_digests("daily")

    message, _html = digest_for(senegal_focal_point)
    assert "Second document" in message.body
    assert "First document" not in message.body


def test_the_digest_carries_one_click_unsubscribe_headers_and_both_parts(senegal_focal_point):
    DocumentFactory()

    digests.run_digests("weekly")

    message, html = digest_for(senegal_focal_point)
    parsed = message_from_bytes(message.message().as_bytes())
    url = "".join(parsed["List-Unsubscribe"].split()).strip("<>")
    assert url.startswith("https://portal.example/en/digest/unsubscribe/")
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert [part.get_content_type() for part in parsed.walk()][1:] == ["text/plain", "text/html"]
    assert url in message.body and url in html
    assert "<img" not in html and "<link" not in html and "@import" not in html


def test_the_unsubscribe_link_asks_then_turns_the_digest_off_without_login(
    client, senegal_focal_point
):
    path = reverse(
        "digest-unsubscribe", kwargs={"token": digests.unsubscribe_token(senegal_focal_point)}
    )

    page = client.get(path)
    senegal_focal_point.refresh_from_db()
    assert page.status_code == 200 and senegal_focal_point.digest_frequency == "weekly"
    assert b"Stop the digest" in page.content

    done = client.post(path)

    senegal_focal_point.refresh_from_db()
    assert done.status_code == 200
    assert senegal_focal_point.digest_frequency == "off"
    assert b"You will no longer receive the digest" in done.content


def test_one_click_unsubscribe_works_as_a_mail_client_posts_it(senegal_focal_point):
    from django.test import Client

    path = reverse(
        "digest-unsubscribe", kwargs={"token": digests.unsubscribe_token(senegal_focal_point)}
    )

    answer = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})

    senegal_focal_point.refresh_from_db()
    assert answer.status_code == 200 and senegal_focal_point.digest_frequency == "off"


def test_a_tampered_unsubscribe_link_is_refused(client, senegal_focal_point):
    token = digests.unsubscribe_token(senegal_focal_point)

    answer = client.post(reverse("digest-unsubscribe", kwargs={"token": token[:-2] + "xx"}))

    senegal_focal_point.refresh_from_db()
    assert answer.status_code == 400
    assert senegal_focal_point.digest_frequency == "weekly"


def test_a_second_run_of_the_same_period_sends_nothing(senegal_focal_point, spain_focal_point):
    DocumentFactory()

    first = digests.run_digests("weekly")
    second = digests.run_digests("weekly")

    assert (first.sent, second.sent, second.skipped) == (2, 0, 2)
    assert len(mail.outbox) == 2
    assert set(DigestDelivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_re_run_sends_what_a_dead_worker_left_claimed_but_not_a_fresh_claim(
    settings, senegal_focal_point, spain_focal_point
):
    DocumentFactory()
    key = digests.period_key("weekly", timezone.now())
    for user, claimed_at in [(senegal_focal_point, ago(1)), (spain_focal_point, timezone.now())]:
        DigestDelivery.objects.create(
            recipient=user, period=key, since=ago(7), until=timezone.now(), claimed_at=claimed_at
        )

    result = digests.run_digests("weekly")

    assert [m.to for m in mail.outbox] == [[senegal_focal_point.email]]
    assert (result.sent, result.skipped) == (1, 1)
    delivery = DigestDelivery.objects.get(recipient=senegal_focal_point)
    assert (delivery.status, delivery.attempts) == ("sent", 1)


def test_a_digest_sent_just_before_the_worker_died_is_not_sent_again(senegal_focal_point):
    DocumentFactory()
    key = digests.period_key("weekly", timezone.now())
    DigestDelivery.objects.create(
        recipient=senegal_focal_point, period=key, since=ago(7), until=ago(0), claimed_at=ago(1)
    )
    cache.set(f"digest-sent:{key}:{senegal_focal_point.pk}", 1)

    digests.run_digests("weekly")

    assert mail.outbox == []
    assert DigestDelivery.objects.get(recipient=senegal_focal_point).status == "sent"


class FlakyBackend:
    """An SMTP connection that refuses the first ``failures`` messages."""

    failures = 0
    opened = 0

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        FlakyBackend.opened += 1

    def close(self):
        pass

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def flaky_smtp(settings):
    settings.EMAIL_BACKEND = "tests.digests.test_digests.FlakyBackend"
    FlakyBackend.failures, FlakyBackend.opened = 0, 0
    return FlakyBackend


def test_smtp_errors_are_retried_then_recorded_as_failed(settings, flaky_smtp, senegal_focal_point):
    settings.DIGEST_SEND_RETRIES = 2
    DocumentFactory()
    flaky_smtp.failures = 2

    assert digests.run_digests("weekly").sent == 1
    assert len(mail.outbox) == 1

    spain = MembershipFactory(partner=PartnerFactory(), user__email="nfp@elsewhere.example").user
    flaky_smtp.failures = 10
    result = digests.run_digests("weekly", email=spain.email)

    delivery = DigestDelivery.objects.get(recipient=spain)
    assert (result.failed, delivery.status) == (1, "failed")
    assert "Connection unexpectedly closed" in delivery.error

    flaky_smtp.failures = 0
    assert digests.run_digests("weekly").sent == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(mail.outbox)) == ("sent", 2, 2)


def test_a_batch_goes_over_one_smtp_connection(settings, flaky_smtp, senegal):
    settings.DIGEST_BATCH_SIZE = 50
    for _ in range(5):
        MembershipFactory(partner=senegal)
    DocumentFactory()

    digests.run_digests("weekly")

    assert (len(mail.outbox), flaky_smtp.opened) == (5, 1)


def run_with_members(count):
    partner = PartnerFactory()
    for _ in range(count):
        MembershipFactory(partner=partner)
    with CaptureQueriesContext(connection) as queries:
        result = digests.run_digests("weekly")
    assert result.sent == count
    DigestDelivery.objects.all().delete()
    Membership.objects.all().delete()
    mail.outbox.clear()
    cache.clear()
    return len(queries)


def test_a_batch_costs_the_same_queries_for_10_and_for_50_recipients(settings, senegal):
    settings.DIGEST_BATCH_SIZE = 100
    DocumentFactory(visibility=Document.Visibility.FOCAL_POINTS)
    DocumentFactory()
    MeetingResult.objects.create(meeting=MeetingFactory(), text="A result")
    MeetingFactory(status=Meeting.Status.PLANNED, start_date=TODAY() + datetime.timedelta(days=9))
    ConsultationFactory(closes_on=TODAY() + datetime.timedelta(days=2))

    assert run_with_members(10) == run_with_members(50)


def test_a_dry_run_prints_the_digests_and_records_nothing(senegal_focal_point):
    DocumentFactory(title="Conclusions of Dakar")

    from io import StringIO

    out = StringIO()
    call_command("send_digests", "--dry-run", "--period", "weekly", stdout=out)

    assert "nfp@senegal.example" in out.getvalue()
    assert "1 digest(s) would be sent" in out.getvalue()
    assert mail.outbox == [] and not DigestDelivery.objects.exists()


def test_the_command_can_send_one_members_digest(senegal_focal_point, spain_focal_point):
    DocumentFactory()

    call_command("send_digests", "--user", spain_focal_point.email, stdout=None)

    assert [m.to for m in mail.outbox] == [[spain_focal_point.email]]


@pytest.mark.django_db
def test_the_schedule_says_which_runs_are_due():
    schedule = DigestSchedule.load()
    schedule.weekly_weekday, schedule.weekly_hour, schedule.daily_hour = 2, 8, 6
    schedule.save()
    tz = timezone.get_current_timezone()

    def at(day, hour):
        return datetime.datetime(2026, 11, day, hour, 5, tzinfo=tz)

    # 23 November 2026 is a Monday.
    assert digests.due_frequencies(at(23, 5)) == []
    assert digests.due_frequencies(at(23, 6)) == ["daily"]
    assert digests.due_frequencies(at(25, 7)) == ["daily"]
    assert digests.due_frequencies(at(25, 8)) == ["daily", "weekly"]
    assert digests.due_frequencies(at(27, 3)) == ["weekly"]
    assert DigestSchedule.load().pk == 1 and DigestSchedule.objects.count() == 1


def test_periods_are_named_by_iso_week_and_by_day():
    tz = timezone.get_current_timezone()
    now = datetime.datetime(2026, 11, 29, 10, tzinfo=tz)

    assert digests.period_key("weekly", now) == "weekly:2026-W48"
    assert digests.period_key("daily", now) == "daily:2026-11-29"


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_digest_once(settings, senegal):
    if connection.vendor != "postgresql":
        pytest.skip(
            "Concurrent runs need a database with row locks and separate connections "
            "(PostgreSQL: set DATABASE_URL); SQLite serialises writers"
        )
    settings.DIGEST_BATCH_SIZE = 7
    for _ in range(30):
        MembershipFactory(partner=senegal)
    DocumentFactory()
    start = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            start.wait()
            results.append(digests.run_digests("weekly"))
        except Exception as error:  # reported below: a thread's exception is otherwise lost
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == 30 == len(set(recipients))
    assert sum(r.sent for r in results) == 30
    assert DigestDelivery.objects.filter(status="sent").count() == 30


def test_the_secretariat_reads_the_deliveries_log_filtered_by_period_and_status(
    client, secretariat, senegal_focal_point, spain_focal_point
):
    DocumentFactory()
    digests.run_digests("weekly")
    DigestDelivery.objects.filter(recipient=spain_focal_point).update(
        status="failed", error="SMTPServerDisconnected: gone"
    )
    client.force_login(secretariat)
    url = reverse("admin:digests_digestdelivery_changelist")
    key = digests.period_key("weekly", timezone.now())

    failed = client.get(url, {"status": "failed", "period": key})
    delivery = DigestDelivery.objects.get(recipient=senegal_focal_point)
    change = client.get(reverse("admin:digests_digestdelivery_change", args=[delivery.pk]))

    assert failed.status_code == 200
    assert "nfp@spain.example" in failed.text and "SMTPServerDisconnected" in failed.text
    assert "nfp@senegal.example" not in failed.text
    assert change.status_code == 200 and 'name="status"' not in change.text


def test_the_secretariat_previews_a_members_next_digest_without_recording_it(
    client, secretariat, senegal_focal_point
):
    DocumentFactory(title="Conclusions of Abidjan")
    client.force_login(secretariat)

    page = client.get(
        reverse("admin:digests_digestdelivery_preview"),
        {"member": senegal_focal_point.pk, "frequency": "daily"},
    )
    html = client.get(
        reverse("admin:digests_digestdelivery_preview_html", args=[senegal_focal_point.pk, "daily"])
    )

    assert page.status_code == 200
    assert "Rabat Process: your daily digest" in page.text
    assert "Conclusions of Abidjan" in page.text
    assert html.status_code == 200 and "Conclusions of Abidjan" in html.text
    assert mail.outbox == [] and not DigestDelivery.objects.exists()
    # The HTML is framed by the preview page, styled as sent, under a policy of its own.
    assert f'<iframe class="digest-frame" sandbox src="{html.request["PATH_INFO"]}"' in page.text
    policy = html["Content-Security-Policy"]
    assert "style-src 'unsafe-inline'" in policy and "sandbox" in policy
    assert "script-src" not in policy and "default-src 'none'" in policy
    assert html["X-Frame-Options"] == "SAMEORIGIN"
    assert "style-src 'self'" in page["Content-Security-Policy"]


def test_the_secretariat_sends_a_period_now_and_only_what_is_owed_goes(
    client, secretariat, senegal_focal_point, spain_focal_point
):
    DocumentFactory()
    digests.run_digests("weekly", email=spain_focal_point.email)
    mail.outbox.clear()
    client.force_login(secretariat)

    answer = client.post(reverse("admin:digests_digestdelivery_send"), {"frequency": "weekly"})

    assert answer.status_code == 302
    assert [m.to for m in mail.outbox] == [[senegal_focal_point.email]]


def test_staff_outside_the_secretariat_cannot_preview_or_send(client, staff_without_group):
    client.force_login(staff_without_group)

    preview = client.get(reverse("admin:digests_digestdelivery_preview"))
    send = client.post(reverse("admin:digests_digestdelivery_send"), {"frequency": "daily"})

    assert (preview.status_code, send.status_code) == (403, 403)
    assert mail.outbox == []


def test_the_secretariat_sets_the_day_and_hour_of_the_runs(client, secretariat):
    client.force_login(secretariat)
    schedule = DigestSchedule.load()

    client.post(
        reverse("admin:digests_digestschedule_change", args=[schedule.pk]),
        {"weekly_weekday": 4, "weekly_hour": 9, "daily_hour": 6},
    )

    schedule.refresh_from_db()
    assert (schedule.weekly_weekday, schedule.weekly_hour, schedule.daily_hour) == (4, 9, 6)


def test_the_hourly_tick_starts_the_runs_the_schedule_makes_due(monkeypatch, senegal):
    from digests import tasks

    daily = MembershipFactory(partner=senegal, user__digest_frequency="daily").user
    weekly = MembershipFactory(partner=senegal).user
    DocumentFactory()
    monkeypatch.setattr(digests, "due_frequencies", lambda: ["daily"])

    assert tasks.digest_tick() == ["daily"]
    assert [m.to for m in mail.outbox] == [[daily.email]]

    monkeypatch.setattr(digests, "due_frequencies", lambda: ["daily", "weekly"])
    tasks.digest_tick()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([daily.email, weekly.email])


def test_celery_beat_ticks_every_hour(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["digests-tick"]

    assert entry["task"] == "digests.tasks.digest_tick"
    assert entry["schedule"].remaining_estimate(timezone.now()) <= datetime.timedelta(hours=1)
