"""The ``choice_label`` filter shows what ``get_<field>_display`` shows, in both languages."""

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.html import escape

from ideas_lab.models import Idea
from labelling.models import LabellingRequest
from meetings.models import Document, Meeting
from rabat_portal.templatetags.portal import choice_label

# The records and fields whose labels the lists show through the filter.
LISTED = [
    (Meeting, "kind"),
    (Meeting, "status"),
    (Document, "kind"),
    (Document, "language"),
    (LabellingRequest, "kind"),
    (LabellingRequest, "state"),
    (Idea, "kind"),
    (Idea, "status"),
]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(("model", "field_name"), LISTED)
def test_every_choice_reads_as_get_display_reads_it(model, field_name, language):
    with translation.override(language):
        for value, _label in model._meta.get_field(field_name).flatchoices:
            record = model(**{field_name: value})
            expected = getattr(record, f"get_{field_name}_display")()
            assert str(choice_label(record, field_name)) == expected


def test_a_value_outside_the_choices_reads_as_itself():
    assert choice_label(Meeting(kind="retired-kind"), "kind") == "retired-kind"


def test_in_a_template_the_label_is_translated_and_escaped():
    template = Template('{% load portal %}{{ meeting|choice_label:"kind" }}')
    meeting = Meeting(kind=Meeting.Kind.SENIOR_OFFICIALS)

    for language in ("en", "fr"):
        with translation.override(language):
            rendered = template.render(Context({"meeting": meeting}))
            assert rendered == escape(meeting.get_kind_display())
    assert rendered != "Senior Officials&#x27; Meeting"
