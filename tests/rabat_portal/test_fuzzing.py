"""Every form and endpoint that takes input, fed hostile input by Hypothesis: text in any script,
huge values, wrong types, missing fields. The portal answers with a message, never a server
error, and writes nothing unless it accepted the input.

The examples are derandomised so that CI is repeatable; `HYPOTHESIS_PROFILE=explore` draws many
more, at random, for a session of bug hunting.
"""

import os

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consultations.models import Consultation, ConsultationAnswer
from focalpoints.models import Partner, User
from ideas_lab.models import Comment, Idea, InboundMessage, Interest
from labelling.forms import LabellingRequestForm
from labelling.models import LabellingAttachment, LabellingEvent, LabellingRequest
from tests.consultations.factories import ConsultationFactory
from tests.labelling.factories import LabellingRequestFactory, move_to

settings.register_profile(
    "ci",
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "explore",
    max_examples=500,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FUZZ = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

pytestmark = pytest.mark.django_db

# SQLite cannot bind an integer beyond 64 bits, and Django's `__in` lookups (a multiple choice
# of records) pass it through: on SQLite, used only by `make run`, such values would crash the
# development server; PostgreSQL, the production database, compares them and finds nothing.
ON_SQLITE = django_settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
INT64 = 2**63 - 1
INTEGERS = st.integers(-INT64, INT64) if ON_SQLITE else st.integers()

HOSTILE = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=400),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "1e309",
            "9" * (18 if ON_SQLITE else 40),
            "2020-02-30",
            "31/12/2020",
            "NaN",
            "null",
            "<script>alert(1)</script>",
            "a\x00b",
            "'; DROP TABLE focalpoints_user; --",
            "../../etc/passwd",
            "%s%n",
            "\u202eevil",
            "🇸🇳" * 50,
        ]
    ),
    st.just("x" * 100_000),
    INTEGERS.map(str),
    st.lists(st.text(max_size=12), min_size=2, max_size=4),  # several values for one field
)


def form_input(*names):
    """Any subset of ``names``, each with a hostile value: missing fields included."""
    return st.fixed_dictionaries({}, optional=dict.fromkeys(names, HOSTILE))


def counts(*models):
    return {model.__name__: model.objects.count() for model in models}


def accepted(response):
    """A redirect is how the portal says it took the input."""
    return response.status_code == 302


def assert_answered(response):
    assert response.status_code < 500, response.status_code


def draft_kept(response):
    """The labelling form keeps an incomplete draft on purpose, and says so."""
    return any("draft is saved" in str(m) for m in getattr(response.wsgi_request, "_messages", []))


@pytest.fixture
def actors(seeded, senegal_staff, senegal_focal_point, spain_focal_point, secretariat):
    cache.clear()  # the login rate limit must not carry over from another test
    yield {
        "staff": senegal_staff,
        "focal_point": senegal_focal_point,
        "other": spain_focal_point,
        "secretariat": secretariat,
    }
    cache.clear()


def test_the_labelling_request_form(client, actors):
    client.force_login(actors["staff"])
    url = reverse("labelling:request-create")

    @FUZZ
    @given(form_input(*LabellingRequestForm.Meta.fields, "action"))
    def post(data):
        before = counts(LabellingRequest, LabellingAttachment, LabellingEvent)
        response = client.post(url, data)
        assert_answered(response)
        after = counts(LabellingRequest, LabellingAttachment, LabellingEvent)
        if not accepted(response) and not draft_kept(response):
            assert after == before, data
        assert after["LabellingAttachment"] == before["LabellingAttachment"]

    post()


def test_the_review_steps_keep_state_and_audit_trail_in_step(client, actors):
    labelling_request = move_to(
        LabellingRequestFactory(lead_partner=Partner.objects.get(slug="senegal")),
        "submitted",
        actors["staff"],
        actors["secretariat"],
    )
    client.force_login(actors["secretariat"])

    @FUZZ
    @given(
        st.sampled_from(["start_review", "request_changes", "approve", "reject", "withdraw"]),
        form_input("comment", "expected_state"),
    )
    def step(name, data):
        url = reverse(
            "labelling:request-transition", kwargs={"pk": labelling_request.pk, "transition": name}
        )
        response = client.post(url, data)
        assert_answered(response)
        labelling_request.refresh_from_db()
        last = labelling_request.events.order_by("created_at", "pk").last()
        assert labelling_request.state == last.to_state

    step()


def test_the_results_form(client, actors):
    labelling_request = move_to(
        LabellingRequestFactory(lead_partner=Partner.objects.get(slug="senegal")),
        "approved",
        actors["staff"],
        actors["secretariat"],
    )
    client.force_login(actors["staff"])
    url = reverse("labelling:request-results", kwargs={"pk": labelling_request.pk})

    @FUZZ
    @given(form_input("results_summary", "results_meetings"))
    def post(data):
        before = LabellingRequest.objects.values().get(pk=labelling_request.pk)
        response = client.post(url, data)
        assert_answered(response)
        if not accepted(response):
            assert LabellingRequest.objects.values().get(pk=labelling_request.pk) == before

    post()


def test_the_idea_form(client, actors):
    client.force_login(actors["focal_point"])
    url = reverse("ideas:create")
    names = [
        "kind",
        "title",
        "summary",
        "description",
        "domain",
        "actions",
        "countries",
        "budget",
        "currency",
        "duration_months",
        "action",
    ]

    @FUZZ
    @given(form_input(*names))
    def post(data):
        before = counts(Idea)
        response = client.post(url, data)
        assert_answered(response)
        if not accepted(response):
            assert counts(Idea) == before, data

    post()


def test_comments_interest_status_and_moderation(client, actors):
    idea = Idea.objects.published().order_by("pk").first()
    comment = Comment.objects.create(idea=idea, author=actors["other"], text="Interested.")

    @FUZZ
    @given(
        st.sampled_from(["focal_point", "other", "secretariat"]),
        st.sampled_from(
            [
                ("ideas:comment", ["text"], Comment),
                ("ideas:interest", ["kind", "message"], Interest),
                ("ideas:status", ["status", "note"], None),
                ("ideas:hide-comment", ["reason"], None),
            ]
        ),
        st.data(),
    )
    def post(who, endpoint, data):
        name, fields, model = endpoint
        client.force_login(actors[who])
        kwargs = {"pk": idea.pk}
        if name == "ideas:hide-comment":
            kwargs["comment_pk"] = comment.pk
        before = model.objects.count() if model else None
        response = client.post(reverse(name, kwargs=kwargs), data.draw(form_input(*fields)))
        assert_answered(response)
        if model and not accepted(response):
            assert model.objects.count() == before

    post()


def test_the_profile_and_a_consultation_answer(client, actors):
    consultation = ConsultationFactory(audience=Consultation.Audience.ALL)
    focal_point = actors["focal_point"]
    client.force_login(focal_point)

    @FUZZ
    @given(
        form_input(
            "first_name", "last_name", "phone", "language", "digest_frequency", "notifications"
        ),
        form_input("text"),
    )
    def post(profile, answer):
        before = User.objects.values().get(pk=focal_point.pk)
        response = client.post(reverse("focalpoints:profile"), profile)
        assert_answered(response)
        if not accepted(response):
            assert User.objects.values().get(pk=focal_point.pk) == before
        answers = ConsultationAnswer.objects.count()
        response = client.post(
            reverse("consultations:consultation", kwargs={"pk": consultation.pk}), answer
        )
        assert_answered(response)
        if not accepted(response):
            assert ConsultationAnswer.objects.count() == answers

    post()


def test_logging_in_and_accepting_an_invitation(client, actors):
    @FUZZ
    @given(
        form_input("login", "password"),
        st.text(max_size=80).filter(lambda token: "/" not in token and token.strip()),
        form_input("first_name", "last_name", "password1", "password2"),
    )
    def post(login, token, invitation):
        cache.clear()
        assert_answered(client.post(reverse("account_login"), login))
        users = User.objects.count()
        response = client.post(f"/en/invitations/{token}/", invitation)
        assert_answered(response)
        assert User.objects.count() == users

    post()


def test_the_inbound_e_mail_webhook(client, actors, settings):
    settings.INBOUND_EMAIL_SECRET = "a shared secret"

    @FUZZ
    @given(st.one_of(st.binary(max_size=3000), HOSTILE.map(lambda v: str(v).encode())))
    def post(raw):
        before = counts(Comment, InboundMessage)
        response = client.post(
            "/ideas/inbound-email/",
            raw,
            content_type="message/rfc822",
            HTTP_X_INBOUND_SECRET="a shared secret",
        )
        assert_answered(response)
        after = counts(Comment, InboundMessage)
        assert after["Comment"] == before["Comment"], "no valid reply token: nothing is posted"
        assert after["InboundMessage"] - before["InboundMessage"] <= 1

    post()


@pytest.mark.parametrize(
    ("who", "name"),
    [
        (None, "meetings:list"),
        (None, "meetings:documents"),
        (None, "labelling:projects"),
        (None, "search"),
        ("secretariat", "labelling:review-queue"),
        ("focal_point", "ideas:home"),
    ],
)
def test_list_filters_take_any_query(client, actors, who, name):
    if who:
        client.force_login(actors[who])
    url = reverse(name)
    keys = ["q", "page", "year", "kind", "domain", "action", "partner", "state", "status", "sort"]

    @FUZZ
    @given(form_input(*keys))
    def get(query):
        assert_answered(client.get(url, query))

    get()
