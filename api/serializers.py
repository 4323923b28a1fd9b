"""What the API says of each public record: the fields the public pages show, never more.

Translated fields (django-modeltranslation) read in the request's language, falling back to
English. Personal data (who uploaded a file, a project's contact person, accounts) is not among
the fields. Dates are written as precisely as they are known ("2019-07-01", "2020-03", "2021-Q1",
"2021-H2", "2019"), never as a day the sources do not give.
"""

import functools
from urllib.parse import quote

from django.db.models import FileField
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.text import capfirst
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from modeltranslation.fields import NONE
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname, fallbacks_enabled, resolution_order
from rest_framework import serializers

from actionplan.models import (
    Action,
    ActionPlan,
    CrossCuttingPriority,
    Domain,
    Framework,
    FrameworkItem,
    Objective,
    Recommendation,
    RecommendationFollowUp,
)
from focalpoints.models import Chairmanship, Partner, SteeringCommitteeMembership
from labelling.models import LabellingRequest
from meetings.models import Document, Meeting, MeetingDateChange, MeetingResult, Participation
from portal_lib.exports import date_as_known

DATE_AS_KNOWN = extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "pattern": r"^\d{4}(-(\d{2}(-\d{2})?|Q[1-4]|H[12]))?$",
        "description": "As precisely as known: YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY.",
    }
)


@DATE_AS_KNOWN
class DateAsKnownField(serializers.Field):
    """The date in ``date_field`` as precisely as ``precision_field`` says it is known."""

    def __init__(self, date_field, precision_field, **kwargs):
        self.date_field = date_field
        self.precision_field = precision_field
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        return date_as_known(
            getattr(instance, self.date_field), getattr(instance, self.precision_field)
        )


class LabelField(serializers.CharField):
    """A choice's label in the request's language, as ``get_<field>_display`` gives it, read
    from a table of the field's choices made once per language: ``get_<field>_display`` rebuilds
    that table, translating every label, for each value it shows."""

    def __init__(self, field, **kwargs):
        super().__init__(source=field, read_only=True, **kwargs)

    def to_representation(self, value):
        labels = choice_labels(self.parent.Meta.model, self.source, translation.get_language())
        return labels.get(value, value)


@functools.cache
def choice_labels(model, field, language):
    """{value: label in ``language``} of a model field's choices."""
    with translation.override(language):
        return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


# Digits, which every converter of a page's key (slug, int) accepts.
KEY_PLACEHOLDER = "90817263545362718"
# What reverse() leaves unquoted in an argument.
REVERSE_SAFE = "!$&'()*+,;=/~:@"


class UrlOfKey:
    """The absolute address of the page ``viewname`` for any value of its one argument ``key``:
    reversed once, with the active language's prefix, then each value put in (reversing cost
    more than all the rest of a listed record)."""

    def __init__(self, request, viewname, key):
        address = request.build_absolute_uri(reverse(viewname, kwargs={key: KEY_PLACEHOLDER}))
        self.prefix, self.suffix = address.split(KEY_PLACEHOLDER)

    def __call__(self, value):
        return f"{self.prefix}{quote(str(value), safe=REVERSE_SAFE)}{self.suffix}"


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The record's page on the portal in the request's language (its ``get_absolute_url``):
    the page ``viewname`` whose argument ``key`` is the record's ``attribute`` (``key`` itself
    unless named)."""

    def __init__(self, viewname, key="slug", attribute=None, **kwargs):
        self.viewname, self.key, self.attribute = viewname, key, attribute or key
        self.url_of_key = None
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        if self.url_of_key is None:
            self.url_of_key = UrlOfKey(self.context["request"], self.viewname, self.key)
        return self.url_of_key(getattr(instance, self.attribute))


# A model's fields, its translated ones read in the request's language (as the model's own
# attribute reads them) without a look-up of the language per value (``ReadsLanguage``). (A
# comment: the schema would take a docstring as every serializer's description.)
class RecordSerializer(serializers.ModelSerializer):
    @cached_property
    def _readable_fields(self):
        # A list made once per serializer, where DRF walks its fields' mapping again per record.
        return [field for field in self.fields.values() if not field.write_only]

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        # Not a file (the attribute makes up a file object for an empty one).
        translated = field_name in translated_fields(self.Meta.model)
        if translated and not isinstance(model_field, FileField):
            field_class = reading_language(field_class)
        return field_class, field_kwargs


def translated_fields(model):
    """The names of ``model``'s translated fields (django-modeltranslation)."""
    try:
        return translator.get_options_for_model(model).all_fields
    except NotRegistered:
        return {}


@functools.cache
def reading_language(field_class):
    """``field_class`` reading a translated model field (``ReadsLanguage``)."""
    return type(f"{field_class.__name__}InLanguage", (ReadsLanguage, field_class), {})


class ReadsLanguage:
    """A serializer field of a translated model field: reads the columns of the languages that
    the model's attribute would try (the request's, then the fallbacks), found once per list
    rather than for each value, a look-up that cost more than the rest of reading it."""

    columns = undefined = empty = None

    def get_attribute(self, instance):
        if self.columns is None:
            # As the attribute (modeltranslation's TranslationFieldDescriptor) reads it.
            descriptor = getattr(type(instance), self.source)
            languages = resolution_order(translation.get_language(), descriptor.fallback_languages)
            self.columns = [build_localized_fieldname(self.source, code) for code in languages]
            default = descriptor.field.get_default()
            self.undefined = default
            if descriptor.fallback_undefined is not NONE:
                self.undefined = descriptor.fallback_undefined
            self.empty = default
            if fallbacks_enabled() and descriptor.fallback_value is not NONE:
                self.empty = descriptor.fallback_value
        for column in self.columns:
            value = getattr(instance, column, None)
            if value is not None and value != self.undefined:
                return value
        return self.empty


# A reference to another record, or a part of the record (a plan's domains): a list's come
# written out for its whole page (``api.refs``), as dicts in the shape the serializer's fields
# give: passed through. (A comment, not a docstring, which the schema would take as each
# serializer's description.)
class WrittenOutSerializer(RecordSerializer):
    def to_representation(self, instance):
        if isinstance(instance, dict):
            return instance
        return super().to_representation(instance)


class PartnerRefSerializer(WrittenOutSerializer):
    class Meta:
        model = Partner
        fields = ["id", "slug", "name", "short_name", "kind"]


class DomainRefSerializer(WrittenOutSerializer):
    """A domain as a meeting names it (its plan is its actions')."""

    class Meta:
        model = Domain
        fields = ["id", "number", "title"]


class FrameworkItemRefSerializer(WrittenOutSerializer):
    """A framework's item as an action names it: its framework, number and short label ("GCM 10",
    "PMM 10" in French); its wording is under /frameworks/."""

    framework = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    label = serializers.CharField(read_only=True, help_text="GCM 10, SDG 10.7 …")

    class Meta:
        model = FrameworkItem
        fields = ["id", "framework", "code", "label"]


class ActionRefSerializer(WrittenOutSerializer):
    """An action as other records name it; its title is empty while the plan's wording is not
    known (the portal never invents it). With the framework items it serves, which the records
    serving it inherit."""

    plan = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    domain = serializers.IntegerField(source="objective.domain.number", read_only=True)
    objective = serializers.IntegerField(source="objective.number", read_only=True)
    framework_items = FrameworkItemRefSerializer(many=True, read_only=True)

    class Meta:
        model = Action
        fields = ["id", "plan", "number", "title", "domain", "objective", "framework_items"]


# Plans


class ActionSerializer(WrittenOutSerializer):
    framework_items = FrameworkItemRefSerializer(
        many=True,
        read_only=True,
        help_text="The items of the reference frameworks the action serves (the comparative "
        "tables): only those the Secretariat recorded, none where nothing is recorded yet.",
    )

    class Meta:
        model = Action
        fields = ["id", "number", "title", "description", "wording_confirmed", "framework_items"]


class ObjectiveSerializer(WrittenOutSerializer):
    actions = ActionSerializer(many=True, read_only=True)

    class Meta:
        model = Objective
        fields = ["id", "number", "title", "description", "actions"]


class DomainSerializer(WrittenOutSerializer):
    objectives = ObjectiveSerializer(many=True, read_only=True)

    class Meta:
        model = Domain
        fields = ["id", "number", "title", "full_title", "description", "objectives"]


class PrioritySerializer(WrittenOutSerializer):
    class Meta:
        model = CrossCuttingPriority
        fields = ["number", "title", "description"]


class ActionPlanSerializer(RecordSerializer):
    page_url = PageUrlField("actionplan:plan", key="plan", attribute="slug")
    is_current = serializers.SerializerMethodField(
        help_text="The plan the portal shows as current: the one the Secretariat marked, else "
        "the one whose period covers today, else the latest already started."
    )
    domains = DomainSerializer(source="refs.domains", many=True, read_only=True)
    priorities = PrioritySerializer(source="refs.priorities", many=True, read_only=True)

    class Meta:
        model = ActionPlan
        fields = [
            "id",
            "slug",
            "name",
            "start_year",
            "end_year",
            "adopted_on",
            "adopted_at",
            "description",
            "is_current",
            "page_url",
            "domains",
            "priorities",
        ]

    def get_is_current(self, plan) -> bool:
        # The current plan's id is looked up once per request by the view (its context).
        return plan.pk == self.context.get("current_plan_id")


# Frameworks


class FrameworkItemSerializer(RecordSerializer):
    label = serializers.CharField(read_only=True, help_text="GCM 10, SDG 10.7 …")
    wording_confirmed = serializers.BooleanField(
        read_only=True,
        help_text="False while the wording (in either language) is still to be checked against "
        "the official text.",
    )

    class Meta:
        model = FrameworkItem
        fields = ["id", "code", "label", "title", "wording_confirmed"]


class FrameworkSerializer(RecordSerializer):
    """A reference framework with its items in its own order; ``page_url`` is the page of the
    activities that served each item."""

    page_url = PageUrlField("actionplan:framework-coverage", key="framework", attribute="slug")
    items = FrameworkItemSerializer(many=True, read_only=True)

    class Meta:
        model = Framework
        fields = [
            "id",
            "slug",
            "name",
            "short_name",
            "item_name",
            "source",
            "source_url",
            "page_url",
            "items",
        ]


class FollowUpSerializer(RecordSerializer):
    status_label = LabelField("status")

    class Meta:
        model = RecommendationFollowUp
        fields = ["date", "status", "status_label", "description"]


class RecommendationSerializer(RecordSerializer):
    plan = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    code = serializers.CharField(read_only=True, help_text="R1, R2 …")
    follow_ups = FollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = Recommendation
        fields = ["id", "plan", "number", "code", "title", "summary", "proposal", "follow_ups"]


# Partners


class SteeringCommitteeMembershipSerializer(WrittenOutSerializer):
    class Meta:
        model = SteeringCommitteeMembership
        fields = ["start", "end", "note"]


class ChairmanshipSerializer(WrittenOutSerializer):
    start = DateAsKnownField("start", "start_precision", allow_null=True)

    class Meta:
        model = Chairmanship
        fields = ["start", "start_precision", "end", "occasion"]


class PartnerSerializer(RecordSerializer):
    page_url = PageUrlField("partner-detail")
    kind_label = LabelField("kind")
    region_label = LabelField("region")
    status_label = LabelField("status")
    on_steering_committee = serializers.BooleanField(
        read_only=True, help_text="A member of the Steering Committee today."
    )
    steering_committee_memberships = SteeringCommitteeMembershipSerializer(
        source="refs.steering_committee_memberships", many=True, read_only=True
    )
    chairmanships = ChairmanshipSerializer(source="refs.chairmanships", many=True, read_only=True)

    class Meta:
        model = Partner
        fields = [
            "id",
            "slug",
            "name",
            "short_name",
            "kind",
            "kind_label",
            "iso_code",
            "region",
            "region_label",
            "status",
            "status_label",
            "is_partner_organisation",
            "description",
            "page_url",
            "on_steering_committee",
            "steering_committee_memberships",
            "chairmanships",
        ]


# Meetings


class ParticipationSerializer(RecordSerializer):
    """The participation figures the sources give; a figure not given is null, not zero."""

    technical_share = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Participation
        fields = [
            "participants",
            "delegations",
            "partner_countries",
            "african_countries",
            "european_countries",
            "organisations",
            "national_technical_experts",
            "external_experts",
            "government_representatives",
            "organisation_representatives",
            "non_technical_profile",
            "reported_technical_share",
            "reported_non_technical_share",
            "technical_share",
            "profile",
        ]


class ParticipationDetailSerializer(ParticipationSerializer):
    """A meeting's own page in the API adds the organisations present (not in lists: fetching
    them runs a query only for pages that hold such a meeting, so a list's cost would vary)."""

    organisations_present = PartnerRefSerializer(many=True, read_only=True)

    class Meta(ParticipationSerializer.Meta):
        fields = [*ParticipationSerializer.Meta.fields, "organisations_present"]


class PostponementSerializer(RecordSerializer):
    previous_start = DateAsKnownField("previous_start", "previous_precision", allow_null=True)

    class Meta:
        model = MeetingDateChange
        fields = ["previous_start", "previous_precision", "previous_city", "reason", "announced_on"]


class MeetingSerializer(RecordSerializer):
    page_url = PageUrlField("meetings:detail")
    kind_label = LabelField("kind")
    status_label = LabelField("status")
    format_label = LabelField("format")
    start = DateAsKnownField("start_date", "date_precision", allow_null=True)
    end = DateAsKnownField("end_date", "date_precision", allow_null=True)
    dates_display = serializers.CharField(read_only=True)
    place_display = serializers.CharField(read_only=True)
    host_country = PartnerRefSerializer(source="refs.host_country", read_only=True, allow_null=True)
    organisers = PartnerRefSerializer(source="refs.organisers", many=True, read_only=True)
    co_chairs = PartnerRefSerializer(source="refs.co_chairs", many=True, read_only=True)
    # Their slugs (not the whole meetings), found by the view.
    parent = serializers.CharField(source="refs.parent", read_only=True, allow_null=True)
    postponed_to = serializers.CharField(
        source="refs.postponed_to", read_only=True, allow_null=True
    )
    postponements = PostponementSerializer(many=True, read_only=True)
    actions = ActionRefSerializer(source="refs.actions", many=True, read_only=True)
    domains = DomainRefSerializer(source="refs.domains", many=True, read_only=True)
    results = serializers.ListField(
        child=serializers.CharField(
            label=capfirst(MeetingResult._meta.get_field("text").verbose_name)
        ),
        source="refs.results",
        read_only=True,
    )
    participation = ParticipationSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "slug",
            "page_url",
            "kind",
            "kind_label",
            "title",
            "status",
            "status_label",
            "status_reason",
            "date_precision",
            "start",
            "end",
            "dates_display",
            "postponements",
            "postponed_to",
            "format",
            "format_label",
            "city",
            "host_country",
            "place_display",
            "organisers",
            "co_chairs",
            "parent",
            "actions",
            "domains",
            "summary",
            "objective",
            "deliberations",
            "results",
            "participation",
            "reaction",
            "reaction_source",
        ]


class MeetingDetailSerializer(MeetingSerializer):
    participation = ParticipationDetailSerializer(read_only=True, allow_null=True)


# Documents


class MeetingRefSerializer(WrittenOutSerializer):
    class Meta:
        model = Meeting
        fields = ["slug", "title"]


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class DownloadUrlField(serializers.Field):
    """The file kept by the portal, or the link to where it is kept; None without either (the
    document's ``get_download_url``, its download page reversed once per list)."""

    def __init__(self, **kwargs):
        self.url_of_key = None
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, document):
        if not document.file:
            url = document.url
            return self.context["request"].build_absolute_uri(url) if url else None
        if self.url_of_key is None:
            self.url_of_key = UrlOfKey(self.context["request"], "meetings:document-download", "pk")
        return self.url_of_key(document.pk)


class DocumentSerializer(RecordSerializer):
    page_url = PageUrlField("meetings:document", key="pk")
    download_url = DownloadUrlField()
    date = serializers.DateField(
        source="dated",
        read_only=True,
        allow_null=True,
        help_text="Its publication's date, else the first day of the meeting it comes from.",
    )
    category_label = LabelField("category")
    kind_label = LabelField("kind")
    language_label = LabelField("language")
    meetings = MeetingRefSerializer(source="refs.meetings", many=True, read_only=True)
    actions = ActionRefSerializer(source="refs.actions", many=True, read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "slug",
            "title",
            "description",
            "category",
            "category_label",
            "kind",
            "kind_label",
            "language",
            "language_label",
            "date",
            "published_on",
            "page_url",
            "download_url",
            "content_type",
            "file_size",
            "meetings",
            "actions",
        ]


# Labelled projects


class LabelledProjectSerializer(RecordSerializer):
    page_url = PageUrlField("labelling:project")
    kind_label = LabelField("kind")
    labelled_on = serializers.DateTimeField(source="decided_at", read_only=True, allow_null=True)
    lead_partner = PartnerRefSerializer(source="refs.lead_partner", read_only=True)
    co_implementing_partners = PartnerRefSerializer(
        source="refs.co_implementing_partners", many=True, read_only=True
    )
    funding_partners = PartnerRefSerializer(
        source="refs.funding_partners", many=True, read_only=True
    )
    countries = PartnerRefSerializer(source="refs.countries", many=True, read_only=True)
    actions = ActionRefSerializer(source="refs.actions", many=True, read_only=True)
    # Its slug (not the whole meeting), found by the view.
    meeting = serializers.CharField(source="refs.meeting", read_only=True, allow_null=True)
    budget = serializers.SerializerMethodField()
    currency = serializers.SerializerMethodField()

    class Meta:
        model = LabellingRequest
        fields = [
            "id",
            "slug",
            "title",
            "kind",
            "kind_label",
            "page_url",
            "summary",
            "objectives",
            "expected_results",
            "lead_partner",
            "co_implementing_partners",
            "funding_partners",
            "other_organisations",
            "countries",
            "actions",
            "start_date",
            "end_date",
            "meeting",
            "labelled_on",
            "budget",
            "currency",
            "results_summary",
        ]

    @extend_schema_field({"type": "number", "nullable": True})
    def get_budget(self, project):
        """Only where the partner chose to publish it, as on the project's page."""
        return float(project.budget) if project.publish_budget and project.budget else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_currency(self, project):
        return project.currency if project.publish_budget and project.budget else None
