"""Consultations, the stocktaking report and the digests moved to apps of their own: on a
database that holds their rows, migrating keeps every row, every link between them and the
permissions granted on them; undone, it keeps them too."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("focalpoints", "0005_private_file_field"), ("rabat_portal", "0007_private_file_field")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_the_move_undone_then_done_again_keeps_every_row_of_the_moved_apps():
    # Undone first: a consultation made in its new app goes back to the old one.
    Consultation = migrate(latest()).get_model("consultations", "Consultation")
    Consultation.objects.create(
        title_en="Round",
        slug="round",
        question_en="?",
        opens_on=datetime.date(2026, 1, 1),
        closes_on=datetime.date(2026, 2, 1),
    )
    old = migrate(BEFORE)
    assert old.get_model("focalpoints", "Consultation").objects.get().slug == "round"

    # Then done again, on a database holding a row of every moved model.
    User = old.get_model("focalpoints", "User")
    Partner = old.get_model("focalpoints", "Partner")
    Group = old.get_model("auth", "Group")
    Permission = old.get_model("auth", "Permission")
    ContentType = old.get_model("contenttypes", "ContentType")
    secretariat = User.objects.create(email="sec@example.org", is_staff=True)
    nigeria = Partner.objects.create(
        name_en="Nigeria", slug="nigeria", status="partner", kind="country", iso_code="NG"
    )
    senegal = Partner.objects.create(
        name_en="Senegal", slug="senegal", status="partner", kind="country", iso_code="SN"
    )

    Consultation = old.get_model("focalpoints", "Consultation")
    consultation = Consultation.objects.create(
        title_en="Draft conclusions",
        slug="draft-conclusions",
        question_en="Comments?",
        audience="chosen",
        opens_on=datetime.date(2026, 1, 1),
        closes_on=datetime.date(2026, 2, 1),
        created_by=secretariat,
    )
    consultation.partners.set([nigeria, senegal])
    old.get_model("focalpoints", "ConsultationAnswer").objects.create(
        consultation=consultation, partner=nigeria, text="Agreed.", answered_by=secretariat
    )
    old.get_model("focalpoints", "ConsultationReminder").objects.create(
        consultation=consultation, partner=senegal, recipients=2
    )
    old.get_model("focalpoints", "HistoricalConsultation").objects.create(
        id=consultation.pk,
        title_en="Draft conclusions",
        slug="draft-conclusions",
        question_en="Comments?",
        audience="chosen",
        opens_on=datetime.date(2026, 1, 1),
        closes_on=datetime.date(2026, 2, 1),
        created_at=timezone.now(),
        history_date=timezone.now(),
        history_type="+",
    )
    StocktakingReport = old.get_model("rabat_portal", "StocktakingReport")
    report = StocktakingReport.objects.create(
        title_en="Stocktaking",
        period_start=datetime.date(2018, 5, 1),
        period_end=datetime.date(2020, 10, 31),
    )
    old.get_model("rabat_portal", "GeneratedReport").objects.create(
        report=report, language="fr", generated_by=secretariat
    )
    old.get_model("rabat_portal", "Acronym").objects.create(term="JVAP", meaning_en="Joint")
    old.get_model("rabat_portal", "DigestSchedule").objects.create()
    old.get_model("rabat_portal", "DigestDelivery").objects.create(
        recipient=secretariat,
        period="weekly 2026-W01",
        since=timezone.now(),
        until=timezone.now(),
    )
    # A permission granted on a moved model, as the Secretariat group holds them. The test
    # database was made with the new apps' types: before the move, they did not exist.
    ContentType.objects.filter(app_label__in=["consultations", "stocktaking", "digests"]).delete()
    consultation_type, _ = ContentType.objects.get_or_create(
        app_label="focalpoints", model="consultation"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=consultation_type, codename="change_consultation", name="Can change"
    )
    Group.objects.get_or_create(name="Secretariat")[0].permissions.add(permission)

    new = migrate(latest())

    Consultation = new.get_model("consultations", "Consultation")
    assert set(Consultation.objects.values_list("slug", flat=True)) == {
        "round",
        "draft-conclusions",
    }
    moved = Consultation.objects.get(slug="draft-conclusions")
    assert moved.pk == consultation.pk
    assert moved.created_by_id == secretariat.pk
    assert set(moved.partners.values_list("slug", flat=True)) == {"nigeria", "senegal"}
    assert moved.answers.get().text == "Agreed."
    assert moved.reminders.get().recipients == 2
    assert new.get_model("consultations", "HistoricalConsultation").objects.count() == 1
    generated = new.get_model("stocktaking", "GeneratedReport").objects.get()
    assert generated.report.title_en == "Stocktaking"
    assert new.get_model("stocktaking", "Acronym").objects.get().term == "JVAP"
    assert new.get_model("digests", "DigestSchedule").objects.count() == 1
    assert new.get_model("digests", "DigestDelivery").objects.get().recipient_id == secretariat.pk
    group = new.get_model("auth", "Group").objects.get(name="Secretariat")
    granted = group.permissions.filter(codename="change_consultation")
    assert list(granted.values_list("content_type__app_label", flat=True)) == ["consultations"]


def test_the_former_admin_addresses_lead_to_the_moved_records(client, secretariat):
    client.force_login(secretariat)
    response = client.get("/admin/focalpoints/consultation/3/change/?_changelist_filters=x")
    assert response.status_code == 302
    assert (
        response["Location"] == "/admin/consultations/consultation/3/change/?_changelist_filters=x"
    )
    assert client.get("/admin/rabat_portal/digestdelivery/")["Location"] == (
        "/admin/digests/digestdelivery/"
    )
    assert client.get("/admin/focalpoints/partner/").status_code == 200
