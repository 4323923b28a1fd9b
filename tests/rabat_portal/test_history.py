"""The history of changes to the records the Secretariat keeps: who changed what, and when."""

import pytest
from django.urls import reverse

from labelling.models import LabellingRequest
from stocktaking.models import Acronym
from tests.labelling.factories import LabellingRequestFactory

pytestmark = pytest.mark.django_db


def test_a_change_in_the_admin_is_kept_with_who_made_it(client, secretariat):
    acronym = Acronym.objects.create(term="JVAP", meaning_en="Joint Valletta Action Plan")
    client.force_login(secretariat)

    response = client.post(
        reverse("admin:stocktaking_acronym_change", args=[acronym.pk]),
        {"term": "JVAP", "meaning_en": "Joint Valletta Action Plan (2015)", "meaning_fr": ""},
    )

    assert response.status_code == 302
    latest, first = acronym.history.all()[:2]
    assert latest.history_user == secretariat and latest.history_type == "~"
    assert latest.meaning_en == "Joint Valletta Action Plan (2015)"
    assert first.meaning_en == "Joint Valletta Action Plan"
    changes = {
        change.field: (change.old, change.new) for change in latest.diff_against(first).changes
    }
    assert changes["meaning_en"] == (
        "Joint Valletta Action Plan",
        "Joint Valletta Action Plan (2015)",
    )
    assert "term" not in changes


def test_the_secretariat_reads_a_record_s_history_in_the_admin(client, secretariat):
    acronym = Acronym.objects.create(term="SOM", meaning_en="Senior Officials' Meeting")
    client.force_login(secretariat)
    client.post(
        reverse("admin:stocktaking_acronym_change", args=[acronym.pk]),
        {"term": "SOM", "meaning_en": "Senior Officials Meeting", "meaning_fr": ""},
    )

    page = client.get(reverse("admin:stocktaking_acronym_history", args=[acronym.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert secretariat.email in html or secretariat.get_full_name() in html
    assert "Senior Officials Meeting" in html


def test_staff_outside_the_secretariat_cannot_read_the_history(client, staff_without_group):
    acronym = Acronym.objects.create(term="ICMPD", meaning_en="International Centre")
    client.force_login(staff_without_group)

    page = client.get(reverse("admin:stocktaking_acronym_history", args=[acronym.pk]))

    assert page.status_code == 403


def test_an_applicant_s_edit_on_the_portal_is_in_the_history_too(client, senegal, senegal_staff):
    labelling_request = LabellingRequestFactory(lead_partner=senegal, title="First title")
    client.force_login(senegal_staff)

    client.post(
        reverse("labelling:request-edit", kwargs={"pk": labelling_request.pk}),
        {"kind": "bilateral", "title": "Second title", "action": "save"},
    )

    latest = LabellingRequest.history.filter(id=labelling_request.pk).first()
    assert latest.title == "Second title" and latest.history_user == senegal_staff


def test_nobody_is_granted_changes_to_the_history(secretariat):
    assert not secretariat.has_perm("stocktaking.delete_historicalacronym")
    assert not secretariat.has_perm("stocktaking.change_historicalacronym")
    assert secretariat.has_perm("stocktaking.change_acronym")


def test_an_old_version_is_shown_to_read_not_to_restore(client, secretariat):
    """Restoring belongs in the record's own form, where its rules apply."""
    acronym = Acronym.objects.create(term="ECOWAS", meaning_en="Economic Community")
    version = acronym.history.get()
    client.force_login(secretariat)

    page = client.get(
        reverse("admin:stocktaking_acronym_simple_history", args=[acronym.pk, version.pk])
    )

    assert page.status_code == 200
    html = page.content.decode()
    assert "View ECOWAS" in html
    assert "Revert ECOWAS" not in html and 'name="_save"' not in html
