from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplan.forms import ActionMultipleChoiceField, actions_to_pick
from focalpoints.models import Partner
from labelling.models import LabellingAttachment, LabellingRequest
from meetings.models import Meeting
from portal_lib.richtext import MarkdownTextarea
from portal_lib.translations import KeepsFallbacks
from portal_lib.uploads import validate_upload


class LabellingRequestForm(KeepsFallbacks, forms.ModelForm):
    """What the applicant writes. Saving a draft needs only a type and a title; what submission
    needs on top is checked by ``LabellingRequest.missing_for_submission``."""

    concept_note = forms.FileField(
        label=_("Concept note"),
        required=False,
        validators=[validate_upload],
        help_text=_(
            "A new file replaces the current concept note; the earlier one stays listed on the "
            "request as an earlier version."
        ),
    )
    agenda = forms.FileField(
        label=_("Agenda"),
        required=False,
        validators=[validate_upload],
        help_text=_("For an event."),
    )

    class Meta:
        model = LabellingRequest
        fields = [
            "kind",
            "title",
            "summary",
            "objectives",
            "expected_results",
            "actions",
            "co_implementing_partners",
            "funding_partners",
            "other_organisations",
            "countries",
            "start_date",
            "end_date",
            "budget",
            "currency",
            "funding_sources",
            "publish_budget",
            "results_sharing",
            "contact_name",
            "contact_email",
            "contact_phone",
            "publish_contact",
            "reply_draft",
        ]
        labels = {"reply_draft": _("Your reply to the Secretariat")}
        help_texts = {
            "co_implementing_partners": _("Tick each partner that implements it with you."),
            "funding_partners": _("Tick each partner that funds it."),
            "countries": _("Tick each country concerned."),
            "reply_draft": _(
                "What you changed, or your answers to their questions. It is sent to the "
                "Secretariat when you submit the request again, and kept in its history."
            ),
        }
        widgets = {
            "reply_draft": forms.Textarea(attrs={"rows": 4}),
            "summary": MarkdownTextarea(attrs={"rows": 4}),
            "objectives": MarkdownTextarea(attrs={"rows": 4}),
            "expected_results": MarkdownTextarea(attrs={"rows": 4}),
            "other_organisations": forms.Textarea(attrs={"rows": 3}),
            "funding_sources": forms.Textarea(attrs={"rows": 3}),
            "results_sharing": MarkdownTextarea(attrs={"rows": 3}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            # Boxes to tick in columns: a multiple select needs Ctrl-click, and a script that
            # would make it searchable would come from a CDN.
            "co_implementing_partners": forms.CheckboxSelectMultiple(
                attrs={"class": "choice-columns"}
            ),
            "funding_partners": forms.CheckboxSelectMultiple(attrs={"class": "choice-columns"}),
            "countries": forms.CheckboxSelectMultiple(attrs={"class": "choice-columns"}),
        }

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.partner = partner
        if self.instance.state != LabellingRequest.State.CHANGES_REQUESTED:
            # Only an answer to a change request is a reply.
            del self.fields["reply_draft"]
        self.fields["actions"] = ActionMultipleChoiceField(
            queryset=actions_to_pick(),
            required=False,
            label=self.fields["actions"].label,
            help_text=self.fields["actions"].help_text,
        )
        others = Partner.objects.exclude(pk=partner.pk).order_by("name")
        self.fields["co_implementing_partners"].queryset = others
        self.fields["funding_partners"].queryset = Partner.objects.order_by("name")
        self.fields["countries"].queryset = Partner.objects.countries().order_by("name")
        self.fields["currency"].widget.attrs.update({"size": 4, "autocomplete": "off"})

    def clean_currency(self):
        currency = self.cleaned_data["currency"].strip().upper()
        if currency and (len(currency) != 3 or not currency.isalpha()):
            raise forms.ValidationError(_("Give the currency's three-letter code, e.g. EUR."))
        return currency

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return cleaned

    def mark_missing(self, missing):
        """Show by each field what submission still needs (``{field: message}``), also on the
        unbound form of a draft just saved."""
        if not self.is_bound:
            self.cleaned_data = {}
        for field, message in missing.items():
            self.add_error(field, message)

    def save(self, commit=True, user=None):
        labelling_request = super().save(commit=False)
        labelling_request.lead_partner = self.partner
        if labelling_request.created_by_id is None:
            labelling_request.created_by = user
        labelling_request.save()
        self.save_m2m()
        for kind, field in (
            (LabellingAttachment.Kind.CONCEPT_NOTE, "concept_note"),
            (LabellingAttachment.Kind.AGENDA, "agenda"),
        ):
            upload = self.cleaned_data.get(field)
            if upload:
                LabellingAttachment.objects.create(
                    request=labelling_request, kind=kind, file=upload, uploaded_by=user
                )
        return labelling_request


class TransitionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when asking for changes or rejecting: the applicant reads it."),
    )
    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)


class ResultsForm(KeepsFallbacks, forms.ModelForm):
    """The results of a labelled project, reported after approval."""

    final_report = forms.FileField(
        label=_("Final report"), required=False, validators=[validate_upload]
    )

    class Meta:
        model = LabellingRequest
        fields = ["results_summary", "results_meetings"]
        widgets = {
            "results_summary": MarkdownTextarea(attrs={"rows": 6}),
            "results_meetings": forms.CheckboxSelectMultiple(attrs={"class": "choice-columns"}),
        }
        help_texts = {
            "results_meetings": _("Tick each meeting of the Dialogue where they were presented.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["results_meetings"].queryset = Meeting.objects.held().order_by("-start_date")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("results_summary", "").strip() and not cleaned.get("final_report"):
            self.add_error(
                "results_summary", _("Summarise the results or attach the final report.")
            )
        return cleaned

    def save(self, user):
        labelling_request = super().save(commit=False)
        if labelling_request.results_reported_at is None:
            labelling_request.results_reported_at = timezone.now()
        labelling_request.save()
        self.save_m2m()
        upload = self.cleaned_data.get("final_report")
        if upload:
            LabellingAttachment.objects.create(
                request=labelling_request,
                kind=LabellingAttachment.Kind.FINAL_REPORT,
                file=upload,
                uploaded_by=user,
            )
        return labelling_request
