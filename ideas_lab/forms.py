from django import forms
from django.utils.translation import gettext_lazy as _

from actionplan.forms import ActionCheckboxes, ActionMultipleChoiceField, actions_to_pick
from actionplan.models import Domain
from focalpoints.models import Partner
from ideas_lab.models import Comment, Idea, Interest
from portal_lib.richtext import MarkdownTextarea
from portal_lib.translations import KeepsFallbacks
from portal_lib.uploads import validate_upload


class IdeaForm(KeepsFallbacks, forms.ModelForm):
    """An idea as its partner writes it. Saved as a draft, only the title and kind are needed;
    to publish, the summary, description and domain too (each error shown by its field)."""

    attachment = forms.FileField(
        label=_("Attach a file"),
        required=False,
        validators=[validate_upload],
        help_text=_("PDF, Word, Excel, PowerPoint, PNG or JPEG; 25 MB at most."),
    )

    class Meta:
        model = Idea
        fields = [
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
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": MarkdownTextarea(attrs={"rows": 10}),
            # Boxes to tick by domain and objective: a multiple select needs Ctrl-click.
            "actions": ActionCheckboxes,
            "countries": forms.CheckboxSelectMultiple(attrs={"class": "choice-columns"}),
        }
        help_texts = {"countries": _("Tick each country concerned.")}

    def __init__(self, *args, publish=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.publish = publish
        self.fields["domain"].queryset = Domain.objects.select_related("plan").order_by(
            "-plan__start_year", "number"
        )
        self.fields["actions"] = ActionMultipleChoiceField(
            queryset=actions_to_pick(),
            widget=self.fields["actions"].widget,
            required=self.fields["actions"].required,
            label=self.fields["actions"].label,
            help_text=self.fields["actions"].help_text,
        )
        self.fields["countries"].queryset = Partner.objects.countries().order_by("name")

    @property
    def completes(self):
        """Whether this save must leave a complete idea: publishing, or editing a published one."""
        return self.publish or (self.instance.pk is not None and not self.instance.is_draft)

    def clean(self):
        cleaned = super().clean()
        if self.completes:
            required = {
                "summary": _("A published idea needs a summary."),
                "description": _("A published idea needs a description."),
                "domain": _("Choose the domain the idea serves."),
            }
            for name, message in required.items():
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
        if cleaned.get("budget") is not None and not cleaned.get("currency"):
            self.add_error("currency", _("Give the budget's currency."))
        return cleaned


class CommentForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["text"]
        labels = {"text": _("Your comment")}
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


class InterestForm(forms.ModelForm):
    class Meta:
        model = Interest
        fields = ["kind", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Idea.Status.choices)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class HideCommentForm(forms.Form):
    reason = forms.CharField(label=_("Reason for hiding"), max_length=255)
