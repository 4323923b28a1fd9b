"""The directory of focal points: every partner's focal points and alternates, in the order a
reader expects in each language, and nobody else."""

import re

import pytest

from tests.focalpoints.factories import MembershipFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


def listed(client, url):
    """The directory's rows as (partner, name, role, e-mail, telephone)."""
    page = client.get(url).text
    rows = re.findall(r"<tr><td>(.*?)</td></tr>", page)
    return [tuple(re.sub(r"<[^>]+>", "", cell) for cell in row.split("</td><td>")) for row in rows]


@pytest.fixture
def partners(db):
    egypt = PartnerFactory(slug="egypt", name_en="Egypt", name_fr="Égypte")
    spain = PartnerFactory(slug="spain", name_en="Spain", name_fr="Espagne")
    # No French name recorded: the English one is shown, and sorted, in its place.
    gambia = PartnerFactory(slug="gambia", name_en="Gambia", name_fr=None)
    return egypt, spain, gambia


def member(partner, first, last, role="focal_point", **fields):
    user = UserFactory(first_name=first, last_name=last, phone="+34 600", **fields)
    return MembershipFactory(partner=partner, user=user, role=role)


def test_the_directory_lists_partners_by_the_name_shown_focal_point_first(
    client, partners, senegal_focal_point
):
    egypt, spain, gambia = partners
    member(spain, "Ana", "Zamora", role="alternate")
    member(spain, "Luis", "Álvarez")
    member(gambia, "Awa", "Jallow")
    member(egypt, "Omar", "Saleh")
    member(egypt, "Nadia", "Farouk", role="staff")  # staff are not listed
    client.force_login(senegal_focal_point)

    english = listed(client, "/en/private/focal-points/")
    french = listed(client, "/fr/private/focal-points/")

    assert [row[:3] for row in english if row[0] != "Senegal"] == [
        ("Egypt", "Omar Saleh", "National Focal Point"),
        ("Gambia", "Awa Jallow", "National Focal Point"),
        ("Spain", "Luis Álvarez", "National Focal Point"),
        ("Spain", "Ana Zamora", "Alternate focal point"),
    ]
    assert [row[0] for row in french if row[0] != "Senegal"] == [
        "Égypte",
        "Espagne",
        "Espagne",
        "Gambia",
    ]


def test_the_directory_escapes_what_people_typed(client, senegal, senegal_focal_point):
    member(senegal, "<b>Moussa</b>", "O'Neil & Co")
    client.force_login(senegal_focal_point)

    page = client.get("/en/private/focal-points/").text

    assert "&lt;b&gt;Moussa&lt;/b&gt; O&#x27;Neil &amp; Co" in page and "<b>Moussa" not in page
    assert f'href="mailto:{senegal_focal_point.email}"' in page
