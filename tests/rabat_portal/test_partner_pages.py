"""The partners' pages: the list, and a partner's page with its latest labelled projects."""

import datetime

import pytest
from django.urls import reverse

from labelling.models import LabellingRequest
from rabat_portal.views import PARTNER_PROJECTS_SHOWN
from tests.focalpoints.factories import PartnerFactory
from tests.labelling.factories import LabellingRequestFactory

pytestmark = pytest.mark.django_db


def labelled(title, day, **fields):
    project = LabellingRequestFactory(
        title=title,
        state=LabellingRequest.State.APPROVED,
        decided_at=datetime.datetime(2020, 1, day, tzinfo=datetime.UTC),
        **fields,
    )
    return project


def test_a_partner_page_lists_its_latest_projects_once_each_and_links_to_them_all(
    client, senegal, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # the page built afresh each time
    total = PARTNER_PROJECTS_SHOWN + 2
    for day in range(1, total + 1):
        project = labelled(f"Project {day:02}", day)
        # Senegal takes part in each, in one role or in several.
        if day % 3 == 0:
            project.lead_partner = senegal
            project.save()
        if day % 3 in (1, 0):
            project.co_implementing_partners.add(senegal)
        if day % 3 in (2, 0):
            project.funding_partners.add(senegal)
    labelled("Someone else's project", 28)
    draft = LabellingRequestFactory(title="Draft project", lead_partner=senegal)

    html = client.get(senegal.get_absolute_url()).text

    assert html.count(">Project ") == PARTNER_PROJECTS_SHOWN
    assert html.index(f">Project {total:02}<") < html.index(">Project 03<")
    assert ">Project 01<" not in html and ">Project 02<" not in html
    assert "Someone else" not in html and draft.title not in html
    assert ">Action " in html
    every = f"{reverse('labelling:projects')}?partner={senegal.pk}"
    assert f'<a href="{every}">All {total} labelled projects</a>' in html
    assert "Project 01" in client.get(every).text

    client.get(senegal.get_absolute_url())
    with django_assert_max_num_queries(6):
        assert client.get(senegal.get_absolute_url()).status_code == 200


def test_the_partners_page_links_each_partner(client, senegal):
    observer = PartnerFactory(name="Observer land", slug="observer-land", status="observer")

    html = client.get(reverse("partner-list")).text

    assert f'<a href="{senegal.get_absolute_url()}">Senegal</a>' in html
    assert f'<a href="{observer.get_absolute_url()}">Observer land</a>' in html


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_partners_page_writes_each_partner_with_its_short_name_and_badges(
    client, language, settings
):
    from django.utils import translation
    from django.utils.html import escape
    from django.utils.translation import gettext

    from tests.focalpoints.factories import (
        ChairmanshipFactory,
        OrganisationFactory,
        SteeringCommitteeMembershipFactory,
    )

    settings.PAGE_CACHE_SECONDS = 0
    member = OrganisationFactory(
        name_en="Economic Community & Co",
        name_fr="Communauté économique & Cie",
        short_name_en="EC",
        is_partner_organisation=True,
    )
    SteeringCommitteeMembershipFactory(partner=member, start=datetime.date(2018, 1, 1))
    ChairmanshipFactory(partner=member, start=datetime.date(2019, 1, 1))
    observer = PartnerFactory(
        name_en="Cabo Verde", name_fr="", slug="cabo-verde", status="observer"
    )

    with translation.override(language):
        html = client.get(reverse("partner-list")).text
        url, name = member.get_absolute_url(), escape(member.name)
        sc_title, sc = gettext("Steering Committee member"), gettext("SC")
        assert (
            f'<ul class="partner-list"><li><a href="{url}">{name}</a> <span class="muted">(EC)'
            f'</span> <span class="badge badge-sc" title="{sc_title}">{sc}</span></li>\n</ul>'
        ) in html
        assert (
            f'<li><a href="{observer.get_absolute_url()}">Cabo Verde</a> '
            f'<span class="badge">{gettext("observer")}</span></li>'
        ) in html
        # The Steering Committee, the chairs' table and the troika link to the same pages.
        assert f'<ul class="partner-list inline"><li><a href="{url}">{name}</a></li></ul>' in html
        assert f'<th scope="row"><a href="{url}">{name}</a></th>' in html
        assert f'<dd><a href="{url}">{name}</a>' in html
