from django import forms
from django.utils.translation import gettext_lazy as _

from actionplan.models import Domain
from meetings.models import Document
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
