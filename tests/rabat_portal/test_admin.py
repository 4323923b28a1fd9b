"""Every admin page the Secretariat uses, walked for each kind of visitor."""

import pytest
from django.contrib import admin
from django.urls import reverse

from rabat_portal.secretariat import SECRETARIAT_APPS

PORTAL_MODELS = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in SECRETARIAT_APPS
)
# Records that only the portal writes: the admin lists them, nobody adds them by hand.
WRITTEN_BY_THE_PORTAL = {
    ("focalpoints", "consultationreminder"),
    ("rabat_portal", "generatedreport"),
    ("labelling", "labellingevent"),
    ("ideas_lab", "inboundmessage"),
    ("rabat_portal", "digestdelivery"),
}
ADMIN_PAGES = [
    reverse(f"admin:{app}_{model}_{page}")
    for app, model in PORTAL_MODELS
    for page in ("changelist", "add")
    if page == "changelist" or (app, model) not in WRITTEN_BY_THE_PORTAL
]


def test_every_portal_model_is_in_the_admin_on_its_own_or_inline():
    from django.apps import apps

    registered = {(app, model) for app, model in PORTAL_MODELS} | {
        (inline.model._meta.app_label, inline.model._meta.model_name)
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    }
    portal_models = {
        (m._meta.app_label, m._meta.model_name)
        for m in apps.get_models()
        if m._meta.app_label in SECRETARIAT_APPS and not m.__name__.startswith("Historical")
    }
    assert portal_models <= registered, portal_models - registered


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_the_secretariat_opens_every_changelist_and_add_page(client, seeded, secretariat, url):
    client.force_login(secretariat)

    response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_signed_in_people_who_are_not_staff_are_sent_to_the_login_page(client, signed_in_user, url):
    client.force_login(signed_in_user)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_staff_outside_the_secretariat_group_are_refused(client, staff_without_group, url):
    client.force_login(staff_without_group)

    assert client.get(url).status_code == 403


def test_the_secretariat_edits_seeded_records_with_english_and_french_side_by_side(
    client, seeded, secretariat
):
    from actionplan.models import Objective

    client.force_login(secretariat)
    objective = Objective.objects.get(number=1)

    page = client.get(reverse("admin:actionplan_objective_change", args=[objective.pk]))

    assert page.status_code == 200
    assert 'name="title_en"' in page.text and 'name="title_fr"' in page.text
    # Actions are edited inside their objective.
    assert 'name="actions-0-number"' in page.text


def test_the_secretariat_cannot_grant_itself_superuser_rights(client, secretariat):
    client.force_login(secretariat)

    page = client.get(reverse("admin:focalpoints_user_change", args=[secretariat.pk]))

    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.text
    assert 'name="groups"' not in page.text


def test_the_secretariat_group_holds_every_portal_permission_but_none_on_history(secretariat):
    from django.contrib.auth.models import Permission

    expected = Permission.objects.filter(content_type__app_label__in=SECRETARIAT_APPS).exclude(
        content_type__model__startswith="historical"
    )
    assert set(secretariat.groups.get().permissions.all()) == set(expected)
    assert expected.filter(codename="change_action").exists()


def test_partners_are_chosen_by_autocomplete(client, seeded, secretariat):
    client.force_login(secretariat)

    page = client.get(reverse("admin:actionplan_referencecountry_add"))
    found = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Sene",
            "app_label": "actionplan",
            "model_name": "referencecountry",
            "field_name": "partner",
        },
    )

    assert "admin-autocomplete" in page.text
    assert [r["text"] for r in found.json()["results"]] == ["Senegal"]
