"""What the lists write out for a whole page at once (``api.refs``: the records each names, a
plan's parts, a page's address) is what each record's own relations and methods give, in
English and in French, and a change shows at once."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from actionplan.models import Action, FrameworkItem, FrameworkMapping
from api import refs as written_out
from api.serializers import (
    ActionRefSerializer,
    DomainRefSerializer,
    MeetingRefSerializer,
    PartnerRefSerializer,
)
from labelling.models import LabellingRequest
from meetings.models import Document, Meeting, MeetingResult
from tests.actionplan.factories import ActionFactory
from tests.api.test_api import MADRID, PLAN, api, labelled
from tests.focalpoints.factories import OrganisationFactory, PartnerFactory
from tests.meetings.factories import DocumentFactory, MeetingFactory

LANGUAGES = ["en", "fr"]


def listed(client, path, slug, language, query="", key="slug"):
    """The record ``slug`` as the list ``path`` gives it (filtered by ``query``)."""
    records = api(client, f"{path}?lang={language}&page_size=100&{query}")["results"]
    return next(record for record in records if record[key] == slug)


def absolute(url):
    return RequestFactory().get("/").build_absolute_uri(url)


def refs(serializer, records):
    return [serializer(record).data for record in records]


def actions_of(record, order=("number",)):
    """Its actions as each action's own relations give them: plan, objective, domain and the
    framework items it serves, in the frameworks' order."""
    return [
        {
            **ActionRefSerializer(action).data,
            "framework_items": [
                {
                    "id": item.pk,
                    "framework": item.framework.slug,
                    "code": item.code,
                    "label": item.label,
                }
                for item in FrameworkItem.objects.filter(mappings__action=action).in_order()
            ],
        }
        for action in record.actions.order_by(*order)
    ]


@pytest.fixture
def busy_meeting(seeded):
    """A meeting naming a bit of everything: a parent and a replacement, organisers and
    co-chairs out of alphabetical order, actions of two plans (mapped to frameworks), results
    translated or not."""
    meeting = MeetingFactory(
        slug="busy",
        title="Busy meeting",
        parent=Meeting.objects.get(slug=MADRID),
        postponed_to=MeetingFactory(),
    )
    zeta, alpha = OrganisationFactory(name="Zeta"), OrganisationFactory(name="Alpha")
    zeta.name_fr = "Zêta"
    zeta.save()
    meeting.organisers.set([zeta, alpha])
    meeting.co_chairs.set([alpha])
    other_plan = ActionFactory(number=3)
    FrameworkMapping.objects.create(
        action=other_plan, item=FrameworkItem.objects.get(framework__slug="gcm", code="10")
    )
    meeting.actions.set([*Action.objects.filter(plan__slug=PLAN, number__in=[19, 2]), other_plan])
    MeetingResult.objects.create(meeting=meeting, position=1, text="Agreed", text_fr="Convenu")
    MeetingResult.objects.create(meeting=meeting, position=2, text="Only in English")
    return Meeting.objects.get(pk=meeting.pk)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_listed_meeting_names_what_its_own_relations_give(client, busy_meeting, language):
    written = listed(client, "meetings/", "busy", language, query="q=busy")

    with translation.override(language):
        meeting = busy_meeting
        assert written["host_country"] == PartnerRefSerializer(meeting.host_country).data
        assert written["organisers"] == refs(PartnerRefSerializer, meeting.organisers.all())
        # In the partners' own order (above); which names, here. (That order is the column of
        # the language: on PostgreSQL a partner without a French name comes last in French.)
        assert sorted(o["name"] for o in written["organisers"]) == ["Alpha", meeting_zeta(language)]
        assert written["co_chairs"] == refs(PartnerRefSerializer, meeting.co_chairs.all())
        assert written["actions"] == actions_of(meeting)
        # By number (domains of two plans may share one).
        numbers = [domain["number"] for domain in written["domains"]]
        assert numbers == sorted(numbers)
        assert sorted(written["domains"], key=by_number_and_id) == sorted(
            refs(DomainRefSerializer, meeting.domains), key=by_number_and_id
        )
        assert written["results"] == [result.text for result in meeting.results.all()]
        assert written["parent"] == MADRID
        assert written["postponed_to"] == meeting.postponed_to.slug
        assert written["page_url"] == absolute(meeting.get_absolute_url())
        assert written["dates_display"] == str(meeting.dates_display)
    assert written["results"][0] == {"en": "Agreed", "fr": "Convenu"}[language]
    assert written == api(client, f"meetings/busy/?lang={language}")


def by_number_and_id(ref):
    return ref["number"], ref["id"]


def meeting_zeta(language):
    return {"en": "Zeta", "fr": "Zêta"}[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_listed_document_names_its_meetings_and_actions_and_its_file(client, seeded, language):
    kept = DocumentFactory(slug="kept", title="Kept paper")
    kept.meetings.set([Meeting.objects.get(slug=MADRID), MeetingFactory(title="Later")])
    kept.actions.set(Action.objects.filter(number__in=[4, 19]))
    linked = DocumentFactory(
        slug="linked", title="Linked paper", file=None, url="https://example.org/report.pdf"
    )

    with translation.override(language):
        for document in (Document.objects.get(pk=kept.pk), Document.objects.get(pk=linked.pk)):
            written = listed(client, "documents/", document.pk, language, "q=paper", key="id")
            assert written["meetings"] == refs(MeetingRefSerializer, document.meetings.all())
            # In the actions' own order: their plan's (newest first), then number.
            assert written["actions"] == actions_of(document, order=("plan", "number"))
            assert written["page_url"] == absolute(document.get_absolute_url())
            assert written["download_url"] == absolute(document.get_download_url())


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_listed_labelled_project_names_its_partners_meeting_and_actions(client, seeded, language):
    project = labelled(meeting=Meeting.objects.get(slug=MADRID))
    project.actions.set(Action.objects.filter(plan__slug=PLAN, number__in=[7, 1]))
    project.countries.set([PartnerFactory(name="Senegal"), PartnerFactory(name="Mali")])
    project.funding_partners.set([OrganisationFactory()])
    project = LabellingRequest.objects.get(pk=project.pk)

    written = listed(client, "labelled-projects/", project.slug, language)

    with translation.override(language):
        assert written["lead_partner"] == PartnerRefSerializer(project.lead_partner).data
        assert written["countries"] == refs(PartnerRefSerializer, project.countries.all())
        assert written["funding_partners"] == refs(
            PartnerRefSerializer, project.funding_partners.all()
        )
        assert written["co_implementing_partners"] == []
        assert written["actions"] == actions_of(project)
        assert written["meeting"] == MADRID
        assert written["page_url"] == absolute(project.get_absolute_url())


def test_a_plans_action_without_french_wording_reads_in_english(client, seeded):
    action = Action.objects.get(plan__slug=PLAN, number=19)
    action.title_fr = ""
    action.save()

    plan = api(client, f"plans/{PLAN}/?lang=fr")

    actions = [a for d in plan["domains"] for o in d["objectives"] for a in o["actions"]]
    assert next(a for a in actions if a["id"] == action.pk)["title"] == action.title_en
    assert [a["number"] for a in actions] == sorted(a["number"] for a in actions)


def test_a_renamed_partner_is_named_anew_at_once(client, busy_meeting):
    assert listed(client, "meetings/", "busy", "en", "q=busy")["organisers"][0]["name"] == "Alpha"

    alpha = busy_meeting.organisers.get(name="Alpha")
    alpha.name = "Aleph"
    alpha.save()

    assert listed(client, "meetings/", "busy", "en", "q=busy")["organisers"][0]["name"] == "Aleph"


def test_a_partner_saved_since_the_vocabulary_was_kept_is_named_all_the_same(db):
    partner = PartnerFactory(name="Newcomer")
    words = written_out.vocabulary()
    # As if kept a moment before the partner was saved.
    del words["partners"][partner.pk]

    assert written_out.partner(words, partner.pk)["name"] == "Newcomer"
