from django import forms
from django.utils.translation import gettext_lazy as _

from actionplan.models import Domain
from meetings.models import Delegate, Document, EvaluationQuestion, Profile
from meetings.services import DELEGATE_FIELDS
from portal_lib.uploads import inspect_upload


class ReferenceDocumentForm(forms.Form):
    domain = forms.ModelChoiceField(label=_("Domain"), queryset=Domain.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (Document.Kind.ROADMAP, Document.Kind.ROADMAP.label),
            (Document.Kind.PROGRESS_REVIEW, Document.Kind.PROGRESS_REVIEW.label),
        ],
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    language = forms.ChoiceField(label=_("Language"), choices=Document.Language.choices)
    upload = forms.FileField(
        label=_("File"), help_text=_("PDF, Word, Excel, PowerPoint, PNG or JPEG; 25 MB at most.")
    )

    def __init__(self, *args, domains, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = domains

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        inspect_upload(upload)
        return upload


class DelegateForm(forms.ModelForm):
    """One delegate of a delegation, as the focal point names them."""

    class Meta:
        model = Delegate
        fields = DELEGATE_FIELDS
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "off"})}


class BaseDelegationFormSet(forms.BaseModelFormSet):
    def entries(self):
        """The delegates named, as ``services.save_delegation`` takes them: those left empty or
        ticked for removal are not among them."""
        entries = []
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            entry = {field: form.cleaned_data[field] for field in DELEGATE_FIELDS}
            entry["pk"] = form.instance.pk
            entries.append(entry)
        return entries


def delegation_formset(delegation, data=None):
    """The delegation's form: its delegates, and empty rows up to its seats."""
    seats = delegation.meeting.invitation.seats_per_delegation
    queryset = delegation.delegates.all()
    FormSet = forms.modelformset_factory(
        Delegate,
        form=DelegateForm,
        formset=BaseDelegationFormSet,
        extra=max(seats - queryset.count(), 0),
        can_delete=True,
    )
    return FormSet(data, queryset=queryset, prefix="delegates")


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Delegate.Status.ACCEPTED, _("Accept")),
            (Delegate.Status.WAITLISTED, _("Wait-list")),
            (Delegate.Status.DECLINED, _("Decline")),
        ],
    )
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)


class RegistrationForm(forms.ModelForm):
    class Meta:
        model = Delegate
        fields = ["dietary_needs", "accessibility_needs", "arrival"]


class EvaluationForm(forms.Form):
    """The meeting's questionnaire: one field per question, none required but the ratings."""

    def __init__(self, questions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            name = f"q{question.pk}"
            if question.kind == EvaluationQuestion.Kind.RATING:
                self.fields[name] = forms.TypedChoiceField(
                    label=question.text,
                    choices=[(n, str(n)) for n in range(1, 6)],
                    coerce=int,
                    widget=forms.RadioSelect,
                    help_text=_("1: not at all, 5: very much."),
                )
            elif question.kind == EvaluationQuestion.Kind.YES_NO:
                self.fields[name] = forms.TypedChoiceField(
                    label=question.text,
                    choices=[("yes", _("Yes")), ("no", _("No"))],
                    coerce=lambda value: value == "yes",
                    widget=forms.RadioSelect,
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.text, widget=forms.Textarea(attrs={"rows": 4}), required=False
                )

    def answers(self):
        return {
            question.pk: self.cleaned_data.get(f"q{question.pk}") for question in self.questions
        }


class WebinarRegistrationForm(forms.Form):
    profile = forms.ChoiceField(label=_("Your profile"), choices=Profile.choices)
    function = forms.CharField(label=_("Function"), max_length=200, required=False)
